"""Database key lifecycle: generate, wrap, unwrap and re-wrap the SQLCipher key.

The database key is 32 random bytes that SQLCipher receives as a raw key. It is never
written to disk in clear. The key file (a small JSON document, e.g. ``DATA_DIR/keys.json``)
holds it wrapped twice:

* ``passphrase``: Argon2id(passphrase, salt, params) gives a 32-byte master key; HKDF-SHA256
  splits it into an AES-256-GCM wrapping key and a 16-byte verifier. The verifier lets us tell
  "wrong passphrase" apart from "the wrapped blob is damaged".
* ``recovery``: a 32-byte recovery key, shown once to the user as text
  (see :func:`format_recovery_key`); HKDF-SHA256(recovery key, salt,
  info=b"liaison recovery wrap") gives the AES-256-GCM wrapping key, plus a verifier like above.

The associated data of every AES-GCM seal binds the file format, the store id and the purpose,
so a blob cannot be moved to another store or swapped between slots.

A ``key_check`` blob (a constant sealed under a key derived from the database key) lets
:meth:`KeyFile.change_passphrase` and :meth:`KeyFile.rewrap_recovery` verify that the caller
passes the right database key without knowing the passphrase.

Wrong passphrases are throttled: ``failed_attempts`` and ``not_before`` are persisted in the
key file. This slows down guessing through the app only; someone holding a copy of the file can
run Argon2id themselves, which is what the memory-hard KDF is for.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import math
import os
import secrets
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "DB_KEY_LEN",
    "DEFAULT_KDF",
    "FORMAT_MARKER",
    "FORMAT_VERSION",
    "KdfParams",
    "KeyFile",
    "KeyFileError",
    "KeyStoreError",
    "TooManyAttempts",
    "WrongPassphrase",
    "WrongRecoveryKey",
    "derive_passphrase_key",
    "format_recovery_key",
    "generate_db_key",
    "parse_recovery_key",
    "throttle_delay",
]

log = logging.getLogger(__name__)

FORMAT_MARKER = "liaison-keyfile"
FORMAT_VERSION = 1

DB_KEY_LEN = 32
RECOVERY_KEY_LEN = 32
SALT_LEN = 16
NONCE_LEN = 12
VERIFIER_LEN = 16
_TAG_LEN = 16
_MAX_KEYFILE_BYTES = 64 * 1024

FREE_ATTEMPTS = 3
"""Wrong passphrases without any delay; from the next one on the delay doubles."""
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0

_PURPOSE_PASSPHRASE = "passphrase"  # noqa: S105 - an AAD label, not a secret
_PURPOSE_RECOVERY = "recovery"
_PURPOSE_KEY_CHECK = "keycheck"

_INFO_PASSPHRASE_WRAP = b"liaison passphrase wrap"
_INFO_PASSPHRASE_VERIFY = b"liaison passphrase verify"
_INFO_RECOVERY_WRAP = b"liaison recovery wrap"
_INFO_RECOVERY_VERIFY = b"liaison recovery verify"
_INFO_KEY_CHECK = b"liaison key check"
_KEY_CHECK_PLAINTEXT = b"liaison-keyfile key check v1"

# Crockford base32: no I, L, O, U.
_B32_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_B32_DECODE = {c: i for i, c in enumerate(_B32_ALPHABET)}
_B32_DECODE.update({"O": 0, "I": 1, "L": 1})
_RECOVERY_GROUP = 4
_RECOVERY_CHECK_BITS = 24
_RECOVERY_CHARS = (RECOVERY_KEY_LEN * 8 + _RECOVERY_CHECK_BITS) // 5  # 56 = 14 groups of 4
_RECOVERY_SEPARATORS = frozenset("-_.\u2010\u2011\u2012\u2013\u2014\u2212")


# --------------------------------------------------------------------------- errors


class KeyStoreError(Exception):
    """Base class of all key store errors; messages are Dutch and safe to show."""


class KeyFileError(KeyStoreError):
    """The key file is missing, unreadable, malformed, damaged or not a Liaison key file."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None


class WrongPassphrase(KeyStoreError):
    """The passphrase does not unlock the key file."""

    def __init__(self, message: str, failed_attempts: int, retry_after_s: float) -> None:
        super().__init__(message)
        self.failed_attempts = failed_attempts
        self.retry_after_s = retry_after_s


class TooManyAttempts(KeyStoreError):
    """Unlocking is refused (without running the KDF) until the delay has passed."""

    def __init__(self, message: str, retry_after_s: float, failed_attempts: int = 0) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.failed_attempts = failed_attempts


class WrongRecoveryKey(KeyStoreError):
    """The recovery key is malformed, contains a typo, or belongs to another key file."""


# --------------------------------------------------------------------------- KDF


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters. ``memory_kib`` is in KiB (65536 = 64 MiB)."""

    memory_kib: int = 65536
    iterations: int = 3
    lanes: int = 4

    def __post_init__(self) -> None:
        for name in ("memory_kib", "iterations", "lanes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"KdfParams.{name} moet een geheel getal zijn.")
        if not 1 <= self.lanes <= 255:
            raise ValueError("KdfParams.lanes moet tussen 1 en 255 liggen.")
        if self.iterations < 1:
            raise ValueError("KdfParams.iterations moet minstens 1 zijn.")
        if not 8 * self.lanes <= self.memory_kib <= 4 * 1024 * 1024:
            raise ValueError("KdfParams.memory_kib moet tussen 8 × lanes en 4 GiB liggen.")

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }


DEFAULT_KDF = KdfParams()


def _normalize_passphrase(passphrase: str) -> bytes:
    # NFC so that the same passphrase typed on different systems gives the same bytes.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_passphrase_key(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    """Argon2id(passphrase, salt) → 32-byte master key (NFC-normalised UTF-8 passphrase)."""
    return Argon2id(
        salt=salt,
        length=32,
        iterations=kdf.iterations,
        lanes=kdf.lanes,
        memory_cost=kdf.memory_kib,
    ).derive(_normalize_passphrase(passphrase))


def _hkdf(key: bytes, salt: bytes | None, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(key)


def generate_db_key() -> bytes:
    """32 bytes from the OS CSPRNG, to be given to SQLCipher as a raw key."""
    return secrets.token_bytes(DB_KEY_LEN)


def throttle_delay(failed_attempts: int) -> float:
    """Delay in seconds imposed after ``failed_attempts`` consecutive wrong passphrases."""
    if failed_attempts <= FREE_ATTEMPTS:
        return 0.0
    exponent = failed_attempts - FREE_ATTEMPTS - 1
    if exponent >= 32:
        return MAX_DELAY_S
    return min(MAX_DELAY_S, FIRST_DELAY_S * (2**exponent))


def _seconds_text(seconds: float) -> str:
    n = max(1, math.ceil(seconds))
    return "1 seconde" if n == 1 else f"{n} seconden"


# --------------------------------------------------------------------------- recovery key text


def format_recovery_key(raw: bytes) -> str:
    """Render a 32-byte recovery key as 14 groups of 4 Crockford base32 characters.

    The first 13 groups carry the key (and 4 check bits), the last group is the rest of a
    24-bit checksum, so typos are detected before any decryption is tried.
    """
    if len(raw) != RECOVERY_KEY_LEN:
        raise ValueError(f"Een herstelsleutel is {RECOVERY_KEY_LEN} bytes.")
    value = (int.from_bytes(raw, "big") << _RECOVERY_CHECK_BITS) | _recovery_checksum(raw)
    chars = [
        _B32_ALPHABET[(value >> (5 * (_RECOVERY_CHARS - 1 - i))) & 31]
        for i in range(_RECOVERY_CHARS)
    ]
    text = "".join(chars)
    return "-".join(
        text[i : i + _RECOVERY_GROUP] for i in range(0, _RECOVERY_CHARS, _RECOVERY_GROUP)
    )


def _recovery_checksum(raw: bytes) -> int:
    digest = hashlib.sha256(b"liaison recovery checksum\x00" + raw).digest()
    return int.from_bytes(digest[:3], "big")


def parse_recovery_key(text: str) -> bytes:
    """Parse a recovery key as typed by a person; raises :class:`WrongRecoveryKey` if malformed.

    Tolerant of case, spaces, missing or extra dashes, O/0 and I/L/1 confusion.
    """
    if not isinstance(text, str):
        raise WrongRecoveryKey("De herstelsleutel moet als tekst worden ingevoerd.")
    cleaned = []
    for ch in unicodedata.normalize("NFKC", text).upper():
        if ch.isspace() or ch in _RECOVERY_SEPARATORS:
            continue
        if ch not in _B32_DECODE:
            shown = ch if ch.isprintable() else repr(ch)
            raise WrongRecoveryKey(
                f"De herstelsleutel bevat een ongeldig teken: '{shown}'. Een herstelsleutel "
                "bestaat alleen uit cijfers en de letters A–Z (zonder U), in groepen van 4."
            )
        cleaned.append(ch)
    if len(cleaned) != _RECOVERY_CHARS:
        groups = _RECOVERY_CHARS // _RECOVERY_GROUP
        raise WrongRecoveryKey(
            f"De herstelsleutel moet uit {_RECOVERY_CHARS} tekens bestaan ({groups} groepen "
            f"van {_RECOVERY_GROUP}), maar er zijn er {len(cleaned)} ingevoerd. "
            "Controleer of er geen groep ontbreekt of dubbel is ingevoerd."
        )
    value = 0
    for ch in cleaned:
        value = (value << 5) | _B32_DECODE[ch]
    checksum = value & ((1 << _RECOVERY_CHECK_BITS) - 1)
    raw = (value >> _RECOVERY_CHECK_BITS).to_bytes(RECOVERY_KEY_LEN, "big")
    if not hmac.compare_digest(
        checksum.to_bytes(3, "big"), _recovery_checksum(raw).to_bytes(3, "big")
    ):
        raise WrongRecoveryKey(
            "De herstelsleutel bevat een typefout: de controlegroep (de laatste 4 tekens) "
            "klopt niet bij de rest. Vergelijk elke groep van 4 tekens zorgvuldig met de "
            "bewaarde herstelsleutel."
        )
    return raw


# --------------------------------------------------------------------------- sealing helpers


def _b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _aad(store_id: str, purpose: str) -> bytes:
    # Length-unambiguous: store ids cannot contain NUL (checked on create/load).
    return b"\x00".join(
        (FORMAT_MARKER.encode(), str(FORMAT_VERSION).encode(), store_id.encode(), purpose.encode())
    )


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    nonce = os.urandom(NONCE_LEN)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def _key_check_key(db_key: bytes) -> bytes:
    return _hkdf(db_key, None, _INFO_KEY_CHECK)


def _passphrase_keys(master: bytes) -> tuple[bytes, bytes]:
    wrap = _hkdf(master, None, _INFO_PASSPHRASE_WRAP)
    verifier = _hkdf(master, None, _INFO_PASSPHRASE_VERIFY, VERIFIER_LEN)
    return wrap, verifier


def _recovery_keys(recovery_raw: bytes, salt: bytes) -> tuple[bytes, bytes]:
    wrap = _hkdf(recovery_raw, salt, _INFO_RECOVERY_WRAP)
    verifier = _hkdf(recovery_raw, salt, _INFO_RECOVERY_VERIFY, VERIFIER_LEN)
    return wrap, verifier


def _wipe(buf: bytearray) -> None:
    for i in range(len(buf)):
        buf[i] = 0


# --------------------------------------------------------------------------- key file


class KeyFile:
    """The JSON key file holding the wrapped database key and the throttle state."""

    def __init__(self, path: Path, doc: dict[str, Any]) -> None:
        # Use KeyFile.create / KeyFile.load; ``doc`` must have passed _validate.
        self.path = Path(path)
        self._doc = doc

    # ---- construction

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        store_id: str,
        kdf: KdfParams = DEFAULT_KDF,
    ) -> tuple[KeyFile, bytes, str]:
        """Create a new key file with a fresh database key.

        Returns ``(keyfile, db_key, recovery_key_text)``. The recovery key text must be shown to
        the user once; it is not stored anywhere. Refuses to overwrite an existing file.
        """
        path = Path(path)
        _check_store_id(store_id)
        _check_new_passphrase(passphrase)
        if path.exists() or path.is_symlink():
            raise KeyFileError(
                f"Sleutelbestand {path} bestaat al; het wordt niet overschreven.", path
            )
        db_key = generate_db_key()
        doc: dict[str, Any] = {
            "format": FORMAT_MARKER,
            "version": FORMAT_VERSION,
            "store_id": store_id,
            "created_at": int(time.time()),
            "throttle": {"failed_attempts": 0, "not_before": 0.0},
        }
        doc["key_check"] = _make_key_check(db_key, store_id)
        doc["passphrase"] = _wrap_with_passphrase(db_key, passphrase, store_id, kdf)
        recovery_slot, recovery_text = _wrap_with_new_recovery(db_key, store_id)
        doc["recovery"] = recovery_slot
        keyfile = cls(path, doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_json_atomic(path, doc, exclusive=True)
        return keyfile, db_key, recovery_text

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        """Read and validate the key file; raises :class:`KeyFileError` naming the path."""
        path = Path(path)
        try:
            with open(path, "rb") as fh:
                data = fh.read(_MAX_KEYFILE_BYTES + 1)
        except FileNotFoundError:
            raise KeyFileError(f"Sleutelbestand {path} niet gevonden.", path) from None
        except IsADirectoryError:
            raise KeyFileError(f"Sleutelbestand {path} is een map, geen bestand.", path) from None
        except OSError as exc:
            raise KeyFileError(
                f"Sleutelbestand {path} kan niet worden gelezen ({exc.strerror or exc}).", path
            ) from None
        if len(data) > _MAX_KEYFILE_BYTES:
            raise KeyFileError(
                f"Sleutelbestand {path} is te groot; dit is geen Liaison-sleutelbestand.", path
            )
        if not data.strip():
            raise KeyFileError(f"Sleutelbestand {path} is leeg of afgebroken.", path)
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise KeyFileError(
                f"Sleutelbestand {path} is beschadigd of afgebroken (geen geldige JSON).", path
            ) from None
        _validate(doc, path)
        return cls(path, doc)

    # ---- properties

    @property
    def store_id(self) -> str:
        return self._doc["store_id"]

    @property
    def failed_attempts(self) -> int:
        return int(self._doc["throttle"]["failed_attempts"])

    @property
    def not_before(self) -> float:
        """Epoch seconds before which :meth:`unlock` refuses to try a passphrase."""
        return float(self._doc["throttle"]["not_before"])

    @property
    def kdf(self) -> KdfParams:
        """The Argon2id parameters the passphrase slot currently uses."""
        k = self._doc["passphrase"]["kdf"]
        return KdfParams(memory_kib=k["memory_kib"], iterations=k["iterations"], lanes=k["lanes"])

    def retry_after(self, *, now: Callable[[], float] = time.time) -> float:
        """Seconds until the next passphrase attempt is allowed (0.0 when allowed now)."""
        return max(0.0, self.not_before - now())

    # ---- unlocking

    def unlock(self, passphrase: str, *, now: Callable[[], float] = time.time) -> bytes:
        """Return the database key; raises WrongPassphrase / TooManyAttempts / KeyFileError."""
        current = now()
        remaining = self.not_before - current
        if remaining > MAX_DELAY_S + 1.0:
            # The wall clock went backwards; never lock out for longer than the current delay.
            self._set_throttle(self.failed_attempts, current + throttle_delay(self.failed_attempts))
            remaining = self.not_before - current
        if remaining > 0:
            raise TooManyAttempts(
                f"Te veel pogingen: wacht nog {_seconds_text(remaining)}.",
                retry_after_s=remaining,
                failed_attempts=self.failed_attempts,
            )

        slot = self._doc["passphrase"]
        salt = base64.b64decode(slot["kdf"]["salt"])
        master = derive_passphrase_key(passphrase, salt, self.kdf)
        wrap_key, verifier = _passphrase_keys(master)
        if not hmac.compare_digest(verifier, base64.b64decode(slot["verifier"])):
            attempts = self.failed_attempts + 1
            delay = throttle_delay(attempts)
            self._set_throttle(attempts, now() + delay)
            message = "Wachtwoordzin onjuist. Probeer het opnieuw."
            if delay > 0:
                message += f" U kunt het over {_seconds_text(delay)} opnieuw proberen."
            if attempts >= FREE_ATTEMPTS:
                message += " Wachtwoordzin vergeten? Gebruik dan uw herstelsleutel."
            raise WrongPassphrase(message, failed_attempts=attempts, retry_after_s=delay)

        db_key = self._open_slot(wrap_key, slot, _PURPOSE_PASSPHRASE, "wachtwoordzin")
        self._reset_throttle()
        return db_key

    def unlock_with_recovery(self, recovery_key: str) -> bytes:
        """Return the database key using the recovery key text; raises WrongRecoveryKey."""
        raw = bytearray(parse_recovery_key(recovery_key))
        try:
            slot = self._doc["recovery"]
            salt = base64.b64decode(slot["kdf"]["salt"])
            wrap_key, verifier = _recovery_keys(bytes(raw), salt)
        finally:
            _wipe(raw)
        if not hmac.compare_digest(verifier, base64.b64decode(slot["verifier"])):
            raise WrongRecoveryKey(
                "Deze herstelsleutel hoort niet bij deze database, of er is sindsdien een "
                "nieuwe herstelsleutel gemaakt. Gebruik de meest recente herstelsleutel."
            )
        db_key = self._open_slot(wrap_key, slot, _PURPOSE_RECOVERY, "herstelsleutel")
        # Whoever holds the recovery key may try passphrases again right away.
        self._reset_throttle()
        return db_key

    # ---- re-wrapping

    def change_passphrase(
        self, db_key: bytes, new_passphrase: str, kdf: KdfParams | None = None
    ) -> None:
        """Re-wrap the database key under a new passphrase (and optionally new KDF params).

        ``kdf=None`` keeps the current parameters. The database itself is not touched.
        """
        self._verify_db_key(db_key)
        _check_new_passphrase(new_passphrase)
        params = kdf if kdf is not None else self.kdf
        doc = dict(self._doc)
        doc["passphrase"] = _wrap_with_passphrase(db_key, new_passphrase, self.store_id, params)
        doc["throttle"] = {"failed_attempts": 0, "not_before": 0.0}
        _write_json_atomic(self.path, doc)
        self._doc = doc

    def rewrap_recovery(self, db_key: bytes) -> str:
        """Make a new recovery key (returned as text, show it once); the old one stops working."""
        self._verify_db_key(db_key)
        doc = dict(self._doc)
        doc["recovery"], text = _wrap_with_new_recovery(db_key, self.store_id)
        _write_json_atomic(self.path, doc)
        self._doc = doc
        return text

    # ---- internals

    def _open_slot(self, wrap_key: bytes, slot: dict[str, Any], purpose: str, label: str) -> bytes:
        try:
            db_key = AESGCM(wrap_key).decrypt(
                base64.b64decode(slot["nonce"]),
                base64.b64decode(slot["ciphertext"]),
                _aad(self.store_id, purpose),
            )
        except InvalidTag:
            raise KeyFileError(
                f"Sleutelbestand {self.path} is beschadigd: de {label} klopt, maar de "
                "versleutelde databasesleutel is gewijzigd of onleesbaar.",
                self.path,
            ) from None
        if not self._key_check_ok(db_key):
            raise KeyFileError(
                f"Sleutelbestand {self.path} is beschadigd: de databasesleutel komt niet "
                "overeen met de controlewaarde.",
                self.path,
            )
        return db_key

    def _key_check_ok(self, db_key: bytes) -> bool:
        if not isinstance(db_key, bytes | bytearray) or len(db_key) != DB_KEY_LEN:
            return False
        check = self._doc["key_check"]
        try:
            plain = AESGCM(_key_check_key(bytes(db_key))).decrypt(
                base64.b64decode(check["nonce"]),
                base64.b64decode(check["ciphertext"]),
                _aad(self.store_id, _PURPOSE_KEY_CHECK),
            )
        except InvalidTag:
            return False
        return hmac.compare_digest(plain, _KEY_CHECK_PLAINTEXT)

    def _verify_db_key(self, db_key: bytes) -> None:
        if not self._key_check_ok(db_key):
            raise KeyStoreError(
                "De opgegeven databasesleutel hoort niet bij dit sleutelbestand; "
                "er is niets gewijzigd."
            )

    def _set_throttle(self, failed_attempts: int, not_before: float) -> None:
        self._doc["throttle"] = {"failed_attempts": failed_attempts, "not_before": not_before}
        try:
            _write_json_atomic(self.path, self._doc)
        except OSError as exc:
            # The in-memory state still throttles this session.
            log.warning("Kon pogingenteller niet opslaan in %s: %s", self.path, exc.strerror)

    def _reset_throttle(self) -> None:
        if self.failed_attempts or self.not_before:
            self._set_throttle(0, 0.0)


# --------------------------------------------------------------------------- slot builders


def _check_store_id(store_id: str) -> None:
    if not isinstance(store_id, str) or not store_id or "\x00" in store_id:
        raise ValueError("store_id moet een niet-lege tekst zonder NUL-tekens zijn.")


def _check_new_passphrase(passphrase: str) -> None:
    if not isinstance(passphrase, str) or not passphrase:
        raise ValueError("De wachtwoordzin mag niet leeg zijn.")


def _make_key_check(db_key: bytes, store_id: str) -> dict[str, str]:
    nonce, ct = _seal(
        _key_check_key(db_key), _KEY_CHECK_PLAINTEXT, _aad(store_id, _PURPOSE_KEY_CHECK)
    )
    return {"nonce": _b64e(nonce), "ciphertext": _b64e(ct)}


def _wrap_with_passphrase(
    db_key: bytes, passphrase: str, store_id: str, kdf: KdfParams
) -> dict[str, Any]:
    salt = os.urandom(SALT_LEN)
    master = derive_passphrase_key(passphrase, salt, kdf)
    wrap_key, verifier = _passphrase_keys(master)
    nonce, ct = _seal(wrap_key, db_key, _aad(store_id, _PURPOSE_PASSPHRASE))
    return {
        "kdf": {**kdf.to_json(), "salt": _b64e(salt)},
        "verifier": _b64e(verifier),
        "nonce": _b64e(nonce),
        "ciphertext": _b64e(ct),
    }


def _wrap_with_new_recovery(db_key: bytes, store_id: str) -> tuple[dict[str, Any], str]:
    raw = bytearray(secrets.token_bytes(RECOVERY_KEY_LEN))
    try:
        salt = os.urandom(SALT_LEN)
        wrap_key, verifier = _recovery_keys(bytes(raw), salt)
        text = format_recovery_key(bytes(raw))
    finally:
        _wipe(raw)
    nonce, ct = _seal(wrap_key, db_key, _aad(store_id, _PURPOSE_RECOVERY))
    slot = {
        "kdf": {"name": "hkdf-sha256", "salt": _b64e(salt)},
        "verifier": _b64e(verifier),
        "nonce": _b64e(nonce),
        "ciphertext": _b64e(ct),
    }
    return slot, text


# --------------------------------------------------------------------------- validation


def _validate(doc: Any, path: Path) -> None:
    def bad(what: str) -> KeyFileError:
        return KeyFileError(f"Sleutelbestand {path} is ongeldig of beschadigd: {what}.", path)

    if not isinstance(doc, dict) or doc.get("format") != FORMAT_MARKER:
        raise KeyFileError(
            f"Bestand {path} is geen Liaison-sleutelbestand (kenmerk 'format' ontbreekt).", path
        )
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise bad("versienummer ontbreekt")
    if version > FORMAT_VERSION:
        raise KeyFileError(
            f"Sleutelbestand {path} is gemaakt door een nieuwere versie van Liaison "
            f"(formaat {version}); werk de app bij.",
            path,
        )
    if version < 1:
        raise bad(f"onbekend versienummer {version}")
    store_id = doc.get("store_id")
    if not isinstance(store_id, str) or not store_id or "\x00" in store_id:
        raise bad("store_id ontbreekt")

    def b64(section: dict[str, Any], key: str, length: int | None, where: str) -> None:
        value = section.get(key)
        if not isinstance(value, str):
            raise bad(f"{where}.{key} ontbreekt")
        try:
            decoded = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise bad(f"{where}.{key} is geen geldige base64") from None
        if length is not None and len(decoded) != length:
            raise bad(f"{where}.{key} heeft een onverwachte lengte")

    def section(name: str) -> dict[str, Any]:
        value = doc.get(name)
        if not isinstance(value, dict):
            raise bad(f"onderdeel '{name}' ontbreekt")
        return value

    pp = section("passphrase")
    kdf = pp.get("kdf")
    if not isinstance(kdf, dict) or kdf.get("name") != "argon2id":
        raise bad("passphrase.kdf is geen argon2id")
    try:
        KdfParams(
            memory_kib=kdf.get("memory_kib"),  # type: ignore[arg-type]
            iterations=kdf.get("iterations"),  # type: ignore[arg-type]
            lanes=kdf.get("lanes"),  # type: ignore[arg-type]
        )
    except ValueError:
        raise bad("passphrase.kdf heeft ongeldige parameters") from None
    b64(kdf, "salt", None, "passphrase.kdf")
    if len(base64.b64decode(kdf["salt"])) < 8:
        raise bad("passphrase.kdf.salt is te kort")
    for name, kdf_name in (("passphrase", "argon2id"), ("recovery", "hkdf-sha256")):
        slot = section(name)
        slot_kdf = slot.get("kdf")
        if not isinstance(slot_kdf, dict) or slot_kdf.get("name") != kdf_name:
            raise bad(f"{name}.kdf is geen {kdf_name}")
        b64(slot_kdf, "salt", None, f"{name}.kdf")
        b64(slot, "verifier", VERIFIER_LEN, name)
        b64(slot, "nonce", NONCE_LEN, name)
        b64(slot, "ciphertext", DB_KEY_LEN + _TAG_LEN, name)
    check = section("key_check")
    b64(check, "nonce", NONCE_LEN, "key_check")
    b64(check, "ciphertext", len(_KEY_CHECK_PLAINTEXT) + _TAG_LEN, "key_check")

    throttle = doc.get("throttle", {"failed_attempts": 0, "not_before": 0.0})
    if not isinstance(throttle, dict):
        raise bad("onderdeel 'throttle' is ongeldig")
    attempts = throttle.get("failed_attempts", 0)
    not_before = throttle.get("not_before", 0.0)
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 0:
        raise bad("throttle.failed_attempts is ongeldig")
    if (
        not isinstance(not_before, int | float)
        or isinstance(not_before, bool)
        or not math.isfinite(not_before)
    ):
        raise bad("throttle.not_before is ongeldig")
    doc["throttle"] = {"failed_attempts": attempts, "not_before": float(not_before)}


# --------------------------------------------------------------------------- atomic write


def _write_json_atomic(path: Path, doc: dict[str, Any], *, exclusive: bool = False) -> None:
    """Write ``doc`` to ``path`` via a temp file in the same directory, fsync and rename.

    With ``exclusive=True`` an existing file is never replaced (hard link where the file system
    supports it, otherwise a last-moment existence check).
    """
    data = (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise KeyFileError(
                    f"Sleutelbestand {path} bestaat al; het wordt niet overschreven.", path
                ) from None
            except OSError:
                if path.exists():
                    raise KeyFileError(
                        f"Sleutelbestand {path} bestaat al; het wordt niet overschreven.", path
                    ) from None
                os.replace(tmp, path)
        else:
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
