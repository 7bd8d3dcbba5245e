"""The caseload: open trajectories in a fast table with search-as-you-type, filters and sorting.

The whole caseload is read once on the database worker into a :class:`CaseloadSnapshot`
(rows plus a folded search key per row). Typing, filters and header clicks then filter and
sort that plain Python list and reset the model, which takes a few milliseconds at 10,000
rows; no query per keystroke and no QSortFilterProxyModel calling ``data()``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.badge import ConsentBadge
from liaison_desktop.domain.conversations import (
    MAX_CONVERSATIONS,
    conversation_signal,
    signal_message,
)
from liaison_desktop.domain.text import fold
from liaison_desktop.services.api import (
    CASELOAD_FIRST_PAGE,
    CaseloadQuery,
    CaseloadRow,
    Services,
)
from liaison_desktop.ui import labels
from liaison_desktop.ui.forms import StaleGuard, report_failure
from liaison_desktop.ui.ops import Ops
from liaison_desktop.ui.records import RIGHT, configure_table, dot_icon

Index = QModelIndex | QPersistentModelIndex

_SEPARATORS = str.maketrans("", "", " .-")


@dataclass(frozen=True, slots=True)
class CaseloadSnapshot:
    """All rows of one caseload scope with their search keys, in the services' order.

    Build it on the database worker (``load``); hand it to the model on the GUI thread.
    """

    rows: list[CaseloadRow]
    keys: list[str]
    closed: bool = False
    # Set on a first page (the longest waiting rows) shown while the whole list still loads:
    # how many rows the whole list has.
    partial_of: int | None = None

    @classmethod
    def build(
        cls, rows: Sequence[CaseloadRow], closed: bool = False, partial_of: int | None = None
    ) -> CaseloadSnapshot:
        rows = list(rows)
        keys = [fold(f"{r.client_name} {r.bsn or ''}") for r in rows]
        return cls(rows, keys, closed, partial_of)

    @classmethod
    def load(cls, services: Services, closed: bool = False) -> CaseloadSnapshot:
        """Worker thread: the open trajectories, or the closed ones when ``closed``."""
        return cls.build(services.caseload(_scope(closed)), closed)

    @classmethod
    def load_first_page(cls, services: Services, closed: bool = False) -> CaseloadSnapshot:
        """Worker thread: the first rows of :meth:`load` and the size of the whole list."""
        page = services.caseload_page(_scope(closed), limit=FIRST_PAGE_ROWS)
        return cls.build(page.rows, closed, partial_of=page.total)


FIRST_PAGE_ROWS = CASELOAD_FIRST_PAGE
"""Rows painted first after unlock (several screens), before the whole caseload is loaded."""


def _scope(closed: bool) -> CaseloadQuery:
    return CaseloadQuery(statuses=(dm.TrajectoryStatus.CLOSED,) if closed else ())


@dataclass(frozen=True, slots=True)
class CaseloadFilter:
    """What the professional narrowed the caseload to; every field empty shows everything."""

    text: str = ""
    practice_id: str | None = None
    status: dm.TrajectoryStatus | None = None
    badge: ConsentBadge | None = None

    def words(self) -> list[str]:
        """Search words, folded; a BSN typed with dots or dashes is compacted."""
        out = []
        for word in fold(self.text).split():
            compact = word.translate(_SEPARATORS)
            out.append(compact if compact.isdigit() else word)
        return out

    def narrows(self, previous: CaseloadFilter) -> bool:
        """True when every row this filter keeps is also kept by ``previous`` (typing on)."""
        return (
            self.practice_id == previous.practice_id
            and self.status == previous.status
            and self.badge == previous.badge
            and fold(self.text).startswith(fold(previous.text))
        )


# Badge severity for sorting: the ones needing action first.
_BADGE_ORDER = {
    ConsentBadge.WITHDRAWN: 0,
    ConsentBadge.MISSING: 1,
    ConsentBadge.RENEW_SOON: 2,
    ConsentBadge.VALID: 3,
}
_BADGE_COLOURS = {
    ConsentBadge.VALID: "#2e7d32",
    ConsentBadge.MISSING: "#8a8a8a",
    ConsentBadge.WITHDRAWN: "#c62828",
    ConsentBadge.RENEW_SOON: "#f2a600",
}
_STATUS_ORDER = {s: i for i, s in enumerate(dm.TrajectoryStatus)}
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)


class CaseloadModel(QAbstractTableModel):
    """The caseload rows after filtering and sorting (Vorta's table-model style).

    Holds the full snapshot and the visible rows as plain lists; ``set_filter`` and
    ``sort`` rebuild the visible list and reset the model, ``set_snapshot`` repaints only
    the rows that changed when the same trajectories stay visible. GUI thread only.
    """

    COL_CLIENT = 0
    COL_PRACTICE = 1
    COL_CATEGORY = 2
    COL_STATUS = 3
    COL_CONVERSATIONS = 4
    COL_WAITING = 5
    COL_NEXT_APPOINTMENT = 6
    COL_CONSENT = 7
    COLUMN_COUNT = 8

    ROW_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1
    CLIENT_ID_ROLE = int(Qt.ItemDataRole.UserRole.value) + 2
    TRAJECTORY_ID_ROLE = int(Qt.ItemDataRole.UserRole.value) + 3

    sig_rows_changed = Signal(int, int)
    """Emitted after the visible rows changed, with (visible rows, rows in the snapshot)."""

    # Beyond this many changed rows one dataChanged over the whole table is cheaper.
    _TARGETED_LIMIT = 200

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._base: list[CaseloadRow] = []  # snapshot order
        self._base_keys: list[str] = []
        self._all: list[CaseloadRow] = []  # snapshot in the current sort order
        self._keys: list[str] = []
        self._rows: list[CaseloadRow] = []  # visible
        self._row_keys: list[str] = []
        self._filter = CaseloadFilter()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._icons: dict[Any, QIcon] = {}
        self._cell_cache: dict[str, tuple[CaseloadRow, tuple[str, ...]]] = {}
        right = int(RIGHT.value)
        self._align: list[int | None] = [None] * self.COLUMN_COUNT
        self._align[self.COL_CONVERSATIONS] = self._align[self.COL_WAITING] = right
        self.retranslate()

    # -- public API -----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Rebuild the cached labels after a language change."""
        self._headers = [
            self.tr("Cliënt"),
            self.tr("Praktijk"),
            self.tr("Hulpvraag"),
            self.tr("Status"),
            self.tr("Gesprekken"),
            self.tr("Dagen wachtend"),
            self.tr("Volgende afspraak"),
            self.tr("Toestemming"),
        ]
        self._header_tips = [
            self.tr("Naam en leeftijd van de jeugdige"),
            self.tr("De huisartsenpraktijk van het traject"),
            self.tr("Waarmee de huisarts de jeugdige aanmeldde"),
            self.tr("Waar het traject staat"),
            self.tr("Gevoerde gesprekken van de richtlijn van hoogstens vijf"),
            self.tr(
                "Dagen tussen aanmelding en eerste gesprek; zolang er nog geen gesprek was, "
                "tot vandaag"
            ),
            self.tr("De eerstvolgende geplande afspraak"),
            self.tr("Of er vandaag geldige toestemming is"),
        ]
        self._category = labels.request_category_labels()
        self._status = labels.status_labels()
        self._badge = labels.badge_labels()
        self._badge_tip = labels.badge_tooltips()
        self._cell_cache = {}
        if self._rows:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
            self._emit_all_changed()

    def set_snapshot(
        self, snapshot: CaseloadSnapshot, filter_: CaseloadFilter | None = None
    ) -> None:
        """Show a freshly loaded caseload; rows that did not change are not repainted."""
        if filter_ is not None:
            self._filter = filter_
        self._cell_cache = {}
        self._base, self._base_keys = snapshot.rows, snapshot.keys
        self._resort()
        self._apply(self._all, self._keys, targeted=True)

    def set_filter(self, new: CaseloadFilter) -> None:
        """Narrow the visible rows; typing on only searches the rows already visible."""
        narrowing = new.narrows(self._filter)
        self._filter = new
        if narrowing:
            self._apply(self._rows, self._row_keys)
        else:
            self._apply(self._all, self._keys)

    def current_filter(self) -> CaseloadFilter:
        return self._filter

    def snapshot(self) -> CaseloadSnapshot:
        """The loaded caseload (the services' order)."""
        return CaseloadSnapshot(self._base, self._base_keys)

    def clear(self) -> None:
        """Drop every row (on lock); the filter is reset too because it may hold a name."""
        self.beginResetModel()
        self._base, self._base_keys, self._all, self._keys = [], [], [], []
        self._rows, self._row_keys = [], []
        self._filter = CaseloadFilter()
        self._cell_cache = {}
        self.endResetModel()
        self.sig_rows_changed.emit(0, 0)

    def row_at(self, row: int) -> CaseloadRow:
        return self._rows[row]

    def rows(self) -> list[CaseloadRow]:
        """The visible rows in view order (a copy)."""
        return list(self._rows)

    def total(self) -> int:
        return len(self._all)

    def row_of_trajectory(self, trajectory_id: str) -> int:
        """The visible row of a trajectory, -1 when it is not visible."""
        for i, r in enumerate(self._rows):
            if r.trajectory_id == trajectory_id:
                return i
        return -1

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tips[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and self._align[section] is not None:
            return self._align[section]
        return None

    # flags() is not overridden: the C++ default (enabled, selectable) saves a Python call
    # per painted cell.

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called about eight times per painted cell: plain int comparisons and cached text.
        row = index.row()
        if row < 0 or row >= len(self._rows):
            return None
        if role == _DISPLAY:
            return self._cells(row)[index.column()]
        if role == _ALIGNMENT:
            return self._align[index.column()]
        if role == _DECORATION:
            return self._decoration(self._rows[row], index.column())
        if role == _TOOLTIP:
            return self._tooltip(self._rows[row], index.column())
        if role == self.ROW_ROLE:
            return self._rows[row]
        if role == self.CLIENT_ID_ROLE:
            return self._rows[row].client_id
        if role == self.TRAJECTORY_ID_ROLE:
            return self._rows[row].trajectory_id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the Python list (stable; -1 restores the services' order) and reset."""
        self._sort_column, self._sort_order = column, order
        self._resort()
        self._apply(self._all, self._keys)

    # -- internals -------------------------------------------------------------------------

    def _cells(self, row: int) -> tuple[str, ...]:
        """The display texts of a visible row, made once per row and cached."""
        r = self._rows[row]
        cells = self._cell_cache.get(r.trajectory_id)
        if cells is None or cells[0] is not r:
            cells = (
                r,
                (
                    f"{r.client_name} ({r.age})",
                    r.practice_name,
                    self._category.get(r.request_category, ""),
                    self._status.get(r.status, ""),
                    f"{r.conversations}/{MAX_CONVERSATIONS}",
                    str(r.days_waiting),
                    labels.format_datetime(r.next_appointment),
                    self._badge.get(r.badge, ""),
                ),
            )
            self._cell_cache[r.trajectory_id] = cells
        return cells[1]

    def _tooltip(self, r: CaseloadRow, col: int) -> str | None:
        if col == self.COL_CLIENT:
            return self.tr("%n jaar oud", "", r.age)
        if col == self.COL_CONSENT:
            return self._badge_tip.get(r.badge)
        if col == self.COL_CONVERSATIONS:
            return signal_message(conversation_signal(r.conversations)) or self.tr(
                "%n gesprek(ken) gevoerd", "", r.conversations
            )
        if col == self.COL_WAITING:
            if r.status == dm.TrajectoryStatus.REFERRED:
                return self.tr("Wacht nog op een eerste gesprek.")
            return self.tr("Dagen tussen aanmelding en eerste gesprek.")
        if col == self.COL_NEXT_APPOINTMENT and r.next_appointment is None:
            return self.tr("Geen afspraak gepland.")
        return None

    def _decoration(self, r: CaseloadRow, col: int) -> QIcon | None:
        if col == self.COL_CONSENT:
            return self._icon(r.badge)
        if col == self.COL_CONVERSATIONS and r.conversations >= MAX_CONVERSATIONS:
            return self._icon("limit")
        return None

    def badge_icon(self, badge: ConsentBadge) -> QIcon:
        """The icon that goes with a consent badge (also used in the filter)."""
        return self._icon(badge)

    def _icon(self, key: Any) -> QIcon:
        icon = self._icons.get(key)
        if icon is None:
            if key == "limit":
                icon = dot_icon("#f2a600", mark="!")
            else:
                marks = {
                    ConsentBadge.VALID: "v",
                    ConsentBadge.WITHDRAWN: "-",
                    ConsentBadge.RENEW_SOON: "!",
                }
                icon = dot_icon(
                    _BADGE_COLOURS[key],
                    hollow=key == ConsentBadge.MISSING,
                    mark=marks.get(key, ""),
                )
            self._icons[key] = icon
        return icon

    def _sort_key(self, column: int) -> Callable[[CaseloadRow], Any] | None:
        practice_keys: dict[str, str] = {}

        def practice(r: CaseloadRow) -> str:
            key = practice_keys.get(r.practice_name)
            if key is None:
                key = practice_keys[r.practice_name] = fold(r.practice_name)
            return key

        keys: dict[int, Callable[[CaseloadRow], Any]] = {
            self.COL_PRACTICE: practice,
            self.COL_CATEGORY: lambda r: self._category.get(r.request_category, ""),
            self.COL_STATUS: lambda r: _STATUS_ORDER[r.status],
            self.COL_CONVERSATIONS: lambda r: r.conversations,
            self.COL_WAITING: lambda r: r.days_waiting,
            self.COL_NEXT_APPOINTMENT: lambda r: r.next_appointment or datetime.max,
            self.COL_CONSENT: lambda r: _BADGE_ORDER[r.badge],
        }
        return keys.get(column)

    def _resort(self) -> None:
        base, base_keys = self._base, self._base_keys
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        if self._sort_column == self.COL_CLIENT:
            # The search key starts with the folded name: sort on it, no folding per row.
            order = sorted(range(len(base)), key=base_keys.__getitem__, reverse=reverse)
        else:
            key = self._sort_key(self._sort_column)
            if key is None:
                self._all, self._keys = base, base_keys
                return
            order = sorted(range(len(base)), key=lambda i: key(base[i]), reverse=reverse)
        self._all = [base[i] for i in order]
        self._keys = [self._base_keys[i] for i in order]

    def _filtered(
        self, rows: list[CaseloadRow], keys: list[str]
    ) -> tuple[list[CaseloadRow], list[str]]:
        f = self._filter
        words = f.words()
        if not (words or f.practice_id or f.status or f.badge):
            return rows, keys
        pairs: Any = zip(rows, keys, strict=True)
        if f.practice_id:
            pid = f.practice_id
            pairs = [(r, k) for r, k in pairs if r.practice_id == pid]
        if f.status:
            status = f.status
            pairs = [(r, k) for r, k in pairs if r.status == status]
        if f.badge:
            badge = f.badge
            pairs = [(r, k) for r, k in pairs if r.badge == badge]
        for word in words:
            pairs = [(r, k) for r, k in pairs if word in k]
        pairs = list(pairs)
        return [p[0] for p in pairs], [p[1] for p in pairs]

    def _apply(self, rows: list[CaseloadRow], keys: list[str], targeted: bool = False) -> None:
        new_rows, new_keys = self._filtered(rows, keys)
        old = self._rows
        if (
            targeted
            and old
            and len(old) == len(new_rows)
            and all(a.trajectory_id == b.trajectory_id for a, b in zip(old, new_rows, strict=True))
        ):
            changed = [i for i, (a, b) in enumerate(zip(old, new_rows, strict=True)) if a != b]
            self._rows, self._row_keys = new_rows, new_keys
            if len(changed) > self._TARGETED_LIMIT:
                self._emit_all_changed()
            else:
                last = self.COLUMN_COUNT - 1
                for i in changed:
                    self.dataChanged.emit(self.index(i, 0), self.index(i, last))
        else:
            self.beginResetModel()
            self._rows, self._row_keys = new_rows, new_keys
            self.endResetModel()
        self.sig_rows_changed.emit(len(self._rows), len(self._all))

    def _emit_all_changed(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            )


class CaseloadView(QWidget):
    """Search box, filters and the caseload table; Enter or a double click opens a row.

    Create and call on the GUI thread. Data comes from the ops worker; a reload never
    blocks typing, and only the newest load is applied.
    """

    sig_client_open_requested = Signal(str, str)
    """The professional asked to open a client file: (client id, trajectory id)."""

    sig_current_changed = Signal(object)
    """The current row changed: the :class:`CaseloadRow`, or None when nothing is current."""

    sig_loaded = Signal(int)
    """A caseload snapshot was applied; the number of trajectories it holds."""

    sig_first_page = Signal(int)
    """The first rows were painted while the whole caseload still loads; how many rows."""

    HEADER_KEY = "caseload/header_state"
    # When filtering takes longer than this on average (a very large caseload on a slow
    # laptop), typing switches to a short debounce so that keystrokes stay fluid; below it
    # every keystroke filters at once, which is faster than any debounce.
    _FAST_FILTER_MS = 12.0
    _DEBOUNCE_MS = 80

    def __init__(self, ops: Ops, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._settings = settings
        self._load_guard = StaleGuard()  # newest caseload load wins
        self._session_guard = StaleGuard()  # nothing arrives after clear()
        self._active = False
        self._loading = False
        self._partial_of: int | None = None  # while only the first page is shown
        self._slow_filter = False
        self._filter_ms = 0.0
        self._closed_scope = False
        self._current_tid: str | None = None
        self._practices: list[dm.Practice] = []
        self.model = CaseloadModel(self)
        self._build()
        self._restore_header()
        self.model.sig_rows_changed.connect(self._on_rows_changed)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._restore_current)
        ops.sig_changes.connect(self._on_changes)

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Zoek op naam of BSN (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Zoeken in de caseload"))
        self.search.setToolTip(
            self.tr(
                "Typ een deel van de naam of het BSN. Meer woorden zoeken op alles tegelijk. "
                "Pijl omlaag gaat naar de lijst, Enter opent de bovenste cliënt, Esc wist."
            )
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_text_changed)
        self.search.installEventFilter(self)

        self.practice_filter = self._combo(self.tr("Filter op praktijk"))
        self.practice_filter.addItem(self.tr("Alle praktijken"), None)
        self.status_filter = self._combo(self.tr("Filter op status"))
        self.status_filter.addItem(self.tr("Alle open trajecten"), None)
        for status, text in labels.status_labels().items():
            self.status_filter.addItem(text, status)
        self.badge_filter = self._combo(self.tr("Filter op toestemming"))
        self.badge_filter.addItem(self.tr("Elke toestemming"), None)
        for badge in (
            ConsentBadge.VALID,
            ConsentBadge.MISSING,
            ConsentBadge.WITHDRAWN,
            ConsentBadge.RENEW_SOON,
        ):
            self.badge_filter.addItem(
                self.model.badge_icon(badge), labels.badge_labels()[badge], badge
            )

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Aantal trajecten"))
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setVisible(False)

        self.table = QTableView(self)
        configure_table(self.table, self.tr("Caseload"))
        self.table.setModel(self.model)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._default_widths()
        self._save_timer = QTimer(self, singleShot=True, interval=400)
        self._save_timer.timeout.connect(self.save_layout)
        # Through a lambda: connected directly, the signal's first argument would become
        # QTimer.start()'s interval.
        for signal in (header.sectionMoved, header.sectionResized, header.sortIndicatorChanged):
            signal.connect(lambda *_args: self._save_timer.start())

        self._debounce = QTimer(self, singleShot=True, interval=self._DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filter)
        self._reload_timer = QTimer(self, singleShot=True, interval=150)
        self._reload_timer.timeout.connect(self.reload)
        for combo in (self.practice_filter, self.status_filter, self.badge_filter):
            combo.currentIndexChanged.connect(self._on_combo_changed)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.practice_filter, 2)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.badge_filter, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        self.setFocusProxy(self.search)

    def _combo(self, accessible_name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(accessible_name)
        combo.setToolTip(accessible_name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _default_widths(self) -> None:
        """Widths that fit the header and a typical value, measured in the current font."""
        m = CaseloadModel
        fm = self.table.fontMetrics()
        samples = {
            m.COL_CLIENT: "Annemarie van den Berg (15)",
            m.COL_PRACTICE: "Gezondheidscentrum Noorderhaven",
            m.COL_CATEGORY: "Angst en stemming",
            m.COL_STATUS: "Gepauzeerd",
            m.COL_CONVERSATIONS: "5/5",
            m.COL_WAITING: "365",
            m.COL_NEXT_APPOINTMENT: "30-11-2026 15:30",
            m.COL_CONSENT: "binnenkort opnieuw vragen",
        }
        for col, sample in samples.items():
            header = self.model.headerData(col, Qt.Orientation.Horizontal)
            width = max(fm.horizontalAdvance(sample) + 16, fm.horizontalAdvance(header) + 24)
            if col in (m.COL_CONVERSATIONS, m.COL_CONSENT):
                width += 20  # room for the icon
            self.table.setColumnWidth(col, width)

    # -- public API -------------------------------------------------------------------------

    def load(self) -> None:
        """First load after unlock: practices for the filter, then the caseload."""
        self._active = True
        self._load_practices()
        self.reload()

    def _load_practices(self) -> None:
        self._ops.run(
            lambda services, state: services.practices(),
            success=self._session_guard.wrap(self._set_practices),
            failure=self._session_guard.wrap(self._on_load_failed),
        )

    def reload(self) -> None:
        """Load the caseload again on the worker; a newer load makes this one's result stale."""
        if not self._active:
            return
        self._load_guard.bump()
        closed = self._closed_scope
        self._set_loading(True)
        if self.model.total() == 0:
            # Nothing on screen yet (just unlocked, or another scope): paint the longest
            # waiting rows first; the worker loads the whole list right after.
            self._ops.run(
                lambda services, state: CaseloadSnapshot.load_first_page(services, closed),
                success=self._load_guard.wrap(self._apply_first_page),
                failure=self._load_guard.wrap(self._on_load_failed),
            )
        self._ops.run(
            lambda services, state: CaseloadSnapshot.load(services, closed),
            success=self._load_guard.wrap(self._apply_snapshot),
            failure=self._load_guard.wrap(self._on_load_failed),
        )

    def clear(self) -> None:
        """Drop every row, the search text and pending results (on lock)."""
        self._active = False
        self._partial_of = None
        self._load_guard.bump()
        self._session_guard.bump()
        self._debounce.stop()
        self._reload_timer.stop()
        self.search.blockSignals(True)
        self.search.setText("")  # unlike clear(), also empties the undo history
        self.search.blockSignals(False)
        self._current_tid = None
        self.model.clear()
        self.status_label.setVisible(False)
        self._set_loading(False)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    @property
    def filter_pending(self) -> bool:
        """True while typed text waits for the (adaptive) debounce before filtering."""
        return self._debounce.isActive()

    def current_row(self) -> CaseloadRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row())

    def select_trajectory(self, trajectory_id: str) -> bool:
        row = self.model.row_of_trajectory(trajectory_id)
        if row < 0:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def adopt(self, old: CaseloadView) -> None:
        """Take over another view's loaded caseload, filters and selection (used when the
        views are rebuilt in a new language; nothing is read again)."""
        self._active, self._closed_scope = old._active, old._closed_scope
        self._set_practices(old._practices)
        for mine, theirs in (
            (self.practice_filter, old.practice_filter),
            (self.status_filter, old.status_filter),
            (self.badge_filter, old.badge_filter),
        ):
            mine.blockSignals(True)
            mine.setCurrentIndex(max(0, mine.findData(theirs.currentData())))
            mine.blockSignals(False)
        self.search.blockSignals(True)
        self.search.setText(old.search.text())
        self.search.blockSignals(False)
        self._current_tid = old._current_tid
        self.model.set_snapshot(old.model.snapshot(), self._current_filter())

    def save_layout(self) -> None:
        """Remember column widths, order, hidden columns and sorting."""
        self._save_timer.stop()
        self._settings.setValue(self.HEADER_KEY, self.table.horizontalHeader().saveState())

    # -- loading ----------------------------------------------------------------------------

    def _set_practices(self, practices: list[dm.Practice]) -> None:
        self._practices = list(practices)
        current = self.practice_filter.currentData()
        self.practice_filter.blockSignals(True)
        while self.practice_filter.count() > 1:
            self.practice_filter.removeItem(1)
        for p in practices:
            self.practice_filter.addItem(p.name, p.id)
        index = self.practice_filter.findData(current) if current else 0
        self.practice_filter.setCurrentIndex(max(0, index))
        self.practice_filter.blockSignals(False)

    def _apply_first_page(self, snapshot: CaseloadSnapshot) -> None:
        if self.model.total():
            return  # the whole list arrived first after all
        self._partial_of = snapshot.partial_of
        self.status_label.setVisible(False)
        self.model.set_snapshot(snapshot, self._current_filter())
        self._update_count()
        self.sig_first_page.emit(len(snapshot.rows))

    def _apply_snapshot(self, snapshot: CaseloadSnapshot) -> None:
        self._partial_of = None
        self._set_loading(False)
        self.status_label.setVisible(False)
        self.model.set_snapshot(snapshot, self._current_filter())
        self.sig_loaded.emit(len(snapshot.rows))

    def _on_load_failed(self, exc: BaseException) -> None:
        self._set_loading(False)
        report_failure(self._ops, exc, self._show_problem)

    def _show_problem(self, exc: BaseException) -> None:
        self.status_label.setText(str(exc))
        self.status_label.setVisible(True)

    def _set_loading(self, loading: bool) -> None:
        self._loading = loading
        self._update_count()

    def _on_changes(self, changes: Any) -> None:
        if not self._active:
            return
        if getattr(changes, "caseload", False):
            self._reload_timer.start()
        if getattr(changes, "practices", False):
            self._load_practices()

    # -- filtering --------------------------------------------------------------------------

    def _current_filter(self) -> CaseloadFilter:
        return CaseloadFilter(
            text=self.search.text(),
            practice_id=self.practice_filter.currentData(),
            status=self.status_filter.currentData(),
            badge=self.badge_filter.currentData(),
        )

    def _on_text_changed(self, _text: str) -> None:
        if self._slow_filter:
            self._debounce.start()
        else:
            self._apply_filter()

    def _on_combo_changed(self, _index: int) -> None:
        closed = self.status_filter.currentData() == dm.TrajectoryStatus.CLOSED
        if closed != self._closed_scope:
            # Closed trajectories are not in the open caseload: load that scope instead.
            self._closed_scope = closed
            self.model.set_snapshot(CaseloadSnapshot([], [], closed), self._current_filter())
            self.reload()
            return
        self._apply_filter()

    def _apply_filter(self) -> None:
        self._debounce.stop()
        started = time.perf_counter()
        self.model.set_filter(self._current_filter())
        elapsed = (time.perf_counter() - started) * 1000
        # A moving average, so that one slow pass (a garbage collection) does not switch.
        self._filter_ms = 0.7 * self._filter_ms + 0.3 * elapsed
        self._slow_filter = self._filter_ms > self._FAST_FILTER_MS

    def _on_rows_changed(self, visible: int, total: int) -> None:
        self._update_count()

    def _update_count(self) -> None:
        visible, total = self.model.rowCount(), self.model.total()
        loc = QLocale()
        if self._partial_of is not None and self._loading:
            self.count_label.setText(
                self.tr("Eerste %1 van %2 trajecten · de rest wordt geladen…")
                .replace("%1", loc.toString(total))
                .replace("%2", loc.toString(self._partial_of))
            )
            return
        if self._loading and total == 0:
            text = self.tr("Caseload wordt geladen…")
        elif total == 0 and self._active:
            text = self.tr("Er staan geen trajecten in deze lijst.")
        elif visible == 0 and total:
            text = self.tr(
                "Geen trajecten gevonden bij deze zoekterm of filters. "
                "Pas ze aan, of wis de zoekterm met Esc."
            )
        elif visible == total:
            text = self.tr("%1 trajecten").replace("%1", loc.toString(total))
        else:
            text = (
                self.tr("%1 van %2 trajecten")
                .replace("%1", loc.toString(visible))
                .replace("%2", loc.toString(total))
            )
        if self._loading and total:
            text += " · " + self.tr("bijwerken…")
        self.count_label.setText(text)

    # -- selection and opening --------------------------------------------------------------

    def _remember_current(self) -> None:
        row = self.current_row()
        self._current_tid = row.trajectory_id if row else self._current_tid

    def _restore_current(self) -> None:
        if self.model.rowCount() == 0:
            self.sig_current_changed.emit(None)
            return
        row = self.model.row_of_trajectory(self._current_tid) if self._current_tid else -1
        self.table.setCurrentIndex(self.model.index(max(row, 0), 0))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None:
            self._current_tid = row.trajectory_id
        self.sig_current_changed.emit(row)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            row = self.model.row_at(index.row())
            self.sig_client_open_requested.emit(row.client_id, row.trajectory_id)

    def open_current(self) -> None:
        """Open the current row's client file (Enter in the table or the search box)."""
        self._open_index(self.table.currentIndex())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if watched is self.table or watched is self.search:
                    self.open_current()
                    return True
            if watched is self.search:
                if key == Qt.Key.Key_Down and self.model.rowCount():
                    self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                    if not self.table.currentIndex().isValid():
                        self.table.setCurrentIndex(self.model.index(0, 0))
                    return True
                if key == Qt.Key.Key_Escape and self.search.text():
                    self.search.clear()
                    return True
        return super().eventFilter(watched, event)

    # -- header layout ----------------------------------------------------------------------

    def _restore_header(self) -> None:
        state = self._settings.value(self.HEADER_KEY)
        header = self.table.horizontalHeader()
        if isinstance(state, QByteArray | bytes) and header.restoreState(QByteArray(state)):
            pass
        # Enabling sorting asks the model to sort by the (restored) indicator.
        self.table.setSortingEnabled(True)

    def _header_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Kolommen tonen of verbergen"))
        for col in range(1, CaseloadModel.COLUMN_COUNT):  # the client column always stays
            action = menu.addAction(self.model.headerData(col, Qt.Orientation.Horizontal))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(col))
            action.toggled.connect(lambda on, c=col: self._set_column_visible(c, on))
        menu.addSeparator()
        reset = menu.addAction(self.tr("Standaardindeling herstellen"))
        reset.triggered.connect(self.reset_layout)
        menu.popup(header.mapToGlobal(pos))

    def _set_column_visible(self, column: int, visible: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(column, not visible)
        self.save_layout()

    def reset_layout(self) -> None:
        header = self.table.horizontalHeader()
        for col in range(CaseloadModel.COLUMN_COUNT):
            header.setSectionHidden(col, False)
            header.moveSection(header.visualIndex(col), col)
        self._default_widths()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.sort(-1)
        self.save_layout()

    def hideEvent(self, event: Any) -> None:  # noqa: N802
        if self._save_timer.isActive():
            self.save_layout()
        super().hideEvent(event)
