"""caseload badge kept per client (consent_badge, badge_until); index in caseload order

The caseload used to compute every open client's consent badge from its consents and guardians
on each read. The badge now lives on the client row with the first day it may change; rows of
an existing store start empty (NULL), which the caseload reads as "compute again", so the first
caseload after the upgrade fills them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("client") as batch:
        batch.add_column(sa.Column("consent_badge", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("badge_until", sa.Date(), nullable=True))
        batch.create_index("ix_client_badge_until", ["badge_until"])
    # The caseload's order, so that its first page is read without sorting every trajectory.
    op.create_index("ix_trajectory_referred", "trajectory", ["referred_on", "id"])


def downgrade() -> None:
    op.drop_index("ix_trajectory_referred", table_name="trajectory")
    with op.batch_alter_table("client") as batch:
        batch.drop_index("ix_client_badge_until")
        batch.drop_column("badge_until")
        batch.drop_column("consent_badge")
