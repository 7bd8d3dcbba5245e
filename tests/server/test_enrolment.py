"""Enrolment codes and device tokens: single use, expiry, rate limit, revocation, forgery."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from liaison_desktop.server import accounts
from liaison_desktop.server.models import Device, EnrolmentCode, utcnow
from liaison_desktop.server.security import TokenCache, hash_secret, new_token
from liaison_desktop.sync.protocol import ErrorCode, Role

PING = "/api/v1/ping"


def _user(db, role=Role.PROFESSIONAL):
    org = accounts.create_org(db, "Org")
    team = accounts.create_team(db, org.id, "Team")
    return accounts.create_user(db, team.id, role, "Fatima de Vries")


def test_enrol_returns_a_token_and_stores_only_its_hash(client, db):
    user = _user(db)
    code = accounts.issue_enrolment_code(db, user.id).code
    r = client.post("/api/v1/enrol", json={"code": code, "device_name": "laptop 7"})
    assert r.status_code == 201
    body = r.json()
    assert body["user_id"] == user.id and body["role"] == "professional"
    token = body["token"]
    assert token.startswith("ldt_") and len(token) >= 40
    with db.read() as s:
        device = s.get(Device, body["device_id"])
        assert device.token_hash == hash_secret(token)
        assert token not in device.token_hash
        row = s.query(EnrolmentCode).one()
        assert row.used_at is not None and row.device_id == device.id
        assert code.replace("-", "") not in row.code_hash
    assert client.get(PING, headers={"Authorization": f"Bearer {token}"}).json() == {"ok": True}


def test_code_is_case_and_separator_insensitive(client, db):
    code = accounts.issue_enrolment_code(db, _user(db).id).code
    messy = " " + code.lower().replace("-", " ") + " "
    assert client.post("/api/v1/enrol", json={"code": messy}).status_code == 201


def test_code_used_twice(client, db):
    code = accounts.issue_enrolment_code(db, _user(db).id).code
    assert client.post("/api/v1/enrol", json={"code": code}).status_code == 201
    r = client.post("/api/v1/enrol", json={"code": code})
    assert r.status_code == 401
    assert r.json()["error"] == ErrorCode.CODE_USED
    assert "token" not in r.json()


def test_code_redeemed_concurrently_gives_one_device(db):
    code = accounts.issue_enrolment_code(db, _user(db).id).code
    results: list[object] = []
    barrier = threading.Barrier(6)

    def attempt() -> None:
        barrier.wait()
        try:
            results.append(accounts.enrol_device(db, code))
        except accounts.EnrolmentRefused as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    enrolled = [r for r in results if isinstance(r, accounts.Enrolled)]
    assert len(enrolled) == 1, results
    assert all(r == ErrorCode.CODE_USED for r in results if r not in enrolled)
    assert len(accounts.list_devices(db)) == 1


def test_expired_code(client, db):
    issued = accounts.issue_enrolment_code(db, _user(db).id)
    with db.write() as s:
        s.execute(
            update(EnrolmentCode)
            .where(EnrolmentCode.id == issued.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    r = client.post("/api/v1/enrol", json={"code": issued.code})
    assert r.status_code == 401 and r.json()["error"] == ErrorCode.CODE_EXPIRED
    assert accounts.list_devices(db) == []


def test_code_expires_after_24_hours_by_default(db):
    issued = accounts.issue_enrolment_code(db, _user(db).id)
    left = issued.expires_at - utcnow()
    assert timedelta(hours=23, minutes=59) < left <= timedelta(hours=24)


def test_wrong_codes_trip_the_rate_limit_even_for_a_right_code(client, db, app):
    code = accounts.issue_enrolment_code(db, _user(db).id).code
    limit = app.state.settings.enrol_max_failures
    for i in range(limit):
        r = client.post("/api/v1/enrol", json={"code": f"WRONG-{i:04d}-XXXX"})
        assert r.status_code == 401 and r.json()["error"] == ErrorCode.CODE_INVALID
    r = client.post("/api/v1/enrol", json={"code": code})
    assert r.status_code == 429
    assert r.json()["error"] == ErrorCode.RATE_LIMITED
    assert int(r.headers["Retry-After"]) > 0
    assert accounts.list_devices(db) == []  # the right code was not even tried
    # Another address is not affected.
    app.state.enrol_limiter._failures.clear()
    assert client.post("/api/v1/enrol", json={"code": code}).status_code == 201


def test_unsupported_protocol_version_is_refused(client, db):
    code = accounts.issue_enrolment_code(db, _user(db).id).code
    r = client.post("/api/v1/enrol", json={"code": code, "protocol_version": 999})
    assert r.status_code == 400 and r.json()["error"] == ErrorCode.PROTOCOL_UNSUPPORTED


def test_revoked_device_gets_401_device_revoked_at_once(client, world):
    pro, admin = world["proA"], world["adminA"]
    assert client.get(PING, headers=pro.headers).status_code == 200  # now cached
    r = client.post(f"/api/v1/admin/devices/{pro.device_id}/revoke", headers=admin.headers)
    assert r.status_code == 200 and r.json()["revoked_at"]
    for path in (PING, "/api/v1/me", "/api/v1/sync/status"):
        r = client.get(path, headers=pro.headers)
        assert r.status_code == 401, path
        assert r.json()["error"] == ErrorCode.DEVICE_REVOKED
        assert "user_id" not in r.json()


def test_revocation_by_another_process_takes_effect_within_the_cache_ttl(client, world, app):
    now = [1000.0]
    app.state.token_cache = TokenCache(5.0, clock=lambda: now[0])
    pro = world["proA"]
    assert client.get(PING, headers=pro.headers).status_code == 200
    accounts.revoke_device(world.db, pro.device_id)  # as the admin command line does
    now[0] += 4.9
    assert client.get(PING, headers=pro.headers).status_code == 200  # still cached
    now[0] += 0.2
    r = client.get(PING, headers=pro.headers)
    assert r.status_code == 401 and r.json()["error"] == ErrorCode.DEVICE_REVOKED


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda real: new_token(), id="random-well-formed"),
        pytest.param(lambda real: real[:-1] + ("A" if real[-1] != "A" else "B"), id="one-char-off"),
        pytest.param(lambda real: real.removeprefix("ldt_"), id="no-prefix"),
        pytest.param(lambda real: hash_secret(real), id="the-stored-hash"),
        pytest.param(lambda real: "ldt_" + "x" * 5000, id="very-long"),
        pytest.param(lambda real: "", id="empty"),
    ],
)
def test_forged_tokens_are_refused(client, world, make_token):
    forged = make_token(world["adminA"].token)
    r = client.get("/api/v1/admin/devices", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401
    assert r.json()["error"] in (ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_MISSING)
    assert "devices" not in r.json()
    assert r.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    ["", "Basic dXNlcjpwYXNz", "Bearer", "Token ldt_abc", "bearer"],
)
def test_missing_or_malformed_authorization(client, world, header):
    headers = {"Authorization": header} if header else {}
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 401
    assert r.json()["error"] in (ErrorCode.TOKEN_MISSING, ErrorCode.TOKEN_INVALID)


def test_expired_token(client, world, app):
    app.state.token_cache = TokenCache(0)  # no cache: see the database change at once
    pro = world["proA"]
    with world.db.write() as s:
        s.execute(
            update(Device)
            .where(Device.id == pro.device_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    r = client.get(PING, headers=pro.headers)
    assert r.status_code == 401 and r.json()["error"] == ErrorCode.TOKEN_EXPIRED


def test_cached_token_still_expires_on_time(client, world, app, monkeypatch):
    import liaison_desktop.server.deps as deps_module

    pro = world["proA"]
    assert client.get(PING, headers=pro.headers).status_code == 200
    real_time = deps_module.time.time
    monkeypatch.setattr(deps_module.time, "time", lambda: real_time() + 400 * 86400)
    r = client.get(PING, headers=pro.headers)
    assert r.status_code == 401 and r.json()["error"] == ErrorCode.TOKEN_EXPIRED


def test_last_seen_is_recorded_without_a_write_per_call(client, world):
    pro = world["proA"]
    before = {d.id: d.last_seen_at for d in accounts.list_devices(world.db)}[pro.device_id]
    for _ in range(5):
        client.get(PING, headers=pro.headers)
    after = {d.id: d.last_seen_at for d in accounts.list_devices(world.db)}[pro.device_id]
    assert before is not None and after == before
