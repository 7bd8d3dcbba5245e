"""The workspace: the shell's contract (load, clear_sensitive, actions, unsaved edits) and wiring."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from liaison_desktop.domain import model as dm
from liaison_desktop.services import demo
from liaison_desktop.ui.client_file import NewClientDialog
from liaison_desktop.ui.contact_entry import ContactEntryDialog
from liaison_desktop.ui.privacy import RetentionDialog
from liaison_desktop.ui.workspace_view import WorkspaceView
from tests.ui.helpers_views import (
    TODAY,
    VALID_BSN,
    closed,
    make_ops,
    make_settings,
    save_screenshot,
    wait_idle,
)


@pytest.fixture
def ops(services):
    yield from make_ops(services)


@pytest.fixture
def workspace(qtbot, services, ops, tmp_path):
    demo.generate(services, 200, today=TODAY)
    view = WorkspaceView(ops, make_settings(tmp_path))
    qtbot.addWidget(view)
    view.resize(1280, 860)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.load()
    wait_idle(qtbot, ops)
    return view


def _visible(view, cls):
    return [d for d in view.findChildren(cls) if d.isVisible()]


def test_actions_have_names_and_shortcuts(workspace):
    by_name = {a.objectName(): a for a in workspace.actions()}
    assert by_name["action_new_client"].shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert by_name["action_search"].shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert by_name["action_log_contact"].shortcut() == QKeySequence("Ctrl+K")
    assert {"action_verify_access_log", "action_retention"} <= set(by_name)
    for action in workspace.actions():
        assert action.text() and not action.shortcut().isEmpty(), action.objectName()
    texts = [a.text().replace("&", "") for a in workspace.actions()]
    assert "Nieuwe cliënt…" in texts and "Toegangslog controleren" in texts


def test_load_fills_the_caseload(workspace):
    assert workspace.caseload.model.rowCount() > 50
    assert not workspace.client_file.isVisible()


def test_enter_opens_the_file_and_ctrl_k_logs_a_contact(qtbot, workspace, ops, services):
    table = workspace.caseload.table
    table.setFocus()
    row = next(r for r in workspace.caseload.model.rows() if r.status == dm.TrajectoryStatus.ACTIVE)
    workspace.caseload.select_trajectory(row.trajectory_id)
    with qtbot.waitSignal(workspace.client_file.sig_file_opened, timeout=10000):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    wait_idle(qtbot, ops)
    assert workspace.client_file.isVisible()
    assert workspace.client_file.client_id == row.client_id

    qtbot.keyClick(workspace.client_file.tabs, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(_visible(workspace, ContactEntryDialog)))
    dialog = _visible(workspace, ContactEntryDialog)[0]
    qtbot.keyClicks(dialog.note, "Kort gesprek")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    wait_idle(qtbot, ops)
    assert closed(dialog)
    count = row.conversations + 1
    assert workspace.client_file.counter_label.text() == f"Gesprekken: {count} van 5"
    # The caseload reloads after the change and shows the new count.
    qtbot.waitUntil(
        lambda: any(
            r.trajectory_id == row.trajectory_id and r.conversations == count
            for r in workspace.caseload.model.rows()
        ),
        timeout=10000,
    )


def test_ctrl_k_on_a_caseload_row_opens_file_and_entry(qtbot, workspace, ops):
    row = next(r for r in workspace.caseload.model.rows() if r.status == dm.TrajectoryStatus.ACTIVE)
    workspace.caseload.select_trajectory(row.trajectory_id)
    workspace.caseload.table.setFocus()
    workspace.contact_action.trigger()
    qtbot.waitUntil(lambda: bool(_visible(workspace, ContactEntryDialog)), timeout=10000)
    assert workspace.client_file.client_id == row.client_id


def test_ctrl_f_focuses_search(qtbot, workspace):
    workspace.caseload.table.setFocus()
    qtbot.keyClick(workspace.caseload.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert workspace.caseload.search.hasFocus()


def test_new_client_via_ctrl_n_appears_in_the_file_and_caseload(qtbot, workspace, ops, services):
    qtbot.keyClick(workspace.caseload.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(_visible(workspace, NewClientDialog)), timeout=10000)
    dialog = _visible(workspace, NewClientDialog)[0]
    f = dialog.client.edits
    qtbot.keyClicks(f["first_name"], "Fenna")
    qtbot.keyClicks(f["last_name"], "Oostwoud")
    qtbot.keyClicks(f["date_of_birth"], "2-5-2012")
    qtbot.keyClicks(f["bsn"], VALID_BSN)
    dialog.referral.category.setCurrentIndex(1)
    qtbot.keyClick(f["last_name"], Qt.Key.Key_Return)
    wait_idle(qtbot, ops)
    assert closed(dialog)
    qtbot.waitUntil(lambda: workspace.client_file.title.text() == "Fenna Oostwoud", timeout=10000)
    qtbot.keyClicks(workspace.caseload.search, "oostwoud")
    qtbot.waitUntil(lambda: workspace.caseload.model.rowCount() == 1, timeout=10000)


def test_clear_sensitive_drops_every_detail(qtbot, workspace, ops):
    row = workspace.caseload.model.row_at(0)
    qtbot.keyClicks(workspace.caseload.search, row.client_name.split()[0])
    workspace.open_client(row.client_id, row.trajectory_id)
    qtbot.waitUntil(lambda: workspace.client_file.client_id == row.client_id, timeout=10000)
    wait_idle(qtbot, ops)
    dialog = workspace.client_file.open_contact_entry()
    if dialog is not None:
        qtbot.keyClicks(dialog.note, "nog niet opgeslagen")
        assert workspace.has_unsaved_edits()
    workspace.caseload.reload()  # a result still on its way must not come back after lock

    workspace.clear_sensitive()
    wait_idle(qtbot, ops)
    assert workspace.caseload.model.rowCount() == 0
    assert workspace.caseload.search.text() == ""
    assert workspace.client_file.client_id is None
    assert workspace.client_file.title.text() == ""
    assert not workspace.client_file.isVisible()
    assert not _visible(workspace, ContactEntryDialog)
    assert not workspace.has_unsaved_edits()

    workspace.load()  # unlocked again
    wait_idle(qtbot, ops)
    assert workspace.caseload.model.rowCount() > 50


def test_verify_access_log_action(qtbot, workspace, ops):
    workspace.verify_action.trigger()
    wait_idle(qtbot, ops)
    assert "in orde" in workspace.banner.text()


def test_retention_action_opens_the_list(qtbot, workspace, ops):
    workspace.retention_action.trigger()
    wait_idle(qtbot, ops)
    dialog = _visible(workspace, RetentionDialog)[0]
    assert dialog.model.rowCount() == 0
    assert "geen dossiers" in dialog.banner.text()


def test_screenshot_workspace(qtbot, workspace, ops):
    row = next(r for r in workspace.caseload.model.rows() if r.conversations >= 4)
    workspace.caseload.select_trajectory(row.trajectory_id)
    workspace.caseload.open_current()
    qtbot.waitUntil(lambda: workspace.client_file.client_id == row.client_id, timeout=10000)
    wait_idle(qtbot, ops)
    workspace.client_file.tabs.setCurrentIndex(3)
    qtbot.wait(50)
    save_screenshot(workspace, "workspace")


def test_language_change_rebuilds_views_without_reading_again(qtbot, workspace, ops, services):
    row = workspace.caseload.model.row_at(2)
    workspace.caseload.practice_filter.setCurrentIndex(1)
    workspace.open_client(row.client_id, row.trajectory_id)
    qtbot.waitUntil(lambda: workspace.client_file.client_id == row.client_id, timeout=10000)
    wait_idle(qtbot, ops)
    old_caseload, old_file = workspace.caseload, workspace.client_file
    visible = workspace.caseload.model.rows()
    opens = len(services.access_log_for_client(row.client_id))

    QApplication.sendEvent(workspace, QEvent(QEvent.Type.LanguageChange))
    qtbot.waitUntil(lambda: workspace.caseload is not old_caseload, timeout=5000)
    wait_idle(qtbot, ops)
    assert workspace.client_file is not old_file
    assert workspace.caseload.model.rows() == visible
    assert workspace.caseload.practice_filter.currentIndex() == 1
    assert workspace.client_file.client_id == row.client_id
    assert workspace.client_file.title.text() == row.client_name
    assert len(services.access_log_for_client(row.client_id)) == opens  # no second open
    assert workspace.search_action.text() == "&Zoeken"
    workspace.search_action.trigger()
    assert workspace.caseload.search.hasFocus()


def test_text_typed_before_a_lock_is_kept_encrypted_and_offered_after_unlock(
    qtbot, workspace, ops, services
):
    """Locking hides and drops everything on screen, but nothing typed is lost: the unsaved
    detail edits and the note of an open contact form wait in the encrypted store."""
    from liaison_desktop.ui.kept_text import KeptTextDialog

    row = next(r for r in workspace.caseload.model.rows() if r.status == dm.TrajectoryStatus.ACTIVE)
    workspace.open_client(row.client_id, row.trajectory_id)
    qtbot.waitUntil(lambda: workspace.client_file.client_id == row.client_id, timeout=10000)
    wait_idle(qtbot, ops)
    phone = workspace.client_file.details.edits["phone"]
    phone.setFocus()
    phone.selectAll()
    qtbot.keyClicks(phone, "06-11112222")
    dialog = workspace.client_file.open_contact_entry()
    assert dialog is not None
    note = "Moeder vertelt over de nachten; afspraak met school volgt"
    qtbot.keyClicks(dialog.note, note)

    workspace.clear_sensitive()  # what the lock does, before the key goes
    wait_idle(qtbot, ops)
    assert not _visible(workspace, ContactEntryDialog)
    assert workspace.client_file.client_id is None
    assert not workspace.has_unsaved_edits()
    kept = services.store.meta("kept_drafts")
    assert note in kept and "06-11112222" in kept  # inside the encrypted file only

    workspace.load()  # unlocked again
    wait_idle(qtbot, ops)
    qtbot.waitUntil(lambda: bool(_visible(workspace, KeptTextDialog)), timeout=10000)
    kept_dialog = _visible(workspace, KeptTextDialog)[0]
    assert note in kept_dialog.view.toPlainText()
    assert "bewaard" in workspace.banner.text()
    assert not services.store.meta("kept_drafts")  # taken back: not offered twice
    save_screenshot(kept_dialog, "kept_text_after_unlock")
    kept_dialog.copy_all()
    assert note in QApplication.clipboard().text()

    workspace.open_client(row.client_id, row.trajectory_id)
    qtbot.waitUntil(lambda: workspace.client_file.client_id == row.client_id, timeout=10000)
    wait_idle(qtbot, ops)
    assert workspace.client_file.details.edits["phone"].text() == "06-11112222"
    assert workspace.has_unsaved_edits()

    # Still open at the next lock: kept again rather than lost.
    workspace.clear_sensitive()
    wait_idle(qtbot, ops)
    assert note in services.store.meta("kept_drafts")
