"""The painted week view on a real encrypted store: navigation, keyboard, drag, conflicts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QLocale, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QToolTip

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conflicts import ConflictKind
from liaison_desktop.services import demo, workspace
from liaison_desktop.services.schedule import ScheduleService
from liaison_desktop.ui.week_view import (
    AppointmentDialog,
    ConflictDialog,
    PlanConversationDialog,
    WeekView,
    plan_next_conversation,
)
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.ui.conftest import save_screenshot

K = dm.AppointmentKind
MONDAY = date(2026, 11, 23)  # the fixture's today is Sunday 22 November
LEFT = Qt.MouseButton.LeftButton


def at(day: date, h: int, m: int = 0) -> datetime:
    return datetime.combine(day, time(h, m))


@pytest.fixture
def schedule_data(services):
    """Monday: morning at De Linde, afternoon at Het Wad; three appointments, one conflict."""
    linde, wad = sorted(services.practices(), key=lambda p: p.name)
    schedule = ScheduleService(services)
    rooms = {}
    for practice in (linde, wad):
        rooms[practice.id] = dm.Room(practice.id, "Spreekkamer 2")
        services.add_room(rooms[practice.id])
    for practice, weekday, start, end in (
        (linde, 0, time(8, 30), time(12, 30)),
        (wad, 0, time(13), time(17)),
    ):
        schedule.save_part_day(
            dm.PartDay(
                practice.id,
                weekday,
                dm.PartOfDay.MORNING if start.hour < 12 else dm.PartOfDay.AFTERNOON,
                start,
                end,
                date(2026, 1, 1),
                room_id=rooms[practice.id].id,
                room_state=dm.RoomBookingState.CONFIRMED,
            )
        )
    client = dm.Client("Sanne", "Vlietstra", date(2015, 3, 1), linde.id)
    services.add_client(client)
    room = rooms[linde.id].id
    first = dm.Appointment(linde.id, at(MONDAY, 9), 45, K.CONVERSATION, client.id, room)
    second = dm.Appointment(linde.id, at(MONDAY, 10), 45, K.CONVERSATION, client.id, room)
    clash = dm.Appointment(
        None, at(MONDAY, 10, 15), 30, K.ADMIN, title="Telefonisch overleg school"
    )
    schedule.add_appointment(first)
    schedule.add_appointment(second)
    schedule.add_appointment(clash, reason="Alleen dan bereikbaar")
    services.now = lambda: at(date(2026, 11, 22), 12)
    return {"linde": linde, "wad": wad, "client": client, "first": first, "second": second,
            "clash": clash, "room": room}  # fmt: skip


@pytest.fixture
def view(qtbot, ops, services, schedule_data):
    ops.set_services(services)
    w = WeekView(ops)
    w.today = services.today
    w.clock = lambda: None
    qtbot.addWidget(w)
    w.resize(1200, 760)
    w.show()
    qtbot.waitUntil(lambda: w.canvas.period is not None, timeout=10_000)
    w.go_to(MONDAY)  # today is Sunday: the data is in the next week
    wait_loaded(qtbot, w, MONDAY)
    return w


def wait_loaded(qtbot, w: WeekView, first: date) -> None:
    qtbot.waitUntil(
        lambda: w.canvas.period is not None and w.canvas.period.first == first, timeout=10_000
    )


def centre(w: WeekView, appointment_id: str) -> QPoint:
    rect = w.canvas.item_rect(appointment_id)
    assert rect is not None
    return rect.center().toPoint()


def stored(ops, appointment_id: str) -> dm.Appointment:
    week = ops.run_blocking(lambda sv, _st: ScheduleService(sv).week(MONDAY))
    return next(e.appointment for e in week.appointments if e.appointment.id == appointment_id)


def test_week_shows_part_days_appointments_and_marked_conflicts(view, schedule_data):
    period = view.canvas.period
    assert (period.first, period.last) == (MONDAY, MONDAY + timedelta(days=6))
    assert len(period.part_days) == 2
    ids = {e.appointment.id for e in period.appointments}
    assert ids == {schedule_data[k].id for k in ("first", "second", "clash")}
    for appointment_id in ids:
        assert view.canvas.item_rect(appointment_id) is not None
    second = view.canvas.entry(schedule_data["second"].id)
    assert [c.kind for c in second.conflicts] == [ConflictKind.OVERLAP]
    text = view.canvas.describe(second)
    assert "Overlap" in text and "Sanne Vlietstra" in text
    assert "Week 48" in view.title.text()


def test_conflict_tooltip_gives_the_dutch_reason(qtbot, view, schedule_data):
    canvas = view.canvas
    pos = centre(view, schedule_data["clash"].id)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, canvas.mapToGlobal(pos))
    QApplication.sendEvent(canvas, event)
    tip = QToolTip.text()
    assert "Overlap" in tip and "Overlapt met een andere afspraak" in tip
    assert "Toch gepland, reden: Alleen dan bereikbaar" in tip


def test_provisional_declined_and_confirmed_rooms_look_different(qtbot, ops, view, schedule_data):
    first, second = schedule_data["first"].id, schedule_data["second"].id
    ops.run_blocking(
        lambda sv, _st: ScheduleService(sv).set_room_state(
            dm.Appointment, first, dm.RoomBookingState.CONFIRMED
        )
    )
    ops.run_blocking(
        lambda sv, _st: ScheduleService(sv).set_room_state(
            dm.Appointment, second, dm.RoomBookingState.DECLINED
        )
    )
    view.load()
    qtbot.waitUntil(
        lambda: view.canvas.entry(first).appointment.room_state is dm.RoomBookingState.CONFIRMED
    )
    canvas = view.canvas
    confirmed = canvas.item_at(QPointF(centre(view, first)))
    declined = canvas.item_at(QPointF(centre(view, second)))
    assert confirmed.hatch is None and confirmed.outline.style() is Qt.PenStyle.SolidLine
    assert declined.hatch is not None
    assert declined.hatch.style() is Qt.BrushStyle.DiagCrossPattern
    clash = canvas.item_at(QPointF(centre(view, schedule_data["clash"].id)))
    assert clash.badge is not None  # the warning sign


def test_navigation_by_buttons_and_keys_across_a_53_week_year(qtbot, view):
    canvas = view.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_PageDown)
    wait_loaded(qtbot, view, MONDAY + timedelta(days=7))
    qtbot.keyClick(canvas, Qt.Key.Key_PageUp)
    wait_loaded(qtbot, view, MONDAY)
    loads = view.loads
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert view.loads == loads  # moving within the week reads nothing new
    view.go_to(date(2026, 12, 30))
    wait_loaded(qtbot, view, date(2026, 12, 28))
    assert "Week 53" in view.title.text()
    qtbot.mouseClick(view.next_week, LEFT)
    wait_loaded(qtbot, view, date(2027, 1, 4))
    assert "Week 1 " in view.title.text()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_T)
    wait_loaded(qtbot, view, date(2026, 11, 16))  # today is Sunday 22 November
    qtbot.mouseClick(view.day_mode_button, LEFT)
    qtbot.waitUntil(
        lambda: view.canvas.period is not None and view.canvas.period.first == date(2026, 11, 22)
    )
    qtbot.mouseClick(view.next_day, LEFT)
    wait_loaded(qtbot, view, MONDAY)
    assert view.shown_days() == [MONDAY]


def test_left_and_right_move_the_current_day(qtbot, view):
    view.go_to(MONDAY)
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    assert view.day == MONDAY + timedelta(days=1)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Left)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Left)
    wait_loaded(qtbot, view, MONDAY - timedelta(days=7))  # Sunday: the week before
    assert view.day == MONDAY - timedelta(days=1)


def test_tab_walks_through_appointments_and_enter_opens_one(qtbot, view, schedule_data):
    canvas = view.canvas
    canvas.setFocus(Qt.FocusReason.TabFocusReason)
    order = [schedule_data[k].id for k in ("first", "second", "clash")]
    assert canvas.focused_id == order[0]
    assert "09:00" in canvas.accessibleDescription()
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.focused_id == order[1]
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert canvas.focused_id == order[2]
    qtbot.keyClick(canvas, Qt.Key.Key_Up)
    assert canvas.focused_id == order[1]
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    dialog = next(d for d in view.findChildren(AppointmentDialog) if d.isVisible())
    assert "Sanne Vlietstra" in dialog.details.text()
    open_file = next(b for b in dialog.findChildren(QPushButton) if "Dossier" in b.text())
    with qtbot.waitSignal(view.sig_client_open_requested) as opened:
        qtbot.mouseClick(open_file, LEFT)
    assert opened.args == [schedule_data["client"].id]
    # Past the last appointment, Tab leaves the canvas for the next control.
    canvas.setFocus()
    canvas.set_focused(order[2])
    assert not canvas.focusNextPrevChild(True) or not canvas.hasFocus()
    assert canvas.focused_id == order[2]


def test_drag_moves_an_appointment(qtbot, ops, view, schedule_data):
    canvas = view.canvas
    first = schedule_data["first"]
    start = centre(view, first.id)
    hour = canvas.item_rect(first.id).height() * 60 / 45
    target = QPoint(start.x(), int(start.y() + 2 * hour))  # two hours later: 11:00
    with qtbot.waitSignal(ops.sig_changes, timeout=10_000):
        qtbot.mousePress(canvas, LEFT, pos=start)
        qtbot.mouseMove(canvas, QPoint(start.x(), start.y() + 20))
        qtbot.mouseMove(canvas, target)
        qtbot.mouseRelease(canvas, LEFT, pos=target)
    assert stored(ops, first.id).start == at(MONDAY, 11)
    assert stored(ops, first.id).room_state is dm.RoomBookingState.PROVISIONAL


def test_drag_into_a_conflict_asks_for_a_reason(qtbot, ops, view, schedule_data):
    canvas = view.canvas
    first, second = schedule_data["first"], schedule_data["second"]
    source, target = centre(view, first.id), centre(view, second.id)

    def drag() -> ConflictDialog:
        qtbot.mousePress(canvas, LEFT, pos=source)
        qtbot.mouseMove(canvas, QPoint(source.x(), source.y() + 20))
        qtbot.mouseMove(canvas, target)
        qtbot.mouseRelease(canvas, LEFT, pos=target)
        qtbot.waitUntil(lambda: any(d.isVisible() for d in view.findChildren(ConflictDialog)))
        return next(d for d in view.findChildren(ConflictDialog) if d.isVisible())

    dialog = drag()
    assert dialog.conflict_list.count() >= 1
    assert not dialog.go_ahead.isEnabled()  # no reason yet
    dialog.reject()
    qtbot.waitUntil(lambda: "Niet verplaatst" in view.banner.text())
    assert stored(ops, first.id).start == at(MONDAY, 9)

    dialog = drag()
    qtbot.keyClicks(dialog.reason, "Ouders konden alleen toen")
    assert dialog.go_ahead.isEnabled()
    with qtbot.waitSignal(ops.sig_changes, timeout=10_000):
        qtbot.mouseClick(dialog.go_ahead, LEFT)
    moved = stored(ops, first.id)
    assert moved.start == at(MONDAY, 10) and moved.conflict_reason == "Ouders konden alleen toen"
    qtbot.waitUntil(lambda: "Verplaatst, met conflict" in view.banner.text())


def test_ctrl_arrow_moves_the_focused_appointment_by_a_quarter(qtbot, ops, view, schedule_data):
    canvas = view.canvas
    first = schedule_data["first"]
    canvas.setFocus()
    canvas.set_focused(first.id)
    with qtbot.waitSignal(ops.sig_changes, timeout=10_000):
        qtbot.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert stored(ops, first.id).start == at(MONDAY, 8, 45)
    qtbot.waitUntil(lambda: canvas.entry(first.id).appointment.start == at(MONDAY, 8, 45))
    assert canvas.focused_id == first.id  # focus stays on the moved appointment


def test_nine_oclock_sits_at_the_same_height_before_and_after_summer_time(
    qtbot, ops, view, schedule_data
):
    linde = schedule_data["linde"]
    for day in (date(2026, 3, 27), date(2026, 3, 30)):  # summer time starts Sunday 29 March
        ops.run_blocking(
            lambda sv, _st, day=day: ScheduleService(sv).add_appointment(
                dm.Appointment(linde.id, at(day, 9), 30, K.ADMIN), reason="test"
            )
        )
    tops = []
    for monday in (date(2026, 3, 23), date(2026, 3, 30)):
        view.go_to(monday)
        wait_loaded(qtbot, view, monday)
        (entry,) = view.canvas.period.appointments
        assert entry.appointment.start.time() == time(9)
        tops.append(view.canvas.item_rect(entry.appointment.id).top())
    assert tops[0] == pytest.approx(tops[1])


def test_plan_next_conversation_offers_free_slots_at_the_clients_practice(
    qtbot, ops, services, schedule_data
):
    ops.set_services(services)
    client = schedule_data["client"]
    dialog = plan_next_conversation(ops, client.id, None)  # deletes itself when closed
    assert isinstance(dialog, PlanConversationDialog)
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    qtbot.waitUntil(lambda: dialog.slot_list.count() > 0, timeout=10_000)
    assert dialog.duration.value() == 45
    texts = [dialog.slot_list.item(i).text() for i in range(dialog.slot_list.count())]
    assert all("Huisartsenpraktijk De Linde" in t for t in texts)
    assert dialog.slots[0].start == at(MONDAY, 10, 45)  # 09:00-09:45 and 10:00-10:45 taken
    assert dialog.plan_button.isEnabled()
    with qtbot.waitSignal(dialog.sig_planned, timeout=10_000) as planned:
        qtbot.mouseClick(dialog.plan_button, LEFT)
    appointment = planned.args[0]
    assert (appointment.client_id, appointment.start) == (client.id, at(MONDAY, 10, 45))
    assert dialog.result() == QDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))


def test_export_button_writes_an_ics_without_names(qtbot, view, tmp_path):
    out = tmp_path / "week.ics"
    view.export_ics(out)
    qtbot.waitUntil(lambda: "geëxporteerd" in view.banner.text(), timeout=10_000)
    data = out.read_bytes()
    assert b"BEGIN:VCALENDAR" in data and b"Vlietstra" not in data and b"Sanne" not in data


def test_locking_clears_the_week(qtbot, view):
    view.clear_sensitive()
    assert view.canvas.period is None
    assert "Sanne" not in view.canvas.accessibleDescription()


def test_screenshot_of_a_realistic_demo_week(qtbot, ops, tmp_path):
    """A demo week: part-days at four practices, three conflicts, provisional rooms."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    services, _ = workspace.create_workspace(tmp_path / "demo", PASSPHRASE, "Demo", kdf=FAST_KDF)
    try:
        today = date(2026, 11, 25)
        demo.generate(services, 300, today=today)
        ops.set_services(services)
        w = WeekView(ops)
        w.today = lambda: today
        w.clock = lambda: at(today, 11, 20)
        qtbot.addWidget(w)
        w.resize(1400, 860)
        w.show()
        wait_loaded(qtbot, w, MONDAY)
        period = w.canvas.period
        assert len({p.practice_id for p in period.part_days}) == 4
        assert len(period.conflicts) >= 3
        assert "Week 48" in w.title.text() and "nov" in w.title.text()
        path = save_screenshot(w, "week_view")
        assert path.stat().st_size > 20_000
    finally:
        QLocale.setDefault(previous)
