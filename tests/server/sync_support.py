"""Helpers for the sync tests: a live in-process server, enrolled devices, changes."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from liaison_desktop.server import accounts
from liaison_desktop.server.__main__ import main as server_main
from liaison_desktop.server.db import Database
from liaison_desktop.sync import fieldcrypt
from liaison_desktop.sync.hlc import Timestamp
from liaison_desktop.sync.protocol import Change
from liaison_desktop.sync.transport import ServerClient, Transport

_counter = itertools.count(1)


def hlc(node: str, wall: int | None = None, counter: int = 0) -> str:
    """An HLC text; without ``wall`` a strictly increasing one."""
    if wall is None:
        wall = 1_795_000_000_000 + next(_counter)
    return Timestamp(wall, counter, node).encode()


def change(
    t: str, r: str, f: str, value: object, node: str = "dev", h: str | None = None
) -> Change:
    """A clear change; ``value`` becomes JSON text."""
    return Change(str(uuid.uuid4()), t, r, f, json.dumps(value), h or hlc(node))


def secret(key: bytes, t: str, r: str, f: str, plaintext: str, node: str = "dev") -> Change:
    """A change of an encrypted field, as the laptop sends it."""
    return Change(
        str(uuid.uuid4()), t, r, f, fieldcrypt.encrypt_field(key, t, r, f, plaintext), hlc(node)
    )


def client_record(key: bytes, first: str, last: str, node: str = "dev") -> list[Change]:
    """The changes that create a client (names encrypted, overview fields clear)."""
    r = str(uuid.uuid4())
    return [
        secret(key, "client", r, "first_name", first, node),
        secret(key, "client", r, "last_name", last, node),
        secret(key, "client", r, "bsn", "111222333", node),
        change("client", r, "municipality", "Leeuwarden", node),
        change("client", r, "practice_id", str(uuid.uuid4()), node),
    ]


@dataclass
class Laptop:
    """An enrolled device and its typed client to the live server."""

    user_id: str
    device_id: str
    token: str
    api: ServerClient

    def close(self) -> None:
        self.api.close()


def enrol(db: Database, base_url: str, user_id: str, name: str = "laptop") -> Laptop:
    """Enrol a new device of ``user_id`` through the API and return its client."""
    code = accounts.issue_enrolment_code(db, user_id).code
    anonymous = ServerClient(Transport(base_url))
    from liaison_desktop.sync.protocol import EnrolRequest

    reply = anonymous.enrol(EnrolRequest(code, device_name=name))
    anonymous.close()
    api = ServerClient(Transport(base_url, token=reply.token))
    return Laptop(user_id, reply.device_id, reply.token, api)


def pull_all(laptop: Laptop, after: int = 0, limit: int = 5000) -> tuple[list, int]:
    """Every page from ``after``; returns (changes, final cursor)."""
    out = []
    cursor = after
    while True:
        page = laptop.api.pull(cursor, limit)
        out.extend(page.changes)
        assert page.next >= cursor
        cursor = page.next
        if not page.more:
            return out, cursor


def admin(db: Database, capsys, *args: str) -> dict:
    """The real ``liaison-server admin`` command line, on this test's database."""
    url = db.url.render_as_string(hide_password=False)
    code = server_main(["admin", "--database-url", url, *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out.strip().splitlines()[-1])


def chunks(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]
