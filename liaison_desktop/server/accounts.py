"""Accounts and devices: the operations behind the admin command line and the API routes.

Each function is one transaction on a :class:`Database`. Errors carry a stable code from
:class:`ErrorCode` and a Dutch message without personal data.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from liaison_desktop.server.db import Database
from liaison_desktop.server.models import (
    Device,
    EnrolmentCode,
    Organisation,
    Team,
    TeamMember,
    User,
    utcnow,
)
from liaison_desktop.server.security import (
    Principal,
    hash_code,
    hash_secret,
    new_enrolment_code,
    new_token,
)
from liaison_desktop.sync.protocol import DeviceInfo, ErrorCode, Role, TeamInfo, UserInfo

log = logging.getLogger(__name__)

MAX_NAME_LENGTH = 200
# last_seen_at is written at most this often per device, so that verifying a token stays a
# read in the common case.
LAST_SEEN_EVERY = timedelta(minutes=5)


class AccountError(Exception):
    """A refused account operation; ``code`` is an ErrorCode value, the message is Dutch."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(AccountError):
    def __init__(self, what: str) -> None:
        super().__init__(ErrorCode.NOT_FOUND, f"{what} bestaat niet.")


class EnrolmentRefused(AccountError):
    """A wrong, used or expired enrolment code."""


def _clean_name(name: str, what: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise AccountError(ErrorCode.INVALID_REQUEST, f"Geef een naam voor {what}.")
    if len(name) > MAX_NAME_LENGTH:
        raise AccountError(
            ErrorCode.INVALID_REQUEST, f"De naam is te lang (hoogstens {MAX_NAME_LENGTH} tekens)."
        )
    return name


def _require(s: Session, cls: type, ident: str, what: str):  # type: ignore[no-untyped-def]
    row = s.get(cls, ident)
    if row is None:
        raise NotFound(what)
    return row


# -- organisations, teams, users --------------------------------------------------------


def create_org(db: Database, name: str) -> Organisation:
    with db.write() as s:
        org = Organisation(name=_clean_name(name, "de organisatie"))
        s.add(org)
    log.info("organisation created", extra={"org_id": org.id})
    return org


def create_team(db: Database, org_id: str, name: str) -> Team:
    with db.write() as s:
        _require(s, Organisation, org_id, "Deze organisatie")
        team = Team(org_id=org_id, name=_clean_name(name, "het team"))
        s.add(team)
    log.info("team created", extra={"org_id": org_id, "team_id": team.id})
    return team


def create_user(db: Database, team_id: str, role: Role | str, name: str) -> User:
    """A user in the team's organisation, and a member of that team."""
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(
            ErrorCode.INVALID_REQUEST,
            "Onbekende rol; kies professional, team-leader of admin.",
        ) from None
    with db.write() as s:
        team = _require(s, Team, team_id, "Dit team")
        user = User(org_id=team.org_id, name=_clean_name(name, "de gebruiker"), role=role.value)
        s.add(user)
        s.flush()
        s.add(TeamMember(team_id=team.id, user_id=user.id))
    log.info("user created", extra={"org_id": user.org_id, "user_id": user.id, "role": role.value})
    return user


def add_member(db: Database, team_id: str, user_id: str) -> TeamMember:
    """Add a user to another team of the same organisation (a team leader of several teams)."""
    with db.write() as s:
        team = _require(s, Team, team_id, "Dit team")
        user = _require(s, User, user_id, "Deze gebruiker")
        if team.org_id != user.org_id:
            raise AccountError(
                ErrorCode.FORBIDDEN, "Team en gebruiker horen bij verschillende organisaties."
            )
        member = s.get(TeamMember, (team_id, user_id))
        if member is None:
            member = TeamMember(team_id=team_id, user_id=user_id)
            s.add(member)
    return member


def team_ids_of(s: Session, user_id: str) -> tuple[str, ...]:
    rows = s.scalars(select(TeamMember.team_id).where(TeamMember.user_id == user_id))
    return tuple(sorted(rows))


def list_users(db: Database, org_id: str | None = None) -> list[UserInfo]:
    with db.read() as s:
        q = select(User).order_by(User.created_at, User.id)
        if org_id is not None:
            q = q.where(User.org_id == org_id)
        users = list(s.scalars(q))
        teams: dict[str, list[str]] = {}
        for team_id, user_id in s.execute(select(TeamMember.team_id, TeamMember.user_id)):
            teams.setdefault(user_id, []).append(team_id)
        return [
            UserInfo(u.id, u.org_id, u.name, Role(u.role), tuple(sorted(teams.get(u.id, ()))))
            for u in users
        ]


def team_info(db: Database, team_id: str) -> TeamInfo:
    with db.read() as s:
        team = _require(s, Team, team_id, "Dit team")
        members = s.scalar(
            select(func.count()).select_from(TeamMember).where(TeamMember.team_id == team_id)
        )
        return TeamInfo(team.id, team.org_id, team.name, int(members or 0))


def teams_info(db: Database, team_ids: Sequence[str]) -> list[TeamInfo]:
    return [team_info(db, t) for t in sorted(team_ids)]


# -- enrolment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    id: str
    code: str
    user_id: str
    expires_at: datetime


def issue_enrolment_code(db: Database, user_id: str, *, hours: float = 24.0) -> IssuedCode:
    """A one-time code for one of the user's laptops; shown once, stored as a hash."""
    code = new_enrolment_code()
    now = utcnow()
    with db.write() as s:
        _require(s, User, user_id, "Deze gebruiker")
        row = EnrolmentCode(
            user_id=user_id,
            code_hash=hash_code(code),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
        s.add(row)
    log.info("enrolment code issued", extra={"user_id": user_id, "code_id": row.id})
    return IssuedCode(row.id, code, user_id, row.expires_at)


@dataclass(frozen=True)
class Enrolled:
    device: Device
    token: str
    user: User
    team_ids: tuple[str, ...]


def enrol_device(
    db: Database, code: str, *, device_name: str = "", token_days: int = 365
) -> Enrolled:
    """Redeem a code for a new device and its token (returned once, stored as a hash)."""
    now = utcnow()
    code_hash = hash_code(code)
    with db.write() as s:
        row = s.scalar(select(EnrolmentCode).where(EnrolmentCode.code_hash == code_hash))
        if row is None:
            raise EnrolmentRefused(
                ErrorCode.CODE_INVALID, "Deze aanmeldcode is onbekend. Controleer de code."
            )
        if row.used_at is not None:
            raise EnrolmentRefused(
                ErrorCode.CODE_USED,
                "Deze aanmeldcode is al gebruikt. Vraag de beheerder om een nieuwe code.",
            )
        if row.expires_at <= now:
            raise EnrolmentRefused(
                ErrorCode.CODE_EXPIRED,
                "Deze aanmeldcode is verlopen. Vraag de beheerder om een nieuwe code.",
            )
        user = _require(s, User, row.user_id, "Deze gebruiker")
        token = new_token()
        device = Device(
            user_id=user.id,
            org_id=user.org_id,
            token_hash=hash_secret(token),
            name=" ".join(device_name.split())[:100],
            created_at=now,
            expires_at=now + timedelta(days=token_days),
            last_seen_at=now,
        )
        s.add(device)
        s.flush()
        # Single use even when two requests race (PostgreSQL READ COMMITTED): only one
        # UPDATE finds used_at still empty.
        claimed = s.execute(
            update(EnrolmentCode)
            .where(EnrolmentCode.id == row.id, EnrolmentCode.used_at.is_(None))
            .values(used_at=now, device_id=device.id)
        ).rowcount
        if claimed != 1:
            raise EnrolmentRefused(
                ErrorCode.CODE_USED,
                "Deze aanmeldcode is al gebruikt. Vraag de beheerder om een nieuwe code.",
            )
        teams = team_ids_of(s, user.id)
    log.info(
        "device enrolled",
        extra={"device_id": device.id, "user_id": user.id, "org_id": user.org_id},
    )
    return Enrolled(device, token, user, teams)


# -- devices -----------------------------------------------------------------------------


def device_info(d: Device) -> DeviceInfo:
    return DeviceInfo(
        id=d.id,
        user_id=d.user_id,
        org_id=d.org_id,
        name=d.name,
        created_at=d.created_at,
        expires_at=d.expires_at,
        last_seen_at=d.last_seen_at,
        revoked_at=d.revoked_at,
    )


def list_devices(
    db: Database, *, org_id: str | None = None, user_id: str | None = None
) -> list[DeviceInfo]:
    with db.read() as s:
        q = select(Device).order_by(Device.created_at, Device.id)
        if org_id is not None:
            q = q.where(Device.org_id == org_id)
        if user_id is not None:
            q = q.where(Device.user_id == user_id)
        return [device_info(d) for d in s.scalars(q)]


def revoke_device(db: Database, device_id: str, *, org_id: str | None = None) -> DeviceInfo:
    """Revoke a device (idempotent). With ``org_id`` only a device of that organisation."""
    with db.write() as s:
        device = s.get(Device, device_id)
        if device is None or (org_id is not None and device.org_id != org_id):
            raise NotFound("Dit apparaat")
        if device.revoked_at is None:
            device.revoked_at = utcnow()
        info = device_info(device)
    log.info("device revoked", extra={"device_id": device_id, "org_id": info.org_id})
    return info


# -- token verification (the hot path) ---------------------------------------------------


class TokenStatus(enum.Enum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"


# Compiled once; SQLAlchemy caches the SQL string, so a lookup is two indexed point queries.
_LOOKUP_STMT = (
    select(
        Device.id,
        Device.user_id,
        Device.org_id,
        Device.expires_at,
        Device.revoked_at,
        Device.last_seen_at,
        User.role,
    )
    .join(User, User.id == Device.user_id)
    .where(Device.token_hash == bindparam("token_hash"))
)
_TEAMS_STMT = select(TeamMember.team_id).where(TeamMember.user_id == bindparam("user_id"))


def lookup_token(db: Database, token_hash: str) -> tuple[TokenStatus, Principal | None]:
    """Who holds this token hash, with plain Core for speed. Touches last_seen_at rarely."""
    now = utcnow()
    with db.connect() as conn:
        row = conn.execute(_LOOKUP_STMT, {"token_hash": token_hash}).first()
        if row is None:
            return TokenStatus.UNKNOWN, None
        device_id, user_id, org_id, expires_at, revoked_at, last_seen_at, role = row
        if revoked_at is not None:
            return TokenStatus.REVOKED, None
        if expires_at <= now:
            return TokenStatus.EXPIRED, None
        teams = frozenset(conn.execute(_TEAMS_STMT, {"user_id": user_id}).scalars())
    if last_seen_at is None or now - last_seen_at >= LAST_SEEN_EVERY:
        with db.begin_write() as wconn:
            wconn.execute(update(Device).where(Device.id == device_id).values(last_seen_at=now))
    return TokenStatus.OK, Principal(
        device_id=device_id,
        user_id=user_id,
        org_id=org_id,
        role=Role(role),
        team_ids=teams,
        token_expires_at=expires_at.timestamp(),
    )


def principal_user_name(db: Database, user_id: str) -> str:
    with db.read() as s:
        return _require(s, User, user_id, "Deze gebruiker").name
