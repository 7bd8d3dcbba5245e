"""Opening, creating and migrating the encrypted store in a data folder."""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from liaison_desktop.domain.model import new_id
from liaison_desktop.store import keys as keymod
from liaison_desktop.store.engine import (
    LAZY_COMMIT,
    PAGE_SIZE,
    WRITE,
    is_corruption,
    open_engine,
)
from liaison_desktop.store.errors import (
    StoreCorruptError,
    StoreExistsError,
    StoreLockedError,
    StoreMissingError,
    StoreNotOursError,
)
from liaison_desktop.store.models import DeviceSecretRow, StoreMeta
from liaison_desktop.store.paths import BACKUP_DIR, DB_NAME, KEYS_NAME, StorePaths  # noqa: F401 - re-exported

log = logging.getLogger(__name__)

KEEP_BACKUPS = 5
SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


def _check_file_shape(db: Path) -> None:
    """Cheap checks before the key is tried: plain SQLite, empty or truncated files are refused."""
    try:
        size = db.stat().st_size
        with db.open("rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        raise StoreMissingError(
            f"De database {db} ontbreekt, terwijl het sleutelbestand er wel is. "
            "Zet een reservekopie terug; er wordt niets opnieuw aangemaakt.",
            db,
        ) from None
    if head == SQLITE_PLAIN_HEADER:
        raise StoreNotOursError(
            f"Het bestand {db} is een onversleutelde SQLite-database en geen Liaison-gegevensbestand.",
            db,
        )
    if size == 0 or size % PAGE_SIZE:
        raise StoreCorruptError(
            f"Het bestand {db} is afgekapt of beschadigd ({size} bytes). "
            "Het is niet aangepast; zet een reservekopie terug.",
            db,
        )


class Store:
    """An open, unlocked store. Create one with :meth:`create` or :meth:`unlock`.

    Sessions may be used from any single thread at a time; the UI runs them on its
    database worker thread.
    """

    def __init__(self, paths: StorePaths, engine: Engine, keyfile: keymod.KeyFile, key: bytes):
        self.paths = paths
        self.keyfile = keyfile
        self._engine: Engine | None = engine
        self._key: bytearray | None = bytearray(key)
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        self._write = sessionmaker(
            bind=engine.execution_options(**{WRITE: True}), expire_on_commit=False
        )
        self._write_lazy = sessionmaker(
            bind=engine.execution_options(**{WRITE: True, LAZY_COMMIT: True}),
            expire_on_commit=False,
        )
        self.store_id = keyfile.store_id

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(
        cls, data_dir: Path | str, passphrase: str, *, kdf: keymod.KdfParams | None = None
    ) -> tuple[Store, str]:
        """Create a new store; returns it and the recovery key text (to be shown once)."""
        paths = StorePaths(data_dir)
        if paths.exists():
            raise StoreExistsError(
                f"In {paths.data_dir} staat al een Liaison-gegevensbestand.", paths.data_dir
            )
        paths.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        store_id = new_id()
        keyfile, key, recovery = keymod.KeyFile.create(
            paths.keys, passphrase, store_id, kdf or keymod.KdfParams()
        )
        engine = open_engine(paths.db, key)
        from liaison_desktop.store import migrate

        with engine.begin() as conn:
            migrate.upgrade(conn)
        store = cls(paths, engine, keyfile, key)
        with store.write() as s:
            s.add(StoreMeta(key="store_id", value=store_id))
            s.add(StoreMeta(key="device_id", value=new_id()))
            s.add(StoreMeta(key="created_at", value=datetime.now(UTC).isoformat()))
        log.info("created store %s", store_id)
        return store, recovery

    @classmethod
    def unlock(cls, data_dir: Path | str, passphrase: str) -> Store:
        """Unlock with the passphrase (wrong ones raise keys.WrongPassphrase, with a delay)."""
        paths, keyfile = cls._load_keyfile(data_dir)
        _check_file_shape(paths.db)
        key = keyfile.unlock(passphrase)
        return cls.open_with_key(paths, keyfile, key)

    @classmethod
    def unlock_with_recovery(cls, data_dir: Path | str, recovery_key: str) -> Store:
        """Unlock with the recovery key; the caller must then have a new passphrase chosen."""
        paths, keyfile = cls._load_keyfile(data_dir)
        _check_file_shape(paths.db)
        key = keyfile.unlock_with_recovery(recovery_key)
        return cls.open_with_key(paths, keyfile, key)

    @staticmethod
    def _load_keyfile(data_dir: Path | str) -> tuple[StorePaths, keymod.KeyFile]:
        paths = StorePaths(data_dir)
        if not paths.keys.exists():
            if paths.db.exists():
                raise StoreNotOursError(
                    f"Bij {paths.db} hoort geen sleutelbestand ({KEYS_NAME}); "
                    "dit is geen (volledig) Liaison-gegevensbestand. Er is niets aangepast.",
                    paths.db,
                )
            raise StoreMissingError(
                f"In {paths.data_dir} staat nog geen Liaison-gegevensbestand.", paths.data_dir
            )
        return paths, keymod.KeyFile.load(paths.keys)

    @classmethod
    def open_with_key(cls, paths: StorePaths, keyfile: keymod.KeyFile, key: bytes) -> Store:
        """Open the file with a known key: check it is ours, back up and migrate when needed."""
        _check_file_shape(paths.db)
        engine = open_engine(paths.db, key)
        from liaison_desktop.store import migrate

        try:
            with engine.connect() as conn:
                try:
                    found = conn.execute(
                        text("SELECT value FROM store_meta WHERE key = 'store_id'")
                    ).scalar()
                except DBAPIError as exc:
                    if is_corruption(exc):
                        raise
                    found = None
                if found != keyfile.store_id:
                    raise StoreNotOursError(
                        f"Het bestand {paths.db} hoort niet bij dit sleutelbestand. "
                        "Er is niets aangepast.",
                        paths.db,
                    )
                revision = migrate.current_revision(conn)
                upgrade = migrate.needs_upgrade(conn)
            if upgrade:
                _backup_file(engine, paths, reason=f"migratie{revision or ''}")
                with engine.begin() as wconn:
                    migrate.upgrade(wconn)
        except BaseException:
            engine.dispose()
            raise
        return cls(paths, engine, keyfile, key)

    # -- sessions ------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise StoreLockedError("De gegevens zijn vergrendeld.")
        return self._engine

    def session(self) -> Session:
        """A session for reading (deferred transaction)."""
        self.engine  # noqa: B018 - raises when locked
        return self._read()

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error.

        ``durable=False`` skips the fsync at commit: the change survives a killed process
        but not a power cut before the next durable commit. Only for bookkeeping whose loss
        repeats harmless work (a sync's confirmations: the server ignores a change sent
        twice)."""
        self.engine  # noqa: B018
        maker = self._write if durable else self._write_lazy
        with maker() as s, s.begin():
            yield s

    def close(self) -> None:
        """Drop the key from memory and close every connection (locking)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._key is not None:
            for i in range(len(self._key)):
                self._key[i] = 0
            self._key = None

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    # -- keys ----------------------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str, kdf: keymod.KdfParams | None = None) -> None:
        """Re-wrap the database key with a new passphrase; the database is not re-encrypted."""
        if self._key is None:
            raise StoreLockedError("De gegevens zijn vergrendeld.")
        self.keyfile.change_passphrase(bytes(self._key), new_passphrase, kdf)

    def new_recovery_key(self) -> str:
        if self._key is None:
            raise StoreLockedError("De gegevens zijn vergrendeld.")
        return self.keyfile.rewrap_recovery(bytes(self._key))

    # -- meta and device secrets ---------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self.session() as s:
            return s.scalar(select(StoreMeta.value).where(StoreMeta.key == key))

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as s:
            s.merge(StoreMeta(key=key, value=value))

    def get_secret(self, name: str) -> str | None:
        with self.session() as s:
            return s.scalar(select(DeviceSecretRow.value).where(DeviceSecretRow.name == name))

    def set_secret(self, name: str, value: str) -> None:
        with self.write() as s:
            s.merge(DeviceSecretRow(name=name, value=value))

    def delete_secret(self, name: str) -> None:
        with self.write() as s:
            row = s.get(DeviceSecretRow, name)
            if row is not None:
                s.delete(row)

    # -- backups -------------------------------------------------------------------------

    def backup(self, reason: str = "handmatig") -> Path:
        """An encrypted copy of the file (same key) in the backups folder."""
        return _backup_file(self.engine, self.paths, reason)

    def checkpoint(self) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _backup_file(engine: Engine, paths: StorePaths, reason: str) -> Path:
    """Copy the (already encrypted) file while holding the write lock; keep the newest few."""
    paths.backups.mkdir(exist_ok=True, mode=0o700)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    safe_reason = "".join(c for c in reason if c.isalnum())[:20] or "kopie"
    target = paths.backups / f"liaison-{stamp}-{safe_reason}.db"
    n = 1
    while target.exists():
        target = paths.backups / f"liaison-{stamp}-{safe_reason}-{n}.db"
        n += 1
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        # Writers are blocked while we copy; the WAL was emptied just before, but copy it
        # too in case a write slipped in between.
        shutil.copyfile(paths.db, target)
        wal = paths.db.with_name(paths.db.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    os.chmod(target, 0o600)
    backups = sorted(paths.backups.glob("liaison-*.db"))
    for old in backups[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
        old.with_name(old.name + "-wal").unlink(missing_ok=True)
    log.info("backup written before %s", safe_reason)
    return target
