"""The caseload table: search-as-you-type, filters, sorting, layout memory, stale results."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.badge import ConsentBadge
from liaison_desktop.services import demo
from liaison_desktop.services.api import CaseloadRow, Changes
from liaison_desktop.ui.caseload import (
    CaseloadFilter,
    CaseloadModel,
    CaseloadSnapshot,
    CaseloadView,
)
from tests.ui.helpers_views import (
    TODAY,
    VALID_BSN,
    add_client,
    make_ops,
    make_settings,
    save_screenshot,
    wait_idle,
)


@pytest.fixture
def ops(services):
    yield from make_ops(services)


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


@pytest.fixture
def filled(services):
    demo.generate(services, 200, today=TODAY)
    return services


@pytest.fixture
def view(qtbot, filled, ops, settings):
    v = CaseloadView(ops, settings)
    qtbot.addWidget(v)
    v.resize(1200, 700)
    v.show()
    v.load()
    wait_idle(qtbot, ops)
    assert v.model.total() > 50
    return v


def _rows(view: CaseloadView) -> list[CaseloadRow]:
    """The visible rows, once typed text has been applied."""
    if view.filter_pending:
        QTest.qWaitFor(lambda: not view.filter_pending, 2000)
    return view.model.rows()


def _synthetic_rows(n: int) -> list[CaseloadRow]:
    statuses = list(dm.TrajectoryStatus)[:3]
    return [
        CaseloadRow(
            trajectory_id=f"t{i}",
            client_id=f"c{i}",
            client_name=f"Kind{i} Achternaam{i % 7}",
            age=i % 18,
            bsn=VALID_BSN if i % 3 == 0 else None,
            practice_id=f"p{i % 2}",
            practice_name=f"Praktijk {i % 2}",
            request_category=list(dm.RequestCategory)[i % 7],
            status=statuses[i % 3],
            conversations=i % 7,
            days_waiting=(i * 13) % 40,
            next_appointment=datetime(2026, 11, 23, 9) + timedelta(hours=i) if i % 2 else None,
            badge=list(ConsentBadge)[i % 4],
        )
        for i in range(n)
    ]


def test_model_passes_qt_model_tester(qtmodeltester):
    model = CaseloadModel()
    model.set_snapshot(CaseloadSnapshot.build(_synthetic_rows(60)))
    qtmodeltester.check(model)
    model.set_filter(CaseloadFilter(text="achternaam3"))
    model.sort(CaseloadModel.COL_NEXT_APPOINTMENT, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.rowCount() > 0
    model.clear()
    qtmodeltester.check(model)


def test_model_repaints_only_changed_rows_when_the_same_trajectories_stay(qtbot):
    rows = _synthetic_rows(10)
    model = CaseloadModel()
    model.set_snapshot(CaseloadSnapshot.build(rows))
    changed = list(rows)
    changed[4] = dataclasses.replace(rows[4], conversations=5)
    with qtbot.assertNotEmitted(model.modelReset):
        with qtbot.waitSignal(model.dataChanged) as blocker:
            model.set_snapshot(CaseloadSnapshot.build(changed))
    assert blocker.args[0].row() == 4 and blocker.args[1].row() == 4
    assert model.data(model.index(4, CaseloadModel.COL_CONVERSATIONS)) == "5/5"


def test_columns_show_name_age_badge_and_conversations(view):
    m = view.model
    row = m.row_at(0)
    assert m.data(m.index(0, m.COL_CLIENT)) == f"{row.client_name} ({row.age})"
    assert m.data(m.index(0, m.COL_CONVERSATIONS)) == f"{row.conversations}/5"
    assert m.data(m.index(0, m.COL_CONSENT)) in {
        "geldig",
        "ontbreekt",
        "ingetrokken",
        "binnenkort opnieuw vragen",
    }
    assert m.data(m.index(0, m.COL_CONSENT), Qt.ItemDataRole.ToolTipRole)
    assert m.data(m.index(0, m.COL_CONSENT), Qt.ItemDataRole.DecorationRole) is not None
    assert m.headerData(m.COL_WAITING, Qt.Orientation.Horizontal) == "Dagen wachtend"


def test_search_as_you_type_by_name(qtbot, view):
    target = _rows(view)[17]
    word = target.client_name.split()[-1][:5]
    view.search.setFocus()
    qtbot.keyClicks(view.search, word)
    rows = _rows(view)
    assert target in rows
    assert 0 < len(rows) < view.model.total()
    assert all(word.casefold() in r.client_name.casefold() for r in rows)
    assert "van" in view.count_label.text()
    # Deleting characters widens the result again.
    for _ in word:
        qtbot.keyClick(view.search, Qt.Key.Key_Backspace)
    assert len(_rows(view)) == view.model.total()


def test_search_by_bsn_with_separators(qtbot, view):
    target = next(r for r in _rows(view) if r.bsn)
    dotted = f"{target.bsn[:4]}.{target.bsn[4:6]}.{target.bsn[6:]}"
    qtbot.keyClicks(view.search, dotted)
    assert [r.trajectory_id for r in _rows(view)] == [target.trajectory_id]


def test_search_without_hits_explains(qtbot, view):
    qtbot.keyClicks(view.search, "zzqx")
    assert _rows(view) == []
    assert "Geen trajecten gevonden" in view.count_label.text()
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    assert len(_rows(view)) == view.model.total()


def test_practice_filter(qtbot, view):
    view.practice_filter.setCurrentIndex(2)
    pid = view.practice_filter.currentData()
    rows = _rows(view)
    assert rows and all(r.practice_id == pid for r in rows)
    assert len(rows) < view.model.total()


def test_status_filter(qtbot, view):
    view.status_filter.setCurrentIndex(view.status_filter.findData(dm.TrajectoryStatus.REFERRED))
    rows = _rows(view)
    assert rows and all(r.status == dm.TrajectoryStatus.REFERRED for r in rows)


def test_status_filter_closed_loads_closed_trajectories(qtbot, view, ops):
    view.status_filter.setCurrentIndex(view.status_filter.findData(dm.TrajectoryStatus.CLOSED))
    wait_idle(qtbot, ops)
    rows = _rows(view)
    assert rows and all(r.status == dm.TrajectoryStatus.CLOSED for r in rows)


def test_consent_badge_filter(qtbot, view):
    for badge in (ConsentBadge.MISSING, ConsentBadge.WITHDRAWN, ConsentBadge.VALID):
        view.badge_filter.setCurrentIndex(view.badge_filter.findData(badge))
        rows = _rows(view)
        assert rows and all(r.badge == badge for r in rows)


def test_filters_combine_with_search(qtbot, view):
    view.badge_filter.setCurrentIndex(view.badge_filter.findData(ConsentBadge.VALID))
    first = _rows(view)[0]
    qtbot.keyClicks(view.search, first.client_name.split()[0])
    rows = _rows(view)
    assert first in rows and all(r.badge == ConsentBadge.VALID for r in rows)


def _click_header(qtbot, view: CaseloadView, column: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_sorting_by_clicking_headers(qtbot, view):
    _click_header(qtbot, view, CaseloadModel.COL_WAITING)
    waits = [r.days_waiting for r in _rows(view)]
    assert waits == sorted(waits)
    _click_header(qtbot, view, CaseloadModel.COL_WAITING)
    waits = [r.days_waiting for r in _rows(view)]
    assert waits == sorted(waits, reverse=True)
    _click_header(qtbot, view, CaseloadModel.COL_CLIENT)
    names = [r.client_name.casefold() for r in _rows(view)]
    assert names == sorted(names)
    # Typing keeps the chosen order.
    qtbot.keyClicks(view.search, "e")
    names = [r.client_name.casefold() for r in _rows(view)]
    assert names == sorted(names)


def test_column_layout_is_remembered(qtbot, view, ops, settings):
    header = view.table.horizontalHeader()
    header.resizeSection(CaseloadModel.COL_PRACTICE, 77)
    header.moveSection(header.visualIndex(CaseloadModel.COL_CONSENT), 1)
    header.setSectionHidden(CaseloadModel.COL_CATEGORY, True)
    _click_header(qtbot, view, CaseloadModel.COL_WAITING)
    view.save_layout()

    again = CaseloadView(ops, settings)
    qtbot.addWidget(again)
    h2 = again.table.horizontalHeader()
    assert h2.sectionSize(CaseloadModel.COL_PRACTICE) == 77
    assert h2.visualIndex(CaseloadModel.COL_CONSENT) == 1
    assert h2.isSectionHidden(CaseloadModel.COL_CATEGORY)
    assert h2.sortIndicatorSection() == CaseloadModel.COL_WAITING
    again.load()
    wait_idle(qtbot, ops)
    waits = [r.days_waiting for r in again.model.rows()]
    assert waits == sorted(waits)


def test_only_the_newest_load_is_applied(qtbot, view, ops):
    # Switching to closed trajectories and straight back: the closed load finishes first
    # but is stale, so the open caseload stays.
    view.status_filter.setCurrentIndex(view.status_filter.findData(dm.TrajectoryStatus.CLOSED))
    view.status_filter.setCurrentIndex(0)
    wait_idle(qtbot, ops)
    rows = _rows(view)
    assert rows and all(r.status != dm.TrajectoryStatus.CLOSED for r in rows)


def test_changes_refresh_the_caseload(qtbot, view, ops):
    before = view.model.total()
    ops.run(lambda services, state: _add_mees(services))
    qtbot.waitUntil(lambda: view.model.total() == before + 1, timeout=10000)
    qtbot.keyClicks(view.search, "Zwaluwstaart")
    assert len(_rows(view)) == 1


def _add_mees(services) -> Changes:
    add_client(services, first="Mees", last="Zwaluwstaart")
    return Changes(clients=True, trajectories=True)


def test_enter_opens_the_current_row(qtbot, view):
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(3, 0))
    target = view.model.row_at(3)
    with qtbot.waitSignal(view.sig_client_open_requested) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == [target.client_id, target.trajectory_id]
    centre = view.table.visualRect(view.model.index(1, 0)).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(view.sig_client_open_requested) as blocker:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert blocker.args[1] == view.model.row_at(1).trajectory_id


def test_search_box_keys_down_and_enter(qtbot, view):
    qtbot.keyClicks(view.search, _rows(view)[5].client_name)
    with qtbot.waitSignal(view.sig_client_open_requested):
        qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.table.hasFocus() or view.table.currentIndex().isValid()


def test_clear_drops_rows_and_search_text(qtbot, view, ops):
    qtbot.keyClicks(view.search, "a")
    view.reload()
    view.clear()  # the reload's result arrives after clearing and must be dropped
    wait_idle(qtbot, ops)
    assert view.model.rowCount() == 0 and view.model.total() == 0
    assert view.search.text() == ""


def test_screenshot_caseload(qtbot, view):
    view.resize(1280, 720)
    qtbot.wait(50)
    path = save_screenshot(view, "caseload")
    assert path.stat().st_size > 10_000


def test_first_page_is_painted_before_the_whole_caseload(qtbot, filled, ops, settings, monkeypatch):
    """After unlock the longest-waiting rows come first (one fast page query), then the whole
    list replaces them; the count says that the rest is still loading."""
    from liaison_desktop.ui import caseload as caseload_mod

    monkeypatch.setattr(caseload_mod, "FIRST_PAGE_ROWS", 20)
    whole = filled.caseload()
    assert len(whole) > 20
    v = CaseloadView(ops, settings)
    qtbot.addWidget(v)
    v.show()
    seen: dict[str, object] = {}

    def on_first(n: int) -> None:
        seen["first"] = n
        seen["rows"] = v.model.rows()
        seen["label"] = v.count_label.text()
        seen["total_then"] = v.model.total()

    v.sig_first_page.connect(on_first)
    with qtbot.waitSignal(v.sig_loaded, timeout=10_000):
        v.load()
    assert seen["first"] == 20 and seen["total_then"] == 20
    assert seen["rows"] == whole[:20]  # the services' order: longest waiting first
    assert str(len(whole)) in str(seen["label"]) and "20" in str(seen["label"])
    assert v.model.total() == len(whole)
    assert "geladen" not in v.count_label.text()


def test_a_reload_with_rows_on_screen_skips_the_first_page(qtbot, view, ops):
    pages = []
    view.sig_first_page.connect(pages.append)
    with qtbot.waitSignal(view.sig_loaded, timeout=10_000):
        view.reload()
    assert pages == []
