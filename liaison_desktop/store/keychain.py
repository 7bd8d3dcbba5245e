"""Device secrets (e.g. the sync token) in the OS keychain, with a fallback store.

Entries live under service :data:`SERVICE` with username ``f"{store_id}:{name}"``, so several
local stores on one machine do not see each other's secrets. When no usable keychain exists
(headless Linux, a locked or broken backend), secrets go to a :class:`SecretFallback` — the
encrypted database implements it. Secret values are never logged.
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

import keyring
import keyring.backend
import keyring.errors

__all__ = [
    "SERVICE",
    "DeviceSecrets",
    "DeviceSecretsError",
    "KeychainUnavailable",
    "SecretFallback",
    "keychain_available",
]

SERVICE = "liaison-desktop"

log = logging.getLogger("liaison_desktop.store.keychain")

MESSAGE_KEYCHAIN = (
    "Apparaatgeheimen worden in de sleutelbos van het besturingssysteem bewaard ({backend})."
)
MESSAGE_FALLBACK = (
    "Geen sleutelbos van het besturingssysteem gevonden; apparaatgeheimen worden in de "
    "versleutelde database bewaard."
)
MESSAGE_FALLBACK_AFTER_ERROR = (
    "De sleutelbos van het besturingssysteem gaf een fout; apparaatgeheimen worden in de "
    "versleutelde database bewaard."
)
MESSAGE_DISABLED = (
    "De sleutelbos van het besturingssysteem is uitgeschakeld; apparaatgeheimen worden in de "
    "versleutelde database bewaard."
)
MESSAGE_NOWHERE = (
    "Geen sleutelbos van het besturingssysteem gevonden en geen versleutelde opslag "
    "beschikbaar; apparaatgeheimen kunnen niet worden bewaard."
)


class DeviceSecretsError(Exception):
    """Base class for device secret errors; messages are Dutch."""


class KeychainUnavailable(DeviceSecretsError):
    """No usable OS keychain and no fallback store."""


@runtime_checkable
class SecretFallback(Protocol):
    """Where device secrets go when the OS keychain is unusable (the encrypted store)."""

    def get_secret(self, name: str) -> str | None: ...

    def set_secret(self, name: str, value: str) -> None: ...

    def delete_secret(self, name: str) -> None: ...


def _backend_usable(backend: keyring.backend.KeyringBackend) -> bool:
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        backends = list(backend.backends)
        if not backends:
            return False
        return any(_backend_usable(b) for b in backends)
    return float(backend.priority) >= 1


def keychain_available() -> bool:
    """True when keyring's active backend is a real keychain (priority ≥ 1). Never raises."""
    try:
        return _backend_usable(keyring.get_keyring())
    except Exception:  # a probing failure just means "no keychain"
        return False


def _backend_name() -> str:
    try:
        backend = keyring.get_keyring()
        return str(getattr(backend, "name", type(backend).__name__))
    except Exception:
        return "onbekend"


# Errors from a keyring call that mean "this keychain does not work right now".
_KEYCHAIN_ERRORS: tuple[type[BaseException], ...] = (keyring.errors.KeyringError, OSError)


class DeviceSecrets:
    """Get/set/delete named device secrets for one local store."""

    def __init__(
        self,
        store_id: str,
        fallback: SecretFallback | None = None,
        *,
        use_keychain: bool | None = None,
    ) -> None:
        if not isinstance(store_id, str) or not store_id:
            raise ValueError("store_id mag niet leeg zijn.")
        self.store_id = store_id
        self.fallback = fallback
        self._logged_fallback = False
        if use_keychain is None:
            self.available = keychain_available()
            reason = MESSAGE_FALLBACK
        else:
            self.available = bool(use_keychain)
            reason = MESSAGE_DISABLED
        if self.available:
            self.status_message = MESSAGE_KEYCHAIN.format(backend=_backend_name())
        elif fallback is not None:
            self.status_message = reason
            self._log_fallback("geen bruikbare sleutelbos" if use_keychain is None else "uitgezet")
        else:
            self.status_message = MESSAGE_NOWHERE

    # ---- public API

    def get(self, name: str) -> str | None:
        """The secret, or None when it is not stored anywhere."""
        username = self._username(name)
        if self.available:
            try:
                value = keyring.get_password(SERVICE, username)
            except _KEYCHAIN_ERRORS as exc:
                self._keychain_failed(exc)
            else:
                if value is not None or self.fallback is None:
                    return value
                # Stored in the fallback while the keychain was unavailable.
                return self.fallback.get_secret(name)
        return self._require_fallback().get_secret(name)

    def set(self, name: str, value: str) -> None:
        """Store (or replace) a secret."""
        username = self._username(name)
        if not isinstance(value, str):
            raise TypeError("Een apparaatgeheim moet tekst zijn.")
        if self.available:
            try:
                keyring.set_password(SERVICE, username, value)
            except _KEYCHAIN_ERRORS as exc:
                self._keychain_failed(exc)
            else:
                if self.fallback is not None:
                    # Don't leave an older copy behind in the database.
                    self.fallback.delete_secret(name)
                return
        self._require_fallback().set_secret(name, value)

    def delete(self, name: str) -> None:
        """Remove a secret everywhere; deleting a missing secret is not an error."""
        username = self._username(name)
        if self.available:
            try:
                keyring.delete_password(SERVICE, username)
            except keyring.errors.PasswordDeleteError:
                pass  # not there
            except _KEYCHAIN_ERRORS as exc:
                self._keychain_failed(exc)
        if self.fallback is not None:
            self.fallback.delete_secret(name)
        elif not self.available:
            raise KeychainUnavailable(MESSAGE_NOWHERE)

    # ---- internals

    def _username(self, name: str) -> str:
        if not isinstance(name, str) or not name or ":" in name:
            raise ValueError(
                "De naam van een apparaatgeheim moet niet leeg zijn en geen ':' bevatten."
            )
        return f"{self.store_id}:{name}"

    def _require_fallback(self) -> SecretFallback:
        if self.fallback is None:
            raise KeychainUnavailable(MESSAGE_NOWHERE)
        return self.fallback

    def _keychain_failed(self, exc: BaseException) -> None:
        self.available = False
        if self.fallback is None:
            self.status_message = MESSAGE_NOWHERE
            raise KeychainUnavailable(
                f"{MESSAGE_NOWHERE} (sleutelbos-fout: {type(exc).__name__})"
            ) from exc
        self.status_message = MESSAGE_FALLBACK_AFTER_ERROR
        self._log_fallback(f"sleutelbos-fout {type(exc).__name__}")

    def _log_fallback(self, reason: str) -> None:
        if self._logged_fallback:
            return
        self._logged_fallback = True
        log.info(
            "Apparaatgeheimen voor store %s gaan naar de versleutelde database (%s).",
            self.store_id,
            reason,
        )
