"""The update manifest route: IT publishes with the admin CLI, the real server serves it, the
desktop's ServerClient fetches it under a size limit and verifies it."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import Response

from liaison_desktop.sync import signing
from liaison_desktop.sync import transport as t
from tests.server.support import SERVER_CMD, LiveServer, ThreadedServer


def write_manifest(tmp_path: Path, key, version: str = "9.0.0") -> Path:
    data = b"the build"
    art = signing.Artifact(
        signing.current_platform(),
        "https://u.example.nl/x",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    payload = signing.build_manifest_payload(version, datetime.now(UTC) + timedelta(days=1), [art])
    path = tmp_path / "manifest.json"
    path.write_bytes(signing.sign_manifest(payload, key))
    return path


def admin(server: LiveServer, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SERVER_CMD, "admin", *server.db_args, *args],
        capture_output=True,
        text=True,
        env=server.env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def server(tmp_path: Path):
    with LiveServer(tmp_path / "server") as srv:
        yield srv


def client(url: str) -> t.ServerClient:
    return t.ServerClient(t.Transport(url, proxies={}))


def test_published_manifest_is_served_and_verifies(server: LiveServer, tmp_path: Path) -> None:
    key = signing.generate_private_key()
    with client(server.url) as c:
        assert c.update_manifest() is None  # nothing published yet: 404 means "no update"
    pem = tmp_path / "pub.pem"
    pem.write_bytes(signing.public_key_pem(key))
    published = server.admin(
        "publish-update", "--manifest", str(write_manifest(tmp_path, key)), "--public-key", str(pem)
    )
    assert published["version"] == "9.0.0"
    with client(server.url) as c:
        envelope = c.update_manifest()
    offer = signing.verify_manifest(envelope, key.public_key(), installed_version="0.1.0")
    assert offer is not None and offer.version == "9.0.0"


def test_admin_refuses_a_manifest_signed_by_another_key(server: LiveServer, tmp_path: Path) -> None:
    key, other = signing.generate_private_key(), signing.generate_private_key()
    pem = tmp_path / "pub.pem"
    pem.write_bytes(signing.public_key_pem(other))
    r = admin(
        server,
        "publish-update",
        "--manifest",
        str(write_manifest(tmp_path, key)),
        "--public-key",
        str(pem),
    )
    assert r.returncode == 2
    assert "handtekening" in r.stderr
    with client(server.url) as c:
        assert c.update_manifest() is None


@pytest.mark.parametrize("content", [b"not json", b'{"payload": "x"}', b"{" * 70000])
def test_admin_refuses_what_is_not_a_signed_manifest(
    server: LiveServer, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    r = admin(server, "publish-update", "--manifest", str(path))
    assert r.returncode == 2, r.stdout
    with client(server.url) as c:
        assert c.update_manifest() is None


def test_oversized_answer_is_refused_before_it_is_parsed() -> None:
    app = FastAPI()

    @app.get(signing.UPDATE_MANIFEST_PATH)
    async def huge() -> Response:
        body = json.dumps({"payload": "A" * (signing.MAX_MANIFEST_BYTES + 10), "signature": ""})
        return Response(body, media_type="application/json")

    with ThreadedServer(app) as srv, client(srv.url) as c:
        with pytest.raises(t.ResponseTooLarge):
            c.update_manifest()
        # The transport's own, larger limit is back afterwards.
        assert c.transport.max_response_bytes == t.MAX_RESPONSE_BYTES
