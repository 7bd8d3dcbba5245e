"""Consent: register, view per scope under the age rule, withdraw, and the guarded actions."""

from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import Qt

from liaison_desktop.domain import model as dm
from liaison_desktop.ui.client_file import ClientFileView
from liaison_desktop.ui.consent import ConsentDialog, TeamAgendaDialog
from tests.ui.helpers_views import (
    add_client,
    click_box,
    closed,
    make_ops,
    save_screenshot,
    wait_idle,
)

SCOPES = list(dm.ConsentScope)


@pytest.fixture
def ops(services):
    yield from make_ops(services)


def _open_file(qtbot, ops, client_id: str) -> ClientFileView:
    view = ClientFileView(ops)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    with qtbot.waitSignal(view.sig_file_opened, timeout=10000):
        view.open_client(client_id)
    wait_idle(qtbot, ops)
    view.tabs.setCurrentWidget(view.consent_panel)
    return view


def _scope_row(view: ClientFileView, scope: dm.ConsentScope) -> tuple[str, str, str]:
    m = view.consent_panel.scopes_model
    row = SCOPES.index(scope)
    return (
        m.data(m.index(row, 1)),  # today: geldig / niet geldig
        m.data(m.index(row, 2)),  # who must give it
        m.data(m.index(row, 4)),  # reason
    )


def _dialog(view, cls):
    found = [d for d in view.findChildren(cls) if d.isVisible()]
    assert len(found) == 1
    return found[0]


def _register(qtbot, view, ops, scope: dm.ConsentScope, *, child: bool, guardians: list[str]):
    panel = view.consent_panel
    qtbot.mouseClick(panel.register_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(panel, ConsentDialog)
    dialog.scope.setCurrentIndex(dialog.scope.findData(scope))
    if child:
        click_box(qtbot, dialog.child)
    for gid in guardians:
        click_box(qtbot, dialog.guardian_boxes[gid])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    return dialog


def test_register_withdraw_and_the_guarded_team_agenda(qtbot, services, ops):
    client, _, people = add_client(
        services,
        dob=date(2017, 3, 4),
        guardians=[("Anna de Vries", True), ("Kees de Vries", False)],
    )
    anna, kees = people
    view = _open_file(qtbot, ops, client.id)
    panel = view.consent_panel
    assert "de ouders met gezag" in panel.needed.text()
    assert _scope_row(view, dm.ConsentScope.NEIGHBOURHOOD_TEAM)[:2] == (
        "niet geldig",
        "De ouders met gezag",
    )

    # Refused while consent is missing, with the reason.
    qtbot.mouseClick(panel.agenda_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert "kan nu niet" in panel.banner.text()
    assert "geen toestemming" in panel.banner.text()
    assert not [d for d in panel.findChildren(TeamAgendaDialog) if d.isVisible()]

    # A parent without authority cannot be chosen; the parent with authority consents.
    dialog = _register(
        qtbot, view, ops, dm.ConsentScope.NEIGHBOURHOOD_TEAM, child=False, guardians=[]
    )
    assert "ouder met gezag" in dialog.errors.messages()["guardian_ids"]
    assert not dialog.guardian_boxes[kees.id].isEnabled()
    click_box(qtbot, dialog.guardian_boxes[anna.id])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)
    today, who, reason = _scope_row(view, dm.ConsentScope.NEIGHBOURHOOD_TEAM)
    assert today == "geldig" and "Geldige toestemming" in reason
    assert panel.consents_model.rowCount() == 1
    assert panel.consents_model.data(panel.consents_model.index(0, 3)) == "Anna de Vries"

    # Now the agenda action goes through and adds an appointment.
    qtbot.mouseClick(panel.agenda_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    agenda = _dialog(panel, TeamAgendaDialog)
    qtbot.mouseClick(agenda.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(agenda)
    file = services.open_client(client.id)
    assert [a.kind for a in file.appointments] == [dm.AppointmentKind.TEAM_MEETING]
    assert view.appointments_model.rowCount() == 1

    # Withdraw: immediately not valid, and the agenda action is refused again.
    panel.consents.selectRow(0)
    assert panel.withdraw_button.isEnabled()
    qtbot.mouseClick(panel.withdraw_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    today, _, reason = _scope_row(view, dm.ConsentScope.NEIGHBOURHOOD_TEAM)
    assert today == "niet geldig" and "ingetrokken" in reason
    assert services.open_client(client.id).consents[0].withdrawn_on == date(2026, 11, 22)
    qtbot.mouseClick(panel.agenda_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert "ingetrokken" in panel.banner.text()
    assert not [d for d in panel.findChildren(TeamAgendaDialog) if d.isVisible()]


def test_export_for_third_party_needs_consent(qtbot, services, ops, tmp_path):
    client, _, people = add_client(services, dob=date(2009, 6, 1), guardians=[("Ria Smit", True)])
    view = _open_file(qtbot, ops, client.id)
    panel = view.consent_panel
    out = tmp_path / "export.json"
    asked: list[int] = []
    panel.choose_export_path = lambda: asked.append(1) or str(out)
    assert "De jeugdige zelf" in panel.needed.text() or "jeugdige zelf" in panel.needed.text()

    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert "Exporteren voor een derde kan nu niet" in panel.banner.text()
    assert not asked and not out.exists()

    # 17 years old: the young person alone consents.
    _register(qtbot, view, ops, dm.ConsentScope.EXPORT, child=True, guardians=[])
    assert _scope_row(view, dm.ConsentScope.EXPORT)[:2] == ("geldig", "De jeugdige zelf")
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert asked and out.exists()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["clients"][0]["client"]["id"] == client.id
    assert "opgeslagen" in panel.banner.text()


def test_age_rule_decides_who_must_consent(qtbot, services, ops):
    teen, _, people = add_client(services, first="Jesse", dob=date(2013, 1, 10))
    view = _open_file(qtbot, ops, teen.id)
    assert (
        _scope_row(view, dm.ConsentScope.SHARE_WITH_GP)[1] == "De jeugdige én de ouders met gezag"
    )
    dialog = _register(
        qtbot, view, ops, dm.ConsentScope.SHARE_WITH_GP, child=False, guardians=[people[0].id]
    )
    messages = dialog.errors.messages()
    assert "jeugdige zelf" in messages["given_by_child"]
    assert "jeugdige is dan 13 jaar" in dialog.needed.text()
    click_box(qtbot, dialog.child)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert _scope_row(view, dm.ConsentScope.SHARE_WITH_GP)[0] == "geldig"


def test_consent_models_pass_the_model_tester(qtbot, qtmodeltester, services, ops):
    client, _, people = add_client(services)
    services.register_consent(
        dm.Consent(
            client.id,
            dm.ConsentScope.CONTACT_SCHOOL,
            date(2026, 11, 1),
            dm.ConsentMethod.WRITTEN,
            guardian_ids=(people[0].id,),
        )
    )
    view = _open_file(qtbot, ops, client.id)
    qtmodeltester.check(view.consent_panel.scopes_model)
    qtmodeltester.check(view.consent_panel.consents_model)


def test_screenshot_consent_panel(qtbot, services, ops):
    client, _, people = add_client(
        services,
        dob=date(2014, 12, 20),
        guardians=[("Anna de Vries", True), ("Kees de Vries", False)],
    )
    for scope, withdrawn in (
        (dm.ConsentScope.SHARE_WITH_GP, None),
        (dm.ConsentScope.CONTACT_SCHOOL, date(2026, 11, 20)),
    ):
        services.register_consent(
            dm.Consent(
                client.id,
                scope,
                date(2026, 10, 2),
                dm.ConsentMethod.SPOKEN,
                given_by_child=False,
                guardian_ids=(people[0].id,),
                withdrawn_on=withdrawn,
                note="Besproken bij intake",
            )
        )
    view = _open_file(qtbot, ops, client.id)
    qtbot.mouseClick(view.consent_panel.agenda_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    qtbot.wait(30)
    save_screenshot(view, "consent_panel")
