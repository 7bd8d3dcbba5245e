"""The overview dashboard: models checked by qtmodeltester, suppressed cells as "<5", charts,
CSV identical to the service's, the PDF report rendered to images; screenshots for review."""

from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest

from liaison_desktop.domain.overview import (
    CATEGORIES,
    OUTCOMES,
    Scope,
    ScopeKind,
    TrajectoryFact,
    compute_overview,
)
from liaison_desktop.services.overview import FetchedOverview, overview_csv
from liaison_desktop.ui.dashboard import DashboardView, period_label
from tests.ui.conftest import SCREENSHOTS

YEAR = 2025


def fetched_overview(n: int = 1500, granularity: str = "month") -> FetchedOverview:
    rng = random.Random(5)
    facts = []
    for i in range(n):
        ref = date(YEAR, 1, 1) + timedelta(days=rng.randrange(360))
        closed = ref + timedelta(days=rng.randint(10, 90)) if rng.random() < 0.8 else None
        facts.append(
            TrajectoryFact(
                f"t{i}",
                f"r{i % 6}",
                f"p{rng.randrange(4) if i % 50 else 4}",  # practice p4 stays small
                ref,
                rng.choice(CATEGORIES),
                ref + timedelta(days=int(rng.expovariate(1 / 14))),
                closed,
                rng.choice(OUTCOMES) if closed else None,
                rng.randint(1, 5),
            )
        )
    ov = compute_overview(
        facts,
        first=date(YEAR, 1, 1),
        last=date(YEAR, 12, 31),
        granularity=granularity,
        root=Scope(ScopeKind.TEAM, "team"),
        as_of=date(YEAR, 12, 31),
    )
    names = {"team": "Basisteam Oost"}
    names.update({f"p{i}": f"Huisartsenpraktijk {n}" for i, n in enumerate("ABCDE")})
    names.update({f"r{i}": f"Professional {i + 1}" for i in range(6)})
    return FetchedOverview(ov, names, "Basisteam Oost", datetime(YEAR + 1, 1, 5, tzinfo=UTC))


@pytest.fixture
def dashboard(qtbot):
    view = DashboardView()
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    return view


def test_models_pass_the_model_tester(qtmodeltester, dashboard):
    dashboard.show_overview(fetched_overview())
    qtmodeltester.check(dashboard.trend_model)
    qtmodeltester.check(dashboard.scope_model)
    assert dashboard.trend_model.rowCount() == 12
    assert dashboard.scope_model.rowCount() == 5 + 6


def test_hidden_cells_show_as_small_and_never_a_number_below_five(qtbot, dashboard):
    fetched = fetched_overview()
    dashboard.show_overview(fetched)
    for model in (dashboard.trend_model, dashboard.scope_model):
        for r in range(model.rowCount()):
            for c in (1, 3, 8):  # the counts
                text = model.cell_text(r, c)
                assert text == "<5" or int(text) >= 5, (r, c, text)
    small = [
        r
        for r in range(dashboard.scope_model.rowCount())
        if dashboard.scope_model.cell_text(r, 0) == "Huisartsenpraktijk E"
    ]
    assert small and dashboard.scope_model.cell_text(small[0], 1) == "<5"
    assert dashboard.scope_model.data(dashboard.scope_model.index(small[0], 1), 3)  # tooltip


def test_filters_choose_scope_and_period(qtbot, dashboard):
    fetched = fetched_overview()
    dashboard.show_overview(fetched)
    team_march = dashboard.trend_model.figures(2)
    assert team_march.scope.is_root and team_march.period.key == f"{YEAR}-03"
    dashboard.scope_combo.setCurrentIndex(1)  # the first practice
    assert dashboard.trend_model.figures(0).scope.kind is ScopeKind.PRACTICE
    dashboard.trend_table.selectRow(5)
    assert dashboard.scope_caption.text().endswith(
        period_label(f"{YEAR}-06", fetched.overview.granularity)
    )
    # The trend chart has a point for every shown figure and none for a hidden one.
    referrals = dashboard.trend_chart.series()[0]
    shown = sum(dashboard.trend_model.figures(r).referrals is not None for r in range(12))
    assert referrals.count() == shown


def test_csv_export_is_the_services_csv(tmp_path, dashboard):
    fetched = fetched_overview()
    dashboard.show_overview(fetched)
    out = tmp_path / "overzicht.csv"
    dashboard.export_csv(out)
    assert out.read_bytes() == overview_csv(fetched)
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {r["scope_kind"] for r in rows} == {"team", "practice", "professional"}


def test_screenshot_of_the_dashboard(qtbot, dashboard):
    dashboard.show_overview(fetched_overview())
    qtbot.wait(50)
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "dashboard.png"
    assert dashboard.grab().save(str(path))
    assert path.stat().st_size > 20_000


def test_pdf_report_renders_to_pages(qtbot, dashboard, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed and could not be installed")
    dashboard.show_overview(fetched_overview())
    pdf = tmp_path / "rapport.pdf"
    dashboard.export_pdf(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert 1 <= len(pages) <= 4
    SCREENSHOTS.mkdir(exist_ok=True)
    for i, page in enumerate(pages, 1):
        shutil.copyfile(page, SCREENSHOTS / f"dashboard-report-{i}.png")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Basisteam Oost" in text and "Aanmeldingen" in text and "<5" in text


def test_clear_sensitive_forgets_the_overview(dashboard):
    dashboard.show_overview(fetched_overview())
    dashboard.clear_sensitive()
    assert dashboard.trend_model.rowCount() == 0 and dashboard.scope_model.rowCount() == 0
    assert not dashboard.pdf_button.isEnabled()
    assert dashboard.trend_chart.series() == []


def test_a_team_leaders_workspace_opens_on_the_synced_team_overview(qtbot, tmp_path):
    """Three professionals push to a real server on 127.0.0.1; the team leader's app opens on
    the team overview with their figures, suppressed."""
    from liaison_desktop.server import accounts, deps, migrate
    from liaison_desktop.server.app import create_app
    from liaison_desktop.server.db import Database
    from liaison_desktop.server.settings import Settings
    from liaison_desktop.services import enrolment, workspace
    from liaison_desktop.sync import fieldcrypt
    from liaison_desktop.sync.protocol import Role
    from liaison_desktop.ui.workspace_view import WorkspaceView
    from tests.conftest import FAST_KDF, PASSPHRASE
    from tests.server.support import ThreadedServer
    from tests.server.sync_support import change, enrol
    from tests.server.test_overview_routes import make_facts, push_facts
    from tests.ui.helpers_views import make_ops, make_settings, wait_idle

    db = Database(f"sqlite+pysqlite:///{tmp_path / 'server.db'}", sqlite_synchronous="OFF")
    migrate.upgrade(db)
    app = create_app(Settings(data_dir=tmp_path / "srv", access_log=False))

    async def database():
        return db

    app.dependency_overrides[deps.get_database] = database
    with ThreadedServer(app) as server:
        org = accounts.create_org(db, "Jeugdhulp Noord").id
        team = accounts.create_team(db, org, "Basisteam Oost").id
        rng = random.Random(8)
        key = fieldcrypt.new_vault_key()
        practices = ["7d1d3c1e-0000-4000-8000-000000000001", "7d1d3c1e-0000-4000-8000-000000000002"]
        for i in range(3):
            user = accounts.create_user(db, team, Role.PROFESSIONAL, f"Professional {i + 1}")
            laptop = enrol(db, server.url, user.id, f"laptop {i}")
            if i == 0:
                laptop.api.push(
                    laptop.device_id,
                    [
                        change("practice", practices[0], "name", "De Linde", laptop.device_id),
                        change("practice", practices[1], "name", "Het Wad", laptop.device_id),
                    ],
                    batch_id="p",
                )
            facts = make_facts(rng, practices, 250)
            for f in facts:  # this year, so that the dashboard's default year shows them
                for name in ("referred_on", "first_contact_on", "closed_on"):
                    if f[name]:
                        f[name] = str(date.today().year) + f[name][4:]
            push_facts(laptop, facts, key)
            laptop.close()
        leader = accounts.create_user(db, team, Role.TEAM_LEADER, "Teamleider")
        code = accounts.issue_enrolment_code(db, leader.id).code
        enrolment.enroll(tmp_path / "lead", server.url, code, PASSPHRASE, kdf=FAST_KDF)
        services = workspace.open_workspace(tmp_path / "lead", PASSPHRASE)
        gen = make_ops(services)
        ops = next(gen)
        try:
            view = WorkspaceView(ops, make_settings(tmp_path))
            qtbot.addWidget(view)
            view.resize(1400, 900)
            view.show()
            view.load()
            qtbot.waitUntil(lambda: view.dashboard.trend_model.rowCount() > 0, timeout=20000)
            wait_idle(qtbot, ops)
            assert view.tabs.currentIndex() == 2
            dash = view.dashboard
            assert dash.title.text().endswith("Basisteam Oost")
            shown = [dash.trend_model.cell_text(r, 1) for r in range(dash.trend_model.rowCount())]
            assert any(t != "<5" and int(t) >= 5 for t in shown)
            assert all(t == "<5" or int(t) >= 5 for t in shown)
            SCREENSHOTS.mkdir(exist_ok=True)
            view.grab().save(str(SCREENSHOTS / "dashboard-team-leader.png"))
            view.clear_sensitive()
            assert dash.trend_model.rowCount() == 0
        finally:
            try:
                next(gen)
            except StopIteration:
                pass
            services.lock()
    db.dispose()
