"""Typed text that survives a lock: collected from open forms, shown again after unlock.

Locking hides every client detail and drops the key, and it closes open forms. What was typed
in them but not saved is handed to the services (``Services.keep_drafts``) just before the
key goes, so it waits inside the encrypted store; after unlock the workspace takes it back and
shows it in a :class:`KeptTextDialog` from which it can be copied into the form again. GUI
thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.ui.forms import FormDialog, plain


def _label_for(dialog: QWidget, widget: QWidget) -> str:
    """The form label beside ``widget``, else its accessible name."""
    for form in dialog.findChildren(QFormLayout):
        label = form.labelForField(widget)
        if isinstance(label, QLabel) and label.text():
            return plain(label.text()).rstrip(":")
    return widget.accessibleName() or widget.objectName()


def form_texts(dialog: QWidget) -> list[list[str]]:
    """``[label, text]`` of every non-empty free-text input of a form (spin and date boxes,
    combo boxes and read-only fields are left out: they are quickly set again)."""
    out: list[list[str]] = []
    for w in dialog.findChildren(QWidget):
        parent = w.parentWidget()
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            continue
        if isinstance(w, QLineEdit):
            text = "" if w.isReadOnly() else w.text()
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            text = "" if w.isReadOnly() else w.toPlainText()
        else:
            continue
        if text.strip():
            out.append([_label_for(dialog, w), text])
    return out


def collect_form_texts(owner: QWidget) -> list[dict[str, Any]]:
    """The typed text of every open form under ``owner`` with unsaved edits, and of a kept-text
    dialog that is still open (so that a second lock does not lose it either)."""
    kept: list[dict[str, Any]] = []
    for dialog in owner.findChildren(FormDialog):
        if dialog.isVisible() and dialog.has_unsaved_edits():
            fields = form_texts(dialog)
            if fields:
                kept.append({"title": plain(dialog.windowTitle()), "fields": fields})
    for dialog in owner.findChildren(KeptTextDialog):
        if dialog.isVisible():
            kept.extend(dialog.texts)
    return kept


class KeptTextDialog(QDialog):
    """Shows text typed before a lock that was not saved, to copy back into the form."""

    def __init__(self, texts: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self.setWindowTitle(self.tr("Bewaarde tekst van vóór de vergrendeling"))
        self.setAccessibleName(self.windowTitle())
        self.setModal(False)
        intro = QLabel(
            self.tr(
                "Liaison werd vergrendeld terwijl je aan het typen was. Wat je nog niet had "
                "opgeslagen is versleuteld bewaard en staat hieronder. Kopieer het terug in het "
                "formulier en sla het daar op; na sluiten van dit venster is het weg."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.view = QPlainTextEdit(self)
        self.view.setReadOnly(True)
        self.view.setAccessibleName(self.tr("Bewaarde tekst"))
        self.view.setPlainText(self.as_text())
        buttons = QDialogButtonBox(self)
        self.copy_button = buttons.addButton(
            self.tr("Alles kopiëren"), QDialogButtonBox.ButtonRole.ActionRole
        )
        close = buttons.addButton(self.tr("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        self.copy_button.clicked.connect(self.copy_all)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("m") * 46, 360)

    def as_text(self) -> str:
        parts = []
        for item in self.texts:
            lines = [str(item.get("title", ""))]
            for label, text in item.get("fields", []):
                lines.append(f"{label}:\n{text}")
            parts.append("\n".join(lines))
        return "\n\n".join(parts)

    def copy_all(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.as_text())
