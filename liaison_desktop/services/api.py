"""The one data API: every read and change of the UI, the CLI and sync goes through Services.

Each change is one write transaction that also appends to the access log, and returns a
:class:`Changes` record saying what it touched (Anki's ``OpChanges`` pattern), so that views
refresh only what they show.

Thread use: a Services object may be called from one thread at a time. The desktop app calls
it only from its database worker thread; the CLI from its main thread.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

from liaison_desktop import __version__
from liaison_desktop.domain import model as dm
from liaison_desktop.domain.accesslog import AccessEntry, ChainReport
from liaison_desktop.domain.badge import ConsentBadge
from liaison_desktop.domain.consent import ConsentCheck, age_on, best_consent, validate_consent
from liaison_desktop.domain.conversations import (
    ConversationSignal,
    check_new_conversation,
    conversation_signal,
    signal_message,
)
from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.domain.retention import retention_deadline
from liaison_desktop.domain.trajectory import transition, waiting_days
from liaison_desktop.domain.validation import (
    validate_client,
    validate_contact,
    validate_guardian,
    validate_trajectory,
)
from liaison_desktop.services.files import write_private
from liaison_desktop.store import accesslog, repo
from liaison_desktop.store.keychain import DeviceSecrets
from liaison_desktop.store.store import Store

T = TypeVar("T")
A = dm.AccessAction


@dataclass(frozen=True, slots=True)
class Changes:
    """What a change touched; views refresh when their flag is set."""

    clients: bool = False
    trajectories: bool = False
    consents: bool = False
    contacts: bool = False
    schedule: bool = False
    practices: bool = False
    access_log: bool = True
    client_ids: frozenset[str] = frozenset()

    def __or__(self, other: Changes) -> Changes:
        merged = {
            f.name: getattr(self, f.name) or getattr(other, f.name)
            for f in dataclasses.fields(self)
            if f.name != "client_ids"
        }
        return Changes(**merged, client_ids=self.client_ids | other.client_ids)

    @property
    def caseload(self) -> bool:
        """Whether the caseload table shows anything this change touched."""
        return self.clients or self.trajectories or self.consents or self.contacts or self.schedule


@dataclass(frozen=True, slots=True)
class Result(Generic[T]):
    """What a change returns: the stored value, what changed, and an optional warning."""

    value: T
    changes: Changes
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts (the professional), on whose behalf (NEN 7513), from which device."""

    professional_id: str
    device_id: str
    on_behalf_of: str


class ConsentRequired(DomainError):
    """An action needs a consent that is missing, withdrawn or no longer valid."""


@dataclass(frozen=True, slots=True)
class CaseloadQuery:
    text: str = ""
    practice_id: str | None = None
    statuses: tuple[dm.TrajectoryStatus, ...] = ()
    badges: tuple[ConsentBadge, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One open trajectory as the caseload shows it."""

    trajectory_id: str
    client_id: str
    client_name: str
    age: int
    bsn: str | None
    practice_id: str
    practice_name: str
    request_category: dm.RequestCategory
    status: dm.TrajectoryStatus
    conversations: int
    days_waiting: int
    next_appointment: datetime | None
    badge: ConsentBadge


CASELOAD_FIRST_PAGE = 200
"""How many rows the app asks for first after unlock (see Services.caseload_page)."""


@dataclass(frozen=True, slots=True)
class CaseloadPage:
    """Some rows of the caseload and the number of rows of the whole (filtered) caseload."""

    rows: list[CaseloadRow]
    total: int
    offset: int = 0


@dataclass(slots=True)
class ClientFile:
    """Everything in one client's file."""

    client: dm.Client
    guardians: list[dm.Guardian]
    trajectories: list[dm.Trajectory]
    consents: list[dm.Consent]
    contacts: list[dm.Contact]
    appointments: list[dm.Appointment]


@dataclass(frozen=True, slots=True)
class ContactOutcome:
    contact: dm.Contact
    conversation_count: int
    signal: ConversationSignal
    message: str | None


@dataclass(frozen=True, slots=True)
class RetentionItem:
    client_id: str
    last_change: date
    deadline: date


@dataclass(frozen=True, slots=True)
class ExportReport:
    path: Path
    clients: int
    records: int


class Services:
    """The data API over one unlocked store."""

    def __init__(self, store: Store, secrets: DeviceSecrets | None = None) -> None:
        self.store = store
        device_id = store.meta("device_id") or "unknown-device"
        professional_id = store.meta("professional_id") or "unknown-professional"
        self.actor = Actor(professional_id, device_id, on_behalf_of=professional_id)
        self.secrets = secrets or DeviceSecrets(store.store_id, fallback=store)
        self.today = date.today  # replaceable in tests
        self.now = datetime.now

    # -- plumbing ------------------------------------------------------------------------

    def _log(
        self,
        s: Any,
        action: dm.AccessAction,
        object_type: str,
        client_id: str | None = None,
        object_id: str | None = None,
    ) -> None:
        accesslog.append(
            s,
            actor_id=self.actor.professional_id,
            on_behalf_of=self.actor.on_behalf_of,
            device_id=self.actor.device_id,
            action=action.value,
            object_type=object_type,
            client_id=client_id,
            object_id=object_id,
        )

    def change_passphrase(self, new_passphrase: str) -> None:
        """Re-wrap the database key with a new passphrase (the database is not re-encrypted),
        and the vault key too, so that the next sync gives the server a wrap that opens with
        the new passphrase: a new laptop of this user is then set up with the new one."""
        from liaison_desktop.services import sync as syncsvc  # sync imports this module

        self.store.change_passphrase(new_passphrase)
        syncsvc.rewrap_vault_for_passphrase(self, new_passphrase)

    def lock(self) -> None:
        """Drop the key and close the store; this object is unusable afterwards."""
        self.store.close()

    # -- profile and practices -----------------------------------------------------------

    def setup_profile(self, name: str, practices: Sequence[dm.Practice]) -> Result[dm.Professional]:
        """First run: the professional and the practices they work at."""
        if not name.strip():
            raise ValidationError([DomainError("name_required", "Vul je naam in.", "name")])
        prof = dm.Professional(name=name.strip())
        with self.store.write() as s:
            repo.insert(s, prof)
            for p in practices:
                repo.insert(s, p)
            self._log(s, A.CREATE, "professional", object_id=prof.id)
        self.store.set_meta("professional_id", prof.id)
        self.actor = Actor(prof.id, self.actor.device_id, prof.id)
        return Result(prof, Changes(practices=True))

    def professional(self) -> dm.Professional | None:
        with self.store.session() as s:
            return repo.get(s, dm.Professional, self.actor.professional_id)

    def practices(self) -> list[dm.Practice]:
        with self.store.session() as s:
            return sorted(repo.all_of(s, dm.Practice), key=lambda p: p.name)

    def rooms(self, practice_id: str | None = None) -> list[dm.Room]:
        with self.store.session() as s:
            where = {"practice_id": practice_id} if practice_id else {}
            return sorted(repo.all_of(s, dm.Room, **where), key=lambda r: r.name)

    def add_practice(self, practice: dm.Practice) -> Result[dm.Practice]:
        if not practice.name.strip():
            raise ValidationError(
                [DomainError("name_required", "Vul de naam van de praktijk in.", "name")]
            )
        with self.store.write() as s:
            repo.insert(s, practice)
            self._log(s, A.CREATE, "practice", object_id=practice.id)
        return Result(practice, Changes(practices=True))

    def add_room(self, room: dm.Room) -> Result[dm.Room]:
        with self.store.write() as s:
            repo.insert(s, room)
            self._log(s, A.CREATE, "room", object_id=room.id)
        return Result(room, Changes(practices=True, schedule=True))

    # -- caseload and search -------------------------------------------------------------

    def caseload(self, query: CaseloadQuery = CaseloadQuery()) -> list[CaseloadRow]:
        """Open trajectories (longest waiting first), filtered in SQL, with consent badges.

        Any thread that owns the store (the ops worker in the app)."""
        today = self._fresh_badges()
        with self.store.session() as s:
            records = repo.caseload(
                s,
                text=query.text,
                practice_id=query.practice_id,
                statuses=query.statuses,
                badges=query.badges,
                now=self.now(),
            )
        return self._caseload_rows(records, today)

    def caseload_page(
        self, query: CaseloadQuery = CaseloadQuery(), limit: int = 200, offset: int = 0
    ) -> CaseloadPage:
        """One page of :meth:`caseload` (same order) and how many rows all pages hold.

        What the app paints first after unlocking, before the whole caseload has loaded."""
        today = self._fresh_badges()
        with self.store.session() as s:
            where = {
                "text": query.text,
                "practice_id": query.practice_id,
                "statuses": query.statuses,
                "badges": query.badges,
            }
            records = repo.caseload(s, **where, now=self.now(), limit=limit, offset=offset)
            total = repo.caseload_count(s, **where)
        return CaseloadPage(self._caseload_rows(records, today), total, offset)

    def _fresh_badges(self) -> date:
        """Recompute the stored consent badges that changed files or the date made stale."""
        today = self.today()
        with self.store.session() as s:
            stale = repo.has_stale_badges(s, today)
        if stale:
            with self.store.write() as s:
                repo.refresh_stale_badges(s, today)
        return today

    @staticmethod
    def _caseload_rows(records: Sequence[repo.CaseloadRecord], today: date) -> list[CaseloadRow]:
        rows = []
        append = rows.append
        for r in records:
            append(
                CaseloadRow(
                    trajectory_id=r.trajectory_id,
                    client_id=r.client_id,
                    client_name=f"{r.first_name} {r.last_name}",
                    age=age_on(r.date_of_birth, today),
                    bsn=r.bsn,
                    practice_id=r.practice_id,
                    practice_name=r.practice_name,
                    request_category=r.request_category,
                    status=r.status,
                    conversations=r.conversation_count,
                    days_waiting=waiting_days(r.referred_on, r.first_contact_on, today),
                    next_appointment=r.next_appointment,
                    badge=r.badge,
                )
            )
        return rows

    def search_clients(self, text: str, limit: int = 50) -> list[dm.Client]:
        with self.store.session() as s:
            return repo.search_clients(s, text, limit)

    # -- the client file -----------------------------------------------------------------

    def open_client(self, client_id: str) -> ClientFile:
        """Read a whole client file; the open is logged."""
        with self.store.write() as s:
            client = repo.get(s, dm.Client, client_id)
            if client is None:
                raise DomainError("client_unknown", "Dit dossier bestaat niet (meer).")
            self._log(s, A.OPEN, "client", client_id, client_id)
            return ClientFile(
                client=client,
                guardians=repo.all_of(s, dm.Guardian, client_id=client_id),
                trajectories=sorted(
                    repo.all_of(s, dm.Trajectory, client_id=client_id),
                    key=lambda t: t.referred_on,
                ),
                consents=sorted(
                    repo.all_of(s, dm.Consent, client_id=client_id), key=lambda c: c.given_on
                ),
                contacts=repo.contacts_of(s, client_id),
                appointments=repo.appointments_of(s, client_id),
            )

    def add_client(
        self,
        client: dm.Client,
        guardians: Sequence[dm.Guardian] = (),
        trajectory: dm.Trajectory | None = None,
    ) -> Result[dm.Client]:
        """A new client with guardians and, usually, the GP's referral: one transaction, so a
        refused referral leaves no client without one behind."""
        today = self.today()
        validate_client(client, today)
        for g in guardians:
            validate_guardian(g)
        if trajectory is not None:
            trajectory = dataclasses.replace(trajectory, client_id=client.id)
            validate_trajectory(trajectory, today)
        with self.store.write() as s:
            repo.insert(s, client)
            for g in guardians:
                repo.insert(s, dataclasses.replace(g, client_id=client.id))
            self._log(s, A.CREATE, "client", client.id, client.id)
            if trajectory is not None:
                repo.insert(s, trajectory)
                self._log(s, A.CREATE, "trajectory", client.id, trajectory.id)
        changes = Changes(clients=True, client_ids=frozenset({client.id}))
        if trajectory is not None:
            changes = changes | Changes(trajectories=True, client_ids=frozenset({client.id}))
        return Result(client, changes)

    def update_client(self, client: dm.Client) -> Result[dm.Client]:
        validate_client(client, self.today())
        with self.store.write() as s:
            if repo.save(s, client):
                repo.touch_client_file(s, client.id)
                self._log(s, A.UPDATE, "client", client.id, client.id)
        return Result(client, Changes(clients=True, client_ids=frozenset({client.id})))

    def save_guardian(self, guardian: dm.Guardian) -> Result[dm.Guardian]:
        """Add or update a guardian."""
        validate_guardian(guardian)
        with self.store.write() as s:
            exists = repo.get(s, dm.Guardian, guardian.id) is not None
            if exists:
                repo.save(s, guardian)
            else:
                repo.insert(s, guardian)
            repo.touch_client_file(s, guardian.client_id)
            self._log(
                s, A.UPDATE if exists else A.CREATE, "guardian", guardian.client_id, guardian.id
            )
        return Result(guardian, Changes(clients=True, client_ids=frozenset({guardian.client_id})))

    # -- trajectories --------------------------------------------------------------------

    def add_trajectory(self, trajectory: dm.Trajectory) -> Result[dm.Trajectory]:
        validate_trajectory(trajectory, self.today())
        with self.store.write() as s:
            repo.insert(s, trajectory)
            repo.touch_client_file(s, trajectory.client_id)
            self._log(s, A.CREATE, "trajectory", trajectory.client_id, trajectory.id)
        return Result(
            trajectory,
            Changes(trajectories=True, client_ids=frozenset({trajectory.client_id})),
        )

    def change_status(
        self,
        trajectory_id: str,
        status: dm.TrajectoryStatus,
        *,
        outcome: dm.Outcome | None = None,
        on: date | None = None,
    ) -> Result[dm.Trajectory]:
        """Move a trajectory to a new status; closing needs an outcome."""
        with self.store.write() as s:
            current = repo.get(s, dm.Trajectory, trajectory_id)
            if current is None:
                raise DomainError("trajectory_unknown", "Dit traject bestaat niet (meer).")
            updated = transition(current, status, outcome=outcome, on=on or self.today())
            repo.save(s, updated)
            repo.touch_client_file(s, updated.client_id)
            self._log(s, A.UPDATE, "trajectory", updated.client_id, updated.id)
        return Result(
            updated, Changes(trajectories=True, client_ids=frozenset({updated.client_id}))
        )

    # -- consent -------------------------------------------------------------------------

    def _client_context(self, s: Any, client_id: str) -> tuple[dm.Client, list[dm.Guardian]]:
        client = repo.get(s, dm.Client, client_id)
        if client is None:
            raise DomainError("client_unknown", "Dit dossier bestaat niet (meer).")
        return client, repo.all_of(s, dm.Guardian, client_id=client_id)

    def register_consent(self, consent: dm.Consent) -> Result[dm.Consent]:
        with self.store.write() as s:
            client, guardians = self._client_context(s, consent.client_id)
            validate_consent(consent, client.date_of_birth, guardians, self.today())
            repo.insert(s, consent)
            repo.touch_client_file(s, consent.client_id)
            self._log(s, A.CREATE, "consent", consent.client_id, consent.id)
        return Result(consent, Changes(consents=True, client_ids=frozenset({consent.client_id})))

    def withdraw_consent(self, consent_id: str, on: date | None = None) -> Result[dm.Consent]:
        """Withdraw a consent; it stops counting from ``on`` (today) immediately."""
        on = on or self.today()
        with self.store.write() as s:
            consent = repo.get(s, dm.Consent, consent_id)
            if consent is None:
                raise DomainError("consent_unknown", "Deze toestemming bestaat niet (meer).")
            if consent.withdrawn_on is not None:
                raise DomainError(
                    "consent_already_withdrawn", "Deze toestemming is al ingetrokken."
                )
            if on < consent.given_on:
                raise ValidationError(
                    [
                        DomainError(
                            "withdrawn_before_given",
                            "De intrekking kan niet vóór de datum van de toestemming liggen.",
                            "withdrawn_on",
                        )
                    ]
                )
            updated = dataclasses.replace(consent, withdrawn_on=on)
            repo.save(s, updated)
            repo.touch_client_file(s, consent.client_id)
            self._log(s, A.UPDATE, "consent", consent.client_id, consent.id)
        return Result(updated, Changes(consents=True, client_ids=frozenset({consent.client_id})))

    def consent_check(
        self, client_id: str, scope: dm.ConsentScope, day: date | None = None
    ) -> ConsentCheck:
        """Whether consent for ``scope`` is valid on ``day`` (today), with reason and givers."""
        with self.store.session() as s:
            client, guardians = self._client_context(s, client_id)
            consents = repo.all_of(s, dm.Consent, client_id=client_id)
        return best_consent(consents, scope, client.date_of_birth, guardians, day or self.today())

    def require_consent(self, client_id: str, scope: dm.ConsentScope) -> ConsentCheck:
        """Raise ConsentRequired (with the reason) unless consent for ``scope`` is valid today."""
        check = self.consent_check(client_id, scope)
        if not check.valid:
            raise ConsentRequired("consent_required", check.reason, "consent")
        return check

    # -- contacts ------------------------------------------------------------------------

    def log_contact(self, contact: dm.Contact) -> Result[ContactOutcome]:
        """Log a contact; reports the conversation count and the five-conversation signal."""
        validate_contact(contact, self.now())
        with self.store.write() as s:
            traj = repo.get(s, dm.Trajectory, contact.trajectory_id)
            if traj is None or traj.client_id != contact.client_id:
                raise DomainError("trajectory_unknown", "Kies een traject van deze cliënt.")
            repo.insert(s, contact)
            count = repo.refresh_conversation_count(s, contact.trajectory_id)
            repo.touch_client_file(s, contact.client_id)
            self._log(s, A.CREATE, "contact", contact.client_id, contact.id)
        signal = conversation_signal(count)
        warning = check_new_conversation(count - 1) if contact.counts_as_conversation else None
        outcome = ContactOutcome(contact, count, signal, signal_message(signal))
        return Result(
            outcome,
            Changes(contacts=True, trajectories=True, client_ids=frozenset({contact.client_id})),
            warning,
        )

    def update_contact(self, contact: dm.Contact) -> Result[ContactOutcome]:
        validate_contact(contact, self.now())
        with self.store.write() as s:
            repo.save(s, contact)
            count = repo.refresh_conversation_count(s, contact.trajectory_id)
            repo.touch_client_file(s, contact.client_id)
            self._log(s, A.UPDATE, "contact", contact.client_id, contact.id)
        signal = conversation_signal(count)
        return Result(
            ContactOutcome(contact, count, signal, signal_message(signal)),
            Changes(contacts=True, trajectories=True, client_ids=frozenset({contact.client_id})),
        )

    # -- schedule ------------------------------------------------------------------------

    def add_appointment(self, appointment: dm.Appointment) -> Result[dm.Appointment]:
        if appointment.duration_min <= 0:
            raise ValidationError(
                [DomainError("duration_invalid", "De duur moet groter dan nul zijn.", "duration")]
            )
        with self.store.write() as s:
            repo.insert(s, appointment)
            if appointment.client_id:
                repo.touch_client_file(s, appointment.client_id)
            self._log(s, A.CREATE, "appointment", appointment.client_id, appointment.id)
        ids = frozenset({appointment.client_id}) if appointment.client_id else frozenset()
        return Result(appointment, Changes(schedule=True, client_ids=ids))

    # -- privacy: access log, retention, export ------------------------------------------

    def access_log_for_client(self, client_id: str) -> list[AccessEntry]:
        with self.store.session() as s:
            return list(accesslog.entries(s, client_id))

    def log_export(self, client_id: str, what: str) -> None:
        """Log an export of a client's data made outside this layer (the access-log PDF the
        app writes for the client): who, which client, when, which device."""
        with self.store.write() as s:
            self._log(s, A.EXPORT, what, client_id, client_id)

    def verify_access_log(self) -> ChainReport:
        with self.store.session() as s:
            return accesslog.verify(s)

    def past_retention(self, today: date | None = None) -> list[RetentionItem]:
        """Client files whose retention period (20 years after the last change) has ended."""
        today = today or self.today()
        # A file changed 20 years + a day ago is certainly past; check each exactly.
        cutoff = datetime.combine(today - timedelta(days=365 * 20 - 6), datetime.min.time(), UTC)
        with self.store.session() as s:
            candidates = repo.clients_changed_before(s, cutoff)
        out = []
        for client_id, changed_at in candidates:
            last = changed_at.date()
            deadline = retention_deadline(last)
            if deadline <= today:
                out.append(RetentionItem(client_id, last, deadline))
        return sorted(out, key=lambda i: i.deadline)

    def destroy_client(self, client_id: str, *, confirmed: bool) -> Result[str]:
        """Destroy a client's whole file; needs an explicit confirmation and is logged."""
        if not confirmed:
            raise DomainError(
                "confirmation_required", "Bevestig eerst dat dit dossier vernietigd mag worden."
            )
        with self.store.write() as s:
            if repo.get(s, dm.Client, client_id) is None:
                raise DomainError("client_unknown", "Dit dossier bestaat niet (meer).")
            repo.destroy_client(s, client_id)
            self._log(s, A.DESTROY, "client", client_id, client_id)
        return Result(client_id, Changes(clients=True, client_ids=frozenset({client_id})))

    def export(
        self,
        out: Path,
        *,
        client_id: str | None = None,
        require_scope: dm.ConsentScope | None = None,
    ) -> ExportReport:
        """Write a JSON export of everything, or of one client, and log it.

        With ``require_scope`` (an export handed to a third party) each exported client must
        have a valid consent for that scope, else ConsentRequired. The right of access and
        portability (the client's own copy) needs no consent.
        """
        if client_id is not None and require_scope is not None:
            self.require_consent(client_id, require_scope)
        with self.store.write() as s:
            if client_id is not None:
                if repo.get(s, dm.Client, client_id) is None:
                    raise DomainError("client_unknown", "Dit dossier bestaat niet (meer).")
                client_ids = [client_id]
            else:
                client_ids = [c.id for c in repo.all_of(s, dm.Client)]
            data: dict[str, Any] = {
                "format": "liaison-export",
                "version": 1,
                "app_version": __version__,
                "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "scope": "client" if client_id else "all",
                "practices": [_plain(p) for p in repo.all_of(s, dm.Practice)],
                "clients": [],
            }
            records = 0
            for cid in client_ids:
                entry = {
                    "client": _plain(repo.get(s, dm.Client, cid)),
                    "guardians": [_plain(x) for x in repo.all_of(s, dm.Guardian, client_id=cid)],
                    "trajectories": [
                        _plain(x) for x in repo.all_of(s, dm.Trajectory, client_id=cid)
                    ],
                    "consents": [_plain(x) for x in repo.all_of(s, dm.Consent, client_id=cid)],
                    "contacts": [_plain(x) for x in repo.contacts_of(s, cid)],
                    "appointments": [_plain(x) for x in repo.appointments_of(s, cid)],
                }
                records += 1 + sum(len(v) for k, v in entry.items() if k != "client")
                data["clients"].append(entry)
                self._log(s, A.EXPORT, "client", cid, cid)
            if client_id is None:
                self._log(s, A.EXPORT, "all")
            write_private(out, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        return ExportReport(out, len(client_ids), records)

    # -- typed text kept across a lock ------------------------------------------------------

    _DRAFTS_KEY = "kept_drafts"

    def keep_drafts(self, drafts: dict[str, Any]) -> None:
        """Keep unsaved typed text inside the encrypted store while the app is locked.

        ``drafts`` is JSON-ready: ``files`` (client id -> field -> text) and ``texts`` (a
        list of ``{"title", "fields": [[label, text], ...]}`` from open forms). Merged with
        text kept before and not yet taken back. Called by the lock, just before the key goes.
        """
        kept = self._read_drafts()
        files = dict(kept.get("files", {}))
        files.update(drafts.get("files", {}))
        texts = list(kept.get("texts", [])) + list(drafts.get("texts", []))
        self.store.set_meta(self._DRAFTS_KEY, json.dumps({"files": files, "texts": texts}))

    def take_drafts(self) -> dict[str, Any]:
        """Text kept by :meth:`keep_drafts`, removed from the store (empty dict when none)."""
        kept = self._read_drafts()
        if kept:
            self.store.set_meta(self._DRAFTS_KEY, "")
        return kept

    def _read_drafts(self) -> dict[str, Any]:
        raw = self.store.meta(self._DRAFTS_KEY)
        if not raw:
            return {}
        try:
            kept = json.loads(raw)
        except ValueError:
            return {}
        return kept if isinstance(kept, dict) else {}

    # -- bulk (demo data, benchmarks) ----------------------------------------------------

    def import_bulk(self, objects: Iterable[Any]) -> Changes:
        """Insert many new records at once (grouped by type, parents first); logged once."""
        order = [
            dm.Practice,
            dm.Room,
            dm.Client,
            dm.Guardian,
            dm.Trajectory,
            dm.Consent,
            dm.Contact,
            dm.PartDay,
            dm.Appointment,
        ]
        groups: dict[type, list[Any]] = {cls: [] for cls in order}
        for o in objects:
            groups[type(o)].append(o)
        with self.store.write() as s:
            for cls in order:
                repo.bulk_insert(s, groups[cls])
            traj_ids = {c.trajectory_id for c in groups[dm.Contact]}
            repo.refresh_conversation_counts(s, traj_ids)
            touched = {c.id for c in groups[dm.Client]}
            touched |= {o.client_id for o in groups[dm.Guardian] + groups[dm.Consent]}
            repo.refresh_client_badges(s, touched, self.today())
            self._log(s, A.CREATE, "bulk_import")
        return Changes(
            clients=True,
            trajectories=True,
            consents=True,
            contacts=True,
            schedule=True,
            practices=True,
        )

    def counts(self) -> dict[str, int]:
        with self.store.session() as s:
            return {
                "clients": repo.count(s, dm.Client),
                "trajectories": repo.count(s, dm.Trajectory),
                "consents": repo.count(s, dm.Consent),
                "contacts": repo.count(s, dm.Contact),
                "appointments": repo.count(s, dm.Appointment),
            }


def _plain(obj: Any) -> dict[str, Any]:
    """A dataclass as JSON-ready values (dates as ISO text, enums as their value)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        out[f.name] = _json_value(getattr(obj, f.name))
    return out


def _json_value(v: Any) -> Any:
    if isinstance(v, date | datetime):
        return v.isoformat()
    if isinstance(v, tuple):
        return [_json_value(x) for x in v]
    return v.value if hasattr(v, "value") else v
