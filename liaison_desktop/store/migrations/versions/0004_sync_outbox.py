"""sync: outbox, per-field clocks, conflicts, quarantine, stash; capture triggers

Every change of a synced column is recorded by SQLite triggers in the same transaction as the
change itself (whatever the write path: ORM, Core updates, bulk inserts, cascading deletes),
one outbox row per changed field; a second change of a field that is not pushed yet replaces
the first (new change id). The triggers stay silent while ``sync_ctl.applying`` is 1 (sync
applying pulled changes). The HLC of the new rows is filled in at commit by
``store/outbox.py``.

The synced columns are frozen here (a test compares them with ``store/outbox.py``); a later
migration that adds a synced column, or rebuilds a synced table (``batch_alter_table`` copies
the table and drops its triggers), must recreate the triggers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 18:45:00
"""

# The SQL is built from the fixed names in SYNCED only.
# ruff: noqa: S608

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# table -> (column, kind); kind "bool" columns travel as JSON true/false.
SYNCED: dict[str, tuple[tuple[str, str], ...]] = {
    "practice": (("name", "text"), ("municipality", "text"), ("colour", "text")),
    "room": (("practice_id", "text"), ("name", "text")),
    "client": (
        ("first_name", "text"),
        ("last_name", "text"),
        ("date_of_birth", "text"),
        ("bsn", "text"),
        ("practice_id", "text"),
        ("municipality", "text"),
        ("address", "text"),
        ("phone", "text"),
    ),
    "guardian": (
        ("client_id", "text"),
        ("name", "text"),
        ("relation", "text"),
        ("has_authority", "bool"),
        ("phone", "text"),
        ("email", "text"),
    ),
    "trajectory": (
        ("client_id", "text"),
        ("practice_id", "text"),
        ("referred_on", "text"),
        ("request_category", "text"),
        ("question", "text"),
        ("status", "text"),
        ("outcome", "text"),
        ("closed_on", "text"),
        ("conversation_count", "int"),
        ("first_contact_on", "text"),
    ),
    "consent": (
        ("client_id", "text"),
        ("scope", "text"),
        ("given_on", "text"),
        ("method", "text"),
        ("given_by_child", "bool"),
        ("guardian_ids", "text"),
        ("withdrawn_on", "text"),
        ("note", "text"),
    ),
    "contact": (
        ("client_id", "text"),
        ("trajectory_id", "text"),
        ("type", "text"),
        ("start", "text"),
        ("duration_min", "int"),
        ("practice_id", "text"),
        ("participants", "text"),
        ("note", "text"),
        ("counts_as_conversation", "bool"),
    ),
    "part_day": (
        ("practice_id", "text"),
        ("weekday", "int"),
        ("part", "text"),
        ("start_time", "text"),
        ("end_time", "text"),
        ("valid_from", "text"),
        ("valid_to", "text"),
        ("room_id", "text"),
        ("max_appointments", "int"),
        ("room_state", "text"),
    ),
    "schedule_exception": (
        ("kind", "text"),
        ("day", "text"),
        ("end_day", "text"),
        ("part_day_id", "text"),
        ("practice_id", "text"),
        ("part", "text"),
        ("new_day", "text"),
        ("start_time", "text"),
        ("end_time", "text"),
        ("room_id", "text"),
        ("room_state", "text"),
        ("note", "text"),
    ),
    "appointment": (
        ("practice_id", "text"),
        ("start", "text"),
        ("duration_min", "int"),
        ("kind", "text"),
        ("client_id", "text"),
        ("room_id", "text"),
        ("title", "text"),
        ("room_state", "text"),
        ("conflict_reason", "text"),
    ),
    "conflict": (
        ("record_table", "text"),
        ("record_id", "text"),
        ("field", "text"),
        ("value", "text"),
        ("hlc", "text"),
        ("winner_hlc", "text"),
        ("client_id", "text"),
        ("resolved_at", "text"),
    ),
}

# A UUID4 in SQL, so the triggers need no application function.
_UUID = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)
_UPSERT = (
    "ON CONFLICT(tbl, record_id, field) DO UPDATE SET "
    "value = excluded.value, change_id = excluded.change_id, hlc = NULL"
)
_ACTIVE = "(SELECT applying FROM sync_ctl WHERE id = 1) = 0"


def _json(col: str, kind: str, row: str = "NEW") -> str:
    ref = f"{row}.{col}"
    if kind == "bool":
        return f"CASE WHEN {ref} IS NULL THEN 'null' WHEN {ref} THEN 'true' ELSE 'false' END"
    return f"json_quote({ref})"


def _age_band(referred: str, dob: str) -> str:
    """The age band at referral (docs/sync-protocol.md) as JSON text, from two ISO dates."""
    age = (
        f"(CAST(strftime('%Y', {referred}) AS INTEGER) - CAST(strftime('%Y', {dob}) AS INTEGER)"
        f" - (strftime('%m-%d', {referred}) < strftime('%m-%d', {dob})))"
    )
    return (
        f"CASE WHEN {dob} IS NULL OR {referred} IS NULL THEN 'null' "
        f"WHEN {age} <= 3 THEN '\"0-3\"' WHEN {age} <= 11 THEN '\"4-11\"' "
        f"WHEN {age} <= 15 THEN '\"12-15\"' WHEN {age} <= 17 THEN '\"16-17\"' "
        "ELSE '\"18+\"' END"
    )


def trigger_statements(table: str, columns: tuple[tuple[str, str], ...]) -> list[str]:
    names = ", ".join(c for c, _ in columns)
    values = ", ".join(f"({_UUID}, '{table}', NEW.id, '{c}', {_json(c, k)})" for c, k in columns)
    insert_body = [
        f"INSERT INTO sync_outbox (change_id, tbl, record_id, field, value) VALUES {values} "
        f"{_UPSERT};"
    ]
    update_body = [
        f"INSERT INTO sync_outbox (change_id, tbl, record_id, field, value) "
        f"SELECT {_UUID}, '{table}', NEW.id, '{c}', {_json(c, k)} "
        f"WHERE OLD.{c} IS NOT NEW.{c} {_UPSERT};"
        for c, k in columns
    ]
    if table == "trajectory":
        band = _age_band(
            "NEW.referred_on", "(SELECT date_of_birth FROM client WHERE id = NEW.client_id)"
        )
        row = f"SELECT {_UUID}, 'trajectory', NEW.id, 'age_band', {band}"
        insert_body.append(
            f"INSERT INTO sync_outbox (change_id, tbl, record_id, field, value) {row} "
            f"WHERE 1 {_UPSERT};"
        )
        update_body.append(
            f"INSERT INTO sync_outbox (change_id, tbl, record_id, field, value) {row} "
            "WHERE OLD.referred_on IS NOT NEW.referred_on "
            f"OR OLD.client_id IS NOT NEW.client_id {_UPSERT};"
        )
    if table == "client":
        band = _age_band("t.referred_on", "NEW.date_of_birth")
        update_body.append(
            "INSERT INTO sync_outbox (change_id, tbl, record_id, field, value) "
            f"SELECT {_UUID}, 'trajectory', t.id, 'age_band', {band} FROM trajectory t "
            "WHERE t.client_id = NEW.id AND OLD.date_of_birth IS NOT NEW.date_of_birth "
            f"{_UPSERT};"
        )
    return [
        f"CREATE TRIGGER sync_ins_{table} AFTER INSERT ON {table} WHEN {_ACTIVE} BEGIN "
        + " ".join(insert_body)
        + " END",
        f"CREATE TRIGGER sync_upd_{table} AFTER UPDATE OF {names} ON {table} WHEN {_ACTIVE} "
        "BEGIN " + " ".join(update_body) + " END",
        f"CREATE TRIGGER sync_del_{table} AFTER DELETE ON {table} WHEN {_ACTIVE} BEGIN "
        f"INSERT INTO sync_outbox (change_id, tbl, record_id, field, value) "
        f"VALUES ({_UUID}, '{table}', OLD.id, '_deleted', 'true') {_UPSERT}; END",
    ]


def upgrade() -> None:
    op.create_table(
        "conflict",
        sa.Column("record_table", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("winner_hlc", sa.String(length=80), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=True),
        sa.Column("resolved_at", sa.String(length=32), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_conflict_client_id", "conflict", ["client_id"])
    op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("tbl", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("change_id"),
        sa.UniqueConstraint("tbl", "record_id", "field", name="uq_sync_outbox_field"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sync_field",
        sa.Column("tbl", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "tbl", "field"),
    )
    op.create_table(
        "sync_ctl",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applying", sa.Integer(), nullable=False),
        sa.Column("last_hlc", sa.String(length=80), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_stash",
        sa.Column("tbl", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "tbl", "field"),
    )
    op.create_table(
        "sync_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("tbl", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO sync_ctl (id, applying, last_hlc, cursor) VALUES (1, 0, '', 0)")
    op.execute("CREATE INDEX ix_sync_outbox_unstamped ON sync_outbox (seq) WHERE hlc IS NULL")
    for table, columns in SYNCED.items():
        for statement in trigger_statements(table, columns):
            op.execute(statement)
    # Records that exist already (a store from before sync) enter the outbox once.
    for table, columns in SYNCED.items():
        for col, kind in columns:
            op.execute(
                f"INSERT INTO sync_outbox (change_id, tbl, record_id, field, value) "
                f"SELECT {_UUID}, '{table}', id, '{col}', {_json(col, kind, table)} "
                f"FROM {table} WHERE 1 {_UPSERT}"
            )
        if table == "trajectory":
            band = _age_band("t.referred_on", "c.date_of_birth")
            op.execute(
                f"INSERT INTO sync_outbox (change_id, tbl, record_id, field, value) "
                f"SELECT {_UUID}, 'trajectory', t.id, 'age_band', {band} "
                f"FROM trajectory t JOIN client c ON c.id = t.client_id WHERE 1 {_UPSERT}"
            )


def downgrade() -> None:
    for table in SYNCED:
        for kind in ("ins", "upd", "del"):
            op.execute(f"DROP TRIGGER IF EXISTS sync_{kind}_{table}")
    op.execute("DROP INDEX IF EXISTS ix_sync_outbox_unstamped")
    for name in ("sync_quarantine", "sync_stash", "sync_ctl", "sync_field", "sync_outbox"):
        op.drop_table(name)
    op.drop_index("ix_conflict_client_id", table_name="conflict")
    op.drop_table("conflict")
