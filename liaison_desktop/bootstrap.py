"""The one place that wires store, services and UI together."""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liaison_desktop.domain import model as dm
from liaison_desktop.store.keys import KdfParams

if TYPE_CHECKING:
    # Imported where used: the demo generator pulls in Faker, the services SQLAlchemy and
    # the store (together ~0.7 s), none of which the unlock screen needs.
    from liaison_desktop.services import demo
    from liaison_desktop.services.api import Services

log = logging.getLogger(__name__)

DEMO_PASSPHRASE = "demo demo demo"  # noqa: S105 - public on purpose, shown on the lock screen
DEMO_CLIENTS = 500
DEMO_NAME = "Demo Jeugdprofessional"
PRELOAD_MODULES = ("liaison_desktop.services.workspace", "liaison_desktop.ui.workspace_view")
"""Imported in the background once the first screen is painted (see :func:`start`)."""
BENCH_MARKERS_ENV = "LIAISON_BENCH_MARKERS"
"""Set to 1 to have the app print ``bench:<event> <monotonic ns>`` lines on stderr (benchmarks)."""


@dataclass
class Running:
    """What :func:`start` wired up; :meth:`close` drops the key and removes demo data."""

    shell: Any
    ops: Any
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        """Lock (after the queued work), stop the worker, delete throw-away data. Idempotent."""
        self.ops.close()
        self.ops.shutdown()
        while self.cleanups:
            self.cleanups.pop()()


def _demo_fill(n_clients: int) -> Callable[[Services, Any], demo.DemoReport]:
    # Small batches so that the progress bar moves; the whole fill is one worker operation.
    batch = max(25, n_clients // 20)

    def fill(services: Services, state: Any) -> demo.DemoReport:
        from liaison_desktop.services import demo  # on the worker thread

        return demo.generate(
            services,
            n_clients,
            batch=batch,
            progress=lambda done, total: state.progress(done, total, ""),
        )

    return fill


def _temp_demo_dir() -> tuple[Path, Callable[[], None]]:
    root = Path(tempfile.mkdtemp(prefix="liaison-demo-"))

    def remove() -> None:
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(remove)  # also after an unexpected exit from the event loop
    return root / "data", remove


def start(
    args: argparse.Namespace,
    *,
    settings: Any | None = None,
    demo_clients: int = DEMO_CLIENTS,
    kdf: KdfParams | None = None,
    workspace_factory: Any | None = None,
    reporter: Any | None = None,
) -> Running:
    """Build the window for the parsed arguments and show it (QApplication must exist).

    ``--demo``: a throw-away encrypted store, filled off the GUI thread, straight to the
    caseload. ``--data-dir DIR`` or the default folder: set-up when empty, else unlock.
    """
    from PySide6.QtCore import QSettings, QTimer

    from liaison_desktop.ui.app import default_data_dir
    from liaison_desktop.ui.ops import Ops
    from liaison_desktop.ui.shell import Shell

    settings = settings if settings is not None else QSettings()
    ops = Ops()
    if reporter is not None:
        ops.sig_error.connect(reporter.handle_operation_error)
    running = Running(shell=None, ops=ops)
    if getattr(args, "demo", False):
        data_dir, remove = _temp_demo_dir()
        running.cleanups.append(remove)
        shell = Shell(
            ops,
            settings,
            data_dir,
            kdf=kdf,
            workspace_factory=workspace_factory,
            demo_passphrase=DEMO_PASSPHRASE,
        )

        def create(_state: Any) -> Services:
            from liaison_desktop.services import workspace  # on the worker thread

            return workspace.create_workspace(data_dir, DEMO_PASSPHRASE, DEMO_NAME, kdf=kdf)[0]

        shell.open_demo(create, _demo_fill(demo_clients))
    else:
        data_dir = Path(getattr(args, "data_dir", None) or default_data_dir()).expanduser()
        shell = Shell(ops, settings, data_dir, kdf=kdf, workspace_factory=workspace_factory)
        shell.start()
    running.shell = shell
    shell.show()
    shell.app_lock.watch_system()
    if workspace_factory is None:
        _after_first_paint(shell, lambda: QTimer.singleShot(0, lambda: _warm_up(shell)))
    return running


def _warm_up(shell: Any) -> None:
    """One-time costs paid while the professional types the passphrase, not after unlocking.

    * PySide initialises its lazily loaded Qt types (about 70 enum classes, 25-60 ms) the
      first time Python is handed a Qt-internal QObject. After unlocking, the idle timer's
      application-wide event filter is; that added the cost to the workspace's first paint.
    * The workspace's modules (week view, calendar export) are imported on a background
      thread; imported on the GUI thread after unlocking they froze the window ~250 ms.
    * Then the (empty, hidden) workspace view is built on the GUI thread (~30 ms).
    """
    from PySide6.QtCore import QObject

    shell.findChildren(QObject)
    _preload(PRELOAD_MODULES, shell, shell.prepare_workspace)


def self_test() -> int:
    """Packaging smoke test: offscreen window, a real store in a temp folder, write and read."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    tmp = Path(tempfile.mkdtemp(prefix="liaison-selftest-"))
    try:
        return _self_test_in(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _self_test_in(tmp: Path) -> int:
    from PySide6.QtCore import QSettings

    from liaison_desktop.services import workspace
    from liaison_desktop.ui import i18n
    from liaison_desktop.ui.app import create_application
    from liaison_desktop.ui.ops import Ops
    from liaison_desktop.ui.shell import Page, Shell

    app = create_application([sys.argv[0] if sys.argv else "liaison-desktop"])
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    data_dir = tmp / "data"
    ops = Ops()
    shell = Shell(ops, settings, data_dir)
    shell.show()
    try:
        services, _recovery = workspace.create_workspace(
            data_dir, "zelftest wachtwoordzin", "Zelftest", [dm.Practice(name="Zelftest")]
        )
        ops.set_services(services)
        shell.enter_workspace()
        app.processEvents()
        practice_id = services.practices()[0].id
        client = dm.Client("Zelf", "Test", date(2015, 1, 1), practice_id)
        ops.run_blocking(lambda sv, _st: sv.add_client(client))
        found = ops.run_blocking(lambda sv, _st: sv.search_clients("Test"))
        if [c.id for c in found] != [client.id] or shell.page is not Page.WORKSPACE:
            print("self-test FAILED: record not read back", file=sys.stderr)
            return 1
        if "liaison" not in i18n.install(app, "en"):
            print("self-test FAILED: English translation missing", file=sys.stderr)
            return 1
        i18n.install(app, i18n.DEFAULT_LANGUAGE)
    finally:
        shell.close()
        ops.close()
        ops.shutdown()
        settings.sync()  # nothing left to write later, when the objects are destroyed
    print("OK")
    return 0


def run_app(args: argparse.Namespace) -> int:
    """Start the desktop app; returns the process exit code."""
    if getattr(args, "self_test", False):
        return self_test()
    from liaison_desktop.ui import platform_check

    code = platform_check.ensure_platform()
    if code:
        return code
    from liaison_desktop.ui.app import (
        ErrorReporter,
        configure_logging,
        create_application,
        default_log_dir,
        quit_on_signals,
    )

    app = create_application(sys.argv[:1])
    quit_on_signals(app)
    reporter = ErrorReporter(configure_logging(default_log_dir()))
    reporter.install()
    provisioned = _apply_provisioning(app)
    running = start(args, reporter=reporter)
    if provisioned is not None:
        from liaison_desktop.ui.updates import install_update_check

        install_update_check(running.shell, provisioned)
    if os.environ.get(BENCH_MARKERS_ENV):
        _install_bench_markers(running.shell)
    try:
        return app.exec()
    finally:
        running.close()
        reporter.uninstall()


def _apply_provisioning(app: Any) -> Any | None:
    """IT's system-wide settings (services/provisioning.py) into QSettings; None without any.

    Without a provisioning file nothing changes and nothing is checked online.
    """
    from liaison_desktop.services import provisioning

    provisioned = provisioning.current()
    if not provisioned.provisioned:
        return None
    from PySide6.QtCore import QSettings

    from liaison_desktop.ui import i18n
    from liaison_desktop.ui.updates import apply_provisioned_settings

    settings = QSettings()
    if i18n.LANGUAGE_KEY in apply_provisioned_settings(settings, provisioned):
        i18n.install(app, i18n.language_from_settings(settings))
    return provisioned


def _after_first_paint(widget: Any, callback: Callable[[], None]) -> None:
    """Call ``callback`` once, on the event-loop pass after ``widget`` was first painted."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, callback)
            return False

    widget.installEventFilter(FirstPaint(widget))


def _preload(modules: Sequence[str], parent: Any, then: Callable[[], None]) -> None:
    """Import ``modules`` on a background thread, then call ``then`` on the GUI thread.

    Errors are left to the real import on the GUI thread (``then`` is not called).
    """
    from PySide6.QtCore import QObject, Signal

    class Relay(QObject):
        sig_done = Signal()

    relay = Relay(parent)  # lives on the GUI thread: the connection is queued
    relay.sig_done.connect(then)

    def work() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the GUI thread imports it again and reports
                log.debug("preloading %s failed", name, exc_info=True)
                return
        # keyring picks its backend once per process (an entry-point scan and the backends'
        # imports, ~170 ms); unlocking asks for it. Only probes, reads no secret.
        from liaison_desktop.store.keychain import keychain_available

        keychain_available()
        # Modules, classes and the window live as long as the app: keep them out of the
        # cyclic garbage collector's full passes. Those otherwise took 60-160 ms each while
        # the DB worker built a 10,000-row caseload, and froze the window for as long.
        gc.freeze()
        relay.sig_done.emit()

    threading.Thread(target=work, name="liaison-preload", daemon=True).start()


def _install_bench_markers(shell: Any) -> None:
    """Print ``bench:unlock_shown <time.monotonic_ns()>`` on stderr once the unlock screen's
    passphrase field has first been painted (after the paint, on the next event-loop pass)."""
    import time

    def emit() -> None:
        print(f"bench:unlock_shown {time.monotonic_ns()}", file=sys.stderr, flush=True)

    _after_first_paint(shell.unlock_page.passphrase, emit)
