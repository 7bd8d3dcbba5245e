"""The neighbourhood-team agenda on the laptop: put a client on it, read it, take items off.

Consent is the laptop's rule: the server cannot see it. Putting a client on the agenda needs
a valid consent for ``NEIGHBOURHOOD_TEAM`` (``Services.require_consent``, the same check as
the local case-meeting appointment), and every :func:`refresh` first takes this laptop's own
items off the server whose consent is no longer valid (withdrawn, expired by the age rule,
client destroyed). Items carry the client's initials, the question and the practice,
encrypted with the team key (:mod:`liaison_desktop.sync.teamkey`); the member key pair's
private half is kept in the encrypted store. Which client an item is about stays on this
laptop only (the store's meta, under ``agenda.posted``).

Thread use: like :class:`Services`, from one thread at a time (the UI's database worker).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.errors import DomainError
from liaison_desktop.domain.schedule import initials
from liaison_desktop.services import enrolment
from liaison_desktop.services.api import Changes, Result, Services
from liaison_desktop.services.sync import local_vault_key
from liaison_desktop.store import repo
from liaison_desktop.sync import fieldcrypt, teamkey
from liaison_desktop.sync.protocol import (
    AGENDA_KEY_CONFLICT,
    AgendaItem,
    AgendaItemPost,
    AgendaKey,
    MeetingPut,
    Role,
    TeamAgenda,
    TeamKeyWrap,
    TeamKeyWraps,
    WrappedKey,
)
from liaison_desktop.sync.teamkey import ItemContent, MemberKeyPair, TamperedItem, WrongTeamKey
from liaison_desktop.sync.transport import ApiRefused, Forbidden, ServerClient

log = logging.getLogger(__name__)

SECRET_PRIVATE_KEY = "agenda_private_key"  # noqa: S105 - the secret's name
META_POSTED = "agenda.posted"
A = dm.AccessAction


class AgendaError(DomainError):
    """The agenda cannot do this now; ``message`` is Dutch and safe to show."""


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One item as a member reads it (decrypted on this laptop)."""

    id: str
    team_id: str
    initials: str
    question: str
    practice: str
    author_name: str
    mine: bool
    created_at: datetime
    meeting_at: datetime | None


@dataclass(frozen=True, slots=True)
class TeamAgendaView:
    team_id: str
    team_name: str
    meeting_at: datetime | None
    entries: tuple[AgendaEntry, ...]
    waiting_for_key: bool = False
    """No wrap of the team key for this user yet: the next member who refreshes makes one."""
    unreadable: int = 0
    """Items refused as tampered or moved (not shown)."""


@dataclass
class AgendaReport:
    teams: list[TeamAgendaView] = field(default_factory=list)
    removed: int = 0
    """Own items taken off because their consent no longer holds."""
    wrapped: int = 0
    """Team-key wraps made for members who had none."""
    team_leader: bool = False
    """This laptop's user is a team leader: may set the next meeting and remove any item."""

    def to_json(self) -> dict:
        return {
            "removed": self.removed,
            "wrapped": self.wrapped,
            "team_leader": self.team_leader,
            "teams": [
                {
                    "team_id": t.team_id,
                    "team": t.team_name,
                    "meeting_at": t.meeting_at.isoformat() if t.meeting_at else None,
                    "waiting_for_key": t.waiting_for_key,
                    "unreadable": t.unreadable,
                    "items": [
                        {
                            "id": e.id,
                            "initials": e.initials,
                            "question": e.question,
                            "practice": e.practice,
                            "brought_in_by": e.author_name,
                            "mine": e.mine,
                        }
                        for e in t.entries
                    ],
                }
                for t in self.teams
            ],
        }


def client_for(services: Services) -> ServerClient:
    """A client for the enrolled server (raises NotEnrolled / DeviceRevokedError)."""
    return enrolment.server_client(services)


def _user_id(services: Services) -> str:
    user_id = services.store.meta(enrolment.META_USER_ID)
    if not user_id:
        raise enrolment.NotEnrolled()
    return user_id


# -- the member key pair ----------------------------------------------------------------


def member_key(services: Services, client: ServerClient) -> MemberKeyPair:
    """This user's agenda key pair: from the store, else from the server's escrow (another
    laptop of the user made it), else a new one; its public key is on the server after."""
    user_id = _user_id(services)
    vault_key = local_vault_key(services)
    text = services.store.get_secret(SECRET_PRIVATE_KEY)
    stored = client.get_agenda_key()
    if text:
        pair = MemberKeyPair.from_private_b64(text)
        if stored is None:
            _upload(client, user_id, pair, vault_key)
        elif stored.public_key != pair.public_b64():
            raise AgendaError(
                "agenda_key_mismatch",
                "Op deze laptop staat een andere agendasleutel dan op de server. "
                "Vraag de beheerder om hulp.",
            )
        elif not stored.private_escrow and vault_key is not None:
            _upload(client, user_id, pair, vault_key)
        return pair
    if stored is not None:
        if not stored.private_escrow or vault_key is None:
            raise AgendaError(
                "agenda_key_elsewhere",
                "De agendasleutel staat op een andere laptop. Synchroniseer deze laptop eerst "
                "(dan komt de kluissleutel mee) en probeer het opnieuw.",
            )
        try:
            pair = teamkey.recover_private_key(vault_key, user_id, stored.private_escrow)
        except WrongTeamKey:
            raise AgendaError(
                "agenda_key_unreadable", "De agendasleutel op de server kan niet worden geopend."
            ) from None
        services.store.set_secret(SECRET_PRIVATE_KEY, pair.private_b64())
        return pair
    pair = MemberKeyPair.generate()
    services.store.set_secret(SECRET_PRIVATE_KEY, pair.private_b64())
    _upload(client, user_id, pair, vault_key)
    log.info("agenda key pair made")
    return pair


def _upload(
    client: ServerClient, user_id: str, pair: MemberKeyPair, vault_key: bytes | None
) -> None:
    escrow = teamkey.escrow_private_key(vault_key, user_id, pair) if vault_key else ""
    client.put_agenda_key(AgendaKey(pair.public_b64(), escrow))


# -- team keys ---------------------------------------------------------------------------


def _open_team_key(
    user_id: str, pair: MemberKeyPair, agenda: TeamAgenda
) -> tuple[str, bytes] | None:
    if agenda.key_id is None or agenda.my_wrap is None:
        return None
    try:
        key = teamkey.unwrap_team_key(
            pair,
            agenda.my_wrap.blob(),
            team_id=agenda.team_id,
            key_id=agenda.key_id,
            user_id=user_id,
        )
    except WrongTeamKey:
        log.warning("agenda team key wrap does not open", extra={"team_id": agenda.team_id})
        return None
    return agenda.key_id, key


def _wraps_for(agenda: TeamAgenda, key_id: str, key: bytes, *, everyone: bool) -> list:
    wraps = []
    for m in agenda.members:
        if not m.public_key or (m.has_wrap and not everyone):
            continue
        try:
            blob = teamkey.wrap_team_key(
                m.public_key, key, team_id=agenda.team_id, key_id=key_id, user_id=m.user_id
            )
        except ValueError:
            continue  # not a public key; the server checks these, so this is not expected
        wraps.append(TeamKeyWrap(m.user_id, WrappedKey.from_blob(blob, context=blob["context"])))
    return wraps


def _team_key(
    services: Services, client: ServerClient, pair: MemberKeyPair, team_id: str
) -> tuple[TeamAgenda, tuple[str, bytes]]:
    """The team key, made (and wrapped for every member with a public key) when the team has
    none yet. Two members making one at once: the second gets 409 and uses the first's."""
    user_id = _user_id(services)
    agenda = client.team_agenda(team_id)
    opened = _open_team_key(user_id, pair, agenda)
    if opened is not None:
        return agenda, opened
    if agenda.key_id is not None:
        raise AgendaError(
            "agenda_waiting_for_key",
            "Deze laptop heeft de sleutel van het basisteam nog niet. Die komt zodra een "
            "ander teamlid of de teamleider de agenda ververst; probeer het daarna opnieuw.",
        )
    key_id, key = teamkey.new_team_key()
    try:
        client.put_team_key_wraps(
            team_id, TeamKeyWraps(key_id, tuple(_wraps_for(agenda, key_id, key, everyone=True)))
        )
    except ApiRefused as exc:
        if exc.code != AGENDA_KEY_CONFLICT:
            raise
    agenda = client.team_agenda(team_id)
    opened = _open_team_key(user_id, pair, agenda)
    if opened is None:
        raise AgendaError(
            "agenda_waiting_for_key",
            "Een ander teamlid maakte tegelijk een teamsleutel. Ververs de agenda straks en "
            "probeer het opnieuw.",
        )
    return agenda, opened


# -- posted items (bookkeeping on this laptop) ---------------------------------------------


def _posted(services: Services) -> dict[str, dict[str, str]]:
    raw = services.store.meta(META_POSTED)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _save_posted(services: Services, posted: dict[str, dict[str, str]]) -> None:
    services.store.set_meta(META_POSTED, json.dumps(posted, sort_keys=True))


def posted_items(services: Services) -> dict[str, dict[str, str]]:
    """This laptop's items on a team agenda: item id -> ``{"client_id", "team_id"}``."""
    return _posted(services)


# -- the operations ----------------------------------------------------------------------


def _teams(client: ServerClient, team_id: str | None) -> tuple[str, ...]:
    teams = tuple(sorted(client.me().team_ids))
    if team_id is not None:
        if team_id not in teams:
            raise AgendaError("agenda_not_a_member", "U bent geen lid van dit basisteam.")
        return (team_id,)
    return teams


def put_on_agenda(
    services: Services,
    client: ServerClient,
    client_id: str,
    question: str,
    *,
    team_id: str | None = None,
) -> Result[AgendaEntry]:
    """Put the client on the next case meeting's agenda of the team, with the question.

    Refused with ConsentRequired (and the reason) unless consent to discuss the case in
    the neighbourhood team is valid today. Only the initials, the question and the
    practice's name leave the laptop, encrypted for the team's members.
    """
    question = question.strip()
    services.require_consent(client_id, dm.ConsentScope.NEIGHBOURHOOD_TEAM)
    if not question:
        raise AgendaError("agenda_question_missing", "Schrijf de vraag aan het basisteam op.")
    if len(question) > teamkey.MAX_QUESTION_CHARS:
        raise AgendaError(
            "agenda_question_too_long",
            f"De vraag is te lang (hoogstens {teamkey.MAX_QUESTION_CHARS} tekens).",
        )
    with services.store.session() as s:
        person = repo.get(s, dm.Client, client_id)
        practice = repo.get(s, dm.Practice, person.practice_id) if person else None
    if person is None:
        raise DomainError("client_unknown", "Dit dossier bestaat niet (meer).")
    teams = _teams(client, team_id)
    if not teams:
        raise AgendaError("agenda_no_team", "U bent geen lid van een basisteam.")
    if len(teams) > 1:
        raise AgendaError("agenda_choose_team", "Kies het basisteam waarop de casus komt.")
    team = teams[0]
    pair = member_key(services, client)
    agenda, (key_id, key) = _team_key(services, client, pair, team)
    content = ItemContent(
        initials(person.first_name, person.last_name),
        question,
        (practice.name if practice else "")[: teamkey.MAX_PRACTICE_CHARS],
    )
    item_id = str(uuid.uuid4())
    ciphertext = teamkey.encrypt_item(
        key, team_id=team, item_id=item_id, key_id=key_id, content=content
    )
    # Bookkept before the post: an item whose reply was lost is still swept on withdrawal.
    posted = _posted(services)
    posted[item_id] = {"client_id": client_id, "team_id": team}
    _save_posted(services, posted)
    vault_key = local_vault_key(services)
    ref = _author_ref(vault_key, item_id, client_id) if vault_key else ""
    stored = client.post_agenda_item(team, AgendaItemPost(item_id, key_id, ciphertext, ref))
    with services.store.write() as s:
        services._log(s, A.EXPORT, "agenda_item", client_id, item_id)
    log.info("agenda item posted", extra={"team_id": team, "item_id": item_id})
    entry = AgendaEntry(
        id=item_id,
        team_id=team,
        initials=content.initials,
        question=content.question,
        practice=content.practice,
        author_name=stored.author_name,
        mine=True,
        created_at=stored.created_at,
        meeting_at=stored.meeting_at,
    )
    return Result(entry, Changes(client_ids=frozenset({client_id})))


def sweep(services: Services, client: ServerClient) -> int:
    """Take this laptop's items off the server whose consent no longer holds; the count."""
    posted = _posted(services)
    removed = 0
    for item_id, ref in sorted(posted.items()):
        cid = ref.get("client_id", "")
        try:
            valid = services.consent_check(cid, dm.ConsentScope.NEIGHBOURHOOD_TEAM).valid
        except DomainError:
            valid = False  # the client file was destroyed
        if valid:
            continue
        try:
            client.delete_agenda_item(ref.get("team_id", ""), item_id)
        except Forbidden:
            # No longer a member of that team: the team leader takes it off; try again later.
            log.warning("agenda item not removable", extra={"item_id": item_id})
            continue
        del posted[item_id]
        _save_posted(services, posted)
        if _client_exists(services, cid):
            with services.store.write() as s:
                services._log(s, A.DELETE, "agenda_item", cid, item_id)
        removed += 1
    if removed:
        log.info("agenda items removed after consent ended", extra={"count": removed})
    return removed


def _author_ref(vault_key: bytes, item_id: str, client_id: str) -> str:
    return fieldcrypt.encrypt_field(vault_key, "agenda_item", item_id, "client_id", client_id)


def _ended_elsewhere(services: Services, vault_key: bytes | None, item: AgendaItem) -> bool:
    """An own item posted from another laptop of this user whose client's consent ended
    here. Unknown clients (not synced yet) and unreadable references are left alone."""
    if vault_key is None or not item.author_ref:
        return False
    try:
        client_id = fieldcrypt.decrypt_field(
            vault_key, "agenda_item", item.id, "client_id", item.author_ref
        )
    except fieldcrypt.TamperedValue:
        log.warning("agenda item reference refused", extra={"item_id": item.id})
        return False
    if not _client_exists(services, client_id):
        return False
    if services.consent_check(client_id, dm.ConsentScope.NEIGHBOURHOOD_TEAM).valid:
        return False
    with services.store.write() as s:
        services._log(s, A.DELETE, "agenda_item", client_id, item.id)
    return True


def _client_exists(services: Services, client_id: str) -> bool:
    with services.store.session() as s:
        return repo.get(s, dm.Client, client_id) is not None


def refresh(
    services: Services, client: ServerClient, *, team_ids: Sequence[str] | None = None
) -> AgendaReport:
    """Sweep own items whose consent ended, then read the next meeting's agenda of each of
    the user's teams (decrypted here), wrapping the team key for members who lack one."""
    report = AgendaReport(team_leader=is_team_leader(services))
    report.removed = sweep(services, client)
    user_id = _user_id(services)
    pair = member_key(services, client)
    posted = set(_posted(services))
    vault_key = local_vault_key(services)
    teams = tuple(team_ids) if team_ids is not None else _teams(client, None)
    for team in teams:
        agenda = client.team_agenda(team)
        # Own items posted from another laptop of this user are swept here as well.
        gone = {
            item.id
            for item in agenda.items
            if item.author_user_id == user_id
            and item.id not in posted
            and _ended_elsewhere(services, vault_key, item)
        }
        for item_id in sorted(gone):
            client.delete_agenda_item(team, item_id)
            report.removed += 1
        if gone:
            agenda = dataclasses.replace(
                agenda, items=tuple(i for i in agenda.items if i.id not in gone)
            )
        opened = _open_team_key(user_id, pair, agenda)
        if opened is None:
            report.teams.append(
                TeamAgendaView(
                    agenda.team_id,
                    agenda.team_name,
                    agenda.meeting_at,
                    (),
                    waiting_for_key=agenda.key_id is not None,
                    unreadable=len(agenda.items),
                )
            )
            continue
        key_id, key = opened
        missing = _wraps_for(agenda, key_id, key, everyone=False)
        if missing:
            client.put_team_key_wraps(team, TeamKeyWraps(key_id, tuple(missing)))
            report.wrapped += len(missing)
        entries, unreadable = [], 0
        for item in agenda.items:
            try:
                content = teamkey.decrypt_item(
                    key,
                    team_id=team,
                    item_id=item.id,
                    key_id=item.key_id,
                    ciphertext=item.ciphertext,
                )
            except TamperedItem:
                unreadable += 1
                log.warning("agenda item refused", extra={"team_id": team, "item_id": item.id})
                continue
            entries.append(
                AgendaEntry(
                    id=item.id,
                    team_id=team,
                    initials=content.initials,
                    question=content.question,
                    practice=content.practice,
                    author_name=item.author_name,
                    mine=item.author_user_id == user_id,
                    created_at=item.created_at,
                    meeting_at=item.meeting_at,
                )
            )
        report.teams.append(
            TeamAgendaView(
                agenda.team_id,
                agenda.team_name,
                agenda.meeting_at,
                tuple(entries),
                unreadable=unreadable,
            )
        )
    return report


def remove_item(services: Services, client: ServerClient, team_id: str, item_id: str) -> bool:
    """Take an item off the agenda (own items; the team leader may take any off)."""
    gone = client.delete_agenda_item(team_id, item_id)
    posted = _posted(services)
    ref = posted.pop(item_id, None)
    if ref is not None:
        _save_posted(services, posted)
        if _client_exists(services, ref.get("client_id", "")):
            with services.store.write() as s:
                services._log(s, A.DELETE, "agenda_item", ref["client_id"], item_id)
    return gone


def is_team_leader(services: Services) -> bool:
    return services.store.meta(enrolment.META_ROLE) == Role.TEAM_LEADER.value


def set_next_meeting(client: ServerClient, team_id: str, when: datetime | None) -> None:
    """The team leader sets the next case meeting (aware datetime, or None)."""
    if when is not None and when.tzinfo is None:
        raise AgendaError("agenda_meeting_naive", "Geef het overleg met datum, tijd en tijdzone.")
    client.set_team_meeting(team_id, MeetingPut(when))


# -- for the app: open the client, turn transport failures into a message ------------------


def _as_agenda_error(exc: Exception) -> AgendaError:
    if isinstance(exc, enrolment.DeviceRevokedError | enrolment.EnrolmentError):
        return AgendaError("agenda_not_enrolled", exc.message)
    message = getattr(exc, "message", "") or "De server is nu niet bereikbaar."
    return AgendaError("agenda_server", message)


def _here(services: Services, fn):  # type: ignore[no-untyped-def]
    """Run ``fn(client)`` with a client for the enrolled server. A DeviceRevoked marks the
    laptop revoked; transport and enrolment failures become an AgendaError (Dutch)."""
    from liaison_desktop.sync.transport import DeviceRevoked, TransportError

    try:
        with client_for(services) as client:
            return fn(client)
    except DeviceRevoked:
        raise _as_agenda_error(enrolment.mark_revoked(services)) from None
    except (TransportError, enrolment.EnrolmentError) as exc:
        raise _as_agenda_error(exc) from None


def refresh_here(services: Services) -> AgendaReport:
    return _here(services, lambda c: refresh(services, c))


def put_on_agenda_here(
    services: Services, client_id: str, question: str, team_id: str | None = None
) -> Result[AgendaEntry]:
    # Consent first, before any network: refused offline too, with the same reason.
    services.require_consent(client_id, dm.ConsentScope.NEIGHBOURHOOD_TEAM)
    return _here(
        services, lambda c: put_on_agenda(services, c, client_id, question, team_id=team_id)
    )


def remove_here(services: Services, team_id: str, item_id: str) -> bool:
    return _here(services, lambda c: remove_item(services, c, team_id, item_id))


def set_next_meeting_here(services: Services, team_id: str, when: datetime | None) -> None:
    if not is_team_leader(services):
        raise AgendaError(
            "agenda_not_team_leader", "Alleen de teamleider plant het volgende overleg."
        )
    _here(services, lambda c: set_next_meeting(c, team_id, when))


def teams_here(services: Services) -> list[tuple[str, str]]:
    """(team id, team name) of the user's teams, for choosing where an item goes."""

    def names(client: ServerClient) -> list[tuple[str, str]]:
        return [(t, client.team_agenda(t).team_name) for t in _teams(client, None)]

    return _here(services, names)


def sweep_here(services: Services) -> int | None:
    """Right after a withdrawal, when online: take this laptop's items whose consent ended
    off the agenda now. None when that could not be done (offline, not enrolled); the next
    refresh does it then. No network call when this laptop has no items on an agenda."""
    if not _posted(services):
        return 0
    if not enrolment.is_enrolled(services):
        return None
    try:
        return _here(services, lambda c: sweep(services, c))
    except AgendaError:
        return None
