"""The basisteam agenda in the app: refused without consent with the reason, put on with a
question, read by a second member in the agenda dialog, gone after withdrawal. Real stores,
a real server on 127.0.0.1 (SQLite), real widgets offscreen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from liaison_desktop.domain import model as dm
from liaison_desktop.server import accounts
from liaison_desktop.services import agenda
from liaison_desktop.sync.protocol import Role
from liaison_desktop.ui.agenda import AgendaDialog, AgendaItemDialog
from liaison_desktop.ui.client_file import ClientFileView
from tests.server.conftest import (  # noqa: F401 - fixtures
    app,
    db,
    settings,
    sqlite_template,
)
from tests.server.support import ThreadedServer
from tests.services.sync_helpers import TODAY, add_family, add_practice, laptop
from tests.ui.helpers_views import closed, make_ops, save_screenshot, wait_idle

QUESTION = "Vader verloor zijn werk; zijn er schulden? Wie kan de gezinscoach vragen?"


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the server's two databases are covered by tests/server and services


@pytest.fixture
def live(app):  # noqa: F811
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture
def team(db, live, tmp_path):  # noqa: F811
    org = accounts.create_org(db, "Jeugdhulp Noord").id
    oost = accounts.create_team(db, org, "Basisteam Oost").id
    fatima = accounts.create_user(db, oost, Role.PROFESSIONAL, "Fatima Bakker").id
    joris = accounts.create_user(db, oost, Role.PROFESSIONAL, "Joris de Boer").id
    a = laptop(tmp_path, db, live.url, fatima, "fatima")
    b = laptop(tmp_path, db, live.url, joris, "joris")
    yield a, b
    a.lock()
    b.lock()


@pytest.fixture
def ops_pair(team):
    a, b = team
    gen_a, gen_b = make_ops(a), make_ops(b)
    yield next(gen_a), next(gen_b)
    for gen in (gen_a, gen_b):
        with pytest.raises(StopIteration):
            next(gen)


def _open_consent_tab(qtbot, ops, client_id):
    view = ClientFileView(ops)
    qtbot.addWidget(view)
    view.resize(1150, 700)
    view.show()
    with qtbot.waitSignal(view.sig_file_opened, timeout=10000):
        view.open_client(client_id)
    wait_idle(qtbot, ops)
    view.tabs.setCurrentWidget(view.consent_panel)
    return view.consent_panel


def _visible(parent, cls):
    return [d for d in parent.findChildren(cls) if d.isVisible()]


def _agenda_dialog(qtbot, ops) -> AgendaDialog:
    dialog = AgendaDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.sig_agenda_loaded, timeout=15000):
        dialog.load()
    wait_idle(qtbot, ops)
    return dialog


def _rows(dialog: AgendaDialog) -> list[tuple[str, ...]]:
    m = dialog.model
    return [tuple(m.data(m.index(r, c)) for c in range(4)) for r in range(m.rowCount())]


def test_refused_without_consent_then_put_on_read_by_a_colleague_and_gone_after_withdrawal(
    qtbot, team, ops_pair
):
    fatima, joris = team
    ops_a, ops_b = ops_pair
    agenda.refresh_here(joris)  # Joris opened the agenda once: his public key is known
    practice = add_practice(fatima)
    client, guardians, _t = add_family(fatima, practice, "Quinty", "Zuidema")
    panel = _open_consent_tab(qtbot, ops_a, client.id)

    # Without consent: refused with the reason, no dialog.
    qtbot.mouseClick(panel.shared_agenda_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops_a)
    assert "Op de agenda van het basisteam zetten kan nu niet." in panel.banner.text()
    assert "geen toestemming" in panel.banner.text()
    assert not _visible(panel, AgendaItemDialog)

    consent = dm.Consent(
        client_id=client.id,
        scope=dm.ConsentScope.NEIGHBOURHOOD_TEAM,
        given_on=TODAY - timedelta(days=1),
        method=dm.ConsentMethod.WRITTEN,
        guardian_ids=(guardians[0].id,),
    )
    fatima.register_consent(consent)
    qtbot.mouseClick(panel.shared_agenda_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops_a)
    (dialog,) = _visible(panel, AgendaItemDialog)
    assert "Q.Z." in dialog.intro.text() and "Zuidema" not in dialog.intro.text()
    assert not dialog.team.isVisible()  # one team: no choice to make
    # An empty question is refused in the form.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops_a)
    assert not closed(dialog) and dialog.errors.messages()
    dialog.question.setPlainText(QUESTION)
    save_screenshot(dialog, "agenda-item")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops_a)
    assert closed(dialog)
    assert "staat op de agenda van het basisteam" in panel.banner.text()

    other, og, _ = add_family(fatima, practice, "Bram", "van Dijk")
    fatima.register_consent(
        dm.Consent(
            client_id=other.id,
            scope=dm.ConsentScope.NEIGHBOURHOOD_TEAM,
            given_on=TODAY,
            method=dm.ConsentMethod.SPOKEN,
            guardian_ids=(og[0].id,),
        )
    )
    agenda.put_on_agenda_here(fatima, other.id, "Broertje verzuimt school; leerplicht?")

    # Joris reads both in his agenda dialog.
    colleague = _agenda_dialog(qtbot, ops_b)
    colleague.resize(900, 360)
    assert _rows(colleague) == [
        ("Q.Z.", QUESTION, "Huisartsenpraktijk De Linde", "Fatima Bakker"),
        (
            "B.D.",
            "Broertje verzuimt school; leerplicht?",
            "Huisartsenpraktijk De Linde",
            "Fatima Bakker",
        ),
    ]
    assert "Basisteam Oost" in colleague.meeting.text()
    colleague.table.selectRow(0)
    assert not colleague.remove_button.isEnabled()  # not his item
    save_screenshot(colleague, "agenda")

    # Withdrawn: Fatima's next refresh takes the item off; Joris no longer sees it.
    fatima.withdraw_consent(consent.id)
    own = _agenda_dialog(qtbot, ops_a)
    assert "van de agenda gehaald" in own.banner.text()
    assert [r[0] for r in _rows(own)] == ["B.D."]
    own.table.selectRow(0)
    assert own.remove_button.isEnabled() and "(ik)" in _rows(own)[0][3]
    with qtbot.waitSignal(colleague.sig_agenda_loaded, timeout=15000):
        colleague.load()
    assert [r[0] for r in _rows(colleague)] == ["B.D."]

    # Putting the withdrawn client on again is refused with the reason.
    qtbot.mouseClick(panel.shared_agenda_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops_a)
    assert "ingetrokken" in panel.banner.text()
    assert not _visible(panel, AgendaItemDialog)

    # Fatima takes her other item off herself.
    qtbot.mouseClick(own.remove_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(own.sig_agenda_loaded, timeout=15000):
        pass
    assert _rows(own) == []
    own.clear()
    assert own.model.rowCount() == 0


def test_offline_is_a_message_not_a_crash(qtbot, team, ops_pair, live):
    fatima, _joris = team
    ops_a, _ = ops_pair
    live.server.should_exit = True
    live.thread.join(timeout=10)
    dialog = AgendaDialog(ops_a)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load()
    wait_idle(qtbot, ops_a)
    assert "niet bereikbaar" in dialog.banner.text()
    assert dialog.refresh_button.isEnabled()


def test_the_team_leader_plans_the_next_meeting_and_may_take_any_item_off(
    qtbot,
    db,  # noqa: F811
    live,
    tmp_path,
    team,
):
    from PySide6.QtCore import QDate, QDateTime, QTime

    fatima, _joris = team
    with db.read() as s:
        from liaison_desktop.server.models import TeamMember

        team_id = s.query(TeamMember.team_id).first()[0]
    leader_id = accounts.create_user(db, team_id, Role.TEAM_LEADER, "Els Teamleider").id
    lead = laptop(tmp_path, db, live.url, leader_id, "lead")
    gen = make_ops(lead)
    ops_lead = next(gen)
    try:
        agenda.refresh_here(lead)
        practice = add_practice(fatima)
        client, guardians, _t = add_family(fatima, practice, "Quinty", "Zuidema")
        fatima.register_consent(
            dm.Consent(
                client_id=client.id,
                scope=dm.ConsentScope.NEIGHBOURHOOD_TEAM,
                given_on=TODAY,
                method=dm.ConsentMethod.SPOKEN,
                guardian_ids=(guardians[0].id,),
            )
        )
        agenda.put_on_agenda_here(fatima, client.id, QUESTION)
        dialog = _agenda_dialog(qtbot, ops_lead)
        dialog.resize(1000, 360)
        assert dialog.plan_button.isVisible() and "nog niet gepland" in dialog.meeting.text()
        dialog.next_meeting.setDateTime(QDateTime(QDate(2031, 3, 4), QTime(13, 30)))
        with qtbot.waitSignal(dialog.sig_agenda_loaded, timeout=15000):
            qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
        assert "04-03-2031" in dialog.meeting.text() or "4-3-2031" in dialog.meeting.text()
        assert "13:30" in dialog.meeting.text()
        save_screenshot(dialog, "agenda-team-leader")
        dialog.table.selectRow(0)
        assert dialog.remove_button.isEnabled()  # the leader may take any item off
        with qtbot.waitSignal(dialog.sig_agenda_loaded, timeout=15000):
            qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        assert _rows(dialog) == []
        # A professional does not see the planning controls.
        ops_a = next(make_ops(fatima))
        own = _agenda_dialog(qtbot, ops_a)
        assert not own.plan_button.isVisible()
        assert "13:30" in own.meeting.text()
        ops_a.shutdown()
    finally:
        ops_lead.shutdown()
        lead.lock()


def test_withdrawing_in_the_consent_tab_takes_the_case_off_at_once_when_online(
    qtbot, team, ops_pair
):
    fatima, joris = team
    ops_a, _ops_b = ops_pair
    agenda.refresh_here(joris)
    client, guardians, _t = add_family(fatima, add_practice(fatima), "Quinty", "Zuidema")
    fatima.register_consent(
        dm.Consent(
            client_id=client.id,
            scope=dm.ConsentScope.NEIGHBOURHOOD_TEAM,
            given_on=TODAY,
            method=dm.ConsentMethod.SPOKEN,
            guardian_ids=(guardians[0].id,),
        )
    )
    agenda.put_on_agenda_here(fatima, client.id, QUESTION)
    assert len(agenda.refresh_here(joris).teams[0].entries) == 1
    panel = _open_consent_tab(qtbot, ops_a, client.id)
    panel.consents.selectRow(0)
    qtbot.mouseClick(panel.withdraw_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops_a)
    wait_idle(qtbot, ops_a)  # the sweep queued after the withdrawal
    assert "van de agenda van het basisteam gehaald" in panel.banner.text()
    assert agenda.refresh_here(joris).teams[0].entries == ()
    assert agenda.posted_items(fatima) == {}
