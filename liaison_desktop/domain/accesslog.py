"""The access log's hash chain (NEN 7513 style): entry hashing and chain verification as plain functions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS_HASH = "0" * 64

# The fields that the hash covers, in order. Changing this list breaks every existing chain.
HASHED_FIELDS = (
    "seq",
    "id",
    "at",
    "actor_id",
    "on_behalf_of",
    "client_id",
    "action",
    "object_type",
    "object_id",
    "device_id",
    "prev_hash",
)


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One logged access: who, on whose behalf, which client (by id), what, when, from which device."""

    seq: int
    id: str
    at: str  # ISO 8601 UTC timestamp, as stored
    actor_id: str
    on_behalf_of: str
    client_id: str | None
    action: str
    object_type: str
    object_id: str | None
    device_id: str
    prev_hash: str
    hash: str


def entry_hash(values: dict[str, object]) -> str:
    """SHA-256 over the canonical JSON of the hashed fields (which include the previous hash)."""
    canonical = json.dumps(
        [values[name] for name in HASHED_FIELDS], separators=(",", ":"), ensure_ascii=True
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainReport:
    """Outcome of verifying the chain: ``first_broken_seq`` is None when intact."""

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def verify_chain(entries: Iterable[AccessEntry]) -> ChainReport:
    """Walk the entries in sequence order and report the first one that breaks the chain.

    An entry is broken when its stored hash does not match its content, when its
    ``prev_hash`` is not the previous entry's hash, or when a sequence number is missing
    (an entry was removed).
    """
    prev_hash = GENESIS_HASH
    prev_seq: int | None = None
    checked = 0
    for e in entries:
        if prev_seq is not None and e.seq != prev_seq + 1:
            return ChainReport(False, checked, e.seq, f"Regel(s) vóór nummer {e.seq} ontbreken.")
        if e.prev_hash != prev_hash:
            return ChainReport(
                False, checked, e.seq, f"Regel {e.seq} sluit niet aan op de vorige regel."
            )
        values = {name: getattr(e, name) for name in HASHED_FIELDS}
        if entry_hash(values) != e.hash:
            return ChainReport(False, checked, e.seq, f"Regel {e.seq} is gewijzigd.")
        prev_hash = e.hash
        prev_seq = e.seq
        checked += 1
    return ChainReport(True, checked)
