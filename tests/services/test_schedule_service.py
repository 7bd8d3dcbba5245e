"""The schedule service on a real encrypted store: conflicts need a reason, changes are logged."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conflicts import ConflictKind
from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.domain.schedule import ScheduleSettings
from liaison_desktop.services import demo, workspace
from liaison_desktop.services.schedule import ConflictsNeedReason, ScheduleService
from tests.conftest import FAST_KDF, PASSPHRASE

K = dm.AppointmentKind
X = dm.ScheduleExceptionKind
MONDAY = date(2026, 11, 23)


def at(day: date, h: int, m: int = 0) -> datetime:
    return datetime.combine(day, time(h, m))


@pytest.fixture
def setup(services):
    """Two practices with a room each, part-days on Monday (morning A, afternoon B), a client."""
    a, b = services.practices()
    room_a = dm.Room(a.id, "Spreekkamer 2")
    room_b = dm.Room(b.id, "Spreekkamer 1")
    services.add_room(room_a)
    services.add_room(room_b)
    schedule = ScheduleService(services)
    for practice, room, start, end in (
        (a, room_a, time(8, 30), time(12, 30)),
        (b, room_b, time(13), time(17)),
    ):
        schedule.save_part_day(
            dm.PartDay(
                practice.id,
                0,
                dm.PartOfDay.MORNING if start.hour < 12 else dm.PartOfDay.AFTERNOON,
                start,
                end,
                date(2026, 1, 1),
                room_id=room.id,
            )
        )
    schedule.save_settings(ScheduleSettings().with_travel(a.id, b.id, 40))
    client = dm.Client("Sanne", "Visser", date(2015, 3, 1), a.id)
    services.add_client(client)
    services.now = lambda: datetime(2026, 11, 22, 12, 0)
    return schedule, a, b, room_a, room_b, client


def conversation(client, practice, room, start, minutes=45):
    return dm.Appointment(practice.id, start, minutes, K.CONVERSATION, client.id, room.id)


def log_actions(services, client_id):
    return [(e.action, e.object_type) for e in services.access_log_for_client(client_id)]


def test_add_appointment_without_conflict_is_saved_and_logged(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    result = schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 9)))
    assert result.changes.schedule and result.changes.client_ids == {client.id}
    assert result.warning is None
    stored = services.open_client(client.id).appointments
    assert [x.start for x in stored] == [at(MONDAY, 9)]
    assert stored[0].room_state is dm.RoomBookingState.PROVISIONAL
    assert ("create", "appointment") in log_actions(services, client.id)


def test_conflict_needs_a_reason_and_the_reason_is_kept(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 9)))
    clash = conversation(client, a, room_a, at(MONDAY, 9, 30))
    with pytest.raises(ConflictsNeedReason) as err:
        schedule.add_appointment(clash)
    assert {c.kind for c in err.value.conflicts} == {
        ConflictKind.OVERLAP,
        ConflictKind.ROOM_DOUBLE_BOOKED,
    }
    assert len(services.open_client(client.id).appointments) == 1  # nothing saved
    with pytest.raises(ConflictsNeedReason):
        schedule.add_appointment(clash, reason="   ")
    result = schedule.add_appointment(clash, reason="Broertje mee, kort gesprek")
    assert result.value.conflict_reason == "Broertje mee, kort gesprek"
    assert "Overlapt" in (result.warning or "")
    week = schedule.week(MONDAY)
    marked = {e.appointment.id: e for e in week.appointments}
    assert marked[clash.id].appointment.conflict_reason == "Broertje mee, kort gesprek"
    assert {c.kind for c in marked[clash.id].conflicts} >= {ConflictKind.OVERLAP}


def test_travel_time_between_practices_is_a_conflict(services, setup):
    schedule, a, b, room_a, room_b, client = setup
    schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 11, 45)))  # to 12:30
    with pytest.raises(ConflictsNeedReason) as err:
        schedule.add_appointment(conversation(client, b, room_b, at(MONDAY, 13)))
    assert [c.kind for c in err.value.conflicts] == [ConflictKind.TRAVEL_TIME]


def test_move_resets_room_state_and_clears_a_stale_reason(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    first = schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 9))).value
    second = schedule.add_appointment(
        conversation(client, a, room_a, at(MONDAY, 9, 15)), reason="Spoed"
    ).value
    schedule.set_room_state(dm.Appointment, second.id, dm.RoomBookingState.CONFIRMED)
    moved = schedule.move_appointment(second.id, at(MONDAY, 10)).value
    assert moved.room_state is dm.RoomBookingState.PROVISIONAL
    assert moved.conflict_reason == ""
    assert schedule.week(MONDAY).conflicts == []
    with pytest.raises(ConflictsNeedReason):
        schedule.move_appointment(moved.id, first.start)
    with pytest.raises(DomainError):
        schedule.move_appointment("no-such-id", at(MONDAY, 10))


def test_room_state_from_the_central_agenda(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    appt = schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 9))).value
    result = schedule.set_room_state(dm.Appointment, appt.id, dm.RoomBookingState.DECLINED)
    assert result.changes.schedule
    (entry,) = schedule.week(MONDAY).appointments
    assert entry.appointment.room_state is dm.RoomBookingState.DECLINED
    assert [c.kind for c in entry.conflicts] == [ConflictKind.ROOM_DOUBLE_BOOKED]
    (pattern,) = [p for p in schedule.patterns() if p.practice_id == a.id]
    schedule.set_room_state(dm.PartDay, pattern.id, dm.RoomBookingState.CONFIRMED)
    week = schedule.week(MONDAY)
    assert {p.room_state for p in week.part_days if p.practice_id == a.id} == {
        dm.RoomBookingState.CONFIRMED
    }
    with pytest.raises(TypeError):
        schedule.set_room_state(dm.Client, client.id, dm.RoomBookingState.CONFIRMED)


def test_period_has_part_days_names_holidays_and_leave(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 9)))
    schedule.add_exception(dm.ScheduleException(X.LEAVE, date(2026, 12, 21), date(2026, 12, 31)))
    week = schedule.week(MONDAY + timedelta(days=3))
    assert (week.first, week.last) == (MONDAY, MONDAY + timedelta(days=6))
    assert len(week.part_days) == 2
    assert [e.client_name for e in week.appointments] == ["Sanne Visser"]
    christmas = schedule.period(date(2026, 12, 21), date(2026, 12, 27))
    assert christmas.part_days == []  # on leave
    assert christmas.holidays[date(2026, 12, 25)] == "Eerste kerstdag"
    assert date(2026, 12, 22) in christmas.leave


def test_overlapping_exceptions_are_refused_and_deletable(services, setup):
    schedule = setup[0]
    leave = schedule.add_exception(
        dm.ScheduleException(X.LEAVE, date(2026, 12, 1), date(2026, 12, 4))
    ).value
    with pytest.raises(ValidationError) as err:
        schedule.add_exception(dm.ScheduleException(X.LEAVE, date(2026, 12, 3), date(2026, 12, 8)))
    assert err.value.code == "exceptions_overlap"
    schedule.delete_exception(leave.id)
    assert schedule.exceptions() == []
    with pytest.raises(DomainError):
        schedule.delete_exception(leave.id)


def test_part_day_validation_through_the_service(services, setup):
    schedule, a, b, _ra, room_b, _c = setup
    with pytest.raises(ValidationError) as err:
        schedule.save_part_day(
            dm.PartDay(a.id, 1, dm.PartOfDay.EVENING, time(22), time(1), date(2026, 1, 1))
        )
    assert err.value.code == "crosses_midnight"
    with pytest.raises(ValidationError) as err:
        schedule.save_part_day(
            dm.PartDay(
                a.id,
                1,
                dm.PartOfDay.MORNING,
                time(9),
                time(12),
                date(2026, 1, 1),
                room_id=room_b.id,
            )
        )
    assert err.value.code == "room_other_practice"


def test_free_slots_at_the_clients_practice_and_planning_one(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 8, 30)))
    slots = schedule.free_slots(client.id, count=3, per_part_day=2)
    assert [s.start for s in slots] == [
        at(MONDAY, 9, 15),
        at(MONDAY, 10, 0),
        at(MONDAY + timedelta(days=7), 8, 30),
    ]
    assert {s.practice_id for s in slots} == {a.id} and {s.room_id for s in slots} == {room_a.id}
    planned = schedule.plan_conversation(client.id, slots[0]).value
    assert (planned.start, planned.duration_min, planned.client_id) == (
        at(MONDAY, 9, 15),
        45,
        client.id,
    )
    assert schedule.free_slots(client.id, count=1)[0].start == at(MONDAY, 10, 0)
    with pytest.raises(DomainError):
        schedule.free_slots("no-such-client")


def test_practice_without_rooms(services, setup):
    schedule, _a, _b, _ra, _rb, _client = setup
    bare = dm.Practice(name="Praktijk Zonder Kamer")
    services.add_practice(bare)
    schedule.save_part_day(
        dm.PartDay(bare.id, 1, dm.PartOfDay.MORNING, time(9), time(12), date(2026, 1, 1))
    )
    child = dm.Client("Daan", "Bakker", date(2016, 1, 1), bare.id)
    services.add_client(child)
    slots = schedule.free_slots(child.id, count=1)
    assert slots[0].room_id is None and slots[0].start == at(MONDAY + timedelta(days=1), 9)
    with pytest.raises(ConflictsNeedReason) as err:
        schedule.plan_conversation(child.id, slots[0])
    assert [c.kind for c in err.value.conflicts] == [ConflictKind.NO_ROOM]
    assert "nog geen werkruimte" in err.value.conflicts[0].message
    planned = schedule.plan_conversation(child.id, slots[0], reason="Kamer huisarts geleend").value
    assert planned.room_id is None


def test_room_of_another_practice_is_refused(services, setup):
    schedule, a, _b, _ra, room_b, client = setup
    with pytest.raises(ValidationError):
        schedule.add_appointment(conversation(client, a, room_b, at(MONDAY, 9)))


def test_summer_time_change_keeps_nine_oclock(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    before, after = date(2026, 3, 23), date(2026, 3, 30)  # summer time from 29 March
    for day in (before, after):
        schedule.add_appointment(conversation(client, a, room_a, at(day, 9)))
    starts = [x.start for x in services.open_client(client.id).appointments]
    assert [s.time() for s in starts] == [time(9), time(9)]
    assert [e.appointment.start.time() for e in schedule.week(after).appointments] == [time(9)]


def test_bad_input_end_before_start_and_bad_durations(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    with pytest.raises(ValidationError):
        schedule.period(date(2026, 12, 1), date(2026, 11, 30))
    for minutes in (0, -45):
        with pytest.raises(ValidationError):
            schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 9), minutes))
    with pytest.raises(ValidationError):
        schedule.save_settings(ScheduleSettings(conversation_min=0))
    with pytest.raises(ValidationError):
        schedule.save_settings(ScheduleSettings(default_travel_min=-1))


def test_delete_appointment_is_logged(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    appt = schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 9))).value
    schedule.delete_appointment(appt.id)
    assert services.open_client(client.id).appointments == []
    assert ("delete", "appointment") in log_actions(services, client.id)


def test_calendar_export_is_logged_per_client(services, setup):
    schedule, a, _b, room_a, _rb, client = setup
    schedule.add_appointment(conversation(client, a, room_a, at(MONDAY, 9)))
    export = schedule.calendar_export(MONDAY, MONDAY + timedelta(days=6))
    assert len(export.appointments) == 1 and export.labels[client.id].startswith("K-")
    assert ("export", "appointment") in log_actions(services, client.id)


def test_demo_week_has_part_days_at_several_practices_and_a_few_conflicts(tmp_path):
    services, _ = workspace.create_workspace(tmp_path / "d", PASSPHRASE, "Demo", kdf=FAST_KDF)
    try:
        today = date(2026, 11, 25)
        demo.generate(services, 200, today=today)
        week = ScheduleService(services).week(today)
        assert len({p.practice_id for p in week.part_days}) >= 4
        kinds = {c.kind for c in week.conflicts}
        assert {
            ConflictKind.OVERLAP,
            ConflictKind.OUTSIDE_PART_DAY,
            ConflictKind.TRAVEL_TIME,
        } <= kinds
        assert 3 <= len(week.conflicts) <= 8
        states = {e.appointment.room_state for e in week.appointments if e.appointment.room_id}
        assert dm.RoomBookingState.PROVISIONAL in states
        assert any(e.appointment.conflict_reason for e in week.appointments)
        assert any(e.appointment.kind is K.TEAM_MEETING for e in week.appointments)
    finally:
        services.lock()
