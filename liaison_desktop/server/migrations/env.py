"""Alembic environment: runs on the connection the server hands over (never opens its own)."""

from alembic import context

from liaison_desktop.server import (
    agenda_models,  # noqa: F401 - registers the agenda tables
    sync_models,  # noqa: F401 - registers the sync tables
)
from liaison_desktop.server.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
