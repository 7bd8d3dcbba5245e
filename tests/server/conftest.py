"""Server fixtures: every database-backed test runs on SQLite and on PostgreSQL.

PostgreSQL (127.0.0.1:5432, trust auth) gets one randomly named scratch database per test
session, dropped at the end; tests empty its tables after each test. When CI is set an
unreachable PostgreSQL fails the run; elsewhere those tests are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from liaison_desktop.server import accounts, deps, migrate
from liaison_desktop.server.app import create_app
from liaison_desktop.server.db import Database
from liaison_desktop.server.models import Base
from liaison_desktop.server.settings import Settings
from liaison_desktop.sync.protocol import Role
from tests.server.support import postgres_unavailable, scratch_postgres_database

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def require_postgres() -> None:
    reason = postgres_unavailable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so the PostgreSQL run is required: {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The URL of this session's scratch PostgreSQL database."""
    require_postgres()
    with scratch_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def pg_database(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    migrate.upgrade(db)
    yield db
    db.dispose()


def empty_tables(db: Database) -> None:
    names = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    with db.begin_write() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating costs more than copying)."""
    path = tmp_path_factory.mktemp("template") / "server.db"
    database = Database(f"sqlite+pysqlite:///{path}")
    migrate.upgrade(database)
    with database.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    if backend == "sqlite":
        target = tmp_path / "server.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        database = Database(f"sqlite+pysqlite:///{target}", sqlite_synchronous="OFF")
        yield database
        database.dispose()
    else:
        database = request.getfixturevalue("pg_database")
        yield database
        empty_tables(database)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str | None:
    """For subprocess servers: None (SQLite in --data-dir) or a scratch PostgreSQL URL.

    The subprocess tests share the session's scratch database; tables are emptied after.
    """
    if backend == "sqlite":
        return None
    database = request.getfixturevalue("pg_database")
    request.addfinalizer(lambda: empty_tables(database))
    return str(database.url.render_as_string(hide_password=False))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "server", auth_cache_seconds=5.0)


@pytest.fixture
def app(settings: Settings, db: Database):
    application = create_app(settings)

    async def test_database() -> Database:
        return db

    application.dependency_overrides[deps.get_database] = test_database
    return application


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    # Not entered as a context manager: the lifespan would open the settings' database,
    # while requests must use the overridden one.
    c = TestClient(app, raise_server_exceptions=False)
    yield c
    c.close()


# -- a small world of two organisations -------------------------------------------------


@dataclass
class Account:
    user_id: str
    role: Role
    org_id: str
    team_id: str
    token: str = ""
    device_id: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    db: Database
    client: TestClient
    orgs: dict[str, str] = field(default_factory=dict)
    teams: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)

    def add_org(self, key: str) -> None:
        org = accounts.create_org(self.db, f"Organisatie {key}")
        self.orgs[key] = org.id
        for t in ("1", "2"):
            self.teams[key + t] = accounts.create_team(self.db, org.id, f"Team {key}{t}").id

    def add_account(self, key: str, role: Role, team_key: str) -> Account:
        team_id = self.teams[team_key]
        user = accounts.create_user(self.db, team_id, role, f"Gebruiker {key}")
        acc = Account(user.id, role, user.org_id, team_id)
        code = accounts.issue_enrolment_code(self.db, user.id).code
        r = self.client.post("/api/v1/enrol", json={"code": code, "device_name": key})
        assert r.status_code == 201, r.text
        acc.token, acc.device_id = r.json()["token"], r.json()["device_id"]
        self.accounts[key] = acc
        return acc

    def __getitem__(self, key: str) -> Account:
        return self.accounts[key]


@pytest.fixture
def world(db: Database, client: TestClient) -> World:
    """Orgs A and B with teams A1, A2, B1, B2; in each org a professional, a team leader of
    team 1 and an admin, all enrolled through the API."""
    w = World(db, client)
    for org in ("A", "B"):
        w.add_org(org)
        w.add_account(f"pro{org}", Role.PROFESSIONAL, f"{org}1")
        w.add_account(f"lead{org}", Role.TEAM_LEADER, f"{org}1")
        w.add_account(f"admin{org}", Role.ADMIN, f"{org}1")
    return w
