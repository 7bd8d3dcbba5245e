"""Alembic migrations of the server database (own script location, apart from the store's)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect

from liaison_desktop.server.db import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(conn: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def current_revision(db: Database) -> str | None:
    with db.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def upgrade(db: Database) -> None:
    """Bring the schema to the newest revision (idempotent; run at every start)."""
    from alembic import command

    with db.begin_write() as conn:
        command.upgrade(alembic_config(conn), "head")
