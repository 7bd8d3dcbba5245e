"""The main window: first-run set-up, recovery key, unlock, recovery, and the unlocked workspace.

One QStackedWidget holds the screens; only the workspace page ever shows client data. Opening
and creating the encrypted store (Argon2id key derivation) runs on the database worker
(``Ops.open``) while the page shows a busy indicator. Locking is :class:`~.lock.AppLock`'s job.
"""

from __future__ import annotations

import enum
import html
import logging
import math
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QAction,
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QKeySequence,
    QPalette,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop import __version__
from liaison_desktop.domain import model as dm
from liaison_desktop.domain.errors import DomainError
from liaison_desktop.domain.passphrase import passphrase_strength, validate_new_passphrase
from liaison_desktop.store.errors import StoreError
from liaison_desktop.store.keys import (
    KdfParams,
    KeyStoreError,
    TooManyAttempts,
    WrongPassphrase,
    WrongRecoveryKey,
)
from liaison_desktop.ui import i18n
from liaison_desktop.ui.app import error_colour
from liaison_desktop.ui.lock import (
    DEFAULT_IDLE_MINUTES,
    IDLE_MINUTES_KEY,
    MAX_IDLE_MINUTES,
    MIN_IDLE_MINUTES,
    AppLock,
    LockReason,
    idle_minutes,
)
from liaison_desktop.ui.ops import LockedError, Ops, TaskState

if TYPE_CHECKING:
    from liaison_desktop.services.api import Services

# The services (and with them SQLAlchemy and the store, ~0.5 s of imports) are imported
# where they are used, mostly on the DB worker: the unlock screen does not need them.

log = logging.getLogger(__name__)

GEOMETRY_KEY = "shell/geometry"
_COLUMN_CHARS = 68  # width of the centred column on the set-up and unlock screens
_BUSY_DELAY_MS = 400  # show the status-bar busy bar only for work that takes a while
_STRENGTH_COLOURS = ("#c62828", "#c62828", "#ef6c00", "#7cb342", "#2e7d32")


class WorkspaceLike(Protocol):
    """What the shell needs from the unlocked main view (``ui.workspace_view.WorkspaceView``)."""

    def load(self) -> None: ...
    def clear_sensitive(self) -> None: ...
    def actions(self) -> list[QAction]: ...
    def has_unsaved_edits(self) -> bool: ...


WorkspaceFactory = Callable[[Ops, QSettings, QWidget], QWidget]


def _contract(view: QWidget) -> WorkspaceLike:
    return cast(WorkspaceLike, view)


class Page(enum.Enum):
    SETUP = "setup"
    RECOVERY_KEY = "recovery_key"
    UNLOCK = "unlock"
    RECOVER = "recover"
    NEW_PASSPHRASE = "new_passphrase"  # noqa: S105 - a page name
    PROGRESS = "progress"
    WORKSPACE = "workspace"


# --------------------------------------------------------------------------- small widgets


def _column(page: QWidget) -> QVBoxLayout:
    """A scrollable, centred column of readable width on ``page``; returns its layout."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea(page)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    holder = QWidget()
    scroll.setWidget(holder)
    rows = QVBoxLayout(holder)
    rows.addStretch(1)
    middle = QHBoxLayout()
    rows.addLayout(middle)
    rows.addStretch(2)
    body = QWidget(holder)
    body.setMaximumWidth(page.fontMetrics().horizontalAdvance("n") * _COLUMN_CHARS)
    body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    middle.addStretch(1)
    middle.addWidget(body, 6)
    middle.addStretch(1)
    column = QVBoxLayout(body)
    column.setSpacing(page.fontMetrics().height() // 2)
    return column


def _title(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    font = label.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _heading(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _text(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _password_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhSensitiveData
    )
    return edit


def _link_button(parent: QWidget) -> QPushButton:
    """A flat button that looks like a link but is reachable with Tab and has a mnemonic."""
    button = QPushButton(parent)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    font = button.font()
    font.setUnderline(True)
    button.setFont(font)
    palette = button.palette()
    palette.setColor(QPalette.ColorRole.ButtonText, palette.color(QPalette.ColorRole.Link))
    button.setPalette(palette)
    return button


class MessageLabel(QLabel):
    """A message under a field or form: red for errors, normal text for information."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()
        self.is_error = False

    def show_error(self, text: str) -> None:
        self._set(text, error=True)

    def show_info(self, text: str) -> None:
        self._set(text, error=False)

    def clear_message(self) -> None:
        self.clear()
        self.hide()

    def _set(self, text: str, *, error: bool) -> None:
        self.is_error = error
        palette = self.parentWidget().palette() if self.parentWidget() else self.palette()
        if error:
            palette.setColor(QPalette.ColorRole.WindowText, error_colour(palette))
        self.setPalette(palette)
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))
        if error and text:
            # Screen readers announce the message without the user having to look for it.
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))


class BusyIndicator(QWidget):
    """An indeterminate progress bar with a line of text, for work on the database worker."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(self.fontMetrics().horizontalAdvance("n") * 14)
        self.label = _text(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setAccessibleName(text)
        self.show()

    def stop(self) -> None:
        self.hide()


class _Translatable:
    """Mixin: call ``_retranslate()`` when the language changes (tr contexts stay per class)."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()  # type: ignore[attr-defined]
        super().changeEvent(event)  # type: ignore[misc]


class PassphraseFields(_Translatable, QWidget):
    """A new passphrase typed twice, with a live strength hint and a match check."""

    sig_submitted = Signal()
    """Emitted when Enter is pressed in the second field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = _password_edit(self)
        self.repeat = _password_edit(self)
        self.show_chars = QCheckBox(self)
        self.meter = QProgressBar(self)
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(max(6, self.fontMetrics().height() // 2))
        self.hint = _text(self)
        self.first_error = MessageLabel(self)
        self.match = MessageLabel(self)
        self.first_label = QLabel(self)
        self.first_label.setBuddy(self.first)
        self.repeat_label = QLabel(self)
        self.repeat_label.setBuddy(self.repeat)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for w in (self.first_label, self.first, self.meter, self.hint, self.first_error):
            layout.addWidget(w)
        layout.addSpacing(self.fontMetrics().height() // 2)
        for w in (self.repeat_label, self.repeat, self.match):
            layout.addWidget(w)
        layout.addWidget(self.show_chars, 0, Qt.AlignmentFlag.AlignLeft)

        self.first.textChanged.connect(self._update)
        self.repeat.textChanged.connect(self._update)
        self.first.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self.sig_submitted)
        self.show_chars.toggled.connect(self._toggle_echo)
        self._retranslate()
        self._update()

    def passphrase(self) -> str:
        return self.first.text()

    def validate(self) -> bool:
        """Check length and repetition; shows the reason next to the field."""
        self.first_error.clear_message()
        try:
            validate_new_passphrase(self.first.text(), self.repeat.text())
        except DomainError as exc:
            target = self.match if exc.field == "passphrase_repeat" else self.first_error
            target.show_error(i18n.domain_text(exc.message))
            (self.repeat if exc.field == "passphrase_repeat" else self.first).setFocus()
            return False
        return True

    def clear(self) -> None:
        self.first.clear()
        self.repeat.clear()
        self.show_chars.setChecked(False)
        self.first_error.clear_message()

    def set_enabled(self, enabled: bool) -> None:
        for w in (self.first, self.repeat, self.show_chars):
            w.setEnabled(enabled)

    def _toggle_echo(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.repeat.setEchoMode(mode)

    def _update(self) -> None:
        strength = passphrase_strength(self.first.text())
        self.meter.setValue(strength.score)
        palette = self.meter.palette()
        palette.setColor(QPalette.ColorRole.Highlight, Qt.GlobalColor.transparent)
        if self.first.text():
            palette.setColor(
                QPalette.ColorRole.Highlight, QColor(_STRENGTH_COLOURS[strength.score])
            )
        self.meter.setPalette(palette)
        hint = i18n.domain_text(strength.hint)
        self.hint.setText(hint)
        self.meter.setAccessibleDescription(hint)
        if self.first_error.isVisible() and strength.long_enough:
            self.first_error.clear_message()
        first, repeat = self.first.text(), self.repeat.text()
        if not repeat:
            self.match.clear_message()
        elif repeat == first:
            self.match.show_info(self.tr("De wachtwoordzinnen zijn gelijk."))
        elif len(repeat) >= len(first) or not first.startswith(repeat):
            self.match.show_error(self.tr("Nog niet gelijk aan de eerste wachtwoordzin."))
        else:
            self.match.clear_message()

    def _retranslate(self) -> None:
        self.first_label.setText(self.tr("&Wachtwoordzin"))
        self.repeat_label.setText(self.tr("&Herhaal de wachtwoordzin"))
        self.first.setAccessibleName(self.tr("Nieuwe wachtwoordzin"))
        self.repeat.setAccessibleName(self.tr("Herhaal de nieuwe wachtwoordzin"))
        self.show_chars.setText(self.tr("&Tekens tonen"))
        self.meter.setAccessibleName(self.tr("Sterkte van de wachtwoordzin"))
        self._update()


def failure_text(exc: BaseException) -> str:
    """What to tell the user about a failed open/create; unexpected errors are also reported."""
    if isinstance(exc, StoreError | KeyStoreError):
        return i18n.domain_text(str(exc))
    if isinstance(exc, DomainError):
        return i18n.domain_text(exc.message)
    if isinstance(exc, LockedError):
        return QCoreApplication.translate(
            "Shell", "De gegevens zijn vergrendeld. Probeer het opnieuw."
        )
    # Unexpected: log it (type and frames only) through the installed exception hook.
    sys.excepthook(type(exc), exc, exc.__traceback__)
    return QCoreApplication.translate(
        "Shell",
        "Dat lukte niet door een onverwachte fout. Er is niets verloren gegaan; probeer het "
        "opnieuw. Blijft het misgaan, neem dan contact op met je functioneel beheerder.",
    )


# --------------------------------------------------------------------------- first run


class SetupPage(_Translatable, QWidget):
    """First run: the professional's name, the practices, and the passphrase."""

    sig_submitted = Signal(str, list, str)
    """Emitted with (name, practice names, passphrase) when the form is valid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = _column(self)
        self.title = _title(self)
        self.intro = _text(self)
        self.about_you = _heading(self)
        self.name_label = QLabel(self)
        self.name_edit = QLineEdit(self)
        self.name_label.setBuddy(self.name_edit)
        self.name_error = MessageLabel(self)
        self.practices_heading = _heading(self)
        self.practices_help = _text(self)
        self.practice_edit = QLineEdit(self)
        self.add_button = QPushButton(self)
        self.practice_list = QListWidget(self)
        self.practice_list.setMaximumHeight(self.fontMetrics().height() * 5)
        self.remove_button = QPushButton(self)
        self.remove_button.setEnabled(False)
        self.practice_error = MessageLabel(self)
        self.passphrase_heading = _heading(self)
        self.passphrase_help = _text(self)
        self.passphrase = PassphraseFields(self)
        self.error = MessageLabel(self)
        self.busy = BusyIndicator(self)
        self.create_button = QPushButton(self)
        self.create_button.setDefault(True)

        col.addWidget(self.title)
        col.addWidget(self.intro)
        col.addSpacing(self.fontMetrics().height() // 2)
        col.addWidget(self.about_you)
        col.addWidget(self.name_label)
        col.addWidget(self.name_edit)
        col.addWidget(self.name_error)
        col.addSpacing(self.fontMetrics().height() // 2)
        col.addWidget(self.practices_heading)
        col.addWidget(self.practices_help)
        add_row = QHBoxLayout()
        add_row.addWidget(self.practice_edit, 1)
        add_row.addWidget(self.add_button)
        col.addLayout(add_row)
        list_row = QHBoxLayout()
        list_row.addWidget(self.practice_list, 1)
        list_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        col.addLayout(list_row)
        col.addWidget(self.practice_error)
        col.addSpacing(self.fontMetrics().height() // 2)
        col.addWidget(self.passphrase_heading)
        col.addWidget(self.passphrase_help)
        col.addWidget(self.passphrase)
        col.addWidget(self.error)
        col.addWidget(self.busy)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        col.addLayout(buttons)

        self.practice_edit.returnPressed.connect(self._add_practice)
        self.add_button.clicked.connect(self._add_practice)
        self.remove_button.clicked.connect(self._remove_practice)
        self.practice_list.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.practice_list.selectedItems()))
        )
        self.name_edit.returnPressed.connect(self.practice_edit.setFocus)
        self.name_edit.textChanged.connect(lambda: self.name_error.clear_message())
        self.passphrase.sig_submitted.connect(self._submit)
        self.create_button.clicked.connect(self._submit)
        self._retranslate()

    def practices(self) -> list[str]:
        return [self.practice_list.item(i).text() for i in range(self.practice_list.count())]

    def set_busy(self, busy: bool) -> None:
        for w in (self.name_edit, self.practice_edit, self.add_button, self.create_button):
            w.setEnabled(not busy)
        self.passphrase.set_enabled(not busy)
        if busy:
            self.error.clear_message()
            self.busy.start(self.tr("Je werkplek wordt versleuteld aangemaakt…"))
        else:
            self.busy.stop()

    def show_failure(self, exc: BaseException) -> None:
        self.set_busy(False)
        self.error.show_error(failure_text(exc))

    def clear_secrets(self) -> None:
        self.passphrase.clear()

    def _add_practice(self) -> None:
        name = " ".join(self.practice_edit.text().split())
        if not name:
            return
        if name.casefold() not in {p.casefold() for p in self.practices()}:
            self.practice_list.addItem(name)
        self.practice_edit.clear()
        self.practice_error.clear_message()

    def _remove_practice(self) -> None:
        for item in self.practice_list.selectedItems():
            self.practice_list.takeItem(self.practice_list.row(item))

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Delete and self.practice_list.hasFocus():
            self._remove_practice()
            return
        super().keyPressEvent(event)

    def _submit(self) -> None:
        self._add_practice()  # a name typed but not yet added is not lost
        first_invalid: QWidget | None = None
        name = " ".join(self.name_edit.text().split())
        if not name:
            self.name_error.show_error(self.tr("Vul je naam in."))
            first_invalid = self.name_edit
        if not self.practices():
            self.practice_error.show_error(
                self.tr("Voeg minstens één praktijk toe. Later kun je er meer toevoegen.")
            )
            first_invalid = first_invalid or self.practice_edit
        if not self.passphrase.validate():
            first_invalid = first_invalid or self.passphrase.first
        if first_invalid is not None:
            first_invalid.setFocus()
            return
        self.sig_submitted.emit(name, self.practices(), self.passphrase.passphrase())

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Welkom bij Liaison Desktop"))
        self.intro.setText(
            self.tr(
                "Liaison bewaart je caseload versleuteld op deze computer, ook zonder "
                "internet. Stel eerst je werkplek in; dat duurt een minuut."
            )
        )
        self.about_you.setText(self.tr("Over jou"))
        self.name_label.setText(self.tr("Je &naam"))
        self.name_edit.setAccessibleName(self.tr("Je naam"))
        self.name_edit.setPlaceholderText(self.tr("Voornaam en achternaam"))
        self.practices_heading.setText(self.tr("Praktijken waar je werkt"))
        self.practices_help.setText(
            self.tr("Voeg elke huisartsenpraktijk toe waar je dagdelen werkt.")
        )
        self.practice_edit.setPlaceholderText(self.tr("Naam van de praktijk"))
        self.practice_edit.setAccessibleName(self.tr("Naam van een praktijk"))
        self.add_button.setText(self.tr("&Toevoegen"))
        self.add_button.setAccessibleName(self.tr("Praktijk toevoegen"))
        self.practice_list.setAccessibleName(self.tr("Toegevoegde praktijken"))
        self.remove_button.setText(self.tr("&Verwijderen"))
        self.remove_button.setAccessibleName(self.tr("Gekozen praktijk verwijderen"))
        self.passphrase_heading.setText(self.tr("Je wachtwoordzin"))
        self.passphrase_help.setText(
            self.tr(
                "Je typt de wachtwoordzin elke keer dat je Liaison opent. Een zin van een paar "
                "losse woorden is sterk en goed te onthouden, bijvoorbeeld 'fiets regen "
                "lantaarn zeven'. Zonder wachtwoordzin of herstelsleutel kan niemand je "
                "gegevens lezen, ook de helpdesk niet."
            )
        )
        self.create_button.setText(self.tr("&Werkplek aanmaken"))


class RecoveryKeyPage(_Translatable, QWidget):
    """The recovery key, shown once: save it as a file or print it, then confirm."""

    sig_confirmed = Signal()
    """Emitted when the user has ticked that the key is saved and continues."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = ""
        self._data_dir: Path | None = None
        col = _column(self)
        self.title = _title(self)
        self.intro = _text(self)
        self.key_label = QLabel(self)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        if mono.pointSizeF() > 0:
            mono.setPointSizeF(self.font().pointSizeF() * 1.35)
        mono.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(mono)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        margin = self.fontMetrics().height()
        self.key_label.setStyleSheet(
            "QLabel { background: palette(base); border: 1px solid palette(mid);"
            f" border-radius: 4px; padding: {margin}px; }}"
        )
        self.advice = _text(self)
        self.save_button = QPushButton(self)
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.print_button = QPushButton(self)
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.saved = MessageLabel(self)
        self.confirm_check = QCheckBox(self)
        self.continue_button = QPushButton(self)
        self.continue_button.setEnabled(False)
        self.continue_button.setDefault(True)

        col.addWidget(self.title)
        col.addWidget(self.intro)
        col.addWidget(self.key_label)
        col.addWidget(self.advice)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.print_button)
        row.addStretch(1)
        col.addLayout(row)
        col.addWidget(self.saved)
        col.addSpacing(margin // 2)
        col.addWidget(self.confirm_check, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        col.addLayout(buttons)

        self.confirm_check.toggled.connect(self.continue_button.setEnabled)
        self.save_button.clicked.connect(self._save)
        self.print_button.clicked.connect(self._print)
        self.continue_button.clicked.connect(self._continue)
        self._retranslate()

    def set_key(self, key: str, data_dir: Path | None = None) -> None:
        self._key = key
        self._data_dir = data_dir
        groups = key.split("-")
        half = (len(groups) + 1) // 2
        self.key_label.setText("-".join(groups[:half]) + "-\n" + "-".join(groups[half:]))
        self.key_label.setAccessibleName(self.tr("Herstelsleutel"))
        self.confirm_check.setChecked(False)
        self.saved.clear_message()

    def clear(self) -> None:
        """Forget the key: it is shown once."""
        self._key = ""
        self.key_label.clear()
        self.confirm_check.setChecked(False)
        self.saved.clear_message()

    def sheet_text(self) -> str:
        """The text that is saved or printed: the key, when and where, and what to do with it."""
        lines = [
            self.tr("Liaison Desktop – herstelsleutel"),
            "",
            self._key,
            "",
            self.tr("Gemaakt op: %1").replace("%1", datetime.now().strftime("%Y-%m-%d %H:%M")),
        ]
        if self._data_dir is not None:
            lines.append(self.tr("Gegevensmap: %1").replace("%1", str(self._data_dir)))
        lines += [
            "",
            self.tr(
                "Met deze sleutel open je Liaison als je je wachtwoordzin kwijt bent. Bewaar "
                "hem op een veilige plek, niet op dezelfde laptop. Wie de sleutel heeft, kan je "
                "gegevens openen."
            ),
        ]
        return "\n".join(lines)

    def write_file(self, path: Path) -> None:
        """Write the sheet readable by the owner only."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self.sheet_text() + "\n")

    def print_to(self, printer: QPrinter) -> None:
        """Render the sheet on ``printer``, the key large and in a fixed-width font."""
        key_style = "font-family: monospace; font-size: 16pt; font-weight: bold"
        paragraphs = [
            f"<p style='{key_style}'>{html.escape(line)}</p>"
            if line == self._key
            else f"<p>{html.escape(line)}</p>"
            for line in self.sheet_text().split("\n")
            if line
        ]
        doc = QTextDocument()
        doc.setDefaultFont(self.font())
        doc.setHtml("".join(paragraphs))
        doc.print_(printer)

    def _save(self) -> None:
        start = Path.home() / self.tr("liaison-herstelsleutel.txt")
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Herstelsleutel opslaan"), str(start), self.tr("Tekstbestand (*.txt)")
        )
        if not name:
            return
        try:
            self.write_file(Path(name))
        except OSError as exc:
            self.saved.show_error(
                self.tr("Opslaan is mislukt: %1. Kies een andere map.").replace(
                    "%1", exc.strerror or type(exc).__name__
                )
            )
            return
        self.saved.show_info(self.tr("Opgeslagen in %1.").replace("%1", name))

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Herstelsleutel afdrukken"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)
            self.saved.show_info(self.tr("De herstelsleutel is naar de printer gestuurd."))

    def _continue(self) -> None:
        if self.confirm_check.isChecked():
            self.sig_confirmed.emit()

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Bewaar je herstelsleutel"))
        self.intro.setText(
            self.tr(
                "Je werkplek is klaar. Ben je je wachtwoordzin ooit kwijt, dan kom je alleen "
                "met deze herstelsleutel weer bij je gegevens. Hij wordt maar één keer getoond."
            )
        )
        self.advice.setText(
            self.tr(
                "Druk hem af of sla hem op, en bewaar hem op een veilige plek buiten deze "
                "laptop, bijvoorbeeld in een afgesloten la of de kluis van je organisatie. "
                "Wie de sleutel heeft, kan je gegevens openen."
            )
        )
        self.save_button.setText(self.tr("&Opslaan als bestand…"))
        self.print_button.setText(self.tr("&Afdrukken…"))
        self.confirm_check.setText(self.tr("&Ik heb de herstelsleutel bewaard"))
        self.continue_button.setText(self.tr("&Doorgaan"))
        if self._key:
            self.key_label.setAccessibleName(self.tr("Herstelsleutel"))


# --------------------------------------------------------------------------- unlocking


class UnlockPage(_Translatable, QWidget):
    """The lock screen: passphrase, errors, wait countdown, and the way to the recovery key."""

    sig_unlock = Signal(str)
    """Emitted with the typed passphrase when the user asks to unlock."""

    sig_use_recovery = Signal()
    """Emitted when the user chooses to unlock with the recovery key."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reason = ""
        self._deadline = 0.0
        self._demo_passphrase: str | None = None
        self._data_dir: Path | None = None
        col = _column(self)
        self.title = _title(self)
        self.reason = MessageLabel(self)
        self.intro = _text(self)
        self.passphrase_label = QLabel(self)
        self.passphrase = _password_edit(self)
        self.passphrase_label.setBuddy(self.passphrase)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setDefault(True)
        self.error = MessageLabel(self)
        self.countdown = MessageLabel(self)
        self.busy = BusyIndicator(self)
        self.forgot = QLabel(self)
        self.recovery_button = _link_button(self)
        self.demo_hint = MessageLabel(self)
        self.location = _text(self)
        self.location.setEnabled(False)  # greyed: for IT, not for everyday use

        col.addWidget(self.title)
        col.addWidget(self.reason)
        col.addWidget(self.intro)
        col.addWidget(self.passphrase_label)
        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        col.addLayout(row)
        col.addWidget(self.error)
        col.addWidget(self.countdown)
        col.addWidget(self.busy)
        col.addWidget(self.demo_hint)
        forgot_row = QHBoxLayout()
        forgot_row.addWidget(self.forgot)
        forgot_row.addWidget(self.recovery_button)
        forgot_row.addStretch(1)
        col.addLayout(forgot_row)
        col.addSpacing(self.fontMetrics().height())
        col.addWidget(self.location)

        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self.passphrase.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)
        self.recovery_button.clicked.connect(self.sig_use_recovery)
        self._retranslate()

    def set_context(self, data_dir: Path | None, demo_passphrase: str | None) -> None:
        self._data_dir = data_dir
        self._demo_passphrase = demo_passphrase
        self._retranslate()

    def set_reason(self, reason: str) -> None:
        self._reason = reason
        self._show_reason()

    def set_busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy and not self._waiting())
        self.recovery_button.setEnabled(not busy)
        if busy:
            self.error.clear_message()
            self.busy.start(self.tr("Bezig met ontgrendelen…"))
        else:
            self.busy.stop()

    def reset(self) -> None:
        """Back to an empty form (after unlocking, or when locking again)."""
        self.set_busy(False)
        self.passphrase.clear()
        self.error.clear_message()
        self._reason = ""
        self.reason.clear_message()

    def show_failure(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, WrongPassphrase):
            text = self.tr(
                "Deze wachtwoordzin klopt niet. Let op hoofdletters, spaties en de Caps "
                "Lock-toets, en probeer het opnieuw."
            )
            if exc.failed_attempts >= 3:
                text += " " + self.tr(
                    "Wachtwoordzin vergeten? Gebruik dan je herstelsleutel (hieronder)."
                )
            self.error.show_error(text)
            if exc.retry_after_s > 0:
                self.start_countdown(exc.retry_after_s)
        elif isinstance(exc, TooManyAttempts):
            self.error.show_error(
                self.tr(
                    "Na een paar onjuiste pogingen moet je even wachten. Dat beschermt je gegevens."
                )
            )
            self.start_countdown(exc.retry_after_s)
        else:
            self.error.show_error(failure_text(exc))
        self.passphrase.setFocus()
        self.passphrase.selectAll()  # typing replaces the attempt; End keeps it to fix a typo

    def start_countdown(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        self._tick()
        self._timer.start()

    def _waiting(self) -> bool:
        return time.monotonic() < self._deadline

    def _tick(self) -> None:
        remaining = math.ceil(self._deadline - time.monotonic())
        if remaining <= 0:
            self._timer.stop()
            self.countdown.clear_message()
            self.unlock_button.setEnabled(self.passphrase.isEnabled())
            return
        self.unlock_button.setEnabled(False)
        self.countdown.show_info(
            self.tr("Je kunt het over %n seconde(n) opnieuw proberen.", "", remaining)
        )

    def _submit(self) -> None:
        if self._waiting() or not self.passphrase.isEnabled():
            return
        if not self.passphrase.text():
            self.error.show_error(self.tr("Typ eerst je wachtwoordzin."))
            return
        self.sig_unlock.emit(self.passphrase.text())

    def _show_reason(self) -> None:
        texts = {
            LockReason.IDLE: self.tr(
                "Liaison is vergrendeld omdat je een tijdje niets hebt gedaan. Zo blijven je "
                "gegevens afgeschermd als je even wegloopt."
            ),
            LockReason.SUSPEND: self.tr(
                "Liaison is vergrendeld omdat de computer in slaapstand ging."
            ),
            LockReason.SESSION: self.tr(
                "Liaison is vergrendeld omdat het scherm van de computer werd vergrendeld."
            ),
            LockReason.REVOKED: self.tr(
                "Deze laptop is door de beheerder ingetrokken. De gegevens worden niet meer "
                "gesynchroniseerd; neem contact op met functioneel beheer."
            ),
        }
        text = texts.get(self._reason, "")
        if text:
            self.reason.show_info(text)
        else:
            self.reason.clear_message()

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Liaison is vergrendeld"))
        self.intro.setText(self.tr("Typ je wachtwoordzin om je gegevens te openen."))
        self.passphrase_label.setText(self.tr("&Wachtwoordzin"))
        self.passphrase.setAccessibleName(self.tr("Wachtwoordzin"))
        self.unlock_button.setText(self.tr("&Ontgrendelen"))
        self.forgot.setText(self.tr("Wachtwoordzin vergeten?"))
        self.recovery_button.setText(self.tr("&Herstelsleutel gebruiken"))
        self.recovery_button.setAccessibleName(self.tr("Ontgrendelen met de herstelsleutel"))
        if self._demo_passphrase:
            self.demo_hint.show_info(
                self.tr("Demomodus: de wachtwoordzin is '%1'.").replace("%1", self._demo_passphrase)
            )
        else:
            self.demo_hint.clear_message()
        self.location.setText(
            self.tr("Gegevensmap: %1").replace("%1", str(self._data_dir)) if self._data_dir else ""
        )
        self._show_reason()
        if self._timer.isActive():
            self._tick()


class RecoverPage(_Translatable, QWidget):
    """Unlock with the recovery key; a new passphrase is chosen next."""

    sig_submitted = Signal(str)
    """Emitted with the typed recovery key."""

    sig_back = Signal()
    """Emitted when the user goes back to the passphrase."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = _column(self)
        self.title = _title(self)
        self.intro = _text(self)
        self.key_label = QLabel(self)
        self.key_edit = QLineEdit(self)
        self.key_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.key_edit.setPlaceholderText("XXXX-XXXX-XXXX-…")
        self.key_label.setBuddy(self.key_edit)
        self.error = MessageLabel(self)
        self.busy = BusyIndicator(self)
        self.back_button = QPushButton(self)
        self.continue_button = QPushButton(self)
        self.continue_button.setDefault(True)
        col.addWidget(self.title)
        col.addWidget(self.intro)
        col.addWidget(self.key_label)
        col.addWidget(self.key_edit)
        col.addWidget(self.error)
        col.addWidget(self.busy)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        col.addLayout(buttons)
        self.key_edit.returnPressed.connect(self._submit)
        self.continue_button.clicked.connect(self._submit)
        self.back_button.clicked.connect(self.sig_back)
        self._retranslate()

    def set_busy(self, busy: bool) -> None:
        for w in (self.key_edit, self.continue_button, self.back_button):
            w.setEnabled(not busy)
        if busy:
            self.error.clear_message()
            self.busy.start(self.tr("Herstelsleutel controleren…"))
        else:
            self.busy.stop()

    def show_failure(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, WrongRecoveryKey):
            self.error.show_error(i18n.domain_text(str(exc)))
        else:
            self.error.show_error(failure_text(exc))
        self.key_edit.setFocus()  # the typed key stays, so a typo can be fixed

    def clear(self) -> None:
        self.set_busy(False)
        self.key_edit.clear()
        self.error.clear_message()

    def _submit(self) -> None:
        if not self.key_edit.text().strip():
            self.error.show_error(self.tr("Typ eerst de herstelsleutel."))
            return
        self.sig_submitted.emit(self.key_edit.text())

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Herstelsleutel gebruiken"))
        self.intro.setText(
            self.tr(
                "Typ de herstelsleutel die je bij het instellen hebt bewaard. Hoofdletters, "
                "spaties en streepjes maken niet uit. Daarna kies je een nieuwe wachtwoordzin."
            )
        )
        self.key_label.setText(self.tr("&Herstelsleutel"))
        self.key_edit.setAccessibleName(self.tr("Herstelsleutel"))
        self.back_button.setText(self.tr("&Terug"))
        self.continue_button.setText(self.tr("&Doorgaan"))


class NewPassphrasePage(_Translatable, QWidget):
    """After the recovery key: choose a new passphrase (the data is unlocked, not yet shown)."""

    sig_submitted = Signal(str)
    """Emitted with the new passphrase when it is valid."""

    sig_cancelled = Signal()
    """Emitted when the user cancels (the app locks again)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = _column(self)
        self.title = _title(self)
        self.intro = _text(self)
        self.fields = PassphraseFields(self)
        self.error = MessageLabel(self)
        self.busy = BusyIndicator(self)
        self.cancel_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        col.addWidget(self.title)
        col.addWidget(self.intro)
        col.addWidget(self.fields)
        col.addWidget(self.error)
        col.addWidget(self.busy)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        col.addLayout(buttons)
        self.fields.sig_submitted.connect(self._submit)
        self.save_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.sig_cancelled)
        self._retranslate()

    def set_busy(self, busy: bool) -> None:
        self.fields.set_enabled(not busy)
        self.save_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        if busy:
            self.error.clear_message()
            self.busy.start(self.tr("Nieuwe wachtwoordzin opslaan…"))
        else:
            self.busy.stop()

    def show_failure(self, exc: BaseException) -> None:
        self.set_busy(False)
        self.error.show_error(failure_text(exc))

    def clear(self) -> None:
        self.set_busy(False)
        self.fields.clear()
        self.error.clear_message()

    def _submit(self) -> None:
        if self.fields.validate():
            self.sig_submitted.emit(self.fields.passphrase())

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Kies een nieuwe wachtwoordzin"))
        self.intro.setText(
            self.tr(
                "De herstelsleutel klopt. Kies nu een nieuwe wachtwoordzin; de oude werkt "
                "daarna niet meer. Je herstelsleutel blijft geldig, bewaar hem weer goed."
            )
        )
        self.cancel_button.setText(self.tr("&Annuleren"))
        self.cancel_button.setAccessibleName(self.tr("Annuleren en vergrendelen"))
        self.save_button.setText(self.tr("&Opslaan en openen"))


class ProgressPage(_Translatable, QWidget):
    """Long work before the workspace can show (the demo data): a progress bar and a line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        col = _column(self)
        self.title = _title(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.status = _text(self)
        self.error = MessageLabel(self)
        col.addWidget(self.title)
        col.addWidget(self.bar)
        col.addWidget(self.status)
        col.addWidget(self.error)
        self._retranslate()

    def start(self, title: str, status: str = "") -> None:
        self.title.setText(title)
        self.bar.setAccessibleName(title)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.status.setText(status)
        self.error.clear_message()

    def set_progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.status.setText(text)

    def show_failure(self, text: str) -> None:
        self.bar.hide()
        self.error.show_error(text)

    def _retranslate(self) -> None:
        pass  # the texts come from the caller


# --------------------------------------------------------------------------- settings, placeholder


class SettingsDialog(_Translatable, QDialog):
    """Idle time before locking, and the interface language."""

    def __init__(
        self, settings: QSettings, parent: QWidget | None = None, provisioning: Any = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        if provisioning is None:
            from liaison_desktop.services import provisioning as provisioning_module

            provisioning = provisioning_module.current()
        self._provisioning = provisioning
        self.locked_note = _text(self)
        self.idle_label = QLabel(self)
        self.idle_spin = QSpinBox(self)
        self.idle_spin.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.idle_spin.setValue(idle_minutes(settings))
        self.idle_label.setBuddy(self.idle_spin)
        self.idle_help = _text(self)
        self.language_label = QLabel(self)
        self.language_combo = QComboBox(self)
        for code, name in i18n.LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(
            self.language_combo.findData(i18n.language_from_settings(settings))
        )
        self.language_label.setBuddy(self.language_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        form = QFormLayout()
        form.addRow(self.idle_label, self.idle_spin)
        form.addRow("", self.idle_help)
        form.addRow(self.language_label, self.language_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.locked_note)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Settings IT locked (services/provisioning.py) are shown, greyed out, not changeable.
        self._locked = {
            name: widget
            for name, widget in (
                ("idle_minutes", self.idle_spin),
                ("language", self.language_combo),
            )
            if provisioning.is_locked(name)
        }
        for widget in self._locked.values():
            widget.setEnabled(False)
        self.locked_note.setVisible(bool(self._locked))
        self._retranslate()

    def language(self) -> str:
        return str(self.language_combo.currentData())

    def save(self) -> None:
        if "idle_minutes" not in self._locked:
            self._settings.setValue(IDLE_MINUTES_KEY, self.idle_spin.value())
        if "language" not in self._locked:
            self._settings.setValue(i18n.LANGUAGE_KEY, self.language())

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Instellingen"))
        self.idle_label.setText(self.tr("&Vergrendelen na"))
        self.idle_spin.setSuffix(self.tr(" minuten zonder gebruik"))
        self.idle_spin.setAccessibleName(
            self.tr("Minuten zonder gebruik voordat Liaison vergrendelt")
        )
        self.idle_help.setText(
            self.tr("Standaard %1 minuten. Korter is veiliger op een gedeelde werkplek.").replace(
                "%1", str(DEFAULT_IDLE_MINUTES)
            )
        )
        self.language_label.setText(self.tr("&Taal"))
        self.language_combo.setAccessibleName(self.tr("Taal van de app"))
        organisation = self._provisioning.organisation or self.tr("uw organisatie")
        self.locked_note.setText(
            self.tr(
                "Grijze instellingen zijn vastgezet door de beheerder van %1 en kunt u niet "
                "wijzigen."
            ).replace("%1", organisation)
        )
        for widget in self._locked.values():
            widget.setToolTip(self.tr("Vastgezet door de beheerder"))


class PlaceholderWorkspace(_Translatable, QWidget):
    """Stands in for ``ui.workspace_view.WorkspaceView`` while that module is not there."""

    def __init__(self, ops: Ops, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._counts: dict[str, int] | None = None
        layout = QVBoxLayout(self)
        self.label = _text(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)
        self._retranslate()

    def load(self) -> None:
        self._ops.run(lambda sv, _st: sv.counts(), success=self._show)

    def clear_sensitive(self) -> None:
        self._counts = None
        self._retranslate()

    def actions(self) -> list[QAction]:
        return []

    def has_unsaved_edits(self) -> bool:
        return False

    def _show(self, counts: dict[str, int]) -> None:
        self._counts = counts
        self._retranslate()

    def _retranslate(self) -> None:
        text = self.tr("De werkplek is geopend.")
        if self._counts is not None:
            text += " " + self.tr("%n cliënt(en) in deze werkplek.", "", self._counts["clients"])
        self.label.setText(text)


def default_workspace_factory(ops: Ops, settings: QSettings, parent: QWidget) -> QWidget:
    """The real WorkspaceView, or the placeholder while ``ui.workspace_view`` does not exist."""
    try:
        from liaison_desktop.ui.workspace_view import WorkspaceView
    except ModuleNotFoundError as exc:
        if exc.name != "liaison_desktop.ui.workspace_view":
            raise
        log.warning("workspace view not available; showing a placeholder")
        return PlaceholderWorkspace(ops, settings, parent)
    return WorkspaceView(ops, settings, parent)


# --------------------------------------------------------------------------- the window


class Shell(_Translatable, QMainWindow):
    """The top-level window. Create on the GUI thread, then call :meth:`start` or :meth:`open_demo`."""

    sig_page_changed = Signal(object)
    """Emitted on the GUI thread with the new :class:`Page`."""

    def __init__(
        self,
        ops: Ops,
        settings: QSettings,
        data_dir: Path,
        *,
        kdf: KdfParams | None = None,
        workspace_factory: WorkspaceFactory | None = None,
        demo_passphrase: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._settings = settings
        self.data_dir = Path(data_dir)
        self._kdf = kdf
        self._workspace_factory = workspace_factory or default_workspace_factory
        self._demo_passphrase = demo_passphrase
        self.workspace_view: QWidget | None = None

        self.app_lock = AppLock(ops, settings, self, self)
        self.app_lock.sig_locked.connect(self._on_locked)

        self.setup_page = SetupPage(self)
        self.recovery_key_page = RecoveryKeyPage(self)
        self.unlock_page = UnlockPage(self)
        self.unlock_page.set_context(self.data_dir, demo_passphrase)
        self.recover_page = RecoverPage(self)
        self.new_passphrase_page = NewPassphrasePage(self)
        self.progress_page = ProgressPage(self)
        self._stack = QStackedWidget(self)
        self._pages: dict[Page, QWidget] = {
            Page.SETUP: self.setup_page,
            Page.RECOVERY_KEY: self.recovery_key_page,
            Page.UNLOCK: self.unlock_page,
            Page.RECOVER: self.recover_page,
            Page.NEW_PASSPHRASE: self.new_passphrase_page,
            Page.PROGRESS: self.progress_page,
        }
        for page in self._pages.values():
            self._stack.addWidget(page)
        self.setCentralWidget(self._stack)

        self.setup_page.sig_submitted.connect(self._create_workspace)
        self.recovery_key_page.sig_confirmed.connect(self._on_recovery_key_saved)
        self.unlock_page.sig_unlock.connect(self._unlock)
        self.unlock_page.sig_use_recovery.connect(lambda: self._show(Page.RECOVER))
        self.recover_page.sig_submitted.connect(self._unlock_with_recovery)
        self.recover_page.sig_back.connect(self._back_to_unlock)
        self.new_passphrase_page.sig_submitted.connect(self._change_passphrase)
        self.new_passphrase_page.sig_cancelled.connect(
            lambda: self.app_lock.lock(LockReason.MANUAL)
        )

        self._build_menus()
        self._busy_bar = QProgressBar(self)
        self._busy_bar.setRange(0, 0)
        self._busy_bar.setTextVisible(False)
        self._busy_bar.setMaximumWidth(self.fontMetrics().horizontalAdvance("n") * 12)
        self._busy_bar.hide()
        self.statusBar().addPermanentWidget(self._busy_bar)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(_BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._busy_bar.show)
        ops.sig_busy.connect(self._on_ops_busy)
        from liaison_desktop.ui.sync_status import SyncController, SyncStatusWidget

        self.sync_controller = SyncController(ops, parent=self)
        self.sync_status = SyncStatusWidget(self.sync_controller, self)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.addAction(self.sync_status.sync_action)
        self.sync_controller.sig_revoked.connect(self._on_device_check_failed)

        self._retranslate()
        self._restore_geometry()
        self._update_actions()

    # -- public ----------------------------------------------------------------------------

    @property
    def page(self) -> Page:
        current = self._stack.currentWidget()
        if current is not None and current is self.workspace_view:
            return Page.WORKSPACE
        return next(p for p, w in self._pages.items() if w is current)

    def start(self) -> None:
        """Show the set-up when the data folder holds no store yet, else the unlock screen."""
        from liaison_desktop.services import workspace

        if workspace.exists(self.data_dir):
            self._show(Page.UNLOCK)
        else:
            self._show(Page.SETUP)

    def open_demo(
        self,
        create: Callable[[TaskState], Services],
        fill: Callable[[Services, TaskState], Any],
    ) -> None:
        """Create and fill a throw-away store on the worker, then go straight to the workspace."""
        self.progress_page.start(
            self.tr("Demo-omgeving wordt klaargezet"),
            self.tr("Versleutelde demodatabase aanmaken…"),
        )
        self._show(Page.PROGRESS)
        self._ops.open(create, failure=self._on_demo_failed)
        self._ops.run(
            fill,
            progress=self._on_demo_progress,
            success=lambda _report: self.enter_workspace(),
            failure=self._on_demo_failed,
        )

    def enter_workspace(self) -> None:
        """The store is unlocked: show the workspace, load it and start the idle timer."""
        view = self._ensure_workspace_view()
        self._stack.setCurrentWidget(view)
        self.sig_page_changed.emit(Page.WORKSPACE)
        self.app_lock.set_unlocked()
        self._populate_work_menu(view)
        self._update_actions()
        _contract(view).load()
        view.setFocus()
        self._check_device()
        self.sync_controller.start()

    def _check_device(self) -> None:
        """When this laptop is enrolled, ask the server about it in the background. A revoked
        laptop locks at once and offers to wipe its data; offline is normal and says nothing."""

        def check(services: Services, _state: TaskState) -> None:
            from liaison_desktop.services import enrolment

            if not enrolment.is_enrolled(services):
                return
            if enrolment.is_revoked(services):
                raise enrolment.DeviceRevokedError(services.store.paths.data_dir)
            enrolment.check_device(services)

        self._ops.run(check, failure=self._on_device_check_failed)

    def _on_device_check_failed(self, exc: BaseException) -> None:
        from liaison_desktop.services import enrolment

        if not isinstance(exc, enrolment.DeviceRevokedError):
            log.info("device check skipped: %s", type(exc).__name__)
            return
        self.app_lock.lock(LockReason.REVOKED)
        self.offer_wipe(exc.data_dir)

    def offer_wipe(self, data_dir: Path) -> QMessageBox:
        """Ask whether to wipe the local data of a revoked laptop (window-modal)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Laptop ingetrokken"))
        box.setText(
            self.tr(
                "De beheerder heeft deze laptop ingetrokken. Wil je de versleutelde gegevens "
                "op deze laptop nu wissen?"
            )
        )
        box.setInformativeText(
            self.tr(
                "Wat al gesynchroniseerd is, staat veilig op de centrale server. Wissen kan "
                "niet ongedaan worden gemaakt."
            )
        )
        wipe = box.addButton(self.tr("Gegevens &wissen"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("&Niet nu"), QMessageBox.ButtonRole.RejectRole)
        box.setObjectName("wipe_offer")

        def answered(_button: object) -> None:
            if box.clickedButton() is wipe:
                self._ops.close(done=lambda _result: self._wipe(data_dir))

        box.buttonClicked.connect(answered)
        box.open()
        return box

    def _wipe(self, data_dir: Path) -> None:
        from liaison_desktop.services import enrolment

        report = enrolment.wipe_local_data(data_dir)
        log.warning("local data wiped after revocation (%d files)", len(report.removed))
        self._show(Page.SETUP)
        self.statusBar().showMessage(self.tr("De gegevens op deze laptop zijn gewist."), 10000)

    def lock(self) -> None:
        """Lock now (Ctrl+L)."""
        self.app_lock.lock(LockReason.MANUAL)

    # -- pages -----------------------------------------------------------------------------

    def _show(self, page: Page) -> None:
        widget = self._pages[page]
        self._stack.setCurrentWidget(widget)
        focus = {
            Page.SETUP: self.setup_page.name_edit,
            Page.UNLOCK: self.unlock_page.passphrase,
            Page.RECOVER: self.recover_page.key_edit,
            Page.NEW_PASSPHRASE: self.new_passphrase_page.fields.first,
            Page.RECOVERY_KEY: self.recovery_key_page.save_button,
        }.get(page)
        if focus is not None:
            focus.setFocus()
        self._update_actions()
        self.sig_page_changed.emit(page)

    def prepare_workspace(self) -> None:
        """Build the workspace view ahead of unlocking (empty and hidden). Idempotent."""
        self._ensure_workspace_view()

    def _ensure_workspace_view(self) -> QWidget:
        if self.workspace_view is None:
            view = self._workspace_factory(self._ops, self._settings, self)
            self._stack.addWidget(view)
            self.app_lock.add_sensitive(_contract(view))
            self.workspace_view = view
        return self.workspace_view

    def _create_workspace(self, name: str, practice_names: list[str], passphrase: str) -> None:
        self.setup_page.set_busy(True)
        data_dir, kdf = self.data_dir, self._kdf
        created: dict[str, str] = {}

        def create(_state: TaskState) -> Services:
            from liaison_desktop.services import workspace

            practices = [dm.Practice(name=n) for n in practice_names]
            services, created["recovery"] = workspace.create_workspace(
                data_dir, passphrase, name, practices, kdf=kdf
            )
            return services

        def done(_services: Services) -> None:
            self.setup_page.set_busy(False)
            self.setup_page.clear_secrets()
            self.recovery_key_page.set_key(created.pop("recovery"), data_dir)
            self._show(Page.RECOVERY_KEY)

        self._ops.open(create, success=done, failure=self.setup_page.show_failure)

    def _on_recovery_key_saved(self) -> None:
        self.recovery_key_page.clear()
        self.enter_workspace()

    def _unlock(self, passphrase: str) -> None:
        self.unlock_page.set_busy(True)
        data_dir = self.data_dir

        def done(_services: Services) -> None:
            self.unlock_page.reset()
            self.enter_workspace()

        def open_store(_state: TaskState) -> Services:
            from liaison_desktop.services import workspace

            return workspace.open_workspace(data_dir, passphrase)

        self._ops.open(
            open_store,
            success=done,
            failure=self.unlock_page.show_failure,
        )
        # Build the (still empty, hidden) workspace while the worker derives the key, which
        # releases the GIL: done after unlocking, it froze the window for ~50 ms.
        QTimer.singleShot(0, self.prepare_workspace)

    def _unlock_with_recovery(self, key: str) -> None:
        self.recover_page.set_busy(True)
        data_dir = self.data_dir

        def done(_services: Services) -> None:
            self.recover_page.clear()
            self.new_passphrase_page.clear()
            self._show(Page.NEW_PASSPHRASE)
            # Unlocked, though nothing is shown yet: idle and suspend lock apply from here.
            self.app_lock.set_unlocked()
            self._update_actions()

        def open_store(_state: TaskState) -> Services:
            from liaison_desktop.services import workspace

            return workspace.open_workspace_with_recovery(data_dir, key)

        self._ops.open(
            open_store,
            success=done,
            failure=self.recover_page.show_failure,
        )

    def _change_passphrase(self, passphrase: str) -> None:
        self.new_passphrase_page.set_busy(True)

        def done(_result: object) -> None:
            self.new_passphrase_page.clear()
            self.enter_workspace()
            self.statusBar().showMessage(self.tr("Je nieuwe wachtwoordzin is opgeslagen."), 8000)

        self._ops.run(
            lambda services, _state: services.change_passphrase(passphrase),
            success=done,
            failure=self.new_passphrase_page.show_failure,
        )

    def _back_to_unlock(self) -> None:
        self.recover_page.clear()
        self._show(Page.UNLOCK)

    def _on_locked(self, reason: str) -> None:
        self.sync_controller.stop()
        self.unlock_page.reset()
        self.unlock_page.set_reason(reason)
        for page in (self.recover_page, self.new_passphrase_page):
            page.clear()
        self.statusBar().clearMessage()
        self._populate_work_menu(None)
        self._show(Page.UNLOCK)

    def _on_demo_progress(self, done: int, total: int, _text: str) -> None:
        self.progress_page.set_progress(
            done,
            total,
            self.tr("%1 van %2 demo-cliënten aangemaakt")
            .replace("%1", str(done))
            .replace("%2", str(total)),
        )

    def _on_demo_failed(self, exc: BaseException) -> None:
        if isinstance(exc, LockedError):
            return  # the open before it failed and was reported
        self.progress_page.show_failure(failure_text(exc))

    # -- menus -----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.show_settings)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.work_menu = bar.addMenu("")
        self.work_menu.menuAction().setVisible(False)
        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    def _populate_work_menu(self, view: QWidget | None) -> None:
        """The workspace's actions live in the menu only while unlocked (no shortcuts when locked)."""
        self.work_menu.clear()
        actions = list(_contract(view).actions()) if view is not None else []
        for action in actions:
            self.work_menu.addAction(action)
        self.work_menu.menuAction().setVisible(bool(actions))

    def _update_actions(self) -> None:
        self.lock_action.setEnabled(self.app_lock.unlocked)

    def show_settings(self) -> None:
        dialog = SettingsDialog(self._settings, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        old_language = i18n.language_from_settings(self._settings)
        dialog.save()
        self.app_lock.idle.reload_settings()
        if dialog.language() != old_language:
            app = QApplication.instance()
            if app is not None:
                i18n.install(app, dialog.language())

    def show_about(self) -> None:
        from PySide6 import __version__ as pyside_version

        QMessageBox.about(
            self,
            self.tr("Over Liaison Desktop"),
            self.tr(
                "<p><b>Liaison Desktop %1</b></p><p>De werkplek van de jeugdprofessional bij "
                "de huisarts: caseload, toestemming, contacten en rooster, versleuteld op "
                "deze computer.</p><p>Gegevensmap: %2<br>Qt %3</p>"
            )
            .replace("%1", __version__)
            .replace("%2", html.escape(str(self.data_dir)))
            .replace("%3", pyside_version),
        )

    # -- window ----------------------------------------------------------------------------

    def _retranslate(self) -> None:
        title = self.tr("Liaison Desktop")
        if self._demo_passphrase:
            title = self.tr("Liaison Desktop – demo")
        self.setWindowTitle(title)
        self.file_menu.setTitle(self.tr("&Bestand"))
        self.work_menu.setTitle(self.tr("&Werkplek"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.lock_action.setText(self.tr("&Vergrendelen"))
        self.lock_action.setToolTip(self.tr("Vergrendel Liaison en verberg alle gegevens"))
        self.settings_action.setText(self.tr("&Instellingen…"))
        self.quit_action.setText(self.tr("&Afsluiten"))
        self.about_action.setText(self.tr("&Over Liaison Desktop"))
        self._busy_bar.setAccessibleName(self.tr("Bezig met verwerken"))

    def _on_ops_busy(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self._busy_bar.hide()

    def _restore_geometry(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(QByteArray(geometry)):
            return
        screen = self.screen().availableGeometry() if self.screen() else None
        size = QSize(1180, 760)
        if screen is not None:
            size = size.boundedTo(screen.size() * 0.9)
        self.resize(size)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        view = self.workspace_view
        if self.app_lock.unlocked and view is not None and _contract(view).has_unsaved_edits():
            answer = QMessageBox.question(
                self,
                self.tr("Niet-opgeslagen wijzigingen"),
                self.tr(
                    "Je hebt wijzigingen die nog niet zijn opgeslagen. Wil je Liaison toch "
                    "afsluiten? Dan gaan die wijzigingen verloren."
                ),
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.app_lock.idle.disarm()
        self.app_lock.system.stop()
        self._ops.close()  # drop the key once the queued work is done
        super().closeEvent(event)
