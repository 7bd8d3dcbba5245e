"""The real programs end to end: liaison-server, its admin command line, liaison-desktop enroll.

Enrol a laptop, call an authenticated route with the stored token, revoke the laptop with the
admin command line, see 401 ``device_revoked`` and the desktop side report the revocation,
then wipe the laptop's data. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import time

import pytest

from liaison_desktop.services import enrolment, workspace
from liaison_desktop.sync.transport import ServerClient, Transport
from tests.server.support import DESKTOP_CMD, LiveServer

PASS = "een lange demo wachtwoordzin"
CACHE_SECONDS = 0.5


def desktop(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LIAISON_PASSPHRASE": PASS}
    return subprocess.run(
        [*DESKTOP_CMD, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def raw_get(server: LiveServer, path: str, token: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    resp = conn.getresponse()
    body = json.loads(resp.read())
    conn.close()
    return resp.status, body


@pytest.mark.slow
def test_enrol_call_revoke_wipe(tmp_path, database_url):
    server = LiveServer(
        tmp_path / "server",
        database_url=database_url,
        args=["--auth-cache-seconds", str(CACHE_SECONDS)],
    )
    with server:
        org = server.admin("create-org", "--name", "Jeugdhulp Noord")
        team = server.admin("create-team", "--org", org["id"], "--name", "Basisteam Oost")
        user = server.admin(
            "create-user", "--team", team["id"], "--role", "professional", "--name", "Fatima"
        )
        code = server.admin("enrolment-code", "--user", user["id"])
        assert set(code) >= {"id", "code", "expires_at"}

        laptop = tmp_path / "laptop"
        r = desktop(
            "enroll", "--data-dir", str(laptop), "--server", server.url, "--code", code["code"]
        )
        assert r.returncode == 0, r.stderr
        summary = json.loads(r.stdout)
        assert summary["created_store"] is True and summary["user_id"] == user["id"]
        assert code["code"] not in r.stdout + r.stderr

        # The same code a second time: refused, with a Dutch message.
        r2 = desktop(
            "enroll",
            "--data-dir",
            str(tmp_path / "other"),
            "--server",
            server.url,
            "--code",
            code["code"],
        )
        assert r2.returncode == 2 and "al gebruikt" in r2.stderr

        # The token was stored by the desktop (no OS keychain here: in the encrypted store).
        services = workspace.open_workspace(laptop, PASS)
        try:
            token = services.secrets.get(enrolment.SECRET_DEVICE_TOKEN)
            assert token and token.startswith("ldt_")
            assert services.store.meta(enrolment.META_SERVER_URL) == server.url
            assert services.store.meta(enrolment.META_DEVICE_ID) == summary["device_id"]
            me = enrolment.check_device(services)
            assert me.device_id == summary["device_id"] and me.user_name == "Fatima"
            status, body = raw_get(server, "/api/v1/sync/status", token)
            assert status == 200 and body["user_id"] == user["id"]

            devices = server.admin("list-devices")["devices"]
            assert [d["id"] for d in devices] == [summary["device_id"]]
            revoked = server.admin("revoke-device", "--device", summary["device_id"])
            assert revoked["id"] == summary["device_id"] and revoked["revoked_at"]

            time.sleep(CACHE_SECONDS + 0.3)
            status, body = raw_get(server, "/api/v1/ping", token)
            assert status == 401 and body["error"] == "device_revoked"
            status, body = raw_get(server, "/api/v1/sync/status", token)
            assert status == 401 and "user_id" not in body

            with pytest.raises(enrolment.DeviceRevokedError) as caught:
                enrolment.check_device(services)
            assert caught.value.lock_required and caught.value.can_wipe
            assert "ingetrokken" in caught.value.message
            assert enrolment.is_revoked(services)
            assert services.secrets.get(enrolment.SECRET_DEVICE_TOKEN) is None
        finally:
            services.lock()

        # Known offline too: the next start sees the revocation without the server.
        services = workspace.open_workspace(laptop, PASS)
        try:
            with pytest.raises(enrolment.DeviceRevokedError):
                enrolment.server_client(services)
        finally:
            services.lock()
        report = enrolment.wipe_local_data(laptop)
        assert "keys.json" in report.removed and "liaison.db" in report.removed
        assert not workspace.exists(laptop)

        # Health stays public; the server never saw a 5xx.
        with ServerClient(Transport(server.url)) as client:
            assert client.health().status == "ok"
    log = server.log_tail(200_000)
    assert '"status": 5' not in log
    assert "Fatima" not in log and code["code"] not in log and token not in log
