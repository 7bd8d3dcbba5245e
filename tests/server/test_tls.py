"""HTTPS: a CA made at test time, liaison-server with --tls-cert/--tls-key; the desktop client
trusts it only when the CA is pinned, also through a CONNECT proxy."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest

from liaison_desktop.server import accounts
from liaison_desktop.server.db import Database
from liaison_desktop.server.settings import Settings
from liaison_desktop.services import enrolment, workspace
from liaison_desktop.sync import transport as t
from liaison_desktop.sync.protocol import Role
from tests.conftest import FAST_KDF
from tests.server.support import ForwardProxy, LiveServer, make_tls_files

PASS = "een lange demo wachtwoordzin"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory) -> Iterator[tuple[LiveServer, dict]]:
    folder = tmp_path_factory.mktemp("tls")
    files = make_tls_files(folder / "pki")
    ctx = ssl.create_default_context(cafile=str(files["ca"]))
    server = LiveServer(folder / "server", tls=(files["cert"], files["key"]))
    server.start(ssl_context=ctx)
    yield server, files
    server.stop()


def test_pinned_ca_is_trusted(tls_server):
    server, files = tls_server
    assert server.url.startswith("https://")
    with t.ServerClient(t.Transport(server.url, ca_pem=files["ca"].read_text())) as client:
        assert client.health().status == "ok"


def test_without_the_pinned_ca_the_certificate_is_refused(tls_server):
    server, _files = tls_server
    with t.ServerClient(t.Transport(server.url)) as client, pytest.raises(t.TlsError) as caught:
        client.health()
    assert "niet vertrouwd" in caught.value.message


def test_another_ca_does_not_help(tls_server, tmp_path):
    server, _files = tls_server
    other = make_tls_files(tmp_path / "other")
    with pytest.raises(t.TlsError):
        t.Transport(server.url, ca_pem=other["ca"].read_text()).request("GET", "/api/v1/health")


def test_plain_http_to_the_tls_port_fails_cleanly(tls_server):
    server, _files = tls_server
    tr = t.Transport(f"http://127.0.0.1:{server.port}", timeout=5)
    with pytest.raises(t.TransportError):
        tr.request("GET", "/api/v1/health")


def test_garbage_ca_file_is_a_clear_error():
    with pytest.raises(t.TlsError):
        t.make_ssl_context("-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n")


def test_through_a_connect_proxy(tls_server, monkeypatch):
    server, files = tls_server
    monkeypatch.setattr(t, "_is_loopback", lambda host: False)
    with ForwardProxy() as proxy:
        tr = t.Transport(server.url, ca_pem=files["ca"].read_text(), proxies={"https": proxy})
        with t.ServerClient(tr) as client:
            assert client.health().status == "ok"
            assert client.health().status == "ok"  # same tunnel
        assert ForwardProxy.requests == [f"CONNECT localhost:{server.port} HTTP/1.0"]


def test_enrol_over_https_keeps_the_pinned_ca(tls_server, tmp_path):
    server, files = tls_server
    db = Database(Settings(data_dir=server.data_dir).resolved_database_url)
    try:
        org = accounts.create_org(db, "Org")
        team = accounts.create_team(db, org.id, "Team")
        user = accounts.create_user(db, team.id, Role.TEAM_LEADER, "Ans")
        code = accounts.issue_enrolment_code(db, user.id).code
    finally:
        db.dispose()
    laptop = tmp_path / "laptop"
    result = enrolment.enroll(
        laptop, server.url, code, PASS, ca_pem=enrolment.read_ca_file(files["ca"]), kdf=FAST_KDF
    )
    assert result.created_store and result.role == "team-leader"
    services = workspace.open_workspace(laptop, PASS)
    try:
        assert enrolment.check_device(services).user_id == user.id  # uses the stored CA
    finally:
        services.lock()
