"""Calendar export (.ics) of a period or one appointment, without client names.

Clients appear by a code or by initials (a schedule setting); free-text titles of client
appointments never leave the app, and block titles only when asked for. Times are written
as local wall-clock time with ``TZID=Europe/Amsterdam`` and a matching VTIMEZONE, so a
conversation at 09:00 stays at 09:00 in any calendar, in summer and in winter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from liaison_desktop import __version__
from liaison_desktop.domain import model as dm
from liaison_desktop.domain.schedule import TIMEZONE, appointment_end
from liaison_desktop.services.api import Services
from liaison_desktop.services.files import write_private
from liaison_desktop.services.schedule import CalendarExport, ScheduleService

K = dm.AppointmentKind
KIND_NAMES = {
    K.CONVERSATION: "Gesprek",
    K.GP_CONSULTATION: "Overleg huisarts",
    K.TEAM_MEETING: "Basisteam",
    K.TRAVEL: "Reistijd",
    K.ADMIN: "Administratie",
}
ROOM_STATE_NAMES = {
    dm.RoomBookingState.PROVISIONAL: "voorlopig geboekt",
    dm.RoomBookingState.CONFIRMED: "bevestigd",
    dm.RoomBookingState.DECLINED: "niet beschikbaar",
}
UID_DOMAIN = "liaison-desktop"


@dataclass(frozen=True, slots=True)
class IcsReport:
    path: Path
    events: int
    first: date
    last: date


def build_calendar(
    export: CalendarExport,
    *,
    include_block_titles: bool = False,
    stamp: datetime | None = None,
) -> bytes:
    """The .ics bytes for the export's appointments (one VEVENT each, plus the VTIMEZONE)."""
    tz = ZoneInfo(TIMEZONE)
    stamp = stamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", f"-//Liaison Desktop//{__version__}//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    for a in export.appointments:
        cal.add_component(_event(a, export, tz, stamp, include_block_titles))
    # The VTIMEZONE covers the exported period with a margin on both sides.
    cal.add_missing_timezones(
        first_date=export.first - timedelta(days=366), last_date=export.last + timedelta(days=366)
    )
    return cal.to_ical()


def _event(
    a: dm.Appointment,
    export: CalendarExport,
    tz: ZoneInfo,
    stamp: datetime,
    include_block_titles: bool,
) -> Event:
    ev = Event()
    ev.add("uid", f"{a.id}@{UID_DOMAIN}")
    ev.add("dtstamp", stamp)
    ev.add("dtstart", a.start.replace(tzinfo=tz))
    ev.add("dtend", appointment_end(a).replace(tzinfo=tz))
    summary = KIND_NAMES[a.kind]
    if a.client_id:
        summary = f"{summary} {export.labels.get(a.client_id, '')}".strip()
        ev.add("class", "PRIVATE")
    elif include_block_titles and a.title.strip():
        summary = a.title.strip()
    ev.add("summary", summary)
    practice = export.practices.get(a.practice_id or "")
    room = export.rooms.get(a.room_id or "")
    location = ", ".join(
        x for x in (practice.name if practice else "", room.name if room else "") if x
    )
    if location:
        ev.add("location", location)
    if room is not None:
        ev.add("description", f"Werkruimte {ROOM_STATE_NAMES[a.room_state]}.")
    ev.add("transp", "TRANSPARENT" if a.kind is K.TRAVEL else "OPAQUE")
    return ev


def export_ics(
    services: Services,
    out: Path,
    first: date,
    last: date,
    *,
    appointment_id: str | None = None,
    include_block_titles: bool = False,
) -> IcsReport:
    """Write the .ics of a period (or of one appointment) for the owner only; logged as export."""
    export = ScheduleService(services).calendar_export(first, last, appointment_id=appointment_id)
    data = build_calendar(export, include_block_titles=include_block_titles)
    write_private(Path(out), data)
    return IcsReport(Path(out), len(export.appointments), export.first, export.last)
