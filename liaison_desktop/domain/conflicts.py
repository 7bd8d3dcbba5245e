"""Schedule conflicts as pure functions: each rule looks at one day and says what clashes.

Conflicts are shown, never silently prevented: the professional may go ahead with a reason,
which is kept on the appointment. Messages are Dutch and name no client (only times and
figures); the interface adds practice names and colours itself.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from liaison_desktop.domain.model import Appointment, AppointmentKind, RoomBookingState
from liaison_desktop.domain.schedule import PlannedPartDay, ScheduleSettings

K = AppointmentKind
# Enum members looked up once: attribute access on an enum class is slow in a hot loop.
_CONVERSATION = K.CONVERSATION
_DECLINED = RoomBookingState.DECLINED


class ConflictKind(StrEnum):
    OVERLAP = "overlap"
    OUTSIDE_PART_DAY = "outside_part_day"
    ROOM_DOUBLE_BOOKED = "room_double_booked"
    HOLIDAY = "holiday"
    LEAVE = "leave"
    TRAVEL_TIME = "travel_time"
    OVERBOOKED = "overbooked"
    NO_ROOM = "no_room"


@dataclass(frozen=True, slots=True)
class Conflict:
    """One clash on one day, with the appointments it concerns and a Dutch explanation."""

    kind: ConflictKind
    day: date
    appointment_ids: tuple[str, ...]
    message: str
    practice_id: str | None = None
    part_day: PlannedPartDay | None = None

    def involves(self, appointment_id: str) -> bool:
        return appointment_id in self.appointment_ids


class Span(NamedTuple):
    """An appointment with its end worked out once."""

    start: datetime
    end: datetime
    appointment: Appointment


_DURATIONS: dict[int, timedelta] = {}


def span(a: Appointment) -> Span:
    d = _DURATIONS.get(a.duration_min)
    if d is None:
        d = _DURATIONS[a.duration_min] = timedelta(minutes=a.duration_min)
    return Span(a.start, a.start + d, a)


def _key(s: Span) -> tuple[datetime, str]:
    return (s.start, s.appointment.id)


@dataclass(slots=True)
class Day:
    """Everything the rules need about one date."""

    day: date
    spans: list[Span] = field(default_factory=list)  # sorted by start
    part_days: list[PlannedPartDay] = field(default_factory=list)
    holiday: str | None = None
    leave: str | None = None  # the leave's note ('' when none was given)


def _hm(t: datetime) -> str:
    return f"{t:%H:%M}"


def _minutes(td: timedelta) -> int:
    return int(td.total_seconds() // 60)


def _duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} u" if not rest else f"{hours} u {rest} min"


# -- the rules, one per kind of conflict ------------------------------------------------------


def overlapping_pairs(spans: Sequence[Span]) -> list[tuple[Span, Span]]:
    """Every pair of spans (sorted by start) that overlap in time."""
    pairs = []
    n = len(spans)
    for i in range(n - 1):
        a = spans[i]
        end = a.end
        for j in range(i + 1, n):
            b = spans[j]
            if b.start >= end:
                break
            pairs.append((a, b))
    return pairs


def overlapping(
    spans: Sequence[Span], pairs: Sequence[tuple[Span, Span]] | None = None
) -> list[Conflict]:
    """Pairs of appointments that overlap in time (the professional is in one place at once).

    ``pairs`` may pass :func:`overlapping_pairs` when the caller has it already.
    """
    return [
        Conflict(
            ConflictKind.OVERLAP,
            a.start.date(),
            (a.appointment.id, b.appointment.id),
            f"Overlapt met een andere afspraak: {_hm(a.start)}–{_hm(a.end)} en "
            f"{_hm(b.start)}–{_hm(b.end)}.",
            a.appointment.practice_id,
        )
        for a, b in (overlapping_pairs(spans) if pairs is None else pairs)
    ]


def room_double_booked(
    spans: Sequence[Span], pairs: Sequence[tuple[Span, Span]] | None = None
) -> list[Conflict]:
    """A room booked by two overlapping appointments, or refused by the central agenda."""
    out = [
        Conflict(
            ConflictKind.ROOM_DOUBLE_BOOKED,
            s.start.date(),
            (s.appointment.id,),
            "De centrale agenda meldt dat deze werkruimte op dit moment al door een "
            "collega is geboekt.",
            s.appointment.practice_id,
        )
        for s in spans
        if s.appointment.room_state is _DECLINED and s.appointment.room_id is not None
    ]
    for a, b in overlapping_pairs(spans) if pairs is None else pairs:
        room = a.appointment.room_id
        if room is not None and b.appointment.room_id == room:
            out.append(
                Conflict(
                    ConflictKind.ROOM_DOUBLE_BOOKED,
                    a.start.date(),
                    (a.appointment.id, b.appointment.id),
                    f"De werkruimte is twee keer geboekt: {_hm(a.start)}–{_hm(a.end)} en "
                    f"{_hm(b.start)}–{_hm(b.end)}.",
                    a.appointment.practice_id,
                )
            )
    return out


AT_PRACTICE_KINDS = frozenset({K.CONVERSATION, K.GP_CONSULTATION})
"""Kinds that happen at the practice, inside a part-day there."""


def outside_part_day(spans: Sequence[Span], part_days: Sequence[PlannedPartDay]) -> list[Conflict]:
    """Conversations and GP consultations not wholly inside a part-day at their practice."""
    out = []
    for s in spans:
        a = s.appointment
        practice = a.practice_id
        if practice is None or a.kind not in AT_PRACTICE_KINDS:
            continue
        start, end = s.start, s.end
        for p in part_days:  # a day has a few part-days at most
            if p.practice_id == practice and p.start <= start and end <= p.end:
                break
        else:
            out.append(_outside(s, [p for p in part_days if p.practice_id == practice]))
    return out


def _outside(s: Span, here: Sequence[PlannedPartDay]) -> Conflict:
    a = s.appointment
    if here:
        hours = ", ".join(f"{_hm(p.start)}–{_hm(p.end)}" for p in here)
        message = f"Valt (deels) buiten het dagdeel bij deze praktijk ({hours})."
    else:
        message = "Er is op deze dag geen dagdeel bij deze praktijk."
    return Conflict(ConflictKind.OUTSIDE_PART_DAY, s.start.date(), (a.id,), message, a.practice_id)


def on_holiday_or_leave(
    spans: Sequence[Span], holiday: str | None, leave: str | None
) -> list[Conflict]:
    """Appointments on a public holiday or during the professional's leave."""
    if holiday is None and leave is None:
        return []
    out = []
    for s in spans:
        a = s.appointment
        if holiday is not None:
            out.append(
                Conflict(
                    ConflictKind.HOLIDAY,
                    s.start.date(),
                    (a.id,),
                    f"Valt op een feestdag ({holiday}).",
                    a.practice_id,
                )
            )
        if leave is not None:
            out.append(
                Conflict(
                    ConflictKind.LEAVE,
                    s.start.date(),
                    (a.id,),
                    "Valt tijdens verlof.",
                    a.practice_id,
                )
            )
    return out


def travel_too_short(spans: Sequence[Span], settings: ScheduleSettings) -> list[Conflict]:
    """Too little time between appointments at two different practices.

    Blocks away from the practices (travel, a team meeting elsewhere) are skipped, so the
    time of a travel block counts as travel time.
    """
    located = [s for s in spans if s.appointment.practice_id is not None]
    out = []
    for a, b in zip(located, located[1:], strict=False):
        pa, pb = a.appointment.practice_id, b.appointment.practice_id
        if pa == pb:
            continue
        gap = _minutes(b.start - a.end)
        need = settings.travel_minutes(pa, pb)
        if 0 <= gap < need:
            out.append(
                Conflict(
                    ConflictKind.TRAVEL_TIME,
                    a.start.date(),
                    (a.appointment.id, b.appointment.id),
                    f"Te weinig reistijd tussen twee praktijken: {_duration_text(gap)}, "
                    f"nodig is {_duration_text(need)}.",
                    pb,
                )
            )
    return out


def overbooked(
    spans: Sequence[Span], part_days: Sequence[PlannedPartDay], settings: ScheduleSettings
) -> list[Conflict]:
    """Part-days with more appointments than fit: above their maximum, or too long together.

    An appointment belongs to the part-day at its practice in which it starts; each
    conversation takes ``settings.changeover_min`` extra.
    """
    out = []
    changeover = settings.changeover_min
    for p in part_days:
        start, end, practice = p.start, p.end, p.practice_id
        inside = [
            s
            for s in spans
            if start <= s.start < end
            and s.appointment.practice_id == practice
            and s.appointment.kind in AT_PRACTICE_KINDS
        ]
        if not inside:
            continue
        needed = sum(
            s.appointment.duration_min + (changeover if s.appointment.kind is _CONVERSATION else 0)
            for s in inside
        )
        if p.max_appointments is not None and len(inside) > p.max_appointments:
            message = (
                f"Meer afspraken ({len(inside)}) dan er in dit dagdeel passen "
                f"({p.max_appointments})."
            )
        elif needed > p.minutes:
            message = (
                f"De afspraken in dit dagdeel duren samen {_duration_text(needed)}; "
                f"het dagdeel duurt {_duration_text(p.minutes)}."
            )
        else:
            continue
        ids = tuple(s.appointment.id for s in inside)
        out.append(Conflict(ConflictKind.OVERBOOKED, p.day, ids, message, p.practice_id, p))
    return out


def missing_room(
    spans: Sequence[Span], practices_with_rooms: frozenset[str] | None = None
) -> list[Conflict]:
    """Conversations at a practice without a room (a suitable room is a precondition)."""
    out = []
    for s in spans:
        a = s.appointment
        if a.kind is not _CONVERSATION or a.practice_id is None or a.room_id is not None:
            continue
        if practices_with_rooms is not None and a.practice_id not in practices_with_rooms:
            message = "Deze praktijk heeft nog geen werkruimte; leg er een vast bij de praktijk."
        else:
            message = "Er is geen werkruimte gekozen voor dit gesprek."
        out.append(Conflict(ConflictKind.NO_ROOM, s.start.date(), (a.id,), message, a.practice_id))
    return out


def day_conflicts(
    day: Day, settings: ScheduleSettings, practices_with_rooms: frozenset[str] | None = None
) -> list[Conflict]:
    """Every conflict on one day."""
    spans = day.spans
    if not spans:
        return []
    pairs = overlapping_pairs(spans)
    return [
        *overlapping(spans, pairs),
        *room_double_booked(spans, pairs),
        *outside_part_day(spans, day.part_days),
        *on_holiday_or_leave(spans, day.holiday, day.leave),
        *travel_too_short(spans, settings),
        *overbooked(spans, day.part_days, settings),
        *missing_room(spans, practices_with_rooms),
    ]


# -- many days at once ------------------------------------------------------------------------


class ScheduleIndex:
    """Appointments and part-days grouped by date, for checking a period or a proposal.

    ``practices_with_rooms`` (when given) lets the room rule say that a practice has no room
    at all rather than that none was chosen.
    """

    def __init__(
        self,
        appointments: Iterable[Appointment],
        part_days: Iterable[PlannedPartDay],
        *,
        settings: ScheduleSettings | None = None,
        holidays: Mapping[date, str] | None = None,
        leave: Mapping[date, str] | None = None,
        practices_with_rooms: Iterable[str] | None = None,
    ) -> None:
        self.settings = settings or ScheduleSettings()
        self.holidays = dict(holidays or {})
        self.leave = dict(leave or {})
        self.practices_with_rooms = (
            frozenset(practices_with_rooms) if practices_with_rooms is not None else None
        )
        self._days: dict[date, Day] = {}
        # One sort of everything; each day's list then fills in start order.
        spans = sorted(map(span, appointments), key=_key)
        current: Day | None = None
        for s in spans:
            d = s.start.date()
            if current is None or current.day != d:
                current = self._day(d)
            current.spans.append(s)
        for p in part_days:
            self._day(p.day).part_days.append(p)

    def _day(self, d: date) -> Day:
        found = self._days.get(d)
        if found is None:
            found = self._days[d] = Day(d, holiday=self.holidays.get(d), leave=self.leave.get(d))
        return found

    def day(self, d: date) -> Day:
        """The day's facts (an empty day when nothing is planned)."""
        found = self._days.get(d)
        return found or Day(d, holiday=self.holidays.get(d), leave=self.leave.get(d))

    def conflicts(self) -> list[Conflict]:
        """Every conflict, day by day in date order."""
        out: list[Conflict] = []
        for d in sorted(self._days):
            out += day_conflicts(self._days[d], self.settings, self.practices_with_rooms)
        return out

    def conflicts_of(self, proposal: Appointment) -> list[Conflict]:
        """The conflicts a new or moved appointment would have (its old version left out)."""
        day = self.day(proposal.start.date())
        spans = [s for s in day.spans if s.appointment.id != proposal.id]
        bisect.insort(spans, span(proposal), key=_key)
        trial = replace(day, spans=spans)
        return [
            c
            for c in day_conflicts(trial, self.settings, self.practices_with_rooms)
            if c.involves(proposal.id)
        ]


def by_appointment(conflicts: Iterable[Conflict]) -> dict[str, list[Conflict]]:
    """Conflicts per appointment id (a conflict between two shows at both)."""
    out: dict[str, list[Conflict]] = {}
    for c in conflicts:
        for aid in c.appointment_ids:
            out.setdefault(aid, []).append(c)
    return out


def summary(conflicts: Sequence[Conflict]) -> str:
    """All messages as one Dutch text, each once."""
    return " ".join(dict.fromkeys(c.message for c in conflicts))
