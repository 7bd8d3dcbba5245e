"""The overview dashboard ("Overzichten"): trend, outcomes and waiting times of the team or of
the professional's own work, with filters, CSV export and a PDF report for an alderman.

Every figure comes suppressed from the server; hidden counts show as "<5" and hidden derived
figures as "–". Create and call on the GUI thread; the fetch runs through :class:`Ops`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QMargins,
    QMarginsF,
    QModelIndex,
    QPersistentModelIndex,
    QSizeF,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.domain.overview import BUCKETS, OUTCOMES, Figures, Granularity, ScopeKind
from liaison_desktop.services.overview import FetchedOverview
from liaison_desktop.ui.forms import Banner, Level, StaleGuard
from liaison_desktop.ui.ops import Ops

_Index = QModelIndex | QPersistentModelIndex
DASH = "–"
ZWSP = "\u200b"  # makes a repeated axis category unique without showing anything


def _count(value: int | None, threshold: int) -> str:
    return f"<{threshold}" if value is None else str(value)


def _num(value: float | None, digits: int = 1) -> str:
    return DASH if value is None else f"{value:.{digits}f}".replace(".", ",")


def _pct(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.0f}%"


class FiguresModel(QAbstractTableModel):
    """Rows of :class:`Figures`; the columns are the key figures. Reset on new data.

    ``by_scope``: the rows are practices and professionals (else periods of one scope).
    """

    COL_LABEL = 0
    COLUMNS = 9

    def __init__(self, parent: QWidget | None = None, *, by_scope: bool = False) -> None:
        super().__init__(parent)
        self.by_scope = by_scope
        self._rows: list[tuple[str, Figures]] = []
        self._threshold = 5

    def set_rows(self, rows: list[tuple[str, Figures]], threshold: int) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._threshold = threshold
        self.endResetModel()

    def figures(self, row: int) -> Figures:
        return self._rows[row][1]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.COLUMNS

    def _headers(self) -> list[str]:
        return [
            self.label_header(),
            self.tr("Aanmeldingen"),
            self.tr("Open caseload"),
            self.tr("Afgesloten"),
            self.tr("Wachtdagen (mediaan)"),
            self.tr("Wachtdagen (P90)"),
            self.tr("Gesprekken per traject"),
            self.tr("Naar gespecialiseerde zorg"),
            self.tr("Eerste gesprekken"),
        ]

    def label_header(self) -> str:
        return self.tr("Praktijk of professional") if self.by_scope else self.tr("Periode")

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.COLUMNS:
            return self._headers()[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def cell_text(self, row: int, col: int) -> str:
        label, f = self._rows[row]
        t = self._threshold
        return [
            label,
            _count(f.referrals, t),
            _num(f.open_caseload),
            _count(f.closed, t),
            _num(f.waiting_median, 0),
            _num(f.waiting_p90, 0),
            _num(f.conversations_per_trajectory),
            _pct(f.specialised_care_rate),
            _count(f.waiting_count, t),
        ][col]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() > 0:
            text = self.cell_text(index.row(), index.column())
            if text.startswith("<") or text == DASH:
                return self.tr(
                    "Niet getoond: minder dan %n, of verborgen zodat een klein aantal niet "
                    "is terug te rekenen.",
                    "",
                    self._threshold,
                )
        return None


def period_label(key: str, granularity: Granularity) -> str:
    """A short label for a period key ("2026-03" -> "mrt 2026", "2026-03-W10" -> "wk 10 mrt")."""
    months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    if granularity is Granularity.WEEK:
        year, month, week = key.split("-")
        return f"wk {int(week[1:])} {months[int(month) - 1]}"
    if granularity is Granularity.MONTH:
        year, month = key.split("-")
        return f"{months[int(month) - 1]} {year}"
    return key.replace("-", " ")


def short_label(key: str, granularity: Granularity) -> str:
    """An axis label: "jan", "Q1", "10" (week), "2026"."""
    months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    if granularity is Granularity.WEEK:
        return str(int(key.split("-W")[1]))
    if granularity is Granularity.MONTH:
        return months[int(key[5:7]) - 1]
    if granularity is Granularity.QUARTER:
        return key[5:]
    return key


class DashboardView(QWidget):
    """Filters on top, the trend chart and table, outcome and waiting-time charts, the
    practices and professionals of the chosen period, export buttons."""

    sig_overview_shown = Signal()
    """A fetched overview is on screen (models reset, charts rebuilt)."""

    def __init__(self, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._guard = StaleGuard()
        self._fetched: FetchedOverview | None = None
        self._team_ids: tuple[str, ...] = ()
        self.banner = Banner(self)
        self.banner.setVisible(False)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        # filters
        self.period_combo = QComboBox(self)
        for g in (Granularity.MONTH, Granularity.QUARTER, Granularity.WEEK, Granularity.YEAR):
            self.period_combo.addItem("", g.value)
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(date.today().year)
        self.team_combo = QComboBox(self)
        self.scope_combo = QComboBox(self)
        self.refresh_button = QPushButton(self)
        self.csv_button = QPushButton(self)
        self.pdf_button = QPushButton(self)
        self.period_label = QLabel(self)
        self.year_label = QLabel(self)
        self.team_label = QLabel(self)
        self.scope_label = QLabel(self)
        self.period_label.setBuddy(self.period_combo)
        self.year_label.setBuddy(self.year_spin)
        self.team_label.setBuddy(self.team_combo)
        self.scope_label.setBuddy(self.scope_combo)
        filters = QHBoxLayout()
        for label, widget in (
            (self.period_label, self.period_combo),
            (self.year_label, self.year_spin),
            (self.team_label, self.team_combo),
            (self.scope_label, self.scope_combo),
        ):
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)
        filters.addWidget(self.csv_button)
        filters.addWidget(self.pdf_button)
        # charts
        self.trend_chart = QChart()
        self.outcome_chart = QChart()
        self.wait_chart = QChart()
        self.trend_view = self._chart_view(self.trend_chart)
        self.outcome_view = self._chart_view(self.outcome_chart)
        self.wait_view = self._chart_view(self.wait_chart)
        charts = QGridLayout()
        charts.addWidget(self.trend_view, 0, 0, 1, 2)
        charts.addWidget(self.outcome_view, 1, 0)
        charts.addWidget(self.wait_view, 1, 1)
        chart_box = QWidget(self)
        chart_box.setLayout(charts)
        # tables
        self.trend_model = FiguresModel(self)
        self.scope_model = FiguresModel(self, by_scope=True)
        self.trend_table = self._table(self.trend_model)
        self.scope_table = self._table(self.scope_model)
        self.trend_table.selectionModel().currentRowChanged.connect(self._period_chosen)
        self.scope_caption = QLabel(self)
        tables = QWidget(self)
        tl = QVBoxLayout(tables)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.trend_table, 3)
        tl.addWidget(self.scope_caption)
        tl.addWidget(self.scope_table, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(chart_box)
        splitter.addWidget(tables)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.legend = QLabel(self)
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.legend)
        self.period_combo.currentIndexChanged.connect(self._filters_changed)
        self.year_spin.valueChanged.connect(self._filters_changed)
        self.team_combo.currentIndexChanged.connect(self._filters_changed)
        self.scope_combo.currentIndexChanged.connect(self._scope_chosen)
        self.refresh_button.clicked.connect(self.load)
        self.csv_button.clicked.connect(self._ask_csv)
        self.pdf_button.clicked.connect(self._ask_pdf)
        self._selected_row = -1
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope_combo.setMinimumContentsLength(18)
        self.team_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.set_team_ids(())
        self.retranslate()
        self._set_exports_enabled(False)

    # -- building -----------------------------------------------------------------------

    def _chart_view(self, chart: QChart) -> QChartView:
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        view = QChartView(chart, self)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(220)
        return view

    def _table(self, model: QAbstractTableModel) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(22)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.setAlternatingRowColors(True)
        return view

    def retranslate(self) -> None:
        names = {
            Granularity.WEEK.value: self.tr("Week"),
            Granularity.MONTH.value: self.tr("Maand"),
            Granularity.QUARTER.value: self.tr("Kwartaal"),
            Granularity.YEAR.value: self.tr("Jaar"),
        }
        for i in range(self.period_combo.count()):
            self.period_combo.setItemText(i, names[self.period_combo.itemData(i)])
        self.period_label.setText(self.tr("&Periode:"))
        self.year_label.setText(self.tr("&Jaar:"))
        self.team_label.setText(self.tr("&Team:"))
        self.scope_label.setText(self.tr("&Cijfers van:"))
        self.refresh_button.setText(self.tr("&Vernieuwen"))
        self.csv_button.setText(self.tr("Exporteren als &CSV…"))
        self.pdf_button.setText(self.tr("&Rapport (PDF)…"))
        self.legend.setText(self.legend_text())
        if self._fetched is None:
            self.title.setText(self.tr("Overzichten"))
            self.subtitle.setText(self.tr("Nog geen overzicht geladen."))

    def legend_text(self) -> str:
        threshold = self._fetched.overview.threshold if self._fetched else 5
        return self.tr(
            "<%1 = minder dan %1, of verborgen zodat een klein aantal niet is terug te rekenen. "
            "– = niet getoond omdat de groep te klein is. Open caseload: gemiddeld aantal open "
            "trajecten per dag. Wachtdagen: van aanmelding tot eerste gesprek."
        ).replace("%1", str(threshold))

    def _set_exports_enabled(self, on: bool) -> None:
        self.csv_button.setEnabled(on)
        self.pdf_button.setEnabled(on)

    # -- loading --------------------------------------------------------------------------

    @property
    def granularity(self) -> Granularity:
        return Granularity(self.period_combo.currentData())

    def set_team_ids(self, team_ids: tuple[str, ...]) -> None:
        """The teams a team leader leads (empty for a professional: the combo hides)."""
        self._team_ids = tuple(team_ids)
        self.team_combo.blockSignals(True)
        self.team_combo.clear()
        for i, tid in enumerate(self._team_ids):
            self.team_combo.addItem(self.tr("Team %1").replace("%1", str(i + 1)), tid)
        self.team_combo.blockSignals(False)
        self.team_combo.setVisible(bool(self._team_ids))
        self.team_label.setVisible(bool(self._team_ids))

    def load(self) -> None:
        """Fetch the overview for the filters (worker thread); shows it when it arrives."""
        if self._ops is None:
            return
        from liaison_desktop.services import overview as svc

        year = self.year_spin.value()
        granularity = self.granularity
        team_id = self.team_combo.currentData() if self._team_ids else None
        self.banner.show_message(self.tr("Overzicht ophalen…"), Level.INFO)
        self._guard.bump()
        self._ops.run(
            lambda services, state: svc.fetch_overview(
                services, date(year, 1, 1), date(year, 12, 31), granularity, team_id=team_id
            ),
            success=self._guard.wrap(self.show_overview),
            failure=self._guard.wrap(self._fetch_failed),
        )

    def _fetch_failed(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or str(exc)
        self.banner.show_message(
            self.tr("Het overzicht kon niet worden opgehaald: %1").replace("%1", message),
            Level.WARNING,
            [(self.tr("Opnieuw"), self.load)],
        )

    def _filters_changed(self) -> None:
        if self._fetched is not None or self._ops is not None:
            self.load()

    def clear_sensitive(self) -> None:
        """Forget the shown overview (on lock)."""
        self._guard.bump()
        self._fetched = None
        self.trend_model.set_rows([], 5)
        self.scope_model.set_rows([], 5)
        for chart in (self.trend_chart, self.outcome_chart, self.wait_chart):
            chart.removeAllSeries()
            for axis in chart.axes():
                chart.removeAxis(axis)
        self.scope_combo.clear()
        self.banner.dismiss()
        self._set_exports_enabled(False)
        self.retranslate()

    # -- showing --------------------------------------------------------------------------

    def show_overview(self, fetched: FetchedOverview) -> None:
        """Put a fetched overview on screen: title, scope list, tables and charts."""
        self.banner.dismiss()
        self._fetched = fetched
        ov = fetched.overview
        self.title.setText(self.report_title())
        self.subtitle.setText(self.period_text())
        self.legend.setText(self.legend_text())
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(ov.first.year)
        self.year_spin.blockSignals(False)
        index = self.period_combo.findData(ov.granularity.value)
        if index >= 0 and index != self.period_combo.currentIndex():
            self.period_combo.blockSignals(True)
            self.period_combo.setCurrentIndex(index)
            self.period_combo.blockSignals(False)
        for i in range(self.team_combo.count()):
            if self.team_combo.itemData(i) == ov.scopes[0].id:
                self.team_combo.setItemText(i, fetched.title)
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        for scope in ov.scopes:
            self.scope_combo.addItem(self._scope_name(scope.kind, scope.id), scope.id)
        self.scope_combo.setCurrentIndex(0)
        self.scope_combo.blockSignals(False)
        self._selected_row = -1
        self._show_scope()
        self._set_exports_enabled(True)
        self.sig_overview_shown.emit()

    def report_title(self) -> str:
        if self._fetched is None:
            return self.tr("Overzichten")
        root = self._fetched.overview.scopes[0]
        if root.kind is ScopeKind.TEAM:
            return self.tr("Jeugdprofessional bij de huisarts – %1").replace(
                "%1", self._fetched.title
            )
        return self.tr("Mijn cijfers – %1").replace("%1", self._fetched.title)

    def period_text(self) -> str:
        if self._fetched is None:
            return ""
        ov = self._fetched.overview
        return (
            self.tr("Periode %1 t/m %2, per %3; stand van %4")
            .replace("%1", ov.first.strftime("%d-%m-%Y"))
            .replace("%2", ov.last.strftime("%d-%m-%Y"))
            .replace("%3", self.period_combo.currentText().lower())
            .replace("%4", ov.as_of.strftime("%d-%m-%Y"))
        )

    def _scope_name(self, kind: ScopeKind, sid: str) -> str:
        name = self._fetched.names.get(sid, "") if self._fetched else ""
        if kind is ScopeKind.PRACTICE:
            return name or self.tr("Praktijk")
        if kind is ScopeKind.PROFESSIONAL and not (
            self._fetched and self._fetched.overview.scopes[0].id == sid
        ):
            return name or self.tr("Professional")
        return name or self.tr("Totaal")

    def _scope_chosen(self) -> None:
        self._selected_row = -1
        self._show_scope()

    def _rows_of(self, scope_id: str) -> list[Figures]:
        assert self._fetched is not None
        return [r for r in self._fetched.overview.rows if r.scope.id == scope_id]

    def _show_scope(self) -> None:
        if self._fetched is None:
            return
        ov = self._fetched.overview
        sid = self.scope_combo.currentData() or ov.scopes[0].id
        rows = self._rows_of(sid)
        labels = [(period_label(r.period.key, ov.granularity), r) for r in rows]
        self.trend_model.set_rows(labels, ov.threshold)
        self._build_trend(labels)
        if self._selected_row < 0 or self._selected_row >= len(rows):
            # the latest period whose outcomes can be shown, else whose referrals can
            full = [
                i
                for i, r in enumerate(rows)
                if r.closed and all(v is not None for v in r.closed_by_outcome.values())
            ]
            shown = full or [i for i, r in enumerate(rows) if r.referrals is not None]
            self._selected_row = shown[-1] if shown else len(rows) - 1
        if rows:
            self.trend_table.selectRow(self._selected_row)
        self._show_period(self._selected_row)

    def _period_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() != self._selected_row:
            self._selected_row = current.row()
            self._show_period(current.row())

    def _show_period(self, row: int) -> None:
        if self._fetched is None or row < 0 or row >= self.trend_model.rowCount():
            self.scope_model.set_rows([], 5)
            self._build_outcomes(None)
            self._build_waits(None)
            return
        ov = self._fetched.overview
        f = self.trend_model.figures(row)
        others = [
            (self._scope_name(r.scope.kind, r.scope.id), r)
            for r in ov.rows
            if r.period.key == f.period.key and not r.scope.is_root
        ]
        others.sort(key=lambda item: (item[1].scope.kind != ScopeKind.PRACTICE, item[0]))
        self.scope_model.set_rows(others, ov.threshold)
        self.scope_caption.setText(
            self.tr("Per praktijk en professional, %1").replace(
                "%1", period_label(f.period.key, ov.granularity)
            )
        )
        self._build_outcomes(f)
        self._build_waits(f)

    # -- charts ---------------------------------------------------------------------------

    @staticmethod
    def _reset(chart: QChart) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    def _build_trend(self, rows: list[tuple[str, Figures]]) -> None:
        chart = self.trend_chart
        self._reset(chart)
        chart.setTitle(self.tr("Trend per periode"))
        series = {
            "referrals": QLineSeries(),
            "closed": QLineSeries(),
            "caseload": QLineSeries(),
        }
        series["referrals"].setName(self.tr("Aanmeldingen"))
        series["closed"].setName(self.tr("Afgesloten"))
        series["caseload"].setName(self.tr("Open caseload"))
        top = 1.0
        for i, (_label, f) in enumerate(rows):
            for key, value in (
                ("referrals", f.referrals),
                ("closed", f.closed),
                ("caseload", f.open_caseload),
            ):
                if value is not None:  # a hidden figure is a gap, never a zero
                    series[key].append(float(i), float(value))
                    top = max(top, float(value))
        x = QBarCategoryAxis()
        granularity = self._fetched.overview.granularity if self._fetched else Granularity.MONTH
        labels = [short_label(f.period.key, granularity) for _label, f in rows]
        # QBarCategoryAxis needs unique categories (week numbers repeat across month parts)
        seen: dict[str, int] = {}
        for i, label in enumerate(labels):
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                labels[i] = label + ZWSP * (seen[label] - 1)
        x.append(labels or [""])
        y = QValueAxis()
        y.setRange(0, top * 1.1)
        y.setLabelFormat("%d")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for s in series.values():
            s.setPointsVisible(True)
            chart.addSeries(s)
            s.attachAxis(x)
            s.attachAxis(y)

    def outcome_names(self) -> dict[str, str]:
        return {
            "closed_no_follow_up": self.tr("Afgesloten, geen vervolg"),
            "neighbourhood_team": self.tr("Naar het basisteam"),
            "advised_specialised_care": self.tr("Advies gespecialiseerde jeugdzorg"),
            "referred_elsewhere": self.tr("Elders naartoe verwezen"),
            "dropped_out": self.tr("Voortijdig gestopt"),
        }

    def _build_outcomes(self, f: Figures | None) -> None:
        chart = self.outcome_chart
        self._reset(chart)
        chart.setTitle(self.tr("Uitkomsten van afgesloten trajecten"))
        pie = QPieSeries()
        names = self.outcome_names()
        hidden = False
        if f is not None:
            for o in OUTCOMES:
                value = f.closed_by_outcome.get(o)
                if value is None:
                    hidden = True
                elif value:
                    share = f.outcome_share.get(o)
                    slice_ = pie.append(f"{names[o]} ({_pct(share)})", value)
                    slice_.setLabelVisible(False)
        if hidden:
            chart.setTitle(
                self.tr("Uitkomsten van afgesloten trajecten (niet alle getoond: <%1)").replace(
                    "%1", str(self._fetched.overview.threshold if self._fetched else 5)
                )
            )
        chart.addSeries(pie)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)

    def _build_waits(self, f: Figures | None) -> None:
        chart = self.wait_chart
        self._reset(chart)
        chart.setTitle(self.tr("Wachttijd tot eerste gesprek (dagen)"))
        bars = QBarSet(self.tr("Eerste gesprekken"))
        labels = []
        threshold = self._fetched.overview.threshold if self._fetched else 5
        top = 1.0
        for b in BUCKETS:
            value = f.waiting_by_bucket.get(b) if f is not None else None
            bars.append(float(value or 0))
            labels.append(b if value is not None else f"{b}: <{threshold}")
            top = max(top, float(value or 0))
        if f is None or all(f.waiting_by_bucket.get(b) is None for b in BUCKETS):
            chart.setTitle(
                self.tr("Wachttijd tot eerste gesprek (dagen): verborgen, <%1").replace(
                    "%1", str(threshold)
                )
            )
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(labels)
        y = QValueAxis()
        y.setRange(0, top * 1.1)
        y.setLabelFormat("%d")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        chart.legend().setVisible(False)

    # -- exports --------------------------------------------------------------------------

    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Overzicht exporteren"), "overzicht.csv", self.tr("CSV (*.csv)")
        )
        if path:
            self.export_csv(Path(path))

    def _ask_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Rapport opslaan"), "overzicht.pdf", self.tr("PDF (*.pdf)")
        )
        if path:
            self.export_pdf(Path(path))

    def export_csv(self, path: Path) -> None:
        """The shown overview as CSV, suppressed exactly as on screen."""
        from liaison_desktop.services.overview import write_overview

        if self._fetched is None:
            return
        write_overview(path, self._fetched, "csv")
        self.banner.show_message(
            self.tr("Overzicht opgeslagen als %1.").replace("%1", path.name), Level.SUCCESS
        )

    def _chart_image(self, view: QChartView, size: QSizeF) -> QImage:
        image = QImage(int(size.width()), int(size.height()), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.render(painter)
        painter.end()
        return image

    def report_html(self) -> str:
        """The report as HTML for QTextDocument: title, period, charts, tables, notes."""
        from html import escape

        if self._fetched is None:
            return ""
        rows = [
            [escape(self.trend_model.cell_text(r, c)) for c in range(self.trend_model.COLUMNS)]
            for r in range(self.trend_model.rowCount())
        ]
        others = [
            [escape(self.scope_model.cell_text(r, c)) for c in range(self.scope_model.COLUMNS)]
            for r in range(self.scope_model.rowCount())
        ]

        def table(headers: list[str], body: list[list[str]]) -> str:
            head = "".join(f"<th>{escape(h)}</th>" for h in headers)
            lines = "".join(
                "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in body
            )
            return (
                '<table border="1" cellspacing="0" cellpadding="3" width="100%">'
                f"<tr>{head}</tr>{lines}</table>"
            )

        outcome_rows = []
        selected = (
            self.trend_model.figures(self._selected_row)
            if 0 <= self._selected_row < self.trend_model.rowCount()
            else None
        )
        if selected is not None:
            names = self.outcome_names()
            threshold = self._fetched.overview.threshold
            for o in OUTCOMES:
                outcome_rows.append(
                    [
                        escape(names[o]),
                        escape(_count(selected.closed_by_outcome.get(o), threshold)),
                        escape(_pct(selected.outcome_share.get(o))),
                    ]
                )
        outcomes_html = (
            f"<h2>{escape(self.outcome_chart.title())} – "
            f"{escape(period_label(selected.period.key, self._fetched.overview.granularity))}</h2>"
            + table([self.tr("Uitkomst"), self.tr("Aantal"), self.tr("Aandeel")], outcome_rows)
            if selected is not None
            else ""
        )
        scope = escape(self.scope_combo.currentText())
        return (
            f"<h1>{escape(self.report_title())}</h1>"
            f"<p>{escape(self.period_text())}<br/>"
            + escape(self.tr("Cijfers van: %1").replace("%1", self.scope_combo.currentText()))
            + "</p>"
            '<p><img src="chart://trend" width="1000"/></p>'
            '<p><img src="chart://outcomes" width="495"/> '
            '<img src="chart://waits" width="495"/></p>'
            f"<h2>{escape(self.tr('Per periode'))} – {scope}</h2>"
            + table(self.trend_model._headers(), rows)
            + outcomes_html
            + f"<h2>{escape(self.scope_caption.text())}</h2>"
            + table(self.scope_model._headers(), others)
            + f"<p><small>{escape(self.legend_text())}</small></p>"
        )

    def export_pdf(self, path: Path) -> None:
        """A report for an alderman, written with Qt's own PDF writer (A4 portrait)."""
        if self._fetched is None:
            return
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Portrait)
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
        writer.setResolution(150)
        writer.setTitle(self.report_title())
        writer.setCreator("Liaison Desktop")
        doc = QTextDocument()
        doc.setDefaultStyleSheet(
            "h1 { font-size: 16pt; } h2 { font-size: 12pt; } th { background: #dde6f0; }"
            " td, th { font-size: 8pt; }"
        )
        for name, view, size in (
            # drawn at the size they are shown in the document, so the text stays readable
            ("trend", self.trend_view, QSizeF(1000, 400)),
            ("outcomes", self.outcome_view, QSizeF(495, 380)),
            ("waits", self.wait_view, QSizeF(495, 380)),
        ):
            old = view.size()
            view.resize(int(size.width()), int(size.height()))
            doc.addResource(
                QTextDocument.ResourceType.ImageResource,
                QUrl(f"chart://{name}"),
                self._chart_image(view, size),
            )
            view.resize(old)
        doc.setHtml(self.report_html())
        layout = writer.pageLayout()
        paint = layout.paintRectPixels(writer.resolution())
        doc.setPageSize(QSizeF(paint.width(), paint.height()))
        doc.print_(writer)
        self.banner.show_message(
            self.tr("Rapport opgeslagen als %1.").replace("%1", path.name), Level.SUCCESS
        )
