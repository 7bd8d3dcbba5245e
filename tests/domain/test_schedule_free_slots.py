"""First free slots: inside part-days at the client's practice, never with a conflict."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conflicts import ScheduleIndex
from liaison_desktop.domain.errors import ValidationError
from liaison_desktop.domain.free_slots import first_free_slots, round_up
from liaison_desktop.domain.schedule import ScheduleSettings, expand

K = dm.AppointmentKind
MONDAY = date(2026, 11, 23)


def patterns(room="r1"):
    return [
        dm.PartDay(
            "p1", 0, dm.PartOfDay.MORNING, time(9), time(12), date(2026, 1, 1), room_id=room
        ),
        dm.PartDay("p2", 0, dm.PartOfDay.AFTERNOON, time(13), time(17), date(2026, 1, 1)),
        dm.PartDay(
            "p1", 2, dm.PartOfDay.AFTERNOON, time(13), time(16), date(2026, 1, 1), room_id=room
        ),
    ]


def slots_for(appointments, *, after=datetime(2026, 11, 23, 8), rooms=("r1", "r2"), **kw):
    pds = expand(patterns(kw.pop("room", "r1")), [], MONDAY, MONDAY + timedelta(days=27), {})
    settings = kw.pop("settings", ScheduleSettings())
    index = ScheduleIndex(appointments, pds, settings=settings, practices_with_rooms=["p1"])
    return first_free_slots(
        index,
        pds,
        practice_id="p1",
        room_ids=list(rooms),
        after=after,
        duration_min=kw.pop("duration_min", 45),
        **kw,
    )


def conversation(h, m=0, day=MONDAY, room="r1", practice="p1", minutes=45):
    return dm.Appointment(
        practice, datetime.combine(day, time(h, m)), minutes, K.CONVERSATION, "c9", room
    )


def test_first_slots_are_inside_part_days_at_the_practice():
    got = slots_for([], count=4, per_part_day=2)
    assert [(s.start, s.room_id) for s in got] == [
        (datetime(2026, 11, 23, 9, 0), "r1"),
        (datetime(2026, 11, 23, 9, 45), "r1"),
        (datetime(2026, 11, 25, 13, 0), "r1"),
        (datetime(2026, 11, 25, 13, 45), "r1"),
    ]
    assert all(s.practice_id == "p1" for s in got)


def test_busy_times_are_skipped_and_another_room_is_tried():
    busy = [conversation(9), conversation(9, 45, room="r2")]
    got = slots_for(busy, count=1)
    # 09:00 is taken (the professional is busy), 09:45 too; the next quarter after is 10:30.
    assert got[0].start == datetime(2026, 11, 23, 10, 30)


def test_travel_time_from_another_practice_is_respected():
    settings = ScheduleSettings().with_travel("p1", "p2", 30)
    other = conversation(13, 30, day=date(2026, 11, 25), practice="p2", room=None, minutes=30)
    got = slots_for([other], count=1, after=datetime(2026, 11, 24, 8), settings=settings)
    # p2 until 14:00, then 30 minutes of travel: 14:30 at p1.
    assert got[0].start == datetime(2026, 11, 25, 14, 30)


def test_slots_start_after_now_on_the_step():
    assert round_up(datetime(2026, 11, 23, 9, 7, 30), 15) == datetime(2026, 11, 23, 9, 15)
    assert round_up(datetime(2026, 11, 23, 9, 15), 15) == datetime(2026, 11, 23, 9, 15)
    got = slots_for([], count=1, after=datetime(2026, 11, 23, 10, 50))
    assert got[0].start == datetime(2026, 11, 23, 11, 0)


def test_a_full_part_day_gives_no_slot():
    full = [conversation(9), conversation(10), conversation(11, minutes=60)]
    got = slots_for(full, count=1, rooms=("r1",))
    assert got[0].start.date() == date(2026, 11, 25)


def test_practice_without_rooms_still_gets_slots_without_a_room():
    got = slots_for([], count=2, rooms=(), room=None)
    assert [s.room_id for s in got] == [None, None]
    assert got[0].start == datetime(2026, 11, 23, 9, 0)


@pytest.mark.parametrize("minutes", [0, -15])
def test_zero_or_negative_duration_is_refused(minutes):
    with pytest.raises(ValidationError):
        slots_for([], duration_min=minutes)


def test_no_part_days_no_slots():
    index = ScheduleIndex([], [])
    assert (
        first_free_slots(
            index, [], practice_id="p1", room_ids=[], after=datetime(2026, 11, 23), duration_min=45
        )
        == []
    )
