"""Locking: idle time, suspend and session signals; the key goes and no client detail stays."""

from __future__ import annotations

import shutil
import subprocess
import threading

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from liaison_desktop.ui.lock import (
    DEFAULT_IDLE_MINUTES,
    IDLE_MINUTES_KEY,
    IdleTimer,
    LockReason,
    idle_minutes,
)
from liaison_desktop.ui.shell import Page
from tests.ui.conftest import all_texts, save_screenshot
from tests.ui.test_shell import unlock, wait_page


def unlocked_shell(qtbot, make_shell, info, **kwargs):
    shell = make_shell(info.data_dir, **kwargs)
    shell.start()
    unlock(qtbot, shell, info.passphrase)
    qtbot.waitUntil(lambda: all(n in all_texts(shell) for n in info.client_names))
    return shell


def assert_nothing_of_clients(shell, names) -> None:
    """No name in any visible widget, nor anywhere in the (hidden) workspace view."""
    text = all_texts(shell, visible_only=True) + all_texts(shell.workspace_view, windows=False)
    leaked = [n for n in names if n in text or n.split()[1] in text]
    assert not leaked, f"client names still on screen: {len(leaked)}"


def test_idle_lock_drops_key_and_hides_every_client_detail(
    qtbot, make_shell, store_with_clients, ops
):
    info = store_with_clients
    shell = unlocked_shell(qtbot, make_shell, info)
    services = ops.services
    assert services is not None and services.store.is_open

    # Something the user left open: a dialog and a context menu showing a client's name.
    box = QMessageBox(QMessageBox.Icon.Question, "Dossier", info.client_names[0], parent=shell)
    box.open()
    menu = QMenu(shell)
    menu.addAction(f"Open {info.client_names[1]}")
    menu.popup(shell.mapToGlobal(QPoint(50, 50)))
    shell.statusBar().showMessage(f"Opgeslagen: {info.client_names[2]}")
    QApplication.clipboard().setText(info.client_names[0])
    qtbot.waitUntil(lambda: box.isVisible() and menu.isVisible())

    shell.app_lock.idle.set_interval_ms(200)
    with qtbot.waitSignal(shell.app_lock.sig_locked, timeout=5_000) as locked:
        pass
    assert locked.args == [LockReason.IDLE]
    assert shell.page is Page.UNLOCK
    qtbot.waitUntil(lambda: ops.services is None)
    assert not services.store.is_open  # key wiped, connections closed
    assert not box.isVisible() and not menu.isVisible()
    assert info.client_names[0] not in QApplication.clipboard().text()
    assert shell.workspace_view.clears == 1
    assert_nothing_of_clients(shell, info.client_names)
    assert "een tijdje niets" in shell.unlock_page.reason.text()
    save_screenshot(shell, "lock_screen")

    # Unlocking brings everything back.
    unlock(qtbot, shell, info.passphrase)
    qtbot.waitUntil(lambda: info.client_names[0] in all_texts(shell))


def test_results_of_work_queued_before_locking_are_discarded(
    qtbot, make_shell, store_with_clients, ops
):
    info = store_with_clients
    shell = unlocked_shell(qtbot, make_shell, info)
    gate = threading.Event()
    delivered = []

    def slow_read(services, _state):
        gate.wait(5)
        return [row.client_name for row in services.caseload()]

    ops.run(slow_read, success=delivered.append)
    shell.lock()
    gate.set()
    qtbot.waitUntil(lambda: ops.services is None and not ops.busy)
    assert delivered == []  # the read ran (before the key went) but reached no widget
    assert_nothing_of_clients(shell, info.client_names)


def test_lock_completes_even_when_a_view_fails_to_clear(qtbot, make_shell, store_with_clients, ops):
    shell = unlocked_shell(qtbot, make_shell, store_with_clients)

    def broken() -> None:
        raise RuntimeError("view bug")

    shell.workspace_view.clear_sensitive = broken
    with pytest.raises(RuntimeError):
        shell.app_lock.lock()
    assert shell.page is Page.UNLOCK  # the workspace page is hidden first
    qtbot.waitUntil(lambda: ops.services is None)


def test_input_restarts_the_idle_timer(qtbot, ui_settings):
    idle = IdleTimer(ui_settings)
    idle.set_interval_ms(60_000)
    idle.arm()
    try:
        before = idle.activity_count
        idle._last_restart = 0.0  # as if the last input was long ago
        widget = QMessageBox()
        qtbot.addWidget(widget)
        widget.show()
        qtbot.keyClick(widget, Qt.Key.Key_A)
        assert idle.activity_count > before
        idle.disarm()
        count = idle.activity_count
        idle._last_restart = 0.0
        qtbot.keyClick(widget, Qt.Key.Key_B)
        assert idle.activity_count == count  # not watching while locked
    finally:
        idle.disarm()


@pytest.mark.parametrize(
    ("stored", "minutes"),
    [
        (None, DEFAULT_IDLE_MINUTES),
        (2, 2),
        ("15", 15),
        ("abc", DEFAULT_IDLE_MINUTES),
        (0, 1),
        (999, 120),
    ],
)
def test_idle_minutes_setting(ui_settings, stored, minutes):
    if stored is not None:
        ui_settings.setValue(IDLE_MINUTES_KEY, stored)
    assert idle_minutes(ui_settings) == minutes
    assert IdleTimer(ui_settings).interval_ms == minutes * 60_000


def test_suspend_reported_by_qt_locks(qtbot, make_shell, store_with_clients, ops):
    shell = unlocked_shell(qtbot, make_shell, store_with_clients)
    assert "application-state" in shell.app_lock.watch_system()
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationSuspended)
    assert shell.page is Page.UNLOCK
    assert "slaapstand" in shell.unlock_page.reason.text()
    qtbot.waitUntil(lambda: ops.services is None)


@pytest.fixture
def private_bus():
    """A throw-away D-Bus daemon; yields (listening connection, sending connection)."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon not installed")
    from PySide6.QtDBus import QDBusConnection

    proc = subprocess.Popen(
        ["dbus-daemon", "--session", "--print-address=1", "--nofork"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        address = proc.stdout.readline().strip()
        listen = QDBusConnection.connectToBus(address, f"liaison-test-listen-{proc.pid}")
        send = QDBusConnection.connectToBus(address, f"liaison-test-send-{proc.pid}")
        if not (listen.isConnected() and send.isConnected()):
            pytest.skip("private D-Bus daemon not reachable")
        yield listen, send
        QDBusConnection.disconnectFromBus(listen.name())
        QDBusConnection.disconnectFromBus(send.name())
    finally:
        proc.terminate()
        proc.wait(5)


@pytest.mark.parametrize(
    ("interface", "member", "args", "reason"),
    [
        ("org.freedesktop.login1.Manager", "PrepareForSleep", [True], "slaapstand"),
        ("org.freedesktop.login1.Session", "Lock", [], "scherm"),
        ("org.freedesktop.ScreenSaver", "ActiveChanged", [True], "scherm"),
    ],
)
def test_dbus_sleep_and_session_lock_signals_lock(
    qtbot, make_shell, store_with_clients, ops, private_bus, interface, member, args, reason
):
    from PySide6.QtDBus import QDBusMessage

    listen, send = private_bus
    shell = unlocked_shell(qtbot, make_shell, store_with_clients)
    sources = shell.app_lock.watch_system(session_bus=listen, system_bus=listen)
    assert {"logind-sleep", "logind-lock", "screensaver"} <= set(sources)

    message = QDBusMessage.createSignal("/org/freedesktop/test", interface, member)
    message.setArguments(args)
    assert send.send(message)
    wait_page(qtbot, shell, Page.UNLOCK, timeout=5_000)
    assert reason in shell.unlock_page.reason.text()
    qtbot.waitUntil(lambda: ops.services is None)


def test_waking_up_does_not_lock(qtbot, make_shell, store_with_clients, private_bus):
    from PySide6.QtDBus import QDBusMessage

    listen, send = private_bus
    shell = unlocked_shell(qtbot, make_shell, store_with_clients)
    shell.app_lock.watch_system(session_bus=listen, system_bus=listen)
    message = QDBusMessage.createSignal("/", "org.freedesktop.login1.Manager", "PrepareForSleep")
    message.setArguments([False])
    with qtbot.waitSignal(
        shell.app_lock.system.sig_lock_requested, timeout=500, raising=False
    ) as got:
        send.send(message)
    assert not got.signal_triggered
    assert shell.page is Page.WORKSPACE


def test_real_workspace_view_hides_clients_on_lock(qtbot, make_shell, store_with_clients, ops):
    pytest.importorskip("liaison_desktop.ui.workspace_view")
    from liaison_desktop.ui.shell import default_workspace_factory

    info = store_with_clients
    shell = make_shell(info.data_dir, workspace_factory=default_workspace_factory)
    shell.start()
    unlock(qtbot, shell, info.passphrase)
    qtbot.waitUntil(lambda: info.client_names[0] in all_texts(shell), timeout=10_000)
    shell.lock()
    qtbot.waitUntil(lambda: ops.services is None)
    assert_nothing_of_clients(shell, info.client_names)
