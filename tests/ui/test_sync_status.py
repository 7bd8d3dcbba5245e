"""The sync status indicator in the real window: pending changes, last sync, offline, error.

A real liaison-server in a subprocess; the laptop enrols with a real code (and fetches its
vault key as ``liaison-desktop enroll`` does), then the app syncs on its database worker.
"""

from __future__ import annotations

import http.server
import threading
from datetime import date

from liaison_desktop.domain import model as dm
from liaison_desktop.services import enrolment, workspace
from liaison_desktop.services import sync as syncsvc
from liaison_desktop.ui.sync_status import SyncController, SyncPhase, SyncStatusWidget
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server.support import LiveServer
from tests.ui.conftest import save_screenshot


def enrolled_laptop(tmp_path, server: LiveServer, fill=None):
    """A laptop enrolled with a real code, its vault key set up; ``fill(services)`` adds the
    data (default: one practice with one client)."""
    org = server.admin("create-org", "--name", "GGD Fryslân")
    team = server.admin("create-team", "--org", org["id"], "--name", "Basisteam Noord")
    user = server.admin(
        "create-user", "--team", team["id"], "--role", "professional", "--name", "Fatima"
    )
    code = server.admin("enrolment-code", "--user", user["id"])["code"]
    data_dir = tmp_path / "laptop"
    enrolment.enroll(data_dir, server.url, code, PASSPHRASE, kdf=FAST_KDF)
    services = workspace.open_workspace(data_dir, PASSPHRASE)
    try:
        with enrolment.server_client(services) as client:
            syncsvc.ensure_vault(services, client, PASSPHRASE, kdf=FAST_KDF)
        (fill or _one_client)(services)
    finally:
        services.lock()
    return data_dir


def _one_client(services) -> None:
    practice = dm.Practice(name="Huisartsenpraktijk De Linde")
    services.add_practice(practice)
    services.add_client(dm.Client("Sanne", "Vlietstra", date(2015, 3, 1), practice.id))


def unlock(qtbot, shell):
    qtbot.keyClicks(shell.unlock_page.passphrase, PASSPHRASE)
    shell.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: shell.app_lock.unlocked, timeout=20_000)


class _Failing(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "server_error", "message": "kapot"}')

    do_POST = do_PUT = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


def test_the_indicator_shows_pending_last_sync_offline_and_error(qtbot, tmp_path, make_shell):
    with LiveServer(tmp_path / "server") as server:
        data_dir = enrolled_laptop(tmp_path, server)
        shell = make_shell(data_dir)
        widget = shell.sync_status
        controller = shell.sync_controller
        assert widget.sync_action.shortcut().toString() == "Ctrl+Shift+S"
        unlock(qtbot, shell)

        # Before the first sync: the local changes wait.
        qtbot.waitUntil(lambda: controller.view.phase is SyncPhase.IDLE, timeout=10_000)
        assert controller.view.pending > 0
        assert "wachten" in widget.label.text() and "nog niet" in widget.label.text()
        assert widget.isVisible()

        # On demand (the action, as its shortcut would): synced, nothing waits.
        with qtbot.waitSignal(shell._ops.sig_changes, timeout=20_000):
            widget.sync_action.trigger()
        qtbot.waitUntil(lambda: controller.view.phase is SyncPhase.IDLE, timeout=20_000)
        assert controller.view.pending == 0 and controller.view.last_sync_at is not None
        assert "Gesynchroniseerd" in widget.label.text()
        assert "alles verstuurd" in widget.label.text()
        save_screenshot(shell, "sync_status")

        # A local change while the server is away: offline, the change waits.
        server.stop()
        shell._ops.run(  # as a widget does: its Changes reach the indicator
            lambda sv, _st: sv.add_client(
                dm.Client("Daan", "Proefkind", date(2016, 4, 2), sv.practices()[0].id)
            )
        )
        qtbot.waitUntil(lambda: controller.view.pending > 0, timeout=10_000)
        widget.sync_action.trigger()
        qtbot.waitUntil(lambda: controller.view.phase is SyncPhase.OFFLINE, timeout=30_000)
        assert widget.label.text().startswith("Offline")
        assert "wachten" in widget.label.text()
        assert "doorwerken" in widget.label.toolTip()
        save_screenshot(shell, "sync_status_offline")

    # A server that answers with errors: the indicator says so and keeps the change.
    failing = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=failing.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{failing.server_address[1]}"
        shell._ops.run_blocking(lambda sv, _st: sv.store.set_meta("sync.server_url", url))
        widget.sync_action.trigger()
        qtbot.waitUntil(lambda: controller.view.phase is SyncPhase.ERROR, timeout=30_000)
        assert "mislukt" in widget.label.text() and "wachten" in widget.label.text()
        assert "probleem" in widget.label.toolTip()
        save_screenshot(shell, "sync_status_error")
    finally:
        failing.shutdown()
        failing.server_close()

    # Locking hides the indicator again.
    shell.lock()
    qtbot.waitUntil(lambda: not widget.isVisible(), timeout=10_000)


def test_a_store_that_is_not_enrolled_shows_no_indicator(
    qtbot, ops, store_with_clients, make_shell
):
    shell = make_shell(store_with_clients.data_dir)
    unlock(qtbot, shell)
    qtbot.wait(300)
    assert shell.sync_controller.view.phase is SyncPhase.NOT_ENROLLED
    assert not shell.sync_status.isVisible()


def test_failures_back_off_and_a_success_resets(qtbot, ops, store_with_clients):
    """The controller's schedule, with a sync function that fails twice then succeeds."""
    from liaison_desktop.services.api import Changes, Result
    from liaison_desktop.sync.transport import ServerUnreachable

    services = workspace.open_workspace(store_with_clients.data_dir, PASSPHRASE)
    services.store.set_meta("sync.server_url", "http://127.0.0.1:9")
    ops.set_services(services)
    calls = []

    def fake_sync(_sv, _state):
        calls.append(1)
        if len(calls) <= 2:
            raise ServerUnreachable("De server is niet bereikbaar.")
        return Result(syncsvc.SyncSummary(pushed=3, pending=0), Changes(access_log=False))

    delays = []

    def backoff(failures: int) -> float:
        delays.append(failures)
        return 0.05 * failures

    controller = SyncController(ops, interval_ms=60_000, sync_fn=fake_sync, backoff=backoff)
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    controller.start()
    qtbot.waitUntil(lambda: controller._enrolled, timeout=5000)
    controller.sync_now()
    qtbot.waitUntil(lambda: len(calls) >= 3 and not controller.running, timeout=10_000)
    assert delays == [1, 2]
    assert controller.view.phase is SyncPhase.IDLE and controller._failures == 0
    # After a success the next sync waits for the timer (60 s), not the backoff.
    assert controller._timer.remainingTime() > 30_000
    controller.stop()
    ops.set_services(None)
    services.lock()


def test_the_client_file_lists_a_lost_value_and_restores_it(qtbot, services):
    """A conflict as sync keeps it (outbox.record_conflict) shows in the file's own tab."""
    import json

    from liaison_desktop.store import outbox
    from liaison_desktop.ui.client_file import ClientFileView
    from tests.ui.helpers_views import make_ops, wait_idle

    practice = services.practices()[0]
    client = dm.Client("Sanne", "Visser-Bee", date(2015, 3, 1), practice.id)
    services.add_client(client)
    with services.store.write() as s:
        outbox.record_conflict(
            s,
            table="client",
            rid=client.id,
            field="last_name",
            value=json.dumps("Visser-Aa"),
            loser_hlc=outbox.next_hlc("", "laptop-a", 1_795_000_000_000),
            winner_hlc=outbox.next_hlc("", "laptop-b", 1_795_000_001_000),
            client_id=client.id,
        )
    gen = make_ops(services)
    ops = next(gen)
    view = ClientFileView(ops)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    with qtbot.waitSignal(view.sig_file_opened, timeout=10_000):
        view.open_client(client.id)
    wait_idle(qtbot, ops)
    index = view.tabs.indexOf(view.conflicts)
    qtbot.waitUntil(lambda: view.tabs.isTabVisible(index), timeout=5000)
    assert view.conflicts.list.count() == 1
    assert "Visser-Aa" in view.conflicts.list.item(0).text()
    assert "Achternaam" in view.conflicts.list.item(0).text()
    view.tabs.setCurrentIndex(index)
    view.conflicts.list.setCurrentRow(0)
    save_screenshot(view, "sync_conflict_in_client_file")
    assert view.conflicts.restore_button.isEnabled()
    with qtbot.waitSignal(view.sig_file_opened, timeout=10_000):
        view.conflicts.restore_button.click()
    wait_idle(qtbot, ops)
    assert view.file.client.last_name == "Visser-Aa"
    qtbot.waitUntil(lambda: not view.tabs.isTabVisible(index), timeout=5000)
    # The restore is a new local change on its way to the other laptops.
    with services.store.session() as s:
        fields = {(c.table, c.field) for c in outbox.pending_batch(s, 10_000)}
    assert ("client", "last_name") in fields and ("conflict", "resolved_at") in fields
    try:
        next(gen)
    except StopIteration:
        pass
