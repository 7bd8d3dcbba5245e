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
    "DELETED_FIELD",
    "MAX_BATCH_CHANGES",
    "MAX_PULL_LIMIT",
    "MAX_VALUE_CHARS",
    "MIN_PROTOCOL_VERSION",
    "OVERVIEW_PATH",
    "OverviewReply",
    "OverviewRow",
    "PROTOCOL_HEADER",
    "PROTOCOL_VERSION",
    "DeviceInfo",
    "EnrolRequest",
    "EnrolResponse",
    "ErrorBody",
    "ErrorCode",
    "GZIP_MIN_BYTES",
    "Health",
    "Me",
    "Paths",
    "Ping",
    "ProtocolError",
    "BookingConflict",
    "Change",
    "FreeSlot",
    "PullReply",
    "PulledChange",
    "PushReply",
    "PushRequest",
    "Quarantined",
    "QuarantineReason",
    "Role",
    "SUPPORTED_PROTOCOL_VERSIONS",
    "SYNCED_FIELDS",
    "SyncStatus",
    "Vault",
    "VaultPut",
    "WrappedKey",
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
SUPPORTED_PROTOCOL_VERSIONS = tuple(range(MIN_PROTOCOL_VERSION, PROTOCOL_VERSION + 1))

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
    SYNC_PUSH = f"{API_PREFIX}/sync/push"
    SYNC_PULL = f"{API_PREFIX}/sync/pull"
    SYNC_VAULT = f"{API_PREFIX}/sync/vault"
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
    VAULT_CONFLICT = "vault_conflict"
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


# -- sync (docs/sync-protocol.md) --------------------------------------------------------

DELETED_FIELD = "_deleted"
"""The field of a tombstone change (value ``true``)."""
MAX_BATCH_CHANGES = 5000
"""Most changes in one push; the laptop sends batches of 1,000."""
MAX_PULL_LIMIT = 5000
"""Most changes in one pull page (also the default ``limit``)."""
MAX_VALUE_CHARS = 256 * 1024
"""Longest value text of one change (ciphertext included); longer ones are quarantined."""
GZIP_MIN_BYTES = 1024
"""Bodies larger than this travel gzip-compressed (``Content-Encoding: gzip``)."""

_RECORD = frozenset({"created_at", DELETED_FIELD})

SYNCED_FIELDS: dict[str, frozenset[str]] = {
    "professional": _RECORD | {"name"},
    "practice": _RECORD | {"name", "municipality", "colour"},
    "room": _RECORD | {"practice_id", "name"},
    "client": _RECORD
    | {
        "first_name",
        "last_name",
        "date_of_birth",
        "bsn",
        "practice_id",
        "municipality",
        "address",
        "phone",
    },
    "guardian": _RECORD | {"client_id", "name", "relation", "has_authority", "phone", "email"},
    "trajectory": _RECORD
    | {
        "client_id",
        "practice_id",
        "referred_on",
        "request_category",
        "question",
        "status",
        "outcome",
        "closed_on",
        "conversation_count",
        "first_contact_on",
        "age_band",
    },
    "consent": _RECORD
    | {
        "client_id",
        "scope",
        "given_on",
        "method",
        "given_by_child",
        "guardian_ids",
        "withdrawn_on",
        "note",
    },
    "contact": _RECORD
    | {
        "client_id",
        "trajectory_id",
        "type",
        "start",
        "duration_min",
        "practice_id",
        "participants",
        "note",
        "counts_as_conversation",
    },
    "part_day": _RECORD
    | {
        "practice_id",
        "weekday",
        "part",
        "start_time",
        "end_time",
        "valid_from",
        "valid_to",
        "room_id",
        "max_appointments",
        "room_state",
    },
    "schedule_exception": _RECORD
    | {
        "kind",
        "day",
        "end_day",
        "part_day_id",
        "practice_id",
        "part",
        "new_day",
        "start_time",
        "end_time",
        "room_id",
        "room_state",
        "note",
    },
    "appointment": _RECORD
    | {
        "practice_id",
        "start",
        "end",
        "duration_min",
        "kind",
        "client_id",
        "room_id",
        "title",
        "room_state",
        "provisional",
        "conflict_reason",
    },
    # A losing value kept for the user (docs/sync-protocol.md, Merge); ``value`` holds the
    # loser's value, re-encrypted for this record when the original field is encrypted.
    "conflict": _RECORD
    | {
        "record_table",
        "record_id",
        "field",
        "value",
        "hlc",
        "winner_hlc",
        "client_id",
        "resolved_at",
    },
}
"""Which tables and fields the server accepts; anything else is quarantined (unknown_table /
unknown_field). Which of them must be ciphertext is ``sync.fieldcrypt.ENCRYPTED_FIELDS``."""


class QuarantineReason(StrEnum):
    """Why the server refused one change (the ``reason`` of a :class:`Quarantined`)."""

    UNKNOWN_TABLE = "unknown_table"
    UNKNOWN_FIELD = "unknown_field"
    MALFORMED = "malformed"
    """Not a change: bad id, record id, HLC, or a value that is not JSON text."""
    NOT_ENCRYPTED = "not_encrypted"
    """A clear value in a field that must travel encrypted (``e1:...``)."""
    TOO_LARGE = "too_large"
    FOREIGN_RECORD = "foreign_record"
    """The record belongs to another user."""


def _text(data: dict, key: str, name: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ProtocolError(f"{name}: {key} must be text")
    return value


@dataclass(frozen=True, slots=True)
class Change(Wire):
    """One field change: change id, table, record id, field, value (JSON text or ``e1:``
    ciphertext), HLC timestamp text. Short keys keep a 10,000-change push small."""

    id: str
    t: str
    r: str
    f: str
    v: str
    h: str

    @classmethod
    def from_json(cls, data: Any) -> Self:
        # Hot path (100,000 changes on a first sync): no generic type-hint walk.
        if not isinstance(data, dict):
            raise ProtocolError("change: expected an object")
        return cls(
            _text(data, "id", "change"),
            _text(data, "t", "change"),
            _text(data, "r", "change"),
            _text(data, "f", "change"),
            _text(data, "v", "change"),
            _text(data, "h", "change"),
        )

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "t": self.t, "r": self.r, "f": self.f, "v": self.v, "h": self.h}


@dataclass(frozen=True, slots=True)
class PulledChange(Wire):
    """A change as pull returns it: with ``s``, its sequence number in the user's stream."""

    s: int
    id: str
    t: str
    r: str
    f: str
    v: str
    h: str

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if not isinstance(data, dict):
            raise ProtocolError("change: expected an object")
        s = data.get("s")
        if isinstance(s, bool) or not isinstance(s, int):
            raise ProtocolError("change: s must be an integer")
        return cls(
            s,
            _text(data, "id", "change"),
            _text(data, "t", "change"),
            _text(data, "r", "change"),
            _text(data, "f", "change"),
            _text(data, "v", "change"),
            _text(data, "h", "change"),
        )

    @classmethod
    def many(cls, items: Any) -> tuple[Self, ...]:
        """A JSON list of changes (a pull page): the checks of :meth:`from_json`, inlined
        for the common case of a well-formed change; any other goes through it and fails
        with its message."""
        if not isinstance(items, list):
            raise ProtocolError("changes: expected a list")
        out = []
        append = out.append
        for d in items:
            try:
                s, i, t, r, f, v, h = d["s"], d["id"], d["t"], d["r"], d["f"], d["v"], d["h"]
            except (KeyError, TypeError, IndexError):
                append(cls.from_json(d))
                continue
            if (
                type(s) is not int
                or type(i) is not str
                or type(t) is not str
                or type(r) is not str
                or type(f) is not str
                or type(v) is not str
                or type(h) is not str
            ):
                append(cls.from_json(d))
                continue
            append(cls(s, i, t, r, f, v, h))
        return tuple(out)

    def to_json(self) -> dict[str, Any]:
        return {
            "s": self.s,
            "id": self.id,
            "t": self.t,
            "r": self.r,
            "f": self.f,
            "v": self.v,
            "h": self.h,
        }

    @property
    def change(self) -> Change:
        return Change(self.id, self.t, self.r, self.f, self.v, self.h)


@dataclass(frozen=True, slots=True)
class PushRequest(Wire):
    """``POST /api/v1/sync/push``. ``cursor`` (optional) is the laptop's pull cursor: the
    reply's ``more`` then says whether other devices' changes wait after it.

    ``only_if_current`` (with ``cursor``): store the batch only when no other device's change
    waits after the cursor; otherwise store nothing and answer ``not_current``. The laptop
    then pulls first (so a losing local value becomes a conflict) and pushes again. When it
    is stored, nothing was missed: the laptop may move its cursor to ``head`` without a pull,
    which makes a sync of a few local changes one round trip."""

    protocol: int
    device_id: str
    batch_id: str
    changes: tuple[Change, ...]
    cursor: int | None = None
    only_if_current: bool = False


@dataclass(frozen=True, slots=True)
class Quarantined(Wire):
    """A change the server refused; ``reason`` is a :class:`QuarantineReason` value (kept as
    text so that a newer server may add reasons)."""

    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class PushReply(Wire):
    """``stored`` new changes, ``duplicates`` already stored earlier (a retry), the refused
    ones, the server's clock, whether to resync, and whether to pull again (``more``)."""

    stored: int
    duplicates: int
    quarantined: tuple[Quarantined, ...]
    server_time_ms: int
    resync: bool = False
    more: bool = False
    head: int = 0
    """The highest sequence number of the user's stream after this push."""
    conditional: bool = False
    """The server honoured ``only_if_current`` (an older server ignores it and stores)."""
    not_current: bool = False
    """With ``only_if_current``: nothing was stored, other devices' changes wait; pull first."""


@dataclass(frozen=True, slots=True)
class PullReply(Wire):
    """``GET /api/v1/sync/pull?after=&limit=``: a page of the user's changes after ``after``
    (other devices' only), the cursor to store (``next``), and whether more pages follow."""

    changes: tuple[PulledChange, ...]
    next: int
    more: bool
    server_time_ms: int
    resync: bool = False
    booking_conflicts: tuple[BookingConflict, ...] = ()
    """With ``bookings=1``, on the last page: this user's provisional room claims that lost
    to an earlier claim on the same room."""
    bookings_confirmed: tuple[str, ...] = ()
    """With ``bookings=1``, on the last page: the appointment ids of this user's provisional
    room claims that no earlier claim overlaps."""

    @classmethod
    def from_json(cls, data: Any) -> Self:
        # A page holds thousands of changes: those are checked by PulledChange.many.
        if not isinstance(data, dict) or "changes" not in data:
            return Wire.from_json.__func__(cls, data)  # type: ignore[attr-defined]
        changes = PulledChange.many(data["changes"])
        reply = Wire.from_json.__func__(cls, {**data, "changes": []})  # type: ignore[attr-defined]
        return dataclasses.replace(reply, changes=changes)


@dataclass(frozen=True, slots=True)
class FreeSlot(Wire):
    """A free time of a room (local wall-clock time, ``YYYY-MM-DD HH:MM:SS``)."""

    start: str
    end: str


@dataclass(frozen=True, slots=True)
class BookingConflict(Wire):
    """A room claim that lost: the appointment, its room and time, the time taken by the
    claim stored first, and free times of the same length in that room on that day."""

    appointment_id: str
    room_id: str
    start: str
    end: str
    taken_from: str
    taken_until: str
    alternatives: tuple[FreeSlot, ...] = ()


@dataclass(frozen=True, slots=True)
class WrappedKey(Wire):
    """The vault key wrapped by one key (``sync.fieldcrypt`` blobs, plus what derives it).

    Passphrase wrap (``wrap_with_key``): ``alg``, ``salt``, ``nonce``, ``ct``, and the
    passphrase KDF in ``kdf`` (e.g. ``argon2id:m=65536,t=3,p=4``) with ``kdf_salt`` (base64).
    Recovery wrap (``wrap_for_recipient``): ``alg``, ``epk``, ``nonce``, ``ct``.
    ``context`` is the wrap's context string.
    """

    alg: str
    nonce: str
    ct: str
    salt: str = ""
    epk: str = ""
    kdf: str = ""
    kdf_salt: str = ""
    context: str = ""

    def blob(self) -> dict[str, str]:
        """The dict ``fieldcrypt.unwrap_with_key`` / ``unwrap_as_recipient`` take."""
        out = {"alg": self.alg, "nonce": self.nonce, "ct": self.ct}
        if self.salt:
            out["salt"] = self.salt
        if self.epk:
            out["epk"] = self.epk
        return out

    @classmethod
    def from_blob(
        cls, blob: dict[str, str], *, kdf: str = "", kdf_salt: str = "", context: str = ""
    ) -> WrappedKey:
        """From a ``fieldcrypt.wrap_*`` dict."""
        return cls(
            alg=blob["alg"],
            nonce=blob["nonce"],
            ct=blob["ct"],
            salt=blob.get("salt", ""),
            epk=blob.get("epk", ""),
            kdf=kdf,
            kdf_salt=kdf_salt,
            context=context,
        )


@dataclass(frozen=True, slots=True)
class VaultPut(Wire):
    """``PUT /api/v1/sync/vault``. ``key_id`` names the vault key (random, made with it); a
    PUT with another key_id than the stored one is refused (409 ``vault_conflict``) so that a
    second laptop can never replace the key the first one encrypted with. A wrap left out
    (null) keeps the stored one."""

    key_id: str
    passphrase: WrappedKey | None = None
    recovery: WrappedKey | None = None


@dataclass(frozen=True, slots=True)
class Vault(Wire):
    """``GET /api/v1/sync/vault``: the stored wraps (null when none yet) and the
    organisation's recovery public key (X25519, raw, base64; null until IT set it)."""

    key_id: str | None
    passphrase: WrappedKey | None
    recovery: WrappedKey | None
    recovery_public_key: str | None
    updated_at_ms: int = 0


# -- team overviews (issue 7) ------------------------------------------------------------

OVERVIEW_PATH = f"{API_PREFIX}/overview"
"""``GET {OVERVIEW_PATH}/me`` (a professional's own figures) and
``GET {OVERVIEW_PATH}/teams/{team_id}`` (a team leader's team); query ``from``, ``to``
(YYYY-MM-DD) and ``period`` (week, month, quarter, year)."""


@dataclass(frozen=True, slots=True)
class OverviewRow(Wire):
    """The figures of one scope (team, practice, professional) in one period.

    ``values`` follow the reply's ``columns``: decimal text, or null where the figure is
    suppressed (a small count, or hidden so that a small count cannot be derived).
    """

    scope_kind: str
    scope_id: str
    scope_name: str
    period: str
    values: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class OverviewReply(Wire):
    """A suppressed overview; periods are whole calendar periods covering ``first``..``last``."""

    scope_kind: str
    scope_id: str
    scope_name: str
    granularity: str
    first: str
    last: str
    as_of: str
    threshold: int
    columns: tuple[str, ...]
    rows: tuple[OverviewRow, ...]
    generated_at: datetime


# -- neighbourhood-team agenda (docs/agenda.md) -------------------------------------------

AGENDA_PREFIX = f"{API_PREFIX}/agenda"


class AgendaPaths:
    """Routes of the team agenda. ``{team_id}`` must be one of the caller's teams."""

    KEY = f"{AGENDA_PREFIX}/key"
    TEAM = f"{AGENDA_PREFIX}/teams/{{team_id}}"
    WRAPS = f"{AGENDA_PREFIX}/teams/{{team_id}}/wraps"
    ITEMS = f"{AGENDA_PREFIX}/teams/{{team_id}}/items"
    ITEM = f"{AGENDA_PREFIX}/teams/{{team_id}}/items/{{item_id}}"
    MEETING = f"{AGENDA_PREFIX}/teams/{{team_id}}/meeting"


AGENDA_KEY_CONFLICT = "agenda_key_conflict"
"""Error code (409): another team key or public key is already stored."""
AGENDA_ITEM_PREFIX = "a1:"
"""Every item ciphertext starts with this (``sync.teamkey``); the server refuses others."""
MAX_AGENDA_CIPHERTEXT_CHARS = 16 * 1024
"""The server refuses longer item ciphertexts (a question of 2,000 characters fits easily)."""
MAX_AGENDA_REF_CHARS = 512


@dataclass(frozen=True, slots=True)
class AgendaKey(Wire):
    """``PUT``/``GET /api/v1/agenda/key``: the user's agenda public key (X25519, raw,
    base64; empty in a GET when none was uploaded yet) and, optionally, the private key
    encrypted with the user's vault key (``e1:`` text) for the user's other laptops. The
    server can open neither."""

    public_key: str
    private_escrow: str = ""


@dataclass(frozen=True, slots=True)
class AgendaMember(Wire):
    """A member of the team as the agenda needs it: a public key (null until uploaded) and
    whether a wrap of the current team key exists for them."""

    user_id: str
    name: str
    role: Role
    public_key: str | None
    has_wrap: bool


@dataclass(frozen=True, slots=True)
class AgendaItem(Wire):
    """One item: ciphertext only (initials, question and practice inside), who brought it
    in, and the meeting it was put on (null: the next one). ``author_ref`` is given to the
    author only (empty for everyone else)."""

    id: str
    author_user_id: str
    author_name: str
    key_id: str
    ciphertext: str
    created_at: datetime
    meeting_at: datetime | None = None
    author_ref: str = ""


@dataclass(frozen=True, slots=True)
class TeamAgenda(Wire):
    """``GET /api/v1/agenda/teams/{team_id}``: the next meeting (null when none is set), the
    team key's id and the caller's wrap of it (null when none yet), the members, and the
    items of the next meeting."""

    team_id: str
    team_name: str
    meeting_at: datetime | None
    key_id: str | None
    my_wrap: WrappedKey | None
    members: tuple[AgendaMember, ...]
    items: tuple[AgendaItem, ...]


@dataclass(frozen=True, slots=True)
class TeamKeyWrap(Wire):
    user_id: str
    wrap: WrappedKey


@dataclass(frozen=True, slots=True)
class TeamKeyWraps(Wire):
    """``PUT .../wraps``: wraps of the team key ``key_id`` for members. The first PUT sets
    the team's key id; a PUT with another key id is refused (409); an existing wrap of a
    member is kept (first one wins)."""

    key_id: str
    wraps: tuple[TeamKeyWrap, ...]


@dataclass(frozen=True, slots=True)
class AgendaItemPost(Wire):
    """``POST .../items``: a new item, its id made on the laptop (repeating it is safe).

    ``author_ref``: which client the item is about, encrypted with the author's vault key
    (``e1:``), so that each of the author's laptops can take the item off when the client's
    consent ends; empty when the laptop has no vault key yet."""

    id: str
    key_id: str
    ciphertext: str
    author_ref: str = ""


@dataclass(frozen=True, slots=True)
class MeetingPut(Wire):
    """``PUT .../meeting`` (team leader): the date and time of the next case meeting."""

    meeting_at: datetime | None
