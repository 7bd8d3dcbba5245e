"""The team agenda's operations: member keys, team-key wraps, items and the next meeting.

Each function is one transaction. Access to the team was checked by the policy (a member or
the team leader of ``team_id``); resource rules that need the rows (the author of an item, a
member with a public key) are checked here. The server never sees a key or a clear item.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from liaison_desktop.server.agenda_models import (
    AgendaEntry,
    AgendaTeam,
    AgendaTeamKeyWrap,
    AgendaUserKey,
)
from liaison_desktop.server.db import Database
from liaison_desktop.server.errors import ApiError
from liaison_desktop.server.models import Team, TeamMember, User, utcnow
from liaison_desktop.server.security import Principal
from liaison_desktop.sync.protocol import (
    AGENDA_ITEM_PREFIX,
    AGENDA_KEY_CONFLICT,
    MAX_AGENDA_CIPHERTEXT_CHARS,
    MAX_AGENDA_REF_CHARS,
    AgendaItemPost,
    AgendaKey,
    ErrorCode,
    MeetingPut,
    Role,
    TeamKeyWraps,
)

log = logging.getLogger(__name__)

MAX_WRAP_CHARS = 2048


def is_public_key(text: str) -> bool:
    """32 raw bytes in base64: the shape of an X25519 public key (the server does no crypto)."""
    try:
        return len(base64.b64decode(text, validate=True)) == 32
    except ValueError:
        return False


class AgendaConflict(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.INVALID_REQUEST, message, status=409)
        self.code = AGENDA_KEY_CONFLICT  # type: ignore[assignment]


def _invalid(message: str) -> ApiError:
    return ApiError(ErrorCode.INVALID_REQUEST, message)


def _lock_team(s: Session, team_id: str) -> AgendaTeam:
    """The team's agenda row, created when missing; the team row is locked on PostgreSQL so
    that two members making a team key at once are serialised (SQLite: the write lock)."""
    q = select(Team.id).where(Team.id == team_id)
    if s.bind is not None and s.bind.dialect.name == "postgresql":
        q = q.with_for_update()
    if s.scalar(q) is None:
        raise ApiError(ErrorCode.NOT_FOUND, "Dit team bestaat niet.")
    row = s.get(AgendaTeam, team_id)
    if row is None:
        row = AgendaTeam(team_id=team_id)
        s.add(row)
        s.flush()
    return row


# -- member keys -------------------------------------------------------------------------


def get_key(db: Database, user_id: str) -> dict[str, Any]:
    """The user's stored key; an empty public key when none was uploaded yet."""
    with db.read() as s:
        row = s.get(AgendaUserKey, user_id)
        if row is None:
            return AgendaKey("").to_json()
        return AgendaKey(row.public_key, row.private_escrow).to_json()


def put_key(db: Database, user_id: str, key: AgendaKey) -> dict[str, Any]:
    """Store the user's public key once; the same key again may add the escrow. Another
    public key is refused (409): members' wraps were made for the stored one."""
    if not is_public_key(key.public_key):
        raise _invalid("Dit is geen geldige openbare sleutel (X25519, base64).")
    if key.private_escrow and (
        not key.private_escrow.startswith("e1:") or len(key.private_escrow) > MAX_WRAP_CHARS
    ):
        raise _invalid("De bewaarde privésleutel heeft niet de afgesproken vorm.")
    with db.write() as s:
        row = s.get(AgendaUserKey, user_id)
        if row is None:
            row = AgendaUserKey(
                user_id=user_id, public_key=key.public_key, private_escrow=key.private_escrow
            )
            s.add(row)
        elif row.public_key != key.public_key:
            raise AgendaConflict(
                "Er staat al een andere agendasleutel voor deze gebruiker op de server."
            )
        elif key.private_escrow and not row.private_escrow:
            row.private_escrow = key.private_escrow
        out = AgendaKey(row.public_key, row.private_escrow).to_json()
    log.info("agenda key stored", extra={"user_id": user_id})
    return out


# -- the agenda --------------------------------------------------------------------------


def _members(s: Session, team_id: str, key_id: str | None) -> list[dict[str, Any]]:
    rows = s.execute(
        select(User.id, User.name, User.role, AgendaUserKey.public_key)
        .join(TeamMember, TeamMember.user_id == User.id)
        .outerjoin(AgendaUserKey, AgendaUserKey.user_id == User.id)
        .where(TeamMember.team_id == team_id)
        .order_by(User.name, User.id)
    ).all()
    wrapped: set[str] = set()
    if key_id is not None:
        wrapped = set(
            s.scalars(
                select(AgendaTeamKeyWrap.user_id).where(
                    AgendaTeamKeyWrap.team_id == team_id, AgendaTeamKeyWrap.key_id == key_id
                )
            )
        )
    return [
        {
            "user_id": uid,
            "name": name,
            "role": role,
            "public_key": public_key,
            "has_wrap": uid in wrapped,
        }
        for uid, name, role, public_key in rows
    ]


def team_agenda(db: Database, principal: Principal, team_id: str) -> dict[str, Any]:
    """The next meeting's agenda: items put on that meeting or on "the next one" (null)."""
    with db.read() as s:
        team = s.get(Team, team_id)
        if team is None:
            raise ApiError(ErrorCode.NOT_FOUND, "Dit team bestaat niet.")
        agenda = s.get(AgendaTeam, team_id)
        key_id = agenda.key_id if agenda else None
        meeting_at = agenda.meeting_at if agenda else None
        my_wrap = None
        if key_id is not None:
            wrap = s.get(AgendaTeamKeyWrap, (team_id, principal.user_id))
            if wrap is not None and wrap.key_id == key_id:
                my_wrap = json.loads(wrap.wrap)
        q = (
            select(AgendaEntry, User.name)
            .join(User, User.id == AgendaEntry.author_user_id)
            .where(AgendaEntry.team_id == team_id)
            .order_by(AgendaEntry.created_at, AgendaEntry.id)
        )
        if meeting_at is not None:
            q = q.where(or_(AgendaEntry.meeting_at.is_(None), AgendaEntry.meeting_at >= meeting_at))
        items = [
            {
                "id": e.id,
                "author_user_id": e.author_user_id,
                "author_name": author,
                "key_id": e.key_id,
                "ciphertext": e.ciphertext,
                "created_at": e.created_at,
                "meeting_at": e.meeting_at,
                "author_ref": e.author_ref if e.author_user_id == principal.user_id else "",
            }
            for e, author in s.execute(q)
        ]
        return {
            "team_id": team.id,
            "team_name": team.name,
            "meeting_at": meeting_at,
            "key_id": key_id,
            "my_wrap": my_wrap,
            "members": _members(s, team_id, key_id),
            "items": items,
        }


def put_wraps(
    db: Database, principal: Principal, team_id: str, body: TeamKeyWraps
) -> dict[str, Any]:
    """Store wraps of the team key for members. The first call names the team's key; after
    that only a member who holds a wrap (so knows the key) may add wraps for others."""
    if not body.wraps:
        raise _invalid("Geef minstens één ingepakte teamsleutel.")
    for w in body.wraps:
        if len(json.dumps(w.wrap.to_json())) > MAX_WRAP_CHARS:
            raise _invalid("Een ingepakte teamsleutel is te groot.")
    stored = 0
    with db.write() as s:
        agenda = _lock_team(s, team_id)
        if agenda.key_id is None:
            if principal.user_id not in {w.user_id for w in body.wraps}:
                raise _invalid("Een nieuwe teamsleutel moet ook voor uzelf ingepakt zijn.")
            agenda.key_id = body.key_id
            agenda.updated_at = utcnow()
        elif agenda.key_id != body.key_id:
            raise AgendaConflict("Dit team heeft al een andere teamsleutel.")
        else:
            mine = s.get(AgendaTeamKeyWrap, (team_id, principal.user_id))
            if mine is None or mine.key_id != agenda.key_id:
                raise ApiError(
                    ErrorCode.FORBIDDEN,
                    "Alleen een teamlid dat de teamsleutel heeft, kan hem voor anderen inpakken.",
                )
        member_keys = dict(
            s.execute(
                select(TeamMember.user_id, AgendaUserKey.public_key)
                .join(AgendaUserKey, AgendaUserKey.user_id == TeamMember.user_id)
                .where(TeamMember.team_id == team_id)
            ).all()
        )
        for w in body.wraps:
            if w.user_id not in member_keys:
                raise _invalid("Een teamsleutel kan alleen voor een teamlid met een sleutel.")
            existing = s.get(AgendaTeamKeyWrap, (team_id, w.user_id))
            if existing is not None and existing.key_id == body.key_id:
                continue  # first wrap wins
            if existing is not None:
                s.delete(existing)
                s.flush()
            s.add(
                AgendaTeamKeyWrap(
                    team_id=team_id,
                    user_id=w.user_id,
                    key_id=body.key_id,
                    wrap=json.dumps(w.wrap.to_json(), sort_keys=True),
                    wrapped_by=principal.user_id,
                )
            )
            stored += 1
    log.info(
        "agenda team key wrapped",
        extra={"team_id": team_id, "user_id": principal.user_id, "count": stored},
    )
    return {"key_id": body.key_id, "stored": stored}


def post_item(
    db: Database, principal: Principal, team_id: str, body: AgendaItemPost
) -> tuple[dict[str, Any], bool]:
    """Store a new item (ciphertext under the team's current key); (item, created)."""
    if (
        not body.ciphertext.startswith(AGENDA_ITEM_PREFIX)
        or len(body.ciphertext) > MAX_AGENDA_CIPHERTEXT_CHARS
    ):
        raise _invalid("Het agendapunt heeft niet de afgesproken versleutelde vorm.")
    if body.author_ref and (
        not body.author_ref.startswith("e1:") or len(body.author_ref) > MAX_AGENDA_REF_CHARS
    ):
        raise _invalid("De verwijzing van het agendapunt heeft niet de afgesproken vorm.")
    now = utcnow()
    with db.write() as s:
        agenda = _lock_team(s, team_id)
        if agenda.key_id is None or agenda.key_id != body.key_id:
            raise AgendaConflict(
                "Het agendapunt is niet met de teamsleutel van dit team versleuteld."
            )
        existing = s.get(AgendaEntry, body.id)
        if existing is not None:
            if (
                existing.team_id != team_id
                or existing.author_user_id != principal.user_id
                or existing.ciphertext != body.ciphertext
            ):
                raise AgendaConflict("Er bestaat al een ander agendapunt met dit nummer.")
            entry, created = existing, False
        else:
            meeting = agenda.meeting_at if agenda.meeting_at and agenda.meeting_at > now else None
            entry = AgendaEntry(
                id=body.id,
                team_id=team_id,
                author_user_id=principal.user_id,
                key_id=body.key_id,
                ciphertext=body.ciphertext,
                author_ref=body.author_ref,
                meeting_at=meeting,
                created_at=now,
            )
            s.add(entry)
            created = True
        author = s.get(User, principal.user_id)
        out = {
            "id": entry.id,
            "author_user_id": entry.author_user_id,
            "author_name": author.name if author else "",
            "key_id": entry.key_id,
            "ciphertext": entry.ciphertext,
            "created_at": entry.created_at,
            "meeting_at": entry.meeting_at,
            "author_ref": entry.author_ref,
        }
    if created:
        log.info("agenda item posted", extra={"team_id": team_id, "item_id": body.id})
    return out, created


def delete_item(db: Database, principal: Principal, team_id: str, item_id: str) -> None:
    """Take an item off the agenda: its author, or the team leader (after the meeting)."""
    with db.write() as s:
        entry = s.get(AgendaEntry, item_id)
        if entry is None or entry.team_id != team_id:
            raise ApiError(ErrorCode.NOT_FOUND, "Dit agendapunt bestaat niet (meer).")
        if entry.author_user_id != principal.user_id and principal.role is not Role.TEAM_LEADER:
            raise ApiError(
                ErrorCode.FORBIDDEN,
                "Alleen wie het agendapunt inbracht of de teamleider kan het weghalen.",
            )
        s.execute(delete(AgendaEntry).where(AgendaEntry.id == item_id))
    log.info("agenda item removed", extra={"team_id": team_id, "item_id": item_id})


def set_meeting(db: Database, team_id: str, body: MeetingPut) -> dict[str, Any]:
    with db.write() as s:
        agenda = _lock_team(s, team_id)
        s.execute(
            update(AgendaTeam)
            .where(AgendaTeam.team_id == agenda.team_id)
            .values(meeting_at=body.meeting_at, updated_at=utcnow())
        )
    return {"meeting_at": body.meeting_at}
