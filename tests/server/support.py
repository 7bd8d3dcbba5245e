"""Test support for the server suite: PostgreSQL scratch databases, live servers, TLS files.

Also used by tests/cli and benchmarks/server_bench.py; nothing here is a fixture.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import secrets
import select
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

PG_DSN = os.environ.get("LIAISON_TEST_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=test")
PG_URL_BASE = os.environ.get("LIAISON_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


def postgres_unavailable() -> str | None:
    """None when PostgreSQL answers, else the reason (for a skip message)."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover
        return f"psycopg is not installed ({exc})"
    try:
        with psycopg.connect(PG_DSN, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL at {PG_DSN!r} does not answer: {type(exc).__name__}: {exc}"
    return None


@contextlib.contextmanager
def scratch_postgres_database(prefix: str = "liaison_test") -> Iterator[str]:
    """A new, randomly named database (dropped afterwards); yields its SQLAlchemy URL.

    Random names keep concurrent runs (CI and developers on one machine) apart.
    """
    import psycopg

    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        # A scratch database need not survive a crash: skip waiting for the WAL flush.
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        yield f"{PG_URL_BASE}/{name}"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _exe(name: str, module: str) -> list[str]:
    exe = Path(sys.executable).with_name(name)
    return [str(exe)] if exe.exists() else [sys.executable, "-m", module]


SERVER_CMD = _exe("liaison-server", "liaison_desktop.server")
DESKTOP_CMD = _exe("liaison-desktop", "liaison_desktop")


def wait_healthy(
    host: str,
    port: int,
    *,
    timeout: float = 30,
    ssl_context: ssl.SSLContext | None = None,
    proc: subprocess.Popen | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if ssl_context is not None:
                conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                    host, port, timeout=2, context=ssl_context
                )
            else:
                conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError as exc:
            last = exc
        time.sleep(0.1)
    raise TimeoutError(f"server on port {port} not healthy in {timeout}s: {last}")


class LiveServer:
    """The real ``liaison-server`` in a subprocess on a free port."""

    def __init__(
        self,
        data_dir: Path,
        *,
        database_url: str | None = None,
        args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        tls: tuple[Path, Path] | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.database_url = database_url
        self.args = list(args)
        self.env = {**os.environ, **(env or {})}
        self.env.pop("LIAISON_SERVER_DATABASE_URL", None)
        self.tls = tls
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = log_path or (self.data_dir.parent / f"{self.data_dir.name}-server.log")

    @property
    def db_args(self) -> list[str]:
        out = ["--data-dir", str(self.data_dir)]
        if self.database_url:
            out += ["--database-url", self.database_url]
        return out

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        host = "localhost" if self.tls else "127.0.0.1"
        return f"{scheme}://{host}:{self.port}"

    def start(self, ssl_context: ssl.SSLContext | None = None) -> LiveServer:
        for _attempt in range(3):
            self.port = free_port()
            cmd = [*SERVER_CMD, *self.db_args, "--port", str(self.port), *self.args]
            if self.tls:
                cmd += ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])]
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
            self.proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env, stdin=subprocess.DEVNULL
            )
            self._log = log
            try:
                wait_healthy("127.0.0.1", self.port, proc=self.proc, ssl_context=ssl_context)
                return self
            except RuntimeError:
                self.stop()
                if b"address already in use" not in self.log_path.read_bytes().lower():
                    raise RuntimeError(
                        f"liaison-server failed to start:\n{self.log_tail()}"
                    ) from None
        raise RuntimeError(f"liaison-server failed to start:\n{self.log_tail()}")

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def admin(self, *args: str) -> dict[str, Any]:
        """Run ``liaison-server admin`` (the real command line) on this server's database."""
        r = subprocess.run(
            [*SERVER_CMD, "admin", *self.db_args, *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        if r.returncode != 0:
            raise AssertionError(f"admin {args} failed ({r.returncode}): {r.stderr}")
        return json.loads(r.stdout)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ThreadedServer:
    """An in-process uvicorn on a free port, serving a given app (for client-side tests)."""

    def __init__(self, app: Any, *, ssl_files: tuple[Path, Path] | None = None) -> None:
        import uvicorn

        self.port = free_port()
        self.ssl_files = ssl_files
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_config=None,
            access_log=False,
            lifespan="off",
            ssl_certfile=str(ssl_files[0]) if ssl_files else None,
            ssl_keyfile=str(ssl_files[1]) if ssl_files else None,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"{'https://localhost' if self.ssl_files else 'http://127.0.0.1'}:{self.port}"

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def make_tls_files(folder: Path, hostname: str = "localhost") -> dict[str, Path]:
    """A throw-away CA and a server certificate signed by it (generated now, never committed)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Liaison test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName(hostname),
                    x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = {"ca": folder / "ca.pem", "cert": folder / "server.pem", "key": folder / "server.key"}
    paths["ca"].write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.chmod(paths["key"], 0o600)
    return paths


# -- a forward proxy (the "system proxy" in tests) ----------------------------------------


class _ProxyServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _ProxyHandler(socketserver.StreamRequestHandler):
    """A minimal forward proxy: CONNECT tunnels, and absolute-URI GET/POST forwarding."""

    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.connection.recv(65536)
            if not chunk:
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode()
        ForwardProxy.requests.append(line)
        method, target, _ = line.split(" ", 2)
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            self.connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self._pump(upstream)
            return
        from urllib.parse import urlsplit

        parts = urlsplit(target)
        upstream = socket.create_connection((parts.hostname, parts.port or 80))
        rest = head.split(b"\r\n", 1)[1]
        upstream.sendall(f"{method} {parts.path or '/'} HTTP/1.1\r\n".encode() + rest)
        self._pump(upstream)

    def _pump(self, upstream: socket.socket) -> None:
        sockets = [self.connection, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 5)
                if not readable:
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is self.connection else self.connection).sendall(data)
        finally:
            upstream.close()


class ForwardProxy:
    """``with ForwardProxy() as url``; ``ForwardProxy.requests`` lists the request lines seen."""

    requests: list[str] = []

    def __enter__(self) -> str:
        ForwardProxy.requests = []
        self.server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
