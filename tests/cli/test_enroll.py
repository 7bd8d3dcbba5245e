"""``liaison-desktop enroll`` as a real process against a real liaison-server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from liaison_desktop.server import accounts
from liaison_desktop.server.db import Database
from liaison_desktop.server.settings import Settings
from liaison_desktop.sync.protocol import Role
from tests.cli.test_cli import PASS, cli
from tests.server.support import LiveServer, free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("enroll") / "server") as s:
        yield s


@pytest.fixture(scope="module")
def new_code(server):
    db = Database(Settings(data_dir=server.data_dir).resolved_database_url)
    org = accounts.create_org(db, "Org")
    team = accounts.create_team(db, org.id, "Team")
    user = accounts.create_user(db, team.id, Role.PROFESSIONAL, "Fatima")

    def make() -> str:
        return accounts.issue_enrolment_code(db, user.id).code

    make.user_id = user.id  # type: ignore[attr-defined]
    yield make
    db.dispose()


def test_enroll_on_an_empty_folder(tmp_path, server, new_code):
    code = new_code()
    r = cli("enroll", "--data-dir", str(tmp_path / "d"), "--server", server.url, "--code", code)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["user_id"] == new_code.user_id and out["created_store"] is True
    assert out["server_url"] == server.url and "ldt_" not in r.stdout
    assert "Herstelsleutel" in r.stderr
    # A second enroll of the same laptop is refused without --replace.
    r = cli(
        "enroll", "--data-dir", str(tmp_path / "d"), "--server", server.url, "--code", new_code()
    )
    assert r.returncode == 2 and "al aangemeld" in r.stderr


def test_enroll_an_existing_store_needs_its_passphrase(tmp_path, server, new_code):
    d = str(tmp_path / "d")
    assert cli("init-demo", "--data-dir", d, "--clients", "2").returncode == 0
    code = new_code()
    r = cli(
        "enroll",
        "--data-dir",
        d,
        "--server",
        server.url,
        "--code",
        code,
        passphrase="verkeerde wachtwoordzin",
    )
    assert r.returncode == 2 and "Fout:" in r.stderr
    r = cli("enroll", "--data-dir", d, "--server", server.url, "--code", code, passphrase=PASS)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["created_store"] is False
    assert "Herstelsleutel" not in r.stderr


@pytest.mark.parametrize(
    ("server_url", "code", "message"),
    [
        (None, "AAAA-BBBB-CCCC", "onbekend"),
        ("http://liaison.example.nl", "AAAA-BBBB-CCCC", "https://"),
        ("unreachable", "AAAA-BBBB-CCCC", "niet bereikbaar"),
    ],
)
def test_enroll_errors_are_dutch_and_exit_2(tmp_path, server, server_url, code, message):
    if server_url is None:
        server_url = server.url
    elif server_url == "unreachable":
        server_url = f"http://127.0.0.1:{free_port()}"
    r = cli("enroll", "--data-dir", str(tmp_path / "d"), "--server", server_url, "--code", code)
    assert r.returncode == 2
    assert r.stderr.startswith("Fout:") and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "d" / "keys.json").exists()


def test_enroll_without_passphrase_and_terminal(tmp_path, server, new_code):
    r = cli(
        "enroll",
        "--data-dir",
        str(tmp_path / "d"),
        "--server",
        server.url,
        "--code",
        new_code(),
        passphrase=None,
    )
    assert r.returncode == 2 and "LIAISON_PASSPHRASE" in r.stderr


def test_enroll_with_a_bad_ca_file(tmp_path, server, new_code):
    ca = tmp_path / "ca.pem"
    ca.write_text("not a certificate")
    r = cli(
        "enroll",
        "--data-dir",
        str(tmp_path / "d"),
        "--server",
        server.url,
        "--code",
        new_code(),
        "--ca-file",
        str(ca),
    )
    assert r.returncode == 2 and "PEM" in r.stderr
