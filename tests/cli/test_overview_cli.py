"""End to end with real processes: professionals' laptops sync to a real liaison-server, the team
leader's enrolled laptop writes the suppressed overview; the monitoring export of one laptop."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date

import pytest

from liaison_desktop.server import accounts
from liaison_desktop.server.db import Database
from liaison_desktop.server.settings import Settings
from liaison_desktop.sync.protocol import Role
from tests.cli.test_cli import cli
from tests.server.support import LiveServer

COUNTS = ("referrals", "closed", "waiting_count")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("overview")
    with LiveServer(root / "server") as server:
        db = Database(Settings(data_dir=server.data_dir).resolved_database_url)
        org = accounts.create_org(db, "Jeugdhulp Noord")
        team = accounts.create_team(db, org.id, "Basisteam Oost")
        dirs = {}
        for i in range(2):
            user = accounts.create_user(db, team.id, Role.PROFESSIONAL, f"Professional {i}")
            d = root / f"pro{i}"
            r = cli("init-demo", "--data-dir", str(d), "--clients", "120", "--seed", str(10 + i))
            assert r.returncode == 0, r.stderr
            code = accounts.issue_enrolment_code(db, user.id).code
            r = cli("enroll", "--data-dir", str(d), "--server", server.url, "--code", code)
            assert r.returncode == 0, r.stderr
            r = cli("sync", "--data-dir", str(d), timeout=300)
            assert r.returncode == 0, r.stderr
            dirs[f"pro{i}"] = d
        leader = accounts.create_user(db, team.id, Role.TEAM_LEADER, "Teamleider")
        d = root / "lead"
        code = accounts.issue_enrolment_code(db, leader.id).code
        r = cli("enroll", "--data-dir", str(d), "--server", server.url, "--code", code)
        assert r.returncode == 0, r.stderr
        dirs["lead"] = d
        yield {"server": server, "dirs": dirs, "root": root, "team": team.id}
        db.dispose()


def test_the_team_leader_writes_a_populated_suppressed_overview(world):
    year = date.today().year
    out = world["root"] / "overzicht.json"
    r = cli(
        "overview",
        "--data-dir",
        str(world["dirs"]["lead"]),
        "--from",
        f"{year}-01-01",
        "--to",
        f"{year}-12-31",
        "--format",
        "json",
        "--period",
        "quarter",
        "--out",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    assert data["title"] == "Basisteam Oost" and data["threshold"] == 5
    rows = data["rows"]
    assert {row["scope_kind"] for row in rows} == {"team", "practice", "professional"}
    for row in rows:
        for column, value in row.items():
            if column.startswith(COUNTS) and value != "<5":
                assert int(value) >= 5, (row["period"], column, value)
    # The team's referrals per quarter equal what the two laptops hold (their monitoring files).
    referred: dict[str, int] = {}
    for key in ("pro0", "pro1"):
        m = world["root"] / f"{key}.csv"
        r = cli(
            "monitoring-export",
            "--data-dir",
            str(world["dirs"][key]),
            "--from",
            f"{year - 1}-01-01",
            "--to",
            f"{year}-12-31",
            "--out",
            str(m),
        )
        assert r.returncode == 0, r.stderr
        for line in csv.DictReader(io.StringIO(m.read_text())):
            day = date.fromisoformat(line["referred_on"])
            if day.year == year:
                q = f"{year}-Q{(day.month - 1) // 3 + 1}"
                referred[q] = referred.get(q, 0) + 1
    team_rows = {row["period"]: row for row in rows if row["scope_kind"] == "team"}
    shown = [q for q, row in team_rows.items() if row["referrals"] != "<5"]
    assert shown, "a team of two demo caseloads shows its quarterly referrals"
    for q in shown:
        assert int(team_rows[q]["referrals"]) == referred.get(q, 0)


def test_the_overview_csv_is_the_same_as_the_json(world):
    year = date.today().year
    outs = {}
    for fmt in ("csv", "json"):
        outs[fmt] = world["root"] / f"same.{fmt}"
        args = ["--from", f"{year}-01-01", "--to", f"{year}-12-31", "--format", fmt]
        r = cli(
            "overview", "--data-dir", str(world["dirs"]["lead"]), *args, "--out", str(outs[fmt])
        )
        assert r.returncode == 0, r.stderr
    from_csv = list(csv.DictReader(io.StringIO(outs["csv"].read_text())))
    from_json = json.loads(outs["json"].read_text())["rows"]
    assert from_csv == from_json


def test_a_professional_gets_their_own_figures(world):
    out = world["root"] / "eigen.csv"
    year = date.today().year
    args = ["--from", f"{year}-01-01", "--to", f"{year}-12-31", "--format", "csv"]
    r = cli("overview", "--data-dir", str(world["dirs"]["pro0"]), *args, "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {row["scope_kind"] for row in rows} == {"professional", "practice"}
    assert len({row["scope_id"] for row in rows if row["scope_kind"] == "professional"}) == 1


def test_bad_overview_arguments(world, tmp_path):
    lead = str(world["dirs"]["lead"])
    r = cli(
        "overview",
        "--data-dir",
        lead,
        "--from",
        "2026-03-01",
        "--to",
        "2026-01-01",
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert r.returncode == 2 and "vóór" in r.stderr
    r = cli(
        "overview",
        "--data-dir",
        lead,
        "--from",
        "2026-13-01",
        "--to",
        "2026-12-31",
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert r.returncode == 2
    r = cli(
        "monitoring-export",
        "--data-dir",
        lead,
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--out",
        str(tmp_path / "x.xlsx"),
    )
    assert r.returncode == 2 and ".csv" in r.stderr
    r = cli(
        "overview",
        "--data-dir",
        lead,
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--out",
        str(tmp_path / "x.csv"),
        passphrase="fout wachtwoord",
    )
    assert r.returncode != 0 and not (tmp_path / "x.csv").exists()
