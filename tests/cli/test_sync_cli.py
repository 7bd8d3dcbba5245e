"""``liaison-desktop sync`` and a second laptop (``enroll`` into an empty folder + ``sync``),
as real processes against a real liaison-server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from liaison_desktop.server import accounts
from liaison_desktop.server.db import Database
from liaison_desktop.server.settings import Settings
from liaison_desktop.sync.protocol import Role
from tests.cli.test_cli import PASS, cli
from tests.server.support import LiveServer


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("sync") / "server") as s:
        yield s


@pytest.fixture(scope="module")
def new_code(server):
    db = Database(Settings(data_dir=server.data_dir).resolved_database_url)
    org = accounts.create_org(db, "Org")
    team = accounts.create_team(db, org.id, "Team")
    user = accounts.create_user(db, team.id, Role.PROFESSIONAL, "Fatima")

    def make() -> str:
        return accounts.issue_enrolment_code(db, user.id).code

    yield make
    db.dispose()


def _export(tmp_path, data_dir: str, name: str) -> dict:
    out = tmp_path / f"{name}.json"
    r = cli("export", "--data-dir", data_dir, "--out", str(out))
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def _clients(export: dict) -> list[tuple]:
    return sorted(
        (
            e["client"]["id"],
            e["client"]["first_name"],
            e["client"]["last_name"],
            e["client"]["bsn"],
            len(e["trajectories"]),
            len(e["consents"]),
            len(e["contacts"]),
            tuple(sorted(c["note"] for c in e["contacts"])),
        )
        for e in export["clients"]
    )


def test_a_second_laptop_gets_the_whole_caseload(tmp_path, server, new_code):
    first, second = str(tmp_path / "a"), str(tmp_path / "b")
    assert cli("init-demo", "--data-dir", first, "--clients", "25").returncode == 0
    r = cli("enroll", "--data-dir", first, "--server", server.url, "--code", new_code())
    assert r.returncode == 0, r.stderr
    r = cli("sync", "--data-dir", first)
    assert r.returncode == 0, r.stderr
    pushed = json.loads(r.stdout)
    assert pushed["pushed"] > 25 * 10 and pushed["pending"] == 0 and pushed["quarantined"] == 0

    # The second laptop: an empty folder, the same user's passphrase unlocks the vault key.
    r = cli("enroll", "--data-dir", second, "--server", server.url, "--code", new_code())
    assert r.returncode == 0, r.stderr
    assert "kluissleutel" not in r.stderr
    r = cli("sync", "--data-dir", second)
    assert r.returncode == 0, r.stderr
    pulled = json.loads(r.stdout)
    assert set(pulled) >= {"pushed", "pulled", "conflicts", "quarantined"}
    assert pulled["pulled"] == pushed["pushed"] and pulled["conflicts"] == 0
    a, b = _export(tmp_path, first, "a"), _export(tmp_path, second, "b")
    assert len(a["clients"]) == 25
    assert _clients(a) == _clients(b)
    assert sorted(p["name"] for p in a["practices"]) == sorted(p["name"] for p in b["practices"])
    # A second sync has nothing to do.
    r = cli("sync", "--data-dir", second)
    assert json.loads(r.stdout)["pulled"] == 0


def test_a_second_laptop_with_another_passphrase_cannot_open_the_vault(tmp_path, server, new_code):
    first, second = str(tmp_path / "a"), str(tmp_path / "b")
    assert cli("init-demo", "--data-dir", first, "--clients", "2").returncode == 0
    # Same user as the test above: the vault exists already, wrapped by PASS.
    r = cli(
        "enroll",
        "--data-dir",
        second,
        "--server",
        server.url,
        "--code",
        new_code(),
        passphrase="een heel andere wachtwoordzin hier",
    )
    assert r.returncode == 0, r.stderr
    assert "kluissleutel" in r.stderr
    r = cli("sync", "--data-dir", second, passphrase="een heel andere wachtwoordzin hier")
    assert r.returncode == 2 and "wachtwoordzin" in r.stderr
    assert "Traceback" not in r.stderr
    assert PASS not in r.stderr


def test_sync_of_a_laptop_that_is_not_enrolled(tmp_path):
    d = str(tmp_path / "a")
    assert cli("init-demo", "--data-dir", d, "--clients", "1").returncode == 0
    r = cli("sync", "--data-dir", d)
    assert r.returncode == 2 and "aangemeld" in r.stderr


def test_sync_when_the_server_is_gone_fails_after_retries(tmp_path, new_code):
    d = str(tmp_path / "a")
    with LiveServer(tmp_path / "srv") as gone:
        db = Database(Settings(data_dir=gone.data_dir).resolved_database_url)
        org = accounts.create_org(db, "Org")
        team = accounts.create_team(db, org.id, "Team")
        user = accounts.create_user(db, team.id, Role.PROFESSIONAL, "Fatima")
        code = accounts.issue_enrolment_code(db, user.id).code
        db.dispose()
        assert cli("init-demo", "--data-dir", d, "--clients", "1").returncode == 0
        r = cli("enroll", "--data-dir", d, "--server", gone.url, "--code", code)
        assert r.returncode == 0, r.stderr
    r = cli("sync", "--data-dir", d, "--attempts", "1")
    assert r.returncode == 2 and "niet bereikbaar" in r.stderr
