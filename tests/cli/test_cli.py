"""The command line, run as a real process through the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from liaison_desktop import __version__

PASS = "een lange demo wachtwoordzin"


def cli(
    *args: str, passphrase: str | None = PASS, timeout: float = 120
) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("LIAISON_PASSPHRASE", None)
    if passphrase is not None:
        env["LIAISON_PASSPHRASE"] = passphrase
    exe = Path(sys.executable).with_name("liaison-desktop")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "liaison_desktop"]
    return subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("cli") / "store"
    r = cli("init-demo", "--data-dir", str(d), "--clients", "30")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["clients"] == 30 and summary["trajectories"] >= 30
    assert "Herstelsleutel" in r.stderr
    return d


def test_version():
    r = cli("--version")
    assert r.returncode == 0 and __version__ in r.stdout


def test_init_demo_refuses_an_existing_store(demo_dir):
    r = cli("init-demo", "--data-dir", str(demo_dir), "--clients", "3")
    assert r.returncode == 2 and "al een gegevensbestand" in r.stderr


def test_export_everything_and_one_client(demo_dir, tmp_path):
    out = tmp_path / "alles.json"
    r = cli("export", "--data-dir", str(demo_dir), "--out", str(out))
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["clients"]) == 30
    one_id = data["clients"][0]["client"]["id"]
    one = tmp_path / "een.json"
    r = cli("export", "--data-dir", str(demo_dir), "--out", str(one), "--client", one_id)
    assert r.returncode == 0, r.stderr
    assert [c["client"]["id"] for c in json.loads(one.read_text())["clients"]] == [one_id]


def test_wrong_passphrase_is_a_clear_error(demo_dir):
    r = cli("verify-log", "--data-dir", str(demo_dir), passphrase="helemaal verkeerd")
    assert r.returncode == 2
    assert "Wachtwoordzin" in r.stderr or "wachtwoordzin" in r.stderr
    assert "Traceback" not in r.stderr


def test_no_passphrase_without_terminal_is_explained(demo_dir):
    r = cli("verify-log", "--data-dir", str(demo_dir), passphrase=None)
    assert r.returncode == 2 and "LIAISON_PASSPHRASE" in r.stderr


def test_missing_store_is_explained(tmp_path):
    r = cli("verify-log", "--data-dir", str(tmp_path / "leeg"))
    assert r.returncode == 2 and "nog geen" in r.stderr and "Traceback" not in r.stderr


def test_verify_log_intact_then_broken(demo_dir, tmp_path):
    r = cli("verify-log", "--data-dir", str(demo_dir))
    assert r.returncode == 0, r.stderr
    assert "intact" in r.stdout
    # Tamper with one entry using the real key, bypassing the append-only triggers.
    from liaison_desktop.store.store import Store

    store = Store.unlock(demo_dir, PASS)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("DROP TRIGGER access_log_no_update")
        conn.exec_driver_sql("UPDATE access_log SET action = 'open' WHERE seq = 2")
        conn.commit()
    store.close()
    r = cli("verify-log", "--data-dir", str(demo_dir))
    assert r.returncode == 1
    assert "regel 2" in r.stdout
