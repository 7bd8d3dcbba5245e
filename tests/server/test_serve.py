"""Starting the server: defaults, settings from the environment, migrations at start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from liaison_desktop.server import migrate
from liaison_desktop.server.__main__ import build_parser, settings_from_args
from liaison_desktop.server.db import Database
from liaison_desktop.server.settings import Settings, SettingsError, default_data_dir
from tests.server.support import SERVER_CMD, free_port, wait_healthy


def test_defaults_without_arguments(monkeypatch, tmp_path):
    for key in list(os.environ):
        if key.startswith("LIAISON_SERVER_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    settings = settings_from_args(build_parser().parse_args([]))
    assert (settings.host, settings.port) == ("127.0.0.1", 8470)
    if sys.platform.startswith("linux"):
        assert settings.data_dir == tmp_path / "liaison-server" == default_data_dir()
    assert settings.resolved_database_url.startswith("sqlite+pysqlite:///")
    assert settings.resolved_database_url.endswith("liaison-server.db")
    assert settings.tls_cert is None and settings.access_log


def test_flags_override_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LIAISON_SERVER_PORT", "9000")
    monkeypatch.setenv("LIAISON_SERVER_DATABASE_URL", "postgresql://u@db/liaison")
    monkeypatch.setenv("LIAISON_SERVER_ACCESS_LOG", "false")
    s = settings_from_args(build_parser().parse_args(["--port", "9001"]))
    assert s.port == 9001 and not s.access_log
    assert s.resolved_database_url == "postgresql+psycopg://u@db/liaison"
    monkeypatch.setenv("LIAISON_SERVER_PORT", "not-a-number")
    with pytest.raises(SettingsError):
        Settings.from_env()


def test_fresh_install_starts_with_no_arguments(tmp_path):
    """`liaison-server` alone: embedded database in the default data folder, migrated.

    Only the port comes from the environment, so that parallel test runs do not collide on
    8470; everything else is the no-argument default.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIAISON_SERVER_")}
    env.update(
        {"XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path), "LIAISON_SERVER_PORT": str(port)}
    )
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(SERVER_CMD, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_healthy("127.0.0.1", port, proc=proc)
    finally:
        proc.terminate()
        proc.wait(15)
        log.close()
    db_file = tmp_path / "liaison-server" / "liaison-server.db"
    if sys.platform.startswith("linux"):
        assert db_file.exists()
        db = Database(f"sqlite+pysqlite:///{db_file}")
        assert migrate.current_revision(db) == migrate.head_revision()
        db.dispose()
    lines = (tmp_path / "server.log").read_text().splitlines()
    import json

    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert any(r.get("msg") == "starting" and r.get("port") == port for r in records)
    assert proc.returncode in (0, -15)


def test_migrations_are_idempotent_and_at_head(db):
    migrate.upgrade(db)
    assert migrate.current_revision(db) == migrate.head_revision() >= "0002"


def test_models_match_the_migrations(db):
    """Autogenerate finds nothing to do: the models and the revisions agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from liaison_desktop.server.models import Base

    with db.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_unreachable_database_is_a_clear_error(tmp_path):
    r = subprocess.run(
        [
            *SERVER_CMD,
            "--database-url",
            "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "niet bruikbaar" in r.stderr


def test_data_dir_is_private(tmp_path):
    d = tmp_path / "srv"
    Database(Settings(data_dir=d).resolved_database_url).dispose()
    if os.name == "posix":
        assert (d.stat().st_mode & 0o077) == 0
    assert Path(d).is_dir()
