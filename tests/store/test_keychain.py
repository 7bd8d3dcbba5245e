"""Tests for device secrets in the OS keychain (liaison_desktop.store.keychain)."""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest
from keyring.compat import properties

from liaison_desktop.store.keychain import (
    SERVICE,
    DeviceSecrets,
    KeychainUnavailable,
    SecretFallback,
    keychain_available,
)

SECRET = "tok-3b9f-very-secret"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A tiny in-memory keyring for tests."""

    @properties.classproperty
    def priority(cls) -> float:
        return 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("not found") from None


class LowPriorityKeyring(MemoryKeyring):
    @properties.classproperty
    def priority(cls) -> float:
        return 0.5


class BrokenKeyring(MemoryKeyring):
    """Claims to be usable but every call fails (e.g. a locked or crashed secret service)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("cannot set")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


class EmptyChainer(keyring.backends.chainer.ChainerBackend):
    backends: list = []


class MemoryFallback:
    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}
        self.calls: list[str] = []

    def get_secret(self, name: str) -> str | None:
        self.calls.append("get")
        return self.secrets.get(name)

    def set_secret(self, name: str, value: str) -> None:
        self.calls.append("set")
        self.secrets[name] = value

    def delete_secret(self, name: str) -> None:
        self.calls.append("delete")
        self.secrets.pop(name, None)


@pytest.fixture
def use_backend():
    previous = keyring.get_keyring()

    def _use(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield _use
    keyring.set_keyring(previous)


@pytest.fixture
def memory(use_backend) -> MemoryKeyring:
    return use_backend(MemoryKeyring())


def test_fallback_satisfies_protocol() -> None:
    assert isinstance(MemoryFallback(), SecretFallback)


def test_keychain_available_detection(use_backend) -> None:
    use_backend(MemoryKeyring())
    assert keychain_available() is True
    use_backend(keyring.backends.fail.Keyring())
    assert keychain_available() is False
    use_backend(keyring.backends.null.Keyring())
    assert keychain_available() is False
    use_backend(LowPriorityKeyring())
    assert keychain_available() is False
    use_backend(EmptyChainer())
    assert keychain_available() is False


def test_keychain_available_never_raises(monkeypatch) -> None:
    def boom():
        raise RuntimeError("backend init exploded")

    monkeypatch.setattr(keyring, "get_keyring", boom)
    assert keychain_available() is False


def test_round_trip_in_keychain_namespaced_by_store(memory: MemoryKeyring) -> None:
    fallback = MemoryFallback()
    secrets = DeviceSecrets("store-a", fallback)
    assert secrets.available is True
    assert "sleutelbos" in secrets.status_message
    assert secrets.get("sync_token") is None
    secrets.set("sync_token", SECRET)
    assert memory.entries == {(SERVICE, "store-a:sync_token"): SECRET}
    assert secrets.get("sync_token") == SECRET
    assert fallback.secrets == {}

    other = DeviceSecrets("store-b", fallback)
    assert other.get("sync_token") is None

    secrets.delete("sync_token")
    assert memory.entries == {}
    assert secrets.get("sync_token") is None
    secrets.delete("sync_token")  # deleting twice is fine


def test_keychain_without_fallback(memory: MemoryKeyring) -> None:
    secrets = DeviceSecrets("store-a")
    secrets.set("sync_token", SECRET)
    assert secrets.get("sync_token") == SECRET
    secrets.delete("sync_token")
    assert secrets.get("sync_token") is None


def test_fail_backend_uses_fallback(use_backend, caplog) -> None:
    use_backend(keyring.backends.fail.Keyring())
    fallback = MemoryFallback()
    with caplog.at_level(logging.INFO, logger="liaison_desktop.store.keychain"):
        secrets = DeviceSecrets("store-a", fallback)
        secrets.set("sync_token", SECRET)
        assert secrets.get("sync_token") == SECRET
        secrets.delete("sync_token")
        assert secrets.get("sync_token") is None
    assert secrets.available is False
    assert secrets.status_message == (
        "Geen sleutelbos van het besturingssysteem gevonden; apparaatgeheimen worden in de "
        "versleutelde database bewaard."
    )
    records = [r for r in caplog.records if r.name == "liaison_desktop.store.keychain"]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    assert SECRET not in caplog.text


def test_no_keychain_and_no_fallback_raises_clearly(use_backend) -> None:
    use_backend(keyring.backends.fail.Keyring())
    secrets = DeviceSecrets("store-a")
    assert secrets.available is False
    assert "kunnen niet worden bewaard" in secrets.status_message
    with pytest.raises(KeychainUnavailable, match="sleutelbos"):
        secrets.set("sync_token", SECRET)
    with pytest.raises(KeychainUnavailable):
        secrets.get("sync_token")
    with pytest.raises(KeychainUnavailable):
        secrets.delete("sync_token")


def test_keyring_error_at_runtime_falls_back_once(use_backend, caplog) -> None:
    use_backend(BrokenKeyring())
    fallback = MemoryFallback()
    with caplog.at_level(logging.INFO, logger="liaison_desktop.store.keychain"):
        secrets = DeviceSecrets("store-a", fallback)
        assert secrets.available is True
        secrets.set("sync_token", SECRET)
        assert secrets.available is False
        assert fallback.secrets == {"sync_token": SECRET}
        assert secrets.get("sync_token") == SECRET
        secrets.set("other", "second-secret")
    assert "versleutelde database" in secrets.status_message
    records = [r for r in caplog.records if r.name == "liaison_desktop.store.keychain"]
    assert len(records) == 1
    assert SECRET not in caplog.text
    assert "second-secret" not in caplog.text


def test_keyring_error_without_fallback_raises(use_backend) -> None:
    use_backend(BrokenKeyring())
    secrets = DeviceSecrets("store-a")
    with pytest.raises(KeychainUnavailable) as exc_info:
        secrets.set("sync_token", SECRET)
    assert SECRET not in str(exc_info.value)
    assert isinstance(exc_info.value.__cause__, keyring.errors.KeyringError)


def test_use_keychain_false_forces_fallback(memory: MemoryKeyring) -> None:
    fallback = MemoryFallback()
    secrets = DeviceSecrets("store-a", fallback, use_keychain=False)
    assert secrets.available is False
    assert "uitgeschakeld" in secrets.status_message
    secrets.set("sync_token", SECRET)
    assert memory.entries == {}
    assert fallback.secrets == {"sync_token": SECRET}


def test_secret_in_fallback_found_once_keychain_appears(memory: MemoryKeyring) -> None:
    fallback = MemoryFallback()
    fallback.secrets["sync_token"] = SECRET
    secrets = DeviceSecrets("store-a", fallback)
    assert secrets.available is True
    assert secrets.get("sync_token") == SECRET
    # Setting it again moves it into the keychain and removes the database copy.
    secrets.set("sync_token", "new-token")
    assert fallback.secrets == {}
    assert secrets.get("sync_token") == "new-token"


def test_bad_names_rejected(memory: MemoryKeyring) -> None:
    secrets = DeviceSecrets("store-a")
    for bad in ("", "a:b"):
        with pytest.raises(ValueError):
            secrets.set(bad, SECRET)
    with pytest.raises(ValueError):
        DeviceSecrets("")
