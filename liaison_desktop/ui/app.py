"""The QApplication: names for QSettings, translations, style and palette, logging, the error hook.

Errors are logged without client data: a log line holds the exception's type and the
function names and line numbers of its traceback, never the exception message or local
variables (messages may quote what the user typed).
"""

from __future__ import annotations

import logging
import logging.handlers
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from liaison_desktop import __version__
from liaison_desktop.domain.errors import DomainError
from liaison_desktop.store.errors import StoreError
from liaison_desktop.store.keys import KeyStoreError
from liaison_desktop.ui import i18n
from liaison_desktop.ui.ops import CancelledError, LockedError

log = logging.getLogger(__name__)

APP_NAME = "Liaison Desktop"
ORG_NAME = "Liaison"
DESKTOP_FILE = "liaison-desktop"
LOG_NAME = "liaison-desktop.log"
_LOG_BYTES = 1_000_000
_LOG_BACKUPS = 3
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
GUI_SWITCH_INTERVAL_S = 0.001
"""sys.setswitchinterval for the app (Python's default is 0.005); see create_application."""


# --------------------------------------------------------------------------- application


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, set up once: names, high DPI, Fusion style, palette, language.

    Reuses an existing instance (tests). Call from the main thread before any widget exists.
    """
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Qt 6 always scales for high DPI; pass fractional factors through (125 %, 150 %)
        # instead of rounding, so text and layouts stay crisp and proportional.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(list(argv or [APP_NAME]))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE)
    app.setStyle("Fusion")
    follow_system_color_scheme(app)
    i18n.install(app, i18n.language_from_settings(QSettings()))
    # Every Python callback on the GUI thread (slots, the idle timer's application-wide
    # event filter, model data()) must take the GIL from the DB worker; with the default
    # 5 ms switch interval a busy worker held the window up to ~90 ms at a time while it
    # loaded a 10,000-row caseload. The worker only gives the GIL up when asked, so an idle
    # GUI thread costs it nothing.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    return app


def quit_on_signals(app: QApplication) -> None:
    """Ctrl+C and SIGTERM end the event loop normally, so the key is dropped and demo data removed.

    Python runs signal handlers only between bytecodes; a slow no-op timer gives it a chance
    while Qt's event loop waits in C++.
    """
    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_args: app.quit())
    timer = QTimer(app)
    timer.setInterval(500)
    timer.timeout.connect(lambda: None)
    timer.start()


def default_data_dir() -> Path:
    """The platform's per-user data folder (call after :func:`create_application`)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path.home() / ".liaison-desktop"


def default_log_dir() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return (Path(location) if location else Path.home() / ".liaison-desktop") / "logs"


# --------------------------------------------------------------------------- palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    """A dark palette for Fusion, for platforms whose theme reports dark but gives a light one."""
    p = QPalette()
    base, window, text = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#e8e8e8")
    disabled = QColor("#7f8287")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#26282b"),
        QPalette.ColorRole.ToolTipBase: QColor("#3c3f41"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#9da0a4"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#35383c"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Light: QColor("#45484d"),
        QPalette.ColorRole.Midlight: QColor("#3a3d41"),
        QPalette.ColorRole.Mid: QColor("#2f3134"),
        QPalette.ColorRole.Dark: QColor("#1a1b1d"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
        QPalette.ColorRole.Highlight: QColor("#3d7dd8"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#7fb2ff"),
        QPalette.ColorRole.LinkVisited: QColor("#c39bff"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def apply_color_scheme(app: QApplication, scheme: Qt.ColorScheme | None = None) -> None:
    """Use the platform palette; fill in a dark one when the system is dark but the theme is not.

    Qt 6.5+ reports the system's choice in ``QStyleHints.colorScheme``. Windows and macOS
    themes then supply a matching palette; some Linux themes do not, which is what the
    fallback is for.
    """
    scheme = app.styleHints().colorScheme() if scheme is None else scheme
    app.setPalette(QPalette())  # back to the platform theme's palette
    if scheme == Qt.ColorScheme.Dark and not is_dark(app.palette()):
        app.setPalette(dark_palette())


def follow_system_color_scheme(app: QApplication) -> None:
    apply_color_scheme(app)
    app.styleHints().colorSchemeChanged.connect(lambda scheme: apply_color_scheme(app, scheme))


def error_colour(palette: QPalette) -> QColor:
    """A red with enough contrast on the palette's window colour."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


# --------------------------------------------------------------------------- logging


def configure_logging(log_dir: Path) -> Path:
    """Log to a rotating file in ``log_dir`` (created owner-only); returns the file's path."""
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=_LOG_BYTES, backupCount=_LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)  # libraries (alembic) only when something is wrong
    logging.getLogger("liaison_desktop").setLevel(logging.INFO)
    return path


def _frame_file(filename: str) -> str:
    """A short, user-independent file name: relative to the package or site-packages."""
    path = Path(filename)
    for base in (_PACKAGE_ROOT, *(Path(p) for p in sys.path if "site-packages" in p)):
        try:
            return path.resolve().relative_to(base).as_posix()
        except (ValueError, OSError):
            continue
    return path.name


def safe_traceback(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """Type and frames (file, line, function) only: no message, no source text, no locals.

    Chained causes are included the same way.
    """
    lines = [f"{exc_type.__module__}.{exc_type.__qualname__}"]
    for frame in traceback.extract_tb(tb):
        lines.append(
            f'  File "{_frame_file(frame.filename)}", line {frame.lineno}, in {frame.name}'
        )
    return "\n".join(lines)


def safe_report(exc: BaseException) -> str:
    """:func:`safe_traceback` for an exception and its causes."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(parts) < 5:
        seen.add(id(current))
        parts.append(safe_traceback(type(current), current.__traceback__))
        current = current.__cause__ or current.__context__
    return "\nCaused while handling:\n".join(parts)


# --------------------------------------------------------------------------- error dialogs


def _user_message(exc: BaseException) -> str | None:
    """The message of an error meant for the user (Dutch, never client data), else None."""
    if isinstance(exc, DomainError):
        return i18n.domain_text(exc.message)
    if isinstance(exc, StoreError | KeyStoreError):
        return i18n.domain_text(str(exc))
    return None


class ErrorReporter(QObject):
    """Shows a Dutch dialog for unexpected errors and logs them without client data.

    The app keeps running after the dialog, so whatever the user was typing stays where it
    was. Install with :meth:`install`; call from any thread (dialogs open on the GUI thread).
    """

    sig_error_reported = Signal(str)
    """Emitted on the GUI thread with the exception's type name after it was logged."""

    _sig_show = Signal(str, bool)  # text, unexpected

    def __init__(self, log_file: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.dialog: QMessageBox | None = None
        self._previous_hooks: tuple | None = None
        self._sig_show.connect(self._show)

    def install(self) -> None:
        """Route uncaught exceptions of every thread here (sys and threading hooks)."""
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle_exception
        threading.excepthook = lambda a: self.handle_exception(
            a.exc_type, a.exc_value or a.exc_type(), a.exc_traceback
        )

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None

    def handle_exception(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """The exception hook: log safely, then show the dialog (Ctrl+C still quits)."""
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        try:
            exc = exc if exc.__traceback__ is not None else exc.with_traceback(tb)
            log.error("unexpected error:\n%s", safe_report(exc))
        except Exception:  # noqa: BLE001 - the hook must never raise
            log.error("unexpected error: %s", exc_type.__qualname__)
        self._sig_show.emit(exc_type.__qualname__, True)

    def handle_operation_error(self, exc: BaseException) -> None:
        """For ``Ops.sig_error``: an operation failed and nobody handled it."""
        if isinstance(exc, LockedError | CancelledError):
            return
        message = _user_message(exc)
        if message is not None:
            log.info("operation refused: %s", type(exc).__qualname__)
            self._sig_show.emit(message, False)
        else:
            self.handle_exception(type(exc), exc, exc.__traceback__)

    def _show(self, text: str, unexpected: bool) -> None:
        if unexpected:
            self.sig_error_reported.emit(text)
        if self.dialog is not None and self.dialog.isVisible():
            return  # one dialog at a time; the log has every error
        parent = QApplication.activeWindow()
        box = QMessageBox(parent if isinstance(parent, QWidget) else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        if unexpected:
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(self.tr("Er ging iets mis"))
            box.setText(self.tr("Er is een onverwachte fout opgetreden."))
            info = self.tr(
                "Wat je al had opgeslagen is veilig, en wat je aan het typen was staat nog in "
                "het venster: sla het op zodra het kan. Blijft dit gebeuren, geef dan het "
                "foutlogboek aan je functioneel beheerder. Daarin staan geen cliëntgegevens."
            )
            if self.log_file is not None:
                info += "\n\n" + self.tr("Foutlogboek: %1").replace("%1", str(self.log_file))
            box.setInformativeText(info)
        else:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Dit lukte niet"))
            box.setText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAccessibleName(box.windowTitle())
        self.dialog = box
        box.open()
