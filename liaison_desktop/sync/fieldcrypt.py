"""End-to-end encryption of dossier fields and wrapping of the user's vault key.

Identity and free-text fields are encrypted on the laptop with the user's vault key
(AES-256-GCM, associated data = table + record id + field name, so a ciphertext cannot be
moved to another record or field). The server only ever stores the ciphertext.

The vault key is wrapped twice: by a key derived from the user's passphrase (so a new laptop
unlocks with the passphrase) and by the organisation's recovery public key (X25519 + HKDF +
AES-GCM), so the organisation can recover a departed colleague's caseload.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "e1:"
NONCE_BYTES = 12

# Fields that never leave the laptop in clear. Everything else a synced record carries is an
# overview field (practice, dates, status, category, outcome, counts, age band, municipality).
ENCRYPTED_FIELDS: dict[str, frozenset[str]] = {
    "client": frozenset({"first_name", "last_name", "bsn", "date_of_birth", "address", "phone"}),
    "guardian": frozenset({"name", "phone", "email", "relation"}),
    "trajectory": frozenset({"question"}),
    "consent": frozenset({"note"}),
    "contact": frozenset({"note"}),
    "appointment": frozenset({"title", "conflict_reason"}),
    "schedule_exception": frozenset({"note"}),
    # A kept losing value may be any of the fields above, so it always travels encrypted.
    "conflict": frozenset({"value"}),
}


class TamperedValue(Exception):
    """A ciphertext failed authentication: changed, truncated, or moved to another field."""

    def __init__(self, table: str, field: str) -> None:
        super().__init__(
            f"Een versleutelde waarde ({table}.{field}) is onderweg gewijzigd of verplaatst "
            "en is geweigerd."
        )
        self.table = table
        self.field = field


def is_encrypted_field(table: str, field: str) -> bool:
    return field in ENCRYPTED_FIELDS.get(table, ())


def new_vault_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _aad(table: str, record_id: str, field: str) -> bytes:
    return f"liaison-field:v1:{table}:{record_id}:{field}".encode()


def encrypt_field(key: bytes, table: str, record_id: str, field: str, plaintext: str) -> str:
    """Ciphertext text ``e1:<base64(nonce || ct)>`` bound to this table, record and field."""
    nonce = os.urandom(NONCE_BYTES)
    ct = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), _aad(table, record_id, field))
    return PREFIX + base64.b64encode(nonce + ct).decode("ascii")


def decrypt_field(key: bytes, table: str, record_id: str, field: str, token: str) -> str:
    """The plaintext; raises TamperedValue when the ciphertext does not belong here."""
    return _decrypt(AESGCM(key), table, record_id, field, token)


def _decrypt(aead: AESGCM, table: str, record_id: str, field: str, token: str) -> str:
    if not isinstance(token, str) or not token.startswith(PREFIX):
        raise TamperedValue(table, field)
    try:
        blob = base64.b64decode(token[len(PREFIX) :], validate=True)
        if len(blob) < NONCE_BYTES + 16:
            raise ValueError
        pt = aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(table, record_id, field))
    except (ValueError, InvalidTag):
        raise TamperedValue(table, field) from None
    return pt.decode("utf-8")


class FieldDecrypter:
    """:func:`decrypt_field` for many values under one key (the cipher is set up once)."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def __call__(self, table: str, record_id: str, field: str, token: str) -> str:
        return _decrypt(self._aead, table, record_id, field, token)


# -- wrapping the vault key ---------------------------------------------------------------


def _hkdf(material: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(material)


def wrap_with_key(wrapping_key_material: bytes, vault_key: bytes, *, context: str) -> dict:
    """Wrap the vault key with a symmetric secret (e.g. the passphrase-derived key)."""
    salt = os.urandom(16)
    nonce = os.urandom(NONCE_BYTES)
    k = _hkdf(wrapping_key_material, salt, b"liaison vault wrap " + context.encode())
    ct = AESGCM(k).encrypt(nonce, vault_key, context.encode())
    return {
        "alg": "hkdf-sha256+aes256gcm",
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "ct": base64.b64encode(ct).decode(),
    }


def unwrap_with_key(wrapping_key_material: bytes, blob: dict, *, context: str) -> bytes:
    try:
        salt = base64.b64decode(blob["salt"])
        k = _hkdf(wrapping_key_material, salt, b"liaison vault wrap " + context.encode())
        return AESGCM(k).decrypt(
            base64.b64decode(blob["nonce"]), base64.b64decode(blob["ct"]), context.encode()
        )
    except (KeyError, ValueError, InvalidTag):
        raise WrongWrappingKey() from None


class WrongWrappingKey(Exception):
    def __init__(self) -> None:
        super().__init__("De kluissleutel kan met deze sleutel niet worden geopend.")


def wrap_for_recipient(public_key: X25519PublicKey, vault_key: bytes, *, context: str) -> dict:
    """Wrap the vault key for the organisation's recovery key pair (ECIES: X25519+HKDF+AES-GCM)."""
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    recipient = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = eph.exchange(public_key)
    k = _hkdf(shared, eph_pub + recipient, b"liaison org recovery " + context.encode())
    nonce = os.urandom(NONCE_BYTES)
    ct = AESGCM(k).encrypt(nonce, vault_key, context.encode())
    return {
        "alg": "x25519+hkdf-sha256+aes256gcm",
        "epk": base64.b64encode(eph_pub).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "ct": base64.b64encode(ct).decode(),
    }


def unwrap_as_recipient(private_key: X25519PrivateKey, blob: dict, *, context: str) -> bytes:
    try:
        eph_pub = base64.b64decode(blob["epk"])
        recipient = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        k = _hkdf(shared, eph_pub + recipient, b"liaison org recovery " + context.encode())
        return AESGCM(k).decrypt(
            base64.b64decode(blob["nonce"]), base64.b64decode(blob["ct"]), context.encode()
        )
    except (KeyError, ValueError, InvalidTag):
        raise WrongWrappingKey() from None


@dataclass(frozen=True)
class OrgRecoveryKeyPair:
    """The organisation's recovery key pair; the private half stays with functioneel beheer."""

    private_key: X25519PrivateKey

    @classmethod
    def generate(cls) -> OrgRecoveryKeyPair:
        return cls(X25519PrivateKey.generate())

    @property
    def public_key(self) -> X25519PublicKey:
        return self.private_key.public_key()

    def public_b64(self) -> str:
        raw = self.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return base64.b64encode(raw).decode()


def public_key_from_b64(text: str) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(base64.b64decode(text))
