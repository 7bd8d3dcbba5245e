"""Merge rules of sync: per-field last writer wins by HLC, and which losing value is a conflict.

Pure functions over HLC texts (``sync.hlc.Timestamp.encode``: fixed-width wall and counter,
then the node id, so text order is timestamp order and ties break by device id).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from liaison_desktop.sync.hlc import MAX_COUNTER


class Outcome(enum.Enum):
    APPLY = "apply"
    """The remote value is newer: apply it."""
    APPLY_LOCAL_LOST = "apply_local_lost"
    """Newer remote value over an unpushed local change: apply, keep the local value as conflict."""
    SKIP = "skip"
    """The remote value is older or the same change: nothing to do."""
    SKIP_REMOTE_LOST = "skip_remote_lost"
    """An unpushed local change is newer: keep it, keep the remote value as conflict."""


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome

    @property
    def applies(self) -> bool:
        return self.outcome in (Outcome.APPLY, Outcome.APPLY_LOCAL_LOST)

    @property
    def conflict(self) -> bool:
        return self.outcome in (Outcome.APPLY_LOCAL_LOST, Outcome.SKIP_REMOTE_LOST)


_DECISIONS = {o: Decision(o) for o in Outcome}


def newer(a: str, b: str | None) -> bool:
    """Whether HLC text ``a`` sorts after ``b`` (None: never set)."""
    return b is None or b == "" or a > b


def decide(
    remote_hlc: str,
    local_hlc: str | None,
    *,
    local_pending: bool,
    same_value: bool = False,
    derived: bool = False,
) -> Decision:
    """What to do with one pulled field change.

    ``local_hlc`` is the HLC of the field's current local value; ``local_pending`` says an
    unpushed local change of the field waits in the outbox. Equal values, derived fields and
    an identical HLC (the same change seen again) never make a conflict.
    """
    if remote_hlc == local_hlc:
        return _DECISIONS[Outcome.SKIP]
    quiet = same_value or derived or not local_pending
    if newer(remote_hlc, local_hlc):
        return _DECISIONS[Outcome.APPLY if quiet else Outcome.APPLY_LOCAL_LOST]
    return _DECISIONS[Outcome.SKIP if quiet else Outcome.SKIP_REMOTE_LOST]


K = TypeVar("K")


def latest_per_field(changes: Iterable[tuple[K, str, object]]) -> dict[K, tuple[str, object]]:
    """Of several changes of one field (``(key, hlc, payload)``), the one with the newest HLC."""
    out: dict[K, tuple[str, object]] = {}
    for key, hlc, payload in changes:
        cur = out.get(key)
        if cur is None or hlc > cur[0]:
            out[key] = (hlc, payload)
    return out


def max_hlc(values: Iterable[str]) -> str | None:
    best = None
    for v in values:
        if best is None or v > best:
            best = v
    return best


_HLC = re.compile(r"\d{15}-\d{5}-.+", re.ASCII | re.DOTALL)


def valid_hlc(text: str) -> bool:
    """Fixed-width wall (15 digits) and counter (5 digits), then a non-empty node id."""
    return _HLC.fullmatch(text) is not None and int(text[16:21]) <= MAX_COUNTER
