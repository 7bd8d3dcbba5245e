"""The week schedule: weekly part-day patterns with exceptions, expanded into dated part-days.

Every date and time here is local wall-clock time in Europe/Amsterdam, kept naive: an
appointment at 09:00 is 09:00 in March and in November. Only the calendar export turns it
into an instant (with a TZID). Date ranges are inclusive (``first`` to ``last``), time spans
half-open (``start`` up to ``end``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.domain.model import (
    Appointment,
    AppointmentKind,
    PartDay,
    PartOfDay,
    RoomBookingState,
    ScheduleException,
    ScheduleExceptionKind,
)
from liaison_desktop.domain.validation import MAX_DURATION_MIN

TIMEZONE = "Europe/Amsterdam"
"""The one time zone of the app's wall-clock times (used by the calendar export)."""

X = ScheduleExceptionKind
_MIDNIGHT = time(0, 0)


# -- settings ---------------------------------------------------------------------------------


class CalendarLabel(StrEnum):
    """How a client shows in an exported calendar: never by name."""

    CODE = "code"  # K-3F9A-2C71, derived from the record id
    INITIALS = "initials"  # S.V.


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    """The professional's schedule settings (kept in the encrypted store).

    ``travel`` holds minutes of travel per pair of practices (either order); pairs not in it
    take ``default_travel_min``. ``changeover_min`` is the time after each conversation
    (notes, fetching the next family) that counts when checking whether a part-day is full.
    """

    travel: Mapping[tuple[str, str], int] = field(default_factory=dict)
    default_travel_min: int = 30
    changeover_min: int = 0
    conversation_min: int = 45
    slot_step_min: int = 15
    calendar_label: CalendarLabel = CalendarLabel.CODE

    def travel_minutes(self, a: str | None, b: str | None) -> int:
        """Minutes needed between two practices (0 for the same one or an unknown place)."""
        if a is None or b is None or a == b:
            return 0
        return self.travel.get(_pair(a, b), self.default_travel_min)

    def with_travel(self, a: str, b: str, minutes: int) -> ScheduleSettings:
        if minutes < 0:
            raise ValidationError(
                [DomainError("travel_negative", "Reistijd kan niet negatief zijn.", "travel")]
            )
        travel = dict(self.travel)
        travel[_pair(a, b)] = minutes
        return replace(self, travel=travel)

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "travel": [[a, b, m] for (a, b), m in sorted(self.travel.items())],
            "default_travel_min": self.default_travel_min,
            "changeover_min": self.changeover_min,
            "conversation_min": self.conversation_min,
            "slot_step_min": self.slot_step_min,
            "calendar_label": self.calendar_label.value,
        }
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> ScheduleSettings:
        """Settings from their stored text; missing or unknown keys fall back to defaults."""
        if not text:
            return cls()
        data = json.loads(text)
        defaults = cls()
        return cls(
            travel={_pair(a, b): int(m) for a, b, m in data.get("travel", [])},
            default_travel_min=int(data.get("default_travel_min", defaults.default_travel_min)),
            changeover_min=int(data.get("changeover_min", defaults.changeover_min)),
            conversation_min=int(data.get("conversation_min", defaults.conversation_min)),
            slot_step_min=int(data.get("slot_step_min", defaults.slot_step_min)),
            calendar_label=CalendarLabel(data.get("calendar_label", defaults.calendar_label)),
        )


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


# -- dated part-days --------------------------------------------------------------------------


@dataclass(slots=True)
class PlannedPartDay:
    """One part-day on a date: from the weekly pattern, a swap or an extra part-day.

    Treat as read-only (not frozen only because frozen dataclasses are slow to build and a
    year holds hundreds of these).
    """

    practice_id: str
    day: date
    part: PartOfDay
    start: datetime
    end: datetime
    room_id: str | None = None
    room_state: RoomBookingState = RoomBookingState.PROVISIONAL
    max_appointments: int | None = None
    pattern_id: str | None = None
    exception_id: str | None = None

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


def appointment_end(a: Appointment) -> datetime:
    return a.start + timedelta(minutes=a.duration_min)


def days(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def week_start(day: date) -> date:
    """The Monday of the ISO week that holds ``day``."""
    return day - timedelta(days=day.weekday())


def iso_weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last."""
    return date(year, 12, 28).isocalendar().week


def check_period(first: date, last: date, field: str = "last") -> None:
    """Refuse a period that ends before it starts."""
    if last < first:
        raise ValidationError(
            [DomainError("end_before_start", "De einddatum ligt vóór de begindatum.", field)]
        )


@lru_cache(maxsize=64)
def _holidays_of_year(year: int) -> Mapping[date, str]:
    import holidays  # imported lazily: building the tables takes a while

    return dict(holidays.country_holidays("NL", years=year, language="nl"))


def public_holidays(first: date, last: date) -> dict[date, str]:
    """Dutch public holidays (with their Dutch names) from ``first`` to ``last``."""
    out: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        for d, name in _holidays_of_year(year).items():
            if first <= d <= last:
                out[d] = name
    return out


def leave_days(exceptions: Iterable[ScheduleException], first: date, last: date) -> dict[date, str]:
    """The days of leave from ``first`` to ``last``, each with the leave's note."""
    out: dict[date, str] = {}
    for e in exceptions:
        if e.kind is not X.LEAVE:
            continue
        for d in days(max(e.day, first), min(e.end_day or e.day, last)):
            out[d] = e.note
    return out


def expand(
    patterns: Sequence[PartDay],
    exceptions: Sequence[ScheduleException],
    first: date,
    last: date,
    holidays: Mapping[date, str] | None = None,
) -> list[PlannedPartDay]:
    """The part-days from ``first`` to ``last``, sorted by start.

    A pattern gives a part-day on its weekday while valid, except on public holidays, during
    leave, and where an exception cancels or moves that occurrence. Swapped and extra
    part-days are explicit choices, so they are kept on a holiday (the conflict check still
    marks appointments there) but not during leave.
    """
    check_period(first, last)
    if holidays is None:
        holidays = public_holidays(first, last)
    leave = leave_days(exceptions, first, last)
    by_id = {p.id: p for p in patterns}
    changed = {(e.part_day_id, e.day) for e in exceptions if e.kind in (X.CANCELLED, X.SWAP)}
    week = timedelta(days=7)
    out: list[PlannedPartDay] = []
    for p in patterns:
        # Step a week at a time from the pattern's first weekday in the period.
        d = max(first, p.valid_from)
        d += timedelta(days=(p.weekday - d.weekday()) % 7)
        until = last if p.valid_to is None else min(last, p.valid_to)
        while d <= until:
            if d not in holidays and d not in leave and (p.id, d) not in changed:
                out.append(_planned(p, d))
            d += week
    for e in exceptions:
        planned = _planned_exception(e, by_id)
        if planned is not None and first <= planned.day <= last and planned.day not in leave:
            out.append(planned)
    out.sort(key=_by_start)
    return out


def _by_start(p: PlannedPartDay) -> tuple[datetime, str]:
    return (p.start, p.practice_id)


def _planned(p: PartDay, d: date) -> PlannedPartDay:
    return PlannedPartDay(
        practice_id=p.practice_id,
        day=d,
        part=p.part,
        start=datetime.combine(d, p.start_time),
        end=datetime.combine(d, p.end_time),
        room_id=p.room_id,
        room_state=p.room_state,
        max_appointments=p.max_appointments,
        pattern_id=p.id,
    )


def _planned_exception(
    e: ScheduleException, patterns: Mapping[str, PartDay]
) -> PlannedPartDay | None:
    """The part-day a swap or extra exception makes (None for leave and cancellations)."""
    if e.kind is X.EXTRA:
        if e.practice_id is None or e.start_time is None or e.end_time is None:
            return None
        d = e.day
        return PlannedPartDay(
            practice_id=e.practice_id,
            day=d,
            part=e.part or part_of_day(e.start_time),
            start=datetime.combine(d, e.start_time),
            end=datetime.combine(d, e.end_time),
            room_id=e.room_id,
            room_state=e.room_state,
            exception_id=e.id,
        )
    if e.kind is X.SWAP:
        p = patterns.get(e.part_day_id or "")
        if p is None:
            return None
        d = e.new_day or e.day
        start_time, end_time = e.start_time or p.start_time, e.end_time or p.end_time
        room_changed = e.room_id is not None and e.room_id != p.room_id
        return PlannedPartDay(
            practice_id=p.practice_id,
            day=d,
            part=e.part or part_of_day(start_time),
            start=datetime.combine(d, start_time),
            end=datetime.combine(d, end_time),
            room_id=e.room_id or p.room_id,
            room_state=e.room_state if room_changed or d != e.day else p.room_state,
            max_appointments=p.max_appointments,
            pattern_id=p.id,
            exception_id=e.id,
        )
    return None


def part_of_day(start: time) -> PartOfDay:
    """The part of day a start time falls in (before 12:00, before 17:30, later)."""
    if start < time(12, 0):
        return PartOfDay.MORNING
    if start < time(17, 30):
        return PartOfDay.AFTERNOON
    return PartOfDay.EVENING


# -- validation -------------------------------------------------------------------------------


def _time_span_errors(start: time | None, end: time | None, field: str) -> list[DomainError]:
    if start is None or end is None:
        return [DomainError("times_required", "Vul een begin- en eindtijd in.", field)]
    if end == start:
        return [DomainError("duration_invalid", "De eindtijd is gelijk aan de begintijd.", field)]
    if end < start:
        # A naive time cannot tell 22:00-01:00 from a typo: both would end the next day.
        return [
            DomainError(
                "crosses_midnight",
                "De eindtijd ligt vóór de begintijd. Een dagdeel loopt niet over middernacht; "
                "splits het zo nodig in twee.",
                field,
            )
        ]
    return []


def validate_part_day(p: PartDay, practice_room_ids: Iterable[str] | None = None) -> None:
    """Check a weekly part-day: weekday, times on one day, validity and the room's practice."""
    errors: list[DomainError] = []
    if not 0 <= p.weekday <= 6:
        errors.append(DomainError("weekday_invalid", "Kies een dag van de week.", "weekday"))
    errors += _time_span_errors(p.start_time, p.end_time, "end_time")
    if p.valid_to is not None and p.valid_to < p.valid_from:
        errors.append(
            DomainError("end_before_start", "'Geldig tot' ligt vóór 'geldig vanaf'.", "valid_to")
        )
    if p.max_appointments is not None and p.max_appointments < 1:
        errors.append(
            DomainError(
                "max_appointments_invalid",
                "Het maximum aantal afspraken moet minstens 1 zijn.",
                "max_appointments",
            )
        )
    if p.room_id is not None and practice_room_ids is not None:
        if p.room_id not in set(practice_room_ids):
            errors.append(
                DomainError(
                    "room_other_practice",
                    "Deze werkruimte hoort niet bij de gekozen praktijk.",
                    "room_id",
                )
            )
    if errors:
        raise ValidationError(errors)


_NEEDS_CLIENT = frozenset({AppointmentKind.CONVERSATION})


def validate_appointment(a: Appointment) -> None:
    """Check an appointment: a positive duration, on one day, a client for a conversation."""
    errors: list[DomainError] = []
    if a.duration_min <= 0:
        errors.append(
            DomainError("duration_invalid", "De duur moet groter dan nul zijn.", "duration_min")
        )
    elif a.duration_min > MAX_DURATION_MIN:
        errors.append(
            DomainError(
                "duration_out_of_range",
                f"Een afspraak duurt hoogstens {MAX_DURATION_MIN} minuten.",
                "duration_min",
            )
        )
    else:
        end = appointment_end(a)
        midnight = datetime.combine(a.start.date() + timedelta(days=1), _MIDNIGHT)
        if end > midnight:
            errors.append(
                DomainError(
                    "crosses_midnight",
                    "Een afspraak moet op dezelfde dag eindigen.",
                    "duration_min",
                )
            )
    if a.kind in _NEEDS_CLIENT and not a.client_id:
        errors.append(
            DomainError("client_required", "Kies een cliënt voor het gesprek.", "client_id")
        )
    if a.room_id is not None and a.practice_id is None:
        errors.append(
            DomainError(
                "room_without_practice", "Kies eerst de praktijk van de werkruimte.", "room_id"
            )
        )
    if errors:
        raise ValidationError(errors)


def validate_exception(
    e: ScheduleException,
    existing: Iterable[ScheduleException] = (),
    patterns: Mapping[str, PartDay] | None = None,
) -> None:
    """Check one exception and refuse one that overlaps an existing exception.

    Overlapping means: two leave periods sharing a day; two changes to the same occurrence
    of a part-day; two extra or moved part-days at the same time; or an extra or moved
    part-day during leave.
    """
    patterns = patterns or {}
    errors: list[DomainError] = []
    if e.kind is X.LEAVE:
        if e.end_day is not None and e.end_day < e.day:
            errors.append(
                DomainError("end_before_start", "Het verlof eindigt vóór het begint.", "end_day")
            )
    elif e.kind in (X.CANCELLED, X.SWAP):
        if not e.part_day_id or (patterns and e.part_day_id not in patterns):
            errors.append(DomainError("part_day_required", "Kies het dagdeel.", "part_day_id"))
        elif patterns and patterns[e.part_day_id].weekday != e.day.weekday():
            errors.append(
                DomainError(
                    "part_day_not_on_day",
                    "Op deze datum valt dit dagdeel niet.",
                    "day",
                )
            )
        if e.kind is X.SWAP:
            if e.new_day is None and e.start_time is None and e.end_time is None:
                errors.append(
                    DomainError("swap_target_required", "Kies de nieuwe dag of tijd.", "new_day")
                )
            elif e.start_time is not None or e.end_time is not None:
                p = patterns.get(e.part_day_id or "")
                start = e.start_time or (p.start_time if p else None)
                end = e.end_time or (p.end_time if p else None)
                errors += _time_span_errors(start, end, "end_time")
    elif e.kind is X.EXTRA:
        if not e.practice_id:
            errors.append(DomainError("practice_required", "Kies de praktijk.", "practice_id"))
        errors += _time_span_errors(e.start_time, e.end_time, "end_time")
    if errors:
        raise ValidationError(errors)
    clash = next(
        (o for o in existing if o.id != e.id and _exceptions_overlap(e, o, patterns)), None
    )
    if clash is not None:
        raise ValidationError(
            [
                DomainError(
                    "exceptions_overlap",
                    "Deze uitzondering overlapt met een andere uitzondering "
                    f"({_KIND_NAMES[clash.kind]} op {clash.day:%d-%m-%Y}).",
                    "day",
                )
            ]
        )


_KIND_NAMES = {
    X.LEAVE: "verlof",
    X.CANCELLED: "vervallen dagdeel",
    X.SWAP: "geruild dagdeel",
    X.EXTRA: "extra dagdeel",
}


def _leave_range(e: ScheduleException) -> tuple[date, date] | None:
    return (e.day, e.end_day or e.day) if e.kind is X.LEAVE else None


def _exceptions_overlap(
    a: ScheduleException, b: ScheduleException, patterns: Mapping[str, PartDay]
) -> bool:
    la, lb = _leave_range(a), _leave_range(b)
    if la and lb:
        return la[0] <= lb[1] and lb[0] <= la[1]
    occurrence = {X.CANCELLED, X.SWAP}
    if a.kind in occurrence and b.kind in occurrence:
        if (a.part_day_id, a.day) == (b.part_day_id, b.day):
            return True
    pa, pb = _planned_exception(a, patterns), _planned_exception(b, patterns)
    if pa and pb and pa.start < pb.end and pb.start < pa.end:
        return True
    for leave, planned in ((la, pb), (lb, pa)):
        if leave and planned and leave[0] <= planned.day <= leave[1]:
            return True
    return False


# -- how a client shows in an exported calendar -----------------------------------------------

_NAME_PARTICLES = frozenset(
    "van de der den het ten ter te in op aan bij uit 't d' la le du da del di von zu".split()
)


def initials(first_name: str, last_name: str) -> str:
    """'S.V.' for Sanne de Vries: first letters of the first name and of the surname proper."""
    words = last_name.split()
    surname = next(
        (w for w in words if w.casefold() not in _NAME_PARTICLES), words[-1] if words else ""
    )
    letters = [w[0] for w in (first_name.split()[:1] + [surname]) if w]
    return "".join(f"{c.upper()}." for c in letters) or "?"


def calendar_code(client_id: str) -> str:
    """A stable code for a client that reveals neither name nor record id ('K-3F9A-2C71')."""
    digest = hashlib.sha256(f"liaison-calendar:{client_id}".encode()).hexdigest().upper()
    return f"K-{digest[:4]}-{digest[4:8]}"


def calendar_label(
    label: CalendarLabel, client_id: str, first_name: str = "", last_name: str = ""
) -> str:
    """The client's label for a calendar outside the app, by the chosen setting."""
    if label is CalendarLabel.INITIALS and (first_name or last_name):
        return initials(first_name, last_name)
    return calendar_code(client_id)
