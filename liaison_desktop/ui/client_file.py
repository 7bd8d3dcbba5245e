"""The client file: the child and guardians, trajectories, consent, contacts and appointments.

Creating a client, editing details, registering a referral and closing a trajectory happen
in forms whose text survives a refused save; messages appear under the fields. The file
view applies each saved change to what it shows (no re-open per change, so the access log
records one open per visit).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.consent import age_on
from liaison_desktop.domain.conversations import (
    MAX_CONVERSATIONS,
    ConversationSignal,
    conversation_count,
    conversation_signal,
    signal_message,
)
from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.domain.trajectory import allowed_transitions
from liaison_desktop.domain.validation import (
    validate_client,
    validate_guardian,
    validate_trajectory,
)
from liaison_desktop.services.api import ClientFile, Result, Services
from liaison_desktop.ui import labels
from liaison_desktop.ui.consent import ConsentPanel
from liaison_desktop.ui.contact_entry import ContactEntryDialog, TrajectoryChoice
from liaison_desktop.ui.forms import (
    Banner,
    FieldErrors,
    FormDialog,
    Level,
    StaleGuard,
    close_dialogs,
    format_input_date,
    parse_date,
    report_failure,
    today,
)
from liaison_desktop.ui.ops import Ops
from liaison_desktop.ui.privacy import AccessLogDialog
from liaison_desktop.ui.records import Column, RecordTableModel, configure_table, selected_row

S = dm.TrajectoryStatus
X = TypeVar("X")


def _replaced(items: Sequence[X], new: X) -> list[X]:
    """``items`` with the record of the same id swapped for ``new`` (appended when new)."""
    out = [new if getattr(i, "id", None) == new.id else i for i in items]  # type: ignore[attr-defined]
    if not any(i is new for i in out):
        out.append(new)
    return out


# -- field groups shared by the dialogs and the file ----------------------------------------


class ClientFields:
    """The child's detail inputs, added as rows to a form (new-client dialog and file tab)."""

    TEXT_FIELDS = (
        "first_name",
        "last_name",
        "date_of_birth",
        "bsn",
        "municipality",
        "address",
        "phone",
    )

    def __init__(self, form: QFormLayout, errors: FieldErrors, parent: QWidget) -> None:
        self.edits: dict[str, QLineEdit] = {}
        captions = {
            "first_name": QCoreApplication.translate("ClientFields", "&Voornaam"),
            "last_name": QCoreApplication.translate("ClientFields", "&Achternaam"),
            "date_of_birth": QCoreApplication.translate("ClientFields", "&Geboortedatum"),
            "bsn": QCoreApplication.translate("ClientFields", "&BSN"),
            "municipality": QCoreApplication.translate("ClientFields", "Ge&meente"),
            "address": QCoreApplication.translate("ClientFields", "A&dres"),
            "phone": QCoreApplication.translate("ClientFields", "&Telefoon"),
        }
        self.practice = QComboBox(parent)
        for name in self.TEXT_FIELDS:
            edit = QLineEdit(parent)
            edit.setObjectName(name)
            self.edits[name] = edit
            errors.add_row(form, captions[name], edit, name)
            if name == "bsn":
                errors.add_row(
                    form,
                    QCoreApplication.translate("ClientFields", "&Praktijk"),
                    self.practice,
                    "practice_id",
                )
        self.edits["date_of_birth"].setPlaceholderText(
            QCoreApplication.translate("ClientFields", "dd-mm-jjjj")
        )
        self.edits["bsn"].setPlaceholderText(
            QCoreApplication.translate("ClientFields", "Niet verplicht; 9 cijfers")
        )
        self.edits["bsn"].setToolTip(
            QCoreApplication.translate(
                "ClientFields",
                "Het BSN is niet verplicht. Vul je het in, dan controleert Liaison de elfproef.",
            )
        )
        self._baseline: dict[str, str] = {}

    def set_practices(self, practices: Sequence[dm.Practice], current: str | None = None) -> None:
        self.practice.clear()
        for p in practices:
            self.practice.addItem(p.name, p.id)
        if current:
            self.practice.setCurrentIndex(max(0, self.practice.findData(current)))

    def values(self) -> dict[str, str]:
        out = {name: edit.text() for name, edit in self.edits.items()}
        out["practice_id"] = self.practice.currentData() or ""
        return out

    def restore(self, values: dict[str, str]) -> None:
        for name, edit in self.edits.items():
            edit.setText(values.get(name, ""))
        if values.get("practice_id"):
            self.practice.setCurrentIndex(max(0, self.practice.findData(values["practice_id"])))

    def load(self, client: dm.Client) -> None:
        """Show a stored client; what is shown now counts as unchanged."""
        self.restore(
            {
                "first_name": client.first_name,
                "last_name": client.last_name,
                "date_of_birth": format_input_date(client.date_of_birth),
                "bsn": client.bsn or "",
                "municipality": client.municipality,
                "address": client.address,
                "phone": client.phone,
                "practice_id": client.practice_id,
            }
        )
        self._baseline = self.values()

    def clear(self) -> None:
        for edit in self.edits.values():
            edit.setText("")  # unlike clear(), also empties the undo history
        self._baseline = self.values()

    def is_dirty(self) -> bool:
        return self.values() != self._baseline

    def build(self, base: dm.Client | None, day: date) -> dm.Client:
        """A client from the inputs; raises ValidationError when the date cannot be read.

        The domain rules run here too when the date is unreadable, so that every problem
        shows at once instead of one per attempt.
        """
        v = self.values()
        dob = parse_date(v["date_of_birth"])
        values: dict[str, Any] = {
            "first_name": v["first_name"].strip(),
            "last_name": v["last_name"].strip(),
            "date_of_birth": dob or day,
            "practice_id": v["practice_id"],
            "bsn": v["bsn"].strip() or None,
            "municipality": v["municipality"].strip(),
            "address": v["address"].strip(),
            "phone": v["phone"].strip(),
        }
        client = dataclasses.replace(base, **values) if base else dm.Client(**values)
        if dob is None:
            if v["date_of_birth"].strip():
                message = QCoreApplication.translate(
                    "ClientFields",
                    "Deze datum is niet te lezen. Typ hem als dd-mm-jjjj, bijvoorbeeld 03-11-2015.",
                )
            else:
                message = QCoreApplication.translate(
                    "ClientFields", "Vul de geboortedatum in (dd-mm-jjjj)."
                )
            errors = [DomainError("input_unreadable", message, "date_of_birth")]
            try:
                validate_client(client, day)
            except ValidationError as exc:
                errors += [e for e in exc.errors if e.field != "date_of_birth"]
            raise ValidationError(errors)
        return client


class GuardianFields:
    """A guardian's inputs; ``prefix`` keeps their error fields apart from the child's."""

    RELATIONS = ("moeder", "vader", "ouder", "pleegouder", "voogd", "anders")

    def __init__(
        self, form: QFormLayout, errors: FieldErrors, parent: QWidget, prefix: str = ""
    ) -> None:
        self.name = QLineEdit(parent)
        self.relation = QComboBox(parent)
        self.relation.setEditable(True)
        self.relation.addItems(list(self.RELATIONS))
        self.authority = QCheckBox(
            QCoreApplication.translate("GuardianFields", "Heeft gezag (kan toestemming geven)"),
            parent,
        )
        self.authority.setChecked(True)
        self.phone = QLineEdit(parent)
        self.email = QLineEdit(parent)
        errors.add_row(
            form,
            QCoreApplication.translate("GuardianFields", "&Naam ouder"),
            self.name,
            prefix + "name",
        )
        errors.add_row(
            form,
            QCoreApplication.translate("GuardianFields", "&Relatie"),
            self.relation,
            prefix + "relation",
        )
        errors.add_row(
            form,
            QCoreApplication.translate("GuardianFields", "Ge&zag"),
            self.authority,
            prefix + "has_authority",
        )
        errors.add_row(
            form,
            QCoreApplication.translate("GuardianFields", "Telefoon ouder"),
            self.phone,
            prefix + "phone",
        )
        errors.add_row(
            form,
            QCoreApplication.translate("GuardianFields", "&E-mail ouder"),
            self.email,
            prefix + "email",
        )

    def load(self, g: dm.Guardian) -> None:
        self.name.setText(g.name)
        self.relation.setCurrentText(g.relation)
        self.authority.setChecked(g.has_authority)
        self.phone.setText(g.phone)
        self.email.setText(g.email)

    def is_empty(self) -> bool:
        return not (
            self.name.text().strip() or self.phone.text().strip() or self.email.text().strip()
        )

    def build(self, client_id: str, base: dm.Guardian | None = None) -> dm.Guardian:
        values = {
            "client_id": client_id,
            "name": self.name.text().strip(),
            "relation": self.relation.currentText().strip() or "ouder",
            "has_authority": self.authority.isChecked(),
            "phone": self.phone.text().strip(),
            "email": self.email.text().strip(),
        }
        return dataclasses.replace(base, **values) if base else dm.Guardian(**values)

    def widgets(self) -> list[QWidget]:
        return [self.name, self.relation, self.authority, self.phone, self.email]


class ReferralFields:
    """A referral's inputs: date, request category, the GP's question (and the practice)."""

    def __init__(
        self,
        form: QFormLayout,
        errors: FieldErrors,
        parent: QWidget,
        day: date,
        practice: QComboBox | None = None,
    ) -> None:
        self.practice = practice
        self.referred_on = QDateEdit(parent)
        self.referred_on.setCalendarPopup(True)
        self.referred_on.setDisplayFormat("dd-MM-yyyy")
        self.referred_on.setDate(labels.to_qdate(day))
        self.category = QComboBox(parent)
        self.category.addItem(
            QCoreApplication.translate("ReferralFields", "Kies een hulpvraag"), None
        )
        for c, text in labels.request_category_labels().items():
            self.category.addItem(text, c)
        self.question = QLineEdit(parent)
        self.question.setPlaceholderText(
            QCoreApplication.translate(
                "ReferralFields", "De vraag van de huisarts in een paar woorden"
            )
        )
        errors.add_row(
            form,
            QCoreApplication.translate("ReferralFields", "Aange&meld op"),
            self.referred_on,
            "referred_on",
        )
        errors.add_row(
            form,
            QCoreApplication.translate("ReferralFields", "&Hulpvraag"),
            self.category,
            "request_category",
        )
        errors.add_row(
            form, QCoreApplication.translate("ReferralFields", "&Vraag"), self.question, "question"
        )

    def build(self, client_id: str, practice_id: str) -> dm.Trajectory:
        category = self.category.currentData()
        return dm.Trajectory(
            client_id=client_id,
            practice_id=practice_id,
            referred_on=labels.from_qdate(self.referred_on.date()),
            # An unchosen category fails the domain check with its own message.
            request_category=category if category is not None else "",  # type: ignore[arg-type]
            question=self.question.text().strip(),
        )

    def widgets(self) -> list[QWidget]:
        return [self.referred_on, self.category, self.question]


def _collect(checks: Sequence[tuple[Callable[[], None], str]]) -> None:
    """Run several domain checks and raise one ValidationError listing every problem."""
    errors: list[DomainError] = []
    for check, prefix in checks:
        try:
            check()
        except ValidationError as exc:
            errors += [
                DomainError(e.code, e.message, prefix + e.field if e.field else None)
                for e in exc.errors
            ]
    if errors:
        raise ValidationError(errors)


# -- dialogs --------------------------------------------------------------------------------


class NewClientDialog(FormDialog):
    """A new client with an optional guardian and the first referral (Ctrl+N).

    ``sig_saved`` carries a Result whose value is (client, trajectory).
    """

    def __init__(
        self, ops: Ops, practices: Sequence[dm.Practice], parent: QWidget | None = None
    ) -> None:
        super().__init__(ops, self.tr("Nieuwe cliënt"), parent)
        day = today(ops)
        self.set_intro(
            self.tr(
                "Voornaam, achternaam, geboortedatum en hulpvraag zijn nodig; de rest kan later. "
                "Enter slaat op."
            )
        )
        self.form.addRow(self._section(self.tr("Jeugdige")))
        self.client = ClientFields(self.form, self.errors, self)
        self.client.set_practices(practices)
        self.form.addRow(self._section(self.tr("Ouder of verzorger (niet verplicht)")))
        self.guardian = GuardianFields(self.form, self.errors, self, prefix="guardian_")
        self.form.addRow(self._section(self.tr("Aanmelding door de huisarts")))
        self.referral = ReferralFields(self.form, self.errors, self, day)
        self.track_edits(
            *self.client.edits.values(), *self.guardian.widgets(), *self.referral.widgets()
        )
        self.client.edits["first_name"].setFocus()

    def _section(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def operation(self) -> Callable[[Services, Any], Any]:
        day = today(self.ops)
        client = self.client.build(None, day)
        guardian = None if self.guardian.is_empty() else self.guardian.build(client.id)
        trajectory = self.referral.build(client.id, client.practice_id)

        def create(services: Services, state: Any) -> Result[tuple[dm.Client, dm.Trajectory]]:
            now = services.today()
            checks: list[tuple[Callable[[], None], str]] = [
                (lambda: validate_client(client, now), ""),
                (lambda: validate_trajectory(trajectory, now), ""),
            ]
            if guardian is not None:
                checks.append((lambda: validate_guardian(guardian), "guardian_"))
            _collect(checks)
            added = services.add_client(client, [guardian] if guardian else [], trajectory)
            return Result((added.value, trajectory), added.changes)

        return create


class GuardianDialog(FormDialog):
    """Add or edit a guardian; whether they have parental authority decides consent."""

    def __init__(
        self,
        ops: Ops,
        client_id: str,
        guardian: dm.Guardian | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Ouder wijzigen") if guardian else self.tr("Ouder toevoegen")
        super().__init__(ops, title, parent)
        self._client_id = client_id
        self._base = guardian
        self.set_intro(
            self.tr(
                "Alleen een ouder met gezag kan toestemming geven voor een jeugdige onder de 16."
            )
        )
        self.fields = GuardianFields(self.form, self.errors, self)
        if guardian:
            self.fields.load(guardian)
        self.track_edits(*self.fields.widgets())
        self.fields.name.setFocus()

    def operation(self) -> Callable[[Services, Any], Any]:
        guardian = self.fields.build(self._client_id, self._base)
        return lambda services, state: services.save_guardian(guardian)


class TrajectoryDialog(FormDialog):
    """A new referral (trajectory) for an existing client."""

    def __init__(
        self,
        ops: Ops,
        client: dm.Client,
        practices: Sequence[dm.Practice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, self.tr("Nieuwe aanmelding"), parent)
        self._client = client
        self.practice = QComboBox(self)
        for p in practices:
            self.practice.addItem(p.name, p.id)
        self.practice.setCurrentIndex(max(0, self.practice.findData(client.practice_id)))
        self.errors.add_row(self.form, self.tr("&Praktijk"), self.practice, "practice_id")
        self.referral = ReferralFields(self.form, self.errors, self, today(ops), self.practice)
        self.track_edits(self.practice, *self.referral.widgets())
        self.referral.category.setFocus()

    def operation(self) -> Callable[[Services, Any], Any]:
        trajectory = self.referral.build(self._client.id, self.practice.currentData() or "")
        return lambda services, state: services.add_trajectory(trajectory)


class CloseTrajectoryDialog(FormDialog):
    """Close a trajectory: the outcome is asked here, for the municipality's monitoring."""

    def __init__(self, ops: Ops, trajectory: dm.Trajectory, parent: QWidget | None = None) -> None:
        super().__init__(ops, self.tr("Traject afsluiten"), parent)
        self._trajectory = trajectory
        self.set_intro(
            self.tr(
                "Hoe is het traject geëindigd? De uitkomst telt mee in de monitoring voor de "
                "gemeente; daar gaan geen namen of notities naartoe."
            )
        )
        self.outcomes = QButtonGroup(self)
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.outcome_buttons: dict[dm.Outcome, QRadioButton] = {}
        for i, (outcome, text) in enumerate(labels.outcome_labels().items()):
            button = QRadioButton(text, box)
            self.outcomes.addButton(button, i)
            self.outcome_buttons[outcome] = button
            column.addWidget(button)
        box.setAccessibleName(self.tr("Uitkomst"))
        self.closed_on = QDateEdit(self)
        self.closed_on.setCalendarPopup(True)
        self.closed_on.setDisplayFormat("dd-MM-yyyy")
        self.closed_on.setDate(labels.to_qdate(today(ops)))
        first = next(iter(self.outcome_buttons.values()))
        error = self.errors.add_row(self.form, self.tr("&Uitkomst"), box, "outcome")
        self.errors.watch("outcome", first, error)
        self.errors.add_row(self.form, self.tr("Afgesloten &op"), self.closed_on, "closed_on")
        self.errors.alias("status", "outcome")
        self.save_button.setText(self.tr("Traject afsluiten"))
        self.track_edits(self.closed_on, *self.outcome_buttons.values())
        first.setFocus()

    def selected_outcome(self) -> dm.Outcome | None:
        return next((o for o, b in self.outcome_buttons.items() if b.isChecked()), None)

    def operation(self) -> Callable[[Services, Any], Any]:
        tid, outcome = self._trajectory.id, self.selected_outcome()
        on = labels.from_qdate(self.closed_on.date())
        return lambda services, state: services.change_status(tid, S.CLOSED, outcome=outcome, on=on)


# -- the file view ----------------------------------------------------------------------------


class ClientFileView(QWidget):
    """One client's file. Create and call on the GUI thread.

    ``open_client`` reads the file on the worker (one logged open); saved changes are
    applied to what is shown. Unsaved detail edits survive switching to another client
    (they come back when the file is opened again) but not locking.
    """

    sig_file_opened = Signal(str)
    """A client file is shown: the client id."""

    sig_close_requested = Signal()
    """The professional closed the file (the caseload takes the space again)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._guard = StaleGuard()
        self._file: ClientFile | None = None
        self._practices: list[dm.Practice] = []
        self._wanted: tuple[str, str | None] | None = None
        self._drafts: dict[str, dict[str, str]] = {}
        self._last_warning: str | None = None
        self._build()

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle = QLabel(self)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.counter_label = QLabel(self)
        self.counter_label.setAccessibleName(self.tr("Gesprekkenteller"))
        self.counter_bar = QProgressBar(self)
        self.counter_bar.setRange(0, MAX_CONVERSATIONS)
        self.counter_bar.setTextVisible(False)
        self.counter_bar.setMaximumWidth(120)
        self.counter_bar.setAccessibleName(self.tr("Gesprekken van de vijf"))
        self.contact_button = QPushButton(self.tr("&Contact vastleggen…"), self)
        self.contact_button.setToolTip(self.tr("Ctrl+K"))
        self.contact_button.clicked.connect(self.open_contact_entry)
        self.log_button = QPushButton(self.tr("Wie opende dit dossier…"), self)
        self.log_button.clicked.connect(self.open_access_log)
        self.close_button = QPushButton(self.tr("Dossier sluiten"), self)
        self.close_button.clicked.connect(self.close_file)

        head_text = QVBoxLayout()
        head_text.addWidget(self.title)
        head_text.addWidget(self.subtitle)
        counter = QVBoxLayout()
        counter.addWidget(self.counter_label)
        counter.addWidget(self.counter_bar)
        head = QHBoxLayout()
        head.addLayout(head_text, 1)
        head.addLayout(counter)
        head.addSpacing(12)
        head.addWidget(self.contact_button)
        head.addWidget(self.log_button)
        head.addWidget(self.close_button)

        self.signal_banner = Banner(self)
        self.banner = Banner(self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Onderdelen van het dossier"))
        self.tabs.addTab(self._details_tab(), self.tr("&Gegevens"))
        self.tabs.addTab(self._trajectories_tab(), self.tr("T&rajecten"))
        self.consent_panel = ConsentPanel(self._ops, self)
        self.consent_panel.sig_consent_changed.connect(self._consent_changed)
        self.consent_panel.sig_appointment_added.connect(self._appointment_added)
        self.tabs.addTab(self.consent_panel, self.tr("&Toestemming"))
        self.tabs.addTab(self._contacts_tab(), self.tr("C&ontacten"))
        self.tabs.addTab(self._appointments_tab(), self.tr("A&fspraken"))
        # Values that lost a sync conflict (ui/sync_status.py); the tab shows only when any.
        from liaison_desktop.ui.sync_status import ConflictList

        self.conflicts = ConflictList(self._ops, self)
        self.tabs.addTab(self.conflicts, self.tr("Confl&icten"))
        self.tabs.setTabVisible(self.tabs.indexOf(self.conflicts), False)
        self.conflicts.sig_count_changed.connect(
            lambda n: self.tabs.setTabVisible(self.tabs.indexOf(self.conflicts), n > 0)
        )
        self.conflicts.sig_restored.connect(self._reopen)

        content = QWidget(self)
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(head)
        body.addWidget(self.signal_banner)
        body.addWidget(self.banner)
        body.addWidget(self.tabs, 1)
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save_details)

    def _details_tab(self) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout()
        general_error = FieldErrors.make_label(tab)
        self.details_errors = FieldErrors(general_error, self)
        self.details = ClientFields(form, self.details_errors, tab)
        self.save_details_button = QPushButton(self.tr("Wijzigingen &opslaan"), tab)
        self.save_details_button.setToolTip(self.tr("Ctrl+S"))
        self.save_details_button.clicked.connect(self.save_details)
        self.revert_button = QPushButton(self.tr("Wijzigingen ongedaan maken"), tab)
        self.revert_button.clicked.connect(self.revert_details)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_details_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)

        self.guardians_model: RecordTableModel[dm.Guardian] = RecordTableModel(
            [
                Column(self.tr("Naam"), lambda x: x.name),
                Column(self.tr("Relatie"), lambda x: x.relation),
                Column(
                    self.tr("Gezag"),
                    lambda x: self.tr("ja") if x.has_authority else self.tr("nee"),
                    tooltip=lambda x: (
                        self.tr("Kan toestemming geven")
                        if x.has_authority
                        else self.tr("Zonder gezag: kan geen toestemming geven")
                    ),
                ),
                Column(self.tr("Telefoon"), lambda x: x.phone),
                Column(self.tr("E-mail"), lambda x: x.email),
            ],
            self,
        )
        self.guardians = QTableView(tab)
        configure_table(self.guardians, self.tr("Ouders en verzorgers"))
        self.guardians.setModel(self.guardians_model)
        self.guardians.doubleClicked.connect(self.edit_guardian)
        add = QPushButton(self.tr("Ouder &toevoegen…"), tab)
        add.clicked.connect(self.add_guardian)
        edit = QPushButton(self.tr("Ouder &wijzigen…"), tab)
        edit.clicked.connect(self.edit_guardian)
        g_buttons = QHBoxLayout()
        g_buttons.addWidget(add)
        g_buttons.addWidget(edit)
        g_buttons.addStretch(1)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(general_error)
        left.addLayout(buttons)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Ouders en verzorgers"), tab))
        right.addWidget(self.guardians, 1)
        right.addLayout(g_buttons)
        row = QHBoxLayout(tab)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        return tab

    def _trajectories_tab(self) -> QWidget:
        tab = QWidget(self)
        cats, statuses, outcomes = (
            labels.request_category_labels(),
            labels.status_labels(),
            labels.outcome_labels(),
        )
        self.trajectories_model: RecordTableModel[dm.Trajectory] = RecordTableModel(
            [
                Column(self.tr("Aangemeld op"), lambda t: labels.format_date(t.referred_on)),
                Column(self.tr("Praktijk"), self._practice_name),
                Column(self.tr("Hulpvraag"), lambda t: cats.get(t.request_category, "")),
                Column(self.tr("Status"), lambda t: statuses[t.status]),
                Column(
                    self.tr("Gesprekken"),
                    lambda t: f"{self._count(t.id)}/{MAX_CONVERSATIONS}",
                ),
                Column(
                    self.tr("Uitkomst"),
                    lambda t: outcomes[t.outcome] if t.outcome else "",
                    tooltip=lambda t: outcomes[t.outcome] if t.outcome else None,  # type: ignore[arg-type,return-value]
                ),
                Column(self.tr("Afgesloten op"), lambda t: labels.format_date(t.closed_on)),
                Column(self.tr("Vraag"), lambda t: t.question, tooltip=lambda t: t.question),
            ],
            self,
        )
        self.trajectories = QTableView(tab)
        configure_table(self.trajectories, self.tr("Trajecten"))
        self.trajectories.setModel(self.trajectories_model)
        self.trajectories.selectionModel().selectionChanged.connect(self._trajectory_selected)
        self.new_trajectory_button = QPushButton(self.tr("&Nieuwe aanmelding…"), tab)
        self.new_trajectory_button.clicked.connect(self.add_trajectory)
        self.start_button = QPushButton(self.tr("&Starten"), tab)
        self.start_button.setToolTip(self.tr("Het eerste gesprek is gepland of gevoerd."))
        self.start_button.clicked.connect(lambda: self.change_status(S.ACTIVE))
        self.pause_button = QPushButton(self.tr("&Pauzeren"), tab)
        self.pause_button.clicked.connect(lambda: self.change_status(S.ON_HOLD))
        self.resume_button = QPushButton(self.tr("&Hervatten"), tab)
        self.resume_button.clicked.connect(lambda: self.change_status(S.ACTIVE))
        self.close_trajectory_button = QPushButton(self.tr("&Afsluiten…"), tab)
        self.close_trajectory_button.clicked.connect(self.close_trajectory)
        buttons = QHBoxLayout()
        for b in (
            self.new_trajectory_button,
            self.start_button,
            self.pause_button,
            self.resume_button,
            self.close_trajectory_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box = QVBoxLayout(tab)
        box.addWidget(self.trajectories, 1)
        box.addLayout(buttons)
        return tab

    def _contacts_tab(self) -> QWidget:
        tab = QWidget(self)
        types, people = labels.contact_type_labels(), labels.participant_labels()
        self.contacts_model: RecordTableModel[dm.Contact] = RecordTableModel(
            [
                Column(self.tr("Wanneer"), lambda c: labels.format_datetime(c.start)),
                Column(self.tr("Soort"), lambda c: types[c.type]),
                Column(
                    self.tr("Duur"), lambda c: self.tr("%1 min").replace("%1", str(c.duration_min))
                ),
                Column(self.tr("Wie"), lambda c: ", ".join(people[p] for p in c.participants)),
                Column(
                    self.tr("Telt mee"),
                    lambda c: self.tr("ja") if c.counts_as_conversation else self.tr("nee"),
                ),
                Column(self.tr("Notitie"), lambda c: c.note, tooltip=lambda c: c.note),
            ],
            self,
        )
        self.contacts = QTableView(tab)
        configure_table(self.contacts, self.tr("Contacten"))
        self.contacts.setModel(self.contacts_model)
        add = QPushButton(self.tr("Contact &vastleggen…"), tab)
        add.setToolTip(self.tr("Ctrl+K"))
        add.clicked.connect(self.open_contact_entry)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        box = QVBoxLayout(tab)
        box.addWidget(self.contacts, 1)
        box.addLayout(row)
        return tab

    def _appointments_tab(self) -> QWidget:
        tab = QWidget(self)
        kinds = labels.appointment_kind_labels()
        self.appointments_model: RecordTableModel[dm.Appointment] = RecordTableModel(
            [
                Column(self.tr("Wanneer"), lambda a: labels.format_datetime(a.start)),
                Column(self.tr("Soort"), lambda a: kinds[a.kind]),
                Column(
                    self.tr("Duur"), lambda a: self.tr("%1 min").replace("%1", str(a.duration_min))
                ),
                Column(self.tr("Omschrijving"), lambda a: a.title),
            ],
            self,
        )
        self.appointments = QTableView(tab)
        configure_table(self.appointments, self.tr("Afspraken"))
        self.appointments.setModel(self.appointments_model)
        box = QVBoxLayout(tab)
        box.addWidget(self.appointments, 1)
        return tab

    # -- public API -------------------------------------------------------------------------

    @property
    def client_id(self) -> str | None:
        return self._file.client.id if self._file else None

    @property
    def file(self) -> ClientFile | None:
        return self._file

    def open_client(self, client_id: str, trajectory_id: str | None = None) -> None:
        """Read and show a client's file; only the newest request is shown."""
        if self._file is not None and self._file.client.id == client_id:
            if trajectory_id:
                self._select_trajectory(trajectory_id)
            self.sig_file_opened.emit(client_id)
            return
        self._stash_draft()
        self._guard.bump()
        self._wanted = (client_id, trajectory_id)
        self._file = None
        self._clear_content()
        self.message.setText(self.tr("Dossier wordt geopend…"))
        self.stack.setCurrentWidget(self.message)
        self._ops.run(
            lambda services, state: (services.open_client(client_id), services.practices()),
            success=self._guard.wrap(self._show_file),
            failure=self._guard.wrap(self._open_failed),
        )

    def adopt(self, old: ClientFileView) -> None:
        """Show what another file view shows, drafts included (rebuilt in a new language);
        the file is not read again, so no second open is logged."""
        old._stash_draft()
        self._drafts = dict(old._drafts)
        old._drafts.clear()
        if old._file is not None:
            current = old.current_trajectory()
            self._wanted = (old._file.client.id, current.id if current else None)
            self._show_file((old._file, old._practices))
            self.tabs.setCurrentIndex(old.tabs.currentIndex())

    def close_file(self) -> None:
        """Close the file view; unsaved detail edits are kept for when it opens again."""
        self._stash_draft()
        self._guard.bump()
        self._file = None
        self._clear_content()
        self.sig_close_requested.emit()

    def drafts_for_lock(self) -> dict[str, dict[str, str]]:
        """Unsaved detail edits by client id (the open file's too), to keep while locked."""
        self._stash_draft()
        return {cid: dict(values) for cid, values in self._drafts.items()}

    def restore_drafts(self, drafts: dict[str, dict[str, str]]) -> None:
        """Take back detail edits kept over a lock; they show when that file opens again."""
        for cid, values in drafts.items():
            if isinstance(values, dict):
                self._drafts.setdefault(cid, {str(k): str(v) for k, v in values.items()})

    def clear(self) -> None:
        """Drop every client detail, draft and open dialog (on lock)."""
        self._guard.bump()
        self._drafts.clear()
        self._file = None
        self._wanted = None
        self._clear_content()
        close_dialogs(self, (AccessLogDialog,))

    def has_unsaved_edits(self) -> bool:
        if self._drafts or (self._file is not None and self.details.is_dirty()):
            return True
        return any(d.has_unsaved_edits() for d in self.findChildren(FormDialog))

    def current_trajectory(self) -> dm.Trajectory | None:
        """The selected trajectory, else the newest open one, else the newest."""
        if self._file is None:
            return None
        row = selected_row(self.trajectories)
        if row is not None:
            return self.trajectories_model.record(row)
        trajectories = self._file.trajectories
        open_ = [t for t in trajectories if t.status != S.CLOSED]
        return (open_ or trajectories or [None])[-1]

    def conversation_count(self, trajectory_id: str) -> int:
        return self._count(trajectory_id)

    # -- showing ----------------------------------------------------------------------------

    def _show_file(self, result: tuple[ClientFile, list[dm.Practice]]) -> None:
        file, self._practices = result
        self._file = file
        wanted_tid = self._wanted[1] if self._wanted else None
        self._wanted = None
        client = file.client
        self.details.set_practices(self._practices, client.practice_id)
        self.details.load(client)
        self.details_errors.clear()
        self._show_header()
        self.guardians_model.set_records(file.guardians)
        self.trajectories_model.set_records(file.trajectories)
        self._show_contacts()
        self.appointments_model.set_records(
            sorted(file.appointments, key=lambda a: a.start, reverse=True)
        )
        self._refresh_consent()
        self.conflicts.set_client(client.id)
        for view in (self.guardians, self.trajectories, self.contacts, self.appointments):
            view.resizeColumnsToContents()
        tid = wanted_tid or (self.current_trajectory().id if self.current_trajectory() else None)
        if tid:
            self._select_trajectory(tid)
        self._update_counter()
        draft = self._drafts.pop(client.id, None)
        if draft is not None:
            self.details.restore(draft)
            self.tabs.setCurrentIndex(0)
            self.banner.show_message(
                self.tr(
                    "Je wijzigingen in de gegevens waren nog niet opgeslagen en zijn teruggezet. "
                    "Sla ze op of maak ze ongedaan."
                ),
                Level.WARNING,
                [(self.tr("Ongedaan maken"), self.revert_details)],
            )
        self.stack.setCurrentIndex(1)
        self.sig_file_opened.emit(client.id)

    def _open_failed(self, exc: BaseException) -> None:
        self._wanted = None

        def show(e: DomainError) -> None:
            self.message.setText(e.message)

        report_failure(self._ops, exc, show)

    def _show_header(self) -> None:
        assert self._file is not None
        c = self._file.client
        self.title.setText(c.full_name)
        parts = [
            self.tr("%1 jaar").replace("%1", str(age_on(c.date_of_birth, today(self._ops)))),
            self.tr("geboren %1").replace("%1", labels.format_date(c.date_of_birth)),
        ]
        if c.bsn:
            parts.append(self.tr("BSN %1").replace("%1", c.bsn))
        practice = self._practice_name_by_id(c.practice_id)
        if practice:
            parts.append(practice)
        self.subtitle.setText(" · ".join(parts))

    def _show_contacts(self) -> None:
        assert self._file is not None
        self.contacts_model.set_records(
            sorted(self._file.contacts, key=lambda c: c.start, reverse=True)
        )

    def _refresh_consent(self) -> None:
        assert self._file is not None
        current = self.current_trajectory()
        self.consent_panel.set_file(
            self._file, today(self._ops), current.practice_id if current else None
        )

    def _clear_content(self) -> None:
        self.title.clear()
        self.subtitle.clear()
        self.details.clear()
        self.details_errors.clear()
        for model in (
            self.guardians_model,
            self.trajectories_model,
            self.contacts_model,
            self.appointments_model,
        ):
            model.clear()
        self.consent_panel.clear()
        self.conflicts.clear()
        self.signal_banner.dismiss()
        self.banner.dismiss()
        self._last_warning = None
        self.counter_label.clear()
        self.counter_bar.setValue(0)
        self.message.setText(self.tr("Open een cliënt uit de caseload (Enter of dubbelklik)."))
        self.stack.setCurrentWidget(self.message)

    def _reopen(self, client_id: str) -> None:
        """Show the file again after a restored conflict changed it."""
        if self._file is not None and self._file.client.id == client_id:
            self._file = None
            self.open_client(client_id)

    def _stash_draft(self) -> None:
        if self._file is not None and self.details.is_dirty():
            self._drafts[self._file.client.id] = self.details.values()

    def _practice_name_by_id(self, practice_id: str) -> str:
        return next((p.name for p in self._practices if p.id == practice_id), "")

    def _practice_name(self, t: dm.Trajectory) -> str:
        return self._practice_name_by_id(t.practice_id)

    def _count(self, trajectory_id: str) -> int:
        if self._file is None:
            return 0
        return conversation_count(
            c for c in self._file.contacts if c.trajectory_id == trajectory_id
        )

    def _select_trajectory(self, trajectory_id: str) -> None:
        for row, t in enumerate(self.trajectories_model.records()):
            if t.id == trajectory_id:
                self.trajectories.selectRow(row)
                return

    def _trajectory_selected(self, *_args: Any) -> None:
        self._update_counter()
        self._update_trajectory_buttons()

    def _update_trajectory_buttons(self) -> None:
        t = self.current_trajectory()
        allowed = allowed_transitions(t.status) if t else frozenset()
        self.start_button.setEnabled(
            t is not None and t.status == S.REFERRED and S.ACTIVE in allowed
        )
        self.pause_button.setEnabled(S.ON_HOLD in allowed)
        self.resume_button.setEnabled(t is not None and t.status == S.ON_HOLD)
        self.close_trajectory_button.setEnabled(S.CLOSED in allowed)
        self.new_trajectory_button.setEnabled(self._file is not None)

    def _update_counter(self) -> None:
        """The five-conversation counter and its suggestion for the current trajectory."""
        t = self.current_trajectory()
        if t is None:
            self.counter_label.setText(self.tr("Geen traject"))
            self.counter_bar.setValue(0)
            self.signal_banner.dismiss()
            return
        count = self._count(t.id)
        self.counter_label.setText(
            self.tr("Gesprekken: %1 van %2")
            .replace("%1", str(count))
            .replace("%2", str(MAX_CONVERSATIONS))
        )
        self.counter_bar.setValue(min(count, MAX_CONVERSATIONS))
        self.counter_bar.setAccessibleDescription(self.counter_label.text())
        signal = conversation_signal(count)
        message = signal_message(signal) if t.status != S.CLOSED else None
        text = " ".join(m for m in (self._last_warning, message) if m)
        if not text:
            self.signal_banner.dismiss()
            return
        level = Level.INFO if signal == ConversationSignal.ONE_LEFT else Level.WARNING
        actions = []
        if (
            signal in (ConversationSignal.REACHED, ConversationSignal.EXCEEDED)
            and t.status != S.CLOSED
        ):
            actions.append((self.tr("Traject afsluiten…"), self.close_trajectory))
        self.signal_banner.show_message(text, level, actions)

    # -- details and guardians ----------------------------------------------------------------

    def save_details(self) -> None:
        if self._file is None:
            return
        self.details_errors.clear()
        try:
            client = self.details.build(self._file.client, today(self._ops))
        except ValidationError as exc:
            self.tabs.setCurrentIndex(0)
            self.details_errors.show(exc)
            return
        self.save_details_button.setEnabled(False)
        self._ops.run(
            lambda services, state: services.update_client(client),
            success=self._guard.wrap(self._details_saved),
            failure=self._guard.wrap(self._details_refused),
        )

    def _details_saved(self, result: Result[dm.Client]) -> None:
        assert self._file is not None
        self.save_details_button.setEnabled(True)
        self._file.client = result.value
        self.details.load(result.value)
        self._show_header()
        self.banner.show_message(self.tr("De gegevens zijn opgeslagen."), Level.SUCCESS)

    def _details_refused(self, exc: BaseException) -> None:
        self.save_details_button.setEnabled(True)
        self.tabs.setCurrentIndex(0)
        report_failure(self._ops, exc, self.details_errors.show)

    def revert_details(self) -> None:
        if self._file is not None:
            self.details.load(self._file.client)
            self.details_errors.clear()
            self.banner.dismiss()

    def add_guardian(self) -> None:
        if self._file is not None:
            self._open_dialog(
                GuardianDialog(self._ops, self._file.client.id, None, self), self._guardian_saved
            )

    def edit_guardian(self, *_args: Any) -> None:
        row = selected_row(self.guardians)
        if self._file is not None and row is not None:
            guardian = self.guardians_model.record(row)
            self._open_dialog(
                GuardianDialog(self._ops, self._file.client.id, guardian, self),
                self._guardian_saved,
            )

    def _guardian_saved(self, result: Result[dm.Guardian]) -> None:
        assert self._file is not None
        self._file.guardians = _replaced(self._file.guardians, result.value)
        self.guardians_model.set_records(self._file.guardians)
        self._refresh_consent()

    # -- trajectories -------------------------------------------------------------------------

    def add_trajectory(self) -> None:
        if self._file is not None:
            dialog = TrajectoryDialog(self._ops, self._file.client, self._practices, self)
            self._open_dialog(dialog, self._trajectory_saved)

    def change_status(self, status: dm.TrajectoryStatus) -> None:
        t = self.current_trajectory()
        if t is None:
            return
        self._ops.run(
            lambda services, state: services.change_status(t.id, status),
            success=self._guard.wrap(self._trajectory_saved),
            failure=self._guard.wrap(
                lambda exc: report_failure(
                    self._ops, exc, lambda e: self.banner.show_message(e.message, Level.ERROR)
                )
            ),
        )

    def close_trajectory(self) -> None:
        """Ask for the outcome and close the current trajectory."""
        t = self.current_trajectory()
        if t is None or t.status == S.CLOSED:
            return
        self.tabs.setCurrentIndex(1)
        self._open_dialog(CloseTrajectoryDialog(self._ops, t, self), self._trajectory_saved)

    def _trajectory_saved(self, result: Result[dm.Trajectory]) -> None:
        assert self._file is not None
        t = result.value
        self._file.trajectories = _replaced(self._file.trajectories, t)
        self.trajectories_model.set_records(self._file.trajectories)
        self._select_trajectory(t.id)
        if t.status == S.CLOSED:
            self._last_warning = None
            self.banner.show_message(
                self.tr("Het traject is afgesloten: %1.").replace(
                    "%1", labels.outcome_labels()[t.outcome] if t.outcome else ""
                ),
                Level.SUCCESS,
            )
        self._update_counter()
        self._update_trajectory_buttons()
        self._refresh_consent()

    # -- contacts -----------------------------------------------------------------------------

    def trajectory_choices(self) -> list[TrajectoryChoice]:
        """The open trajectories a contact can be logged in."""
        if self._file is None:
            return []
        cats = labels.request_category_labels()
        statuses = labels.status_labels()
        return [
            TrajectoryChoice(
                t.id,
                t.practice_id,
                self.tr("%1, aangemeld %2 (%3)")
                .replace("%1", cats.get(t.request_category, ""))
                .replace("%2", labels.format_date(t.referred_on))
                .replace("%3", statuses[t.status]),
                self._count(t.id),
            )
            for t in self._file.trajectories
            if t.status != S.CLOSED
        ]

    def open_contact_entry(self) -> ContactEntryDialog | None:
        """The quick contact entry for this client (Ctrl+K)."""
        if self._file is None:
            return None
        choices = self.trajectory_choices()
        if not choices:
            self.banner.show_message(
                self.tr(
                    "Deze cliënt heeft geen open traject. Een contact hoort bij een traject: "
                    "maak eerst een nieuwe aanmelding."
                ),
                Level.INFO,
                [(self.tr("Nieuwe aanmelding…"), self.add_trajectory)],
            )
            return None
        current = self.current_trajectory()
        services = self._ops.services
        dialog = ContactEntryDialog(
            self._ops,
            self._file.client.id,
            self._file.client.full_name,
            choices,
            current.id if current else None,
            services.now() if services else None,
            self,
        )
        self._open_dialog(dialog, self.apply_contact)
        return dialog

    def apply_contact(self, result: Result[Any]) -> None:
        """Show a logged contact at once: the list, the counter and the suggestion."""
        if self._file is None:
            return
        outcome = result.value
        self._file.contacts = _replaced(self._file.contacts, outcome.contact)
        self._show_contacts()
        self._last_warning = result.warning
        self.trajectories_model.set_records(self._file.trajectories)
        self._select_trajectory(outcome.contact.trajectory_id)
        self._update_counter()

    # -- consent and appointments -------------------------------------------------------------

    def _consent_changed(self, result: Result[dm.Consent]) -> None:
        if self._file is None:
            return
        self._file.consents = _replaced(self._file.consents, result.value)
        self._refresh_consent()

    def _appointment_added(self, result: Result[dm.Appointment]) -> None:
        if self._file is None:
            return
        self._file.appointments = _replaced(self._file.appointments, result.value)
        self.appointments_model.set_records(
            sorted(self._file.appointments, key=lambda a: a.start, reverse=True)
        )

    # -- privacy ------------------------------------------------------------------------------

    def open_access_log(self) -> AccessLogDialog | None:
        if self._file is None:
            return None
        dialog = AccessLogDialog(self._ops, self._file.client.id, self._file.client.full_name, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        dialog.load()
        return dialog

    # -- helpers ------------------------------------------------------------------------------

    def _open_dialog(self, dialog: FormDialog, on_saved: Callable[[Any], None]) -> None:
        dialog.sig_saved.connect(self._guard.wrap(on_saved))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
