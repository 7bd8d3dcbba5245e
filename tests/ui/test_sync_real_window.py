"""The real main window (real workspace, demo caseload) synced with a real liaison-server:
the status bar says when it last synced and that nothing waits; a screenshot for review."""

from __future__ import annotations

from liaison_desktop.services import demo
from liaison_desktop.ui.shell import default_workspace_factory
from liaison_desktop.ui.sync_status import SyncPhase
from tests.server.support import LiveServer
from tests.ui.conftest import save_screenshot
from tests.ui.test_sync_status import enrolled_laptop, unlock


def test_the_real_window_shows_the_caseload_and_its_sync_state(qtbot, tmp_path, make_shell):
    with LiveServer(tmp_path / "server") as server:
        data_dir = enrolled_laptop(tmp_path, server, fill=lambda sv: demo.generate(sv, 60))
        shell = make_shell(data_dir, workspace_factory=default_workspace_factory)
        shell.resize(1280, 820)
        unlock(qtbot, shell)
        caseload = shell.workspace_view.caseload
        qtbot.waitUntil(lambda: caseload.model.rowCount() > 10, timeout=20_000)
        controller, widget = shell.sync_controller, shell.sync_status
        qtbot.waitUntil(lambda: controller.view.phase is SyncPhase.IDLE, timeout=20_000)
        assert controller.view.pending > 0  # the demo caseload waits to be sent

        widget.sync_action.trigger()
        qtbot.waitUntil(
            lambda: controller.view.phase is SyncPhase.IDLE and controller.view.pending == 0,
            timeout=60_000,
        )
        assert controller.view.last_sync_at is not None
        assert "Gesynchroniseerd" in widget.label.text()
        assert widget.isVisible() and caseload.model.rowCount() > 10
        save_screenshot(shell, "sync_status_real_window")
