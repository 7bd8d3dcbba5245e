"""The first free moments for a conversation inside part-days at a practice.

A moment is free when a conversation there would have no conflict at all by the rules in
:mod:`liaison_desktop.domain.conflicts` (the same rules the week view shows), so offering a
slot and checking it can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from liaison_desktop.domain.conflicts import ConflictKind, ScheduleIndex
from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.domain.model import Appointment, AppointmentKind
from liaison_desktop.domain.schedule import PlannedPartDay

_ROOM_KINDS = frozenset({ConflictKind.ROOM_DOUBLE_BOOKED, ConflictKind.NO_ROOM})
CANDIDATE_ID = "free-slot-candidate"


@dataclass(frozen=True, slots=True)
class FreeSlot:
    """A free moment: when, where, in which room (None when the practice has no rooms)."""

    start: datetime
    end: datetime
    practice_id: str
    room_id: str | None
    part_day: PlannedPartDay


def round_up(moment: datetime, step_min: int) -> datetime:
    """The first moment at or after ``moment`` on a multiple of ``step_min`` minutes."""
    base = moment.replace(second=0, microsecond=0)
    if base < moment:
        base += timedelta(minutes=1)
    over = (base.hour * 60 + base.minute) % step_min
    return base + timedelta(minutes=(step_min - over) % step_min)


def first_free_slots(
    index: ScheduleIndex,
    part_days: Sequence[PlannedPartDay],
    *,
    practice_id: str,
    room_ids: Sequence[str],
    after: datetime,
    duration_min: int,
    count: int = 5,
    per_part_day: int = 2,
    client_id: str | None = None,
) -> list[FreeSlot]:
    """Up to ``count`` free moments after ``after``, at most ``per_part_day`` per part-day.

    ``part_days`` are the planned part-days of the period (any practice; only those at
    ``practice_id`` are used) and ``index`` knows every appointment of the period. Rooms are
    tried in the order: the part-day's own room, then ``room_ids``. A practice without rooms
    still gets slots (without a room), since the professional may arrange one on the spot.
    """
    if duration_min <= 0:
        raise ValidationError(
            [DomainError("duration_invalid", "De duur moet groter dan nul zijn.", "duration_min")]
        )
    if count < 1:
        return []
    step = max(5, index.settings.slot_step_min)
    duration = timedelta(minutes=duration_min)
    ignore = _ROOM_KINDS if not room_ids else frozenset()
    out: list[FreeSlot] = []
    for p in sorted(part_days, key=lambda p: p.start):
        if p.practice_id != practice_id or p.end <= after:
            continue
        rooms = _room_order(p.room_id, room_ids)
        spans = index.day(p.day).spans
        found = 0
        start = round_up(max(p.start, after), step)
        while start + duration <= p.end and found < per_part_day:
            # Cheap first: while the professional is busy, jump past whatever is in the way
            # (the full check below would only report the overlap).
            end = start + duration
            busy_until = max(
                (s.end for s in spans if s.start < end and start < s.end), default=None
            )
            if busy_until is not None:
                start = round_up(busy_until, step)
                continue
            room = _free_room(index, practice_id, start, duration_min, rooms, ignore, client_id)
            if room is _BUSY:
                start += timedelta(minutes=step)
                continue
            out.append(FreeSlot(start, start + duration, practice_id, room, p))  # type: ignore[arg-type]
            if len(out) == count:
                return out
            found += 1
            start = round_up(start + duration, step)
    return out


_BUSY = object()


def _room_order(own: str | None, room_ids: Sequence[str]) -> list[str | None]:
    rooms: list[str | None] = [own] if own in room_ids else []
    rooms += [r for r in room_ids if r != own]
    return rooms or [None]


def _free_room(
    index: ScheduleIndex,
    practice_id: str,
    start: datetime,
    duration_min: int,
    rooms: Sequence[str | None],
    ignore: frozenset[ConflictKind],
    client_id: str | None,
) -> str | None | object:
    """The first room in which a conversation at ``start`` has no conflict, else _BUSY."""
    for room in rooms:
        proposal = Appointment(
            practice_id=practice_id,
            start=start,
            duration_min=duration_min,
            kind=AppointmentKind.CONVERSATION,
            client_id=client_id or CANDIDATE_ID,
            room_id=room,
            id=CANDIDATE_ID,
        )
        kinds = {c.kind for c in index.conflicts_of(proposal)} - ignore
        if not kinds:
            return room
        if not kinds <= _ROOM_KINDS:
            return _BUSY  # another room will not help
    return _BUSY
