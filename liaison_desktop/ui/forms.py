"""Small shared pieces for the views' forms: errors under fields, message banners, stale guards."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.ui.ops import Ops


def today(ops: Ops) -> date:
    """The services' idea of today (replaceable in tests); the system date when locked."""
    services = ops.services
    return services.today() if services is not None else date.today()


def close_dialogs(owner: QWidget, own: tuple[type[QDialog], ...] = ()) -> None:
    """Close every dialog under ``owner`` (on lock); delete ours at once so nothing lingers.

    ``own`` are the dialog classes this app creates on the heap (FormDialog always counts);
    others, such as Qt's static file dialogs that live on a C++ stack, are only rejected.
    """
    for dialog in owner.findChildren(QDialog):
        if not shiboken6.isValid(dialog):
            continue  # deleted with its parent dialog
        dialog.done(0)
        if isinstance(dialog, (FormDialog, *own)):
            shiboken6.delete(dialog)


def plain(text: str) -> str:
    """A label text without its '&' mnemonic marker, for accessible names."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def report_failure(ops: Ops, exc: BaseException, show: Callable[[DomainError], None]) -> None:
    """Show a refused input with ``show``; hand anything unexpected to the app's error dialog.

    GUI thread only. Domain errors carry a Dutch message without client data; other errors
    are bugs or I/O problems that the shell reports (and logs without client data).
    """
    if isinstance(exc, DomainError):
        show(exc)
    else:
        ops.sig_error.emit(exc)


class StaleGuard:
    """Drops results that arrive after newer work was started or after the view was cleared.

    ``wrap(fn)`` remembers the current generation; the wrapped callback runs only while no
    ``bump()`` happened in between. Bump when starting a newer query (newest result wins)
    and when clearing the view on lock (no late result repopulates a locked screen).
    GUI thread only.
    """

    def __init__(self) -> None:
        self._generation = 0

    def bump(self) -> None:
        self._generation += 1

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., None]:
        generation = self._generation

        def guarded(*args: Any) -> None:
            if generation == self._generation:
                fn(*args)

        return guarded


class FieldErrors(QObject):
    """Shows a ValidationError's messages in labels under the fields they belong to.

    Register each input with ``add_row`` (which builds the label-field-error row of a
    QFormLayout) or ``watch``. Messages without a known field go to the general label.
    The inputs keep whatever was typed: this class only shows and clears messages.
    GUI thread only.
    """

    def __init__(self, general: QLabel | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels: dict[str, QLabel] = {}
        self._inputs: dict[str, QWidget] = {}
        self._general = general

    @staticmethod
    def make_label(parent: QWidget | None = None) -> QLabel:
        """A hidden, word-wrapped error label in a colour that reads on light and dark."""
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setVisible(False)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setObjectName("fieldError")
        label.setProperty("role", "error")
        colour = "#ff8a80" if parent is not None and _dark(parent) else "#b3261e"
        label.setStyleSheet(f"color: {colour};")
        return label

    def set_general(self, label: QLabel) -> None:
        self._general = label

    def watch(self, field: str, input_widget: QWidget, label: QLabel) -> None:
        """Route messages for ``field`` to ``label``; ``input_widget`` gets the focus."""
        self._labels[field] = label
        self._inputs[field] = input_widget

    def alias(self, field: str, same_as: str) -> None:
        """Show messages for ``field`` where those for ``same_as`` go."""
        self._labels[field] = self._labels[same_as]
        self._inputs[field] = self._inputs[same_as]

    def add_row(
        self, form: QFormLayout, label_text: str, input_widget: QWidget, field: str | None
    ) -> QLabel:
        """Add ``label_text`` / ``input_widget`` to ``form`` with an error label underneath."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(input_widget)
        error = self.make_label(holder)
        box.addWidget(error)
        label = QLabel(label_text)
        label.setBuddy(input_widget)
        form.addRow(label, holder)
        if not input_widget.accessibleName():
            input_widget.setAccessibleName(plain(label_text))
        if field:
            self.watch(field, input_widget, error)
        return error

    def clear(self) -> None:
        for label in {*self._labels.values(), *([self._general] if self._general else [])}:
            label.clear()
            label.setVisible(False)
        for widget in self._inputs.values():
            widget.setAccessibleDescription("")

    def show(self, exc: DomainError) -> None:
        """Show the messages of ``exc`` (a ValidationError or a single DomainError)."""
        self.clear()
        errors = exc.errors if isinstance(exc, ValidationError) else [exc]
        grouped: dict[QLabel | None, list[str]] = {}
        first_input: QWidget | None = None
        for e in errors:
            label = self._labels.get(e.field or "", self._general)
            grouped.setdefault(label, []).append(e.message)
            if first_input is None and e.field in self._inputs:
                first_input = self._inputs[e.field]
        for label, messages in grouped.items():
            if label is None:
                continue
            label.setText("\n".join(dict.fromkeys(messages)))
            label.setVisible(True)
        for field, widget in self._inputs.items():
            label = self._labels[field]
            if not label.isHidden():
                widget.setAccessibleDescription(label.text())
        if first_input is not None:
            first_input.setFocus(Qt.FocusReason.OtherFocusReason)

    def label_for(self, field: str) -> QLabel:
        """The error label that shows messages about ``field``."""
        return self._labels[field]

    def input_for(self, field: str) -> QWidget:
        """The input that ``field``'s messages are about."""
        return self._inputs[field]

    def messages(self) -> dict[str, str]:
        """The visible messages by field (for tests and accessibility checks)."""
        return {f: lbl.text() for f, lbl in self._labels.items() if not lbl.isHidden()}

    @staticmethod
    def error(field: str, message: str) -> ValidationError:
        """A ValidationError raised by the interface itself (e.g. a date it cannot read)."""
        return ValidationError([DomainError("input_unreadable", message, field)])


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    SUCCESS = "success"


_LEVEL_COLOURS = {
    Level.INFO: "33,150,243",
    Level.WARNING: "255,171,0",
    Level.ERROR: "229,57,53",
    Level.SUCCESS: "67,160,71",
}


class Banner(QFrame):
    """A message strip above a form or table: info, warning, error or success.

    Semi-transparent colours keep the system palette's text colour readable in light and
    dark mode. Optional action buttons sit on the right. GUI thread only.
    """

    def __init__(self, parent: QWidget | None = None, closable: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._buttons = QHBoxLayout()
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addLayout(self._buttons)
        self._close = QToolButton(self)
        self._close.setText("×")
        self._close.setAutoRaise(True)
        self._close.setToolTip(self.tr("Melding sluiten"))
        self._close.setAccessibleName(self.tr("Melding sluiten"))
        self._close.clicked.connect(self.dismiss)
        self._close.setVisible(closable)
        row.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        self.level = Level.INFO
        self.setVisible(False)

    def show_message(
        self,
        text: str,
        level: Level = Level.INFO,
        actions: Iterable[tuple[str, Callable[[], None]]] = (),
    ) -> None:
        self.clear_actions()
        self.level = level
        rgb = _LEVEL_COLOURS[level]
        self.setStyleSheet(
            f"QFrame#banner {{ background: rgba({rgb},0.16); border: 1px solid rgba({rgb},0.7);"
            " border-radius: 4px; }"
        )
        self.label.setText(text)
        self.setAccessibleName(text)
        for caption, callback in actions:
            button = QPushButton(caption, self)
            button.clicked.connect(callback)
            self._buttons.addWidget(button)
        self.setVisible(True)

    def clear_actions(self) -> None:
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def dismiss(self) -> None:
        self.clear_actions()
        self.label.clear()
        self.setVisible(False)

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()


_DATE_PATTERNS = (
    re.compile(r"^\s*(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})\s*$"),
    re.compile(r"^\s*(\d{2})(\d{2})(\d{4})\s*$"),
)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(text: str) -> date | None:
    """Read a date typed as d-m-jjjj (also with / . or space, or ddmmjjjj, or ISO); None if not."""
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            day, month, year = (int(g) for g in m.groups())
            break
    else:
        m = _ISO.match(text)
        if not m:
            return None
        year, month, day = (int(g) for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def format_input_date(day: date) -> str:
    """A date the way parse_date reads it back (dd-mm-jjjj)."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


class FormDialog(QDialog):
    """A dialog with a form whose save runs on the ops worker.

    Subclasses fill ``self.form`` and implement ``operation()``, which reads the inputs on
    the GUI thread and returns the function to run on the worker (or raises a
    ValidationError for input the interface cannot read). A refused save shows the
    messages under the fields and leaves every input as typed. GUI thread only.
    """

    sig_saved = Signal(object)
    """Emitted with the worker's result after a successful save, just before closing."""

    def __init__(self, ops: Ops, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self._guard = StaleGuard()
        self._busy = False
        self._dirty = False
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setVisible(False)
        self.general_error = FieldErrors.make_label(self)
        self.errors = FieldErrors(self.general_error, self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Opslaan"))
        self.save_button.setDefault(True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("m") * 38)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.intro)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.general_error)
        self.layout_.addWidget(self.buttons)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def track_edits(self, *widgets: QWidget) -> None:
        """Count any change in these inputs as an unsaved edit."""
        for w in widgets:
            for name in ("textEdited", "textChanged", "toggled", "dateTimeChanged", "valueChanged"):
                signal = getattr(w, name, None)
                if signal is not None and hasattr(signal, "connect"):
                    signal.connect(self._mark_dirty)
                    break
            else:
                if isinstance(w, QComboBox):
                    w.currentIndexChanged.connect(self._mark_dirty)

    def _mark_dirty(self, *_args: Any) -> None:
        self._dirty = True

    def has_unsaved_edits(self) -> bool:
        return self._dirty and self.isVisible()

    def operation(self) -> Callable[[Any, Any], Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def save(self) -> None:
        if self._busy:
            return
        self.errors.clear()
        try:
            fn = self.operation()
        except ValidationError as exc:
            self._show_errors(exc)
            return
        self._set_busy(True)
        self.ops.run(
            fn, success=self._guard.wrap(self._saved), failure=self._guard.wrap(self._failed)
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)

    def _saved(self, result: Any) -> None:
        self._set_busy(False)
        self._dirty = False
        self.sig_saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        report_failure(self.ops, exc, self._show_errors)

    def _show_errors(self, exc: DomainError) -> None:
        self.errors.show(exc)
        # Grow so that the messages (wrapped labels) fit without squeezing the inputs.
        self.layout_.activate()
        hint = self.sizeHint()
        self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    def done(self, result: int) -> None:
        self._guard.bump()  # a save still running no longer reaches a closed dialog
        super().done(result)
