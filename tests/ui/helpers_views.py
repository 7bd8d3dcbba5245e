"""Helpers for the view tests: ops over the test store, settings, clients, waiting, screenshots."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QLocale, QPoint, QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from liaison_desktop.domain import model as dm
from liaison_desktop.services.api import Services
from liaison_desktop.ui.ops import Ops

TODAY = date(2026, 11, 22)  # the `services` fixture's today
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
VALID_BSN = "111222333"  # passes the 11-check; synthetic
INVALID_BSN = "123456789"  # fails the 11-check


def make_ops(services: Services) -> Iterator[Ops]:
    """An ops worker over the test store; stopped before the store is locked."""
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    ops = Ops(services)
    yield ops
    ops.shutdown()


def make_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def wait_idle(qtbot: Any, ops: Ops, timeout: int = 15000) -> None:
    """Wait until every queued operation has run and its callbacks were delivered."""
    qtbot.waitUntil(lambda: not ops.busy, timeout=timeout)


def add_client(
    services: Services,
    *,
    first: str = "Sanne",
    last: str = "de Vries",
    dob: date = date(2017, 3, 4),
    bsn: str | None = None,
    guardians: Sequence[tuple[str, bool]] = (("Anna de Vries", True),),
    status: dm.TrajectoryStatus = dm.TrajectoryStatus.ACTIVE,
    category: dm.RequestCategory = dm.RequestCategory.SLEEP,
) -> tuple[dm.Client, dm.Trajectory, list[dm.Guardian]]:
    """A client with guardians and one trajectory, stored through the services."""
    practice = services.practices()[0]
    client = dm.Client(first, last, dob, practice.id, bsn=bsn)
    people = [dm.Guardian(client.id, name, has_authority=auth) for name, auth in guardians]
    services.add_client(client, people)
    trajectory = dm.Trajectory(client.id, practice.id, date(2026, 10, 1), category)
    services.add_trajectory(trajectory)
    if status != dm.TrajectoryStatus.REFERRED:
        trajectory = services.change_status(trajectory.id, dm.TrajectoryStatus.ACTIVE).value
    if status in (dm.TrajectoryStatus.ON_HOLD, dm.TrajectoryStatus.CLOSED):
        outcome = dm.Outcome.CLOSED_NO_FOLLOW_UP if status == dm.TrajectoryStatus.CLOSED else None
        trajectory = services.change_status(trajectory.id, status, outcome=outcome).value
    return client, trajectory, people


def click_box(qtbot: Any, box: QAbstractButton) -> None:
    """Click a check box or radio button on its indicator (a wide box's centre is not clickable)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


def closed(dialog: QWidget) -> bool:
    """True once a dialog is hidden or already deleted (dialogs delete themselves on close)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def save_screenshot(widget: QWidget, name: str) -> Path:
    """Save a PNG of ``widget`` into the git-ignored screenshots folder."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert widget.grab().save(str(path)), f"could not save {path}"
    return path
