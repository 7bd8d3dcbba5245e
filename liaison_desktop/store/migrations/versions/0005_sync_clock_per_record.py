"""sync: the per-field clocks kept in one row per record (sync_clock), not one row per field

``sync_field`` held one row per synced field (record id, table, field, a 58-character HLC) and
an index repeating its key: three quarters of a synced store's bytes, and most of the pages a
pulled page dirtied. ``sync_clock`` keeps one row per record, without a rowid, with the clocks
grouped by HLC — the fields written in one transaction share one — as a JSON object
``{"<hlc>": ["field", ...]}`` (read and written by ``store/outbox.py`` only).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_clock",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("tbl", sa.String(length=32), nullable=False),
        sa.Column("clocks", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "tbl"),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO sync_clock (record_id, tbl, clocks) "
        "SELECT record_id, tbl, json_group_object(hlc, json(fields)) FROM ("
        "  SELECT record_id, tbl, hlc, json_group_array(field) AS fields FROM sync_field "
        "  GROUP BY record_id, tbl, hlc"
        ") GROUP BY record_id, tbl"
    )
    op.drop_table("sync_field")


def downgrade() -> None:
    op.create_table(
        "sync_field",
        sa.Column("tbl", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "tbl", "field"),
    )
    op.execute(
        "INSERT INTO sync_field (tbl, record_id, field, hlc) "
        "SELECT c.tbl, c.record_id, f.value, h.key "
        "FROM sync_clock c, json_each(c.clocks) h, json_each(h.value) f"
    )
    op.drop_table("sync_clock")
