"""Calendar export: parses in a standard parser, no client names, 09:00 stays 09:00 (DST)."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.domain.schedule import CalendarLabel, ScheduleSettings, calendar_code
from liaison_desktop.services import ics
from liaison_desktop.services.schedule import ScheduleService

K = dm.AppointmentKind
AMS = ZoneInfo("Europe/Amsterdam")
WINTER, SUMMER = date(2026, 3, 23), date(2026, 3, 30)  # summer time starts 29 March


@pytest.fixture
def planned(services):
    practice = services.practices()[0]
    room = dm.Room(practice.id, "Spreekkamer 2")
    services.add_room(room)
    schedule = ScheduleService(services)
    schedule.save_part_day(
        dm.PartDay(
            practice.id, 0, dm.PartOfDay.MORNING, time(8, 30), time(12, 30), WINTER, room_id=room.id
        )
    )
    client = dm.Client("Marieke", "Zonneveld", date(2014, 6, 1), practice.id)
    services.add_client(client)
    appts = [
        dm.Appointment(
            practice.id,
            datetime.combine(day, time(9)),
            45,
            K.CONVERSATION,
            client.id,
            room.id,
            title="Gesprek met Marieke Zonneveld en moeder",
        )
        for day in (WINTER, SUMMER)
    ]
    for a in appts:
        schedule.add_appointment(a)
    block = dm.Appointment(
        None, datetime.combine(SUMMER, time(13, 30)), 90, K.TEAM_MEETING, title="Casus Zonneveld"
    )
    schedule.add_appointment(block)
    return schedule, client, appts, block


def events(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


def test_export_parses_and_holds_no_names(services, planned, tmp_path):
    _schedule, client, appts, _block = planned
    out = tmp_path / "rooster.ics"
    report = ics.export_ics(services, out, WINTER, SUMMER)
    assert report.events == 3
    data = out.read_bytes()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    for word in (client.first_name, client.last_name, "Zonneveld", "Marieke"):
        assert word.encode() not in data
        assert word.casefold().encode() not in data.lower()
    cal, evs = events(data)
    code = calendar_code(client.id)
    assert [str(e["summary"]) for e in evs] == [f"Gesprek {code}", f"Gesprek {code}", "Basisteam"]
    assert str(evs[0]["uid"]) == f"{appts[0].id}@liaison-desktop"
    assert "Spreekkamer 2" in str(evs[0]["location"])
    assert str(evs[0]["class"]) == "PRIVATE"
    assert "voorlopig" in str(evs[0]["description"])


def test_nine_oclock_stays_nine_in_winter_and_summer(services, planned, tmp_path):
    out = tmp_path / "dst.ics"
    ics.export_ics(services, out, WINTER, SUMMER)
    data = out.read_bytes()
    # Written as local time with the zone, not as UTC ...
    assert data.count(b"DTSTART;TZID=Europe/Amsterdam:20260323T090000") == 1
    assert data.count(b"DTSTART;TZID=Europe/Amsterdam:20260330T090000") == 1
    cal, evs = events(data)
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["tzid"]) == "Europe/Amsterdam"
    assert {c.name for c in tz.subcomponents} >= {"STANDARD", "DAYLIGHT"}
    # ... and a standard parser turns it into the right instants: 08:00 UTC, then 07:00 UTC.
    winter, summer = evs[0].decoded("dtstart"), evs[1].decoded("dtstart")
    assert (winter.hour, summer.hour) == (9, 9)
    assert winter.astimezone(UTC).hour == 8 and summer.astimezone(UTC).hour == 7
    assert summer.utcoffset() == datetime(2026, 3, 30, 9, tzinfo=AMS).utcoffset()


def test_one_appointment_and_initials_setting(services, planned, tmp_path):
    schedule, client, appts, _block = planned
    schedule.save_settings(ScheduleSettings(calendar_label=CalendarLabel.INITIALS))
    out = tmp_path / "een.ics"
    report = ics.export_ics(services, out, WINTER, WINTER, appointment_id=appts[1].id)
    assert (report.events, report.first) == (1, SUMMER)
    _cal, (ev,) = events(out.read_bytes())
    assert str(ev["summary"]) == "Gesprek M.Z."
    with pytest.raises(DomainError):
        ics.export_ics(services, out, WINTER, WINTER, appointment_id="nope")


def test_block_titles_only_when_asked(services, planned, tmp_path):
    out = tmp_path / "titels.ics"
    ics.export_ics(services, out, SUMMER, SUMMER, include_block_titles=True)
    _cal, evs = events(out.read_bytes())
    # The team meeting's own title is used; a client conversation's title never is.
    assert [str(e["summary"]).split()[0] for e in evs] == ["Gesprek", "Casus"]
    assert b"moeder" not in out.read_bytes()


def test_export_is_logged_and_end_before_start_refused(services, planned, tmp_path):
    _schedule, client, _appts, _block = planned
    ics.export_ics(services, tmp_path / "x.ics", WINTER, SUMMER)
    entries = [(e.action, e.object_type) for e in services.access_log_for_client(client.id)]
    assert ("export", "appointment") in entries
    with pytest.raises(ValidationError):
        ics.export_ics(services, tmp_path / "y.ics", SUMMER, WINTER)
    assert not (tmp_path / "y.ics").exists()
