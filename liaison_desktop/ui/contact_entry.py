"""Quick, keyboard-first entry of a contact (Ctrl+K opens it, Enter saves)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conversations import (
    MAX_CONVERSATIONS,
    check_new_conversation,
    counts_by_default,
)
from liaison_desktop.domain.validation import MAX_DURATION_MIN, MIN_DURATION_MIN
from liaison_desktop.services.api import Services
from liaison_desktop.ui import labels
from liaison_desktop.ui.forms import Banner, FieldErrors, FormDialog, Level
from liaison_desktop.ui.ops import Ops

P, T = dm.Participant, dm.ContactType

DEFAULT_PARTICIPANTS: dict[dm.ContactType, tuple[dm.Participant, ...]] = {
    T.CONVERSATION_CHILD: (P.CHILD,),
    T.CONVERSATION_PARENTS: (P.PARENT,),
    T.CONVERSATION_FAMILY: (P.CHILD, P.PARENT),
    T.PHONE: (P.PARENT,),
    T.GP_CONSULTATION: (P.GP,),
    T.TEAM_MEETING: (P.NEIGHBOURHOOD_TEAM,),
    T.OTHER_PROFESSIONAL: (P.OTHER,),
}


@dataclass(frozen=True, slots=True)
class TrajectoryChoice:
    """A trajectory the contact can be logged in, with the conversations held so far."""

    trajectory_id: str
    practice_id: str
    label: str
    conversations: int


class _EnterSaves(QObject):
    """In the note, Enter saves and Shift+Enter starts a new line."""

    def __init__(self, save: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._save = save

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self._save()
            return True
        return False


class ContactEntryDialog(FormDialog):
    """Log one contact: type, date and time, duration, participants, note.

    Shows at once which conversation this will be and warns before a sixth. The result of
    a save (``sig_saved``) is the services' ``Result[ContactOutcome]`` with the count, the
    five-conversation signal and any warning. GUI thread only.
    """

    def __init__(
        self,
        ops: Ops,
        client_id: str,
        client_label: str,
        trajectories: Sequence[TrajectoryChoice],
        default_trajectory_id: str | None = None,
        now: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, self.tr("Contact vastleggen"), parent)
        self._client_id = client_id
        self._choices = list(trajectories)
        self._participants_touched = False
        self._counts_touched = False
        self.set_intro(
            self.tr(
                "Contact met %1. Enter slaat op, Shift+Enter geeft een nieuwe regel in de "
                "notitie, Esc annuleert."
            ).replace("%1", client_label)
        )

        self.trajectory = QComboBox(self)
        for c in self._choices:
            self.trajectory.addItem(c.label, c.trajectory_id)
        if default_trajectory_id:
            self.trajectory.setCurrentIndex(max(0, self.trajectory.findData(default_trajectory_id)))
        self.type = QComboBox(self)
        for t, text in labels.contact_type_labels().items():
            self.type.addItem(text, t)
        self.start = QDateTimeEdit(self)
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd-MM-yyyy HH:mm")
        moment = now or datetime.now()
        self.start.setDateTime(
            QDateTime(
                QDate(moment.year, moment.month, moment.day),
                QTime(moment.hour, moment.minute - moment.minute % 5),
            )
        )
        self.duration = QSpinBox(self)
        self.duration.setRange(MIN_DURATION_MIN, MAX_DURATION_MIN)
        self.duration.setSingleStep(5)
        self.duration.setValue(45)
        self.duration.setSuffix(self.tr(" min"))
        self.participant_boxes: dict[dm.Participant, QCheckBox] = {}
        participants = QWidget(self)
        grid = QGridLayout(participants)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (p, text) in enumerate(labels.participant_labels().items()):
            box = QCheckBox(text, participants)
            box.clicked.connect(self._participants_clicked)
            self.participant_boxes[p] = box
            grid.addWidget(box, i // 3, i % 3)
        participants.setAccessibleName(self.tr("Wie waren erbij"))
        self.counts = QCheckBox(self.tr("Telt mee voor de vijf gesprekken"), self)
        self.counts.clicked.connect(self._counts_clicked)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            self.tr("Wat is er besproken en afgesproken? (Shift+Enter voor een nieuwe regel)")
        )
        self.note.setMinimumHeight(self.fontMetrics().height() * 5)
        self.note.installEventFilter(_EnterSaves(self.save, self))

        e = self.errors
        e.add_row(self.form, self.tr("&Traject"), self.trajectory, "trajectory_id")
        e.alias("trajectory", "trajectory_id")
        if len(self._choices) == 1:
            # One trajectory needs no choice; keep the row out of the tab order and sight.
            self.form.setRowVisible(self.form.rowCount() - 1, False)
        e.add_row(self.form, self.tr("&Soort contact"), self.type, "type")
        e.add_row(self.form, self.tr("&Datum en tijd"), self.start, "start")
        e.add_row(self.form, self.tr("D&uur"), self.duration, "duration_min")
        e.add_row(self.form, self.tr("&Wie waren erbij"), participants, "participants")
        e.add_row(self.form, "", self.counts, "counts_as_conversation")
        e.add_row(self.form, self.tr("&Notitie"), self.note, "note")
        self.counter = QLabel(self)
        self.counter.setAccessibleName(self.tr("Gesprekkenteller"))
        bold = self.counter.font()
        bold.setBold(True)
        self.counter.setFont(bold)
        self.warning = Banner(self, closable=False)
        self.layout_.insertWidget(1, self.counter)
        self.layout_.insertWidget(2, self.warning)

        self.type.currentIndexChanged.connect(self._type_changed)
        self.trajectory.currentIndexChanged.connect(self._update_counter)
        self._type_changed()
        self.track_edits(self.type, self.start, self.duration, self.counts, self.note)
        for box in self.participant_boxes.values():
            self.track_edits(box)
        self._dirty = False
        self.resize(560, self.sizeHint().height())
        self.type.setFocus()

    # -- live feedback --------------------------------------------------------------------

    def current_type(self) -> dm.ContactType:
        return dm.ContactType(self.type.currentData())

    def _choice(self) -> TrajectoryChoice | None:
        tid = self.trajectory.currentData()
        return next((c for c in self._choices if c.trajectory_id == tid), None)

    def _type_changed(self, *_args: Any) -> None:
        t = self.current_type()
        if not self._counts_touched:
            self.counts.setChecked(counts_by_default(t))
        if not self._participants_touched:
            defaults = DEFAULT_PARTICIPANTS.get(t, ())
            for p, box in self.participant_boxes.items():
                box.setChecked(p in defaults)
        self._update_counter()

    def _participants_clicked(self) -> None:
        self._participants_touched = True

    def _counts_clicked(self) -> None:
        self._counts_touched = True
        self._update_counter()

    def _update_counter(self, *_args: Any) -> None:
        choice = self._choice()
        held = choice.conversations if choice else 0
        if not self.counts.isChecked():
            self.counter.setText(
                self.tr("Dit contact telt niet mee; er zijn %1 van %2 gesprekken gevoerd.")
                .replace("%1", str(held))
                .replace("%2", str(MAX_CONVERSATIONS))
            )
            self.warning.dismiss()
            return
        self.counter.setText(
            self.tr("Dit wordt gesprek %1 van %2.")
            .replace("%1", str(held + 1))
            .replace("%2", str(MAX_CONVERSATIONS))
        )
        warning = check_new_conversation(held)
        if warning:
            self.warning.show_message(warning, Level.WARNING)
        else:
            self.warning.dismiss()

    # -- saving ---------------------------------------------------------------------------

    def operation(self) -> Callable[[Services, Any], Any]:
        choice = self._choice()
        if choice is None:
            raise FieldErrors.error(
                "trajectory_id",
                self.tr(
                    "Deze cliënt heeft geen open traject. Maak eerst een aanmelding aan in "
                    "het tabblad Trajecten."
                ),
            )
        qdt = self.start.dateTime()
        d, t = qdt.date(), qdt.time()
        contact = dm.Contact(
            client_id=self._client_id,
            trajectory_id=choice.trajectory_id,
            type=self.current_type(),
            start=datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()),
            duration_min=self.duration.value(),
            practice_id=choice.practice_id,
            participants=tuple(p for p, box in self.participant_boxes.items() if box.isChecked()),
            note=self.note.toPlainText().strip(),
            counts_as_conversation=self.counts.isChecked(),
        )
        return lambda services, state: services.log_contact(contact)
