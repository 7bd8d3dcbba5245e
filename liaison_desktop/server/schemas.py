"""Pydantic mirrors of the wire types in ``sync.protocol``, for validation and OpenAPI.

Field names must equal the protocol dataclasses' (a test checks); limits live here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from liaison_desktop.sync.protocol import (
    MAX_CODE_LENGTH,
    MAX_DEVICE_NAME_LENGTH,
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
