"""Authorisation per route and role: professional, team leader, admin, other organisation."""

from __future__ import annotations

import pytest

from liaison_desktop.server import policy
from liaison_desktop.server.app import create_app
from liaison_desktop.server.security import Principal
from liaison_desktop.server.settings import Settings
from liaison_desktop.sync.protocol import Role

# The update manifest is public by design: it is signed, not secret, and a laptop checks it
# before it is enrolled too (server/routes/updates.py).
PUBLIC = {
    ("GET", "/api/v1/health"),
    ("POST", "/api/v1/enrol"),
    ("GET", "/api/v1/updates/manifest"),
}

# (method, path template, roles that get 200). Other roles get 403; no token gets 401.
MATRIX = [
    ("GET", "/api/v1/ping", {"pro", "lead", "admin"}),
    ("GET", "/api/v1/me", {"pro", "lead", "admin"}),
    ("GET", "/api/v1/sync/status", {"pro"}),
    ("POST", "/api/v1/sync/push", {"pro"}),
    ("GET", "/api/v1/sync/pull", {"pro"}),
    ("GET", "/api/v1/sync/vault", {"pro"}),
    ("PUT", "/api/v1/sync/vault", {"pro"}),
    ("GET", "/api/v1/teams", {"lead"}),
    ("GET", "/api/v1/teams/{team_id}", {"lead"}),
    ("GET", "/api/v1/overview/me", {"pro"}),
    ("GET", "/api/v1/overview/teams/{team_id}", {"lead"}),
    ("GET", "/api/v1/admin/users", {"admin"}),
    ("GET", "/api/v1/admin/devices", {"admin"}),
    ("POST", "/api/v1/admin/devices/{device_id}/revoke", {"admin"}),
    ("GET", "/api/v1/agenda/key", {"pro", "lead"}),
    ("PUT", "/api/v1/agenda/key", {"pro", "lead"}),
    ("GET", "/api/v1/agenda/teams/{team_id}", {"pro", "lead"}),
    ("PUT", "/api/v1/agenda/teams/{team_id}/wraps", {"pro", "lead"}),
    ("POST", "/api/v1/agenda/teams/{team_id}/items", {"pro", "lead"}),
    ("DELETE", "/api/v1/agenda/teams/{team_id}/items/{item_id}", {"pro", "lead"}),
    ("PUT", "/api/v1/agenda/teams/{team_id}/meeting", {"lead"}),
]
# Allowed callers of these routes pass authorisation but lack the state for a 200 (no
# agenda key uploaded, no team key yet, no such item): the status they get instead.
ALLOWED_STATUS = {
    ("PUT", "/api/v1/agenda/teams/{team_id}/wraps"): 422,
    ("POST", "/api/v1/agenda/teams/{team_id}/items"): 409,
    ("DELETE", "/api/v1/agenda/teams/{team_id}/items/{item_id}"): 404,
}
ROLES = ("pro", "lead", "admin")


def _body(method: str, path: str, caller) -> dict | None:
    """A minimal valid body for the routes that need one (the sync routes)."""
    if (method, path) == ("POST", "/api/v1/sync/push"):
        return {"protocol": 1, "device_id": caller.device_id, "batch_id": "b", "changes": []}
    if (method, path) == ("PUT", "/api/v1/sync/vault"):
        return {"key_id": "k"}
    if (method, path) == ("PUT", "/api/v1/agenda/key"):
        return {"public_key": "A" * 43 + "="}
    if path.endswith("/wraps"):
        wrap = {"alg": "x25519+hkdf-sha256+aes256gcm", "nonce": "n", "ct": "c", "epk": "e"}
        return {"key_id": "k", "wraps": [{"user_id": caller.user_id, "wrap": wrap}]}
    if path.endswith("/items"):
        return {"id": "i", "key_id": "k", "ciphertext": "a1:AAAA"}
    if path.endswith("/meeting"):
        return {"meeting_at": None}
    return None


def test_every_route_is_in_the_matrix():
    app = create_app(Settings(data_dir="unused"))
    routes = {
        (method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops
    }
    covered = {(m, p) for m, p, _ in MATRIX} | PUBLIC
    assert routes == covered, "add new routes to MATRIX (and to the policy) with their roles"


def _fill(path: str, world, org: str) -> str:
    # A team the caller's org owns and the team leader leads; a device of a professional.
    return path.format(
        team_id=world.teams[f"{org}1"], device_id=world[f"pro{org}"].device_id, item_id="none"
    )


@pytest.mark.parametrize(("method", "path", "allowed"), MATRIX, ids=[m[1] for m in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_route_per_role(client, world, method, path, allowed, role):
    caller = world[f"{role}A"]
    url = _fill(path, world, "A")
    headers = {**caller.headers, "X-Liaison-Protocol": "1"}
    r = client.request(method, url, headers=headers, json=_body(method, path, caller))
    expected = ALLOWED_STATUS.get((method, path), 200) if role in allowed else 403
    assert r.status_code == expected, (role, url, r.text)
    if expected == 403:
        assert r.json()["error"] == "forbidden"
        assert set(r.json()) == {"error", "message"}  # no data at all


@pytest.mark.parametrize(("method", "path", "allowed"), MATRIX, ids=[m[1] for m in MATRIX])
def test_route_without_token_is_401(client, world, method, path, allowed):
    r = client.request(method, _fill(path, world, "A"))
    assert r.status_code == 401
    assert set(r.json()) == {"error", "message"}


WITH_RESOURCE = [m for m in MATRIX if "{" in m[1]]


@pytest.mark.parametrize(
    ("method", "path", "allowed"), WITH_RESOURCE, ids=[m[1] for m in WITH_RESOURCE]
)
def test_other_organisations_resources_are_refused(client, world, method, path, allowed):
    """Each allowed role of org B asks for org A's team or device: 403, and A is untouched."""
    for role in allowed:
        r = client.request(method, _fill(path, world, "A"), headers=world[f"{role}B"].headers)
        assert r.status_code == 403, (role, path, r.text)
    assert client.get("/api/v1/ping", headers=world["proA"].headers).status_code == 200


def test_team_leader_sees_only_teams_they_lead(client, world):
    lead = world["leadA"]
    ok = client.get(f"/api/v1/teams/{world.teams['A1']}", headers=lead.headers)
    assert ok.status_code == 200
    assert ok.json() == {
        "id": world.teams["A1"],
        "org_id": world.orgs["A"],
        "name": "Team A1",
        "member_count": 3,
    }
    for other in ("A2", "B1", "B2"):
        r = client.get(f"/api/v1/teams/{world.teams[other]}", headers=lead.headers)
        assert r.status_code == 403, other
    assert client.get("/api/v1/teams/not-a-team", headers=lead.headers).status_code == 403
    listed = client.get("/api/v1/teams", headers=lead.headers).json()["teams"]
    assert [t["id"] for t in listed] == [world.teams["A1"]]


def test_team_leader_of_two_teams(client, world):
    from liaison_desktop.server import accounts

    accounts.add_member(world.db, world.teams["A2"], world["leadA"].user_id)
    world.client.app.state.token_cache.clear()
    r = client.get(f"/api/v1/teams/{world.teams['A2']}", headers=world["leadA"].headers)
    assert r.status_code == 200


def test_admin_sees_and_revokes_only_own_organisation(client, world):
    admin_a = world["adminA"]
    devices = client.get("/api/v1/admin/devices", headers=admin_a.headers).json()["devices"]
    assert {d["org_id"] for d in devices} == {world.orgs["A"]}
    assert len(devices) == 3
    users = client.get("/api/v1/admin/users", headers=admin_a.headers).json()["users"]
    assert {u["org_id"] for u in users} == {world.orgs["A"]}
    victim = world["proB"]
    r = client.post(f"/api/v1/admin/devices/{victim.device_id}/revoke", headers=admin_a.headers)
    assert r.status_code == 403
    assert client.get("/api/v1/ping", headers=victim.headers).status_code == 200
    r = client.post("/api/v1/admin/devices/unknown/revoke", headers=admin_a.headers)
    assert r.status_code == 403


def test_me_tells_who_the_device_is_without_dossier_data(client, world):
    pro = world["proA"]
    me = client.get("/api/v1/me", headers=pro.headers).json()
    assert me["device_id"] == pro.device_id and me["user_id"] == pro.user_id
    assert me["role"] == "professional" and me["org_id"] == world.orgs["A"]
    assert me["team_ids"] == [world.teams["A1"]]


def test_policy_table_is_total_and_strict():
    assert set(policy.POLICY) == set(policy.Permission)
    p = Principal("d", "u", "o", Role.TEAM_LEADER, frozenset({"t1"}), 0)
    assert policy.allowed(p, [policy.Permission.TEAM_OVERVIEW], {"team_id": "t1"})
    assert not policy.allowed(p, [policy.Permission.TEAM_OVERVIEW], {"team_id": "t2"})
    assert not policy.allowed(p, [policy.Permission.OWN_DATA])
    assert not policy.allowed(p, [policy.Permission.ADMIN])
    assert policy.allowed(p, [])
