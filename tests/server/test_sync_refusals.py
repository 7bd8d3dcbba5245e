"""Refusals and faults of the sync routes on a real server (SQLite and PostgreSQL):
quarantine of every reason while the good changes of the batch are stored, another user's
record, 426 on a wrong protocol, gzip both ways, limits, a revoked device, resync."""

from __future__ import annotations

import gzip
import http.client
import json
import uuid

import pytest
from sqlalchemy import func, select

from liaison_desktop.server import accounts
from liaison_desktop.server.sync_models import SyncChange, SyncField, SyncQuarantine
from liaison_desktop.sync import fieldcrypt
from liaison_desktop.sync.protocol import (
    MAX_BATCH_CHANGES,
    MAX_VALUE_CHARS,
    PROTOCOL_HEADER,
    Change,
    QuarantineReason,
    Role,
)
from liaison_desktop.sync.transport import (
    ApiRefused,
    DeviceRevoked,
    ProtocolUnsupported,
    RequestTooLarge,
)
from tests.server.support import ThreadedServer
from tests.server.sync_support import admin, change, enrol, hlc, pull_all, secret

KEY = fieldcrypt.new_vault_key()


@pytest.fixture
def live(app):
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture
def org_team(db):
    org = accounts.create_org(db, "Jeugdhulp Noord").id
    return org, accounts.create_team(db, org, "Basisteam Oost").id


@pytest.fixture
def pro(db, live, org_team):
    laptop = enrol(db, live.url, accounts.create_user(db, org_team[1], Role.PROFESSIONAL, "F").id)
    yield laptop
    laptop.close()


@pytest.fixture
def colleague(db, live, org_team):
    """Another professional of the same organisation."""
    laptop = enrol(db, live.url, accounts.create_user(db, org_team[1], Role.PROFESSIONAL, "G").id)
    yield laptop
    laptop.close()


@pytest.fixture
def twin(db, live, pro):
    """A second laptop of the same professional."""
    laptop = enrol(db, live.url, pro.user_id, "tweede laptop")
    yield laptop
    laptop.close()


def raw(
    live,
    method: str,
    path: str,
    token: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    h = {"Authorization": f"Bearer {token}", PROTOCOL_HEADER: "1", **(headers or {})}
    h = {k: v for k, v in h.items() if v is not None}
    conn.request(method, path, body=body, headers=h)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, resp.headers, data


def test_each_refusal_is_quarantined_and_the_good_changes_are_stored(db, pro, colleague):
    theirs = str(uuid.uuid4())
    colleague.api.push(
        colleague.device_id,
        [change("trajectory", theirs, "status", "open", colleague.device_id)],
        batch_id="theirs",
    )
    r = str(uuid.uuid4())
    good = [
        secret(KEY, "client", r, "last_name", "Bakker"),
        change("client", r, "municipality", "Sneek"),
        change("client", r, "_deleted", True),
    ]
    bad = {
        QuarantineReason.UNKNOWN_TABLE: change("wachtwoord", r, "x", 1),
        QuarantineReason.UNKNOWN_FIELD: change("client", r, "favourite_colour", "blauw"),
        QuarantineReason.NOT_ENCRYPTED: Change(
            str(uuid.uuid4()), "client", r, "first_name", json.dumps("Mohammed"), hlc("d")
        ),
        QuarantineReason.TOO_LARGE: change("client", r, "municipality", "x" * MAX_VALUE_CHARS),
        QuarantineReason.FOREIGN_RECORD: change("trajectory", theirs, "status", "closed"),
    }
    malformed = [
        Change(str(uuid.uuid4()), "client", r, "municipality", "not json", hlc("d")),
        Change(str(uuid.uuid4()), "client", r, "municipality", '"x"', "yesterday"),
        Change(str(uuid.uuid4()), "client", "../etc", "municipality", '"x"', hlc("d")),
        Change(str(uuid.uuid4()), "client", r, "last_name", "e1:@@@@", hlc("d")),
        Change(str(uuid.uuid4()), "client", r, "last_name", "e1:AAAA", hlc("d")),
        Change(str(uuid.uuid4()), "client", r, "_deleted", "false", hlc("d")),
    ]
    batch = [good[0], *bad.values(), good[1], *malformed, good[2]]
    reply = pro.api.push(pro.device_id, batch, batch_id="mixed")
    assert reply.stored == 3 and reply.duplicates == 0
    reasons = {q.id: q.reason for q in reply.quarantined}
    for reason, ch in bad.items():
        assert reasons[ch.id] == reason, reason
    for ch in malformed:
        assert reasons[ch.id] == QuarantineReason.MALFORMED, ch
    assert len(reasons) == len(bad) + len(malformed)
    # A retry reports the same refusals and stores nothing twice.
    again = pro.api.push(pro.device_id, batch, batch_id="mixed")
    assert (again.stored, again.duplicates) == (0, 3)
    assert {q.id: q.reason for q in again.quarantined} == reasons
    with db.read() as s:
        stored = set(s.execute(select(SyncChange.change_id)).scalars())
        rows = {q.change_id: q for q in s.execute(select(SyncQuarantine)).scalars()}
    assert {c.id for c in good} <= stored and not stored & set(reasons)
    assert {k: v.reason for k, v in rows.items()} == reasons
    assert rows[bad[QuarantineReason.NOT_ENCRYPTED].id].field == "first_name"
    # The colleague's record is untouched.
    with db.read() as s:
        value = s.execute(select(SyncField.value).where(SyncField.record_id == theirs)).scalar()
    assert value == '"open"'


def test_malformed_shapes_inside_the_batch_are_quarantined(live, pro):
    body = {
        "protocol": 1,
        "device_id": pro.device_id,
        "batch_id": "b",
        "changes": [
            "not an object",
            {"id": 5, "t": "client"},
            {"id": "abc", "t": "client", "r": "r1", "f": "municipality", "v": 5, "h": hlc("d")},
            {
                "id": "def",
                "t": "client",
                "r": "r1",
                "f": "municipality",
                "v": '"ok"',
                "h": hlc("d"),
            },
        ],
    }
    status, _h, data = raw(
        live,
        "POST",
        "/api/v1/sync/push",
        pro.token,
        json.dumps(body).encode(),
        {"Content-Type": "application/json"},
    )
    assert status == 200, data
    reply = json.loads(data)
    assert reply["stored"] == 1
    assert [q["reason"] for q in reply["quarantined"]] == ["malformed"] * 3
    assert [q["id"] for q in reply["quarantined"]][2] == "abc"


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b"not json",
        b'{"protocol": 1, "batch_id": "b", "changes": "x"}',
        b'{"protocol": 1, "device_id": "someone-else", "batch_id": "b", "changes": []}',
        b'{"protocol": 99, "device_id": "DEV", "batch_id": "b", "changes": []}',
        b'{"protocol": 1, "device_id": "DEV", "batch_id": "b", "changes": [], "cursor": "1"}',
    ],
)
def test_a_request_that_is_not_a_push_is_422(live, pro, body):
    body = body.replace(b"DEV", pro.device_id.encode())
    status, _h, data = raw(live, "POST", "/api/v1/sync/push", pro.token, body)
    assert status == 422, data
    assert json.loads(data)["error"] == "invalid_request"


@pytest.mark.parametrize("query", ["after=-1", "limit=0", "limit=5001", "after=x"])
def test_bad_pull_parameters_are_422(live, pro, query):
    status, _h, _d = raw(live, "GET", f"/api/v1/sync/pull?{query}", pro.token)
    assert status == 422


@pytest.mark.parametrize("version", [None, "0", "2", "een"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/v1/sync/push"), ("GET", "/api/v1/sync/pull"), ("GET", "/api/v1/sync/vault")],
)
def test_wrong_protocol_is_426_with_the_supported_versions(live, pro, version, method, path):
    body = b"{}" if method == "POST" else None
    status, headers, data = raw(live, method, path, pro.token, body, {PROTOCOL_HEADER: version})
    assert status == 426
    reply = json.loads(data)
    assert reply["error"] == "protocol_unsupported" and reply["supported"] == [1]
    assert headers[PROTOCOL_HEADER] == "1"


def test_the_client_maps_426(monkeypatch, pro):
    from liaison_desktop.sync import transport

    monkeypatch.setattr(transport, "PROTOCOL_VERSION", 7)
    with pytest.raises(ProtocolUnsupported) as info:
        pro.api.pull(0)
    assert info.value.status == 426 and info.value.supported == (1,)
    assert "nieuwste versie" in info.value.message


def test_gzip_both_ways(db, live, pro, twin):
    r = str(uuid.uuid4())
    changes = [change("contact", r, "duration_min", i).to_json() for i in range(200)]
    body = {"protocol": 1, "device_id": pro.device_id, "batch_id": "g", "changes": changes}
    packed = gzip.compress(json.dumps(body).encode())
    status, _h, data = raw(
        live,
        "POST",
        "/api/v1/sync/push",
        pro.token,
        packed,
        {"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert status == 200 and json.loads(data)["stored"] == 200
    # Pull: compressed when asked for and larger than 1 KiB; plain otherwise.
    status, headers, zipped = raw(
        live,
        "GET",
        "/api/v1/sync/pull?after=0",
        twin.token,
        None,
        {"Accept-Encoding": "gzip"},
    )
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    unpacked = json.loads(gzip.decompress(zipped))
    assert len(unpacked["changes"]) == 200 and len(zipped) < len(gzip.decompress(zipped)) / 3
    status, headers, plain = raw(live, "GET", "/api/v1/sync/pull?after=0", twin.token)
    assert headers.get("Content-Encoding") is None
    assert json.loads(plain)["changes"] == unpacked["changes"]
    status, headers, small = raw(
        live,
        "GET",
        "/api/v1/sync/pull?after=200",
        twin.token,
        None,
        {"Accept-Encoding": "gzip"},
    )
    assert headers.get("Content-Encoding") is None and json.loads(small)["changes"] == []


def test_corrupt_gzip_and_a_gzip_bomb_are_refused(db, live, pro):
    status, _h, data = raw(
        live,
        "POST",
        "/api/v1/sync/push",
        pro.token,
        b"\x1f\x8bnot really",
        {"Content-Encoding": "gzip"},
    )
    assert status == 422
    bomb = gzip.compress(b" " * (17 * 1024 * 1024))  # 17 MiB of spaces, ~17 kB packed
    assert len(bomb) < 100_000
    status, _h, data = raw(
        live, "POST", "/api/v1/sync/push", pro.token, bomb, {"Content-Encoding": "gzip"}
    )
    assert status == 413 and json.loads(data)["error"] == "body_too_large"
    status, _h, _d = raw(
        live, "POST", "/api/v1/sync/push", pro.token, b"{}", {"Content-Encoding": "br"}
    )
    assert status == 422
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(SyncChange)).scalar() == 0


def test_too_many_changes_is_a_clear_413(pro):
    r = str(uuid.uuid4())
    batch = [change("contact", r, "duration_min", 1) for _ in range(MAX_BATCH_CHANGES + 1)]
    with pytest.raises(RequestTooLarge) as info:
        pro.api.push(pro.device_id, batch, batch_id="big")
    assert "hoogstens 5000" in info.value.message


def test_a_revoked_device_gets_401(db, app, pro):
    first = change("trajectory", str(uuid.uuid4()), "status", "open")
    pro.api.push(pro.device_id, [first], batch_id="1")
    accounts.revoke_device(db, pro.device_id)
    app.state.token_cache.invalidate_device(pro.device_id)  # as the API's revoke route does
    with pytest.raises(DeviceRevoked):
        pro.api.push(pro.device_id, [change("trajectory", first.r, "status", "x")], batch_id="2")
    with pytest.raises(DeviceRevoked):
        pro.api.pull(0)
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(SyncChange)).scalar() == 1


def test_team_leader_cannot_push(db, live, org_team):
    lead = enrol(db, live.url, accounts.create_user(db, org_team[1], Role.TEAM_LEADER, "L").id)
    try:
        with pytest.raises(ApiRefused) as info:
            lead.api.push(lead.device_id, [], batch_id="x")
        assert info.value.status == 403
    finally:
        lead.close()


def test_resync_requested_by_it_and_cleared_after_a_full_pull(db, capsys, live, pro, org_team):
    second = enrol(db, live.url, pro.user_id, "tweede laptop")
    try:
        pro.api.push(
            pro.device_id, [change("trajectory", str(uuid.uuid4()), "status", "open")], batch_id="1"
        )
        _got, cursor = pull_all(second)
        assert cursor == 1 and not second.api.pull(cursor).resync
        out = admin(db, capsys, "request-resync", "--device", second.device_id)
        assert out == {"id": second.device_id, "user_id": pro.user_id, "resync": True}
        assert second.api.pull(cursor).resync  # still, until it pulls from 0
        assert second.api.push(second.device_id, [], batch_id="e").resync
        assert not pro.api.pull(0).resync  # only that device
        full = second.api.pull(0)
        assert len(full.changes) == 1
        assert not second.api.pull(full.next).resync
    finally:
        second.close()


def test_a_cursor_beyond_the_stream_asks_for_resync(pro, colleague):
    page = colleague.api.pull(1000)
    assert page.resync and page.next == 0


def test_unknown_device_for_resync_is_an_error(db):
    from liaison_desktop.server.__main__ import main

    url = db.url.render_as_string(hide_password=False)
    assert main(["admin", "--database-url", url, "request-resync", "--device", "nope"]) == 2
