"""The desktop HTTP client: limits, keep-alive, Dutch errors, system proxy (stub servers)."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from liaison_desktop.sync import transport as t
from tests.server.support import ForwardProxy


class Stub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    connections: set[tuple[str, int]] = set()
    seen: list[tuple[str, str, dict[str, str]]] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def _json(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        Stub.connections.add(self.client_address)
        Stub.seen.append(("GET", self.path, dict(self.headers)))
        path = self.path
        if path.endswith("/ok"):
            self._json(200, {"ok": True})
        elif path.endswith("/big-declared"):
            self.send_response(200)
            self.send_header("Content-Length", str(10_000_000))
            self.end_headers()
            self.wfile.write(b"{" * 1000)
            self.close_connection = True
        elif path.endswith("/big-undeclared"):
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b" " * 50_000)
            self.close_connection = True
        elif path.endswith("/html"):
            data = b"<html>proxy login</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif path.endswith("/revoked"):
            self._json(401, {"error": "device_revoked", "message": "x"})
        elif path.endswith("/unknown-token"):
            self._json(401, {"error": "token_invalid", "message": "Onbekend token."})
        elif path.endswith("/forbidden"):
            self._json(403, {"error": "forbidden", "message": "Geen toegang."})
        elif path.endswith("/limited"):
            self._json(
                429, {"error": "rate_limited", "message": "Te veel."}, {"Retry-After": "120"}
            )
        elif path.endswith("/boom"):
            self._json(500, {"error": "server_error", "message": "details"})
        elif path.endswith("/slow"):
            time.sleep(1.5)
            self._json(200, {"ok": True})
        elif path.endswith("/close-after"):
            self._json(200, {"ok": True})
            self.close_connection = True
        else:
            self._json(404, {"error": "not_found", "message": "Niet gevonden."})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"null")
        Stub.seen.append(("POST", self.path, dict(self.headers)))
        self._json(200, {"echo": body})


@pytest.fixture
def stub() -> Iterator[str]:
    Stub.connections = set()
    Stub.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_json_round_trip_and_headers(stub):
    with t.Transport(stub, token="ldt_secret", proxies={}) as tr:
        assert tr.request("GET", "/ok") == {"ok": True}
        assert tr.request("POST", "/echo", {"a": "é"}) == {"echo": {"a": "é"}}
    method, _path, headers = Stub.seen[0]
    assert headers["Authorization"] == "Bearer ldt_secret"
    assert headers["X-Liaison-Protocol"] == "1"
    assert headers["User-Agent"].startswith("liaison-desktop/")


def test_unauthenticated_requests_carry_no_token(stub):
    with t.Transport(stub, token="ldt_secret", proxies={}) as tr:
        tr.request("GET", "/ok", authenticated=False)
    assert "Authorization" not in Stub.seen[0][2]


def test_keep_alive_reuses_one_connection(stub):
    with t.Transport(stub, proxies={}) as tr:
        for _ in range(5):
            tr.request("GET", "/ok")
    assert len(Stub.connections) == 1


def test_get_is_retried_once_after_the_server_closed_the_connection(stub):
    with t.Transport(stub, proxies={}) as tr:
        tr.request("GET", "/close-after")
        assert tr.request("GET", "/ok") == {"ok": True}


@pytest.mark.parametrize(
    ("path", "error", "code"),
    [
        ("/revoked", t.DeviceRevoked, "device_revoked"),
        ("/unknown-token", t.Unauthorized, "token_invalid"),
        ("/forbidden", t.Forbidden, "forbidden"),
        ("/limited", t.RateLimited, "rate_limited"),
        ("/boom", t.ServerError, "server_error"),
        ("/missing", t.ApiRefused, "not_found"),
    ],
)
def test_error_statuses_become_typed_dutch_errors(stub, path, error, code):
    with t.Transport(stub, proxies={}) as tr, pytest.raises(error) as caught:
        tr.request("GET", path)
    assert caught.value.code == code
    assert caught.value.message and "details" not in caught.value.message


def test_revoked_message_tells_to_lock_and_wipe(stub):
    with t.Transport(stub, proxies={}) as tr, pytest.raises(t.DeviceRevoked) as caught:
        tr.request("GET", "/revoked")
    assert "ingetrokken" in caught.value.message and "wissen" in caught.value.message


def test_rate_limit_says_when_to_retry(stub):
    with t.Transport(stub, proxies={}) as tr, pytest.raises(t.RateLimited) as caught:
        tr.request("GET", "/limited")
    assert caught.value.retry_after == 120 and "minuten" in caught.value.message


@pytest.mark.parametrize("path", ["/big-declared", "/big-undeclared"])
def test_response_size_limit(stub, path):
    with t.Transport(stub, proxies={}, max_response_bytes=10_000) as tr:
        with pytest.raises(t.ResponseTooLarge):
            tr.request("GET", path)
        assert tr.request("GET", "/ok") == {"ok": True}  # a fresh connection afterwards


def test_request_size_limit(stub):
    with (
        t.Transport(stub, proxies={}, max_request_bytes=1000) as tr,
        pytest.raises(t.RequestTooLarge),
    ):
        tr.request("POST", "/echo", {"x": "y" * 2000})
    assert Stub.seen == []


def test_non_json_answer(stub):
    with t.Transport(stub, proxies={}) as tr, pytest.raises(t.BadResponse):
        tr.request("GET", "/html")


def test_timeout(stub):
    with (
        t.Transport(stub, proxies={}, timeout=0.3) as tr,
        pytest.raises(t.ServerUnreachable) as caught,
    ):
        tr.request("GET", "/slow")
    assert "0.3 seconden" in caught.value.message


def test_connection_refused():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with (
        t.Transport(f"http://127.0.0.1:{port}", proxies={}) as tr,
        pytest.raises(t.ServerUnreachable) as caught,
    ):
        tr.request("GET", "/ok")
    assert "niet bereikbaar" in caught.value.message


def test_unknown_host():
    tr = t.Transport("https://liaison.invalid", proxies={}, timeout=5)
    with pytest.raises(t.ServerUnreachable):
        tr.request("GET", "/ok")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://liaison.example.nl", True),
        ("liaison.example.nl:8470", True),
        ("https://liaison.example.nl/sub/", True),
        ("http://127.0.0.1:8470", True),
        ("http://localhost:8470", True),
        ("http://liaison.example.nl", False),
        ("ftp://liaison.example.nl", False),
        ("https://user:pw@liaison.example.nl", False),
        ("", False),
    ],
)
def test_server_url_rules(url, ok):
    if ok:
        assert t.normalise_server_url(url).startswith(("https://", "http://"))
    else:
        with pytest.raises(t.TransportError):
            t.normalise_server_url(url)


# -- system proxy ------------------------------------------------------------------------


@pytest.fixture
def proxy() -> Iterator[str]:
    with ForwardProxy() as url:
        yield url


def test_http_through_the_system_proxy(stub, proxy, monkeypatch):
    # The stub is on loopback, which never goes through a proxy; name it by a non-loopback
    # alias so that the proxy is used, and let the proxy reach the stub.
    port = stub.rsplit(":", 1)[1]
    monkeypatch.setattr(t, "_is_loopback", lambda host: False)
    monkeypatch.setenv("http_proxy", proxy)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with t.Transport(f"http://127.0.0.1:{port}", allow_plain_http=True) as tr:
        assert tr.request("GET", "/ok") == {"ok": True}
    assert ForwardProxy.requests == [f"GET http://127.0.0.1:{port}/ok HTTP/1.1"]


def test_loopback_never_uses_the_proxy(stub, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # would fail if used
    with t.Transport(stub) as tr:
        assert tr.request("GET", "/ok") == {"ok": True}


def test_no_proxy_is_honoured(monkeypatch):
    parts = t._proxy_for(
        "https", "liaison.example.nl", {"https": "http://proxy:3128", "no": ".example.nl"}
    )
    assert parts is None
    parts = t._proxy_for("https", "liaison.example.org", {"https": "http://u:p%40@proxy:3128"})
    assert parts is not None and parts.hostname == "proxy" and parts.port == 3128
    assert t._proxy_auth(parts)["Proxy-Authorization"].startswith("Basic ")
