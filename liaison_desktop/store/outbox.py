"""The sync outbox and per-field clocks in the store: HLC stamping at commit, applying pulled fields.

Capture itself is done by SQLite triggers (migration 0004): every change of a synced column
adds (or, while unpushed, replaces) one ``sync_outbox`` row in the same transaction. A
``before_commit`` hook on every store session stamps the new rows with one fresh hybrid
logical clock timestamp per transaction, records it as the HLC of those fields' current
values (``sync_clock``, one row per record) and persists the clock (``sync_ctl.last_hlc``),
so the clock never runs backwards across restarts. Values are the JSON text of the stored column value.

Thread use: functions take the caller's session; the hook runs in whichever thread commits.
"""

# Table and column names in the SQL below come only from SYNCED_COLUMNS (callers check
# pulled names against it first); values are always bound parameters.
# ruff: noqa: S608

from __future__ import annotations

import json
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from liaison_desktop.domain.text import search_key

DELETED = "_deleted"

# Mirrors migration 0004 (a test compares them). (column, kind); kind decides the JSON type.
SYNCED_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
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
KIND: dict[tuple[str, str], str] = {
    (t, c): k for t, cols in SYNCED_COLUMNS.items() for c, k in cols
}
# Fields the receiving laptop derives itself: applied when newer, never a user conflict.
DERIVED: frozenset[tuple[str, str]] = frozenset(
    {
        ("trajectory", "conversation_count"),
        ("trajectory", "first_contact_on"),
        ("trajectory", "age_band"),
    }
)
# Fields that travel but are not stored in a column here.
VIRTUAL: frozenset[tuple[str, str]] = frozenset({("trajectory", "age_band")})
# Parents first: the order records are inserted in when several arrive in one page.
TABLE_ORDER = (
    "practice",
    "room",
    "client",
    "guardian",
    "trajectory",
    "consent",
    "contact",
    "part_day",
    "schedule_exception",
    "appointment",
    "conflict",
)


# -- the clock -----------------------------------------------------------------------------

_MAX_COUNTER = 0xFFFF
_lock = threading.Lock()
_wall_clocks: weakref.WeakKeyDictionary[Any, Callable[[], int]] = weakref.WeakKeyDictionary()


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def set_wall_clock(engine: Engine, clock: Callable[[], int] | None) -> None:
    """Replace the wall clock (ms) the HLC reads for this store (tests of clock skew)."""
    with _lock:
        if clock is None:
            _wall_clocks.pop(engine.pool, None)
        else:
            _wall_clocks[engine.pool] = clock


def wall_clock(engine: Engine) -> Callable[[], int]:
    # Keyed by the pool: the store's write sessions use an option engine over the same pool.
    return _wall_clocks.get(engine.pool, wall_ms)


def _engine_of(s: Session) -> Engine:
    bind = s.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def node_of(s: Session) -> str:
    """The HLC node id: this store's device id (read in the caller's transaction)."""
    return (
        s.connection()
        .exec_driver_sql("SELECT value FROM store_meta WHERE key = 'device_id'")
        .scalar()
        or "local"
    )


def last_hlc(s: Session) -> str:
    """The persisted clock value ('' before the first change)."""
    return s.connection().exec_driver_sql("SELECT last_hlc FROM sync_ctl WHERE id = 1").scalar()


def persist_hlc(s: Session, value: str) -> None:
    """Store the clock value; never lowers it."""
    s.connection().exec_driver_sql(
        "UPDATE sync_ctl SET last_hlc = ? WHERE id = 1 AND last_hlc < ?", (value, value)
    )


def next_hlc(last: str, node: str, physical: int) -> str:
    """The next local timestamp after ``last`` (the same rule as ``sync.hlc.HybridClock.now``;
    the store may not import sync, a test checks they agree)."""
    wall, counter = 0, 0
    if last:
        w, c, _n = last.split("-", 2)
        wall, counter = int(w), int(c)
    if physical > wall:
        wall, counter = physical, 0
    else:
        counter += 1
        if counter > _MAX_COUNTER:
            wall, counter = wall + 1, 0
    return f"{wall:015d}-{counter:05d}-{node}"


def _is_store_session(s: Session) -> bool:
    try:
        bind = s.get_bind()
    except Exception:  # noqa: BLE001 - an unbound session is not ours
        return False
    engine = bind if isinstance(bind, Engine) else getattr(bind, "engine", None)
    return engine is not None and engine.dialect.driver == "pysqlcipher"


@event.listens_for(Session, "before_commit")
def _stamp_on_commit(s: Session) -> None:
    if not _is_store_session(s):
        return
    s.flush()
    conn = s.connection()
    try:
        pending = conn.exec_driver_sql(
            "SELECT 1 FROM sync_outbox WHERE hlc IS NULL LIMIT 1"
        ).first()
    except Exception:  # noqa: BLE001 - a store not yet migrated to 0004 has no outbox
        return
    if pending is None:
        return
    with _lock:
        ts = next_hlc(last_hlc(s), node_of(s), wall_clock(_engine_of(s))())
        stamp_pending(s, ts)
        persist_hlc(s, ts)


def stamp_pending(s: Session, ts: str) -> None:
    conn = s.connection()
    rows = conn.exec_driver_sql(
        "SELECT tbl, record_id, field FROM sync_outbox WHERE hlc IS NULL"
    ).all()
    if rows:
        set_field_hlcs(s, (((t, rid, f), ts) for t, rid, f in rows))
    conn.exec_driver_sql("UPDATE sync_outbox SET hlc = ? WHERE hlc IS NULL", (ts,))


# -- reading the outbox ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutboxChange:
    seq: int
    change_id: str
    table: str
    record_id: str
    field: str
    value: str
    hlc: str


def pending_batch(s: Session, limit: int, after_seq: int = 0) -> list[OutboxChange]:
    """The oldest stamped outbox rows (commit order), at most ``limit``."""
    rows = s.connection().exec_driver_sql(
        "SELECT seq, change_id, tbl, record_id, field, value, hlc FROM sync_outbox "
        "WHERE seq > ? AND hlc IS NOT NULL ORDER BY seq LIMIT ?",
        (after_seq, limit),
    )
    return [OutboxChange(*r) for r in rows]


def pending_count(s: Session) -> int:
    return int(s.connection().exec_driver_sql("SELECT count(*) FROM sync_outbox").scalar() or 0)


def remove(s: Session, change_ids: Iterable[str]) -> int:
    """Drop confirmed changes by id (a field changed again meanwhile has a new id and stays)."""
    ids = list(change_ids)
    conn = s.connection()
    n = 0
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        n += conn.exec_driver_sql(
            f"DELETE FROM sync_outbox WHERE change_id IN ({marks})", tuple(chunk)
        ).rowcount
    return n


def cursor(s: Session) -> int:
    return int(
        s.connection().exec_driver_sql("SELECT cursor FROM sync_ctl WHERE id = 1").scalar() or 0
    )


def set_cursor(s: Session, value: int) -> None:
    s.connection().exec_driver_sql("UPDATE sync_ctl SET cursor = ? WHERE id = 1", (value,))


# -- applying pulled changes ------------------------------------------------------------------


@contextmanager
def applying(s: Session) -> Iterator[None]:
    """Silence the capture triggers for the rest of this block (same transaction)."""
    conn = s.connection()
    conn.exec_driver_sql("UPDATE sync_ctl SET applying = 1 WHERE id = 1")
    try:
        yield
    finally:
        conn.exec_driver_sql("UPDATE sync_ctl SET applying = 0 WHERE id = 1")


Key = tuple[str, str, str]  # (table, record_id, field)


def _chunks(items: Sequence[Any], n: int = 400) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _decode_clocks(text: str) -> dict[str, str]:
    """``{"<hlc>": ["field", ...]}`` (one sync_clock row) as {field: hlc}."""
    return {f: h for h, fields in json.loads(text).items() for f in fields}


def _encode_clocks(by_field: dict[str, str]) -> str:
    grouped: dict[str, list[str]] = {}
    for f, h in by_field.items():
        grouped.setdefault(h, []).append(f)
    return json.dumps(grouped, separators=(",", ":"))


def record_clocks(s: Session, record_ids: Iterable[str]) -> dict[tuple[str, str], dict[str, str]]:
    """{(table, record id): {field: hlc}} of these records (absent: no known field)."""
    ids = list(set(record_ids))
    conn = s.connection()
    out: dict[tuple[str, str], dict[str, str]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for rid, tbl, text in conn.exec_driver_sql(
            f"SELECT record_id, tbl, clocks FROM sync_clock WHERE record_id IN ({marks})",
            tuple(chunk),
        ):
            out[(tbl, rid)] = _decode_clocks(text)
    return out


def field_hlcs(s: Session, record_ids: Iterable[str]) -> dict[Key, str]:
    """The HLC of every known field of these records."""
    return flat_clocks(record_clocks(s, record_ids))


def flat_clocks(clocks: dict[tuple[str, str], dict[str, str]]) -> dict[Key, str]:
    """:func:`record_clocks` by (table, record id, field)."""
    return {(t, rid, f): h for (t, rid), fields in clocks.items() for f, h in fields.items()}


def pending_values(s: Session, record_ids: Iterable[str]) -> dict[Key, OutboxChange]:
    """Unpushed local changes of these records, by field."""
    ids = list(set(record_ids))
    conn = s.connection()
    out: dict[Key, OutboxChange] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for r in conn.exec_driver_sql(
            "SELECT seq, change_id, tbl, record_id, field, value, hlc FROM sync_outbox "
            f"WHERE record_id IN ({marks})",
            tuple(chunk),
        ):
            c = OutboxChange(*r)
            out[(c.table, c.record_id, c.field)] = c
    return out


def set_field_hlcs(
    s: Session,
    items: Iterable[tuple[Key, str]],
    known: dict[tuple[str, str], dict[str, str]] | None = None,
) -> None:
    """Record these fields' HLCs. ``known``, when given, holds the stored clocks of the
    records concerned (as :func:`record_clocks` read them in this transaction); else they
    are read here."""
    changed: dict[tuple[str, str], dict[str, str]] = {}
    for (t, rid, f), h in items:
        changed.setdefault((t, rid), {})[f] = h
    if not changed:
        return
    current = known if known is not None else record_clocks(s, {rid for _t, rid in changed})
    rows = [
        (rid, t, _encode_clocks({**current.get((t, rid), {}), **fields}))
        for (t, rid), fields in changed.items()
    ]
    s.connection().exec_driver_sql(
        "INSERT INTO sync_clock (record_id, tbl, clocks) VALUES (?, ?, ?) "
        "ON CONFLICT (record_id, tbl) DO UPDATE SET clocks = excluded.clocks",
        rows,
    )


def to_column(table: str, field: str, json_text: str) -> Any:
    """A value as the column stores it (booleans as 0/1, the rest as JSON gave it)."""
    value = json.loads(json_text)
    if KIND.get((table, field)) == "bool" and value is not None:
        return 1 if value else 0
    return value


def _now_text() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")


_REQUIRED_CACHE: dict[str, tuple[dict[str, Any], frozenset[str]]] = {}


def _insert_defaults(table: str) -> tuple[dict[str, Any], frozenset[str]]:
    """(defaults for columns a pulled record may lack, the columns it must have)."""
    cached = _REQUIRED_CACHE.get(table)
    if cached is not None:
        return cached
    from liaison_desktop.store.models import Base

    defaults: dict[str, Any] = {}
    required = set()
    for col in Base.metadata.tables[table].columns:
        if col.primary_key:
            continue
        if col.default is not None and col.default.is_callable:
            defaults[col.name] = None  # filled with the time now
        elif col.default is not None and col.default.is_scalar:
            v = col.default.arg
            defaults[col.name] = int(v) if isinstance(v, bool) else getattr(v, "value", v)
        elif col.nullable:
            defaults[col.name] = None
        else:
            required.add(col.name)
    out = (defaults, frozenset(required))
    _REQUIRED_CACHE[table] = out
    return out


@dataclass(slots=True)
class ApplyReport:
    """What applying a page touched (derived data to refresh)."""

    client_ids: set[str]
    trajectory_ids: set[str]
    stashed: int = 0


def existing_ids(s: Session, table: str, ids: Sequence[str]) -> set[str]:
    conn = s.connection()
    out: set[str] = set()
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        out.update(
            r[0]
            for r in conn.exec_driver_sql(
                f"SELECT id FROM {table} WHERE id IN ({marks})", tuple(chunk)
            )
        )
    return out


def apply_records(
    s: Session,
    records: dict[tuple[str, str], dict[str, tuple[Any, str]]],
    deletes: Sequence[tuple[str, str]],
) -> ApplyReport:
    """Write winning pulled values: ``records[(table, id)] = {field: (column value, hlc)}``.

    Call inside :func:`applying`. Existing records are updated; new ones are inserted when
    complete, else their fields wait in the stash (with those already stashed); deletes
    remove the row. Rows whose parent is missing at the end move to the stash too.
    """
    conn = s.connection()
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    report = ApplyReport(set(), set())
    now = _now_text()
    by_table: dict[str, list[tuple[str, dict[str, tuple[Any, str]]]]] = {}
    for (table, rid), fields in records.items():
        by_table.setdefault(table, []).append((rid, fields))
    stash = _stash_for(s, {rid for (_t, rid) in records})
    for table in TABLE_ORDER:
        items = by_table.get(table)
        if not items:
            continue
        present = existing_ids(s, table, [rid for rid, _ in items])
        updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        inserts: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for rid, fields in items:
            cols = {f: v for f, (v, _h) in fields.items() if (table, f) not in VIRTUAL}
            if rid in present:
                if cols:
                    names = tuple(sorted(cols))
                    updates.setdefault(names, []).append((*(cols[n] for n in names), now, rid))
            else:
                stashed = stash.get((table, rid))
                merged = {f: v for f, (v, _h) in stashed.items()} if stashed else {}
                merged.update(cols)
                row = _complete_row(table, rid, merged, now)
                if row is None:
                    _stash(s, table, rid, fields)
                    report.stashed += 1
                else:
                    inserts.setdefault(tuple(row), []).append(tuple(row.values()))
                    if stashed:
                        _drop_stash(s, table, rid)
                # The whole record (stashed fields too): the row is not written yet, so its
                # parents cannot be looked up in the table.
                cols = merged
            _note_touched(s, table, rid, cols, report)
        for names, rows in inserts.items():
            cols_sql = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join("?" * len(names))
            conn.exec_driver_sql(f"INSERT INTO {table} ({cols_sql}) VALUES ({marks})", rows)
        for names, rows in updates.items():
            sets = ", ".join(f'"{n}" = ?' for n in names)
            conn.exec_driver_sql(f"UPDATE {table} SET {sets}, updated_at = ? WHERE id = ?", rows)
        if table == "client":
            _refresh_search_keys(s, [rid for rid, _ in items])
    for table, rid in deletes:
        _note_touched_delete(s, table, rid, report)
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE id = ?", (rid,))
        _drop_stash(s, table, rid)
    check = {table: list(items) for table, items in by_table.items()}
    for table, rid in _retry_stash(s, now):
        check.setdefault(table, []).append((rid, {}))
        _note_touched(s, table, rid, {}, report)  # its derived data needs refreshing too
    if deletes:
        report.stashed += _stash_orphans(s, None)
    else:
        # Only the rows this page wrote can lack a parent: look them up by id, not by a
        # scan of the whole database.
        report.stashed += _stash_orphans(s, check)
    return report


def _note_touched(
    s: Session, table: str, rid: str, cols: dict[str, Any], report: ApplyReport
) -> None:
    if table == "client":
        report.client_ids.add(rid)
    elif table in ("guardian", "consent", "trajectory", "contact", "appointment"):
        cid = (
            cols.get("client_id")
            or s.connection()
            .exec_driver_sql(f"SELECT client_id FROM {table} WHERE id = ?", (rid,))
            .scalar()
        )
        if cid:
            report.client_ids.add(cid)
        if table == "contact":
            tid = (
                cols.get("trajectory_id")
                or s.connection()
                .exec_driver_sql("SELECT trajectory_id FROM contact WHERE id = ?", (rid,))
                .scalar()
            )
            if tid:
                report.trajectory_ids.add(tid)


def _note_touched_delete(s: Session, table: str, rid: str, report: ApplyReport) -> None:
    if table in ("guardian", "consent", "trajectory", "contact", "appointment"):
        row = (
            s.connection()
            .exec_driver_sql(
                f"SELECT client_id{', trajectory_id' if table == 'contact' else ''} "
                f"FROM {table} WHERE id = ?",
                (rid,),
            )
            .first()
        )
        if row is not None:
            report.client_ids.add(row[0])
            if table == "contact":
                report.trajectory_ids.add(row[1])


def _complete_row(table: str, rid: str, values: dict[str, Any], now: str) -> dict[str, Any] | None:
    """The full row to insert, or None while a required column is missing."""
    defaults, required = _insert_defaults(table)
    if not required <= values.keys():
        return None
    row = dict(defaults)
    row.update(values)
    for name in ("created_at", "updated_at", "file_changed_at"):
        if name in row and row[name] is None:
            row[name] = now
    row["id"] = rid
    return row


def _insert_or_stash(
    s: Session,
    table: str,
    rid: str,
    values: dict[str, Any],
    fields: dict[str, tuple[Any, str]],
    now: str,
) -> bool:
    row = _complete_row(table, rid, values, now)
    if row is None:
        _stash(s, table, rid, fields)
        return False
    names = list(row)
    cols = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" * len(names))
    s.connection().exec_driver_sql(
        f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row[n] for n in names)
    )
    return True


def _stash_for(s: Session, rids: set[str]) -> dict[tuple[str, str], dict[str, tuple[Any, str]]]:
    out: dict[tuple[str, str], dict[str, tuple[Any, str]]] = {}
    if not rids:
        return out
    conn = s.connection()
    if conn.exec_driver_sql("SELECT 1 FROM sync_stash LIMIT 1").first() is None:
        return out
    for chunk in _chunks(list(rids)):
        marks = ",".join("?" * len(chunk))
        for rid, t, f, v, h in conn.exec_driver_sql(
            f"SELECT record_id, tbl, field, value, hlc FROM sync_stash WHERE record_id IN ({marks})",
            tuple(chunk),
        ):
            out.setdefault((t, rid), {})[f] = (to_column(t, f, v), h)
    return out


def _stash(s: Session, table: str, rid: str, fields: dict[str, tuple[Any, str]]) -> None:
    rows = []
    for f, (v, h) in fields.items():
        if KIND.get((table, f)) == "bool" and v is not None:
            v = bool(v)
        rows.append((rid, table, f, json.dumps(v, ensure_ascii=False), h))
    if rows:
        s.connection().exec_driver_sql(
            "INSERT INTO sync_stash (record_id, tbl, field, value, hlc) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (record_id, tbl, field) DO UPDATE SET value = excluded.value, "
            "hlc = excluded.hlc",
            rows,
        )


def _drop_stash(s: Session, table: str, rid: str) -> None:
    s.connection().exec_driver_sql(
        "DELETE FROM sync_stash WHERE record_id = ? AND tbl = ?", (rid, table)
    )


def _retry_stash(s: Session, now: str) -> list[tuple[str, str]]:
    """Insert stashed records that have become complete and whose parents arrived."""
    conn = s.connection()
    if conn.exec_driver_sql("SELECT 1 FROM sync_stash LIMIT 1").first() is None:
        return []
    inserted: list[tuple[str, str]] = []
    stash: dict[tuple[str, str], dict[str, tuple[Any, str]]] = {}
    for rid, t, f, v, h in conn.exec_driver_sql(
        "SELECT record_id, tbl, field, value, hlc FROM sync_stash"
    ):
        stash.setdefault((t, rid), {})[f] = (to_column(t, f, v), h)
    for table in TABLE_ORDER:
        for (t, rid), fields in stash.items():
            if t != table or existing_ids(s, t, [rid]):
                continue
            values = {f: v for f, (v, _h) in fields.items() if (t, f) not in VIRTUAL}
            _, required = _insert_defaults(t)
            if required <= values.keys() and _insert_or_stash(s, t, rid, values, fields, now):
                _drop_stash(s, t, rid)
                inserted.append((t, rid))
    return inserted


def _orphan_rows(
    s: Session, by_table: dict[str, list[tuple[str, dict[str, tuple[Any, str]]]]]
) -> list[tuple[str, int, str, int]]:
    """Like ``PRAGMA foreign_key_check``, limited to the given records."""
    from liaison_desktop.store.models import Base

    conn = s.connection()
    found: list[tuple[str, int, str, int]] = []
    for table, items in by_table.items():
        fks = [
            (fk.parent.name, fk.column.table.name)
            for fk in Base.metadata.tables[table].foreign_keys
        ]
        if not fks:
            continue
        ids = [rid for rid, _ in items]
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for col, parent in fks:
                for (rowid,) in conn.exec_driver_sql(
                    f'SELECT t.rowid FROM {table} t WHERE t.id IN ({marks}) AND t."{col}" IS NOT '
                    f'NULL AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = t."{col}")',
                    tuple(chunk),
                ):
                    found.append((table, rowid, parent, 0))
    return found


def _stash_orphans(
    s: Session, by_table: dict[str, list[tuple[str, dict[str, tuple[Any, str]]]]] | None
) -> int:
    """Rows inserted without their parent (yet) leave the table for the stash."""
    conn = s.connection()
    if by_table is None:
        found = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    else:
        found = _orphan_rows(s, by_table)
    moved = 0
    seen: set[tuple[str, int]] = set()
    for table, rowid, _parent, _fk in found:
        if (table, rowid) in seen or table not in SYNCED_COLUMNS:
            continue
        seen.add((table, rowid))
        cols = [c for c, _k in SYNCED_COLUMNS[table]]
        row = conn.exec_driver_sql(
            f"SELECT id, {', '.join(cols)} FROM {table} WHERE rowid = ?", (rowid,)
        ).first()
        if row is None:
            continue
        rid = row[0]
        hlcs = field_hlcs(s, [rid])
        fields = {c: (row[i + 1], hlcs.get((table, rid, c), "")) for i, c in enumerate(cols)}
        _stash(s, table, rid, fields)
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        moved += 1
    return moved


def _refresh_search_keys(s: Session, client_ids: Sequence[str]) -> None:
    conn = s.connection()
    rows = []
    for chunk in _chunks(list(client_ids)):
        marks = ",".join("?" * len(chunk))
        for cid, first, last, bsn in conn.exec_driver_sql(
            f"SELECT id, first_name, last_name, bsn FROM client WHERE id IN ({marks})",
            tuple(chunk),
        ):
            rows.append((search_key(first, last, bsn), cid))
    if rows:
        conn.exec_driver_sql("UPDATE client SET search_key = ? WHERE id = ?", rows)


def current_value(s: Session, table: str, rid: str, field: str) -> str | None:
    """The JSON text of a stored field (None when the record is absent)."""
    if (table, field) in VIRTUAL or (table, field) not in KIND:
        return None
    row = (
        s.connection()
        .exec_driver_sql(f'SELECT "{field}" FROM {table} WHERE id = ?', (rid,))
        .first()
    )
    if row is None:
        return None
    v = row[0]
    if KIND[(table, field)] == "bool" and v is not None:
        v = bool(v)
    return json.dumps(v, ensure_ascii=False)


def client_of(s: Session, table: str, rid: str) -> str | None:
    if table == "client":
        return rid
    if table in ("guardian", "consent", "trajectory", "contact", "appointment"):
        return (
            s.connection()
            .exec_driver_sql(f"SELECT client_id FROM {table} WHERE id = ?", (rid,))
            .scalar()
        )
    return None


# -- conflicts and quarantine ----------------------------------------------------------------

_CONFLICT_NS = uuid.UUID("6c1a4a52-3f0e-4f57-9a59-1d2a0c7f1b11")


def conflict_id(table: str, rid: str, field: str, loser_hlc: str) -> str:
    """The same lost value gets the same conflict id on every laptop (recorded once)."""
    return str(uuid.uuid5(_CONFLICT_NS, f"{table}:{rid}:{field}:{loser_hlc}"))


def record_conflict(
    s: Session,
    *,
    table: str,
    rid: str,
    field: str,
    value: str,
    loser_hlc: str,
    winner_hlc: str,
    client_id: str | None,
) -> bool:
    """Keep a losing value as a (synced) conflict record; False when it was kept already.

    Call outside :func:`applying`: the conflict itself goes to the outbox.
    """
    cid = conflict_id(table, rid, field, loser_hlc)
    conn = s.connection()
    if conn.exec_driver_sql("SELECT 1 FROM conflict WHERE id = ?", (cid,)).first():
        return False
    now = _now_text()
    conn.exec_driver_sql(
        "INSERT INTO conflict (id, record_table, record_id, field, value, hlc, winner_hlc, "
        "client_id, resolved_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
        (cid, table, rid, field, value, loser_hlc, winner_hlc, client_id, now, now),
    )
    return True


def quarantine(
    s: Session,
    *,
    change_id: str,
    origin: str,
    table: str,
    rid: str,
    field: str,
    value: str,
    hlc: str,
    reason: str,
) -> None:
    s.connection().exec_driver_sql(
        "INSERT INTO sync_quarantine (change_id, origin, tbl, record_id, field, value, hlc, "
        "reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            change_id,
            origin,
            table,
            rid,
            field,
            value,
            hlc,
            reason,
            datetime.now(UTC).isoformat(timespec="seconds"),
        ),
    )


def quarantine_count(s: Session) -> int:
    return int(s.connection().exec_driver_sql("SELECT count(*) FROM sync_quarantine").scalar() or 0)


def quarantined(s: Session) -> list[dict[str, Any]]:
    rows = s.connection().exec_driver_sql(
        "SELECT change_id, origin, tbl, record_id, field, reason, at FROM sync_quarantine "
        "ORDER BY id"
    )
    keys = ("change_id", "origin", "table", "record_id", "field", "reason", "at")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def write_field(s: Session, table: str, rid: str, field: str, json_text: str) -> bool:
    """A local edit of one field (restoring a conflict): captured like any other change."""
    if (table, field) not in KIND or (table, field) in VIRTUAL:
        return False
    value = to_column(table, field, json_text)
    n = (
        s.connection()
        .exec_driver_sql(
            f'UPDATE {table} SET "{field}" = ?, updated_at = ? WHERE id = ?',
            (value, _now_text(), rid),
        )
        .rowcount
    )
    if n and table == "client":
        _refresh_search_keys(s, [rid])
    return bool(n)


def conflicts_for(s: Session, client_id: str) -> list[tuple[Any, ...]]:
    """(id, table, record id, field, value, loser hlc, resolved_at) of a client, newest first."""
    return [
        tuple(r)
        for r in s.connection().exec_driver_sql(
            "SELECT id, record_table, record_id, field, value, hlc, resolved_at FROM conflict "
            "WHERE client_id = ? ORDER BY hlc DESC",
            (client_id,),
        )
    ]


def get_conflict(s: Session, conflict_id: str) -> tuple[str, str, str, str, str | None] | None:
    row = (
        s.connection()
        .exec_driver_sql(
            "SELECT record_table, record_id, field, value, client_id FROM conflict WHERE id = ?",
            (conflict_id,),
        )
        .first()
    )
    if row is None or (row[0], row[2]) not in KIND:
        return None
    return (row[0], row[1], row[2], row[3], row[4])


def resolve_conflict(s: Session, conflict_id: str) -> None:
    s.connection().exec_driver_sql(
        "UPDATE conflict SET resolved_at = ?, updated_at = ? WHERE id = ?",
        (datetime.now(UTC).isoformat(timespec="seconds"), _now_text(), conflict_id),
    )


def set_meta_values(s: Session, values: dict[str, str]) -> None:
    s.connection().exec_driver_sql(
        "INSERT INTO store_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )


def touch_clients(s: Session, client_ids: Iterable[str]) -> None:
    """``repo.touch_client_file`` for many clients in one statement per chunk: the retention
    clock restarts and the stored consent badge is cleared (recomputed after)."""
    ids = list(client_ids)
    now = _now_text()
    conn = s.connection()
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            "UPDATE client SET file_changed_at = ?, consent_badge = NULL, badge_until = NULL "
            f"WHERE id IN ({marks})",
            (now, *chunk),
        )


def has_provisional_rooms(s: Session) -> bool:
    return (
        s.connection()
        .exec_driver_sql(
            "SELECT 1 FROM appointment WHERE room_id IS NOT NULL AND room_state = 'provisional' "
            "LIMIT 1"
        )
        .first()
        is not None
    )


def set_room_states(s: Session, appointment_ids: Sequence[str], state: str) -> int:
    """The server's verdict on provisional room claims (a local change: captured)."""
    n = 0
    conn = s.connection()
    for chunk in _chunks(list(appointment_ids)):
        marks = ",".join("?" * len(chunk))
        n += conn.exec_driver_sql(
            f"UPDATE appointment SET room_state = ?, updated_at = ? WHERE id IN ({marks}) "
            "AND room_state = 'provisional'",
            (state, _now_text(), *chunk),
        ).rowcount
    return n
