"""Overview benchmark: a year's team overview (20 professionals, 10,000 trajectories in the year,
as many in the year before) on SQLite and PostgreSQL, and the dashboard painted after the data
arrived.

    python benchmarks/run.py --only overview

Figures: ``overview_year_sqlite_ms`` / ``overview_year_postgres_ms`` - median of 7 calls of
the server's team overview for a calendar year by month (fetch the projection rows, compute
and suppress every cell of the year tree, build the wire reply); ``overview_year_http_*_ms``
the same through the FastAPI app (routing, auth, JSON); ``dashboard_paint_ms`` - the
dashboard widget given that reply (models reset, charts rebuilt) until painted offscreen.
"""

from __future__ import annotations

import os
import random
import secrets
import statistics
import time
import uuid
from datetime import date, timedelta
from typing import Any

from benchmarks import Options, log, median_ms, ms

TARGETS = {
    "overview_year_sqlite_ms": ("<=", 300.0),
    "overview_year_postgres_ms": ("<=", 300.0),
    "dashboard_paint_ms": ("<=", 200.0),
}

PROFESSIONALS = 20
TRAJECTORIES = 10_000
PRACTICES = 10
YEAR = date.today().year - 1  # a complete year

PG_DSN = os.environ.get(
    "LIAISON_BENCH_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=test"
)
PG_URL = os.environ.get("LIAISON_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


def _fill(db: Any) -> tuple[str, str]:
    """A team of 20 professionals with 10,000 trajectories in the projection table."""
    from liaison_desktop.server import accounts
    from liaison_desktop.server.overview_facts import OverviewFact
    from liaison_desktop.server.sync_models import SyncField
    from liaison_desktop.sync.protocol import Role

    org = accounts.create_org(db, "Bench").id
    team = accounts.create_team(db, org, "Basisteam Bench").id
    users = [
        accounts.create_user(db, team, Role.PROFESSIONAL, f"Professional {i}").id
        for i in range(PROFESSIONALS)
    ]
    leader = accounts.create_user(db, team, Role.TEAM_LEADER, "Teamleider").id
    rng = random.Random(11)
    practices = [str(uuid.uuid4()) for _ in range(PRACTICES)]
    categories = ["sleep", "behaviour", "anxiety_mood", "parenting", "substance_use", "school"]
    outcomes = [
        "closed_no_follow_up",
        "neighbourhood_team",
        "advised_specialised_care",
        "referred_elsewhere",
        "dropped_out",
    ]
    rows = []
    # The year itself plus the year before (which decides the pooling of small practices).
    for i in range(2 * TRAJECTORIES):
        year = YEAR if i < TRAJECTORIES else YEAR - 1
        ref = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        first = ref + timedelta(days=rng.randint(0, 45)) if rng.random() < 0.9 else None
        closed = ref + timedelta(days=rng.randint(14, 120)) if rng.random() < 0.75 else None
        rows.append(
            {
                "user_id": users[i % PROFESSIONALS],
                "trajectory_id": str(uuid.uuid4()),
                "practice_id": practices[rng.randrange(PRACTICES)],
                "referred_on": ref,
                "first_contact_on": first,
                "closed_on": closed,
                "status": "closed" if closed else "active",
                "outcome": rng.choice(outcomes) if closed else None,
                "request_category": rng.choice(categories),
                "conversation_count": rng.randint(1, 5),
                "age_band": "12-15",
                "seq": i + 1,
            }
        )
    with db.write() as s:
        s.execute(OverviewFact.__table__.insert(), rows)
        s.execute(
            SyncField.__table__.insert(),
            [
                {
                    "user_id": users[0],
                    "table_name": "practice",
                    "record_id": p,
                    "field": "name",
                    "value": f'"Praktijk {n}"',
                    "hlc": "000000000000001-00000-bench",
                    "seq": n + 1,
                }
                for n, p in enumerate(practices)
            ],
        )
    return team, leader


def _measure(db: Any, label: str) -> tuple[dict[str, Any], Any]:
    from fastapi.testclient import TestClient

    from liaison_desktop.domain.overview import Granularity
    from liaison_desktop.server import accounts, deps, migrate, overview_facts
    from liaison_desktop.server.app import create_app
    from liaison_desktop.server.settings import Settings

    migrate.upgrade(db)
    log(f"overview {label}: filling {TRAJECTORIES} trajectories")
    team, leader = _fill(db)
    q = overview_facts.OverviewQuery(
        date(YEAR, 1, 1), date(YEAR, 12, 31), Granularity.MONTH, as_of=date(YEAR, 12, 31)
    )
    reply = overview_facts.team_overview(db, team, "Basisteam Bench", q)
    out: dict[str, Any] = {
        f"overview_year_{label}_ms": median_ms(
            lambda _i: overview_facts.team_overview(db, team, "Basisteam Bench", q), 7
        )
    }
    app = create_app(Settings(data_dir="unused", access_log=False))

    async def database() -> Any:
        return db

    app.dependency_overrides[deps.get_database] = database
    code = accounts.issue_enrolment_code(db, leader).code
    with TestClient(app) as client:
        token = client.post("/api/v1/enrol", json={"code": code}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        url = f"/api/v1/overview/teams/{team}?from={YEAR}-01-01&to={YEAR}-12-31&period=month"

        def call(_i: int) -> None:
            r = client.get(url, headers=headers)
            assert r.status_code == 200, r.text

        out[f"overview_year_http_{label}_ms"] = median_ms(call, 7)
    return out, reply


def _dashboard_paint(reply: Any) -> float:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from liaison_desktop.services.overview import overview_from_reply
    from liaison_desktop.ui.dashboard import DashboardView

    app = QApplication.instance() or QApplication([])
    view = DashboardView()
    view.resize(1280, 860)
    view.show()
    app.processEvents()
    fetched = overview_from_reply(reply)
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        view.show_overview(fetched)
        view.repaint()  # synchronous paint of the whole widget tree
        app.processEvents()
        samples.append(time.perf_counter() - t0)
    view.close()
    return ms(statistics.median(samples))


def run(opts: Options) -> dict[str, Any]:
    from liaison_desktop.server.db import Database

    out: dict[str, Any] = {
        "overview_trajectories": TRAJECTORIES,
        "overview_professionals": PROFESSIONALS,
    }
    db = Database(f"sqlite+pysqlite:///{opts.workdir / 'overview.db'}", sqlite_synchronous="OFF")
    figures, reply = _measure(db, "sqlite")
    db.dispose()
    out.update(figures)
    try:
        import psycopg

        name = f"liaison_bench_{secrets.token_hex(4)}"
        with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            pg = Database(f"{PG_URL}/{name}")
            figures, _ = _measure(pg, "postgres")
            pg.dispose()
            out.update(figures)
        finally:
            with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as exc:  # noqa: BLE001 - reported, the other figures stand
        out["overview_postgres_note"] = f"PostgreSQL skipped: {type(exc).__name__}: {exc}"
    try:
        out["dashboard_paint_ms"] = _dashboard_paint(reply)
    except ImportError as exc:
        out["dashboard_note"] = f"dashboard not measured: {exc}"
    return out
