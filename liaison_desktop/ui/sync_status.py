"""The sync status indicator in the status bar, and the controller that decides when to sync.

Sync runs as an operation on the app's database worker (``ui/ops.py``), never on the GUI
thread: on a timer, on demand ("Nu synchroniseren", Ctrl+Shift+S), and when the network comes
back (``QNetworkInformation`` where the platform has a backend, else the timer alone). After a
failure the next try backs off (1 s doubling to 5 min); offline is a normal state, not an error.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from liaison_desktop.ui.ops import Ops, TaskState

if TYPE_CHECKING:
    from liaison_desktop.services.api import Services

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 5 * 60 * 1000
FIRST_SYNC_DELAY_MS = 3000


class SyncPhase(enum.Enum):
    NOT_ENROLLED = "not_enrolled"
    IDLE = "idle"
    SYNCING = "syncing"
    OFFLINE = "offline"
    ERROR = "error"


@dataclass(frozen=True)
class SyncView:
    """What the indicator shows (built on the GUI thread from worker results)."""

    phase: SyncPhase
    pending: int = 0
    last_sync_at: datetime | None = None
    error: str | None = None
    skew_warning: str | None = None
    done: int = 0
    total: int = 0


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).astimezone()
    except ValueError:
        return None


def _read_status(services: Services, _state: TaskState) -> Any:
    from liaison_desktop.services import sync as syncsvc

    return syncsvc.status(services)


def _run_sync(services: Services, state: TaskState) -> Any:
    """On the worker: one sync; returns a Result (its Changes refresh the views)."""
    from liaison_desktop.services import enrolment
    from liaison_desktop.services import sync as syncsvc
    from liaison_desktop.services.api import Result
    from liaison_desktop.sync.transport import DeviceRevoked

    with enrolment.server_client(services) as client:
        try:
            summary = syncsvc.sync_once(services, client, state=state)
        except DeviceRevoked:
            raise enrolment.mark_revoked(services) from None
    return Result(summary, summary.changes)


class SyncController(QObject):
    """When to sync. Create on the GUI thread; ``start()`` after unlocking, ``stop()`` on lock."""

    sig_view_changed = Signal(object)
    """Emitted on the GUI thread with a new :class:`SyncView`."""

    sig_revoked = Signal(object)
    """Emitted on the GUI thread with the DeviceRevokedError when the server revoked the laptop."""

    def __init__(
        self,
        ops: Ops,
        *,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        sync_fn: Callable[[Services, TaskState], Any] = _run_sync,
        backoff: Callable[[int], float] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._sync_fn = sync_fn
        self._interval_ms = interval_ms
        self._backoff = backoff
        self._running = False
        self._active = False
        self._failures = 0
        self._task: Any = None
        self.view = SyncView(SyncPhase.NOT_ENROLLED)
        self._enrolled = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._network: Any = None
        ops.sig_changes.connect(self._on_local_changes)
        self._watch_network()

    # -- GUI thread ----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """The store is unlocked: read the status, sync soon and then on the timer."""
        self._active = True
        self._failures = 0
        self.refresh_status(then_sync=True)

    def stop(self) -> None:
        """Locking: no more syncs; a running one is asked to stop."""
        self._active = False
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()
        self._set(SyncView(SyncPhase.NOT_ENROLLED))

    def sync_now(self) -> None:
        """Sync now (ignored while a sync runs, when locked, or when not enrolled)."""
        if not self._active or self._running or not self._enrolled:
            return
        self._timer.stop()
        self._running = True
        self._set(
            SyncView(
                SyncPhase.SYNCING,
                self.view.pending,
                self.view.last_sync_at,
                skew_warning=self.view.skew_warning,
            )
        )
        self._task = self._ops.run(
            self._sync_fn,
            success=self._on_synced,
            failure=self._on_failed,
            progress=self._on_progress,
        )

    def refresh_status(self, *, then_sync: bool = False) -> None:
        if not self._active:
            return

        def done(status: Any) -> None:
            self._enrolled = status.enrolled
            if not status.enrolled:
                self._set(SyncView(SyncPhase.NOT_ENROLLED, status.pending))
                return
            if not self._running and self.view.phase not in (SyncPhase.OFFLINE, SyncPhase.ERROR):
                self._set(
                    SyncView(
                        SyncPhase.IDLE,
                        status.pending,
                        _parse_time(status.last_sync_at),
                        skew_warning=status.skew_warning,
                    )
                )
            elif not self._running:
                self._set(_replace(self.view, pending=status.pending))
            if then_sync:
                self._schedule(FIRST_SYNC_DELAY_MS)

        self._ops.run(_read_status, success=done, failure=lambda _e: None)

    # -- internals -----------------------------------------------------------------------

    def _set(self, view: SyncView) -> None:
        self.view = view
        self.sig_view_changed.emit(view)

    def _schedule(self, delay_ms: int) -> None:
        if self._active:
            self._timer.start(max(0, int(delay_ms)))

    def _on_progress(self, done: int, total: int, _text: str) -> None:
        self._set(_replace(self.view, done=done, total=total))

    def _on_synced(self, result: Any) -> None:
        self._running = False
        self._task = None
        self._failures = 0
        summary = result.value
        self._set(
            SyncView(
                SyncPhase.IDLE,
                summary.pending,
                datetime.now().astimezone(),
                skew_warning=summary.skew_warning,
            )
        )
        self._schedule(self._interval_ms)

    def _on_failed(self, exc: BaseException) -> None:
        from liaison_desktop.services import enrolment
        from liaison_desktop.services import sync as syncsvc
        from liaison_desktop.sync.transport import ServerUnreachable, TransportError

        self._running = False
        self._task = None
        if isinstance(exc, enrolment.DeviceRevokedError):
            self._active = False
            self.sig_revoked.emit(exc)
            return
        if isinstance(exc, syncsvc.SyncCancelled):
            return
        self._failures += 1
        if isinstance(exc, ServerUnreachable):
            view = SyncView(SyncPhase.OFFLINE, self.view.pending, self.view.last_sync_at)
        else:
            message = getattr(exc, "message", None)
            if message is None and isinstance(exc, TransportError):
                message = str(exc)
            log.info("sync failed: %s", type(exc).__name__)
            view = SyncView(
                SyncPhase.ERROR,
                self.view.pending,
                self.view.last_sync_at,
                error=message or type(exc).__name__,
            )
        self._set(view)
        delay = (self._backoff or syncsvc.backoff_delay)(self._failures)
        self._schedule(min(self._interval_ms, delay * 1000))
        self.refresh_status()

    def _on_local_changes(self, _changes: Any) -> None:
        if self._active and not self._running:
            self.refresh_status()

    def _watch_network(self) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except Exception:  # noqa: BLE001 - no backend: the timer alone decides
            return
        if info is None:
            return
        self._network = info
        info.reachabilityChanged.connect(self._on_reachability)

    def _on_reachability(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability in (
            QNetworkInformation.Reachability.Online,
            QNetworkInformation.Reachability.Site,
        ):
            self._failures = 0
            self._schedule(500)


def _replace(view: SyncView, **kw: Any) -> SyncView:
    import dataclasses

    return dataclasses.replace(view, **kw)


class SyncStatusWidget(QWidget):
    """The indicator: a line of text, a progress bar during a long sync, and a sync button."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.label = QLabel(self)
        self.label.setObjectName("sync_status_label")
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(self.fontMetrics().horizontalAdvance("n") * 10)
        self.progress.hide()
        self.button = QToolButton(self)
        self.sync_action = QAction(self)
        self.sync_action.setObjectName("action_sync_now")
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.sync_action.triggered.connect(controller.sync_now)
        self.button.setDefaultAction(self.sync_action)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        layout.addWidget(self.button)
        controller.sig_view_changed.connect(self.show_view)
        self._retranslate()
        self.show_view(controller.view)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.sync_action.setText(self.tr("Nu synchroniseren"))
        self.sync_action.setToolTip(
            self.tr("Wijzigingen nu uitwisselen met de server (Ctrl+Shift+S)")
        )
        self.progress.setAccessibleName(self.tr("Voortgang van de synchronisatie"))
        self.show_view(self.controller.view)

    def _pending_text(self, n: int) -> str:
        if n == 0:
            return self.tr("alles verstuurd")
        return self.tr("%n wijziging(en) wachten", "", n)

    def show_view(self, view: SyncView) -> None:
        phase = view.phase
        self.setVisible(phase is not SyncPhase.NOT_ENROLLED)
        self.sync_action.setEnabled(phase not in (SyncPhase.SYNCING, SyncPhase.NOT_ENROLLED))
        last = (
            self.tr("laatst om %1").replace("%1", view.last_sync_at.strftime("%H:%M"))
            if view.last_sync_at
            else self.tr("nog niet gesynchroniseerd")
        )
        pending = self._pending_text(view.pending)
        tip = ""
        if phase is SyncPhase.SYNCING:
            text = self.tr("Synchroniseren…")
            self.progress.show()
            if view.total > 0:
                self.progress.setRange(0, view.total)
                self.progress.setValue(min(view.done, view.total))
            else:
                self.progress.setRange(0, 0)
        else:
            self.progress.hide()
            if phase is SyncPhase.OFFLINE:
                text = self.tr("Offline · %1").replace("%1", pending)
                tip = self.tr(
                    "De server is nu niet bereikbaar. Je kunt gewoon doorwerken; wijzigingen "
                    "worden verstuurd zodra er weer verbinding is."
                )
            elif phase is SyncPhase.ERROR:
                text = self.tr("Synchronisatie mislukt · %1").replace("%1", pending)
                tip = view.error or ""
            else:
                text = (
                    self.tr("Gesynchroniseerd, %1 · %2").replace("%1", last).replace("%2", pending)
                )
        if view.skew_warning:
            text += self.tr(" · klok wijkt af")
            tip = (tip + "\n" if tip else "") + view.skew_warning
        self.label.setText(text)
        self.label.setToolTip(tip)
        self.setProperty("sync_phase", phase.value)


class ConflictList(QWidget):
    """Values that lost a sync conflict in one client's file, each restorable.

    Create and call on the GUI thread; reading and restoring run on the database worker.
    """

    sig_count_changed = Signal(int)
    """Emitted on the GUI thread with the number of open (not restored) conflicts shown."""

    sig_restored = Signal(str)
    """Emitted on the GUI thread after a restore, with the client id (reopen the file)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QListWidget, QPushButton, QVBoxLayout

        super().__init__(parent)
        self._ops = ops
        self._client_id: str | None = None
        self._items: list[Any] = []
        self._epoch = 0
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.restore_button = QPushButton(self)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.list.currentRowChanged.connect(self._on_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "Deze waarden zijn op twee laptops tegelijk gewijzigd; de nieuwste wijziging "
                "geldt. De andere waarde is hier bewaard en kan worden teruggezet."
            )
        )
        self.restore_button.setText(self.tr("&Herstellen"))
        self.list.setAccessibleName(self.tr("Bewaarde waarden na een synchronisatieconflict"))
        self._fill()

    def _field_label(self, table: str, field: str) -> str:
        labels = {
            "first_name": self.tr("Voornaam"),
            "last_name": self.tr("Achternaam"),
            "date_of_birth": self.tr("Geboortedatum"),
            "bsn": self.tr("BSN"),
            "address": self.tr("Adres"),
            "phone": self.tr("Telefoon"),
            "email": self.tr("E-mail"),
            "name": self.tr("Naam"),
            "note": self.tr("Notitie"),
            "question": self.tr("Hulpvraag"),
            "status": self.tr("Status"),
            "title": self.tr("Titel"),
        }
        return labels.get(field, field)

    def set_client(self, client_id: str) -> None:
        """Load the conflicts of this client (on the worker)."""
        self._client_id = client_id
        self._epoch += 1
        epoch = self._epoch

        def load(services: Services, _state: TaskState) -> Any:
            from liaison_desktop.services import sync as syncsvc

            return syncsvc.conflicts_of(services, client_id)

        def show(items: Any) -> None:
            if epoch == self._epoch:
                self._items = [i for i in items if not i.resolved]
                self._fill()

        self._ops.run(load, success=show, failure=lambda _e: None)

    def clear(self) -> None:
        self._epoch += 1
        self._client_id = None
        self._items = []
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for item in self._items:
            value = "" if item.value is None else str(item.value)
            when = item.lost_at.astimezone().strftime("%d-%m-%Y %H:%M")
            self.list.addItem(
                self.tr("%1: „%2” (gewijzigd op %3)")
                .replace("%1", self._field_label(item.table, item.field))
                .replace("%2", value)
                .replace("%3", when)
            )
        self.restore_button.setEnabled(False)
        self.sig_count_changed.emit(len(self._items))

    def _on_row(self, row: int) -> None:
        self.restore_button.setEnabled(0 <= row < len(self._items))

    def restore_selected(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._items) or self._client_id is None:
            return
        conflict_id = self._items[row].id
        client_id = self._client_id

        def restore(services: Services, _state: TaskState) -> Any:
            from liaison_desktop.services import sync as syncsvc

            return syncsvc.restore_conflict(services, conflict_id)

        self.restore_button.setEnabled(False)
        self._ops.run(restore, success=lambda _c: self.sig_restored.emit(client_id))
