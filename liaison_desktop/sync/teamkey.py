"""End-to-end encryption of the neighbourhood-team agenda: member key pairs, team keys, items.

Every user has an X25519 key pair for the agenda, made on their laptop; the private half stays
in the encrypted local store (and, wrapped with the user's vault key, on the server so that
the user's other laptops can fetch it), the public half goes to the server. Each team has one
AES-256-GCM team key, made by the first member who needs it and wrapped for every member's
public key (X25519 + HKDF + AES-GCM, the helpers of :mod:`fieldcrypt`). An agenda item is the
JSON of initials, question and practice, encrypted with the team key; its associated data
binds the item id, the team id and the key id, so the server can neither read an item nor move
it to another team or item. Pure functions, no store.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from liaison_desktop.sync import fieldcrypt
from liaison_desktop.sync.protocol import AGENDA_ITEM_PREFIX, MAX_AGENDA_CIPHERTEXT_CHARS

ITEM_PREFIX = AGENDA_ITEM_PREFIX
MAX_CIPHERTEXT_CHARS = MAX_AGENDA_CIPHERTEXT_CHARS
"""The server refuses longer item ciphertexts (a question of 2,000 characters fits easily)."""

NONCE_BYTES = 12
MAX_QUESTION_CHARS = 2000
MAX_INITIALS_CHARS = 20
MAX_PRACTICE_CHARS = 200


class TamperedItem(Exception):
    """An agenda item failed authentication: changed, truncated, or moved."""

    def __init__(self) -> None:
        super().__init__(
            "Een agendapunt is onderweg gewijzigd of verplaatst en kan niet worden gelezen."
        )


class WrongTeamKey(Exception):
    """A team-key wrap does not open with this member's private key."""

    def __init__(self) -> None:
        super().__init__("De teamsleutel kan met de sleutel van deze laptop niet worden geopend.")


# -- member key pairs --------------------------------------------------------------------


@dataclass(frozen=True)
class MemberKeyPair:
    """A user's agenda key pair; ``private_b64`` is what the encrypted store keeps."""

    private_key: X25519PrivateKey

    @classmethod
    def generate(cls) -> MemberKeyPair:
        return cls(X25519PrivateKey.generate())

    @classmethod
    def from_private_b64(cls, text: str) -> MemberKeyPair:
        try:
            raw = base64.b64decode(text, validate=True)
            return cls(X25519PrivateKey.from_private_bytes(raw))
        except ValueError:
            raise WrongTeamKey() from None

    def private_b64(self) -> str:
        raw = self.private_key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return base64.b64encode(raw).decode()

    def public_b64(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return base64.b64encode(raw).decode()


def public_key_from_b64(text: str) -> X25519PublicKey:
    """A member's public key from its base64 text; ValueError when it is not one."""
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise ValueError("not an X25519 public key")
    return X25519PublicKey.from_public_bytes(raw)


def is_public_key(text: str) -> bool:
    try:
        public_key_from_b64(text)
    except ValueError:
        return False
    return True


def escrow_private_key(vault_key: bytes, user_id: str, pair: MemberKeyPair) -> str:
    """The private key encrypted with the user's vault key, for the user's other laptops."""
    return fieldcrypt.encrypt_field(vault_key, "agenda_key", user_id, "private", pair.private_b64())


def recover_private_key(vault_key: bytes, user_id: str, escrowed: str) -> MemberKeyPair:
    try:
        text = fieldcrypt.decrypt_field(vault_key, "agenda_key", user_id, "private", escrowed)
    except fieldcrypt.TamperedValue:
        raise WrongTeamKey() from None
    return MemberKeyPair.from_private_b64(text)


# -- team keys ---------------------------------------------------------------------------


def new_team_key() -> tuple[str, bytes]:
    """A fresh team key and its id (random; names the key in wraps and items)."""
    return str(uuid.uuid4()), AESGCM.generate_key(bit_length=256)


def team_key_context(team_id: str, key_id: str, user_id: str) -> str:
    # The member and the team are in the context: a wrap moved to another member or team
    # does not open.
    return f"liaison-agenda-team-key:v1:{team_id}:{key_id}:{user_id}"


def wrap_team_key(
    member_public_b64: str, team_key: bytes, *, team_id: str, key_id: str, user_id: str
) -> dict[str, str]:
    """The team key wrapped for one member (a ``fieldcrypt`` recipient blob plus context)."""
    context = team_key_context(team_id, key_id, user_id)
    blob = fieldcrypt.wrap_for_recipient(
        public_key_from_b64(member_public_b64), team_key, context=context
    )
    return {**blob, "context": context}


def unwrap_team_key(
    pair: MemberKeyPair, blob: dict[str, Any], *, team_id: str, key_id: str, user_id: str
) -> bytes:
    """The team key from this member's wrap; WrongTeamKey when it is not theirs."""
    context = team_key_context(team_id, key_id, user_id)
    try:
        key = fieldcrypt.unwrap_as_recipient(pair.private_key, blob, context=context)
    except (fieldcrypt.WrongWrappingKey, TypeError):
        raise WrongTeamKey() from None
    if len(key) != 32:
        raise WrongTeamKey()
    return key


# -- items -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemContent:
    """What the team reads of an agenda item: no name, no BSN, no date of birth."""

    initials: str
    question: str
    practice: str = ""

    def check(self) -> None:
        if not self.initials.strip():
            raise ValueError("initials missing")
        if not self.question.strip():
            raise ValueError("question missing")
        if len(self.initials) > MAX_INITIALS_CHARS:
            raise ValueError("initials too long")
        if len(self.question) > MAX_QUESTION_CHARS:
            raise ValueError("question too long")
        if len(self.practice) > MAX_PRACTICE_CHARS:
            raise ValueError("practice too long")


def _item_aad(team_id: str, item_id: str, key_id: str) -> bytes:
    return f"liaison-agenda-item:v1:{team_id}:{item_id}:{key_id}".encode()


def encrypt_item(
    team_key: bytes, *, team_id: str, item_id: str, key_id: str, content: ItemContent
) -> str:
    """``a1:<base64(nonce || ct)>`` bound to this team, item and key."""
    content.check()
    plain = json.dumps(
        {"initials": content.initials, "question": content.question, "practice": content.practice},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    nonce = os.urandom(NONCE_BYTES)
    ct = AESGCM(team_key).encrypt(nonce, plain, _item_aad(team_id, item_id, key_id))
    return ITEM_PREFIX + base64.b64encode(nonce + ct).decode("ascii")


def decrypt_item(
    team_key: bytes, *, team_id: str, item_id: str, key_id: str, ciphertext: str
) -> ItemContent:
    """The item's content; TamperedItem when it was changed or does not belong here."""
    if not isinstance(ciphertext, str) or not ciphertext.startswith(ITEM_PREFIX):
        raise TamperedItem()
    try:
        blob = base64.b64decode(ciphertext[len(ITEM_PREFIX) :], validate=True)
        if len(blob) < NONCE_BYTES + 16:
            raise ValueError
        plain = AESGCM(team_key).decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], _item_aad(team_id, item_id, key_id)
        )
        data = json.loads(plain)
        content = ItemContent(
            initials=str(data["initials"]),
            question=str(data["question"]),
            practice=str(data.get("practice", "")),
        )
    except (ValueError, KeyError, TypeError, InvalidTag):
        raise TamperedItem() from None
    return content
