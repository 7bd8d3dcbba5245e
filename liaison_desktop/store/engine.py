"""The SQLCipher engine: the only code that sees the raw database key."""

from __future__ import annotations

import logging
from pathlib import Path

import sqlcipher3
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from liaison_desktop.store.errors import StoreCorruptError

log = logging.getLogger(__name__)

PAGE_SIZE = 4096
DEFAULT_CACHE_MIB = 64
# Execution option that makes a transaction start with BEGIN IMMEDIATE (takes the write
# lock up front, so a read-then-write such as appending to the access log chain is atomic).
WRITE = "liaison_write"
# Execution option: this write transaction's commit need not survive a power cut (WAL with
# synchronous = NORMAL: no fsync at commit; the commit still survives a killed process and
# becomes durable with the next durable commit). For bookkeeping that is safe to lose only.
LAZY_COMMIT = "liaison_lazy_commit"

_CORRUPT_MARKERS = ("file is not a database", "malformed", "hmac", "not an error")


def is_corruption(exc: BaseException) -> bool:
    """Whether a DBAPI error means the file cannot be decrypted or is damaged."""
    text = str(getattr(exc, "orig", exc)).lower()
    return isinstance(getattr(exc, "orig", exc), sqlcipher3.DatabaseError) and any(
        m in text for m in _CORRUPT_MARKERS
    )


def open_engine(db_path: Path, key: bytes, *, cache_mib: int = DEFAULT_CACHE_MIB) -> Engine:
    """An engine on the encrypted file, keyed with the raw 256-bit key (no per-connection KDF).

    Every connection runs the key pragma first, then WAL, full fsync on commit, foreign keys,
    an in-memory temp store (no clear temp files) and a page cache of ``cache_mib`` MiB.
    """
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(db_path))
    # The pysqlcipher dialect defaults to SingletonThreadPool, where nested connects in one
    # thread share a DBAPI connection (and its transaction). A queue pool gives each checkout
    # its own connection; a session is still used by one thread at a time.
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        connect_args={"check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlcipher3.Connection, _record: object) -> None:
        # The dialect has already sent the key. Let SQLAlchemy emit BEGIN itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
            cur.execute("PRAGMA cipher_memory_security = OFF")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA temp_store = MEMORY")
            cur.execute(f"PRAGMA cache_size = {-cache_mib * 1024}")
            cur.execute("PRAGMA busy_timeout = 5000")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        options = conn.get_execution_options()
        # SQLite refuses to change the safety level inside a transaction: set it before
        # BEGIN, and only when it differs from what this connection last used.
        level = "NORMAL" if options.get(LAZY_COMMIT) else "FULL"
        info = conn.connection.info
        if info.get("synchronous", "FULL") != level:
            conn.exec_driver_sql(f"PRAGMA synchronous = {level}")
            info["synchronous"] = level
        if options.get(WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "handle_error")
    def _on_error(ctx) -> None:  # type: ignore[no-untyped-def]
        if ctx.original_exception is not None and is_corruption(ctx.original_exception):
            raise StoreCorruptError(
                f"Het bestand {db_path} is beschadigd of niet te ontsleutelen. "
                "Het is niet aangepast; zet een reservekopie terug of neem contact op met IT.",
                db_path,
            ) from ctx.original_exception

    return engine


def quiet_sqlcipher_log() -> None:
    """SQLCipher logs HMAC failures to stderr; our own error already explains them."""
    try:
        conn = sqlcipher3.connect(":memory:")
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.close()
    except sqlcipher3.Error:  # pragma: no cover - older SQLCipher without log levels
        pass


__all__ = ["open_engine", "is_corruption", "WRITE", "LAZY_COMMIT", "PAGE_SIZE", "DBAPIError"]
