"""Arbitration of shared room bookings: of two overlapping claims on one room the first one
stored wins; the loser learns it on its next pull, with free times of that room that day.

Read from the current field state (``sync_fields``) of the clear appointment fields
``room_id``, ``start``, ``duration_min``, ``room_state`` and the tombstone; when a claim was
stored is the receive time of the newest of its room/start/duration changes. Computed on
request (``pull?bookings=1``, last page), so an ordinary pull costs nothing extra.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from liaison_desktop.server.sync_models import SyncChange, SyncField
from liaison_desktop.sync.protocol import DELETED_FIELD

TABLE = "appointment"
CLAIM_FIELDS = ("room_id", "start", "duration_min")
FIELDS = (*CLAIM_FIELDS, "room_state", DELETED_FIELD)
DAY_START = time(8, 0)
DAY_END = time(18, 0)
STEP = timedelta(minutes=15)
MAX_ALTERNATIVES = 5


@dataclass
class Claim:
    user_id: str
    appointment_id: str
    room_id: str
    start: datetime
    end: datetime
    state: str
    claimed_at: datetime
    """When the newest of room/start/duration was stored (the claim's place in line)."""

    def overlaps(self, other: Claim) -> bool:
        return self.start < other.end and other.start < self.end

    def beats(self, other: Claim) -> bool:
        return (self.claimed_at, self.appointment_id) < (other.claimed_at, other.appointment_id)


def _value(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _claims(s: Session, where: Any) -> list[Claim]:
    """The live room claims among the appointments selected by ``where`` on sync_fields."""
    rows = s.execute(
        select(
            SyncField.user_id,
            SyncField.record_id,
            SyncField.field,
            SyncField.value,
            SyncChange.received_at,
        )
        .join(
            SyncChange,
            and_(SyncChange.user_id == SyncField.user_id, SyncChange.seq == SyncField.seq),
        )
        .where(SyncField.table_name == TABLE, SyncField.field.in_(FIELDS), where)
    ).all()
    by_record: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    stamps: dict[tuple[str, str], datetime] = {}
    for user_id, record_id, field, value, received_at in rows:
        key = (user_id, record_id)
        by_record[key][field] = _value(value)
        if field in CLAIM_FIELDS and (key not in stamps or received_at > stamps[key]):
            stamps[key] = received_at
    out = []
    for (user_id, record_id), f in by_record.items():
        if f.get(DELETED_FIELD) is True or f.get("room_state") == "declined":
            continue
        room, start, minutes = f.get("room_id"), f.get("start"), f.get("duration_min")
        if not isinstance(room, str) or not room or not isinstance(start, str):
            continue
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            continue
        try:
            begin = datetime.fromisoformat(start)
        except ValueError:
            continue
        out.append(
            Claim(
                user_id,
                record_id,
                room,
                begin,
                begin + timedelta(minutes=minutes),
                str(f.get("room_state") or "provisional"),
                stamps[(user_id, record_id)],
            )
        )
    return out


def _alternatives(day: date, length: timedelta, taken: list[Claim]) -> list[dict[str, str]]:
    out = []
    t = datetime.combine(day, DAY_START)
    last = datetime.combine(day, DAY_END)
    while t + length <= last and len(out) < MAX_ALTERNATIVES:
        end = t + length
        if not any(c.start < end and t < c.end for c in taken):
            out.append({"start": t.isoformat(sep=" "), "end": end.isoformat(sep=" ")})
        t += STEP
    return out


def arbitrate(s: Session, user_id: str) -> tuple[list[dict[str, Any]], list[str]]:
    """(conflicts, confirmed) for the user's provisional claims.

    A conflict names the appointment, its room and time, the time the winning claim
    started, and up to five free times of the same length in that room on that day
    (08:00-18:00, in steps of 15 minutes). Confirmed lists the provisional claims that
    overlap no earlier one.
    """
    mine = [c for c in _claims(s, SyncField.user_id == user_id) if c.state == "provisional"]
    if not mine:
        return [], []
    rooms = sorted({c.room_id for c in mine})
    in_rooms = (
        select(SyncField.record_id)
        .where(
            SyncField.table_name == TABLE,
            SyncField.field == "room_id",
            SyncField.value.in_([json.dumps(r) for r in rooms]),
        )
        .scalar_subquery()
    )
    everyone = _claims(s, SyncField.record_id.in_(in_rooms))
    by_room: dict[str, list[Claim]] = defaultdict(list)
    for c in everyone:
        by_room[c.room_id].append(c)
    conflicts, confirmed = [], []
    for c in sorted(mine, key=lambda x: (x.start, x.appointment_id)):
        others = [o for o in by_room[c.room_id] if o.appointment_id != c.appointment_id]
        winners = [o for o in others if o.overlaps(c) and o.beats(c)]
        if not winners:
            confirmed.append(c.appointment_id)
            continue
        first = min(winners, key=lambda o: (o.start, o.appointment_id))
        conflicts.append(
            {
                "appointment_id": c.appointment_id,
                "room_id": c.room_id,
                "start": c.start.isoformat(sep=" "),
                "end": c.end.isoformat(sep=" "),
                "taken_from": first.start.isoformat(sep=" "),
                "taken_until": first.end.isoformat(sep=" "),
                "alternatives": _alternatives(c.start.date(), c.end - c.start, others),
            }
        )
    return conflicts, confirmed
