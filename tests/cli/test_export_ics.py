"""`liaison-desktop export-ics`: a parseable calendar without names, logged as an export."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from liaison_desktop import cli
from liaison_desktop.services import demo, workspace
from liaison_desktop.services.schedule import ScheduleService
from tests.conftest import FAST_KDF, PASSPHRASE

TODAY = date(2026, 11, 25)
MONDAY = TODAY - timedelta(days=TODAY.weekday())


@pytest.fixture
def demo_store(tmp_path: Path, monkeypatch) -> tuple[Path, list[str], set[str], list[str]]:
    """A demo store: its folder, every client's names, this week's clients, place names."""
    data_dir = tmp_path / "store"
    services, _ = workspace.create_workspace(data_dir, PASSPHRASE, "Demo", kdf=FAST_KDF)
    try:
        demo.generate(services, 80, today=TODAY)
        clients = services.search_clients("", limit=1000)
        names = [f"{c.first_name} {c.last_name}" for c in clients]
        names += [n for c in clients for n in (c.first_name, c.last_name)]
        places = [p.name for p in services.practices()] + [r.name for r in services.rooms()]
        week = ScheduleService(services).week(TODAY)
        this_week = {e.appointment.client_id for e in week.appointments if e.appointment.client_id}
    finally:
        services.lock()
    monkeypatch.setenv(cli.PASSPHRASE_ENV, PASSPHRASE)
    return data_dir, names, this_week, places


def run(*args: str) -> int:
    return cli.main(list(args))


def test_export_ics_writes_a_calendar_without_names(demo_store, tmp_path, capsys):
    data_dir, names, this_week, places = demo_store
    out = tmp_path / "week.ics"
    code = run(
        "export-ics",
        "--data-dir", str(data_dir),
        "--from", MONDAY.isoformat(),
        "--to", (MONDAY + timedelta(days=6)).isoformat(),
        "--out", str(out),
    )  # fmt: skip
    assert code == cli.EXIT_OK
    summary = json.loads(capsys.readouterr().out)
    data = out.read_bytes()
    cal = Calendar.from_ical(data)
    assert summary["events"] == len(cal.walk("VEVENT")) > 10
    assert this_week
    text = data.decode("utf-8")
    assert [n for n in names if " " in n and n in text] == []  # no full name at all
    # No single name either, once the practices' and rooms' own names are left out
    # (a practice called "De Linde" is no leak of a girl called Linde).
    for place in places:
        text = text.replace(place, "")
    words = set(re.findall(r"[^\W\d_]+", text.casefold()))
    assert [n for n in names if " " not in n and n.casefold() in words] == []
    # The export is in the access log of every client in it, and the chain is intact.
    services = workspace.open_workspace(data_dir, PASSPHRASE)
    try:
        for client_id in this_week:
            entries = services.access_log_for_client(client_id)
            assert ("export", "appointment") in [(e.action, e.object_type) for e in entries]
        assert services.verify_access_log().ok
    finally:
        services.lock()


def test_export_ics_refuses_a_period_ending_before_it_starts(demo_store, tmp_path, capsys):
    data_dir, _names, _week, _places = demo_store
    out = tmp_path / "x.ics"
    code = run(
        "export-ics", "--data-dir", str(data_dir),
        "--from", "2026-12-31", "--to", "2026-12-01", "--out", str(out),
    )  # fmt: skip
    assert code == cli.EXIT_ERROR
    assert "einddatum" in capsys.readouterr().err
    assert not out.exists()


def test_export_ics_refuses_an_unreadable_date(demo_store, tmp_path, capsys):
    data_dir, _names, _week, _places = demo_store
    with pytest.raises(SystemExit) as exit_:
        run(
            "export-ics", "--data-dir", str(data_dir),
            "--from", "31-12-2026", "--to", "2027-01-31", "--out", str(tmp_path / "x.ics"),
        )  # fmt: skip
    assert exit_.value.code == 2
    assert "JJJJ-MM-DD" in capsys.readouterr().err


def test_export_ics_over_a_53_week_year_end(demo_store, tmp_path, capsys):
    data_dir, _names, _week, _places = demo_store
    out = tmp_path / "jaarwisseling.ics"
    code = run(
        "export-ics", "--data-dir", str(data_dir),
        "--from", "2026-12-28", "--to", "2027-01-03", "--out", str(out),
    )  # fmt: skip
    assert code == cli.EXIT_OK
    assert Calendar.from_ical(out.read_bytes()).walk("VCALENDAR")
