"""Helpers for the laptop-side sync tests: enrolled laptops (real stores) against a real server."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, datetime, timedelta
from pathlib import Path

from liaison_desktop.domain import model as dm
from liaison_desktop.server import accounts
from liaison_desktop.server.db import Database
from liaison_desktop.services import enrolment, workspace
from liaison_desktop.services import sync as syncsvc
from liaison_desktop.services.api import Services
from liaison_desktop.store import outbox
from liaison_desktop.sync.protocol import Role
from liaison_desktop.sync.transport import ServerClient, Transport
from tests.conftest import FAST_KDF, PASSPHRASE

TODAY = date(2026, 11, 22)

# Every table whose synced columns make up "the state" two converged laptops share.
STATE_TABLES = tuple(t for t in outbox.SYNCED_COLUMNS)


def new_user(db: Database, name: str = "Fatima Jeugdprofessional") -> str:
    org = accounts.create_org(db, "Jeugdhulp Noord").id
    team = accounts.create_team(db, org, "Basisteam Oost").id
    return accounts.create_user(db, team, Role.PROFESSIONAL, name).id


class Clock:
    """A settable wall clock (ms) for one laptop; ``offset_ms`` skews it."""

    def __init__(self, offset_ms: int = 0) -> None:
        self.offset_ms = offset_ms
        self._tick = itertools.count()

    def __call__(self) -> int:
        import time

        return time.time_ns() // 1_000_000 + self.offset_ms + next(self._tick)


def laptop(
    tmp: Path, db: Database, url: str, user_id: str, name: str, clock: Clock | None = None
) -> Services:
    """A new enrolled laptop of ``user_id``: enroll into an empty folder, unlock."""
    code = accounts.issue_enrolment_code(db, user_id).code
    data = tmp / name
    enrolment.enroll(data, url, code, PASSPHRASE, kdf=FAST_KDF, device_name=name)
    sv = workspace.open_workspace(data, PASSPHRASE)
    sv.today = lambda: TODAY
    if clock is not None:
        outbox.set_wall_clock(sv.store.engine, clock)
    return sv


def client_of(sv: Services, **kw) -> ServerClient:
    return enrolment.server_client(sv, **kw)


def sync(sv: Services, clock: Clock | None = None, **kw) -> syncsvc.SyncSummary:
    with client_of(sv) as c:
        return syncsvc.sync_once(
            sv,
            c,
            passphrase=PASSPHRASE,
            vault_kdf=FAST_KDF,
            wall=clock or Clock(),
            **kw,
        )


def add_practice(sv: Services, name: str = "Huisartsenpraktijk De Linde") -> dm.Practice:
    p = dm.Practice(name=name, municipality="Leeuwarden")
    sv.add_practice(p)
    return p


def add_family(sv: Services, practice: dm.Practice, first: str = "Sanne", last: str = "Visser"):
    client = dm.Client(
        first_name=first,
        last_name=last,
        date_of_birth=date(2015, 3, 1),
        practice_id=practice.id,
        bsn="111222333",
    )
    guardians = [dm.Guardian(client_id=client.id, name="Ouder Visser", has_authority=True)]
    sv.add_client(client, guardians)
    traj = dm.Trajectory(
        client_id=client.id,
        practice_id=practice.id,
        referred_on=TODAY - timedelta(days=20),
        request_category=dm.RequestCategory.SLEEP,
        question="Slaapt slecht sinds de verhuizing.",
    )
    sv.add_trajectory(traj)
    contact = dm.Contact(
        client_id=client.id,
        trajectory_id=traj.id,
        type=dm.ContactType.CONVERSATION_FAMILY,
        start=datetime(2026, 11, 10, 10, 0),
        duration_min=45,
        practice_id=practice.id,
        participants=(dm.Participant.CHILD, dm.Participant.PARENT),
        note="Gesprek over slapen.",
    )
    sv.log_contact(contact)
    return client, guardians, traj


def rename(sv: Services, client_id: str, last: str) -> None:
    with sv.store.session() as s:
        from liaison_desktop.store import repo

        c = repo.get(s, dm.Client, client_id)
    sv.update_client(dataclasses.replace(c, last_name=last))


def state(sv: Services) -> dict[str, list[tuple]]:
    """The synced columns of every record, sorted: equal on converged laptops."""
    out = {}
    with sv.store.session() as s:
        conn = s.connection()
        for t in STATE_TABLES:
            cols = ", ".join(["id", *(c for c, _k in outbox.SYNCED_COLUMNS[t])])
            out[t] = sorted(tuple(r) for r in conn.exec_driver_sql(f"SELECT {cols} FROM {t}"))
    return out


def pending(sv: Services) -> int:
    with sv.store.session() as s:
        return outbox.pending_count(s)


def raw_client(url: str, token: str) -> ServerClient:
    return ServerClient(Transport(url, token=token))
