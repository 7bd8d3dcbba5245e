"""Weekly part-day patterns, exceptions, holidays and their validation (bad input included)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.errors import ValidationError
from liaison_desktop.domain.schedule import (
    CalendarLabel,
    ScheduleSettings,
    calendar_code,
    calendar_label,
    check_period,
    expand,
    initials,
    iso_weeks_in_year,
    leave_days,
    public_holidays,
    validate_appointment,
    validate_exception,
    validate_part_day,
    week_start,
)

X = dm.ScheduleExceptionKind
MONDAY = date(2026, 11, 23)


def pattern(weekday=0, start=time(8, 30), end=time(12, 30), **kw) -> dm.PartDay:
    kw.setdefault("practice_id", "p1")
    kw.setdefault("valid_from", date(2026, 1, 1))
    return dm.PartDay(
        weekday=weekday, part=dm.PartOfDay.MORNING, start_time=start, end_time=end, **kw
    )


def codes(exc: ValidationError) -> set[str]:
    return {e.code for e in exc.errors}


# -- expansion ----------------------------------------------------------------------------------


def test_pattern_expands_on_its_weekday_with_the_practice_times():
    p = pattern(weekday=2, start=time(9, 0), end=time(12, 30))
    got = expand([p], [], MONDAY, MONDAY + timedelta(days=13), holidays={})
    assert [g.day for g in got] == [date(2026, 11, 25), date(2026, 12, 2)]
    assert got[0].start == datetime(2026, 11, 25, 9, 0)
    assert got[0].end == datetime(2026, 11, 25, 12, 30)
    assert got[0].minutes == 210
    assert got[0].pattern_id == p.id


def test_validity_limits_the_pattern():
    p = pattern(valid_from=date(2026, 11, 30), valid_to=date(2026, 12, 7))
    got = expand([p], [], MONDAY, MONDAY + timedelta(days=27), holidays={})
    assert [g.day for g in got] == [date(2026, 11, 30), date(2026, 12, 7)]


def test_public_holidays_are_dutch_and_skip_part_days():
    hol = public_holidays(date(2026, 1, 1), date(2026, 12, 31))
    assert hol[date(2026, 4, 27)] == "Koningsdag"
    assert date(2026, 12, 25) in hol and date(2026, 4, 6) in hol  # Christmas, Easter Monday
    easter_monday = pattern(weekday=0)
    got = expand([easter_monday], [], date(2026, 4, 6), date(2026, 4, 13))
    assert [g.day for g in got] == [date(2026, 4, 13)]


def test_leave_cancel_swap_and_extra():
    mon = pattern(weekday=0)
    tue = pattern(weekday=1, practice_id="p2")
    exceptions = [
        dm.ScheduleException(X.LEAVE, date(2026, 11, 24), end_day=date(2026, 11, 24)),
        dm.ScheduleException(X.CANCELLED, date(2026, 11, 30), part_day_id=mon.id),
        dm.ScheduleException(
            X.SWAP, date(2026, 12, 7), part_day_id=mon.id, new_day=date(2026, 12, 10)
        ),
        dm.ScheduleException(
            X.EXTRA,
            date(2026, 11, 27),
            practice_id="p3",
            start_time=time(13, 0),
            end_time=time(17, 0),
        ),
    ]
    got = expand([mon, tue], exceptions, MONDAY, date(2026, 12, 13), holidays={})
    assert [(g.day, g.practice_id) for g in got] == [
        (date(2026, 11, 23), "p1"),
        (date(2026, 11, 27), "p3"),  # extra; Tuesday 24th is leave
        (date(2026, 12, 1), "p2"),  # Monday 30th cancelled
        (date(2026, 12, 8), "p2"),
        (date(2026, 12, 10), "p1"),  # Monday 7th swapped to Thursday 10th
    ]
    extra = got[1]
    assert extra.part is dm.PartOfDay.AFTERNOON and extra.exception_id == exceptions[3].id
    assert leave_days(exceptions, MONDAY, date(2026, 12, 13)) == {date(2026, 11, 24): ""}


def test_swap_to_other_times_keeps_room_state_unless_moved():
    p = pattern(weekday=0, room_id="r1", room_state=dm.RoomBookingState.CONFIRMED)
    later = dm.ScheduleException(
        X.SWAP, MONDAY, part_day_id=p.id, start_time=time(10, 0), end_time=time(14, 0)
    )
    (got,) = expand([p], [later], MONDAY, MONDAY, holidays={})
    assert (got.start.time(), got.end.time()) == (time(10, 0), time(14, 0))
    assert got.room_state is dm.RoomBookingState.CONFIRMED


def test_nine_oclock_stays_nine_across_the_summer_time_changes():
    p = pattern(weekday=0, start=time(9, 0), end=time(12, 0))
    # 2026: summer time starts Sunday 29 March, ends Sunday 25 October.
    got = expand([p], [], date(2026, 3, 23), date(2026, 11, 2), holidays={})
    around = [g for g in got if g.day in {date(2026, 3, 23), date(2026, 3, 30), date(2026, 10, 26)}]
    assert [g.start.time() for g in around] == [time(9, 0)] * 3
    assert all(g.minutes == 180 for g in around)


def test_a_year_with_53_iso_weeks():
    assert iso_weeks_in_year(2026) == 53
    assert iso_weeks_in_year(2025) == 52
    monday_53 = week_start(date(2027, 1, 1))
    assert monday_53 == date(2026, 12, 28)
    assert monday_53.isocalendar()[:2] == (2026, 53)
    got = expand([pattern(weekday=0)], [], date(2026, 12, 21), date(2027, 1, 10), holidays={})
    weeks = [g.day.isocalendar()[:2] for g in got]
    assert weeks == [(2026, 52), (2026, 53), (2027, 1)]


def test_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as err:
        check_period(date(2026, 12, 1), date(2026, 11, 1))
    assert codes(err.value) == {"end_before_start"}
    with pytest.raises(ValidationError):
        expand([], [], date(2026, 12, 1), date(2026, 11, 1))


# -- validation: bad input ------------------------------------------------------------------------


def test_part_day_end_before_start_is_refused():
    with pytest.raises(ValidationError) as err:
        validate_part_day(pattern(start=time(12, 0), end=time(9, 0)))
    assert "end_time" in err.value.by_field


def test_part_day_crossing_midnight_is_refused_with_a_hint():
    with pytest.raises(ValidationError) as err:
        validate_part_day(pattern(start=time(22, 0), end=time(1, 0)))
    assert codes(err.value) == {"crosses_midnight"}
    assert "middernacht" in err.value.message


def test_part_day_of_zero_length_and_other_bad_fields():
    with pytest.raises(ValidationError) as err:
        validate_part_day(
            pattern(
                weekday=7,
                start=time(9, 0),
                end=time(9, 0),
                valid_to=date(2025, 1, 1),
                max_appointments=0,
            )
        )
    assert codes(err.value) == {
        "weekday_invalid",
        "duration_invalid",
        "end_before_start",
        "max_appointments_invalid",
    }


def test_part_day_room_must_belong_to_the_practice():
    validate_part_day(pattern(room_id="r1"), ["r1", "r2"])
    with pytest.raises(ValidationError) as err:
        validate_part_day(pattern(room_id="r9"), ["r1"])
    assert codes(err.value) == {"room_other_practice"}
    # A practice without rooms: a part-day without a room is fine.
    validate_part_day(pattern(room_id=None), [])


@pytest.mark.parametrize("minutes", [0, -30])
def test_appointment_with_zero_or_negative_duration_is_refused(minutes):
    a = dm.Appointment("p1", datetime(2026, 11, 23, 9), minutes, dm.AppointmentKind.ADMIN)
    with pytest.raises(ValidationError) as err:
        validate_appointment(a)
    assert codes(err.value) == {"duration_invalid"}


def test_appointment_crossing_midnight_is_refused_but_may_end_at_midnight():
    late = dm.Appointment(None, datetime(2026, 11, 23, 23, 30), 60, dm.AppointmentKind.ADMIN)
    with pytest.raises(ValidationError) as err:
        validate_appointment(late)
    assert codes(err.value) == {"crosses_midnight"}
    validate_appointment(
        dm.Appointment(None, datetime(2026, 11, 23, 23, 0), 60, dm.AppointmentKind.ADMIN)
    )


def test_conversation_needs_a_client_and_a_room_needs_a_practice():
    a = dm.Appointment(
        None, datetime(2026, 11, 23, 9), 45, dm.AppointmentKind.CONVERSATION, room_id="r1"
    )
    with pytest.raises(ValidationError) as err:
        validate_appointment(a)
    assert codes(err.value) == {"client_required", "room_without_practice"}


def test_leave_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as err:
        validate_exception(
            dm.ScheduleException(X.LEAVE, date(2026, 12, 10), end_day=date(2026, 12, 1))
        )
    assert codes(err.value) == {"end_before_start"}


def test_extra_part_day_needs_practice_and_sane_times():
    with pytest.raises(ValidationError) as err:
        validate_exception(
            dm.ScheduleException(X.EXTRA, MONDAY, start_time=time(17), end_time=time(9))
        )
    assert codes(err.value) == {"practice_required", "crosses_midnight"}


def test_swap_must_name_a_pattern_on_that_weekday():
    p = pattern(weekday=0)
    pats = {p.id: p}
    with pytest.raises(ValidationError) as err:
        validate_exception(
            dm.ScheduleException(X.SWAP, date(2026, 11, 24), part_day_id=p.id, new_day=MONDAY),
            patterns=pats,
        )
    assert codes(err.value) == {"part_day_not_on_day"}
    with pytest.raises(ValidationError) as err:
        validate_exception(dm.ScheduleException(X.SWAP, MONDAY, part_day_id=p.id), patterns=pats)
    assert codes(err.value) == {"swap_target_required"}


@pytest.mark.parametrize(
    "existing, new",
    [
        # two leave periods sharing a day
        (
            dm.ScheduleException(X.LEAVE, date(2026, 12, 1), end_day=date(2026, 12, 5)),
            dm.ScheduleException(X.LEAVE, date(2026, 12, 5), end_day=date(2026, 12, 9)),
        ),
        # two extra part-days at the same time (at different practices)
        (
            dm.ScheduleException(
                X.EXTRA, MONDAY, practice_id="p1", start_time=time(9), end_time=time(12)
            ),
            dm.ScheduleException(
                X.EXTRA, MONDAY, practice_id="p2", start_time=time(11), end_time=time(13)
            ),
        ),
        # an extra part-day during leave
        (
            dm.ScheduleException(X.LEAVE, MONDAY, end_day=MONDAY + timedelta(days=4)),
            dm.ScheduleException(
                X.EXTRA,
                MONDAY + timedelta(days=2),
                practice_id="p1",
                start_time=time(9),
                end_time=time(12),
            ),
        ),
    ],
)
def test_overlapping_exceptions_are_refused(existing, new):
    with pytest.raises(ValidationError) as err:
        validate_exception(new, [existing])
    assert codes(err.value) == {"exceptions_overlap"}
    # Apart they are fine.
    validate_exception(new, [])


def test_two_changes_to_one_occurrence_overlap():
    p = pattern(weekday=0)
    pats = {p.id: p}
    cancel = dm.ScheduleException(X.CANCELLED, MONDAY, part_day_id=p.id)
    swap = dm.ScheduleException(
        X.SWAP, MONDAY, part_day_id=p.id, new_day=MONDAY + timedelta(days=3)
    )
    with pytest.raises(ValidationError):
        validate_exception(swap, [cancel], pats)
    # The same occurrence a week later is another occurrence.
    validate_exception(
        dm.ScheduleException(X.CANCELLED, MONDAY + timedelta(days=7), part_day_id=p.id),
        [cancel],
        pats,
    )


# -- settings and calendar labels ----------------------------------------------------------------


def test_travel_minutes_per_pair_in_either_order_and_round_trip():
    s = ScheduleSettings(default_travel_min=25).with_travel("b", "a", 40)
    assert s.travel_minutes("a", "b") == s.travel_minutes("b", "a") == 40
    assert s.travel_minutes("a", "c") == 25
    assert s.travel_minutes("a", "a") == 0 and s.travel_minutes("a", None) == 0
    assert ScheduleSettings.from_json(s.to_json()) == s
    assert ScheduleSettings.from_json(None) == ScheduleSettings()
    with pytest.raises(ValidationError):
        s.with_travel("a", "b", -5)


def test_initials_skip_name_particles():
    assert initials("Sanne", "de Vries") == "S.V."
    assert initials("Daan", "van der Berg") == "D.B."
    assert initials("Noor", "Testmeijer") == "N.T."


def test_calendar_code_is_stable_and_reveals_nothing():
    code = calendar_code("0b8f7c1e-0000-4000-8000-000000000001")
    assert code == calendar_code("0b8f7c1e-0000-4000-8000-000000000001")
    assert code.startswith("K-") and len(code) == 11
    assert "0b8f" not in code.lower()
    assert calendar_label(CalendarLabel.INITIALS, "id", "Sanne", "de Vries") == "S.V."
    assert calendar_label(CalendarLabel.CODE, "id", "Sanne", "de Vries") == calendar_code("id")
