"""The main window on real encrypted stores: first run, unlock, recovery key, demo, settings."""

from __future__ import annotations

import argparse
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox

from liaison_desktop import bootstrap
from liaison_desktop.services import workspace
from liaison_desktop.store.keys import WrongPassphrase, parse_recovery_key
from liaison_desktop.store.store import Store
from liaison_desktop.ui import shell as shell_module
from liaison_desktop.ui.shell import Page, RecoveryKeyPage, SettingsDialog, Shell
from tests.conftest import FAST_KDF
from tests.ui.conftest import FakeWorkspaceView, all_texts, save_screenshot

NEW_PASSPHRASE = "nieuwe lantaarn bij de vaart"
LEFT = Qt.MouseButton.LeftButton


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, LEFT)


def wait_page(qtbot, shell: Shell, page: Page, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: shell.page is page, timeout=timeout)


def unlock(qtbot, shell: Shell, passphrase: str) -> None:
    page = shell.unlock_page
    page.passphrase.clear()
    qtbot.keyClicks(page.passphrase, passphrase)
    click(qtbot, page.unlock_button)
    wait_page(qtbot, shell, Page.WORKSPACE)


def shown_names(shell: Shell, names) -> list[str]:
    text = all_texts(shell)
    return [n for n in names if n in text]


# --------------------------------------------------------------------------- first run


def test_first_run_creates_store_and_shows_recovery_key_once(qtbot, make_shell, data_dir, ops):
    shell = make_shell(data_dir)
    shell.start()
    assert shell.page is Page.SETUP
    setup = shell.setup_page

    qtbot.keyClicks(setup.name_edit, "Fatima El Amrani")
    qtbot.keyClicks(setup.practice_edit, "Huisartsenpraktijk De Linde")
    click(qtbot, setup.add_button)
    qtbot.keyClicks(setup.practice_edit, "Praktijk Het Wad")
    qtbot.keyClick(setup.practice_edit, Qt.Key.Key_Return)
    assert setup.practices() == ["Huisartsenpraktijk De Linde", "Praktijk Het Wad"]
    qtbot.keyClicks(setup.passphrase.first, "fiets regen lantaarn")
    qtbot.keyClicks(setup.passphrase.repeat, "fiets regen lantaarn")
    assert setup.passphrase.hint.text()  # live strength hint
    assert setup.passphrase.meter.value() >= 2
    save_screenshot(shell, "first_run")

    click(qtbot, setup.create_button)
    wait_page(qtbot, shell, Page.RECOVERY_KEY)
    page = shell.recovery_key_page
    shown = page.key_label.text()
    parse_recovery_key(shown)  # a complete, valid recovery key is on screen
    assert not page.continue_button.isEnabled()
    save_screenshot(shell, "recovery_key")

    click(qtbot, page.confirm_check)
    click(qtbot, page.continue_button)
    wait_page(qtbot, shell, Page.WORKSPACE)
    compact = shown.replace("\n", "")
    assert compact not in all_texts(shell) and shown not in all_texts(shell)  # shown once

    assert workspace.exists(data_dir)
    profile = ops.run_blocking(
        lambda sv, _st: (sv.professional().name, [p.name for p in sv.practices()])
    )
    assert profile == ("Fatima El Amrani", ["Huisartsenpraktijk De Linde", "Praktijk Het Wad"])
    # The passphrase typed at set-up unlocks the store.
    ops.close()
    qtbot.waitUntil(lambda: ops.services is None)
    Store.unlock(data_dir, "fiets regen lantaarn").close()


def test_first_run_refuses_incomplete_form_and_keeps_what_was_typed(qtbot, make_shell, data_dir):
    shell = make_shell(data_dir)
    shell.start()
    setup = shell.setup_page
    qtbot.keyClicks(setup.practice_edit, "Praktijk Het Wad")  # typed, not yet added
    qtbot.keyClicks(setup.passphrase.first, "kort")
    click(qtbot, setup.create_button)

    assert setup.name_error.isVisible() and "naam" in setup.name_error.text()
    assert setup.practices() == ["Praktijk Het Wad"]  # the pending name was added, not lost
    assert setup.passphrase.first_error.isVisible()
    assert "10 tekens" in setup.passphrase.first_error.text()
    assert setup.passphrase.first.text() == "kort"
    assert shell.page is Page.SETUP and not workspace.exists(data_dir)

    qtbot.keyClicks(setup.name_edit, "Fatima")
    qtbot.keyClicks(setup.passphrase.first, " is veel te kort")
    qtbot.keyClicks(setup.passphrase.repeat, "iets anders dan dat")
    assert setup.passphrase.match.isVisible() and setup.passphrase.match.is_error
    click(qtbot, setup.create_button)
    assert shell.page is Page.SETUP and not workspace.exists(data_dir)


def test_recovery_key_can_be_saved_and_printed(qtbot, tmp_path, monkeypatch):
    page = RecoveryKeyPage()
    qtbot.addWidget(page)
    page.show()
    key = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"
    page.set_key(key, tmp_path / "data")

    target = tmp_path / "herstelsleutel.txt"
    monkeypatch.setattr(
        shell_module.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "")
    )
    click(qtbot, page.save_button)
    assert key in target.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert page.saved.isVisible() and not page.saved.is_error

    pdf = tmp_path / "sleutel.pdf"

    class FakePrintDialog:
        def __init__(self, printer: QPrinter, _parent) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(pdf))

        def setWindowTitle(self, _title: str) -> None:  # noqa: N802 - Qt API
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(shell_module, "QPrintDialog", FakePrintDialog)
    click(qtbot, page.print_button)
    assert pdf.exists() and pdf.stat().st_size > 1000

    page.clear()
    assert key not in all_texts(page)


# --------------------------------------------------------------------------- unlocking


def test_unlock_with_wrong_then_right_passphrase(qtbot, make_shell, store_with_clients):
    info = store_with_clients
    shell = make_shell(info.data_dir)
    shell.start()
    assert shell.page is Page.UNLOCK
    assert not shell.lock_action.isEnabled()
    save_screenshot(shell, "unlock")

    page = shell.unlock_page
    qtbot.keyClicks(page.passphrase, "verkeerde wachtwoordzin")
    click(qtbot, page.unlock_button)
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=10_000)
    assert "klopt niet" in page.error.text()
    assert page.passphrase.text() == "verkeerde wachtwoordzin"  # kept, selected for retyping
    assert page.passphrase.hasSelectedText()
    assert shell.page is Page.UNLOCK
    save_screenshot(shell, "unlock_wrong_passphrase")

    qtbot.keyClicks(page.passphrase, info.passphrase)  # replaces the selection
    click(qtbot, page.unlock_button)
    wait_page(qtbot, shell, Page.WORKSPACE)
    qtbot.waitUntil(lambda: shown_names(shell, info.client_names) == list(info.client_names))
    assert shell.lock_action.isEnabled()
    assert page.passphrase.text() == ""


def test_wait_countdown_after_too_many_attempts(qtbot, make_shell, store_with_clients):
    shell = make_shell(store_with_clients.data_dir)
    shell.start()
    page = shell.unlock_page
    for attempt in range(1, 5):  # three free attempts, the fourth imposes a wait
        qtbot.keyClicks(page.passphrase, f"fout {attempt}")
        qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.error.isVisible() and page.passphrase.isEnabled())
    assert "herstelsleutel" in page.error.text()
    assert page.countdown.isVisible() and "seconde" in page.countdown.text()
    assert not page.unlock_button.isEnabled()
    qtbot.waitUntil(lambda: page.unlock_button.isEnabled(), timeout=5_000)
    assert not page.countdown.isVisible()

    unlock(qtbot, shell, store_with_clients.passphrase)


def test_recovery_key_leads_to_a_new_passphrase(qtbot, make_shell, store_with_clients, ops):
    info = store_with_clients
    shell = make_shell(info.data_dir)
    shell.start()
    click(qtbot, shell.unlock_page.recovery_button)
    assert shell.page is Page.RECOVER

    recover = shell.recover_page
    qtbot.keyClicks(recover.key_edit, "ABCD-EFGH")
    click(qtbot, recover.continue_button)
    qtbot.waitUntil(lambda: recover.error.isVisible())
    assert "56 tekens" in recover.error.text()
    assert recover.key_edit.text() == "ABCD-EFGH"  # kept so a typo can be fixed

    recover.key_edit.clear()
    qtbot.keyClicks(recover.key_edit, info.recovery_key.lower())
    click(qtbot, recover.continue_button)
    wait_page(qtbot, shell, Page.NEW_PASSPHRASE)
    assert not shown_names(shell, info.client_names)  # unlocked, but nothing shown yet
    save_screenshot(shell, "new_passphrase")

    fields = shell.new_passphrase_page.fields
    qtbot.keyClicks(fields.first, NEW_PASSPHRASE)
    qtbot.keyClicks(fields.repeat, NEW_PASSPHRASE)
    click(qtbot, shell.new_passphrase_page.save_button)
    wait_page(qtbot, shell, Page.WORKSPACE)
    assert "wachtwoordzin" in shell.statusBar().currentMessage()

    qtbot.keyClick(shell, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    if shell.page is not Page.UNLOCK:  # no active window on some offscreen set-ups
        shell.lock_action.trigger()
    wait_page(qtbot, shell, Page.UNLOCK)
    qtbot.waitUntil(lambda: ops.services is None)
    with pytest.raises(WrongPassphrase):
        Store.unlock(info.data_dir, info.passphrase)
    unlock(qtbot, shell, NEW_PASSPHRASE)


def test_cancelling_the_new_passphrase_locks_again(qtbot, make_shell, store_with_clients, ops):
    shell = make_shell(store_with_clients.data_dir)
    shell.start()
    click(qtbot, shell.unlock_page.recovery_button)
    qtbot.keyClicks(shell.recover_page.key_edit, store_with_clients.recovery_key)
    qtbot.keyClick(shell.recover_page.key_edit, Qt.Key.Key_Return)
    wait_page(qtbot, shell, Page.NEW_PASSPHRASE)
    click(qtbot, shell.new_passphrase_page.cancel_button)
    wait_page(qtbot, shell, Page.UNLOCK)
    qtbot.waitUntil(lambda: ops.services is None)
    unlock(qtbot, shell, store_with_clients.passphrase)  # the old passphrase still works


# --------------------------------------------------------------------------- menus and window


def test_workspace_actions_are_in_the_menu_only_while_unlocked(
    qtbot, make_shell, store_with_clients
):
    shell = make_shell(store_with_clients.data_dir)
    shell.start()
    assert not shell.work_menu.menuAction().isVisible()
    unlock(qtbot, shell, store_with_clients.passphrase)
    view = shell.workspace_view
    assert isinstance(view, FakeWorkspaceView)
    assert shell.work_menu.actions() == [view.new_client]
    assert shell.work_menu.menuAction().isVisible()

    shell.lock()
    assert shell.page is Page.UNLOCK
    assert shell.work_menu.actions() == [] and not shell.work_menu.menuAction().isVisible()
    assert not shell.lock_action.isEnabled()
    shell.activateWindow()
    qtbot.keyClick(shell, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.triggered == 0


def test_quitting_with_unsaved_edits_asks_first(
    qtbot, make_shell, store_with_clients, monkeypatch, ops
):
    shell = make_shell(store_with_clients.data_dir)
    shell.start()
    unlock(qtbot, shell, store_with_clients.passphrase)
    shell.workspace_view.unsaved = True
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(shell_module.QMessageBox, "question", lambda *a, **k: answers.pop(0))

    assert not shell.close()
    assert shell.isVisible() and ops.services is not None  # edits and key kept
    assert shell.close()
    qtbot.waitUntil(lambda: ops.services is None)


def test_settings_dialog_stores_idle_minutes_and_language(qtbot, make_shell, data_dir, ui_settings):
    shell = make_shell(data_dir)
    dialog = SettingsDialog(ui_settings, shell)
    qtbot.addWidget(dialog)
    assert dialog.idle_spin.value() == 5 and dialog.language() == "nl"
    dialog.idle_spin.setValue(2)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.save()
    assert int(ui_settings.value("security/idle_minutes")) == 2
    assert ui_settings.value("ui/language") == "en"
    shell.app_lock.idle.reload_settings()
    assert shell.app_lock.idle.interval_ms == 120_000


def test_missing_workspace_view_module_falls_back_to_a_placeholder(
    qtbot, ops, ui_settings, monkeypatch
):
    monkeypatch.setitem(sys.modules, "liaison_desktop.ui.workspace_view", None)
    with pytest.raises(ModuleNotFoundError):
        import liaison_desktop.ui.workspace_view  # noqa: F401
    parent = shell_module.QWidget()
    qtbot.addWidget(parent)
    view = shell_module.default_workspace_factory(ops, ui_settings, parent)
    assert isinstance(view, shell_module.PlaceholderWorkspace)
    assert view.actions() == [] and not view.has_unsaved_edits()


# --------------------------------------------------------------------------- bootstrap


def test_data_dir_argument_chooses_setup_or_unlock(
    qtbot, ui_settings, store_with_clients, tmp_path
):
    for folder, expected in (
        (tmp_path / "leeg", Page.SETUP),
        (store_with_clients.data_dir, Page.UNLOCK),
    ):
        running = bootstrap.start(
            argparse.Namespace(demo=False, data_dir=folder),
            settings=ui_settings,
            kdf=FAST_KDF,
            workspace_factory=FakeWorkspaceView,
        )
        qtbot.addWidget(running.shell)
        try:
            assert running.shell.page is expected
            assert running.shell.data_dir == folder
        finally:
            running.close()


def test_demo_mode_fills_a_throwaway_store_and_opens_the_workspace(qtbot, ui_settings):
    running = bootstrap.start(
        argparse.Namespace(demo=True, data_dir=None),
        settings=ui_settings,
        demo_clients=30,
        kdf=FAST_KDF,
    )
    shell = running.shell
    qtbot.addWidget(shell)
    demo_root = shell.data_dir.parent
    try:
        assert shell.page is Page.PROGRESS
        wait_page(qtbot, shell, Page.WORKSPACE, timeout=60_000)
        counts = running.ops.run_blocking(lambda sv, _st: sv.counts())
        assert counts["clients"] == 30
        assert shell.progress_page.bar.value() == 30
        assert "demo" in shell.windowTitle()
        shell.resize(1280, 800)
        qtbot.waitUntil(lambda: not running.ops.busy)
        save_screenshot(shell, "demo_workspace")

        shell.lock()
        assert bootstrap.DEMO_PASSPHRASE in shell.unlock_page.demo_hint.text()
        unlock(qtbot, shell, bootstrap.DEMO_PASSPHRASE)
    finally:
        running.close()
    assert not demo_root.exists()  # the throw-away store is gone


def test_self_test_flag_prints_ok(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    code = (
        "import argparse, sys; from liaison_desktop import bootstrap; "
        "sys.exit(bootstrap.run_app(argparse.Namespace(self_test=True)))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "OK"
    assert list(tmp_path.iterdir()) == []  # its temporary store and settings are gone


def test_screenshots_folder_is_ignored_by_git():
    root = Path(__file__).resolve().parents[2]
    assert "screenshots/" in (root / ".gitignore").read_text().splitlines()
