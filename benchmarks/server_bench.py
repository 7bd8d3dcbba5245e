"""Server benchmark: authenticated no-op latency and 50 concurrent devices, SQLite and PostgreSQL.

A real ``liaison-server`` runs as a subprocess on loopback (default settings: INFO access log
to a file, 5 s token cache). Devices enrol through the API; calls carry their bearer token
over keep-alive connections.

    python benchmarks/run.py --only server

Figures (PostgreSQL ones end in ``_postgres``; skipped with a note when it does not answer):
``auth_call_p50_ms``/``auth_call_p95_ms`` - one device, sequential GET /api/v1/ping;
``concurrent_devices_errors`` - failed calls while 50 devices call for 10 s (plus the call
count, calls/s and p95 under that load); ``push_changes_per_s_server`` /
``pull_changes_per_s_server`` - sync push of 20 gzip batches of 1,000 field changes by one
device and pull of them in pages of 1,000 by a second device of the same user (bodies made
in advance, so the figures are the server's and the loopback's).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks import Options, log

TARGETS = {
    "auth_call_p50_ms": ("<=", 2.0),
    "auth_call_p95_ms": ("<=", 5.0),
    "concurrent_devices_errors": ("<=", 0),
    "auth_call_p50_ms_postgres": ("<=", 2.0),
    "auth_call_p95_ms_postgres": ("<=", 5.0),
    "concurrent_devices_errors_postgres": ("<=", 0),
    "push_changes_per_s_server": ("between", (10_000, 10**9)),
    "pull_changes_per_s_server": ("between", (10_000, 10**9)),
    "push_changes_per_s_server_postgres": ("between", (10_000, 10**9)),
    "pull_changes_per_s_server_postgres": ("between", (10_000, 10**9)),
}

SYNC_BATCHES = 20
SYNC_BATCH = 1000

DEVICES = 50
CONCURRENT_SECONDS = 10.0
SEQUENTIAL_CALLS = 3000
WARMUP_CALLS = 300
PING = "/api/v1/ping"

PG_DSN = os.environ.get(
    "LIAISON_BENCH_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=test"
)
PG_URL_BASE = os.environ.get("LIAISON_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("liaison-server")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "liaison_desktop.server"]


@contextlib.contextmanager
def _server(data_dir: Path, database_url: str | None) -> Iterator[tuple[int, int]]:
    port = _free_port()
    cmd = [*_server_cmd(), "--data-dir", str(data_dir), "--port", str(port)]
    if database_url:
        cmd += ["--database-url", database_url]
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir.parent / f"{data_dir.name}.log", "wb") as logfile:
        proc = subprocess.Popen(cmd, stdout=logfile, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"liaison-server exited with {proc.returncode}")
                try:
                    status, _ = _call(
                        http.client.HTTPConnection("127.0.0.1", port, timeout=2), "/api/v1/health"
                    )
                    if status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("liaison-server did not become healthy")
                time.sleep(0.1)
            yield port, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _call(
    conn: http.client.HTTPConnection,
    path: str,
    token: str | None = None,
    method: str = "GET",
    body: dict | None = None,
) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=payload, headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.read()


def _prepare_accounts(database_url: str, devices: int) -> list[str]:
    """An org, team and professional, and one enrolment code per device."""
    from liaison_desktop.server import accounts, migrate
    from liaison_desktop.server.db import Database
    from liaison_desktop.sync.protocol import Role

    db = Database(database_url)
    try:
        migrate.upgrade(db)
        org = accounts.create_org(db, "Benchmark")
        team = accounts.create_team(db, org.id, "Team")
        user = accounts.create_user(db, team.id, Role.PROFESSIONAL, "Bench")
        return [accounts.issue_enrolment_code(db, user.id).code for _ in range(devices)]
    finally:
        db.dispose()


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux only; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(port: int, pid: int, codes: list[str]) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    tokens = []
    for i, code in enumerate(codes):
        status, body = _call(
            conn, "/api/v1/enrol", method="POST", body={"code": code, "device_name": f"bench-{i}"}
        )
        if status != 201:
            raise RuntimeError(f"enrolment failed: {status} {body[:200]!r}")
        tokens.append(json.loads(body)["token"])

    # Sequential: one device, one keep-alive connection.
    token = tokens[0]
    for _ in range(WARMUP_CALLS):
        _call(conn, PING, token)
    samples = []
    cpu0 = _cpu_seconds(pid)
    for _ in range(SEQUENTIAL_CALLS):
        t0 = time.perf_counter()
        status, _ = _call(conn, PING, token)
        samples.append(time.perf_counter() - t0)
        if status != 200:
            raise RuntimeError(f"ping failed with {status}")
    cpu1 = _cpu_seconds(pid)
    conn.close()
    result: dict[str, Any] = {
        "auth_call_p50_ms": _ms(statistics.median(samples)),
        "auth_call_p95_ms": _ms(_percentile(samples, 0.95)),
        "auth_call_p99_ms": _ms(_percentile(samples, 0.99)),
        # Server CPU per call: less sensitive to other load on the machine than wall time.
        "auth_call_server_cpu_us": (
            round((cpu1 - cpu0) / SEQUENTIAL_CALLS * 1e6)
            if cpu0 is not None and cpu1 is not None
            else None
        ),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    log(f"sequential: p50 {result['auth_call_p50_ms']} ms, p95 {result['auth_call_p95_ms']} ms")

    # Concurrent: DEVICES threads, each its own device token and keep-alive connection.
    errors = [0] * DEVICES
    calls = [0] * DEVICES
    latencies: list[list[float]] = [[] for _ in range(DEVICES)]
    start = threading.Barrier(DEVICES + 1)
    stop_at = [0.0]

    def device(i: int) -> None:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        while time.perf_counter() < stop_at[0]:
            t0 = time.perf_counter()
            try:
                status, _ = _call(c, PING, tokens[i])
                if status != 200:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            calls[i] += 1
            latencies[i].append(time.perf_counter() - t0)
        c.close()

    threads = [threading.Thread(target=device, args=(i,), daemon=True) for i in range(DEVICES)]
    for th in threads:
        th.start()
    stop_at[0] = time.perf_counter() + CONCURRENT_SECONDS
    t0 = time.perf_counter()
    start.wait()
    for th in threads:
        th.join(CONCURRENT_SECONDS + 60)
    elapsed = time.perf_counter() - t0
    flat = [x for per in latencies for x in per]
    result.update(
        {
            "concurrent_devices": DEVICES,
            "concurrent_devices_errors": sum(errors),
            "concurrent_devices_calls": sum(calls),
            "concurrent_devices_calls_per_s": round(sum(calls) / elapsed, 1),
            "concurrent_devices_p95_ms": _ms(_percentile(flat, 0.95)) if flat else None,
        }
    )
    log(
        f"concurrent: {sum(calls)} calls by {DEVICES} devices in {elapsed:.1f} s, "
        f"{sum(errors)} errors"
    )
    result.update(_measure_sync(port, tokens[0], tokens[1]))
    return result


def _sync_bodies(device_id: str) -> list[bytes]:
    """Gzip push bodies like a laptop's: per client 2 encrypted names and 3 clear fields."""
    import gzip
    import uuid

    from liaison_desktop.sync import fieldcrypt
    from liaison_desktop.sync.hlc import Timestamp

    key = fieldcrypt.new_vault_key()
    wall = 1_795_000_000_000
    bodies = []
    for b in range(SYNC_BATCHES):
        changes = []
        while len(changes) < SYNC_BATCH:
            r = str(uuid.uuid4())
            for f, v in (
                ("first_name", fieldcrypt.encrypt_field(key, "client", r, "first_name", "Sanne")),
                ("last_name", fieldcrypt.encrypt_field(key, "client", r, "last_name", "Bakker")),
                ("municipality", '"Leeuwarden"'),
                ("practice_id", json.dumps(str(uuid.uuid4()))),
                ("created_at", '"2026-12-01T10:00:00Z"'),
            ):
                wall += 1
                h = Timestamp(wall, 0, device_id).encode()
                changes.append(
                    {"id": str(uuid.uuid4()), "t": "client", "r": r, "f": f, "v": v, "h": h}
                )
        body = {
            "protocol": 1,
            "device_id": device_id,
            "batch_id": f"bench-{b}",
            "changes": changes[:SYNC_BATCH],
        }
        bodies.append(gzip.compress(json.dumps(body).encode(), compresslevel=5))
    return bodies


def _measure_sync(port: int, push_token: str, pull_token: str) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    _status, me = _call(conn, "/api/v1/me", push_token)
    bodies = _sync_bodies(json.loads(me)["device_id"])
    sync_headers = {"X-Liaison-Protocol": "1", "Accept-Encoding": "gzip"}

    def push(body: bytes) -> None:
        headers = {
            **sync_headers,
            "Authorization": f"Bearer {push_token}",
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
        }
        conn.request("POST", "/api/v1/sync/push", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"push failed: {resp.status} {data[:200]!r}")

    t0 = time.perf_counter()
    for body in bodies:
        push(body)
    push_s = time.perf_counter() - t0
    total = SYNC_BATCHES * SYNC_BATCH
    wire = sum(len(b) for b in bodies)

    cursor, pulled, pull_bytes = 0, 0, 0
    t0 = time.perf_counter()
    while True:
        conn.request(
            "GET",
            f"/api/v1/sync/pull?after={cursor}&limit={SYNC_BATCH}",
            headers={**sync_headers, "Authorization": f"Bearer {pull_token}"},
        )
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"pull failed: {resp.status} {data[:200]!r}")
        pull_bytes += len(data)
        if resp.getheader("Content-Encoding") == "gzip":
            import gzip

            data = gzip.decompress(data)
        page = json.loads(data)
        pulled += len(page["changes"])
        cursor = page["next"]
        if not page["more"]:
            break
    pull_s = time.perf_counter() - t0
    conn.close()
    if pulled != total:
        raise RuntimeError(f"pulled {pulled} of {total} changes")
    out = {
        "push_changes_per_s_server": round(total / push_s),
        "pull_changes_per_s_server": round(total / pull_s),
        "push_bytes_per_change_server": round(wire / total, 1),
        "pull_bytes_per_change_server": round(pull_bytes / total, 1),
    }
    log(
        f"sync: push {out['push_changes_per_s_server']}/s, pull {out['pull_changes_per_s_server']}/s"
    )
    return out


@contextlib.contextmanager
def _postgres_database() -> Iterator[str]:
    import psycopg

    name = f"liaison_bench_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_URL_BASE}/{name}"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_backend(data_dir: Path, database_url: str | None) -> dict[str, Any]:
    from liaison_desktop.server.settings import Settings

    url = Settings(data_dir=data_dir, database_url=database_url).resolved_database_url
    codes = _prepare_accounts(url, DEVICES)
    with _server(data_dir, database_url) as (port, pid):
        return _measure(port, pid, codes)


def run(opts: Options) -> dict[str, Any]:
    out: dict[str, Any] = {}
    log("server on SQLite")
    out.update(_run_backend(opts.workdir / "sqlite", None))
    log("server on PostgreSQL")
    try:
        pg = _postgres_database()
        url = pg.__enter__()
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        reason = f"PostgreSQL not available: {type(exc).__name__}: {exc}"
        log(reason)
        out["postgres_skipped"] = reason
        return out
    try:
        figures = _run_backend(opts.workdir / "postgres", url)
    finally:
        pg.__exit__(None, None, None)
    out.update({f"{k}_postgres": v for k, v in figures.items()})
    return out


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        print(json.dumps(run(Options(workdir=Path(d))), indent=2))
