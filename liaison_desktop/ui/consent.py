"""Consent in a client file: register, view and withdraw, and the actions that need consent.

Per scope the panel says whether consent holds today under the age rule and who must give
it. Putting a client on the neighbourhood-team agenda and exporting for a third party are
checked by the services (``require_consent`` / ``export(require_scope=...)``) and refused
with the reason when consent is missing, withdrawn or no longer valid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.badge import RENEW_WARNING_DAYS
from liaison_desktop.domain.consent import (
    ConsentCheck,
    age_on,
    best_consent,
    reask_date,
    required_givers,
)
from liaison_desktop.domain.schedule import initials
from liaison_desktop.services import agenda
from liaison_desktop.services.api import ClientFile, ConsentRequired, Services
from liaison_desktop.ui import labels
from liaison_desktop.ui.agenda import AgendaItemDialog
from liaison_desktop.ui.forms import Banner, FormDialog, Level, StaleGuard, report_failure
from liaison_desktop.ui.ops import Ops
from liaison_desktop.ui.records import Column, RecordTableModel, configure_table, dot_icon


@dataclass(frozen=True, slots=True)
class ScopeStatus:
    """Whether consent for one scope holds today, and why."""

    scope: dm.ConsentScope
    check: ConsentCheck


def scope_statuses(file: ClientFile, today: date) -> list[ScopeStatus]:
    """The consent state of every scope for this client today (the domain's age rule)."""
    dob = file.client.date_of_birth
    return [
        ScopeStatus(scope, best_consent(file.consents, scope, dob, file.guardians, today))
        for scope in dm.ConsentScope
    ]


def givers_text(consent: dm.Consent, guardians: dict[str, dm.Guardian], child: str) -> str:
    """Who gave a consent, e.g. 'jeugdige, Anna de Vries'."""
    names = [child] if consent.given_by_child else []
    names += [guardians[g].name for g in consent.guardian_ids if g in guardians]
    return ", ".join(names)


class ConsentDialog(FormDialog):
    """Register a consent; the dialog shows who must give it on the chosen date."""

    def __init__(
        self,
        ops: Ops,
        file: ClientFile,
        today: date,
        scope: dm.ConsentScope | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, self.tr("Toestemming vastleggen"), parent)
        self._file = file
        self._dob = file.client.date_of_birth
        self.set_intro(
            self.tr(
                "Onder de 12 jaar geven de ouders met gezag toestemming; van 12 tot 16 de "
                "jeugdige én de ouders met gezag; vanaf 16 de jeugdige zelf. Een ouder zonder "
                "gezag kan geen toestemming geven."
            )
        )
        self.scope = QComboBox(self)
        for s, text in labels.scope_labels().items():
            self.scope.addItem(text, s)
        if scope is not None:
            self.scope.setCurrentIndex(self.scope.findData(scope))
        self.given_on = QDateEdit(self)
        self.given_on.setCalendarPopup(True)
        self.given_on.setDisplayFormat("dd-MM-yyyy")
        self.given_on.setDate(labels.to_qdate(today))
        self.given_on.setMaximumDate(labels.to_qdate(today))
        self.method = QComboBox(self)
        for m, text in labels.method_labels().items():
            self.method.addItem(text, m)
        self.needed = QLabel(self)
        self.needed.setWordWrap(True)
        self.child = QCheckBox(self.tr("De jeugdige heeft zelf toestemming gegeven"), self)
        self.guardian_boxes: dict[str, QCheckBox] = {}
        guardians = QWidget(self)
        box = QVBoxLayout(guardians)
        box.setContentsMargins(0, 0, 0, 0)
        for g in file.guardians:
            text = g.name if g.has_authority else self.tr("%1 (zonder gezag)").replace("%1", g.name)
            check = QCheckBox(text, guardians)
            check.setEnabled(g.has_authority)
            if not g.has_authority:
                check.setToolTip(self.tr("Een ouder zonder gezag kan geen toestemming geven."))
            self.guardian_boxes[g.id] = check
            box.addWidget(check)
        if not file.guardians:
            none = QLabel(
                self.tr(
                    "Er staan nog geen ouders in het dossier. Voeg ze toe in het tabblad "
                    "Gegevens als hun toestemming nodig is."
                ),
                guardians,
            )
            none.setWordWrap(True)
            box.addWidget(none)
        guardians.setAccessibleName(self.tr("Ouders die toestemming gaven"))
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Bijvoorbeeld: formulier getekend bij intake"))

        e = self.errors
        e.add_row(self.form, self.tr("&Waarvoor"), self.scope, "scope")
        e.add_row(self.form, self.tr("&Gegeven op"), self.given_on, "given_on")
        e.alias("withdrawn_on", "given_on")
        e.add_row(self.form, self.tr("&Hoe"), self.method, "method")
        self.form.addRow(self.tr("Nodig"), self.needed)
        e.add_row(self.form, self.tr("&Jeugdige"), self.child, "given_by_child")
        e.add_row(self.form, self.tr("&Ouders"), guardians, "guardian_ids")
        e.add_row(self.form, self.tr("N&otitie"), self.note, "note")
        self.given_on.dateChanged.connect(self._update_needed)
        self._update_needed()
        self.track_edits(self.scope, self.given_on, self.method, self.child, self.note)
        for check in self.guardian_boxes.values():
            self.track_edits(check)
        self._dirty = False
        self.scope.setFocus()

    def _update_needed(self, *_args: Any) -> None:
        day = labels.from_qdate(self.given_on.date())
        req = required_givers(self._dob, day)
        age = age_on(self._dob, day)
        self.needed.setText(
            self.tr("%1 (de jeugdige is dan %2 jaar).")
            .replace("%1", req.description)
            .replace("%2", str(age))
        )

    def operation(self) -> Callable[[Services, Any], Any]:
        consent = dm.Consent(
            client_id=self._file.client.id,
            scope=dm.ConsentScope(self.scope.currentData()),
            given_on=labels.from_qdate(self.given_on.date()),
            method=dm.ConsentMethod(self.method.currentData()),
            given_by_child=self.child.isChecked(),
            guardian_ids=tuple(gid for gid, box in self.guardian_boxes.items() if box.isChecked()),
            note=self.note.text().strip(),
        )
        return lambda services, state: services.register_consent(consent)


class TeamAgendaDialog(FormDialog):
    """Choose the neighbourhood-team meeting; saving checks the consent once more."""

    def __init__(
        self,
        ops: Ops,
        client_id: str,
        practice_id: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, self.tr("Op agenda basisteam zetten"), parent)
        self._client_id = client_id
        self._practice_id = practice_id
        self.set_intro(
            self.tr(
                "Er is geldige toestemming om deze jeugdige in het basisteam te bespreken. "
                "Kies het overleg waarin de casus besproken wordt."
            )
        )
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd-MM-yyyy")
        self.day.setDate(labels.to_qdate(today + timedelta(days=1)))
        self.day.setMinimumDate(labels.to_qdate(today))
        self.at = QTimeEdit(QTime(13, 0), self)
        self.at.setDisplayFormat("HH:mm")
        self.duration = QSpinBox(self)
        self.duration.setRange(5, 240)
        self.duration.setSingleStep(5)
        self.duration.setValue(15)
        self.duration.setSuffix(self.tr(" min"))
        e = self.errors
        e.add_row(self.form, self.tr("&Datum"), self.day, "start")
        e.add_row(self.form, self.tr("&Tijd"), self.at, None)
        e.add_row(self.form, self.tr("D&uur"), self.duration, "duration")
        self.save_button.setText(self.tr("Op agenda zetten"))

    def operation(self) -> Callable[[Services, Any], Any]:
        d, t = self.day.date(), self.at.time()
        appointment = dm.Appointment(
            practice_id=self._practice_id,
            start=datetime.combine(labels.from_qdate(d), time(t.hour(), t.minute())),
            duration_min=self.duration.value(),
            kind=dm.AppointmentKind.TEAM_MEETING,
            client_id=self._client_id,
            title=self.tr("Casusbespreking basisteam"),
        )
        cid = self._client_id

        def run(services: Services, state: Any) -> Any:
            services.require_consent(cid, dm.ConsentScope.NEIGHBOURHOOD_TEAM)
            return services.add_appointment(appointment)

        return run


class ConsentPanel(QWidget):
    """The consent tab of a client file. GUI thread only.

    ``choose_export_path`` asks where to save an export; tests replace it.
    """

    sig_consent_changed = Signal(object)
    """A consent was registered or withdrawn: the services' ``Result[Consent]``."""

    sig_appointment_added = Signal(object)
    """The client was put on a neighbourhood-team agenda: ``Result[Appointment]``."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._guard = StaleGuard()
        self._file: ClientFile | None = None
        self._practice_id: str | None = None
        self._today = date.today()
        self.choose_export_path: Callable[[], str | None] = self._ask_export_path
        self._icons = {True: dot_icon("#2e7d32", mark="v"), False: dot_icon("#c62828", mark="-")}

        self.needed = QLabel(self)
        self.needed.setWordWrap(True)
        self.needed.setAccessibleName(self.tr("Wie moet toestemming geven"))
        self.banner = Banner(self)

        scope_names = labels.scope_labels()
        self.scopes_model: RecordTableModel[ScopeStatus] = RecordTableModel(
            [
                Column(self.tr("Waarvoor"), lambda s: scope_names[s.scope]),
                Column(
                    self.tr("Vandaag"),
                    lambda s: self.tr("geldig") if s.check.valid else self.tr("niet geldig"),
                    decoration=lambda s: self._icons[s.check.valid],
                ),
                Column(
                    self.tr("Wie moet toestemming geven"), lambda s: s.check.required.description
                ),
                Column(
                    self.tr("Opnieuw vragen op"),
                    lambda s: labels.format_date(s.check.reask_on) if s.check.valid else "",
                    tooltip=lambda s: self.tr(
                        "Op deze verjaardag (12 of 16) beslist iemand anders over toestemming; "
                        "vraag haar dan opnieuw."
                    ),
                ),
                Column(
                    self.tr("Toelichting"),
                    lambda s: s.check.reason,
                    tooltip=lambda s: s.check.reason,
                ),
            ],
            self,
        )
        self.scopes = QTableView(self)
        configure_table(self.scopes, self.tr("Toestemming per onderwerp"))
        self.scopes.setModel(self.scopes_model)

        method_names = labels.method_labels()
        self.consents_model: RecordTableModel[dm.Consent] = RecordTableModel(
            [
                Column(self.tr("Waarvoor"), lambda c: scope_names[c.scope]),
                Column(self.tr("Gegeven op"), lambda c: labels.format_date(c.given_on)),
                Column(self.tr("Hoe"), lambda c: method_names[c.method]),
                Column(self.tr("Gegeven door"), self._givers),
                Column(self.tr("Ingetrokken op"), lambda c: labels.format_date(c.withdrawn_on)),
                Column(self.tr("Notitie"), lambda c: c.note, tooltip=lambda c: c.note),
            ],
            self,
        )
        self.consents = QTableView(self)
        configure_table(self.consents, self.tr("Vastgelegde toestemmingen"))
        self.consents.setModel(self.consents_model)
        self.consents.selectionModel().selectionChanged.connect(self._update_buttons)

        self.register_button = QPushButton(self.tr("Toestemming &vastleggen…"), self)
        self.register_button.clicked.connect(self.register)
        self.withdraw_button = QPushButton(self.tr("&Intrekken"), self)
        self.withdraw_button.setToolTip(
            self.tr("Intrekken gaat direct in: vanaf vandaag geldt deze toestemming niet meer.")
        )
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.agenda_button = QPushButton(self.tr("Op agenda &basisteam zetten…"), self)
        self.agenda_button.clicked.connect(self.put_on_team_agenda)
        self.shared_agenda_button = QPushButton(self.tr("Op de a&genda van het basisteam…"), self)
        self.shared_agenda_button.setToolTip(
            self.tr(
                "Zet de casus met een vraag op de gedeelde agenda van het volgende "
                "basisteamoverleg (versleuteld, alleen voor het team)."
            )
        )
        self.shared_agenda_button.clicked.connect(self.put_on_shared_agenda)
        self.export_button = QPushButton(self.tr("&Exporteren voor derde…"), self)
        self.export_button.setToolTip(
            self.tr(
                "Een export voor een ander (bijvoorbeeld een zorgaanbieder) vraagt toestemming."
            )
        )
        self.export_button.clicked.connect(self.export_for_third_party)
        for b in (
            self.register_button,
            self.withdraw_button,
            self.agenda_button,
            self.shared_agenda_button,
            self.export_button,
        ):
            b.setAccessibleName(b.text().replace("&", "").rstrip("…"))

        buttons = QHBoxLayout()
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        buttons.addWidget(self.agenda_button)
        buttons.addWidget(self.shared_agenda_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.needed)
        layout.addWidget(self.banner)
        rows = self.scopes.verticalHeader().defaultSectionSize()
        self.scopes.setMinimumHeight(rows * (len(dm.ConsentScope) + 1) + 6)
        self.scopes.setMaximumHeight(rows * (len(dm.ConsentScope) + 1) + 6)
        layout.addWidget(self.scopes)
        title = QLabel(self.tr("Vastgelegde toestemmingen"), self)
        layout.addWidget(title)
        layout.addWidget(self.consents, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- content ------------------------------------------------------------------------

    def set_file(self, file: ClientFile, today: date, practice_id: str | None) -> None:
        """Show a client's consents as of ``today``; ``practice_id`` is used for agenda items."""
        self._file, self._today, self._practice_id = file, today, practice_id
        dob = file.client.date_of_birth
        req = required_givers(dob, today)
        text = (
            self.tr("Nu nodig voor toestemming: %1. De jeugdige is %2 jaar.")
            .replace("%1", req.description.lower())
            .replace("%2", str(age_on(dob, today)))
        )
        turns = reask_date(dob, today)
        if turns is not None and (turns - today).days <= RENEW_WARNING_DAYS:
            text += " " + (
                self.tr("Let op: vanaf %1 is dat %2; vraag de toestemming dan opnieuw.")
                .replace("%1", labels.format_date(turns))
                .replace("%2", required_givers(dob, turns).description.lower())
            )
        self.needed.setText(text)
        self.scopes_model.set_records(scope_statuses(file, today))
        self.consents_model.set_records(
            sorted(file.consents, key=lambda c: c.given_on, reverse=True)
        )
        self.scopes.resizeColumnsToContents()
        self.consents.resizeColumnsToContents()
        self._update_buttons()

    def clear(self) -> None:
        self._guard.bump()
        self._file = None
        self.needed.clear()
        self.banner.dismiss()
        self.scopes_model.clear()
        self.consents_model.clear()
        self._update_buttons()

    def _givers(self, consent: dm.Consent) -> str:
        guardians = {g.id: g for g in self._file.guardians} if self._file else {}
        return givers_text(consent, guardians, self.tr("jeugdige"))

    def _selected_consent(self) -> dm.Consent | None:
        rows = self.consents.selectionModel().selectedRows()
        return self.consents_model.record(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: Any) -> None:
        has_file = self._file is not None
        selected = self._selected_consent()
        for b in (
            self.register_button,
            self.agenda_button,
            self.shared_agenda_button,
            self.export_button,
        ):
            b.setEnabled(has_file)
        self.withdraw_button.setEnabled(
            has_file and selected is not None and selected.withdrawn_on is None
        )

    # -- register and withdraw ------------------------------------------------------------

    def register(self) -> None:
        if self._file is None:
            return
        rows = self.scopes.selectionModel().selectedRows()
        scope = self.scopes_model.record(rows[0].row()).scope if rows else None
        dialog = ConsentDialog(self._ops, self._file, self._today, scope, self)
        dialog.sig_saved.connect(self._consent_saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _consent_saved(self, result: Any) -> None:
        self.banner.show_message(self.tr("De toestemming is vastgelegd."), Level.SUCCESS)
        self.sig_consent_changed.emit(result)

    def withdraw_selected(self) -> None:
        consent = self._selected_consent()
        if consent is None or consent.withdrawn_on is not None:
            return
        self._ops.run(
            lambda services, state: services.withdraw_consent(consent.id),
            success=self._guard.wrap(self._withdrawn),
            failure=self._guard.wrap(self._failed),
        )

    def _withdrawn(self, result: Any) -> None:
        self.banner.show_message(
            self.tr(
                "De toestemming is ingetrokken. Dat geldt direct: wat ervoor nodig was, kan "
                "pas weer als er opnieuw toestemming is."
            ),
            Level.SUCCESS,
        )
        self.sig_consent_changed.emit(result)
        if result.value.scope is dm.ConsentScope.NEIGHBOURHOOD_TEAM:
            # Online, the case leaves the team's agenda now; offline at the next refresh.
            self._ops.run(
                lambda services, state: agenda.sweep_here(services),
                success=self._guard.wrap(self._swept),
            )

    def _swept(self, removed: int | None) -> None:
        if removed:
            self.banner.show_message(
                self.tr(
                    "De toestemming is ingetrokken en de casus is van de agenda van het "
                    "basisteam gehaald."
                ),
                Level.SUCCESS,
            )

    def _failed(self, exc: BaseException) -> None:
        report_failure(self._ops, exc, lambda e: self.banner.show_message(e.message, Level.ERROR))

    # -- actions that need consent ----------------------------------------------------------

    def put_on_team_agenda(self) -> None:
        """Refused with the reason unless consent for the neighbourhood team holds today."""
        self._with_consent(
            dm.ConsentScope.NEIGHBOURHOOD_TEAM,
            self.tr("Op de agenda van het basisteam zetten kan nu niet."),
            self._open_agenda_dialog,
        )

    def put_on_shared_agenda(self) -> None:
        """The team's shared, encrypted agenda (``ui.agenda``); refused with the reason unless
        consent for the neighbourhood team holds today."""
        self._with_consent(
            dm.ConsentScope.NEIGHBOURHOOD_TEAM,
            self.tr("Op de agenda van het basisteam zetten kan nu niet."),
            self._open_shared_agenda_dialog,
        )

    def _open_shared_agenda_dialog(self) -> None:
        if self._file is None:
            return
        c = self._file.client
        dialog = AgendaItemDialog(self._ops, c.id, initials(c.first_name, c.last_name), self)
        dialog.sig_saved.connect(self._shared_agenda_saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        dialog.load_teams()

    def _shared_agenda_saved(self, _result: Any) -> None:
        self.banner.show_message(
            self.tr(
                "De casus staat op de agenda van het basisteam. Alleen de teamleden en de "
                "teamleider kunnen de vraag lezen."
            ),
            Level.SUCCESS,
        )

    def export_for_third_party(self) -> None:
        """Refused with the reason unless consent to share with a third party holds today."""
        self._with_consent(
            dm.ConsentScope.EXPORT,
            self.tr("Exporteren voor een derde kan nu niet."),
            self._choose_and_export,
        )

    def _with_consent(self, scope: dm.ConsentScope, refused: str, then: Callable[[], None]) -> None:
        if self._file is None:
            return
        cid = self._file.client.id
        self.banner.dismiss()
        self._ops.run(
            lambda services, state: services.require_consent(cid, scope),
            success=self._guard.wrap(lambda _check: then()),
            failure=self._guard.wrap(lambda exc: self._refused(refused, exc)),
        )

    def _refused(self, what: str, exc: BaseException) -> None:
        if not isinstance(exc, ConsentRequired):
            self._failed(exc)
            return
        self.banner.show_message(
            f"{what} {exc.message} "
            + self.tr("Leg eerst toestemming vast met ‘Toestemming vastleggen…’."),
            Level.ERROR,
        )

    def _open_agenda_dialog(self) -> None:
        if self._file is None:
            return
        practice_id = self._practice_id or self._file.client.practice_id
        dialog = TeamAgendaDialog(self._ops, self._file.client.id, practice_id, self._today, self)
        dialog.sig_saved.connect(self._agenda_saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _agenda_saved(self, result: Any) -> None:
        self.banner.show_message(
            self.tr("De casus staat op de agenda van het basisteam (%1).").replace(
                "%1", labels.format_datetime(result.value.start)
            ),
            Level.SUCCESS,
        )
        self.sig_appointment_added.emit(result)

    def _ask_export_path(self) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export voor derde opslaan"),
            "dossier-export.json",
            self.tr("JSON-bestand (*.json)"),
        )
        return path or None

    def _choose_and_export(self) -> None:
        if self._file is None:
            return
        path = self.choose_export_path()
        if not path:
            return
        cid = self._file.client.id
        self._ops.run(
            lambda services, state: services.export(
                Path(path), client_id=cid, require_scope=dm.ConsentScope.EXPORT
            ),
            success=self._guard.wrap(self._exported),
            failure=self._guard.wrap(
                lambda exc: self._refused(self.tr("Exporteren voor een derde kan nu niet."), exc)
            ),
        )

    def _exported(self, report: Any) -> None:
        self.banner.show_message(
            self.tr("De export is opgeslagen als %1 (%2 onderdelen).")
            .replace("%1", Path(report.path).name)
            .replace("%2", str(report.records)),
            Level.SUCCESS,
        )
