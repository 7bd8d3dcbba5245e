"""Alembic migrations of the local store; HEAD names the newest revision."""

# Kept in code so that opening a store can tell "nothing to migrate" without importing
# Alembic. A test checks that it equals Alembic's own head.
HEAD = "0005"
