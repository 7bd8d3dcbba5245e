"""Tests for the database key lifecycle (liaison_desktop.store.keys)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from liaison_desktop.store import keys
from liaison_desktop.store.keys import (
    KdfParams,
    KeyFile,
    KeyFileError,
    KeyStoreError,
    TooManyAttempts,
    WrongPassphrase,
    WrongRecoveryKey,
    format_recovery_key,
    parse_recovery_key,
)

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASS = "correct paard batterij nietje"
STORE_ID = "store-7f3a"


class FakeClock:
    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def keyfile_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "keys.json"


@pytest.fixture
def created(keyfile_path: Path) -> tuple[KeyFile, bytes, str]:
    return KeyFile.create(keyfile_path, PASS, STORE_ID, FAST)


def _doc(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def _blobs(doc: dict) -> dict:
    return {k: doc[k] for k in ("passphrase", "recovery", "key_check", "store_id", "version")}


def test_defaults_are_strong() -> None:
    d = KdfParams()
    assert d.memory_kib >= 64 * 1024
    assert d.iterations == 3
    assert d.lanes == 4
    assert keys.DEFAULT_KDF == d


def test_create_and_unlock_round_trip(keyfile_path: Path, created) -> None:
    kf, db_key, recovery = created
    assert isinstance(db_key, bytes) and len(db_key) == 32
    assert kf.store_id == STORE_ID
    assert kf.failed_attempts == 0
    assert kf.kdf == FAST

    doc = _doc(keyfile_path)
    assert doc["format"] == "liaison-keyfile"
    assert doc["version"] == 1
    assert doc["passphrase"]["kdf"]["memory_kib"] == 1024

    assert kf.unlock(PASS) == db_key
    again = KeyFile.load(keyfile_path)
    assert again.store_id == STORE_ID
    assert again.unlock(PASS) == db_key


def test_unicode_normalisation_of_passphrase(tmp_path: Path) -> None:
    composed = "caf\u00e9 geheim"
    decomposed = "cafe\u0301 geheim"
    kf, db_key, _ = KeyFile.create(tmp_path / "k.json", composed, STORE_ID, FAST)
    assert kf.unlock(decomposed) == db_key


def test_db_keys_are_random(tmp_path: Path) -> None:
    _, k1, r1 = KeyFile.create(tmp_path / "a.json", PASS, STORE_ID, FAST)
    _, k2, r2 = KeyFile.create(tmp_path / "b.json", PASS, STORE_ID, FAST)
    assert k1 != k2
    assert r1 != r2


def test_wrong_passphrase_changes_only_the_counter(keyfile_path: Path, created) -> None:
    kf, db_key, _ = created
    before = _doc(keyfile_path)
    with pytest.raises(WrongPassphrase) as exc_info:
        kf.unlock("verkeerd geheim", now=FakeClock())
    err = exc_info.value
    assert err.failed_attempts == 1
    assert err.retry_after_s == 0
    assert "Wachtwoordzin onjuist. Probeer het opnieuw." in str(err)
    assert "verkeerd geheim" not in str(err)
    after = _doc(keyfile_path)
    assert _blobs(after) == _blobs(before)
    assert after["throttle"]["failed_attempts"] == 1
    # And it is persisted:
    assert KeyFile.load(keyfile_path).failed_attempts == 1
    assert kf.unlock(PASS) == db_key


def test_growing_delay_with_fake_clock(keyfile_path: Path, created, monkeypatch) -> None:
    kf, db_key, _ = created
    clock = FakeClock()
    for attempt in (1, 2, 3):
        with pytest.raises(WrongPassphrase) as exc_info:
            kf.unlock("fout", now=clock)
        assert exc_info.value.failed_attempts == attempt
        assert exc_info.value.retry_after_s == 0

    with pytest.raises(WrongPassphrase) as exc_info:
        kf.unlock("fout", now=clock)
    assert exc_info.value.failed_attempts == 4
    assert exc_info.value.retry_after_s == 1.0
    assert "herstelsleutel" in str(exc_info.value)

    # Inside the window even the right passphrase is refused, without running the KDF.
    calls = []
    real_derive = keys.derive_passphrase_key

    def spy(*args, **kwargs):
        calls.append(1)
        return real_derive(*args, **kwargs)

    monkeypatch.setattr(keys, "derive_passphrase_key", spy)
    clock.t += 0.5
    with pytest.raises(TooManyAttempts) as too_many:
        kf.unlock(PASS, now=clock)
    assert too_many.value.retry_after_s == pytest.approx(0.5)
    assert str(too_many.value) == "Te veel pogingen: wacht nog 1 seconde."
    assert calls == []

    # The window survives a reload (persisted).
    with pytest.raises(TooManyAttempts):
        KeyFile.load(keyfile_path).unlock(PASS, now=clock)
    assert calls == []

    clock.t += 0.5
    with pytest.raises(WrongPassphrase) as exc_info:
        kf.unlock("fout", now=clock)
    assert exc_info.value.failed_attempts == 5
    assert exc_info.value.retry_after_s == 2.0
    assert calls == [1]

    clock.t += 1.0
    with pytest.raises(TooManyAttempts) as too_many:
        kf.unlock(PASS, now=clock)
    assert "wacht nog 1 seconde" in str(too_many.value)

    clock.t += 1.0
    assert kf.unlock(PASS, now=clock) == db_key
    assert kf.failed_attempts == 0
    reloaded = KeyFile.load(keyfile_path)
    assert reloaded.failed_attempts == 0
    assert reloaded.not_before == 0.0


def test_delay_schedule() -> None:
    delays = [keys.throttle_delay(n) for n in range(1, 16)]
    assert delays[:3] == [0, 0, 0]
    assert delays[3:9] == [1, 2, 4, 8, 16, 32]
    assert max(delays) == 300
    assert keys.throttle_delay(10_000) == 300


def test_clock_jump_back_does_not_lock_out_for_long(keyfile_path: Path, created) -> None:
    kf, db_key, _ = created
    clock = FakeClock()
    for _ in range(4):
        with pytest.raises(WrongPassphrase):
            kf.unlock("fout", now=clock)
    clock.t -= 86_400  # clock set back a day
    with pytest.raises(TooManyAttempts) as too_many:
        kf.unlock(PASS, now=clock)
    assert too_many.value.retry_after_s <= keys.MAX_DELAY_S
    clock.t += keys.MAX_DELAY_S
    assert kf.unlock(PASS, now=clock) == db_key


def test_recovery_unlock(keyfile_path: Path, created) -> None:
    kf, db_key, recovery = created
    groups = recovery.split("-")
    assert len(groups) == 14 and all(len(g) == 4 for g in groups)
    assert kf.unlock_with_recovery(recovery) == db_key
    # Tolerant input: lower case, spaces instead of dashes, O/I/L confusion.
    sloppy = recovery.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    assert KeyFile.load(keyfile_path).unlock_with_recovery(sloppy) == db_key
    assert kf.unlock_with_recovery(recovery.replace("-", "")) == db_key


def test_recovery_unlock_resets_throttle(created) -> None:
    kf, db_key, recovery = created
    clock = FakeClock()
    for _ in range(4):
        with pytest.raises(WrongPassphrase):
            kf.unlock("fout", now=clock)
    with pytest.raises(TooManyAttempts):
        kf.unlock(PASS, now=clock)
    assert kf.unlock_with_recovery(recovery) == db_key
    assert kf.failed_attempts == 0
    assert kf.unlock(PASS, now=clock) == db_key


def _typo(text: str, index: int) -> str:
    chars = list(text)
    positions = [i for i, c in enumerate(chars) if c != "-"]
    pos = positions[index]
    chars[pos] = "2" if chars[pos] != "2" else "3"
    return "".join(chars)


def test_recovery_key_with_typo(created) -> None:
    kf, _, recovery = created
    for index in (0, 17, 51, 55):
        with pytest.raises(WrongRecoveryKey) as exc_info:
            kf.unlock_with_recovery(_typo(recovery, index))
        assert "typefout" in str(exc_info.value)


def test_recovery_key_malformed_messages(created) -> None:
    kf, _, recovery = created
    with pytest.raises(WrongRecoveryKey, match="56 tekens"):
        kf.unlock_with_recovery(recovery[:-5])
    with pytest.raises(WrongRecoveryKey, match="ongeldig teken: 'U'"):
        kf.unlock_with_recovery("U" + recovery[1:])
    with pytest.raises(WrongRecoveryKey, match="56 tekens"):
        kf.unlock_with_recovery("")


def test_recovery_key_of_another_store(tmp_path: Path, created) -> None:
    kf, _, _ = created
    _, _, other = KeyFile.create(tmp_path / "other.json", PASS, STORE_ID, FAST)
    with pytest.raises(WrongRecoveryKey, match="hoort niet bij"):
        kf.unlock_with_recovery(other)


def test_format_parse_round_trip() -> None:
    for raw in (bytes(32), b"\xff" * 32, bytes(range(32))):
        text = format_recovery_key(raw)
        assert parse_recovery_key(text) == raw
        assert set(text) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ-")
    with pytest.raises(ValueError):
        format_recovery_key(b"short")


def test_rewrap_recovery(keyfile_path: Path, created) -> None:
    kf, db_key, old = created
    new = kf.rewrap_recovery(db_key)
    assert new != old
    assert kf.unlock_with_recovery(new) == db_key
    reloaded = KeyFile.load(keyfile_path)
    with pytest.raises(WrongRecoveryKey):
        reloaded.unlock_with_recovery(old)
    assert reloaded.unlock_with_recovery(new) == db_key
    assert reloaded.unlock(PASS) == db_key


def test_change_passphrase(keyfile_path: Path, created) -> None:
    kf, db_key, recovery = created
    kf.change_passphrase(db_key, "nieuwe wachtwoordzin")
    reloaded = KeyFile.load(keyfile_path)
    with pytest.raises(WrongPassphrase):
        reloaded.unlock(PASS, now=FakeClock())
    assert reloaded.unlock("nieuwe wachtwoordzin") == db_key
    assert reloaded.unlock_with_recovery(recovery) == db_key
    assert reloaded.kdf == FAST


def test_change_passphrase_raises_kdf_params(keyfile_path: Path, created) -> None:
    kf, db_key, _ = created
    stronger = KdfParams(memory_kib=2048, iterations=2, lanes=2)
    kf.change_passphrase(db_key, PASS, stronger)
    reloaded = KeyFile.load(keyfile_path)
    assert reloaded.kdf == stronger
    assert _doc(keyfile_path)["passphrase"]["kdf"]["memory_kib"] == 2048
    assert reloaded.unlock(PASS) == db_key


def test_change_passphrase_with_wrong_db_key_changes_nothing(keyfile_path: Path, created) -> None:
    kf, db_key, _ = created
    before = keyfile_path.read_bytes()
    with pytest.raises(KeyStoreError):
        kf.change_passphrase(bytes(32), "nieuw")
    with pytest.raises(KeyStoreError):
        kf.rewrap_recovery(db_key[:-1] + bytes([db_key[-1] ^ 1]))
    assert keyfile_path.read_bytes() == before


def test_db_key_never_in_key_file(keyfile_path: Path, created) -> None:
    kf, db_key, recovery = created
    kf.change_passphrase(db_key, "nog een andere")
    kf.rewrap_recovery(db_key)
    with pytest.raises(WrongPassphrase):
        kf.unlock("fout", now=FakeClock())
    data = keyfile_path.read_bytes()
    forms = [
        db_key,
        db_key.hex().encode(),
        db_key.hex().upper().encode(),
        base64.b64encode(db_key),
        base64.b64encode(db_key).rstrip(b"="),
        base64.urlsafe_b64encode(db_key).rstrip(b"="),
        base64.b32encode(db_key).rstrip(b"="),
    ]
    for form in forms:
        assert form not in data
    # Neither does the recovery key or the passphrase.
    assert recovery.encode() not in data
    assert recovery.replace("-", "").encode() not in data
    assert PASS.encode() not in data
    assert b"nog een andere" not in data


def _flip_b64(value: str, index: int = 5) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("slot", ["passphrase", "recovery"])
def test_tampered_ciphertext_is_refused(keyfile_path: Path, created, slot: str) -> None:
    _, _, recovery = created
    doc = _doc(keyfile_path)
    doc[slot]["ciphertext"] = _flip_b64(doc[slot]["ciphertext"])
    keyfile_path.write_text(json.dumps(doc), "utf-8")
    kf = KeyFile.load(keyfile_path)
    with pytest.raises(KeyFileError) as exc_info:
        if slot == "passphrase":
            kf.unlock(PASS)
        else:
            kf.unlock_with_recovery(recovery)
    assert str(keyfile_path) in str(exc_info.value)
    assert "beschadigd" in str(exc_info.value)


def test_tampered_store_id_is_refused(keyfile_path: Path, created) -> None:
    _, _, recovery = created
    doc = _doc(keyfile_path)
    doc["store_id"] = "another-store"
    keyfile_path.write_text(json.dumps(doc), "utf-8")
    kf = KeyFile.load(keyfile_path)
    with pytest.raises(KeyStoreError):
        kf.unlock(PASS)
    with pytest.raises(KeyStoreError):
        kf.unlock_with_recovery(recovery)


def test_swapped_slots_are_refused(keyfile_path: Path, created) -> None:
    _, _, recovery = created
    doc = _doc(keyfile_path)
    for field in ("nonce", "ciphertext"):
        doc["recovery"][field] = doc["passphrase"][field]
    keyfile_path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(KeyFileError):
        KeyFile.load(keyfile_path).unlock_with_recovery(recovery)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'{"hello": "world"}',
        b'{"format": "something-else", "version": 1}',
        b'{"format": "liaison-keyfile", "version": 1}',
        b'{"format": "liaison-keyfile", "version": 99}',
    ],
)
def test_bad_files_give_key_file_error_and_are_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "keys.json"
    path.write_bytes(content)
    with pytest.raises(KeyFileError) as exc_info:
        KeyFile.load(path)
    assert exc_info.value.path == path
    assert str(path) in str(exc_info.value)
    assert path.read_bytes() == content
    with pytest.raises(KeyFileError):
        KeyFile.create(path, PASS, STORE_ID, FAST)
    assert path.read_bytes() == content


def test_truncated_key_file(keyfile_path: Path, created) -> None:
    data = keyfile_path.read_bytes()
    truncated = data[: len(data) // 2]
    keyfile_path.write_bytes(truncated)
    with pytest.raises(KeyFileError, match="beschadigd"):
        KeyFile.load(keyfile_path)
    assert keyfile_path.read_bytes() == truncated


def test_garbled_field_in_key_file(keyfile_path: Path, created) -> None:
    doc = _doc(keyfile_path)
    doc["passphrase"]["nonce"] = "!!!not base64!!!"
    keyfile_path.write_text(json.dumps(doc), "utf-8")
    before = keyfile_path.read_bytes()
    with pytest.raises(KeyFileError) as exc_info:
        KeyFile.load(keyfile_path)
    assert str(keyfile_path) in str(exc_info.value)
    assert keyfile_path.read_bytes() == before


def test_missing_key_file(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "keys.json"
    with pytest.raises(KeyFileError) as exc_info:
        KeyFile.load(path)
    assert exc_info.value.path == path
    assert "niet gevonden" in str(exc_info.value)
    assert str(path) in str(exc_info.value)
    assert not path.exists()


def test_create_refuses_to_overwrite(keyfile_path: Path, created) -> None:
    before = keyfile_path.read_bytes()
    with pytest.raises(KeyFileError) as exc_info:
        KeyFile.create(keyfile_path, "ander", STORE_ID, FAST)
    assert str(keyfile_path) in str(exc_info.value)
    assert keyfile_path.read_bytes() == before
    leftovers = [p.name for p in keyfile_path.parent.iterdir() if p != keyfile_path]
    assert leftovers == []


def test_no_temp_files_left_behind(keyfile_path: Path, created) -> None:
    kf, db_key, _ = created
    kf.change_passphrase(db_key, "x" * 12)
    kf.rewrap_recovery(db_key)
    with pytest.raises(WrongPassphrase):
        kf.unlock("fout", now=FakeClock())
    assert [p.name for p in keyfile_path.parent.iterdir()] == ["keys.json"]


def test_empty_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        KeyFile.create(tmp_path / "k.json", "", STORE_ID, FAST)
    assert not (tmp_path / "k.json").exists()


def test_error_hierarchy() -> None:
    for cls in (KeyFileError, WrongPassphrase, TooManyAttempts, WrongRecoveryKey):
        assert issubclass(cls, KeyStoreError)
