"""The neighbourhood-team agenda: the next case meeting's items, and putting a client on it.

Both run through the ops worker and the services (``services.agenda``); the items are
decrypted there and only held in the table's model while the dialog is open. Putting a client
on the agenda is refused with the consent reason when consent for the neighbourhood team is
missing or withdrawn. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.services import agenda
from liaison_desktop.services.api import Services
from liaison_desktop.ui import labels
from liaison_desktop.ui.forms import Banner, FormDialog, Level, StaleGuard, report_failure
from liaison_desktop.ui.ops import Ops
from liaison_desktop.ui.records import Column, RecordTableModel, configure_table, selected_row


class AgendaDialog(QDialog):
    """ "Basisteam-agenda": per team of the user, the items of the next case meeting."""

    sig_agenda_loaded = Signal(object)
    """The agenda was refreshed: the services' ``AgendaReport``."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._guard = StaleGuard()
        self._report: agenda.AgendaReport | None = None
        title = self.tr("Basisteam-agenda")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.banner = Banner(self)
        self.team = QComboBox(self)
        self.team.setAccessibleName(self.tr("Basisteam"))
        self.team.currentIndexChanged.connect(self._show_team)
        self.meeting = QLabel(self)
        self.meeting.setWordWrap(True)
        self.model: RecordTableModel[agenda.AgendaEntry] = RecordTableModel(
            [
                Column(self.tr("Initialen"), lambda e: e.initials),
                Column(self.tr("Vraag"), lambda e: e.question, tooltip=lambda e: e.question),
                Column(self.tr("Praktijk"), lambda e: e.practice),
                Column(
                    self.tr("Ingebracht door"),
                    lambda e: e.author_name + (self.tr(" (ik)") if e.mine else ""),
                ),
            ],
            self,
        )
        self.table = QTableView(self)
        configure_table(self.table, self.tr("Punten voor het volgende overleg"))
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh_button = QPushButton(self.tr("&Vernieuwen"), self)
        self.refresh_button.clicked.connect(self.load)
        self.remove_button = QPushButton(self.tr("&Weghalen"), self)
        self.remove_button.setToolTip(self.tr("Haal je eigen punt van de agenda"))
        self.remove_button.clicked.connect(self.remove_selected)
        # The team leader plans the next meeting (hidden for professionals).
        self.next_meeting = QDateTimeEdit(self)
        self.next_meeting.setCalendarPopup(True)
        self.next_meeting.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.next_meeting.setAccessibleName(self.tr("Datum en tijd van het volgende overleg"))
        self.plan_button = QPushButton(self.tr("Overleg &plannen"), self)
        self.plan_button.setToolTip(
            self.tr("Leg vast wanneer het volgende overleg is; punten van het vorige vallen af")
        )
        self.plan_button.clicked.connect(self.plan_meeting)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Sluiten"))
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_meeting)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(close)
        top = QHBoxLayout()
        top.addWidget(self.team)
        top.addWidget(self.meeting, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("m") * 70, 420)
        self.team.setVisible(False)
        self._set_leader(False)
        self._update_buttons()

    def _set_leader(self, leader: bool) -> None:
        self.next_meeting.setVisible(leader)
        self.plan_button.setVisible(leader)

    # -- loading --------------------------------------------------------------------------

    def load(self) -> None:
        """Refresh from the server (own items without consent are taken off first)."""
        self._guard.bump()
        self.refresh_button.setEnabled(False)
        self._ops.run(
            lambda services, state: agenda.refresh_here(services),
            success=self._guard.wrap(self._loaded),
            failure=self._guard.wrap(self._failed),
        )

    def _loaded(self, report: agenda.AgendaReport) -> None:
        self.refresh_button.setEnabled(True)
        self._report = report
        current = self.team.currentData()
        self.team.blockSignals(True)
        self.team.clear()
        for t in report.teams:
            self.team.addItem(t.team_name, t.team_id)
        index = max(0, self.team.findData(current))
        self.team.setCurrentIndex(index)
        self.team.blockSignals(False)
        self.team.setVisible(len(report.teams) > 1)
        self._set_leader(report.team_leader)
        self._show_team()
        messages = []
        if report.removed:
            messages.append(
                self.tr(
                    "%n punt(en) van jou zijn van de agenda gehaald: de toestemming geldt niet "
                    "meer.",
                    "",
                    report.removed,
                )
            )
        if not report.teams:
            messages.append(self.tr("Je bent geen lid van een basisteam."))
        if messages:
            self.banner.show_message(" ".join(messages), Level.INFO)
        self.sig_agenda_loaded.emit(report)

    def _current_team(self) -> agenda.TeamAgendaView | None:
        if self._report is None or not self._report.teams:
            return None
        team_id = self.team.currentData()
        for t in self._report.teams:
            if t.team_id == team_id:
                return t
        return self._report.teams[0]

    def _show_team(self, *_args: Any) -> None:
        team = self._current_team()
        if team is None:
            self.meeting.clear()
            self.model.clear()
            self._update_buttons()
            return
        when = (
            labels.format_datetime(team.meeting_at.astimezone())
            if team.meeting_at
            else self.tr("nog niet gepland")
        )
        text = (
            self.tr("%1 — volgend overleg: %2. Alleen teamleden en de teamleider kunnen dit lezen.")
            .replace("%1", team.team_name)
            .replace("%2", when)
        )
        if team.waiting_for_key:
            text += " " + self.tr(
                "Deze laptop heeft de teamsleutel nog niet; die komt zodra een ander teamlid "
                "de agenda ververst."
            )
        if team.unreadable and not team.waiting_for_key:
            text += " " + self.tr(
                "%n punt(en) zijn onderweg gewijzigd of verplaatst en worden niet getoond.",
                "",
                team.unreadable,
            )
        self.meeting.setText(text)
        proposed = (
            team.meeting_at.astimezone()
            if team.meeting_at
            else (datetime.now() + timedelta(days=7)).replace(hour=13, minute=0)
        )
        self.next_meeting.setDateTime(
            QDateTime(
                QDate(proposed.year, proposed.month, proposed.day),
                QTime(proposed.hour, proposed.minute),
            )
        )
        self.model.set_records(list(team.entries))
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def _selected(self) -> agenda.AgendaEntry | None:
        row = selected_row(self.table)
        return self.model.record(row) if row is not None else None

    def _update_buttons(self, *_args: Any) -> None:
        entry = self._selected()
        leader = self._report is not None and self._report.team_leader
        self.remove_button.setEnabled(entry is not None and (entry.mine or leader))

    # -- removing -------------------------------------------------------------------------

    def remove_selected(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        team_id, item_id = entry.team_id, entry.id
        self._ops.run(
            lambda services, state: agenda.remove_here(services, team_id, item_id),
            success=self._guard.wrap(lambda _gone: self._removed()),
            failure=self._guard.wrap(self._failed),
        )

    def plan_meeting(self) -> None:
        """Team leader: set the next meeting of the shown team to the chosen date and time."""
        team = self._current_team()
        if team is None:
            return
        qdt = self.next_meeting.dateTime()
        d, t = qdt.date(), qdt.time()
        when = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).astimezone()
        team_id = team.team_id
        self._ops.run(
            lambda services, state: agenda.set_next_meeting_here(services, team_id, when),
            success=self._guard.wrap(lambda _none: self._planned()),
            failure=self._guard.wrap(self._failed),
        )

    def _planned(self) -> None:
        self.banner.show_message(self.tr("Het volgende overleg is vastgelegd."), Level.SUCCESS)
        self.load()

    def _removed(self) -> None:
        self.banner.show_message(self.tr("Het punt is van de agenda gehaald."), Level.SUCCESS)
        self.load()

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        report_failure(self._ops, exc, lambda e: self.banner.show_message(e.message, Level.ERROR))

    def clear(self) -> None:
        """Forget the decrypted items (on lock)."""
        self._guard.bump()
        self._report = None
        self.model.clear()
        self.meeting.clear()


class AgendaItemDialog(FormDialog):
    """Put a client on the next case meeting's agenda, with the question for the team."""

    def __init__(
        self, ops: Ops, client_id: str, initials: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ops, self.tr("Op de agenda van het basisteam"), parent)
        self._client_id = client_id
        self.set_intro(
            self.tr(
                "Er is geldige toestemming om deze casus in het basisteam te bespreken. Alleen "
                "de initialen (%1), je vraag en de praktijk gaan naar het basisteam, "
                "versleuteld: alleen de teamleden en de teamleider kunnen ze lezen. Trekt de "
                "cliënt de toestemming in, dan verdwijnt het punt bij de volgende verversing."
            ).replace("%1", initials)
        )
        self.team = QComboBox(self)
        self.team.setAccessibleName(self.tr("Basisteam"))
        self.question = QPlainTextEdit(self)
        self.question.setAccessibleName(self.tr("Vraag aan het basisteam"))
        self.question.setPlaceholderText(
            self.tr("Wat wil je het basisteam vragen? Geen namen of BSN.")
        )
        self.question.setTabChangesFocus(True)
        e = self.errors
        self._team_label = QLabel(self.tr("&Basisteam"), self)
        self._team_label.setBuddy(self.team)
        self.form.addRow(self._team_label, self.team)
        e.add_row(self.form, self.tr("&Vraag"), self.question, "question")
        self.track_edits(self.question)
        self.save_button.setText(self.tr("Op de agenda zetten"))
        self._team_label.setVisible(False)
        self.team.setVisible(False)

    def load_teams(self) -> None:
        """Ask the server for the user's teams; the choice shows only with several."""
        self.ops.run(
            lambda services, state: agenda.teams_here(services),
            success=self._guard.wrap(self._teams_loaded),
            failure=self._guard.wrap(self._failed),
        )

    def _teams_loaded(self, teams: list[tuple[str, str]]) -> None:
        self.team.clear()
        for team_id, name in teams:
            self.team.addItem(name, team_id)
        several = len(teams) > 1
        self._team_label.setVisible(several)
        self.team.setVisible(several)

    def operation(self) -> Callable[[Services, Any], Any]:
        question = self.question.toPlainText().strip()
        if not question:
            raise ValidationError(
                [
                    DomainError(
                        "agenda_question_missing", self.tr("Schrijf je vraag op."), "question"
                    )
                ]
            )
        cid = self._client_id
        team_id = self.team.currentData() if self.team.count() > 1 else None

        def run(services: Services, state: Any) -> Any:
            return agenda.put_on_agenda_here(services, cid, question, team_id)

        return run
