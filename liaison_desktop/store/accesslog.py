"""Appending to and reading the access log table; the chain rules live in domain.accesslog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from liaison_desktop.domain.accesslog import (
    GENESIS_HASH,
    HASHED_FIELDS,
    AccessEntry,
    ChainReport,
    entry_hash,
    verify_chain,
)
from liaison_desktop.domain.model import new_id
from liaison_desktop.store.models import AccessLogRow


def append(
    s: Session,
    *,
    actor_id: str,
    on_behalf_of: str,
    device_id: str,
    action: str,
    object_type: str,
    client_id: str | None = None,
    object_id: str | None = None,
    at: datetime | None = None,
) -> AccessLogRow:
    """Append one entry inside the caller's write transaction (which holds the write lock)."""
    last = s.execute(
        select(AccessLogRow.seq, AccessLogRow.hash).order_by(AccessLogRow.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    values: dict[str, object] = {
        "seq": seq,
        "id": new_id(),
        "at": (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "on_behalf_of": on_behalf_of,
        "client_id": client_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "device_id": device_id,
        "prev_hash": prev_hash,
    }
    row = AccessLogRow(**values, hash=entry_hash(values))
    s.add(row)
    s.flush()
    return row


def _to_entry(row: AccessLogRow) -> AccessEntry:
    return AccessEntry(**{name: getattr(row, name) for name in (*HASHED_FIELDS, "hash")})


def entries(s: Session, client_id: str | None = None) -> Iterator[AccessEntry]:
    """Entries in sequence order, optionally only those about one client."""
    q = select(AccessLogRow).order_by(AccessLogRow.seq)
    if client_id is not None:
        q = q.where(AccessLogRow.client_id == client_id)
    for row in s.scalars(q.execution_options(yield_per=2000)):
        yield _to_entry(row)


def verify(s: Session) -> ChainReport:
    """Verify the whole chain; reports the first broken entry."""
    return verify_chain(entries(s))
