"""Wire types shared by the desktop client and the server: stdlib dataclasses <-> JSON dicts.

Only the standard library is imported here, so the desktop bundle and the server agree on one
definition. The server mirrors these types as pydantic models for its OpenAPI document (a test
checks that the field names match). ``from_json`` validates types and raises
:class:`ProtocolError` on anything unexpected; unknown keys are ignored so that a newer peer
may add fields without breaking an older one.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, Self

__all__ = [
    "API_PREFIX",
    "MIN_PROTOCOL_VERSION",
    "PROTOCOL_HEADER",
    "PROTOCOL_VERSION",
    "DeviceInfo",
    "EnrolRequest",
    "EnrolResponse",
    "ErrorBody",
    "ErrorCode",
    "Health",
    "Me",
    "Paths",
    "Ping",
    "ProtocolError",
    "Role",
    "SyncStatus",
    "TOKEN_PREFIX",
    "TeamInfo",
    "UserInfo",
    "Wire",
    "format_time",
    "parse_time",
]

PROTOCOL_VERSION = 1
"""The protocol version this code speaks; bumped on an incompatible change."""
MIN_PROTOCOL_VERSION = 1
"""The oldest client protocol version the server still serves."""

API_PREFIX = "/api/v1"
PROTOCOL_HEADER = "X-Liaison-Protocol"
TOKEN_PREFIX = "ldt_"  # noqa: S105 - a recognisable prefix for secret scanners, not a secret
"""Device tokens start with this, so that a leaked one is easy to find and revoke."""

MAX_CODE_LENGTH = 64
MAX_DEVICE_NAME_LENGTH = 100


class Paths:
    """Route paths, so client and server cannot drift apart."""

    HEALTH = f"{API_PREFIX}/health"
    ENROL = f"{API_PREFIX}/enrol"
    PING = f"{API_PREFIX}/ping"
    ME = f"{API_PREFIX}/me"
    SYNC_STATUS = f"{API_PREFIX}/sync/status"
    TEAMS = f"{API_PREFIX}/teams"
    TEAM = f"{API_PREFIX}/teams/{{team_id}}"
    ADMIN_USERS = f"{API_PREFIX}/admin/users"
    ADMIN_DEVICES = f"{API_PREFIX}/admin/devices"
    ADMIN_REVOKE_DEVICE = f"{API_PREFIX}/admin/devices/{{device_id}}/revoke"


class Role(StrEnum):
    """An account's role; it decides which routes a device of that account may use."""

    PROFESSIONAL = "professional"
    TEAM_LEADER = "team-leader"
    ADMIN = "admin"


class ErrorCode(StrEnum):
    """Stable machine-readable codes in every error body (``{"error": code, "message": ...}``)."""

    TOKEN_MISSING = "token_missing"  # noqa: S105 - error codes, not secrets
    TOKEN_INVALID = "token_invalid"  # noqa: S105
    TOKEN_EXPIRED = "token_expired"  # noqa: S105
    DEVICE_REVOKED = "device_revoked"
    FORBIDDEN = "forbidden"
    CODE_INVALID = "enrolment_code_invalid"
    CODE_USED = "enrolment_code_used"
    CODE_EXPIRED = "enrolment_code_expired"
    RATE_LIMITED = "rate_limited"
    BODY_TOO_LARGE = "body_too_large"
    INVALID_REQUEST = "invalid_request"
    PROTOCOL_UNSUPPORTED = "protocol_unsupported"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    SERVER_ERROR = "server_error"


class ProtocolError(ValueError):
    """A message that does not have the agreed shape."""


def format_time(value: datetime) -> str:
    """UTC, ISO 8601 with a ``Z`` and millisecond precision."""
    if value.tzinfo is None:
        raise ValueError("naive datetime on the wire")
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"invalid timestamp {text!r}") from exc
    if value.tzinfo is None:
        raise ProtocolError("timestamp without time zone")
    return value.astimezone(UTC)


def _check(name: str, value: Any, hint: Any) -> Any:
    """Validate one JSON value against a (simple) type hint; returns the converted value."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        inner = [o for o in options if o is not type(None)]
        if len(inner) == 1:
            return _check(name, value, inner[0])
        raise TypeError(f"unsupported union for {name}")  # pragma: no cover - our own types
    if origin is tuple:  # tuple[str, ...] travels as a JSON list
        if not isinstance(value, list):
            raise ProtocolError(f"{name}: expected a list")
        (item, _ellipsis) = typing.get_args(hint)
        return tuple(_check(name, v, item) for v in value)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        try:
            return hint(value)
        except ValueError:
            raise ProtocolError(f"{name}: unknown value {value!r}") from None
    if hint is bool:
        if not isinstance(value, bool):
            raise ProtocolError(f"{name}: expected true/false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProtocolError(f"{name}: expected an integer")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ProtocolError(f"{name}: expected text")
        return value
    if isinstance(hint, type) and issubclass(hint, Wire):
        if not isinstance(value, dict):
            raise ProtocolError(f"{name}: expected an object")
        return hint.from_json(value)
    if isinstance(hint, type) and issubclass(hint, datetime):
        if not isinstance(value, str):
            raise ProtocolError(f"{name}: expected a timestamp")
        return parse_time(value)
    raise TypeError(f"unsupported type {hint!r} for {name}")  # pragma: no cover


def _dump(value: Any) -> Any:
    if isinstance(value, Wire):
        return value.to_json()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    return value


class Wire:
    """Mixin for the message dataclasses: ``to_json()`` and a validating ``from_json()``."""

    _hints: ClassVar[dict[str, Any] | None] = None

    def to_json(self) -> dict[str, Any]:
        return {f.name: _dump(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if not isinstance(data, dict):
            raise ProtocolError(f"{cls.__name__}: expected an object")
        hints = cls.__dict__.get("_hints")
        if hints is None:
            hints = typing.get_type_hints(cls)
            cls._hints = hints
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name not in data:
                has_default = (
                    f.default is not dataclasses.MISSING
                    or f.default_factory is not dataclasses.MISSING
                )
                if has_default:
                    continue
                raise ProtocolError(f"{cls.__name__}: missing field {f.name}")
            kwargs[f.name] = _check(f.name, data[f.name], hints[f.name])
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class ErrorBody(Wire):
    """Every error response: a stable code and a Dutch message safe to show a user."""

    error: str
    message: str


@dataclass(frozen=True, slots=True)
class Health(Wire):
    status: str
    version: str
    protocol_version: int
    min_protocol_version: int


@dataclass(frozen=True, slots=True)
class Ping(Wire):
    ok: bool


@dataclass(frozen=True, slots=True)
class EnrolRequest(Wire):
    """A laptop redeems a one-time enrolment code for a device token."""

    code: str
    device_name: str = ""
    client_version: str = ""
    protocol_version: int = PROTOCOL_VERSION


@dataclass(frozen=True, slots=True)
class EnrolResponse(Wire):
    """The device token is shown exactly once; the server keeps only its hash."""

    device_id: str
    token: str
    token_expires_at: datetime
    user_id: str
    user_name: str
    role: Role
    org_id: str
    team_ids: tuple[str, ...]
    server_time: datetime
    protocol_version: int


@dataclass(frozen=True, slots=True)
class Me(Wire):
    """Who this device belongs to (no dossier data)."""

    device_id: str
    user_id: str
    user_name: str
    role: Role
    org_id: str
    team_ids: tuple[str, ...]
    token_expires_at: datetime
    server_time: datetime
    protocol_version: int


@dataclass(frozen=True, slots=True)
class SyncStatus(Wire):
    """A professional's own sync state (filled in by the sync protocol)."""

    user_id: str
    server_time: datetime
    protocol_version: int


@dataclass(frozen=True, slots=True)
class TeamInfo(Wire):
    """Team metadata for a team leader's overview; no personal data."""

    id: str
    org_id: str
    name: str
    member_count: int


@dataclass(frozen=True, slots=True)
class UserInfo(Wire):
    id: str
    org_id: str
    name: str
    role: Role
    team_ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class DeviceInfo(Wire):
    id: str
    user_id: str
    org_id: str
    name: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None = None
    revoked_at: datetime | None = None
