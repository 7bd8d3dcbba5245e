"""The schedule API: part-days, exceptions, appointments with their conflicts, free slots.

Composed over :class:`~liaison_desktop.services.api.Services` (same store, same actor, same
access log): each change is one write transaction that logs itself and returns a
:class:`~liaison_desktop.services.api.Result` with ``Changes(schedule=True)``. A change that
runs into a conflict is refused with :class:`ConflictsNeedReason` unless a reason is given;
with a reason it goes ahead and the reason is kept on the appointment.

Thread use: like Services, from one thread at a time (the app's database worker).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conflicts import Conflict, ScheduleIndex, by_appointment, summary
from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.domain.free_slots import FreeSlot, first_free_slots
from liaison_desktop.domain.schedule import (
    PlannedPartDay,
    ScheduleSettings,
    calendar_label,
    check_period,
    days,
    expand,
    leave_days,
    public_holidays,
    validate_appointment,
    validate_exception,
    validate_part_day,
    week_start,
)
from liaison_desktop.services.api import Changes, Result, Services
from liaison_desktop.store import accesslog, repo, schedule_repo

A = dm.AccessAction
FREE_SLOT_WEEKS = 4


class ConflictsNeedReason(DomainError):
    """A change would cause conflicts; it goes ahead only with a reason (kept with it)."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        super().__init__(
            "conflicts_need_reason",
            "Dit geeft een conflict in het rooster. Geef een reden om toch door te gaan.",
            "conflict_reason",
        )
        self.conflicts = list(conflicts)


@dataclass(frozen=True, slots=True)
class ScheduledAppointment:
    """An appointment as the week view shows it: with the client's name and its conflicts."""

    appointment: dm.Appointment
    client_name: str
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True, slots=True)
class SchedulePeriod:
    """Everything planned from ``first`` to ``last`` (inclusive)."""

    first: date
    last: date
    practices: dict[str, dm.Practice]
    rooms: dict[str, dm.Room]
    part_days: list[PlannedPartDay]
    appointments: list[ScheduledAppointment]
    conflicts: list[Conflict]
    holidays: dict[date, str]
    leave: dict[date, str]
    settings: ScheduleSettings


@dataclass(frozen=True, slots=True)
class CalendarExport:
    """What a calendar export contains: appointments with each client's label (never a name)."""

    first: date
    last: date
    appointments: list[dm.Appointment]
    labels: dict[str, str]
    practices: dict[str, dm.Practice]
    rooms: dict[str, dm.Room]


_KEEP: Any = object()


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, datetime.min.time()), datetime.combine(
        last + timedelta(days=1), datetime.min.time()
    )


class ScheduleService:
    """The week schedule over one Services object."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.store = services.store

    # -- plumbing ------------------------------------------------------------------------

    def _log(
        self,
        s: Any,
        action: dm.AccessAction,
        object_type: str,
        client_id: str | None = None,
        object_id: str | None = None,
    ) -> None:
        actor = self.services.actor
        accesslog.append(
            s,
            actor_id=actor.professional_id,
            on_behalf_of=actor.on_behalf_of,
            device_id=actor.device_id,
            action=action.value,
            object_type=object_type,
            client_id=client_id,
            object_id=object_id,
        )

    def _settings(self, s: Any) -> ScheduleSettings:
        return ScheduleSettings.from_json(schedule_repo.get_meta(s, schedule_repo.SETTINGS_KEY))

    def _index(self, s: Any, first: date, last: date) -> tuple[ScheduleIndex, list[PlannedPartDay]]:
        """The period's part-days and appointments, ready for the conflict rules."""
        holidays = public_holidays(first, last)
        exceptions = schedule_repo.exceptions(s, first, last)
        part_days = expand(
            schedule_repo.patterns(s, first, last), exceptions, first, last, holidays
        )
        start, end = _day_bounds(first, last)
        index = ScheduleIndex(
            schedule_repo.appointments_between(s, start, end),
            part_days,
            settings=self._settings(s),
            holidays=holidays,
            leave=leave_days(exceptions, first, last),
            practices_with_rooms={r.practice_id for r in repo.all_of(s, dm.Room)},
        )
        return index, part_days

    # -- settings ------------------------------------------------------------------------

    def settings(self) -> ScheduleSettings:
        with self.store.session() as s:
            return self._settings(s)

    def save_settings(self, settings: ScheduleSettings) -> Result[ScheduleSettings]:
        """Store travel times, changeover, slot step and the calendar label."""
        bad = [m for m in settings.travel.values() if m < 0]
        if bad or settings.default_travel_min < 0 or settings.changeover_min < 0:
            raise ValidationError(
                [DomainError("travel_negative", "Tijden kunnen niet negatief zijn.", "travel")]
            )
        if settings.conversation_min <= 0 or settings.slot_step_min <= 0:
            raise ValidationError(
                [
                    DomainError(
                        "duration_invalid", "De duur moet groter dan nul zijn.", "conversation_min"
                    )
                ]
            )
        with self.store.write() as s:
            schedule_repo.set_meta(s, schedule_repo.SETTINGS_KEY, settings.to_json())
            self._log(s, A.UPDATE, "schedule_settings")
        return Result(settings, Changes(schedule=True))

    # -- reading -------------------------------------------------------------------------

    def period(self, first: date, last: date) -> SchedulePeriod:
        """Part-days, appointments (with client names) and conflicts from ``first`` to ``last``."""
        check_period(first, last)
        with self.store.session() as s:
            index, part_days = self._index(s, first, last)
            appointments = [sp.appointment for d in days(first, last) for sp in index.day(d).spans]
            names = schedule_repo.client_names(
                s, (a.client_id for a in appointments if a.client_id)
            )
            practices = {p.id: p for p in repo.all_of(s, dm.Practice)}
            rooms = {r.id: r for r in repo.all_of(s, dm.Room)}
        conflicts = index.conflicts()
        per_appointment = by_appointment(conflicts)
        return SchedulePeriod(
            first=first,
            last=last,
            practices=practices,
            rooms=rooms,
            part_days=part_days,
            appointments=[
                ScheduledAppointment(
                    a,
                    " ".join(names.get(a.client_id, ("", ""))).strip() if a.client_id else "",
                    tuple(per_appointment.get(a.id, ())),
                )
                for a in appointments
            ],
            conflicts=conflicts,
            holidays=index.holidays,
            leave=index.leave,
            settings=index.settings,
        )

    def week(self, day: date) -> SchedulePeriod:
        """The ISO week (Monday to Sunday) that holds ``day``."""
        first = week_start(day)
        return self.period(first, first + timedelta(days=6))

    def patterns(self) -> list[dm.PartDay]:
        with self.store.session() as s:
            return schedule_repo.patterns(s, date.min, date.max)

    def exceptions(self) -> list[dm.ScheduleException]:
        with self.store.session() as s:
            return schedule_repo.all_exceptions(s)

    def check(self, proposal: dm.Appointment) -> list[Conflict]:
        """The conflicts a new or changed appointment would have (nothing is saved)."""
        validate_appointment(proposal)
        day = proposal.start.date()
        with self.store.session() as s:
            index, _ = self._index(s, day, day)
        return index.conflicts_of(proposal)

    def free_slots(
        self,
        client_id: str,
        *,
        after: datetime | None = None,
        duration_min: int | None = None,
        count: int = 5,
        per_part_day: int = 2,
        weeks: int = FREE_SLOT_WEEKS,
    ) -> list[FreeSlot]:
        """The first free moments for a conversation with the client, at the client's practice."""
        after = after or self.services.now()
        first = after.date()
        last = first + timedelta(weeks=weeks) - timedelta(days=1)
        with self.store.session() as s:
            practice_id = schedule_repo.client_practice(s, client_id)
            if practice_id is None:
                raise DomainError("client_unknown", "Dit dossier bestaat niet (meer).")
            index, part_days = self._index(s, first, last)
            room_ids = [r.id for r in repo.all_of(s, dm.Room, practice_id=practice_id)]
        return first_free_slots(
            index,
            part_days,
            practice_id=practice_id,
            room_ids=sorted(room_ids),
            after=after,
            duration_min=duration_min or index.settings.conversation_min,
            count=count,
            per_part_day=per_part_day,
            client_id=client_id,
        )

    # -- part-days and exceptions ----------------------------------------------------------

    def save_part_day(self, part_day: dm.PartDay) -> Result[dm.PartDay]:
        """Add or change a weekly part-day (a changed room is provisional again)."""
        with self.store.write() as s:
            rooms = [r.id for r in repo.all_of(s, dm.Room, practice_id=part_day.practice_id)]
            validate_part_day(part_day, rooms)
            old = repo.get(s, dm.PartDay, part_day.id)
            if old is None:
                repo.insert(s, part_day)
            else:
                if old.room_id != part_day.room_id:
                    part_day = dataclasses.replace(
                        part_day, room_state=dm.RoomBookingState.PROVISIONAL
                    )
                repo.save(s, part_day)
            self._log(s, A.CREATE if old is None else A.UPDATE, "part_day", object_id=part_day.id)
        return Result(part_day, Changes(schedule=True))

    def add_exception(self, exception: dm.ScheduleException) -> Result[dm.ScheduleException]:
        """Add leave or a cancelled, swapped or extra part-day; overlapping ones are refused."""
        with self.store.write() as s:
            patterns = {p.id: p for p in schedule_repo.patterns(s, date.min, date.max)}
            validate_exception(exception, schedule_repo.all_exceptions(s), patterns)
            repo.insert(s, exception)
            self._log(s, A.CREATE, "schedule_exception", object_id=exception.id)
        return Result(exception, Changes(schedule=True))

    def delete_exception(self, exception_id: str) -> Result[str]:
        with self.store.write() as s:
            if not schedule_repo.delete_record(s, dm.ScheduleException, exception_id):
                raise DomainError("exception_unknown", "Deze uitzondering bestaat niet (meer).")
            self._log(s, A.DELETE, "schedule_exception", object_id=exception_id)
        return Result(exception_id, Changes(schedule=True))

    # -- appointments ----------------------------------------------------------------------

    def _store_appointment(
        self, appointment: dm.Appointment, reason: str, *, new: bool
    ) -> Result[dm.Appointment]:
        validate_appointment(appointment)
        reason = reason.strip()
        day = appointment.start.date()
        with self.store.write() as s:
            old = None if new else repo.get(s, dm.Appointment, appointment.id)
            if not new and old is None:
                raise DomainError("appointment_unknown", "Deze afspraak bestaat niet (meer).")
            if appointment.room_id is not None:
                room = repo.get(s, dm.Room, appointment.room_id)
                if room is None or room.practice_id != appointment.practice_id:
                    raise ValidationError(
                        [
                            DomainError(
                                "room_other_practice",
                                "Deze werkruimte hoort niet bij de gekozen praktijk.",
                                "room_id",
                            )
                        ]
                    )
            index, _ = self._index(s, day, day)
            conflicts = index.conflicts_of(appointment)
            if conflicts and not reason:
                raise ConflictsNeedReason(conflicts)
            if old is not None and (
                old.start != appointment.start
                or old.room_id != appointment.room_id
                or old.duration_min != appointment.duration_min
            ):
                # The central agenda confirmed the old time and room, not this one.
                appointment = dataclasses.replace(
                    appointment, room_state=dm.RoomBookingState.PROVISIONAL
                )
            appointment = dataclasses.replace(
                appointment, conflict_reason=reason if conflicts else ""
            )
            if old is None:
                repo.insert(s, appointment)
            else:
                repo.save(s, appointment)
            client_ids = {c for c in (appointment.client_id, old and old.client_id) if c}
            for cid in client_ids:
                repo.touch_client_file(s, cid)
            self._log(
                s,
                A.CREATE if old is None else A.UPDATE,
                "appointment",
                appointment.client_id,
                appointment.id,
            )
        return Result(
            appointment,
            Changes(schedule=True, client_ids=frozenset(client_ids)),
            summary(conflicts) if conflicts else None,
        )

    def add_appointment(
        self, appointment: dm.Appointment, *, reason: str = ""
    ) -> Result[dm.Appointment]:
        """Plan an appointment or block; with conflicts only when ``reason`` is given."""
        return self._store_appointment(appointment, reason, new=True)

    def update_appointment(
        self, appointment: dm.Appointment, *, reason: str = ""
    ) -> Result[dm.Appointment]:
        """Change an appointment; with conflicts only when ``reason`` is given."""
        return self._store_appointment(appointment, reason, new=False)

    def move_appointment(
        self,
        appointment_id: str,
        start: datetime,
        *,
        room_id: str | None = _KEEP,
        reason: str = "",
    ) -> Result[dm.Appointment]:
        """Move an appointment to ``start`` (and optionally another room of its practice)."""
        with self.store.session() as s:
            current = repo.get(s, dm.Appointment, appointment_id)
        if current is None:
            raise DomainError("appointment_unknown", "Deze afspraak bestaat niet (meer).")
        moved = dataclasses.replace(
            current, start=start, room_id=current.room_id if room_id is _KEEP else room_id
        )
        return self.update_appointment(moved, reason=reason)

    def plan_conversation(
        self, client_id: str, slot: FreeSlot, *, reason: str = ""
    ) -> Result[dm.Appointment]:
        """Plan a conversation with the client in a free slot."""
        minutes = int((slot.end - slot.start).total_seconds() // 60)
        return self.add_appointment(
            dm.Appointment(
                practice_id=slot.practice_id,
                start=slot.start,
                duration_min=minutes,
                kind=dm.AppointmentKind.CONVERSATION,
                client_id=client_id,
                room_id=slot.room_id,
            ),
            reason=reason,
        )

    def delete_appointment(self, appointment_id: str) -> Result[str]:
        with self.store.write() as s:
            old = repo.get(s, dm.Appointment, appointment_id)
            if old is None:
                raise DomainError("appointment_unknown", "Deze afspraak bestaat niet (meer).")
            schedule_repo.delete_record(s, dm.Appointment, appointment_id)
            if old.client_id:
                repo.touch_client_file(s, old.client_id)
            self._log(s, A.DELETE, "appointment", old.client_id, appointment_id)
        ids = frozenset({old.client_id}) if old.client_id else frozenset()
        return Result(appointment_id, Changes(schedule=True, client_ids=ids))

    def set_room_state(
        self, record_type: type, record_id: str, state: dm.RoomBookingState
    ) -> Result[Any]:
        """Record the central agenda's answer on a room claim (called by sync).

        ``record_type`` is dm.Appointment, dm.PartDay or dm.ScheduleException.
        """
        if record_type not in (dm.Appointment, dm.PartDay, dm.ScheduleException):
            raise TypeError(f"no room claim on {record_type.__name__}")
        with self.store.write() as s:
            current = repo.get(s, record_type, record_id)
            if current is None:
                raise DomainError("booking_unknown", "Deze boeking bestaat niet (meer).")
            updated = dataclasses.replace(current, room_state=state)
            repo.save(s, updated)
            client_id = getattr(updated, "client_id", None)
            self._log(s, A.UPDATE, "room_booking", client_id, record_id)
        ids = frozenset({client_id}) if client_id else frozenset()
        return Result(updated, Changes(schedule=True, client_ids=ids))

    # -- calendar export -------------------------------------------------------------------

    def calendar_export(
        self, first: date, last: date, *, appointment_id: str | None = None
    ) -> CalendarExport:
        """The appointments for a calendar file, each client by code or initials; logged.

        Logged as an export of the calendar and, per client in it, of that client's
        appointments (NEN 7513: the file leaves the app).
        """
        check_period(first, last)
        with self.store.write() as s:
            if appointment_id is not None:
                one = repo.get(s, dm.Appointment, appointment_id)
                if one is None:
                    raise DomainError("appointment_unknown", "Deze afspraak bestaat niet (meer).")
                appointments = [one]
                first = last = one.start.date()
            else:
                appointments = schedule_repo.appointments_between(s, *_day_bounds(first, last))
            settings = self._settings(s)
            client_ids = sorted({a.client_id for a in appointments if a.client_id})
            names = schedule_repo.client_names(s, client_ids)
            labels = {
                cid: calendar_label(settings.calendar_label, cid, *names.get(cid, ("", "")))
                for cid in client_ids
            }
            practices = {p.id: p for p in repo.all_of(s, dm.Practice)}
            rooms = {r.id: r for r in repo.all_of(s, dm.Room)}
            for cid in client_ids:
                self._log(s, A.EXPORT, "appointment", cid, appointment_id)
            self._log(s, A.EXPORT, "calendar", object_id=appointment_id)
        return CalendarExport(first, last, appointments, labels, practices, rooms)
