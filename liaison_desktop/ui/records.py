"""A small read-only table model over a Python list of records, and the shared table setup."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    """One column: its (translated) header and how a record shows in it."""

    header: str
    display: Callable[[R], str]
    tooltip: Callable[[R], str] | None = None
    decoration: Callable[[R], Any] | None = None
    align: Qt.AlignmentFlag = _LEFT


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows are records (dataclasses), columns are :class:`Column` definitions.

    Used for the short lists inside a client file and the privacy dialogs, which hold tens
    to hundreds of rows; the caseload has its own model. GUI thread only.
    """

    RECORD_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[Column[R]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[R] = []

    # -- changing the rows --------------------------------------------------------------

    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def replace_record(self, row: int, record: R) -> None:
        """Swap one record and repaint only its row."""
        self._records[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def append_record(self, record: R) -> None:
        row = len(self._records)
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.append(record)
        self.endInsertRows()

    def clear(self) -> None:
        self.set_records([])

    def records(self) -> list[R]:
        return list(self._records)

    def record(self, row: int) -> R:
        return self._records[row]

    # -- Qt model API -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._records):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        if role == Qt.ItemDataRole.DecorationRole and column.decoration is not None:
            return column.decoration(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align.value)
        if role == self.RECORD_ROLE:
            return record
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def configure_table(view: QTableView, accessible_name: str, stretch_last: bool = True) -> None:
    """The table setup every list shares: whole rows, one selection, uniform row heights.

    Fixed row heights keep a model reset cheap at any size (no per-row measuring); Tab
    leaves the table instead of walking its cells, which keeps forms keyboard-friendly.
    """
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.setShowGrid(False)
    view.setAccessibleName(accessible_name)
    vh = view.verticalHeader()
    vh.setVisible(False)
    vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vh.setDefaultSectionSize(view.fontMetrics().height() + 10)
    hh = view.horizontalHeader()
    hh.setStretchLastSection(stretch_last)
    hh.setHighlightSections(False)
    hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def selected_row(view: QTableView) -> int | None:
    """The selected row of a single-selection table, or None."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].row() if rows else None


def dot_icon(colour: str, hollow: bool = False, mark: str = "") -> QIcon:
    """A small round badge icon; shape and mark differ too, so colour is never the only cue."""
    size = 16
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = QColor(colour)
    if hollow:
        p.setPen(QPen(c, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c)
    p.drawEllipse(2, 2, size - 4, size - 4)
    if mark:
        p.setPen(QPen(QColor("white"), 2))
        if mark == "-":
            p.drawLine(5, 8, 11, 8)
        elif mark == "!":
            p.drawLine(8, 4, 8, 9)
            p.drawPoint(8, 12)
        elif mark == "v":
            p.drawLine(5, 8, 7, 11)
            p.drawLine(7, 11, 11, 5)
    p.end()
    return QIcon(pixmap)
