"""agenda: member public keys, team keys and wraps, next meeting, encrypted agenda items

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Written out here (not imported from agenda_models) so that this revision never changes later.
ID = sa.String(length=36)


def ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "agenda_user_keys",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("private_escrow", sa.Text(), nullable=False),
        ts("created_at"),
        fk("agenda_user_keys", "user_id", "users"),
        sa.PrimaryKeyConstraint("user_id", name="pk_agenda_user_keys"),
    )
    op.create_table(
        "agenda_teams",
        sa.Column("team_id", ID, nullable=False),
        sa.Column("key_id", ID, nullable=True),
        ts("meeting_at", nullable=True),
        ts("updated_at"),
        fk("agenda_teams", "team_id", "teams"),
        sa.PrimaryKeyConstraint("team_id", name="pk_agenda_teams"),
    )
    op.create_table(
        "agenda_team_key_wraps",
        sa.Column("team_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("key_id", ID, nullable=False),
        sa.Column("wrap", sa.Text(), nullable=False),
        sa.Column("wrapped_by", ID, nullable=False),
        ts("created_at"),
        fk("agenda_team_key_wraps", "team_id", "teams"),
        fk("agenda_team_key_wraps", "user_id", "users"),
        sa.PrimaryKeyConstraint("team_id", "user_id", name="pk_agenda_team_key_wraps"),
    )
    op.create_table(
        "agenda_items",
        sa.Column("id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("author_user_id", ID, nullable=False),
        sa.Column("key_id", ID, nullable=False),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.Column("author_ref", sa.Text(), nullable=False),
        ts("meeting_at", nullable=True),
        ts("created_at"),
        fk("agenda_items", "team_id", "teams"),
        fk("agenda_items", "author_user_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_agenda_items"),
    )
    op.create_index("ix_agenda_items_team_id_created_at", "agenda_items", ["team_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_agenda_items_team_id_created_at", table_name="agenda_items")
    op.drop_table("agenda_items")
    op.drop_table("agenda_team_key_wraps")
    op.drop_table("agenda_teams")
    op.drop_table("agenda_user_keys")
