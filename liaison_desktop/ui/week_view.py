"""The week schedule, painted: part-days per practice in their colour, appointments, conflicts.

One widget paints the whole period (no widget per slot): :class:`WeekCanvas` lays the
period out once per change or resize and paints from that layout; :class:`WeekView` adds the
navigation bar and talks to the database worker. Dragging an appointment (or Ctrl+arrow on
the focused one) asks to move it; the services refuse a move into a conflict unless the
professional gives a reason, which :class:`ConflictDialog` asks for.

:func:`plan_next_conversation` is the client file's "plan next conversation" dialog.

Everything here runs on the GUI thread.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conflicts import Conflict, ConflictKind
from liaison_desktop.domain.errors import DomainError
from liaison_desktop.domain.free_slots import FreeSlot
from liaison_desktop.domain.schedule import PlannedPartDay, week_start
from liaison_desktop.services import ics
from liaison_desktop.services.schedule import (
    ConflictsNeedReason,
    ScheduledAppointment,
    SchedulePeriod,
    ScheduleService,
)
from liaison_desktop.ui.forms import Banner, Level, StaleGuard, report_failure
from liaison_desktop.ui.i18n import domain_text
from liaison_desktop.ui.labels import appointment_kind_labels
from liaison_desktop.ui.ops import Ops

STEP_MIN = 15
DEFAULT_HOURS = (8, 18)
WEEKEND_WEIGHT = 0.45  # an empty Saturday or Sunday gets a narrow column
HEADER_H = 42
LEGEND_H = 26
GUTTER_W = 46
STRIPE_W = 14  # the practice's colour down the left of a part-day
CONFLICT = QColor("#c62828")
ACCEPTED = QColor("#ef6c00")
BLOCK_FILL = QColor("#cfd8dc")
BLOCK_EDGE = QColor("#546e7a")
TEXT_DARK = QColor("#1b1b1b")
_CONVERSATION = dm.AppointmentKind.CONVERSATION  # looked up once: enum access is slow


def _hm(t: datetime) -> str:
    return f"{t:%H:%M}"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def room_state_labels() -> dict[dm.RoomBookingState, str]:
    """The room booking states in the interface language (literal calls for lupdate)."""
    S = dm.RoomBookingState
    return {
        S.PROVISIONAL: QCoreApplication.translate(
            "WeekView", "voorlopig geboekt, nog niet bevestigd"
        ),
        S.CONFIRMED: QCoreApplication.translate("WeekView", "bevestigd"),
        S.DECLINED: QCoreApplication.translate(
            "WeekView", "niet beschikbaar volgens de centrale agenda"
        ),
    }


def conflict_text(c: Conflict) -> str:
    """The domain's Dutch explanation of a conflict, in the interface language."""
    return domain_text(c.message)


def _mix(colour: QColor, other: QColor, share: float) -> QColor:
    """``colour`` with ``share`` of ``other`` mixed in."""
    return QColor(
        round(colour.red() * (1 - share) + other.red() * share),
        round(colour.green() * (1 - share) + other.green() * share),
        round(colour.blue() * (1 - share) + other.blue() * share),
    )


# -- layout --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Column:
    day: date
    x0: float
    x1: float


@dataclass(slots=True)
class _Item:
    """An appointment's place on screen, with everything painting needs worked out."""

    entry: ScheduledAppointment
    rect: QRectF
    fill: QColor
    edge: QColor
    outline: QPen = field(default_factory=QPen)
    hatch: QBrush | None = None
    badge: QRectF | None = None
    badge_colour: QColor | None = None
    line1: str = ""
    line1_at: QPointF | None = None  # baseline start of the first line
    line2: str = ""
    line2_at: QPointF | None = None


@dataclass(slots=True)
class _Band:
    part_day: PlannedPartDay
    rect: QRectF
    colour: QColor
    overbooked: bool


@dataclass(slots=True)
class _Layout:
    columns: list[_Column] = field(default_factory=list)
    bands: list[_Band] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    first_min: int = DEFAULT_HOURS[0] * 60
    last_min: int = DEFAULT_HOURS[1] * 60
    top: float = HEADER_H
    bottom: float = 0.0

    def y(self, minute: float) -> float:
        span = max(1, self.last_min - self.first_min)
        return self.top + (minute - self.first_min) * (self.bottom - self.top) / span

    def minute_at(self, y: float) -> float:
        span = max(1, self.last_min - self.first_min)
        return self.first_min + (y - self.top) * span / max(1.0, self.bottom - self.top)

    def column_at(self, x: float) -> _Column | None:
        for c in self.columns:
            if c.x0 <= x < c.x1:
                return c
        if self.columns and x >= self.columns[-1].x1:
            return self.columns[-1]
        return self.columns[0] if self.columns and x < self.columns[0].x0 else None


def _minute_of(t: datetime) -> int:
    return t.hour * 60 + t.minute


def _lanes(entries: Sequence[tuple[datetime, datetime, int]]) -> dict[int, tuple[int, int]]:
    """Side-by-side lanes for overlapping appointments: index -> (lane, lanes in its cluster)."""
    out: dict[int, tuple[int, int]] = {}
    cluster: list[int] = []
    lane_ends: list[datetime] = []
    cluster_end: datetime | None = None

    def close() -> None:
        for i in cluster:
            out[i] = (out[i][0], len(lane_ends))

    for start, end, i in sorted(entries):
        if cluster_end is not None and start >= cluster_end:
            close()
            cluster, lane_ends, cluster_end = [], [], None
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= start:
                lane_ends[lane] = end
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(end)
        out[i] = (lane, 0)
        cluster.append(i)
        cluster_end = end if cluster_end is None else max(cluster_end, end)
    close()
    return out


class _Style:
    """What one layout pass looks up many times: metrics, labels, practice colours."""

    def __init__(self, canvas: WeekCanvas, period: SchedulePeriod) -> None:
        self.small = QFontMetrics(canvas._small)
        self.bold = QFontMetrics(canvas._bold)
        self.kinds = appointment_kind_labels()
        self.period = period
        self._practice: dict[str, QColor] = {}
        self._item: dict[tuple[str | None, bool], tuple[QColor, QColor]] = {}
        self._pens: dict[tuple[int, float, Qt.PenStyle], QPen] = {}

    def practice_colour(self, practice_id: str) -> QColor:
        colour = self._practice.get(practice_id)
        if colour is None:
            practice = self.period.practices.get(practice_id)
            colour = self._practice[practice_id] = QColor(practice.colour if practice else "#888")
        return colour

    def colours(self, a: dm.Appointment) -> tuple[QColor, QColor]:
        """Fill and edge: the practice's colour, stronger for conversations; grey elsewhere."""
        key = (a.practice_id, a.kind is _CONVERSATION)
        found = self._item.get(key)
        if found is None:
            if a.practice_id is None or a.practice_id not in self.period.practices:
                found = (BLOCK_FILL, BLOCK_EDGE)
            else:
                base = self.practice_colour(a.practice_id)
                white = QColor("white")
                found = (
                    (_mix(base, white, 0.55), base.darker(130))
                    if key[1]
                    else (_mix(base, white, 0.78), base.darker(115))
                )
            self._item[key] = found
        return found

    def pen(self, colour: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
        """One shared pen per look, so painting can skip setting the same pen again."""
        key = (colour.rgba(), width, style)
        found = self._pens.get(key)
        if found is None:
            found = self._pens[key] = QPen(colour, width, style)
        return found

    @staticmethod
    def elide(metrics: QFontMetrics, text: str, width: float) -> str:
        if metrics.horizontalAdvance(text) <= width:
            return text
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width))


# -- the painted canvas ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Drag:
    appointment_id: str
    press: QPointF
    grab_minutes: float  # where in the appointment it was picked up
    active: bool = False
    target: datetime | None = None
    target_rect: QRectF | None = None


class WeekCanvas(QWidget):
    """Paints a :class:`SchedulePeriod` for a list of days. GUI thread only."""

    sig_appointment_activated = Signal(str)
    """Enter or double-click on an appointment (its id)."""

    sig_move_requested = Signal(str, object)
    """An appointment was dragged (or moved with Ctrl+arrow): its id and the new start."""

    sig_navigate = Signal(int)
    """Keyboard navigation by this many days (arrows: 1, PgUp/PgDn: 7)."""

    sig_today_requested = Signal()
    """T or Home: back to today."""

    sig_focus_changed = Signal(str)
    """The focused appointment changed (its id, '' for none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Weekrooster"))
        self._period: SchedulePeriod | None = None
        self._days: list[date] = []
        self._today: date | None = None
        self._now: datetime | None = None
        self._current_day: date | None = None
        self._layout = _Layout()
        self._dirty = True
        self._static: QPixmap | None = None
        self._buffer: QPixmap | None = None
        self._focus_id = ""
        self._drag: _Drag | None = None
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        self._bold = QFont(self._small)
        self._bold.setBold(True)
        self._badge_font = QFont(self._bold)
        self._badge_font.setPixelSize(10)

    # -- data ----------------------------------------------------------------------------

    def set_period(
        self,
        period: SchedulePeriod | None,
        days: Sequence[date],
        *,
        today: date | None = None,
        now: datetime | None = None,
        current_day: date | None = None,
    ) -> None:
        """Show ``days`` of ``period`` (None clears the canvas, e.g. on locking)."""
        self._period = period
        self._days = list(days)
        self._today = today
        self._now = now
        self._current_day = current_day if current_day in self._days else None
        if period is None or self._focus_id not in {e.appointment.id for e in period.appointments}:
            self._set_focus_id("")
        self._invalidate()

    @property
    def period(self) -> SchedulePeriod | None:
        return self._period

    @property
    def focused_id(self) -> str:
        return self._focus_id

    def ordered(self) -> list[ScheduledAppointment]:
        """The shown appointments in time order (the Tab order)."""
        shown = set(self._days)
        return sorted(
            (
                e
                for e in (self._period.appointments if self._period else [])
                if e.appointment.start.date() in shown
            ),
            key=lambda e: (e.appointment.start, e.appointment.id),
        )

    def entry(self, appointment_id: str) -> ScheduledAppointment | None:
        if self._period is None:
            return None
        return next(
            (e for e in self._period.appointments if e.appointment.id == appointment_id), None
        )

    def item_rect(self, appointment_id: str) -> QRectF | None:
        """Where an appointment is drawn (tests, accessibility)."""
        self._ensure_layout()
        found = next(
            (i for i in self._layout.items if i.entry.appointment.id == appointment_id), None
        )
        return QRectF(found.rect) if found else None

    def set_current_day(self, day: date) -> None:
        """Mark the day keyboard navigation is on (drawn while the canvas has focus)."""
        self._current_day = day if day in self._days else None
        self.update()

    def set_focused(self, appointment_id: str) -> None:
        self._set_focus_id(appointment_id)
        self.update()

    # -- layout --------------------------------------------------------------------------

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 360)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(1100, 720)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._invalidate()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.FontChange,
            QEvent.Type.LanguageChange,
            QEvent.Type.LocaleChange,
        ):
            self._invalidate()
        super().changeEvent(event)

    def _invalidate(self) -> None:
        """Lay out and draw the period again at the next paint."""
        self._dirty = True
        self._static = None
        self.update()

    def _ensure_layout(self) -> None:
        if self._dirty:
            self._layout = self._compute_layout()
            self._dirty = False
            self._static = None

    def _compute_layout(self) -> _Layout:
        lay = _Layout(top=HEADER_H, bottom=max(HEADER_H + 60, self.height() - LEGEND_H - 4))
        period = self._period
        if not self._days:
            return lay
        busy_days: set[date] = set()
        lo, hi = DEFAULT_HOURS[0] * 60, DEFAULT_HOURS[1] * 60
        if period is not None:
            for p in period.part_days:
                busy_days.add(p.day)
                lo, hi = min(lo, _minute_of(p.start)), max(hi, _minute_of(p.end) or 24 * 60)
            for e in period.appointments:
                a = e.appointment
                end = a.start + timedelta(minutes=a.duration_min)
                busy_days.add(a.start.date())
                end_min = 24 * 60 if end.date() > a.start.date() else _minute_of(end)
                lo, hi = min(lo, _minute_of(a.start)), max(hi, end_min)
        lay.first_min, lay.last_min = lo // 60 * 60, min(24 * 60, -(-hi // 60) * 60)
        weights = [
            WEEKEND_WEIGHT
            if d.weekday() >= 5 and d not in busy_days and len(self._days) > 1
            else 1.0
            for d in self._days
        ]
        width = max(1.0, self.width() - GUTTER_W - 4)
        x = float(GUTTER_W)
        for d, w in zip(self._days, weights, strict=True):
            step = width * w / sum(weights)
            lay.columns.append(_Column(d, x, x + step))
            x += step
        if period is None:
            return lay
        col_of = {c.day: c for c in lay.columns}
        style = _Style(self, period)
        overbooked = {
            (c.part_day.practice_id, c.part_day.start)
            for c in period.conflicts
            if c.kind is ConflictKind.OVERBOOKED and c.part_day is not None
        }
        for p in period.part_days:
            col = col_of.get(p.day)
            if col is None:
                continue
            colour = style.practice_colour(p.practice_id)
            rect = QRectF(col.x0 + 2, lay.y(_minute_of(p.start)), col.x1 - col.x0 - 4, 0)
            rect.setBottom(lay.y(_minute_of(p.end) or 24 * 60))
            lay.bands.append(_Band(p, rect, colour, (p.practice_id, p.start) in overbooked))
        bands_of: dict[date, list[_Band]] = {}
        for band in lay.bands:
            bands_of.setdefault(band.part_day.day, []).append(band)
        by_day: dict[date, list[ScheduledAppointment]] = {}
        for e in period.appointments:
            if e.appointment.start.date() in col_of:
                by_day.setdefault(e.appointment.start.date(), []).append(e)
        for d, entries in by_day.items():
            col = col_of[d]
            spans = []
            for i, e in enumerate(entries):
                a = e.appointment
                spans.append((a.start, a.start + timedelta(minutes=a.duration_min), i))
            lanes = _lanes(spans)
            left, right = col.x0 + STRIPE_W + 5, col.x1 - 3
            for (start, end, i), e in zip(spans, entries, strict=True):
                lane, count = lanes[i]
                w = (right - left) / max(1, count)
                end_min = 24 * 60 if end.date() > start.date() else _minute_of(end)
                rect = QRectF(left + lane * w, lay.y(_minute_of(start)), w - 2, 0)
                rect.setBottom(max(rect.top() + 10, lay.y(end_min) - 1))
                fill, edge = style.colours(e.appointment)
                a = e.appointment
                room = next(
                    (
                        b.part_day.room_id
                        for b in bands_of.get(d, ())
                        if b.part_day.practice_id == a.practice_id
                        and b.part_day.start <= a.start < b.part_day.end
                    ),
                    None,
                )
                lay.items.append(self._dress(_Item(e, rect, fill, edge), style, room))
        return lay

    def _dress(self, item: _Item, style: _Style, part_day_room: str | None) -> _Item:
        """Work out an item's outline, hatching, badge and (elided) texts once per layout."""
        e, rect = item.entry, item.rect
        a = e.appointment
        state = a.room_state if a.room_id else dm.RoomBookingState.CONFIRMED
        if state is not dm.RoomBookingState.CONFIRMED:
            hatch = QColor(item.edge)
            hatch.setAlpha(110)
            declined = state is dm.RoomBookingState.DECLINED
            pattern = Qt.BrushStyle.DiagCrossPattern if declined else Qt.BrushStyle.BDiagPattern
            item.hatch = QBrush(hatch, pattern)
        badge_w = 0.0
        if e.conflicts:
            colour = ACCEPTED if a.conflict_reason else CONFLICT
            item.outline = style.pen(colour, 2)
            size = min(14.0, rect.height() - 2, rect.width() / 3)
            if size >= 7:
                item.badge = QRectF(rect.right() - size - 2, rect.top() + 1, size, size)
                item.badge_colour = colour
                badge_w = size + 2
        elif item.hatch is not None:
            item.outline = style.pen(item.edge, 1, Qt.PenStyle.DashLine)
        else:
            item.outline = style.pen(item.edge, 1)
        # Text: "09:15 Name" and, when there is room, the kind and room on a second line.
        # Painted at a baseline (much cheaper than laying text out in a rectangle), so the
        # texts are elided to the width here.
        inner = rect.adjusted(4, 1, -4, -1)
        line_h = style.small.height()
        item.line1_at = QPointF(inner.left(), inner.top() + style.bold.ascent())
        item.line1 = style.elide(
            style.bold,
            f"{a.start.hour:02d}:{a.start.minute:02d} {self._title(e, style.kinds)}",
            inner.width() - badge_w,
        )
        if inner.height() >= 2 * line_h:
            subtitle = self._subtitle(e, style.kinds, part_day_room)
            if subtitle:
                item.line2_at = QPointF(inner.left(), inner.top() + line_h + style.small.ascent())
                item.line2 = style.elide(style.small, subtitle, inner.width())
        return item

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        # The period is drawn once into a pixmap per layout; a repaint (expose, focus, every
        # mouse move of a drag) only copies it and draws the overlays.
        self._ensure_layout()
        if self._static is None:
            self._static = self._render_static()
        p = QPainter(self)
        p.drawPixmap(0, 0, self._static)
        self._paint_overlay(p, self._layout)
        p.end()

    def _render_static(self) -> QPixmap:
        dpr = self.devicePixelRatioF()
        size = self.size() * dpr
        pixmap = self._buffer  # reused while the size stays: allocating it costs a few ms
        if pixmap is None or pixmap.size() != size or pixmap.devicePixelRatio() != dpr:
            pixmap = self._buffer = QPixmap(size)
            pixmap.setDevicePixelRatio(dpr)
        lay = self._layout
        p = QPainter(pixmap)
        p.fillRect(self.rect(), self.palette().base())
        p.setFont(self._small)
        fm = QFontMetrics(self._small)
        self._paint_grid(p, lay, fm)
        for band in lay.bands:
            self._paint_band(p, band, fm)
        self._paint_items(p, lay.items)
        self._paint_legend(p, fm)
        p.end()
        return pixmap

    def _paint_overlay(self, p: QPainter, lay: _Layout) -> None:
        """What changes without a new layout: focus marks, the current time, a drag."""
        highlight = self.palette().highlight().color()
        if self.hasFocus():
            col = next((c for c in lay.columns if c.day == self._current_day), None)
            if col is not None:
                p.setPen(QPen(highlight, 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(QRectF(col.x0 + 1, 1, col.x1 - col.x0 - 2, HEADER_H - 3))
            item = next((i for i in lay.items if i.entry.appointment.id == self._focus_id), None)
            if item is not None:
                p.setPen(QPen(highlight, 2, Qt.PenStyle.DotLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(item.rect.adjusted(-2, -2, 2, 2))
        self._paint_now(p, lay)
        self._paint_drag(p, lay, QFontMetrics(self._small))

    def _paint_grid(self, p: QPainter, lay: _Layout, fm: QFontMetrics) -> None:
        pal = self.palette()
        text = pal.text().color()
        # Opaque mixes: lines in a translucent colour are many times slower to rasterise.
        grid = _mix(pal.base().color(), text, 0.16)
        half = _mix(pal.base().color(), text, 0.07)
        period = self._period
        locale = QLocale()
        for c in lay.columns:
            col_rect = QRectF(c.x0, lay.top, c.x1 - c.x0, lay.bottom - lay.top)
            holiday = period.holidays.get(c.day) if period else None
            leave = period.leave.get(c.day) if period else None
            if c.day == self._today:
                today_fill = QColor(pal.highlight().color())
                today_fill.setAlpha(22)
                p.fillRect(QRectF(c.x0, 0, c.x1 - c.x0, lay.bottom), today_fill)
            if c.day.weekday() >= 5 or holiday is not None or leave is not None:
                shade = QColor(text)
                shade.setAlpha(14)
                p.fillRect(col_rect, QBrush(shade, Qt.BrushStyle.BDiagPattern))
            p.setPen(grid)
            p.drawLine(QPointF(c.x0, 0), QPointF(c.x0, lay.bottom))
            # Header: "ma 23 nov" and, below it, a holiday or leave.
            p.setFont(self._bold)
            p.setPen(text)
            title = locale.toString(_qdate(c.day), "ddd d MMM")
            p.drawText(
                QPointF(c.x0 + 4, 4 + fm.ascent()),
                fm.elidedText(title, Qt.TextElideMode.ElideRight, int(c.x1 - c.x0 - 8)),
            )
            p.setFont(self._small)
            note = holiday or ""
            if not note and leave is not None:
                note = self.tr("Verlof") + (f": {leave}" if leave else "")
            if note:
                p.setPen(CONFLICT)
                p.drawText(
                    QPointF(c.x0 + 4, 22 + fm.ascent()),
                    fm.elidedText(note, Qt.TextElideMode.ElideRight, int(c.x1 - c.x0 - 8)),
                )
        p.setPen(grid)
        p.drawLine(QPointF(0, lay.top), QPointF(self.width(), lay.top))
        for minute in range(lay.first_min, lay.last_min + 1, 30):
            y = lay.y(minute)
            p.setPen(grid if minute % 60 == 0 else half)
            p.drawLine(
                QPointF(GUTTER_W - (6 if minute % 60 == 0 else 0), y), QPointF(self.width(), y)
            )
            if minute % 60 == 0 and minute < lay.last_min:
                p.setPen(text)
                label = f"{minute // 60:02d}:00"
                p.drawText(
                    QPointF(GUTTER_W - 8 - fm.horizontalAdvance(label), y + 1 + fm.ascent()),
                    label,
                )

    def _paint_band(self, p: QPainter, band: _Band, fm: QFontMetrics) -> None:
        pd, rect, colour = band.part_day, band.rect, band.colour
        tint = QColor(colour)
        tint.setAlpha(38)
        p.fillRect(rect, tint)
        stripe = QRectF(rect.left(), rect.top(), STRIPE_W, rect.height())
        p.fillRect(stripe, colour)
        provisional = pd.room_id is not None and pd.room_state is not dm.RoomBookingState.CONFIRMED
        if provisional or band.overbooked:
            pen = QPen(CONFLICT if band.overbooked else colour, 1, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        # The practice (and room) runs up the stripe, where appointments never cover it.
        practice = self._period.practices.get(pd.practice_id) if self._period else None
        room = self._period.rooms.get(pd.room_id or "") if self._period else None
        label = practice.name if practice else ""
        if room is not None:
            label += f" · {room.name}"
            if provisional:
                label += " " + self.tr("(voorlopig)")
        p.save()
        p.translate(stripe.left(), stripe.bottom())
        p.rotate(-90)
        p.setPen(QColor("white") if colour.lightnessF() < 0.6 else TEXT_DARK)
        p.setFont(self._small)
        length = stripe.height() - 6
        p.drawText(
            QPointF(3, (STRIPE_W + fm.ascent() - fm.descent()) / 2),
            fm.elidedText(label, Qt.TextElideMode.ElideRight, int(length)),
        )
        p.restore()

    def _paint_items(self, p: QPainter, items: Sequence[_Item]) -> None:
        """Appointments, pass by pass: every state change (pen, font) costs, so each is set
        once per pass rather than once per appointment. Items do not overlap (lanes), so the
        order between passes does not matter."""
        # Square corners and plain fills: rounded paths cost twice as much to rasterise.
        for item in items:
            p.fillRect(item.rect, item.fill)
            if item.hatch is not None:
                p.fillRect(item.rect, item.hatch)
        p.setBrush(Qt.BrushStyle.NoBrush)
        pen: QPen | None = None
        for item in items:
            if item.outline is not pen:
                pen = item.outline
                p.setPen(pen)
            p.drawRect(item.rect.adjusted(0.5, 0.5, -0.5, -0.5))
        badges = [i for i in items if i.badge is not None and i.badge_colour is not None]
        if badges:
            p.setPen(Qt.PenStyle.NoPen)
            for item in badges:
                p.setBrush(item.badge_colour)
                p.drawEllipse(item.badge)
            p.setPen(QColor("white"))
            p.setFont(self._badge_font)
            for item in badges:
                p.drawText(item.badge, Qt.AlignmentFlag.AlignCenter, "!")
        p.setPen(TEXT_DARK)
        p.setFont(self._bold)
        for item in items:
            if item.line1_at is not None:
                p.drawText(item.line1_at, item.line1)
        p.setFont(self._small)
        for item in items:
            if item.line2_at is not None:
                p.drawText(item.line2_at, item.line2)

    def _paint_now(self, p: QPainter, lay: _Layout) -> None:
        if self._now is None:
            return
        col = next((c for c in lay.columns if c.day == self._now.date()), None)
        minute = _minute_of(self._now)
        if col is None or not lay.first_min <= minute <= lay.last_min:
            return
        y = lay.y(minute)
        p.setPen(QPen(CONFLICT, 1.5))
        p.drawLine(QPointF(col.x0, y), QPointF(col.x1, y))
        p.setBrush(CONFLICT)
        p.drawEllipse(QPointF(col.x0 + 2, y), 3, 3)

    def _paint_drag(self, p: QPainter, lay: _Layout, fm: QFontMetrics) -> None:
        d = self._drag
        if d is None or not d.active or d.target_rect is None or d.target is None:
            return
        ghost = QColor(self.palette().highlight().color())
        ghost.setAlpha(70)
        p.setBrush(ghost)
        p.setPen(QPen(self.palette().highlight().color(), 1.5, Qt.PenStyle.DashLine))
        p.drawRoundedRect(d.target_rect, 3, 3)
        p.setPen(TEXT_DARK)
        p.drawText(
            d.target_rect.adjusted(4, 1, -4, -1),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            QLocale().toString(_qdate(d.target.date()), "ddd") + f" {_hm(d.target)}",
        )

    def _paint_legend(self, p: QPainter, fm: QFontMetrics) -> None:
        """Practice colours, then the marks: provisional room, conflict, accepted conflict."""
        y = self.height() - LEGEND_H + 4
        x = float(GUTTER_W)
        text = self.palette().text().color()
        period = self._period
        shown = {b.part_day.practice_id for b in self._layout.bands}
        shown |= {i.entry.appointment.practice_id for i in self._layout.items}
        practices = sorted(
            (pr for pr in (period.practices.values() if period else []) if pr.id in shown),
            key=lambda pr: pr.name,
        )
        entries: list[tuple[str, QColor, str]] = [
            ("fill", QColor(pr.colour), pr.name) for pr in practices
        ]
        entries += [
            ("hatch", BLOCK_EDGE, self.tr("werkruimte voorlopig")),
            ("outline", CONFLICT, self.tr("conflict")),
            ("outline", ACCEPTED, self.tr("conflict, toch gepland")),
        ]
        for style, colour, label in entries:
            w = fm.horizontalAdvance(label)
            if x + 18 + w > self.width():
                break
            r = QRectF(x, y + 3, 12, 12)
            if style == "fill":
                p.fillRect(r, colour)
            elif style == "hatch":
                p.fillRect(r, QColor("#eceff1"))
                p.fillRect(r, QBrush(colour, Qt.BrushStyle.BDiagPattern))
            else:
                p.setPen(QPen(colour, 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(r.adjusted(1, 1, -1, -1))
            p.setPen(text)
            p.drawText(QPointF(x + 16, y + 9 + (fm.ascent() - fm.descent()) / 2), label)
            x += 16 + w + 14

    # -- texts ---------------------------------------------------------------------------

    def _title(
        self, e: ScheduledAppointment, kinds: dict[dm.AppointmentKind, str] | None = None
    ) -> str:
        a = e.appointment
        if e.client_name:
            return e.client_name
        return a.title or (kinds or appointment_kind_labels())[a.kind]

    def _subtitle(
        self,
        e: ScheduledAppointment,
        kinds: dict[dm.AppointmentKind, str],
        part_day_room: str | None,
    ) -> str:
        """The second line: only what the first line and the part-day do not say already.

        The kind only when the first line shows a client for something other than a
        conversation (blocks show their title or kind there); the room only when it is not
        the part-day's own, which is on the stripe. The tooltip and the details have all.
        """
        a = e.appointment
        parts = [kinds[a.kind]] if e.client_name and a.kind is not _CONVERSATION else []
        room = self._period.rooms.get(a.room_id or "") if self._period else None
        if room is not None and a.room_id != part_day_room:
            parts.append(room.name)
        return " · ".join(parts)

    def describe(self, e: ScheduledAppointment) -> str:
        """A plain-text description (accessible description, tests)."""
        a = e.appointment
        end = a.start + timedelta(minutes=a.duration_min)
        practice = self._period.practices.get(a.practice_id or "") if self._period else None
        room = self._period.rooms.get(a.room_id or "") if self._period else None
        parts = [
            QLocale().toString(_qdate(a.start.date()), "dddd d MMMM")
            + f" {_hm(a.start)}–{_hm(end)}",
            self._title(e),
            appointment_kind_labels()[a.kind],
        ]
        if practice is not None:
            parts.append(practice.name)
        if room is not None:
            parts.append(
                self.tr("werkruimte {room}: {state}").format(
                    room=room.name, state=room_state_labels()[a.room_state]
                )
            )
        parts += [conflict_text(c) for c in e.conflicts]
        if a.conflict_reason:
            parts.append(self.tr("Toch gepland, reden: {reason}").format(reason=a.conflict_reason))
        return ". ".join(p.rstrip(".") for p in parts if p) + "."

    def _tooltip(self, e: ScheduledAppointment) -> str:
        a = e.appointment
        end = a.start + timedelta(minutes=a.duration_min)
        esc = html.escape
        lines = [f"<b>{_hm(a.start)}–{_hm(end)} {esc(self._title(e))}</b>"]
        practice = self._period.practices.get(a.practice_id or "") if self._period else None
        room = self._period.rooms.get(a.room_id or "") if self._period else None
        where = [appointment_kind_labels()[a.kind]]
        if practice is not None:
            where.append(practice.name)
        if room is not None:
            where.append(room.name)
        lines.append(esc(" · ".join(where)))
        if room is not None:
            lines.append(
                esc(self.tr("Werkruimte: {state}").format(state=room_state_labels()[a.room_state]))
            )
        for c in e.conflicts:
            lines.append(f"<span style='color:{CONFLICT.name()}'>⚠ {esc(conflict_text(c))}</span>")
        if a.conflict_reason:
            lines.append(
                f"<span style='color:{ACCEPTED.name()}'>"
                + esc(self.tr("Toch gepland, reden: {reason}").format(reason=a.conflict_reason))
                + "</span>"
            )
        return "<br>".join(lines)

    def _band_tooltip(self, band: _Band) -> str:
        pd = band.part_day
        practice = self._period.practices.get(pd.practice_id) if self._period else None
        room = self._period.rooms.get(pd.room_id or "") if self._period else None
        lines = [
            f"<b>{html.escape(practice.name if practice else '')}</b>",
            self.tr("Dagdeel {start}–{end}").format(start=_hm(pd.start), end=_hm(pd.end)),
        ]
        if room is not None:
            lines.append(
                html.escape(
                    self.tr("Werkruimte {room}: {state}").format(
                        room=room.name, state=room_state_labels()[pd.room_state]
                    )
                )
            )
        if band.overbooked and self._period is not None:
            for c in self._period.conflicts:
                if c.kind is ConflictKind.OVERBOOKED and c.part_day == pd:
                    lines.append(
                        f"<span style='color:{CONFLICT.name()}'>⚠ "
                        f"{html.escape(conflict_text(c))}</span>"
                    )
        return "<br>".join(lines)

    # -- hit testing and events ----------------------------------------------------------

    def item_at(self, pos: QPointF) -> _Item | None:
        self._ensure_layout()
        for item in reversed(self._layout.items):
            if item.rect.contains(pos):
                return item
        return None

    def event(self, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.ToolTip and isinstance(ev, QHelpEvent):
            pos = QPointF(ev.pos())
            item = self.item_at(pos)
            if item is not None:
                QToolTip.showText(ev.globalPos(), self._tooltip(item.entry), self)
                return True
            band = next((b for b in self._layout.bands if b.rect.contains(pos)), None)
            if band is not None:
                QToolTip.showText(ev.globalPos(), self._band_tooltip(band), self)
                return True
            QToolTip.hideText()
            ev.ignore()
            return True
        return super().event(ev)

    def mousePressEvent(self, ev: QMouseEvent) -> None:  # noqa: N802
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        item = self.item_at(ev.position())
        if ev.button() == Qt.MouseButton.LeftButton and item is not None:
            a = item.entry.appointment
            self._set_focus_id(a.id)
            grab = self._layout.minute_at(ev.position().y()) - _minute_of(a.start)
            self._drag = _Drag(a.id, ev.position(), grab)
            self.update()
            return
        col = self._layout.column_at(ev.position().x())
        if col is not None:
            self._current_day = col.day
            self.update()
        super().mousePressEvent(ev)

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:  # noqa: N802
        d = self._drag
        if d is None:
            return super().mouseMoveEvent(ev)
        if not d.active:
            moved = (ev.position() - d.press).manhattanLength()
            if moved < QApplication.startDragDistance():
                return None
            d.active = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self._update_drag_target(ev.position())
        self.update()
        return None

    def _update_drag_target(self, pos: QPointF) -> None:
        d, lay = self._drag, self._layout
        e = self.entry(d.appointment_id) if d else None
        col = lay.column_at(pos.x())
        if d is None or e is None or col is None:
            return
        a = e.appointment
        minute = lay.minute_at(pos.y()) - d.grab_minutes
        minute = round(minute / STEP_MIN) * STEP_MIN
        minute = max(lay.first_min, min(minute, 24 * 60 - a.duration_min))
        d.target = datetime.combine(col.day, time()) + timedelta(minutes=minute)
        rect = QRectF(col.x0 + STRIPE_W + 5, lay.y(minute), col.x1 - col.x0 - STRIPE_W - 8, 0)
        rect.setBottom(lay.y(minute + a.duration_min) - 1)
        d.target_rect = rect

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:  # noqa: N802
        d, self._drag = self._drag, None
        self.unsetCursor()
        if d is None:
            return super().mouseReleaseEvent(ev)
        self.update()
        if d.active and d.target is not None:
            e = self.entry(d.appointment_id)
            if e is not None and d.target != e.appointment.start:
                self.sig_move_requested.emit(d.appointment_id, d.target)
        return None

    def mouseDoubleClickEvent(self, ev: QMouseEvent) -> None:  # noqa: N802
        item = self.item_at(ev.position())
        if item is not None:
            self.sig_appointment_activated.emit(item.entry.appointment.id)
            return
        super().mouseDoubleClickEvent(ev)

    def keyPressEvent(self, ev: QKeyEvent) -> None:  # noqa: N802
        key, mods = ev.key(), ev.modifiers()
        ctrl = bool(mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        Key = Qt.Key
        if key == Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.unsetCursor()
            self.update()
        elif ctrl and key in (Key.Key_Up, Key.Key_Down, Key.Key_Left, Key.Key_Right):
            self._move_focused(key)
        elif key in (Key.Key_Left, Key.Key_Right):
            self.sig_navigate.emit(-1 if key == Key.Key_Left else 1)
        elif key in (Key.Key_PageUp, Key.Key_PageDown):
            self.sig_navigate.emit(-7 if key == Key.Key_PageUp else 7)
        elif key in (Key.Key_T, Key.Key_Home) and not ctrl:
            self.sig_today_requested.emit()
        elif key in (Key.Key_Up, Key.Key_Down):
            self._step_focus(-1 if key == Key.Key_Up else 1, wrap=False)
        elif key in (Key.Key_Return, Key.Key_Enter, Key.Key_Space) and self._focus_id:
            self.sig_appointment_activated.emit(self._focus_id)
        else:
            super().keyPressEvent(ev)
            return
        ev.accept()

    def _move_focused(self, key: Qt.Key) -> None:
        e = self.entry(self._focus_id)
        if e is None:
            return
        delta = {
            Qt.Key.Key_Up: timedelta(minutes=-STEP_MIN),
            Qt.Key.Key_Down: timedelta(minutes=STEP_MIN),
            Qt.Key.Key_Left: timedelta(days=-1),
            Qt.Key.Key_Right: timedelta(days=1),
        }[key]
        self.sig_move_requested.emit(e.appointment.id, e.appointment.start + delta)

    def _step_focus(self, step: int, *, wrap: bool) -> bool:
        """Focus the next or previous appointment; False at the end (when not wrapping)."""
        order = [e.appointment.id for e in self.ordered()]
        if not order:
            return False
        if self._focus_id in order:
            i = order.index(self._focus_id) + step
        else:
            i = 0 if step > 0 else len(order) - 1
        if not 0 <= i < len(order):
            if not wrap:
                return False
            i %= len(order)
        self._set_focus_id(order[i])
        self.update()
        return True

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        # Tab walks through the appointments; past the last one focus leaves the canvas.
        if self.hasFocus() and self._step_focus(1 if next else -1, wrap=False):
            return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, ev: QFocusEvent) -> None:  # noqa: N802
        order = self.ordered()
        if order and not self._focus_id:
            if ev.reason() == Qt.FocusReason.BacktabFocusReason:
                self._set_focus_id(order[-1].appointment.id)
            elif ev.reason() != Qt.FocusReason.MouseFocusReason:
                self._set_focus_id(order[0].appointment.id)
        super().focusInEvent(ev)
        self.update()

    def focusOutEvent(self, ev: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(ev)
        self.update()

    def _set_focus_id(self, appointment_id: str) -> None:
        if appointment_id == self._focus_id:
            return
        self._focus_id = appointment_id
        e = self.entry(appointment_id)
        self.setAccessibleDescription(self.describe(e) if e is not None else "")
        if self.isVisible():
            QAccessible.updateAccessibility(
                QAccessibleEvent(self, QAccessible.Event.DescriptionChanged)
            )
        self.sig_focus_changed.emit(appointment_id)


# -- dialogs ----------------------------------------------------------------------------------------


class ConflictDialog(QDialog):
    """Shows the conflicts of a change and asks for a reason to go ahead anyway."""

    def __init__(self, conflicts: Sequence[Conflict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Conflict in het rooster"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Deze wijziging geeft een conflict in het rooster:"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.conflict_list = QListWidget(self)
        self.conflict_list.setAccessibleName(self.tr("Conflicten"))
        self.conflict_list.setWordWrap(True)
        self.conflict_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for c in conflicts:
            self.conflict_list.addItem(QListWidgetItem("⚠ " + conflict_text(c)))
        self.conflict_list.setMaximumHeight(36 * max(2, min(6, len(conflicts))) + 8)
        self.setMinimumWidth(460)
        layout.addWidget(self.conflict_list)
        label = QLabel(self.tr("&Reden om toch door te gaan:"), self)
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName(self.tr("Reden om toch door te gaan"))
        self.reason.setPlaceholderText(self.tr("Bijvoorbeeld: overlegd met de huisarts"))
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(80)
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        buttons = QDialogButtonBox(self)
        self.go_ahead = buttons.addButton(
            self.tr("Toch doorgaan"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.go_ahead.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.go_ahead.setEnabled(bool(self.reason.toPlainText().strip()))
        )
        self.reason.setFocus()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()


class AppointmentDialog(QDialog):
    """The details of one appointment: time, place, room state, conflicts and reason."""

    sig_client_open_requested = Signal(str)
    """'Open dossier' was chosen (the client id)."""

    def __init__(
        self, canvas: WeekCanvas, entry: ScheduledAppointment, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Afspraak"))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        self.details = QLabel(canvas._tooltip(entry), self)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.details.setAccessibleName(canvas.describe(entry))
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        client_id = entry.appointment.client_id
        if client_id:
            open_file = buttons.addButton(
                self.tr("&Dossier openen"), QDialogButtonBox.ButtonRole.ActionRole
            )
            open_file.clicked.connect(lambda: self._open_client(client_id))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _open_client(self, client_id: str) -> None:
        self.sig_client_open_requested.emit(client_id)
        self.accept()


def run_with_reason(
    ops: Ops,
    change: Callable[[ScheduleService, str], object],
    parent: QWidget,
    *,
    done: Callable[[object], None],
    failed: Callable[[DomainError], None],
) -> None:
    """Run a schedule change; on conflicts ask for a reason and, given one, run it again.

    ``change(schedule, reason)`` runs on the worker. ``done`` gets its result; ``failed`` a
    refusal (including a cancelled conflict dialog, as ConflictsNeedReason).
    """

    def ask(exc: BaseException) -> None:
        if not isinstance(exc, ConflictsNeedReason):
            report_failure(ops, exc, failed)
            return
        dialog = ConflictDialog(exc.conflicts, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            if result != QDialog.DialogCode.Accepted:
                failed(exc)
                return
            reason = dialog.reason_text()
            ops.run(
                lambda sv, _st: change(ScheduleService(sv), reason),
                success=done,
                failure=lambda e: report_failure(ops, e, failed),
            )

        dialog.finished.connect(finished)
        dialog.open()

    ops.run(lambda sv, _st: change(ScheduleService(sv), ""), success=done, failure=ask)


# -- the view ----------------------------------------------------------------------------------------


class WeekView(QWidget):
    """The week schedule with its navigation bar. GUI thread only.

    ``today`` and ``clock`` are replaceable (tests, screenshots).
    """

    sig_client_open_requested = Signal(str)
    """The professional asked to open a client's file from an appointment (the client id)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.today: Callable[[], date] = date.today
        self.clock: Callable[[], datetime | None] = datetime.now
        self.day = date.today()
        self.day_mode = False
        self._guard = StaleGuard()
        self.loads = 0

        self.prev_week = self._button(
            self.tr("« Week"), self.tr("Vorige week (PgUp)"), lambda: self.navigate(-7)
        )
        self.prev_day = self._button(
            self.tr("‹ Dag"), self.tr("Vorige dag (pijl links)"), lambda: self.navigate(-1)
        )
        self.today_button = self._button(
            self.tr("&Vandaag"), self.tr("Naar vandaag (T)"), self.go_today
        )
        self.next_day = self._button(
            self.tr("Dag ›"), self.tr("Volgende dag (pijl rechts)"), lambda: self.navigate(1)
        )
        self.next_week = self._button(
            self.tr("Week »"), self.tr("Volgende week (PgDn)"), lambda: self.navigate(7)
        )
        self.title = QLabel(self)
        self.title.setObjectName("weekTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.week_mode_button = self._button(
            self.tr("&Week"), self.tr("Toon de hele week"), lambda: self.set_day_mode(False)
        )
        self.day_mode_button = self._button(
            self.tr("D&ag"), self.tr("Toon één dag"), lambda: self.set_day_mode(True)
        )
        group = QButtonGroup(self)
        for b in (self.week_mode_button, self.day_mode_button):
            b.setCheckable(True)
            group.addButton(b)
        self.week_mode_button.setChecked(True)
        self.export_button = self._button(
            self.tr("E&xporteren (.ics)"),
            self.tr("Deze periode als agendabestand, zonder namen van cliënten"),
            self.export_ics,
        )
        bar = QHBoxLayout()
        for w in (self.prev_week, self.prev_day, self.today_button, self.next_day, self.next_week):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(self.title, 1)
        for w in (self.week_mode_button, self.day_mode_button, self.export_button):
            bar.addWidget(w)
        self.banner = Banner(self)
        self.canvas = WeekCanvas(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.canvas, 1)

        self.canvas.sig_navigate.connect(self.navigate)
        self.canvas.sig_today_requested.connect(self.go_today)
        self.canvas.sig_move_requested.connect(self.move_appointment)
        self.canvas.sig_appointment_activated.connect(self.open_appointment)
        ops.sig_changes.connect(self._on_changes)
        self._update_title()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self.loads == 0:  # first shown: today's week
            self.day = self.today()
            self._update_title()
            self.load()
        super().showEvent(event)

    def _button(self, text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.setAccessibleName(tip)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        b.clicked.connect(slot)
        return b

    # -- what is shown -----------------------------------------------------------------------

    def shown_days(self) -> list[date]:
        if self.day_mode:
            return [self.day]
        first = week_start(self.day)
        return [first + timedelta(days=n) for n in range(7)]

    def go_to(self, day: date) -> None:
        """Show the week (or day) holding ``day``; loads only when the period changes."""
        before = self.shown_days()
        self.day = day
        if self.shown_days() != before:
            self.load()
        else:
            self.canvas.set_current_day(day)
        self._update_title()

    def navigate(self, days: int) -> None:
        self.go_to(self.day + timedelta(days=days))

    def go_today(self) -> None:
        self.go_to(self.today())

    def set_day_mode(self, on: bool) -> None:
        if on == self.day_mode:
            return
        self.day_mode = on
        (self.day_mode_button if on else self.week_mode_button).setChecked(True)
        self.load()
        self._update_title()

    def _update_title(self) -> None:
        days = self.shown_days()
        iso = days[0].isocalendar()
        locale = QLocale()
        if self.day_mode:
            text = locale.toString(_qdate(days[0]), "dddd d MMMM yyyy")
        else:
            text = "{} – {}".format(
                locale.toString(_qdate(days[0]), "d MMM"),
                locale.toString(_qdate(days[-1]), "d MMM yyyy"),
            )
        self.title.setText(self.tr("Week {week}").format(week=iso.week) + " · " + text)
        self.canvas.setAccessibleName(self.tr("Weekrooster") + ", " + self.title.text())

    # -- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        """Read the shown period on the worker and paint it."""
        self._guard.bump()
        days = self.shown_days()
        first, last = days[0], days[-1]
        self.loads += 1
        self.ops.run(
            lambda sv, _st: ScheduleService(sv).period(first, last),
            success=self._guard.wrap(self._show),
            failure=self._guard.wrap(lambda e: report_failure(self.ops, e, self._show_error)),
        )

    def _show(self, period: SchedulePeriod | None) -> None:
        days = self.shown_days()
        if period is not None and (period.first, period.last) != (days[0], days[-1]):
            period = None  # navigated on while this period was loading
        self.canvas.set_period(
            period, days, today=self.today(), now=self.clock(), current_day=self.day
        )

    def clear_sensitive(self) -> None:
        """Forget everything shown (locking); late results are dropped."""
        self._guard.bump()
        self.canvas.set_period(None, self.shown_days())
        self.banner.dismiss()

    def _on_changes(self, changes: object) -> None:
        if (
            getattr(changes, "schedule", False)
            or getattr(changes, "clients", False)
            or getattr(changes, "practices", False)
        ):
            self.load()

    def _show_error(self, exc: DomainError) -> None:
        self.banner.show_message(domain_text(exc.message), Level.ERROR)

    # -- changes -----------------------------------------------------------------------------

    def move_appointment(self, appointment_id: str, start: datetime) -> None:
        """Move an appointment; conflicts ask for a reason first (Cancel leaves it as it was)."""
        self.banner.dismiss()

        def done(result: object) -> None:
            warning = getattr(result, "warning", None)
            if warning:
                self.banner.show_message(
                    self.tr("Verplaatst, met conflict: {warning}").format(
                        warning=domain_text(warning)
                    ),
                    Level.WARNING,
                )

        def failed(exc: DomainError) -> None:
            if isinstance(exc, ConflictsNeedReason):
                self.banner.show_message(self.tr("Niet verplaatst."), Level.INFO)
            else:
                self._show_error(exc)

        run_with_reason(
            self.ops,
            lambda schedule, reason: schedule.move_appointment(
                appointment_id, start, reason=reason
            ),
            self,
            done=done,
            failed=failed,
        )

    def open_appointment(self, appointment_id: str) -> AppointmentDialog | None:
        entry = self.canvas.entry(appointment_id)
        if entry is None:
            return None
        dialog = AppointmentDialog(self.canvas, entry, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_client_open_requested.connect(self.sig_client_open_requested)
        dialog.open()
        return dialog

    def export_ics(self, path: Path | None = None) -> None:
        """Export the shown period as .ics (asks where when ``path`` is None)."""
        if path is None:
            days = self.shown_days()
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Agendabestand opslaan"),
                f"rooster-{days[0]:%Y%m%d}.ics",
                self.tr("Agendabestanden (*.ics)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        days = self.shown_days()
        first, last = days[0], days[-1]
        self.ops.run(
            lambda sv, _st: ics.export_ics(sv, path, first, last),
            success=lambda report: self.banner.show_message(
                self.tr("{count} afspraken geëxporteerd naar {file}.").format(
                    count=report.events, file=report.path.name
                ),
                Level.SUCCESS,
            ),
            failure=lambda e: report_failure(self.ops, e, self._show_error),
        )


# -- plan next conversation -------------------------------------------------------------------------


class PlanConversationDialog(QDialog):
    """Offers the first free moments at the client's practice and plans the chosen one."""

    sig_planned = Signal(object)
    """A conversation was planned (the dm.Appointment)."""

    def __init__(self, ops: Ops, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.client_id = client_id
        self._guard = StaleGuard()
        self._practices: dict[str, dm.Practice] = {}
        self._rooms: dict[str, dm.Room] = {}
        self.slots: list[FreeSlot] = []
        self.setWindowTitle(self.tr("Volgend gesprek plannen"))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        duration_label = QLabel(self.tr("&Duur (minuten):"), self)
        self.duration = QSpinBox(self)
        self.duration.setRange(15, 180)
        self.duration.setSingleStep(15)
        self.duration.setValue(45)
        self.duration.setAccessibleName(self.tr("Duur in minuten"))
        duration_label.setBuddy(self.duration)
        row.addWidget(duration_label)
        row.addWidget(self.duration)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.slot_list = QListWidget(self)
        self.slot_list.setAccessibleName(self.tr("Vrije momenten"))
        self.slot_list.setMinimumSize(440, 180)
        layout.addWidget(self.slot_list)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        buttons = QDialogButtonBox(self)
        self.plan_button = buttons.addButton(
            self.tr("&Plannen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.plan)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.plan_button.setEnabled(False)
        self.slot_list.currentRowChanged.connect(lambda row: self.plan_button.setEnabled(row >= 0))
        self.slot_list.itemActivated.connect(lambda _item: self.plan())
        self.duration.editingFinished.connect(self._duration_done)
        self._first = True
        self._searched = 0  # the length the shown slots are for
        self.search()

    def _duration_done(self) -> None:
        # editingFinished also fires when focus merely leaves the box (e.g. for "Plannen").
        if self.duration.value() != self._searched:
            self.search()

    def search(self) -> None:
        """Look for free moments (the first time with the settings' conversation length)."""
        self._guard.bump()
        self.slot_list.clear()
        self.status.setText(self.tr("Vrije momenten zoeken…"))
        first, minutes, client_id = self._first, self.duration.value(), self.client_id

        def find(sv, _st):  # type: ignore[no-untyped-def]
            schedule = ScheduleService(sv)
            length = schedule.settings().conversation_min if first else minutes
            return (
                length,
                schedule.free_slots(client_id, duration_min=length),
                {p.id: p for p in sv.practices()},
                {r.id: r for r in sv.rooms()},
            )

        self.ops.run(
            find,
            success=self._guard.wrap(self._show),
            failure=self._guard.wrap(lambda e: report_failure(self.ops, e, self._show_error)),
        )

    def _show(self, found: tuple[int, list[FreeSlot], dict, dict]) -> None:
        length, self.slots, self._practices, self._rooms = found
        self._searched = length
        if self._first:
            self._first = False
            self.duration.blockSignals(True)
            self.duration.setValue(length)
            self.duration.blockSignals(False)
        self.slot_list.clear()
        locale = QLocale()
        for slot in self.slots:
            practice = self._practices.get(slot.practice_id)
            room = self._rooms.get(slot.room_id or "")
            text = "{} {}–{} · {}".format(
                locale.toString(_qdate(slot.start.date()), "ddd d MMM"),
                _hm(slot.start),
                _hm(slot.end),
                practice.name if practice else "",
            )
            text += f" · {room.name}" if room else " · " + self.tr("geen werkruimte")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            self.slot_list.addItem(item)
        if self.slots:
            self.status.setText(self.tr("Eerste vrije momenten in de dagdelen bij de praktijk:"))
            self.slot_list.setCurrentRow(0)
        else:
            self.status.setText(
                self.tr(
                    "Geen vrij moment in de komende vier weken in de dagdelen bij deze praktijk."
                )
            )

    def _show_error(self, exc: DomainError) -> None:
        self.banner.show_message(domain_text(exc.message), Level.ERROR)

    def plan(self) -> None:
        row = self.slot_list.currentRow()
        if not 0 <= row < len(self.slots):
            return
        slot, client_id = self.slots[row], self.client_id
        self.plan_button.setEnabled(False)

        def done(result: object) -> None:
            self.sig_planned.emit(getattr(result, "value", None))
            self.accept()

        def failed(exc: DomainError) -> None:
            self.plan_button.setEnabled(True)
            if not isinstance(exc, ConflictsNeedReason):
                self._show_error(exc)

        run_with_reason(
            self.ops,
            lambda schedule, reason: schedule.plan_conversation(client_id, slot, reason=reason),
            self,
            done=done,
            failed=failed,
        )


def plan_next_conversation(
    ops: Ops, client_id: str, parent: QWidget | None
) -> PlanConversationDialog:
    """Open the 'plan next conversation' dialog for a client (window-modal); returns it."""
    dialog = PlanConversationDialog(ops, client_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
