"""The encrypted store: opening, refusing bad files, migrations and backups."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from liaison_desktop.store import keys as keymod
from liaison_desktop.store import migrate
from liaison_desktop.store.errors import (
    StoreCorruptError,
    StoreExistsError,
    StoreMissingError,
    StoreNotOursError,
)
from liaison_desktop.store.models import Base
from liaison_desktop.store.store import Store, StorePaths
from tests.conftest import FAST_KDF, PASSPHRASE


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_store(data_dir: Path) -> Store:
    store, _ = Store.create(data_dir, PASSPHRASE, kdf=FAST_KDF)
    return store


def closed_store(data_dir: Path) -> StorePaths:
    store = make_store(data_dir)
    store.set_meta("probe", "x")
    store.checkpoint()
    store.close()
    return StorePaths(data_dir)


def test_create_then_unlock_round_trip(data_dir):
    store = make_store(data_dir)
    store.set_meta("greeting", "hallo")
    store.close()
    again = Store.unlock(data_dir, PASSPHRASE)
    assert again.meta("greeting") == "hallo"
    assert again.meta("device_id")
    again.close()


def test_file_is_encrypted_and_not_plain_sqlite(data_dir):
    paths = closed_store(data_dir)
    head = paths.db.read_bytes()[:16]
    assert head != b"SQLite format 3\x00"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(paths.db).execute("SELECT * FROM sqlite_master").fetchall()


def test_wal_mode_and_cache(data_dir):
    store = make_store(data_dir)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -64 * 1024
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # memory
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_wrong_passphrase_changes_nothing(data_dir):
    paths = closed_store(data_dir)
    before = digest(paths.db)
    with pytest.raises(keymod.WrongPassphrase) as err:
        Store.unlock(data_dir, "niet de goede zin")
    assert "niet de goede zin" not in str(err.value)
    assert digest(paths.db) == before


def test_repeated_wrong_passphrases_grow_a_delay(data_dir):
    closed_store(data_dir)
    delays = []
    for _ in range(5):
        try:
            Store.unlock(data_dir, "fout fout fout fout")
        except keymod.WrongPassphrase as exc:
            delays.append(exc.retry_after_s)
        except keymod.TooManyAttempts as exc:
            delays.append(exc.retry_after_s)
            break
    assert delays[0] == 0
    assert max(delays) > 0
    # While the delay runs, even the right passphrase must wait.
    with pytest.raises(keymod.TooManyAttempts):
        Store.unlock(data_dir, PASSPHRASE)


def test_create_refuses_existing_store(data_dir):
    closed_store(data_dir)
    before = digest(data_dir / "liaison.db")
    with pytest.raises(StoreExistsError):
        Store.create(data_dir, PASSPHRASE, kdf=FAST_KDF)
    assert digest(data_dir / "liaison.db") == before


def test_truncated_file_is_refused_and_left_alone(data_dir):
    paths = closed_store(data_dir)
    data = paths.db.read_bytes()
    paths.db.write_bytes(data[: len(data) // 2 + 100])
    before = digest(paths.db)
    with pytest.raises(StoreCorruptError) as err:
        Store.unlock(data_dir, PASSPHRASE)
    assert str(paths.db) in str(err.value)
    assert digest(paths.db) == before


def test_truncated_at_page_boundary_is_refused(data_dir):
    store = make_store(data_dir)
    # Enough data for several pages beyond the schema.
    for i in range(200):
        store.set_meta(f"k{i}", "x" * 200)
    store.checkpoint()
    store.close()
    db = data_dir / "liaison.db"
    data = db.read_bytes()
    db.write_bytes(data[: 4096 * 3])
    before = digest(db)
    with pytest.raises(StoreCorruptError) as err:
        s = Store.unlock(data_dir, PASSPHRASE)
        # Reading the lost pages must fail clearly, never return silently.
        for i in range(200):
            s.meta(f"k{i}")
    assert str(db) in str(err.value)
    assert digest(db) == before


@pytest.mark.parametrize("offset", [100, 5000])
def test_tampered_file_is_refused(data_dir, offset):
    paths = closed_store(data_dir)
    data = bytearray(paths.db.read_bytes())
    data[offset] ^= 0x01
    paths.db.write_bytes(bytes(data))
    before = digest(paths.db)
    with pytest.raises(StoreCorruptError) as err:
        s = Store.unlock(data_dir, PASSPHRASE)
        s.meta("probe")
        with s.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA quick_check").all()
    assert str(paths.db) in str(err.value)
    assert digest(paths.db) == before


def test_plain_sqlite_file_is_not_ours(data_dir):
    paths = closed_store(data_dir)
    paths.db.unlink()
    con = sqlite3.connect(paths.db)
    con.execute("CREATE TABLE x(a)")
    con.commit()
    con.close()
    before = digest(paths.db)
    with pytest.raises(StoreNotOursError) as err:
        Store.unlock(data_dir, PASSPHRASE)
    assert str(paths.db) in str(err.value)
    assert digest(paths.db) == before


def test_database_of_another_store_is_refused(tmp_path):
    a = closed_store(tmp_path / "a")
    b = closed_store(tmp_path / "b")
    a.db.write_bytes(b.db.read_bytes())
    before = digest(a.db)
    with pytest.raises(StoreCorruptError):
        # Another store's key: the file cannot be decrypted with ours.
        Store.unlock(a.data_dir, PASSPHRASE)
    assert digest(a.db) == before


def test_missing_database_is_never_recreated(data_dir):
    paths = closed_store(data_dir)
    paths.db.unlink()
    with pytest.raises(StoreMissingError) as err:
        Store.unlock(data_dir, PASSPHRASE)
    assert str(paths.db) in str(err.value)
    assert not paths.db.exists()


def test_database_without_key_file_is_not_ours(data_dir):
    paths = closed_store(data_dir)
    paths.keys.unlink()
    before = digest(paths.db)
    with pytest.raises(StoreNotOursError):
        Store.unlock(data_dir, PASSPHRASE)
    assert digest(paths.db) == before


def test_empty_folder_says_there_is_no_store(tmp_path):
    with pytest.raises(StoreMissingError):
        Store.unlock(tmp_path, PASSPHRASE)


def test_passphrase_change_rewraps_without_reencrypting(data_dir):
    store = make_store(data_dir)
    store.set_meta("x", "1")
    store.checkpoint()
    before = digest(data_dir / "liaison.db")
    store.change_passphrase("een heel andere zin 42", kdf=FAST_KDF)
    store.close()
    assert digest(data_dir / "liaison.db") == before
    with pytest.raises(keymod.WrongPassphrase):
        Store.unlock(data_dir, PASSPHRASE)
    again = Store.unlock(data_dir, "een heel andere zin 42")
    assert again.meta("x") == "1"
    again.close()


def test_recovery_key_unlocks(data_dir):
    store, recovery = Store.create(data_dir, PASSPHRASE, kdf=FAST_KDF)
    store.close()
    again = Store.unlock_with_recovery(data_dir, recovery)
    assert again.meta("store_id") == again.store_id
    again.close()


def test_close_drops_the_key(data_dir):
    store = make_store(data_dir)
    store.close()
    assert not store.is_open
    assert store._key is None
    with pytest.raises(Exception, match="vergrendeld"):
        store.meta("x")


# -- migrations --------------------------------------------------------------------------


def test_head_constant_matches_alembic():
    script = ScriptDirectory(str(migrate.MIGRATIONS_DIR))
    assert script.get_current_head() == migrate.HEAD


def test_migrations_build_exactly_the_models(data_dir):
    store = make_store(data_dir)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    store.close()
    assert diff == []


def test_migration_makes_an_encrypted_backup_first(data_dir, monkeypatch):
    store = make_store(data_dir)
    store.set_meta("before-migration", "bewaard")
    store.close()
    calls = []
    real_upgrade = migrate.upgrade
    monkeypatch.setattr(migrate, "needs_upgrade", lambda conn: True)

    def spy_upgrade(conn):
        calls.append(sorted((data_dir / "backups").glob("*.db")))
        real_upgrade(conn)

    monkeypatch.setattr(migrate, "upgrade", spy_upgrade)
    Store.unlock(data_dir, PASSPHRASE).close()
    assert calls and len(calls[0]) == 1, "backup must exist before the upgrade runs"
    backup = calls[0][0]
    assert backup.read_bytes()[:16] != b"SQLite format 3\x00"
    assert b"bewaard" not in backup.read_bytes()
    # The backup opens with the same key and holds the data.
    key = keymod.KeyFile.load(data_dir / "keys.json").unlock(PASSPHRASE)
    con = sqlcipher3.connect(str(backup))
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    value = con.execute("SELECT value FROM store_meta WHERE key='before-migration'").fetchone()
    assert value == ("bewaard",)
    con.close()


def test_old_backups_are_pruned(data_dir):
    store = make_store(data_dir)
    made = [store.backup(f"test{i}") for i in range(8)]
    left = sorted((data_dir / "backups").glob("liaison-*.db"))
    assert len(left) == 5
    assert made[-1] in left
    store.close()


def test_device_secret_fallback_lives_in_the_encrypted_store(data_dir):
    store = make_store(data_dir)
    store.set_secret("sync_token", "geheim-token-123")
    assert store.get_secret("sync_token") == "geheim-token-123"
    store.delete_secret("sync_token")
    assert store.get_secret("sync_token") is None
    store.close()
