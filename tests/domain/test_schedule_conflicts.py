"""The conflict rules, one test (at least) per kind, and the index that applies them."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conflicts import (
    ConflictKind,
    ScheduleIndex,
    by_appointment,
    day_conflicts,
    missing_room,
    on_holiday_or_leave,
    outside_part_day,
    overbooked,
    overlapping,
    room_double_booked,
    span,
    summary,
    travel_too_short,
)
from liaison_desktop.domain.schedule import PlannedPartDay, ScheduleSettings

K = dm.AppointmentKind
C = ConflictKind
DAY = date(2026, 11, 23)


def at(h: int, m: int = 0) -> datetime:
    return datetime.combine(DAY, time(h, m))


def appt(h, m=0, minutes=45, practice="p1", kind=K.CONVERSATION, room="r1", **kw):
    kw.setdefault("client_id", "c1" if kind is K.CONVERSATION else None)
    return dm.Appointment(practice, at(h, m), minutes, kind, room_id=room, **kw)


def spans(*appointments):
    return sorted((span(a) for a in appointments), key=lambda s: (s.start, s.appointment.id))


def part_day(start=(8, 30), end=(12, 30), practice="p1", **kw) -> PlannedPartDay:
    return PlannedPartDay(
        practice_id=practice,
        day=DAY,
        part=dm.PartOfDay.MORNING,
        start=at(*start),
        end=at(*end),
        **kw,
    )


def kinds(conflicts):
    return [c.kind for c in conflicts]


def test_overlapping_appointments():
    a, b, c = appt(9), appt(9, 30, room="r2"), appt(9, 45, room="r3")
    got = overlapping(spans(a, b, c))
    assert [set(x.appointment_ids) for x in got] == [{a.id, b.id}, {b.id, c.id}]
    assert "09:00–09:45" in got[0].message
    # Touching is not overlapping.
    assert overlapping(spans(appt(9), appt(9, 45))) == []


def test_appointment_outside_a_part_day_at_its_practice():
    pd = part_day()
    inside, late, elsewhere = appt(9), appt(12), appt(9, practice="p2")
    got = outside_part_day(spans(inside, late, elsewhere), [pd])
    assert {c.appointment_ids[0]: c.kind for c in got} == {
        late.id: C.OUTSIDE_PART_DAY,
        elsewhere.id: C.OUTSIDE_PART_DAY,
    }
    messages = {c.appointment_ids[0]: c.message for c in got}
    assert "08:30–12:30" in messages[late.id]
    assert "geen dagdeel" in messages[elsewhere.id]


def test_blocks_away_from_the_practice_need_no_part_day():
    meeting = appt(14, minutes=90, practice=None, kind=K.TEAM_MEETING, room=None)
    travel = appt(13, minutes=30, practice=None, kind=K.TRAVEL, room=None)
    assert outside_part_day(spans(meeting, travel), []) == []


def test_room_booked_twice():
    a, b = appt(9, room="r1"), appt(9, 30, room="r1")
    other_room = appt(9, 30, room="r2")
    got = room_double_booked(spans(a, b, other_room))
    assert kinds(got) == [C.ROOM_DOUBLE_BOOKED]
    assert set(got[0].appointment_ids) == {a.id, b.id}


def test_room_declined_by_the_central_agenda():
    a = appt(9, room_state=dm.RoomBookingState.DECLINED)
    (got,) = room_double_booked(spans(a))
    assert got.appointment_ids == (a.id,) and "collega" in got.message


def test_appointment_on_a_holiday_or_during_leave():
    a = appt(9)
    (hol,) = on_holiday_or_leave(spans(a), "Tweede kerstdag", None)
    assert hol.kind is C.HOLIDAY and "Tweede kerstdag" in hol.message
    (leave,) = on_holiday_or_leave(spans(a), None, "")
    assert leave.kind is C.LEAVE
    assert on_holiday_or_leave(spans(a), None, None) == []


def test_too_little_travel_time_between_practices():
    settings = ScheduleSettings().with_travel("p1", "p2", 30)
    a = appt(11, 30, practice="p1")  # ends 12:15
    b = appt(12, 30, practice="p2")  # 15 minutes later, 30 needed
    (got,) = travel_too_short(spans(a, b), settings)
    assert got.kind is C.TRAVEL_TIME and set(got.appointment_ids) == {a.id, b.id}
    assert "15 min" in got.message and "30 min" in got.message
    # Enough time, or the same practice: fine.
    assert travel_too_short(spans(a, appt(12, 45, practice="p2")), settings) == []
    assert travel_too_short(spans(a, appt(12, 15, practice="p1")), settings) == []


def test_a_travel_block_between_practices_counts_as_travel_time():
    settings = ScheduleSettings().with_travel("p1", "p2", 30)
    a = appt(11, 30, practice="p1")
    travel = appt(12, 15, minutes=30, practice=None, kind=K.TRAVEL, room=None)
    b = appt(12, 45, practice="p2")
    assert travel_too_short(spans(a, travel, b), settings) == []


def test_part_day_with_more_appointments_than_fit():
    settings = ScheduleSettings(changeover_min=15)
    pd = part_day(start=(9, 0), end=(11, 0))  # two hours
    two = [appt(9), appt(10)]
    assert overbooked(spans(*two), [pd], settings) == []  # 2 x (45 + 15) = 120
    three = [*two, appt(10, 45, minutes=15, kind=K.GP_CONSULTATION)]
    (got,) = overbooked(spans(*three), [pd], settings)
    assert got.kind is C.OVERBOOKED and got.part_day is pd and len(got.appointment_ids) == 3
    assert "2 u 15 min" in got.message


def test_part_day_maximum_number_of_appointments():
    pd = part_day(max_appointments=2)
    got = overbooked(spans(appt(9), appt(10), appt(11)), [pd], ScheduleSettings())
    assert kinds(got) == [C.OVERBOOKED] and "(3)" in got[0].message


def test_conversation_without_a_room_and_a_practice_without_rooms():
    a = appt(9, room=None)
    (got,) = missing_room(spans(a))
    assert got.kind is C.NO_ROOM and "geen werkruimte gekozen" in got.message
    (got,) = missing_room(spans(a), practices_with_rooms=frozenset({"p2"}))
    assert "nog geen werkruimte" in got.message
    # Blocks need no room.
    assert missing_room(spans(appt(9, kind=K.ADMIN, room=None))) == []


def test_index_checks_a_year_and_a_proposal():
    pds = [part_day()]
    a, b = appt(9), appt(10)
    index = ScheduleIndex([b, a], pds, practices_with_rooms=["p1"])
    assert index.conflicts() == []
    assert [s.appointment.id for s in index.day(DAY).spans] == [a.id, b.id]
    # Moving b onto a: the proposal's conflicts, its old place left out.
    moved = dataclasses.replace(b, start=at(9, 15))
    got = index.conflicts_of(moved)
    assert set(kinds(got)) == {C.OVERLAP, C.ROOM_DOUBLE_BOOKED}
    assert all(c.involves(b.id) for c in got)
    # A proposal on an empty day outside any part-day.
    elsewhere = dataclasses.replace(b, start=at(9) + timedelta(days=1))
    assert kinds(index.conflicts_of(elsewhere)) == [C.OUTSIDE_PART_DAY]


def test_day_conflicts_and_helpers():
    a, b = appt(9), appt(9, 30)
    found = day_conflicts(
        ScheduleIndex([a, b], [part_day()]).day(DAY), ScheduleSettings(), frozenset({"p1"})
    )
    assert set(kinds(found)) == {C.OVERLAP, C.ROOM_DOUBLE_BOOKED}
    per = by_appointment(found)
    assert len(per[a.id]) == len(per[b.id]) == 2
    assert summary(found).count("Overlapt") == 1
