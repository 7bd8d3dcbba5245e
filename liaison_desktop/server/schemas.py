"""Pydantic mirrors of the wire types in ``sync.protocol``, for validation and OpenAPI.

Field names must equal the protocol dataclasses' (a test checks); limits live here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from liaison_desktop.sync.protocol import (
    MAX_BATCH_CHANGES,
    MAX_CODE_LENGTH,
    MAX_DEVICE_NAME_LENGTH,
    MAX_VALUE_CHARS,
    PROTOCOL_VERSION,
    Role,
)

Id = Annotated[str, Field(max_length=36)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorBody(_Model):
    error: str
    message: str


class Health(_Model):
    status: str
    version: str
    protocol_version: int
    min_protocol_version: int


class Ping(_Model):
    ok: bool


class EnrolRequest(_Model):
    code: Annotated[str, Field(min_length=1, max_length=MAX_CODE_LENGTH)]
    device_name: Annotated[str, Field(max_length=MAX_DEVICE_NAME_LENGTH)] = ""
    client_version: Annotated[str, Field(max_length=50)] = ""
    protocol_version: Annotated[int, Field(ge=1, le=1_000_000)] = PROTOCOL_VERSION


class EnrolResponse(_Model):
    device_id: Id
    token: str
    token_expires_at: datetime
    user_id: Id
    user_name: str
    role: Role
    org_id: Id
    team_ids: list[Id]
    server_time: datetime
    protocol_version: int


class Me(_Model):
    device_id: Id
    user_id: Id
    user_name: str
    role: Role
    org_id: Id
    team_ids: list[Id]
    token_expires_at: datetime
    server_time: datetime
    protocol_version: int


class SyncStatus(_Model):
    user_id: Id
    server_time: datetime
    protocol_version: int


class TeamInfo(_Model):
    id: Id
    org_id: Id
    name: str
    member_count: int


class TeamList(_Model):
    teams: list[TeamInfo]


class UserInfo(_Model):
    id: Id
    org_id: Id
    name: str
    role: Role
    team_ids: list[Id] = []


class UserList(_Model):
    users: list[UserInfo]


class DeviceInfo(_Model):
    id: Id
    user_id: Id
    org_id: Id
    name: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None = None
    revoked_at: datetime | None = None


class DeviceList(_Model):
    devices: list[DeviceInfo]


# -- sync (docs/sync-protocol.md) --------------------------------------------------------
# The push route checks each change by hand (a bad change is quarantined, never refuses the
# batch); these models document the shapes and validate the vault body.


class Change(_Model):
    id: Id
    t: Annotated[str, Field(max_length=64)]
    r: Id
    f: Annotated[str, Field(max_length=64)]
    v: Annotated[str, Field(max_length=MAX_VALUE_CHARS)]
    h: Annotated[str, Field(max_length=80)]


class PulledChange(_Model):
    s: int
    id: Id
    t: str
    r: Id
    f: str
    v: str
    h: str


class PushRequest(_Model):
    protocol: int
    device_id: Id
    batch_id: Annotated[str, Field(max_length=100)]
    changes: Annotated[list[Change], Field(max_length=MAX_BATCH_CHANGES)]
    cursor: Annotated[int, Field(ge=0)] | None = None
    only_if_current: bool = False


class Quarantined(_Model):
    id: str
    reason: str


class PushReply(_Model):
    stored: int
    duplicates: int
    quarantined: list[Quarantined]
    server_time_ms: int
    resync: bool = False
    more: bool = False
    head: int = 0
    conditional: bool = False
    not_current: bool = False


class FreeSlot(_Model):
    start: str
    end: str


class BookingConflict(_Model):
    appointment_id: str
    room_id: str
    start: str
    end: str
    taken_from: str
    taken_until: str
    alternatives: list[FreeSlot] = []


class PullReply(_Model):
    changes: list[PulledChange]
    next: int
    more: bool
    server_time_ms: int
    resync: bool = False
    booking_conflicts: list[BookingConflict] = []
    bookings_confirmed: list[str] = []


_B64_TEXT = Annotated[str, Field(max_length=400)]


class WrappedKey(_Model):
    alg: Annotated[str, Field(min_length=1, max_length=64)]
    nonce: _B64_TEXT
    ct: _B64_TEXT
    salt: _B64_TEXT = ""
    epk: _B64_TEXT = ""
    kdf: Annotated[str, Field(max_length=200)] = ""
    kdf_salt: _B64_TEXT = ""
    context: Annotated[str, Field(max_length=200)] = ""


class VaultPut(_Model):
    key_id: Annotated[str, Field(min_length=1, max_length=100)]
    passphrase: WrappedKey | None = None
    recovery: WrappedKey | None = None


class Vault(_Model):
    key_id: str | None
    passphrase: WrappedKey | None
    recovery: WrappedKey | None
    recovery_public_key: str | None
    updated_at_ms: int = 0


class ProtocolUnsupported(_Model):
    error: str
    message: str
    supported: list[int]
