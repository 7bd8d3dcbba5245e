"""sync: change stream, field state, quarantine, device state, vault wraps, org recovery keys

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 18:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out here (not imported from sync_models) so that this revision never changes later.
ID = sa.String(length=36)
NAME = sa.String(length=64)
HLC = sa.String(length=80)


def ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def fk_user(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=f"fk_{table}_user_id_users")


def upgrade() -> None:
    op.create_table(
        "sync_streams",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        fk_user("sync_streams"),
        sa.PrimaryKeyConstraint("user_id", name="pk_sync_streams"),
    )
    op.create_table(
        "sync_changes",
        sa.Column("change_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("device_id", ID, nullable=False),
        sa.Column("table_name", NAME, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("field", NAME, nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", HLC, nullable=False),
        ts("received_at"),
        fk_user("sync_changes"),
        sa.PrimaryKeyConstraint("change_id", name="pk_sync_changes"),
    )
    op.create_index("uq_sync_changes_user_id_seq", "sync_changes", ["user_id", "seq"], unique=True)
    op.create_table(
        "sync_records",
        sa.Column("table_name", NAME, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        fk_user("sync_records"),
        sa.PrimaryKeyConstraint("table_name", "record_id", name="pk_sync_records"),
    )
    op.create_index("ix_sync_records_user_id", "sync_records", ["user_id"])
    op.create_table(
        "sync_fields",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("table_name", NAME, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("field", NAME, nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", HLC, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        fk_user("sync_fields"),
        sa.PrimaryKeyConstraint(
            "user_id", "table_name", "record_id", "field", name="pk_sync_fields"
        ),
    )
    op.create_index(
        "ix_sync_fields_table_name_record_id", "sync_fields", ["table_name", "record_id"]
    )
    op.create_table(
        "sync_quarantine",
        sa.Column("change_id", sa.String(length=100), nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("device_id", ID, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("table_name", NAME, nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("field", NAME, nullable=False),
        sa.Column("hlc", sa.String(length=100), nullable=False),
        ts("received_at"),
        fk_user("sync_quarantine"),
        sa.PrimaryKeyConstraint("change_id", name="pk_sync_quarantine"),
    )
    op.create_index("ix_sync_quarantine_user_id", "sync_quarantine", ["user_id"])
    op.create_table(
        "sync_device_state",
        sa.Column("device_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("resync", sa.Boolean(), nullable=False),
        ts("last_push_at", nullable=True),
        ts("last_pull_at", nullable=True),
        sa.Column("pulled_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name="fk_sync_device_state_device_id_devices"
        ),
        fk_user("sync_device_state"),
        sa.PrimaryKeyConstraint("device_id", name="pk_sync_device_state"),
    )
    op.create_index("ix_sync_device_state_user_id", "sync_device_state", ["user_id"])
    op.create_table(
        "sync_vaults",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("key_id", sa.String(length=100), nullable=False),
        sa.Column("passphrase_wrap", sa.Text(), nullable=True),
        sa.Column("recovery_wrap", sa.Text(), nullable=True),
        ts("updated_at"),
        fk_user("sync_vaults"),
        sa.PrimaryKeyConstraint("user_id", name="pk_sync_vaults"),
    )
    op.create_table(
        "sync_org_keys",
        sa.Column("org_id", ID, nullable=False),
        sa.Column("recovery_public_key", sa.String(length=64), nullable=False),
        ts("updated_at"),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name="fk_sync_org_keys_org_id_organisations"
        ),
        sa.PrimaryKeyConstraint("org_id", name="pk_sync_org_keys"),
    )


def downgrade() -> None:
    for table in (
        "sync_org_keys",
        "sync_vaults",
        "sync_device_state",
        "sync_quarantine",
        "sync_fields",
        "sync_records",
        "sync_changes",
        "sync_streams",
    ):
        op.drop_table(table)
