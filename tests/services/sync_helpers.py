"""Helpers for the laptop-side sync tests: enrolled laptops (real stores) against a real server."""

from __future__ import annotations

import dataclasses
import itertools
import time
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
    # One connection unless a test asks for the prefetching second one: the cut proxy plans
    # its cuts per connection.
    kw.setdefault("prefetch", False)
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


# -- a TCP proxy that cuts connections at chosen byte counts ----------------------------


@dataclasses.dataclass
class Cut:
    """When to cut one connection: after ``up`` bytes client->server or ``down`` bytes
    server->client, counted from the moment ``arm`` (bytes) was seen going up (or from the
    start without ``arm``). None: never on that side."""

    up: int | None = None
    down: int | None = None
    arm: bytes | None = None


class CutProxy:
    """127.0.0.1 proxy in front of a server; each new connection takes the next planned Cut.

    ``upstream`` may change (a restarted server on a new port); ``cuts_made`` counts cuts.
    """

    def __init__(self, upstream_port: int) -> None:
        import socket
        import threading

        self.upstream_port = upstream_port
        self.plans: list[Cut] = []
        self.cuts_made = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def plan(self, *cuts: Cut) -> None:
        with self._lock:
            self.plans.extend(cuts)

    def clear(self) -> None:
        with self._lock:
            self.plans.clear()

    def close(self) -> None:
        self._stop = True
        self._sock.close()

    def _accept(self) -> None:
        import threading

        while not self._stop:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                cut = self.plans.pop(0) if self.plans else Cut()
            threading.Thread(target=self._pump, args=(conn, cut), daemon=True).start()

    def _pump(self, down_sock, cut: Cut) -> None:  # noqa: ANN001
        import select
        import socket

        try:
            up_sock = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            down_sock.close()
            return
        armed = cut.arm is None
        seen = b""
        sent_up = sent_down = 0

        def chop() -> None:
            self.cuts_made += 1
            for s in (down_sock, up_sock):
                try:
                    s.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    s.close()
                except OSError:
                    pass

        try:
            if armed and cut.up == 0:
                chop()
                return
            while True:
                readable, _, _ = select.select([down_sock, up_sock], [], [], 10)
                if not readable:
                    break
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        raise EOFError
                    if s is down_sock:
                        if not armed:
                            seen = seen[-64:] + data
                            if cut.arm in seen:
                                armed = True
                                # Count from the marker on, also inside this chunk.
                                sent_up = -max(0, data.find(cut.arm))
                                sent_down = 0
                        if armed and cut.up is not None and sent_up + len(data) > cut.up:
                            up_sock.sendall(data[: cut.up - sent_up])
                            chop()
                            return
                        up_sock.sendall(data)
                        if armed:
                            sent_up += len(data)
                    else:
                        if armed and cut.down is not None and sent_down + len(data) > cut.down:
                            down_sock.sendall(data[: cut.down - sent_down])
                            chop()
                            return
                        down_sock.sendall(data)
                        if armed:
                            sent_down += len(data)
        except (EOFError, OSError):
            pass
        for s in (down_sock, up_sock):
            try:
                s.close()
            except OSError:
                pass


def sync_until_done(
    sv: Services, clock: Clock | None = None, *, max_attempts: int = 200
) -> tuple[syncsvc.SyncSummary, int]:
    """Sync, retrying after every retryable failure (no sleeping); (summary, failures)."""
    failures = 0
    last: BaseException | None = None
    total = syncsvc.SyncSummary()
    for _ in range(max_attempts):
        try:
            part = sync(sv, clock)
        except syncsvc.RETRYABLE as exc:
            failures += 1
            last = exc
            time.sleep(0.01 * min(failures, 20))
            continue
        syncsvc._add(total, part)
        total.pending = part.pending
        return total, failures
    raise AssertionError(f"sync did not succeed: {last!r}")
