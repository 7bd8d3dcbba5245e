"""Quick contact entry: Enter saves, the counter updates at once, five suggests closing, six warns."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conversations import ConversationSignal, signal_message
from liaison_desktop.ui.client_file import ClientFileView
from liaison_desktop.ui.contact_entry import ContactEntryDialog, TrajectoryChoice
from tests.ui.helpers_views import (
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
def opened(qtbot, services, ops):
    client, trajectory, _ = add_client(services, first="Lotte", last="Jansen")
    view = ClientFileView(ops)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    with qtbot.waitSignal(view.sig_file_opened, timeout=10000):
        view.open_client(client.id, trajectory.id)
    wait_idle(qtbot, ops)
    return view, client, trajectory


def _log_one(qtbot, view: ClientFileView, ops, note: str) -> ContactEntryDialog:
    dialog = view.open_contact_entry()
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.note, note)
    with qtbot.waitSignal(dialog.sig_saved, timeout=10000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter saves from the note
    wait_idle(qtbot, ops)
    assert closed(dialog)
    return dialog


def test_five_conversations_then_a_warning_for_the_sixth(qtbot, services, ops, opened):
    view, client, trajectory = opened
    assert view.counter_label.text() == "Gesprekken: 0 van 5"
    for n in range(1, 6):
        _log_one(qtbot, view, ops, f"Gesprek {n}: slaapritme besproken")
        assert view.counter_label.text() == f"Gesprekken: {n} van 5"
        assert view.counter_bar.value() == n
        assert view.contacts_model.rowCount() == n
    # At five the app suggests closing or advising the GP to refer, with a close button.
    reached = signal_message(ConversationSignal.REACHED)
    assert reached and reached in view.signal_banner.text()
    assert "verwijzen" in view.signal_banner.text()
    assert services.caseload()[0].conversations == 5

    dialog = view.open_contact_entry()
    assert dialog is not None
    assert dialog.counter.text() == "Dit wordt gesprek 6 van 5."
    assert "gesprek 6" in dialog.warning.text()  # warned before saving
    qtbot.keyClicks(dialog.note, "Extra gesprek")
    with qtbot.waitSignal(dialog.sig_saved, timeout=10000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    result = saved.args[0]
    assert result.warning and "gesprek 6" in result.warning
    assert view.counter_label.text() == "Gesprekken: 6 van 5"
    assert result.warning in view.signal_banner.text()
    assert signal_message(ConversationSignal.EXCEEDED) in view.signal_banner.text()
    assert len(services.open_client(client.id).contacts) == 6


def test_fourth_conversation_announces_the_last_one(qtbot, services, ops, opened):
    view, _, _ = opened
    for n in range(4):
        _log_one(qtbot, view, ops, f"nr {n}")
    assert signal_message(ConversationSignal.ONE_LEFT) in view.signal_banner.text()


def test_type_sets_counting_and_participants(qtbot, ops, opened):
    view, _, _ = opened
    dialog = view.open_contact_entry()
    assert dialog is not None
    assert dialog.counts.isChecked()
    assert dialog.participant_boxes[dm.Participant.CHILD].isChecked()
    dialog.type.setCurrentIndex(dialog.type.findData(dm.ContactType.GP_CONSULTATION))
    assert not dialog.counts.isChecked()
    assert dialog.participant_boxes[dm.Participant.GP].isChecked()
    assert not dialog.participant_boxes[dm.Participant.CHILD].isChecked()
    assert "telt niet mee" in dialog.counter.text()
    with qtbot.waitSignal(dialog.sig_saved, timeout=10000):
        qtbot.keyClick(dialog.type, Qt.Key.Key_Return)
    wait_idle(qtbot, ops)
    assert view.counter_label.text() == "Gesprekken: 0 van 5"
    assert view.contacts_model.rowCount() == 1


def test_refused_contact_keeps_the_note(qtbot, services, ops, opened):
    view, client, _ = opened
    dialog = view.open_contact_entry()
    assert dialog is not None
    click_box(qtbot, dialog.participant_boxes[dm.Participant.CHILD])
    qtbot.keyClicks(dialog.note, "Belangrijke notitie")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(dialog.note, "tweede regel")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    wait_idle(qtbot, ops)
    assert dialog.isVisible()
    assert "wie er bij het gesprek waren" in dialog.errors.messages()["participants"]
    assert dialog.note.toPlainText() == "Belangrijke notitie\ntweede regel"
    assert services.open_client(client.id).contacts == []
    assert dialog.has_unsaved_edits()


def test_no_open_trajectory_explains_what_to_do(qtbot, services, ops):
    client, _, _ = add_client(services, status=dm.TrajectoryStatus.CLOSED)
    view = ClientFileView(ops)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.sig_file_opened, timeout=10000):
        view.open_client(client.id)
    wait_idle(qtbot, ops)
    assert view.open_contact_entry() is None
    assert "aanmelding" in view.banner.text()


def test_trajectory_choice_when_there_are_several(qtbot, services, ops):
    dialog = ContactEntryDialog(
        ops,
        "c1",
        "Testkind",
        [TrajectoryChoice("t1", "p1", "Slapen", 2), TrajectoryChoice("t2", "p1", "School", 4)],
        "t2",
    )
    qtbot.addWidget(dialog)
    assert dialog.trajectory.currentData() == "t2"
    assert dialog.counter.text() == "Dit wordt gesprek 5 van 5."
    dialog.trajectory.setCurrentIndex(0)
    assert dialog.counter.text() == "Dit wordt gesprek 3 van 5."


def test_screenshot_contact_entry(qtbot, ops, opened):
    view, _, _ = opened
    for n in range(4):
        _log_one(qtbot, view, ops, f"nr {n}")
    dialog = view.open_contact_entry()
    assert dialog is not None
    qtbot.keyClicks(dialog.note, "Evaluatie met moeder; doelen grotendeels behaald.")
    qtbot.wait(30)
    save_screenshot(dialog, "contact_entry")
    save_screenshot(view, "client_file_after_four")
