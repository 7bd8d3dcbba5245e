"""overview: one projection row per trajectory with its clear overview fields

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Written out here (not imported from overview_facts) so that this revision never changes later.
ID = sa.String(length=36)


def upgrade() -> None:
    op.create_table(
        "overview_facts",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("trajectory_id", ID, nullable=False),
        sa.Column("practice_id", ID, nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("first_contact_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("request_category", sa.String(length=40), nullable=False),
        sa.Column("conversation_count", sa.Integer(), nullable=False),
        sa.Column("age_band", sa.String(length=20), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_overview_facts_user_id_users"),
        sa.PrimaryKeyConstraint("user_id", "trajectory_id", name="pk_overview_facts"),
        # SQLite: rows clustered by user, so a team's rows are read as a few contiguous
        # ranges (twice as fast as a secondary index that points into a rowid table).
        sqlite_with_rowid=False,
    )
    # Trajectories pushed before this revision: fill the projection from the field state.
    conn = op.get_bind()
    users = [
        r[0]
        for r in conn.execute(
            sa.text("SELECT DISTINCT user_id FROM sync_fields WHERE table_name = 'trajectory'")
        )
    ]
    if users:
        from sqlalchemy.orm import Session

        from liaison_desktop.server import overview_facts

        session = Session(bind=conn)
        for user_id in users:
            ids = [
                r[0]
                for r in conn.execute(
                    sa.text(
                        "SELECT DISTINCT record_id FROM sync_fields "
                        "WHERE table_name = 'trajectory' AND user_id = :u"
                    ),
                    {"u": user_id},
                )
            ]
            overview_facts.on_changes_stored(
                session, user_id, [{"t": "trajectory", "r": rid} for rid in ids]
            )
        session.flush()


def downgrade() -> None:
    op.drop_table("overview_facts")
