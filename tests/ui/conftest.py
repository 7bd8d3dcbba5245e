"""UI fixtures: an Ops worker, isolated QSettings, stores with known clients, a stand-in workspace."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.domain import model as dm
from liaison_desktop.services import workspace
from liaison_desktop.ui.ops import Ops
from liaison_desktop.ui.shell import Shell
from tests.conftest import FAST_KDF, PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
CLIENT_NAMES = ("Sanne Vlietstra", "Daan Proefkind", "Noor Testmeijer")


@dataclass
class StoreInfo:
    data_dir: Path
    passphrase: str
    recovery_key: str
    client_names: tuple[str, ...]


@pytest.fixture
def store_with_clients(data_dir: Path) -> StoreInfo:
    """A locked store (fast KDF) with three clients, each with an open trajectory."""
    services, recovery = workspace.create_workspace(
        data_dir,
        PASSPHRASE,
        "Fatima Jeugdprofessional",
        [dm.Practice(name="Huisartsenpraktijk De Linde")],
        kdf=FAST_KDF,
    )
    try:
        practice = services.practices()[0]
        for i, full in enumerate(CLIENT_NAMES):
            first, last = full.split(" ", 1)
            client = dm.Client(first, last, date(2014 + i, 3, 1), practice.id)
            services.add_client(client)
            services.add_trajectory(
                dm.Trajectory(
                    client_id=client.id,
                    practice_id=practice.id,
                    referred_on=date(2026, 1, 5),
                    request_category=dm.RequestCategory.SLEEP,
                )
            )
    finally:
        services.lock()
    return StoreInfo(data_dir, PASSPHRASE, recovery, CLIENT_NAMES)


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def ops() -> Iterator[Ops]:
    worker = Ops()
    yield worker
    worker.close()
    worker.shutdown()


class FakeWorkspaceView(QWidget):
    """Stands in for ui.workspace_view.WorkspaceView: shows client names in several widgets."""

    def __init__(self, ops: Ops, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.heading = QLabel(self)
        self.search = QLineEdit(self)
        self.table = QTableView(self)
        self.model = QStandardItemModel(self)
        self.table.setModel(self.model)
        layout = QVBoxLayout(self)
        for w in (self.heading, self.search, self.table):
            layout.addWidget(w)
        self.new_client = QAction("Nieuwe cliënt", self)
        self.new_client.setShortcut(QKeySequence("Ctrl+N"))
        self.triggered = 0
        self.new_client.triggered.connect(self._count)
        self.unsaved = False
        self.loads = 0
        self.clears = 0

    def _count(self) -> None:
        self.triggered += 1

    def load(self) -> None:
        self.loads += 1
        self.ops.run(lambda sv, _st: sv.caseload(), success=self._show)

    def _show(self, rows: list) -> None:
        self.model.clear()
        for row in rows:
            self.model.appendRow([QStandardItem(row.client_name), QStandardItem(row.practice_name)])
        if rows:
            self.heading.setText(rows[0].client_name)
            self.search.setText(rows[-1].client_name)

    def clear_sensitive(self) -> None:
        self.clears += 1
        self.model.clear()
        self.heading.clear()
        self.search.clear()

    def actions(self) -> list[QAction]:
        return [self.new_client]

    def has_unsaved_edits(self) -> bool:
        return self.unsaved


@pytest.fixture
def make_shell(qtbot, ops: Ops, ui_settings: QSettings) -> Callable[..., Shell]:
    """A shown Shell on a data folder, with the fast KDF and the stand-in workspace view."""

    def make(data_dir: Path, **kwargs) -> Shell:
        kwargs.setdefault("kdf", FAST_KDF)
        kwargs.setdefault("workspace_factory", FakeWorkspaceView)
        shell = Shell(ops, ui_settings, data_dir, **kwargs)
        qtbot.addWidget(shell)
        shell.resize(1000, 760)
        shell.show()
        return shell

    return make


# --------------------------------------------------------------------------- helpers


def _call(method, parent: QModelIndex, default: int | bool):
    # QAbstractListModel/QAbstractTableModel make columnCount/hasChildren private in PySide.
    try:
        return method(parent)
    except TypeError:
        return default


def _model_texts(
    model: QAbstractItemModel, parent: QModelIndex, out: list[str], budget: list[int]
) -> None:
    columns = _call(model.columnCount, parent, 1)
    for row in range(model.rowCount(parent)):
        for col in range(columns):
            if budget[0] <= 0:
                return
            budget[0] -= 1
            index = model.index(row, col, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if value is not None:
                    out.append(str(value))
            if col == 0 and _call(model.hasChildren, index, False):
                _model_texts(model, index, out, budget)


def widget_texts(widget: QWidget) -> list[str]:
    """Every text a widget can show: its own text, title, tool tip, names, and model data."""
    out = [
        widget.windowTitle(),
        widget.toolTip(),
        widget.accessibleName(),
        widget.accessibleDescription(),
    ]
    if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
        out.append(widget.text())
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        out.append(widget.toPlainText())
    if isinstance(widget, QComboBox):
        out += [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QMenu):
        out += [a.text() for a in widget.actions()]
    if isinstance(widget, QMainWindow):
        out.append(widget.statusBar().currentMessage())
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        _model_texts(widget.model(), QModelIndex(), out, [100_000])
    return [t for t in out if t]


def all_texts(root: QWidget, *, visible_only: bool = False, windows: bool = True) -> str:
    """The texts of ``root`` and its descendants, plus (``windows``) other visible windows'."""
    widgets = [root, *root.findChildren(QWidget)]
    if windows:
        for top in QApplication.topLevelWidgets():
            if top is not root and top.isVisible():
                widgets += [top, *top.findChildren(QWidget)]
    if visible_only:
        widgets = [w for w in widgets if w.isVisible()]
    return "\n".join(t for w in widgets for t in widget_texts(w))


def save_screenshot(widget: QWidget, name: str) -> Path:
    """Save ``widget`` as screenshots/<name>.png at the repository root (git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()  # pending layout requests, as the event loop would
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path
