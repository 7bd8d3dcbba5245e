"""The client file: creating a client, refused saves that keep the text, closing with an outcome."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from liaison_desktop.domain import model as dm
from liaison_desktop.ui.client_file import (
    ClientFileView,
    CloseTrajectoryDialog,
    GuardianDialog,
    NewClientDialog,
)
from tests.ui.helpers_views import (
    INVALID_BSN,
    VALID_BSN,
    add_client,
    click_box,
    closed,
    make_ops,
    save_screenshot,
    wait_idle,
)


@pytest.fixture
def ops(services):
    yield from make_ops(services)


@pytest.fixture
def file_view(qtbot, ops):
    view = ClientFileView(ops)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    return view


def _open(qtbot, view: ClientFileView, ops, client_id: str, trajectory_id: str | None = None):
    with qtbot.waitSignal(view.sig_file_opened, timeout=10000):
        view.open_client(client_id, trajectory_id)
    wait_idle(qtbot, ops)


def _dialog(view, cls):
    dialogs = [d for d in view.findChildren(cls) if d.isVisible()]
    assert len(dialogs) == 1, dialogs
    return dialogs[0]


def _type(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _under_field(dialog, field: str):
    """The error label registered for ``field``: visible, in the same row holder as the input."""
    label = dialog.errors.label_for(field)
    assert label.isVisible(), f"no message shown for {field}"
    # Label and input share the row's holder widget: the message sits right under the field.
    assert label.parentWidget().isAncestorOf(dialog.errors.input_for(field))
    return label.text()


def test_new_client_refused_bsn_keeps_everything_typed(qtbot, services, ops):
    dialog = NewClientDialog(ops, services.practices())
    qtbot.addWidget(dialog)
    dialog.show()
    f = dialog.client.edits
    qtbot.keyClicks(f["first_name"], "Noor")
    qtbot.keyClicks(f["last_name"], "Bakker")
    qtbot.keyClicks(f["date_of_birth"], "14-02-2015")
    qtbot.keyClicks(f["bsn"], INVALID_BSN)
    qtbot.keyClicks(dialog.guardian.name, "Mila Bakker")
    dialog.referral.category.setCurrentIndex(
        dialog.referral.category.findData(dm.RequestCategory.SCHOOL)
    )
    qtbot.keyClicks(dialog.referral.question, "Wil niet naar school")
    assert dialog.has_unsaved_edits()

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)

    assert dialog.isVisible()
    assert "elfproef" in _under_field(dialog, "bsn")
    assert f["first_name"].text() == "Noor"
    assert f["last_name"].text() == "Bakker"
    assert f["date_of_birth"].text() == "14-02-2015"
    assert f["bsn"].text() == INVALID_BSN
    assert dialog.guardian.name.text() == "Mila Bakker"
    assert dialog.referral.question.text() == "Wil niet naar school"
    assert services.search_clients("Bakker") == []
    assert f["bsn"].hasFocus()
    save_screenshot(dialog, "new_client_refused_bsn")

    _type(qtbot, f["bsn"], VALID_BSN)
    with qtbot.waitSignal(dialog.sig_saved, timeout=10000) as saved:
        qtbot.keyClick(f["bsn"], Qt.Key.Key_Return)  # Enter saves
    client, trajectory = saved.args[0].value
    wait_idle(qtbot, ops)
    assert closed(dialog)
    stored = services.open_client(client.id)
    assert stored.client.bsn == VALID_BSN
    assert [g.name for g in stored.guardians] == ["Mila Bakker"]
    assert stored.trajectories[0].request_category == dm.RequestCategory.SCHOOL


def test_new_client_shows_every_problem_at_once(qtbot, services, ops):
    dialog = NewClientDialog(ops, services.practices())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.client.edits["date_of_birth"], "31-02-2015")
    qtbot.keyClicks(dialog.client.edits["bsn"], INVALID_BSN)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    messages = dialog.errors.messages()
    assert {"first_name", "last_name", "date_of_birth", "bsn"} <= set(messages)
    assert "dd-mm-jjjj" in messages["date_of_birth"]
    assert dialog.client.edits["date_of_birth"].text() == "31-02-2015"

    # A missing request category is reported by the services, next to its field.
    qtbot.keyClicks(dialog.client.edits["first_name"], "Daan")
    qtbot.keyClicks(dialog.client.edits["last_name"], "Smit")
    _type(qtbot, dialog.client.edits["date_of_birth"], "01-01-2014")
    _type(qtbot, dialog.client.edits["bsn"], "")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert "hulpvraag" in _under_field(dialog, "request_category").lower()
    assert dialog.isVisible()


def test_edit_details_refused_then_saved(qtbot, services, ops, file_view):
    client, trajectory, _ = add_client(services, bsn=VALID_BSN)
    _open(qtbot, file_view, ops, client.id)
    edits = file_view.details.edits
    assert edits["first_name"].text() == "Sanne"
    _type(qtbot, edits["first_name"], "Sanna")
    _type(qtbot, edits["bsn"], INVALID_BSN)
    assert file_view.has_unsaved_edits()
    qtbot.mouseClick(file_view.save_details_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert "elfproef" in file_view.details_errors.messages()["bsn"]
    assert edits["first_name"].text() == "Sanna"
    assert edits["bsn"].text() == INVALID_BSN
    assert services.open_client(client.id).client.first_name == "Sanne"

    _type(qtbot, edits["bsn"], VALID_BSN)
    qtbot.mouseClick(file_view.save_details_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert services.open_client(client.id).client.first_name == "Sanna"
    assert file_view.details_errors.messages() == {}
    assert file_view.title.text() == "Sanna de Vries"
    assert not file_view.has_unsaved_edits()


def test_unsaved_details_come_back_after_switching_clients(qtbot, services, ops, file_view):
    first, _, _ = add_client(services, first="Ilse", last="Visser")
    second, _, _ = add_client(services, first="Bram", last="Visser")
    _open(qtbot, file_view, ops, first.id)
    _type(qtbot, file_view.details.edits["phone"], "06 12345678")
    _open(qtbot, file_view, ops, second.id)
    assert file_view.details.edits["first_name"].text() == "Bram"
    assert file_view.has_unsaved_edits()  # the draft is kept
    _open(qtbot, file_view, ops, first.id)
    assert file_view.details.edits["phone"].text() == "06 12345678"
    assert "teruggezet" in file_view.banner.text()


def test_add_guardian_with_and_without_authority(qtbot, services, ops, file_view):
    client, _, _ = add_client(services)
    _open(qtbot, file_view, ops, client.id)
    file_view.add_guardian()
    dialog = _dialog(file_view, GuardianDialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert "naam" in _under_field(dialog, "name").lower()
    qtbot.keyClicks(dialog.fields.name, "Kees de Vries")
    dialog.fields.relation.setCurrentText("vader")
    click_box(qtbot, dialog.fields.authority)  # no authority
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert file_view.guardians_model.rowCount() == 2
    kees = next(g for g in services.open_client(client.id).guardians if g.name == "Kees de Vries")
    assert not kees.has_authority


def test_close_trajectory_asks_for_the_outcome(qtbot, services, ops, file_view):
    client, trajectory, _ = add_client(services)
    _open(qtbot, file_view, ops, client.id, trajectory.id)
    assert file_view.close_trajectory_button.isEnabled()
    qtbot.mouseClick(file_view.close_trajectory_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(file_view, CloseTrajectoryDialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert "uitkomst" in _under_field(dialog, "outcome").lower()
    assert dialog.isVisible()
    button = dialog.outcome_buttons[dm.Outcome.ADVISED_SPECIALISED_CARE]
    click_box(qtbot, button)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert closed(dialog)
    stored = services.open_client(client.id).trajectories[0]
    assert stored.status == dm.TrajectoryStatus.CLOSED
    assert stored.outcome == dm.Outcome.ADVISED_SPECIALISED_CARE
    m = file_view.trajectories_model
    assert m.data(m.index(0, 3)) == "Afgesloten"
    assert "gespecialiseerde jeugdhulp" in m.data(m.index(0, 5))
    assert not file_view.close_trajectory_button.isEnabled()
    assert "afgesloten" in file_view.banner.text()


def test_status_buttons_follow_the_allowed_transitions(qtbot, services, ops, file_view):
    client, trajectory, _ = add_client(services, status=dm.TrajectoryStatus.REFERRED)
    _open(qtbot, file_view, ops, client.id)
    assert file_view.start_button.isEnabled() and not file_view.pause_button.isEnabled()
    qtbot.mouseClick(file_view.start_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert file_view.pause_button.isEnabled() and not file_view.start_button.isEnabled()
    qtbot.mouseClick(file_view.pause_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert file_view.resume_button.isEnabled()
    assert services.open_client(client.id).trajectories[0].status == dm.TrajectoryStatus.ON_HOLD


def test_file_models_pass_the_model_tester(qtbot, qtmodeltester, services, ops, file_view):
    from liaison_desktop.services import demo
    from tests.ui.helpers_views import TODAY

    demo.generate(services, 30, today=TODAY)
    rows = services.caseload()
    busiest = max(rows, key=lambda r: r.conversations)
    _open(qtbot, file_view, ops, busiest.client_id, busiest.trajectory_id)
    assert file_view.contacts_model.rowCount() > 0
    for model in (
        file_view.guardians_model,
        file_view.trajectories_model,
        file_view.contacts_model,
        file_view.appointments_model,
    ):
        qtmodeltester.check(model)


def test_screenshot_client_file(qtbot, services, ops, file_view):
    client, trajectory, _ = add_client(services, first="Sanne", last="de Vries", bsn=VALID_BSN)
    services.save_guardian(dm.Guardian(client.id, "Kees de Vries", "vader", has_authority=False))
    _open(qtbot, file_view, ops, client.id)
    file_view.resize(1100, 640)
    qtbot.wait(50)
    save_screenshot(file_view, "client_file")
    file_view.tabs.setCurrentIndex(1)
    qtbot.wait(20)
    save_screenshot(file_view, "client_file_trajectories")


def test_clear_drops_everything(qtbot, services, ops, file_view):
    client, _, _ = add_client(services)
    _open(qtbot, file_view, ops, client.id)
    _type(qtbot, file_view.details.edits["phone"], "0612")
    file_view.add_guardian()
    file_view.clear()
    assert file_view.client_id is None
    assert file_view.details.edits["first_name"].text() == ""
    assert file_view.title.text() == ""
    assert file_view.guardians_model.rowCount() == 0
    assert not file_view.has_unsaved_edits()
    assert not [d for d in file_view.findChildren(GuardianDialog) if d.isVisible()]
