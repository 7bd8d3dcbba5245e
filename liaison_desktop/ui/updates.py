"""What IT provisioned, in the UI: enforced settings, and the non-modal update notice.

:func:`apply_provisioned_settings` writes IT's values into QSettings at start (locked ones
every time, the others only as a first default). :func:`install_update_check` asks the
central endpoint for the signed manifest in the background and shows the result in a small
bar in the status bar; the professional can download the build, which is kept only when
its length and SHA-256 match the signed manifest. GUI thread, except the workers inside.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

from liaison_desktop.ui import i18n
from liaison_desktop.ui.lock import IDLE_MINUTES_KEY

if TYPE_CHECKING:
    # Imported where used: the check pulls in cryptography and the HTTP client, which the
    # unlock screen does not need (bootstrap keeps them off the start-up path).
    from liaison_desktop.services import updates
    from liaison_desktop.services.provisioning import Provisioning

log = logging.getLogger(__name__)

QT_KEYS = {"idle_minutes": IDLE_MINUTES_KEY, "language": i18n.LANGUAGE_KEY}
"""Provisioning's setting names -> the QSettings keys the app reads."""
HIGHEST_SEEN_KEY = "updates/highest_seen_version"
CHECK_DELAY_MS = 4000
"""After start: the unlock screen and the first paint come first."""


def apply_provisioned_settings(settings: QSettings, provisioning: Provisioning) -> list[str]:
    """Write IT's values; returns the QSettings keys that changed."""
    changed = []
    for name, value in provisioning.settings.items():
        key = QT_KEYS.get(name)
        if key is None:
            continue
        if provisioning.is_locked(name) or not settings.contains(key):
            if str(settings.value(key)) != str(value):
                changed.append(key)
            settings.setValue(key, value)
    return changed


class _Relay(QObject):
    sig_result = Signal(object)
    """Emitted from a worker thread; delivered queued on the GUI thread."""


def _in_background(parent: QObject, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
    relay = _Relay(parent)
    relay.sig_result.connect(done)

    def run() -> None:
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - shown to the user, never raised in Qt
            result = exc
        relay.sig_result.emit(result)

    threading.Thread(target=run, name="liaison-update", daemon=True).start()


class UpdateNotice(QFrame):
    """A small, dismissable bar: a newer signed build, or why an offer was refused."""

    sig_finished = Signal()
    """Emitted on the GUI thread when a check or a download has been shown."""

    def __init__(
        self,
        provisioning: Provisioning,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        **check_options: Any,
    ) -> None:
        super().__init__(parent)
        self._provisioning = provisioning
        self._settings = settings
        self._check_options = check_options
        self._check: updates.UpdateCheck | None = None
        self._download: Path | Exception | None = None
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(False)
        self.download_button = QPushButton(self)
        self.close_button = QPushButton(self)
        self.close_button.setFlat(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.download_button)
        layout.addWidget(self.close_button)
        self.download_button.clicked.connect(self.start_download)
        self.close_button.clicked.connect(self.hide)
        self.hide()
        self._retranslate()

    @property
    def check(self) -> updates.UpdateCheck | None:
        return self._check

    def start_check(self) -> None:
        from liaison_desktop.services import updates

        options = dict(self._check_options)
        settings = self._seen_settings()
        seen = settings.value(HIGHEST_SEEN_KEY)
        options.setdefault("highest_seen", str(seen) if seen else None)
        _in_background(
            self, lambda: updates.check_for_update(self._provisioning, **options), self._show
        )

    def _seen_settings(self) -> QSettings:
        return self._settings if self._settings is not None else QSettings()

    def start_download(self) -> None:
        from liaison_desktop.services import updates

        if self._check is None or self._check.offer is None:
            return
        offer = self._check.offer
        folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
            or Path.home()
        )
        self.download_button.setEnabled(False)
        self.label.setText(
            self.tr("Versie %1 wordt gedownload en gecontroleerd…").replace("%1", offer.version)
        )
        _in_background(self, lambda: updates.download(offer, folder), self._downloaded)

    def _show(self, check: updates.UpdateCheck | Exception | None) -> None:
        if isinstance(check, Exception):
            log.warning("update check failed: %s", type(check).__name__)
            check = None
        self._check = check
        if check is not None and check.offer is not None:
            # Remembered so that an older (still validly signed) manifest is refused later.
            self._seen_settings().setValue(HIGHEST_SEEN_KEY, check.offer.version)
        self._retranslate()
        self.sig_finished.emit()

    def _downloaded(self, result: Path | Exception) -> None:
        self._download = result
        self._retranslate()
        self.sig_finished.emit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.close_button.setText(self.tr("Sluiten"))
        self.close_button.setAccessibleName(self.tr("Melding over updates sluiten"))
        self.download_button.setText(self.tr("Downloaden"))
        check = self._check
        if check is None or (check.offer is None and check.refused is None):
            # Nothing new, or offline (normal on a practice network): stay out of the way.
            self.hide()
            return
        self.download_button.setVisible(check.offer is not None and self._download is None)
        if isinstance(self._download, Path):
            text = (
                self.tr("Versie %1 is gedownload en gecontroleerd: %2")
                .replace("%1", check.offer.version if check.offer else "")
                .replace("%2", str(self._download))
            )
        elif isinstance(self._download, Exception):
            text = self.tr("De download is geweigerd: %1").replace(
                "%1", getattr(self._download, "message", type(self._download).__name__)
            )
        elif check.offer is not None:
            text = self.tr("Versie %1 van Liaison Desktop is beschikbaar.").replace(
                "%1", check.offer.version
            )
        else:
            text = self.tr("Een update is geweigerd: %1").replace("%1", check.refused or "")
        self.label.setText(text)
        self.label.setToolTip(text)
        self.show()


def install_update_check(
    window: QMainWindow,
    provisioning: Provisioning,
    *,
    delay_ms: int = CHECK_DELAY_MS,
    settings: QSettings | None = None,
    **check_options: Any,
) -> UpdateNotice | None:
    """Add the notice to the window's status bar and check after ``delay_ms``; None when
    provisioning does not ask for update checks (no server or no pinned key)."""
    if not provisioning.can_check_updates:
        return None
    notice = UpdateNotice(provisioning, window, settings=settings, **check_options)
    window.statusBar().addWidget(notice, 1)
    QTimer.singleShot(delay_ms, notice.start_check)
    return notice
