"""Monitoring export from the local store: one pseudonymous row per trajectory, no identifiers."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import pytest

from liaison_desktop.domain import model as dm
from liaison_desktop.services import overview as ov
from liaison_desktop.store import accesslog

TODAY = date(2026, 11, 22)


def add(services, first_name, dob, referred, *, close=None, outcome=None, contacts=0):
    practice = services.practices()[0]
    client = dm.Client(
        first_name=first_name,
        last_name="Zwartkruis",
        date_of_birth=dob,
        practice_id=practice.id,
        bsn="111222333",
        address="Kerkstraat 12",
    )
    traj = dm.Trajectory(
        client_id=client.id,
        practice_id=practice.id,
        referred_on=referred,
        request_category=dm.RequestCategory.ANXIETY_MOOD,
        question="Angstig sinds de verhuizing naar Dokkum",
    )
    services.add_client(client, [dm.Guardian(client_id=client.id, name="Ouder Zwartkruis")], traj)
    for i in range(contacts):
        services.log_contact(
            dm.Contact(
                client_id=client.id,
                trajectory_id=traj.id,
                type=dm.ContactType.CONVERSATION_CHILD,
                start=datetime.combine(referred + timedelta(days=7 + 7 * i), datetime.min.time()),
                duration_min=45,
                practice_id=practice.id,
                note="Vertelde over nachtmerries",
                participants=(dm.Participant.CHILD,),
            )
        )
    if close is not None:
        services.change_status(traj.id, dm.TrajectoryStatus.CLOSED, outcome=outcome, on=close)
    return traj


@pytest.fixture
def filled(services):
    a = add(services, "Yara", date(2014, 5, 1), date(2026, 3, 2), contacts=2)
    b = add(
        services,
        "Bram",
        date(2009, 1, 10),
        date(2026, 1, 5),
        close=date(2026, 4, 1),
        outcome=dm.Outcome.ADVISED_SPECIALISED_CARE,
        contacts=3,
    )
    old = add(
        services,
        "Oud",
        date(2012, 1, 1),
        date(2025, 1, 5),
        close=date(2025, 6, 1),
        outcome=dm.Outcome.DROPPED_OUT,
    )
    return {"open": a, "closed": b, "old": old}


def test_monitoring_rows_follow_the_definitions(services, filled):
    rows = ov.monitoring_rows(services, date(2026, 1, 1), date(2026, 12, 31))
    assert len(rows) == 2  # the 2025 trajectory was closed before the period
    by_ref = {r["referred_on"]: r for r in rows}
    open_row, closed_row = by_ref["2026-03-02"], by_ref["2026-01-05"]
    assert open_row["first_contact_on"] == "2026-03-09" and open_row["waiting_days"] == 7
    assert open_row["conversation_count"] == 2 and open_row["closed_on"] is None
    assert open_row["age_band"] == "4-11" and open_row["request_category"] == "anxiety_mood"
    assert closed_row["outcome"] == "advised_specialised_care" and closed_row["age_band"] == "16-17"
    assert closed_row["closed_on"] == "2026-04-01" and closed_row["conversation_count"] == 3
    assert open_row["practice"] == "Huisartsenpraktijk De Linde"
    assert open_row["practice_municipality"] == "Leeuwarden"
    # Pseudonymous ids: stable for this store, not the trajectory id, different per trajectory.
    again = ov.monitoring_rows(services, date(2026, 1, 1), date(2026, 12, 31))
    assert [r["pseudo_id"] for r in again] == [r["pseudo_id"] for r in rows]
    ids = {t.id for t in filled.values()}
    assert all(r["pseudo_id"] not in ids and len(r["pseudo_id"]) == 32 for r in rows)
    assert rows[0]["pseudo_id"] != rows[1]["pseudo_id"]
    assert list(rows[0]) == list(ov.MONITORING_COLUMNS)
    early = ov.monitoring_rows(services, date(2025, 1, 1), date(2025, 3, 1))
    assert [r["referred_on"] for r in early] == ["2025-01-05"]


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_monitoring_export_has_no_direct_identifiers(services, filled, tmp_path, suffix):
    out = tmp_path / f"monitoring{suffix}"
    report = ov.export_monitoring(services, out, date(2025, 1, 1), date(2026, 12, 31))
    assert report.rows == 3
    raw = out.read_bytes()
    for secret in (
        b"Yara",
        b"Bram",
        b"Zwartkruis",
        b"111222333",
        b"Kerkstraat",
        b"Angstig",
        b"nachtmerries",
        b"2014-05-01",
    ):
        assert secret not in raw
    for t in filled.values():
        assert t.id.encode() not in raw
    if suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
        assert list(rows[0]) == list(ov.MONITORING_COLUMNS)
        assert {r["waiting_days"] for r in rows} >= {"7", ""}
    else:
        data = json.loads(raw)
        assert data["format"] == "liaison-monitoring" and data["columns"] == list(
            ov.MONITORING_COLUMNS
        )
        assert len(data["rows"]) == 3
    assert out.stat().st_mode & 0o077 == 0
    with services.store.session() as s:
        entries = list(accesslog.entries(s))
    assert [e.object_type for e in entries if e.action == "export"] == ["monitoring"]


def test_monitoring_export_refuses_bad_input(services, filled, tmp_path):
    with pytest.raises(ov.OverviewError):
        ov.export_monitoring(services, tmp_path / "m.xlsx", date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ov.OverviewError):
        ov.monitoring_rows(services, date(2026, 12, 31), date(2026, 1, 1))
    assert not (tmp_path / "m.xlsx").exists()


def test_age_bands():
    d = date(2026, 6, 1)
    assert ov.age_band_at(date(2023, 6, 2), d) == "0-3"
    assert ov.age_band_at(date(2022, 6, 1), d) == "4-11"
    assert ov.age_band_at(date(2014, 6, 1), d) == "12-15"
    assert ov.age_band_at(date(2010, 6, 2), d) == "12-15"  # 16 tomorrow
    assert ov.age_band_at(date(2010, 6, 1), d) == "16-17"
    assert ov.age_band_at(date(2008, 6, 1), d) == "18+"
    assert ov.age_band_at(None, d) == ""
