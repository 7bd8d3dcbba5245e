"""The unlocked workspace: the caseload with the opened client file below it, and the week schedule."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from liaison_desktop.domain import model as dm
from liaison_desktop.services.api import CaseloadRow
from liaison_desktop.ui.agenda import AgendaDialog
from liaison_desktop.ui.caseload import CaseloadView
from liaison_desktop.ui.client_file import ClientFileView, NewClientDialog
from liaison_desktop.ui.dashboard import DashboardView
from liaison_desktop.ui.forms import (
    Banner,
    FormDialog,
    Level,
    StaleGuard,
    close_dialogs,
    plain,
    report_failure,
)
from liaison_desktop.ui.kept_text import KeptTextDialog, collect_form_texts
from liaison_desktop.ui.ops import Ops
from liaison_desktop.ui.privacy import AccessLogDialog, RetentionDialog, verify_chain
from liaison_desktop.ui.week_view import PlanConversationDialog, WeekView, plan_next_conversation


class WorkspaceView(QWidget):
    """The main content after unlock (the shell's contract).

    ``load()`` after unlock, ``clear_sensitive()`` on lock, ``actions()`` for the menu,
    ``has_unsaved_edits()`` before quitting. Create and call on the GUI thread.
    """

    SPLITTER_KEY = "workspace/splitter_state"

    def __init__(self, ops: Ops, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._settings = settings
        self._guard = StaleGuard()
        self._pending_contact_for: str | None = None
        self._language_changed = False
        self.banner = Banner(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self._make_parts()
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        state = settings.value(self.SPLITTER_KEY)
        self._splitter_restored = isinstance(state, QByteArray | bytes) and bool(
            self.splitter.restoreState(QByteArray(state))
        )
        self.splitter.splitterMoved.connect(self._save_splitter)
        # The week schedule sits in a tab beside the caseload; it loads when first shown.
        self.week = WeekView(self._ops, self)
        self.week.sig_client_open_requested.connect(self._open_from_week)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, "")
        self.tabs.addTab(self.week, "")
        # Overviews (team leader: the team; professional: own figures), fetched when shown.
        self.dashboard = DashboardView(self._ops, self)
        self._dashboard_loaded = False
        self.tabs.addTab(self.dashboard, "")
        self.tabs.currentChanged.connect(self._update_actions)
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self._make_actions()
        self._update_actions()

    def _make_parts(self, old: tuple[CaseloadView, ClientFileView] | None = None) -> None:
        """Create the caseload and file views; after a language change they take over the old
        ones' data, so nothing is read (or logged as opened) again."""
        self.caseload = CaseloadView(self._ops, self._settings, self)
        self.client_file = ClientFileView(self._ops, self)
        self.client_file.setVisible(False)
        if old is not None:
            self.caseload.adopt(old[0])
            self.client_file.adopt(old[1])
            self.client_file.setVisible(old[1].isVisible())
            sizes = self.splitter.sizes()
            for widget in old:
                widget.clear()  # no late result may reach the retired views
                widget.setParent(None)
                widget.deleteLater()
        self.splitter.insertWidget(0, self.caseload)
        self.splitter.insertWidget(1, self.client_file)
        if old is not None:
            self.splitter.setSizes(sizes)
        self.setFocusProxy(self.caseload)
        self.caseload.sig_client_open_requested.connect(self.open_client)
        self.caseload.sig_current_changed.connect(self._update_actions)
        self.client_file.sig_file_opened.connect(self._file_opened)
        self.client_file.sig_close_requested.connect(self._file_closed)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._language_changed = True
            QTimer.singleShot(0, self._retranslate)
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Show the new language: action texts at once; the views are rebuilt when nothing
        unsaved would be lost (else at the next unlock or lock)."""
        self._retranslate_actions()
        if not self._language_changed or self.has_unsaved_edits():
            return
        self._language_changed = False
        self.caseload.save_layout()
        self._make_parts((self.caseload, self.client_file))
        self._update_actions()

    # -- the shell's contract ---------------------------------------------------------------

    def load(self) -> None:
        """First load after unlock: the caseload, off the GUI thread."""
        self._retranslate()
        self.caseload.load()
        self.caseload.focus_search()
        self._ops.run(
            lambda services, state: services.take_drafts(),
            success=self._guard.wrap(self._restore_drafts),
        )
        self._ops.run(_dashboard_context, success=self._guard.wrap(self._dashboard_ready))

    def clear_sensitive(self) -> None:
        """Drop every client detail from every model, widget and dialog (on lock); typed
        text that was not saved goes into the encrypted store first, for after unlock."""
        self._keep_drafts()
        self._guard.bump()
        self._pending_contact_for = None
        self.caseload.clear()
        self.client_file.clear()
        self.client_file.setVisible(False)
        self.week.clear_sensitive()
        self.dashboard.clear_sensitive()
        self._dashboard_loaded = False
        self.tabs.setCurrentIndex(0)
        self.banner.dismiss()
        for dialog in self.findChildren(AgendaDialog):
            dialog.clear()  # decrypted agenda items
        close_dialogs(
            self,
            (
                AccessLogDialog,
                RetentionDialog,
                PlanConversationDialog,
                KeptTextDialog,
                AgendaDialog,
            ),
        )
        self._update_actions()
        self._retranslate()  # a language change waiting for unsaved edits happens now

    def _keep_drafts(self) -> None:
        drafts = {
            "files": self.client_file.drafts_for_lock(),
            "texts": collect_form_texts(self),
        }
        if drafts["files"] or drafts["texts"]:
            # Queued before the lock's Ops.close, so it runs while the key is still there.
            self._ops.run(lambda services, state: services.keep_drafts(drafts))

    def _restore_drafts(self, drafts: dict[str, Any]) -> None:
        files = drafts.get("files") or {}
        texts = drafts.get("texts") or []
        if files:
            self.client_file.restore_drafts(files)
            self.banner.show_message(
                self.tr(
                    "Je niet-opgeslagen wijzigingen van vóór de vergrendeling zijn bewaard. "
                    "Ze staan weer klaar zodra je het dossier opent."
                ),
                Level.INFO,
            )
        if texts:
            dialog = KeptTextDialog(texts, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.show()

    def actions(self) -> list[QAction]:  # type: ignore[override]
        """The workspace's menu actions, in menu order, each with its shortcut."""
        return list(self._actions)

    def has_unsaved_edits(self) -> bool:
        """Typed text not yet saved: the file's details (or drafts) or any open form."""
        return self.client_file.has_unsaved_edits() or any(
            d.has_unsaved_edits() for d in self.findChildren(FormDialog)
        )

    # -- actions ----------------------------------------------------------------------------

    def _action(self, name: str, shortcut: QKeySequence | str, slot: Any) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work while the workspace is shown
        return action

    def _make_actions(self) -> None:
        # Slots look the views up at call time: they are rebuilt after a language change.
        K = QKeySequence
        self.new_client_action = self._action(
            "action_new_client", K(K.StandardKey.New), self.new_client
        )
        self.search_action = self._action(
            "action_search", K(K.StandardKey.Find), lambda: self.caseload.focus_search()
        )
        self.open_action = self._action(
            "action_open_client", "Ctrl+O", lambda: self.caseload.open_current()
        )
        self.contact_action = self._action("action_log_contact", "Ctrl+K", self.log_contact)
        self.access_log_action = self._action(
            "action_file_access_log", "Ctrl+Shift+L", lambda: self.client_file.open_access_log()
        )
        self.close_file_action = self._action(
            "action_close_file", "Ctrl+W", lambda: self.client_file.close_file()
        )
        self.refresh_action = self._action(
            "action_refresh", K(K.StandardKey.Refresh), lambda: self.caseload.reload()
        )
        self.verify_action = self._action(
            "action_verify_access_log", "Ctrl+Shift+V", self.verify_access_log
        )
        self.retention_action = self._action(
            "action_retention", "Ctrl+Shift+B", self.show_retention
        )
        self.caseload_tab_action = self._action(
            "action_show_caseload", "Ctrl+1", lambda: self.tabs.setCurrentIndex(0)
        )
        self.week_tab_action = self._action(
            "action_show_week", "Ctrl+2", lambda: self.tabs.setCurrentIndex(1)
        )
        self.plan_action = self._action(
            "action_plan_conversation", "Ctrl+P", self.plan_conversation
        )
        self.overview_tab_action = self._action(
            "action_show_overviews", "Ctrl+3", lambda: self.tabs.setCurrentIndex(2)
        )
        self.team_agenda_action = self._action(
            "action_team_agenda", "Ctrl+Shift+A", self.show_team_agenda
        )
        self._actions = [
            self.new_client_action,
            self.search_action,
            self.open_action,
            self.contact_action,
            self.access_log_action,
            self.close_file_action,
            self.refresh_action,
            self.verify_action,
            self.retention_action,
            self.caseload_tab_action,
            self.week_tab_action,
            self.overview_tab_action,
            self.plan_action,
            self.team_agenda_action,
        ]
        self._retranslate_actions()

    def _retranslate_actions(self) -> None:
        texts = {
            self.new_client_action: (self.tr("&Nieuwe cliënt…"), ""),
            self.search_action: (self.tr("&Zoeken"), self.tr("Zoek in de caseload op naam of BSN")),
            self.open_action: (
                self.tr("Cliënt &openen"),
                self.tr("Open het dossier van de gekozen cliënt"),
            ),
            self.contact_action: (
                self.tr("&Contact vastleggen…"),
                self.tr("Leg een gesprek of ander contact vast voor de gekozen cliënt"),
            ),
            self.access_log_action: (self.tr("&Wie heeft dit dossier geopend…"), ""),
            self.close_file_action: (self.tr("Dossier &sluiten"), ""),
            self.refresh_action: (self.tr("Caseload &vernieuwen"), ""),
            self.verify_action: (
                self.tr("&Toegangslog controleren"),
                self.tr("Controleer of er in het toegangslog niets is weggehaald of veranderd"),
            ),
            self.retention_action: (
                self.tr("&Bewaartermijn verlopen…"),
                self.tr("Dossiers waarvan de bewaartermijn van 20 jaar voorbij is"),
            ),
            self.caseload_tab_action: (self.tr("&Caseload tonen"), ""),
            self.week_tab_action: (
                self.tr("&Rooster tonen"),
                self.tr("Het weekrooster over alle praktijken: dagdelen, ruimtes en afspraken"),
            ),
            self.plan_action: (
                self.tr("Volgend gesprek &plannen…"),
                self.tr("Zoek de eerste vrije momenten binnen de dagdelen van de praktijk"),
            ),
            self.overview_tab_action: (
                self.tr("Over&zichten"),
                self.tr("Cijfers van het team of je eigen cijfers, kleine aantallen als <5"),
            ),
            self.team_agenda_action: (
                self.tr("Basisteam-&agenda…"),
                self.tr("De punten voor het volgende overleg van je basisteam"),
            ),
        }
        self.tabs.setTabText(0, self.tr("Caseload"))
        self.tabs.setTabText(1, self.tr("Rooster"))
        self.tabs.setTabText(2, self.tr("Overzichten"))
        for action, (text, tip) in texts.items():
            action.setText(text)
            action.setToolTip(tip or plain(text).rstrip("…"))
            action.setStatusTip(tip)

    def _tab_shown(self, index: int) -> None:
        if index == 2 and not self._dashboard_loaded:
            self._dashboard_loaded = True
            self.dashboard.load()

    def _dashboard_ready(self, context: tuple[str | None, tuple[str, ...]]) -> None:
        """A team leader's laptop opens on the team overview (the enrolment stored the role)."""
        role, team_ids = context
        self.dashboard.set_team_ids(team_ids)
        if role == "team-leader":
            self.tabs.setCurrentIndex(2)

    def _update_actions(self, *_args: Any) -> None:
        has_file = self.client_file.client_id is not None
        has_row = self.caseload.current_row() is not None
        self.open_action.setEnabled(has_row)
        self.contact_action.setEnabled(has_file or has_row)
        self.access_log_action.setEnabled(has_file)
        self.close_file_action.setEnabled(has_file)
        self.plan_action.setEnabled(has_file or has_row)

    # -- opening files ----------------------------------------------------------------------

    def open_client(self, client_id: str, trajectory_id: str = "") -> None:
        """Show a client's file under the caseload."""
        if not self.client_file.isVisible():
            self.client_file.setVisible(True)
            if not self._splitter_restored:
                # Enough caseload rows to keep one's bearings; the rest for the file.
                total = self.splitter.height()
                top = max(total * 2 // 5, 160)
                self.splitter.setSizes([top, max(total - top, 1)])
        self.client_file.open_client(client_id, trajectory_id or None)

    def _open_from_week(self, client_id: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.open_client(client_id)

    def plan_conversation(self) -> None:
        """Ctrl+P: first free slots for the open file's client (or the current row's)."""
        row: CaseloadRow | None = self.caseload.current_row()
        client_id = self.client_file.client_id or (row.client_id if row else None)
        if client_id is not None:
            plan_next_conversation(self._ops, client_id, self)

    def _file_opened(self, client_id: str) -> None:
        self._update_actions()
        if self._pending_contact_for == client_id:
            self._pending_contact_for = None
            self.client_file.open_contact_entry()

    def _file_closed(self) -> None:
        self.client_file.setVisible(False)
        self._update_actions()
        self.caseload.table.setFocus()

    def log_contact(self) -> None:
        """Ctrl+K: the quick entry for the open file, or for the caseload's current row."""
        row: CaseloadRow | None = self.caseload.current_row()
        open_id = self.client_file.client_id
        in_caseload = (
            self.caseload.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        )
        if open_id is not None and (row is None or row.client_id == open_id or not in_caseload):
            self.client_file.open_contact_entry()
        elif row is not None:
            self._pending_contact_for = row.client_id
            self.open_client(row.client_id, row.trajectory_id)

    # -- creating clients ---------------------------------------------------------------------

    def new_client(self) -> None:
        """Ctrl+N: the new-client form (the practices are read first, on the worker)."""
        self._ops.run(
            lambda services, state: services.practices(),
            success=self._guard.wrap(self._open_new_client),
            failure=self._guard.wrap(self._show_failure),
        )

    def _open_new_client(self, practices: list[dm.Practice]) -> None:
        dialog = NewClientDialog(self._ops, practices, self)
        dialog.sig_saved.connect(self._guard.wrap(self._client_created))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _client_created(self, result: Any) -> None:
        client, trajectory = result.value
        self.banner.show_message(self.tr("De nieuwe cliënt is opgeslagen."), Level.SUCCESS)
        self.open_client(client.id, trajectory.id)

    # -- privacy ------------------------------------------------------------------------------

    def verify_access_log(self) -> None:
        verify_chain(self._ops, self.banner, self._guard)

    def show_team_agenda(self) -> AgendaDialog:
        dialog = AgendaDialog(self._ops, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        dialog.load()
        return dialog

    def show_retention(self) -> RetentionDialog:
        dialog = RetentionDialog(self._ops, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        dialog.load()
        return dialog

    # -- helpers ------------------------------------------------------------------------------

    def _show_failure(self, exc: BaseException) -> None:
        report_failure(self._ops, exc, lambda e: self.banner.show_message(e.message, Level.ERROR))

    def _save_splitter(self, *_args: Any) -> None:
        self._settings.setValue(self.SPLITTER_KEY, self.splitter.saveState())


def _dashboard_context(services: Any, _state: Any) -> tuple[str | None, tuple[str, ...]]:
    """Worker thread: the enrolled role and, for a team leader, their team ids (offline: none)."""
    from liaison_desktop.services import overview

    role = overview.role_of(services)
    if role is None or role.value != "team-leader":
        return (role.value if role else None, ())
    try:
        return (role.value, overview.team_ids(services))
    except Exception:  # noqa: BLE001 - offline or refused: the dashboard says so when loading
        return (role.value, ())
