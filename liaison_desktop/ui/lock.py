"""Locking: after idle time, on suspend or session lock, or on request; hides every client detail.

:class:`AppLock` owns the locked/unlocked state. Locking switches the window to the unlock
screen, asks every registered view to drop what it shows (``clear_sensitive()``), closes open
dialogs, menus and tool tips, empties the clipboard when it holds text copied in the app, and then has the
database worker drop the Services after the queued operations (``Ops.close``), which wipes
the key. Results of operations from before the lock are discarded, so nothing repopulates.

System signals are used where the platform reports them: Qt's application state
(``Suspended``), logind's ``PrepareForSleep`` and session ``Lock`` and the freedesktop/GNOME
screensaver on D-Bus (Linux), and ``WM_POWERBROADCAST``/``WM_WTSSESSION_CHANGE`` (Windows).
Each is optional; a missing bus or API never stops the app.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractNativeEventFilter,
    QCoreApplication,
    QEvent,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QToolTip, QWidget

from liaison_desktop.ui.ops import Ops

log = logging.getLogger(__name__)

IDLE_MINUTES_KEY = "security/idle_minutes"
DEFAULT_IDLE_MINUTES = 5
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 120

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)


class LockReason:
    """Why the app locked; the unlock screen explains it."""

    MANUAL = "manual"
    IDLE = "idle"
    SUSPEND = "suspend"
    SESSION = "session"
    REVOKED = "revoked"


class Sensitive(Protocol):
    def clear_sensitive(self) -> None: ...


def idle_minutes(settings: QSettings) -> int:
    """The configured idle time in minutes, clamped to a sane range (default 5)."""
    try:
        minutes = int(settings.value(IDLE_MINUTES_KEY, DEFAULT_IDLE_MINUTES))
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES
    return max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, minutes))


class IdleTimer(QObject):
    """Fires ``sig_idle`` after a period without keyboard, mouse or touch input.

    While armed, an application-wide event filter restarts the timer on input. GUI thread.
    """

    sig_idle = Signal()
    """Emitted on the GUI thread when the idle time has passed without input."""

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._armed = False
        self._last_restart = 0.0
        self.activity_count = 0
        """How often input restarted the timer (for tests and diagnostics)."""
        self.reload_settings()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval_ms(self, ms: int) -> None:
        """Override the interval (tests); restarts the timer when armed."""
        self._timer.setInterval(max(1, int(ms)))
        if self._armed:
            self._timer.start()

    def reload_settings(self) -> None:
        self.set_interval_ms(idle_minutes(self._settings) * 60_000)

    @property
    def armed(self) -> bool:
        return self._armed

    def arm(self) -> None:
        if not self._armed:
            self._armed = True
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
        self._timer.start()
        self._last_restart = time.monotonic()

    def disarm(self) -> None:
        self._timer.stop()
        if self._armed:
            self._armed = False
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self._armed and event.type() in _INPUT_EVENTS:
            now = time.monotonic()
            # Mouse moves come in floods; restarting at most every 1/10 of the interval
            # (max 1 s) costs nothing and makes the lock at most that much early.
            if (now - self._last_restart) * 1000 >= min(1000, self._timer.interval() / 10):
                self._last_restart = now
                self.activity_count += 1
                self._timer.start()
        return False

    def _on_timeout(self) -> None:
        if self._armed:
            self.sig_idle.emit()


class SystemLockWatcher(QObject):
    """Reports suspend and session lock where the platform tells us; see the module docstring."""

    sig_lock_requested = Signal(str)
    """Emitted on the GUI thread with a :class:`LockReason` when the system suspends or locks."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sources: list[str] = []
        self._native_filter: QAbstractNativeEventFilter | None = None

    def start(
        self,
        window: QWidget | None = None,
        *,
        session_bus: Any | None = None,
        system_bus: Any | None = None,
    ) -> list[str]:
        """Connect to whatever the platform offers; returns the names of the watched sources."""
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_application_state)
            self.sources.append("application-state")
        if sys.platform.startswith("linux") or session_bus is not None or system_bus is not None:
            self._watch_dbus(session_bus, system_bus)
        if sys.platform == "win32":
            self._watch_windows(window)
        return self.sources

    def stop(self) -> None:
        app = QCoreApplication.instance()
        if self._native_filter is not None and app is not None:
            app.removeNativeEventFilter(self._native_filter)
            self._native_filter = None

    # -- D-Bus (Linux) -------------------------------------------------------------------

    def _watch_dbus(self, session_bus: Any | None, system_bus: Any | None) -> None:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return
        try:
            system = system_bus if system_bus is not None else QDBusConnection.systemBus()
            session = session_bus if session_bus is not None else QDBusConnection.sessionBus()
            watches = [
                (system, "org.freedesktop.login1.Manager", "PrepareForSleep", "_on_prepare_for_sleep(bool)", "logind-sleep"),
                (system, "org.freedesktop.login1.Session", "Lock", "_on_session_lock()", "logind-lock"),
                (session, "org.freedesktop.ScreenSaver", "ActiveChanged", "_on_screensaver_active(bool)", "screensaver"),
                (session, "org.gnome.ScreenSaver", "ActiveChanged", "_on_screensaver_active(bool)", "gnome-screensaver"),
            ]  # fmt: skip
            for bus, interface, name, slot, label in watches:
                # Empty service and path: any sender, any object (the session's logind path
                # would need a blocking D-Bus call at start-up to look up).
                if bus.isConnected() and bus.connect("", "", interface, name, self, f"1{slot}"):
                    self.sources.append(label)
        except Exception:  # noqa: BLE001 - D-Bus is a nice-to-have, never a reason to crash
            log.info("D-Bus lock signals unavailable")

    @Slot(bool)
    def _on_prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.sig_lock_requested.emit(LockReason.SUSPEND)

    @Slot()
    def _on_session_lock(self) -> None:
        self.sig_lock_requested.emit(LockReason.SESSION)

    @Slot(bool)
    def _on_screensaver_active(self, active: bool) -> None:
        if active:
            self.sig_lock_requested.emit(LockReason.SESSION)

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            self.sig_lock_requested.emit(LockReason.SUSPEND)

    # -- Windows -------------------------------------------------------------------------

    def _watch_windows(self, window: QWidget | None) -> None:  # pragma: no cover - Windows
        try:
            self._native_filter = _WindowsLockFilter(self.sig_lock_requested.emit)
            QCoreApplication.instance().installNativeEventFilter(self._native_filter)
            self.sources.append("windows-power")
            if window is not None:
                import ctypes

                # Session lock messages are only sent to windows that register for them.
                ok = ctypes.windll.wtsapi32.WTSRegisterSessionNotification(int(window.winId()), 0)
                if ok:
                    self.sources.append("windows-session")
        except Exception:  # noqa: BLE001
            log.info("Windows lock notifications unavailable")


class _WindowsLockFilter(QAbstractNativeEventFilter):  # pragma: no cover - Windows only
    WM_POWERBROADCAST = 0x0218
    PBT_APMSUSPEND = 0x0004
    WM_WTSSESSION_CHANGE = 0x02B1
    WTS_SESSION_LOCK = 0x7

    def __init__(self, emit: Callable[[str], None]) -> None:
        super().__init__()
        self._emit = emit

    def nativeEventFilter(self, event_type: Any, message: Any) -> tuple[bool, int]:  # noqa: N802
        try:
            if bytes(event_type) != b"windows_generic_MSG":
                return False, 0
            from ctypes import wintypes

            msg = wintypes.MSG.from_address(int(message))
            if msg.message == self.WM_POWERBROADCAST and msg.wParam == self.PBT_APMSUSPEND:
                self._emit(LockReason.SUSPEND)
            elif msg.message == self.WM_WTSSESSION_CHANGE and msg.wParam == self.WTS_SESSION_LOCK:
                self._emit(LockReason.SESSION)
        except Exception:  # noqa: BLE001, S110 - never break the message loop
            pass
        return False, 0


def close_transient_windows(keep: QWidget | None) -> None:
    """Close every dialog, menu, pop-up and tool tip except ``keep`` (the main window).

    Dialogs are rejected, so code waiting in ``exec()`` sees "cancelled". A dialog that opens
    another on close (e.g. "discard changes?") is closed on the next pass.
    """
    QToolTip.hideText()
    for _ in range(5):
        open_windows = [
            w
            for w in QApplication.topLevelWidgets()
            if w is not keep and w.isVisible() and w.isWindow()
        ]
        if not open_windows:
            return
        for w in open_windows:
            if isinstance(w, QDialog):
                w.reject()
            else:
                w.close()


class ClipboardGuard(QObject):
    """Remembers whether the clipboard holds something copied in this app, to clear it on lock.

    ``QClipboard.ownsClipboard`` is not reported on every platform; a change made while the
    app is the active one counts as ours. Other programs' clipboard contents are left alone.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ours = False
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.dataChanged.connect(self._on_changed)

    def _on_changed(self) -> None:
        self._ours = (
            QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
            or QGuiApplication.clipboard().ownsClipboard()
        )

    def clear_if_ours(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and (self._ours or clipboard.ownsClipboard()):
            clipboard.clear()
        self._ours = False


class AppLock(QObject):
    """The locked/unlocked state: idle timer, system signals and the lock sequence. GUI thread."""

    sig_locked = Signal(str)
    """Emitted on the GUI thread with a :class:`LockReason` when locking starts (show the unlock
    screen in the slot); client details are cleared right after."""

    def __init__(
        self, ops: Ops, settings: QSettings, window: QWidget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._window = window
        self._sensitive: list[Sensitive] = []
        self._unlocked = False
        self.idle = IdleTimer(settings, self)
        self.idle.sig_idle.connect(lambda: self.lock(LockReason.IDLE))
        self.system = SystemLockWatcher(self)
        self.system.sig_lock_requested.connect(self.lock)
        self._clipboard = ClipboardGuard(self)

    def watch_system(self, **buses: Any) -> list[str]:
        """Start listening for suspend and session lock (after the window exists)."""
        return self.system.start(self._window, **buses)

    def add_sensitive(self, view: Sensitive) -> None:
        """Register something whose ``clear_sensitive()`` must run on every lock."""
        if view not in self._sensitive:
            self._sensitive.append(view)

    @property
    def unlocked(self) -> bool:
        return self._unlocked

    def set_unlocked(self) -> None:
        """Client data may now be shown: start the idle timer."""
        self._unlocked = True
        self.idle.arm()

    def lock(self, reason: str = LockReason.MANUAL) -> None:
        """Hide everything and drop the key; does nothing when already locked."""
        if not self._unlocked:
            return
        self._unlocked = False
        self.idle.disarm()
        log.info("locking (%s)", reason)
        try:
            self.sig_locked.emit(reason)
            for view in self._sensitive:
                view.clear_sensitive()
        finally:
            # Even when a view fails to clear itself, no dialog stays open and the key goes.
            close_transient_windows(self._window)
            self._clipboard.clear_if_ours()
            self._ops.close()
