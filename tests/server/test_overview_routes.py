"""Team overviews on a real server (127.0.0.1), on SQLite and PostgreSQL: from pushed trajectories
to suppressed figures; access of team leaders and professionals; bad queries."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from liaison_desktop.domain.overview import CATEGORIES, MEASURES, OUTCOMES
from liaison_desktop.server import accounts
from liaison_desktop.server.overview_facts import OverviewFact
from liaison_desktop.server.routes import overview as overview_routes
from liaison_desktop.sync import fieldcrypt
from liaison_desktop.sync.protocol import OverviewReply, OverviewRow, Role
from liaison_desktop.sync.transport import Forbidden, ServerClient, Transport
from tests.server.support import ThreadedServer
from tests.server.sync_support import change, enrol, hlc, secret

YEAR = 2026


@pytest.fixture
def live(app):
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture
def org(db):
    org_id = accounts.create_org(db, "Jeugdhulp Noord").id
    return {
        "org": org_id,
        "team1": accounts.create_team(db, org_id, "Basisteam Oost").id,
        "team2": accounts.create_team(db, org_id, "Basisteam West").id,
    }


@pytest.fixture
def people(db, live, org):
    made = {}

    def add(key, role, team):
        user = accounts.create_user(db, org[team], role, f"Gebruiker {key}")
        made[key] = enrol(db, live.url, user.id, key)

    for i in range(3):
        add(f"pro{i}", Role.PROFESSIONAL, "team1")
    add("pro_west", Role.PROFESSIONAL, "team2")
    add("lead1", Role.TEAM_LEADER, "team1")
    add("lead2", Role.TEAM_LEADER, "team2")
    add("admin", Role.ADMIN, "team1")
    yield made
    for laptop in made.values():
        laptop.close()


def trajectory_changes(rid, node, **fields):
    return [change("trajectory", rid, name, value, node) for name, value in fields.items()]


def make_facts(rng, practices, n, year=YEAR):
    out = []
    for _ in range(n):
        ref = date(year, 1, 1) + timedelta(days=rng.randrange(300))
        first = ref + timedelta(days=rng.randint(0, 40)) if rng.random() < 0.85 else None
        closed = ref + timedelta(days=rng.randint(10, 90)) if rng.random() < 0.6 else None
        if closed is not None and first is not None and first > closed:
            first = closed
        out.append(
            {
                "id": str(uuid.uuid4()),
                "practice_id": rng.choice(practices),
                "referred_on": ref.isoformat(),
                "first_contact_on": first.isoformat() if first else None,
                "closed_on": closed.isoformat() if closed else None,
                "status": "closed" if closed else "active",
                "outcome": rng.choice(OUTCOMES) if closed else None,
                "request_category": rng.choice(CATEGORIES[:3]),
                "conversation_count": rng.randint(1, 5),
                "age_band": "12-15",
            }
        )
    return out


def push_facts(laptop, facts, key):
    changes = []
    for f in facts:
        fields = {k: v for k, v in f.items() if k != "id"}
        changes += trajectory_changes(f["id"], laptop.device_id, **fields)
        changes.append(
            secret(key, "trajectory", f["id"], "question", "Slaapt slecht sinds de scheiding")
        )
    for start in range(0, len(changes), 1000):
        reply = laptop.api.push(
            laptop.device_id, changes[start : start + 1000], batch_id=str(uuid.uuid4())
        )
        assert not reply.quarantined, reply.quarantined


@pytest.fixture
def pushed(people):
    """Three professionals of team 1 push 150 trajectories each at two practices."""
    rng = random.Random(3)
    key = fieldcrypt.new_vault_key()
    practices = [str(uuid.uuid4()), str(uuid.uuid4())]
    pro0 = people["pro0"]
    pro0.api.push(
        pro0.device_id,
        [
            change("practice", practices[0], "name", "Huisartsenpraktijk De Linde", pro0.device_id),
            change("practice", practices[0], "municipality", "Leeuwarden", pro0.device_id),
            change("practice", practices[1], "name", "Gezondheidscentrum Oost", pro0.device_id),
        ],
        batch_id="practices",
    )
    data = {}
    for i in range(3):
        facts = make_facts(rng, practices, 300)
        push_facts(people[f"pro{i}"], facts, key)
        # The year before decides which practices are pooled (each has over 100 referrals).
        before = make_facts(rng, practices, 80, YEAR - 1)
        push_facts(people[f"pro{i}"], before, key)
        data[f"pro{i}"] = facts + before
    west = make_facts(rng, practices, 40)
    push_facts(people["pro_west"], west, key)
    data["pro_west"] = west
    return {"facts": data, "practices": practices}


def values(reply: OverviewReply, row: OverviewRow) -> dict[str, str | None]:
    return dict(zip(reply.columns, row.values, strict=True))


def test_team_overview_counts_what_the_laptops_pushed(people, pushed, org):
    reply = people["lead1"].api.overview(
        f"{YEAR}-01-01", f"{YEAR}-12-31", "quarter", team_id=org["team1"]
    )
    assert reply.scope_name == "Basisteam Oost" and reply.threshold == 5
    assert tuple(reply.columns) == MEASURES
    owned = [(people[k].user_id, f) for k in ("pro0", "pro1", "pro2") for f in pushed["facts"][k]]
    team_facts = [f for _u, f in owned]
    rows = {(r.scope_kind, r.scope_id, r.period): r for r in reply.rows}
    team_q1 = values(reply, rows[("team", org["team1"], f"{YEAR}-Q1")])
    expected = sum(
        date.fromisoformat(f["referred_on"]).month <= 3
        and date.fromisoformat(f["referred_on"]).year == YEAR
        for f in team_facts
    )
    assert team_q1["referrals"] == str(expected)

    today = datetime.now(UTC).date()  # the server counts events up to today

    def in_quarter(day, q):
        return (
            day is not None
            and date.fromisoformat(day) <= today
            and date.fromisoformat(day).year == YEAR
            and (3 * q - 2 <= date.fromisoformat(day).month <= 3 * q)
        )

    # Every shown count equals a count from the pushed data; the other team is not in it.
    checked = 0
    for (kind, sid, period), row in rows.items():
        q = int(period[-1])
        mine = [
            f
            for user, f in owned
            if kind == "team"
            or (kind == "practice" and f["practice_id"] == sid)
            or (kind == "professional" and user == sid)
        ]
        v = values(reply, row)
        if v["referrals"] is not None:
            assert int(v["referrals"]) == sum(in_quarter(f["referred_on"], q) for f in mine)
            checked += 1
        if v["closed"] is not None:
            assert int(v["closed"]) == sum(in_quarter(f["closed_on"], q) for f in mine)
        if v["waiting_count"] is not None:
            assert int(v["waiting_count"]) == sum(
                in_quarter(f["first_contact_on"], q) for f in mine
            )
    assert checked >= 10
    names = {r.scope_name for r in reply.rows if r.scope_kind == "practice"}
    assert names == {"Huisartsenpraktijk De Linde", "Gezondheidscentrum Oost"}
    assert people["pro_west"].user_id not in {r.scope_id for r in reply.rows}


def test_no_count_below_the_threshold_leaves_the_server(people, pushed, org):
    for period in ("week", "month", "quarter", "year"):
        reply = people["lead1"].api.overview(
            f"{YEAR}-01-01", f"{YEAR}-12-31", period, team_id=org["team1"]
        )
        for row in reply.rows:
            for name, value in values(reply, row).items():
                if value is not None and name.startswith(
                    ("referrals", "closed", "waiting_count", "waiting.")
                ):
                    assert int(value) >= 5, (period, row.scope_kind, row.period, name, value)
        own = people["pro1"].api.overview(f"{YEAR}-01-01", f"{YEAR}-12-31", period)
        assert own.scope_id == people["pro1"].user_id
        for row in own.rows:
            assert row.scope_kind in ("professional", "practice")
            for name, value in values(own, row).items():
                if value is not None and name.startswith(
                    ("referrals", "closed", "waiting_count", "waiting.")
                ):
                    assert int(value) >= 5


def test_differencing_two_overviews_recovers_no_hidden_cell(people, pushed, org):
    """Team minus the practices, a quarter minus its months, a total minus its categories."""
    lead = people["lead1"].api
    q = lead.overview(f"{YEAR}-01-01", f"{YEAR}-12-31", "quarter", team_id=org["team1"])
    m = lead.overview(f"{YEAR}-01-01", f"{YEAR}-12-31", "month", team_id=org["team1"])
    cells = {}
    for reply in (q, m):
        for row in reply.rows:
            for name, value in values(reply, row).items():
                cells[(row.scope_kind, row.scope_id, row.period, name)] = value
    scopes = {(k, s) for (k, s, _p, _n) in cells}
    for kind, sid in scopes:
        for quarter in range(1, 5):
            for name in ("referrals", "closed", "waiting_count"):
                parent = cells[(kind, sid, f"{YEAR}-Q{quarter}", name)]
                kids = [
                    cells[(kind, sid, f"{YEAR}-{mm:02d}", name)]
                    for mm in range(3 * quarter - 2, 3 * quarter + 1)
                ]
                assert [parent, *kids].count(None) != 1
    for period in {p for (_k, _s, p, _n) in cells}:
        for name in ("referrals", "closed"):
            parent = cells[("team", org["team1"], period, name)]
            for kind in ("practice", "professional"):
                kids = [cells[(k, s, period, name)] for (k, s) in scopes if k == kind]
                assert [parent, *kids].count(None) != 1
            cats = CATEGORIES if name == "referrals" else OUTCOMES
            for kind, sid in scopes:
                group = [cells[(kind, sid, period, name)]] + [
                    cells[(kind, sid, period, f"{name}.{c}")] for c in cats
                ]
                assert group.count(None) != 1


def test_projection_follows_last_writer_wins_and_deletion(db, people, org):
    pro = people["pro0"]
    rid = str(uuid.uuid4())
    base = trajectory_changes(
        rid,
        pro.device_id,
        practice_id="p",
        referred_on=f"{YEAR}-02-01",
        request_category="sleep",
        status="active",
    )
    pro.api.push(pro.device_id, base, batch_id="b1")
    newer = change(
        "trajectory", rid, "closed_on", f"{YEAR}-03-01", h=hlc("n", wall=1_900_000_000_000)
    )
    older = change(
        "trajectory", rid, "closed_on", f"{YEAR}-02-15", h=hlc("n", wall=1_800_000_000_000)
    )
    pro.api.push(
        pro.device_id, [newer, change("trajectory", rid, "outcome", "dropped_out")], batch_id="b2"
    )
    pro.api.push(pro.device_id, [older], batch_id="b3")
    with db.read() as s:
        row = s.execute(select(OverviewFact).where(OverviewFact.trajectory_id == rid)).scalar_one()
        assert row.closed_on == date(YEAR, 3, 1) and row.outcome == "dropped_out"
        assert row.user_id == pro.user_id and row.referred_on == date(YEAR, 2, 1)
    pro.api.push(pro.device_id, [change("trajectory", rid, "_deleted", True)], batch_id="b4")
    with db.read() as s:
        assert (
            s.execute(select(OverviewFact).where(OverviewFact.trajectory_id == rid)).first() is None
        )


def test_a_team_leader_sees_only_the_teams_they_lead(people, pushed, org, live):
    with pytest.raises(Forbidden):
        people["lead1"].api.overview(f"{YEAR}-01-01", f"{YEAR}-12-31", team_id=org["team2"])
    with pytest.raises(Forbidden):
        people["lead2"].api.overview(f"{YEAR}-01-01", f"{YEAR}-12-31", team_id=org["team1"])
    west = people["lead2"].api.overview(f"{YEAR}-01-01", f"{YEAR}-12-31", team_id=org["team2"])
    assert {r.scope_id for r in west.rows if r.scope_kind == "professional"} == {
        people["pro_west"].user_id
    }
    # A team that does not exist is refused the same way (no existence oracle).
    with pytest.raises(Forbidden):
        people["lead1"].api.overview(f"{YEAR}-01-01", f"{YEAR}-12-31", team_id=str(uuid.uuid4()))


def test_professionals_and_admins_get_no_team_figures(people, pushed, org):
    for key in ("pro0", "admin"):
        with pytest.raises(Forbidden):
            people[key].api.overview(f"{YEAR}-01-01", f"{YEAR}-12-31", team_id=org["team1"])
    for key in ("lead1", "admin"):
        with pytest.raises(Forbidden):
            people[key].api.overview(f"{YEAR}-01-01", f"{YEAR}-12-31")


def test_a_team_leader_gets_no_dossier_field(people, pushed, org, live):
    lead = people["lead1"]
    with pytest.raises(Forbidden):
        lead.api.pull(0)
    with pytest.raises(Forbidden):
        lead.api.push(
            lead.device_id,
            [change("trajectory", str(uuid.uuid4()), "status", "active")],
            batch_id="x",
        )
    t = Transport(live.url, token=lead.token)
    for extra in ("field=question", "trajectory=abc", "include=names"):
        path = f"/api/v1/overview/teams/{org['team1']}?from={YEAR}-01-01&to={YEAR}-12-31&{extra}"
        with pytest.raises(Exception) as info:
            t.request("GET", path)
        assert getattr(info.value, "status", None) == 422
    t.close()
    raw = json.dumps(
        lead.api.overview(f"{YEAR}-01-01", f"{YEAR}-12-31", "week", team_id=org["team1"]).to_json()
    )
    for f in pushed["facts"]["pro0"][:50]:
        assert f["id"] not in raw
    assert "e1:" not in raw and "Slaapt" not in raw


@pytest.mark.parametrize(
    "query",
    [
        f"from={YEAR}-03-01&to={YEAR}-01-01",
        f"from={YEAR}-13-01&to={YEAR}-12-31",
        f"from={YEAR}-01-01&to={YEAR}-12-31&period=day",
        "from=2000-01-01&to=2026-12-31",
        f"from=yesterday&to={YEAR}-12-31",
    ],
)
def test_bad_queries_are_refused(people, live, query):
    t = Transport(live.url, token=people["pro0"].token)
    with pytest.raises(Exception) as info:
        t.request("GET", f"/api/v1/overview/me?{query}")
    t.close()
    assert getattr(info.value, "status", None) in (400, 422)


def test_overview_needs_a_token(live):
    api = ServerClient(Transport(live.url))
    with pytest.raises(Exception) as info:
        api.overview(f"{YEAR}-01-01", f"{YEAR}-12-31")
    assert getattr(info.value, "status", None) == 401
    api.close()


def test_server_models_mirror_the_overview_wire_types():
    import dataclasses

    for name in ("OverviewReply", "OverviewRow"):
        wire = getattr(__import__("liaison_desktop.sync.protocol", fromlist=[name]), name)
        assert [f.name for f in dataclasses.fields(wire)] == list(
            getattr(overview_routes, name).model_fields
        )


def test_migration_0003_fills_the_projection_from_stored_fields(tmp_path):
    """A server that synced before this revision gets its overview rows at the upgrade."""
    from alembic import command
    from sqlalchemy import text

    from liaison_desktop.server import migrate
    from liaison_desktop.server.db import Database

    db = Database(f"sqlite+pysqlite:///{tmp_path / 'old.db'}", sqlite_synchronous="OFF")
    with db.begin_write() as conn:
        command.upgrade(migrate.alembic_config(conn), "0002")
    org = accounts.create_org(db, "Org").id
    team = accounts.create_team(db, org, "Team").id
    user = accounts.create_user(db, team, Role.PROFESSIONAL, "Fatima").id
    rid = str(uuid.uuid4())
    fields = {
        "practice_id": '"p1"',
        "referred_on": f'"{YEAR}-02-03"',
        "closed_on": f'"{YEAR}-04-01"',
        "outcome": '"neighbourhood_team"',
        "request_category": '"school"',
        "conversation_count": "4",
        "question": '"e1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"',
    }
    with db.begin_write() as conn:
        for i, (name, value) in enumerate(fields.items()):
            conn.execute(
                text(
                    "INSERT INTO sync_fields (user_id, table_name, record_id, field, value, hlc, seq)"
                    " VALUES (:u, 'trajectory', :r, :f, :v, :h, :s)"
                ),
                {"u": user, "r": rid, "f": name, "v": value, "h": f"{i:015d}-00000-n", "s": i + 1},
            )
    migrate.upgrade(db)
    with db.read() as s:
        row = s.execute(select(OverviewFact)).scalar_one()
    assert row.trajectory_id == rid and row.user_id == user
    assert row.referred_on == date(YEAR, 2, 3) and row.closed_on == date(YEAR, 4, 1)
    assert row.outcome == "neighbourhood_team" and row.conversation_count == 4
    assert row.request_category == "school" and row.practice_id == "p1"
    db.dispose()


def test_a_small_practice_is_pooled_with_others(people, pushed, org):
    rng = random.Random(4)
    tiny = str(uuid.uuid4())
    push_facts(people["pro0"], make_facts(rng, [tiny], 20), fieldcrypt.new_vault_key())
    reply = people["lead1"].api.overview(
        f"{YEAR}-01-01", f"{YEAR}-12-31", "quarter", team_id=org["team1"]
    )
    practices = {r.scope_id: r.scope_name for r in reply.rows if r.scope_kind == "practice"}
    assert tiny not in practices
    assert practices.get("other-practices") == "Overige praktijken"
    # The pool is the same whichever period is asked: the decision reads all years.
    other = people["lead1"].api.overview(
        f"{YEAR}-04-01", f"{YEAR}-06-30", "month", team_id=org["team1"]
    )
    assert {r.scope_id for r in other.rows if r.scope_kind == "practice"} == set(practices)
