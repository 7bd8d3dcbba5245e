"""The one place that wires store, services and UI together."""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from liaison_desktop.domain import model as dm
from liaison_desktop.services import demo, workspace
from liaison_desktop.services.api import Services
from liaison_desktop.store.keys import KdfParams

DEMO_PASSPHRASE = "demo demo demo"  # noqa: S105 - public on purpose, shown on the lock screen
DEMO_CLIENTS = 500
DEMO_NAME = "Demo Jeugdprofessional"


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
    from PySide6.QtCore import QSettings

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
        shell.open_demo(
            lambda _state: workspace.create_workspace(
                data_dir, DEMO_PASSPHRASE, DEMO_NAME, kdf=kdf
            )[0],
            _demo_fill(demo_clients),
        )
    else:
        data_dir = Path(getattr(args, "data_dir", None) or default_data_dir()).expanduser()
        shell = Shell(ops, settings, data_dir, kdf=kdf, workspace_factory=workspace_factory)
        shell.start()
    running.shell = shell
    shell.show()
    shell.app_lock.watch_system()
    return running


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
    running = start(args, reporter=reporter)
    try:
        return app.exec()
    finally:
        running.close()
        reporter.uninstall()
