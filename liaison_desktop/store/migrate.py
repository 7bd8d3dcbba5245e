"""Applying Alembic migrations to an open store connection."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text

from liaison_desktop.store.migrations import HEAD

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def current_revision(conn: Connection) -> str | None:
    """The schema revision the file is at, or None for an empty file."""
    has_table = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
    ).first()
    if not has_table:
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def needs_upgrade(conn: Connection) -> bool:
    return current_revision(conn) != HEAD


def alembic_config(conn: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def upgrade(conn: Connection) -> None:
    """Bring the schema to HEAD inside the caller's connection."""
    from alembic import command

    command.upgrade(alembic_config(conn), "head")
