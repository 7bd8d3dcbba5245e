"""``liaison-desktop enroll`` with IT's provisioning: the server comes from the file, a locked
server cannot be swapped, and without provisioning --server is needed."""

from __future__ import annotations

import json

import pytest

from liaison_desktop.services import provisioning
from tests.cli.test_cli import cli
from tests.cli.test_enroll import new_code, server  # noqa: F401 - fixtures


def provision(tmp_path, monkeypatch, **values) -> None:
    path = tmp_path / "provisioning.json"
    path.write_text(json.dumps(values))
    monkeypatch.setenv(provisioning.ENV_FILE, str(path))


def test_server_comes_from_provisioning(tmp_path, monkeypatch, server, new_code) -> None:  # noqa: F811
    provision(tmp_path, monkeypatch, server_url=server.url, locked=["server_url"])
    r = cli("enroll", "--data-dir", str(tmp_path / "d"), "--code", new_code())
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["server_url"] == server.url


def test_locked_server_cannot_be_replaced(tmp_path, monkeypatch, server, new_code) -> None:  # noqa: F811
    provision(tmp_path, monkeypatch, server_url=server.url, locked=["server_url"])
    r = cli(
        "enroll",
        "--data-dir",
        str(tmp_path / "d"),
        "--server",
        "https://elders.example.nl",
        "--code",
        new_code(),
    )
    assert r.returncode == 2 and "vastgezet" in r.stderr
    assert not (tmp_path / "d").exists()


def test_unlocked_server_may_be_given(tmp_path, monkeypatch, server, new_code) -> None:  # noqa: F811
    provision(tmp_path, monkeypatch, server_url="https://elders.example.nl")
    r = cli(
        "enroll", "--data-dir", str(tmp_path / "d"), "--server", server.url, "--code", new_code()
    )
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("content", [None, "{broken"])
def test_without_usable_provisioning_server_is_required(tmp_path, monkeypatch, content) -> None:
    if content is None:
        monkeypatch.setenv(provisioning.ENV_FILE, str(tmp_path / "absent.json"))
    else:
        (tmp_path / "p.json").write_text(content)
        monkeypatch.setenv(provisioning.ENV_FILE, str(tmp_path / "p.json"))
    r = cli("enroll", "--data-dir", str(tmp_path / "d"), "--code", "ABCD-EFGH")
    assert r.returncode == 2 and "--server" in r.stderr
