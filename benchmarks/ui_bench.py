"""UI group: start to the unlock screen, unlock to a painted caseload, search keystrokes, GUI
stalls and memory, all offscreen (``QT_QPA_PLATFORM=offscreen``) on real encrypted stores.

Every app figure comes from a fresh process, as a professional starting the app gets it:

* ``start_to_unlock_screen_ms``: spawn of ``python -m liaison_desktop --data-dir DIR`` until the
  app prints ``bench:unlock_shown <monotonic ns>`` (``LIAISON_BENCH_MARKERS=1``, after the
  passphrase field was first painted); ``bare_qt_window_ms`` is the same for a bare PySide6
  QMainWindow. One untimed warm-up each fills the bytecode cache (kept in the scratch folder:
  this environment sets PYTHONDONTWRITEBYTECODE, an installed app has its .pyc files), then
  the two alternate. An untimed child (below) does the same for what is imported later.
* The other figures run this module as a child (``python -m benchmarks.ui_bench open DIR``,
  passphrase on stdin) which starts the app through ``bootstrap.start``, types the passphrase
  into the real unlock page, waits a second (the user typing) and presses Enter; it times the
  caseload until its table is painted with rows, probes the GUI thread with a 5 ms timer
  meanwhile, then reads VmRSS and, for the search figures, types search words into the
  caseload's search box one key at a time (each key until the table's viewport has painted).
  ``max_gui_stall_ms`` and ``rss_mb`` are medians over three such processes (the longest
  gap of each open); the ``*_frames`` keys say where the DB worker was after a long gap.

Stores are generated once per run with the demo generator (store_bench's helpers); the
5,000-client store for ``unlock_to_caseload_ms`` is re-wrapped with the default KDF.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks import Options, log, ms

ROOT = Path(__file__).resolve().parent.parent

TARGETS: dict[str, tuple[str, Any]] = {
    "start_to_unlock_screen_ms": ("<=", 500),
    "unlock_to_caseload_ms": ("<=", 400),
    "search_keystroke_median_ms": ("<=", 16),
    "search_keystroke_p95_ms": ("<=", 33),
    "max_gui_stall_ms": ("<=", 50),
    "rss_mb": ("<=", 250),
}

UNLOCK_CLIENTS = 5_000
START_REPEAT = 5
UNLOCK_RUNS = 3  # fresh processes, default KDF
OPEN_RUNS = 3  # fresh processes on the large store (stall, memory); the first also searches
THINK_S = 1.0  # between typing the passphrase and Enter, as a person takes
STALL_TICK_MS = 5
KEY_INTERVAL_S = 0.03  # event-loop time between two search keystrokes
POLL_MS = 50  # fallback poll of the child's waits (callbacks end them at once)
SETTLE_MS = 250  # the stall probe keeps running this long after the caseload painted
CHILD_TIMEOUT_S = 180
MARKER = "bench:unlock_shown"

BARE_WINDOW = f"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
label = QLabel("Liaison", window)
window.setCentralWidget(label)

def emit():
    print(f"{MARKER} {{time.monotonic_ns()}}", file=sys.stderr, flush=True)
    app.quit()

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, emit)
        return False

probe = FirstPaint()
label.installEventFilter(probe)
window.resize(1180, 760)
window.show()
sys.exit(app.exec())
"""


# --------------------------------------------------------------------------- parent side


def child_env(workdir: Path) -> dict[str, str]:
    """Offscreen Qt, settings and logs in the scratch folder, a bytecode cache that persists."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    home = workdir / "home"
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPYCACHEPREFIX=str(workdir / "pycache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env


def time_to_marker(cmd: list[str], env: dict[str, str], timeout: float = 60.0) -> float:
    """Milliseconds from just before spawning ``cmd`` until it prints the marker line."""
    env = dict(env, LIAISON_BENCH_MARKERS="1")
    t0 = time.monotonic_ns()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(timeout, proc.kill)
    watchdog.start()
    seen: list[str] = []
    marked = None
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith(MARKER):
                marked = int(line.split()[1])
                break
            seen.append(line)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # the app quits its event loop and locks
        rest = proc.communicate(timeout=30)[1] or ""
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if marked is None:
        tail = "".join(seen[-20:]) + rest[-2000:]
        raise RuntimeError(f"no {MARKER} line from {cmd!r}; stderr:\n{tail}")
    return (marked - t0) / 1e6


def measure_start(data_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    app = [sys.executable, "-m", "liaison_desktop", "--data-dir", str(data_dir)]
    bare = [sys.executable, "-c", BARE_WINDOW]
    log(f"start to unlock screen vs a bare PySide6 window, {START_REPEAT}x each (+1 warm-up)")
    time_to_marker(app, env)  # compiles the bytecode cache, warms the OS file cache
    time_to_marker(bare, env)
    apps, bares = [], []
    for i in range(START_REPEAT):
        pair = [(app, apps), (bare, bares)]
        for cmd, samples in pair if i % 2 == 0 else reversed(pair):
            samples.append(time_to_marker(cmd, env))
    log(f"  app {[round(x) for x in apps]} ms; bare {[round(x) for x in bares]} ms")
    app_ms, bare_ms = statistics.median(apps), statistics.median(bares)
    return {
        "start_to_unlock_screen_ms": round(app_ms, 1),
        "bare_qt_window_ms": round(bare_ms, 1),
        "start_ratio": round(app_ms / bare_ms, 2),
        "start_to_unlock_screen_samples_ms": [round(x, 1) for x in apps],
    }


def run_child(
    data_dir: Path, env: dict[str, str], passphrase: str, *, search: bool = False
) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.ui_bench", "open", str(data_dir)]
    if search:
        cmd.append("--search")
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        env=env,
        input=passphrase,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"ui_bench child failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}"
        )
    return json.loads(lines[-1])


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 2)


def measure_unlock(data_dir: Path, env: dict[str, str], passphrase: str) -> dict[str, Any]:
    log(f"unlock to painted caseload, {UNLOCK_CLIENTS:,} clients, default KDF, {UNLOCK_RUNS}x (+1)")
    run_child(data_dir, env, passphrase)  # warm-up: bytecode of what is imported after unlock
    runs = [run_child(data_dir, env, passphrase) for _ in range(UNLOCK_RUNS)]
    for r in runs:
        log(
            f"  first rows {r['unlock_to_caseload_ms']:.0f} ms (unlock {r['submit_to_unlocked_ms']:.0f}"
            f" + first page {r['unlocked_to_first_page_ms']:.0f}); whole list"
            f" {r['unlock_to_full_caseload_ms']:.0f} ms (load {r['unlocked_to_loaded_ms']:.0f}"
            f" + paint {r['loaded_to_painted_ms']:.0f}); stall {r['max_gui_stall_ms']:.0f} ms"
            f" ({r['stall_phase']})"
        )
    return {
        "unlock_to_caseload_ms": _median(runs, "unlock_to_caseload_ms"),
        "unlock_to_caseload_samples_ms": [r["unlock_to_caseload_ms"] for r in runs],
        "unlock_to_full_caseload_ms": _median(runs, "unlock_to_full_caseload_ms"),
        "unlock_kdf_and_open_ms": _median(runs, "submit_to_unlocked_ms"),
        "unlock_first_page_ms": _median(runs, "unlocked_to_first_page_ms"),
        "unlock_caseload_load_ms": _median(runs, "unlocked_to_loaded_ms"),
        "unlock_caseload_paint_ms": _median(runs, "loaded_to_painted_ms"),
        "unlock_caseload_rows": runs[0]["rows"],
        "max_gui_stall_default_kdf_ms": _median(runs, "max_gui_stall_ms"),
        "max_gui_stall_default_kdf_samples_ms": [r["max_gui_stall_ms"] for r in runs],
    }


def measure_open(data_dir: Path, env: dict[str, str], passphrase: str) -> dict[str, Any]:
    log(f"open the large store {OPEN_RUNS}x (GUI stalls, memory); search keystrokes in the first")
    runs = []
    for i in range(OPEN_RUNS):
        r = run_child(data_dir, env, passphrase, search=i == 0)
        log(
            f"  open {r['unlock_to_caseload_ms']:.0f} ms; stall {r['max_gui_stall_ms']:.0f} ms"
            f" ({r['stall_phase']}, at {r['stall_at_ms']:.0f} ms); RSS {r['rss_mb']} MB"
        )
        for at, gap, frames in r["stall_worker_frames"]:
            log(f"    {gap:.0f} ms gap ending {at:.0f} ms after Enter; DB worker at {frames[:3]}")
        runs.append(r)
    first = runs[0]
    worst = max(runs, key=lambda r: r["max_gui_stall_ms"])
    out: dict[str, Any] = {
        "max_gui_stall_ms": _median(runs, "max_gui_stall_ms"),
        "max_gui_stall_samples_ms": [r["max_gui_stall_ms"] for r in runs],
        "max_gui_stall_phases": [r["stall_phase"] for r in runs],
        "open_to_caseload_ms": _median(runs, "unlock_to_caseload_ms"),
        "rss_mb": _median(runs, "rss_mb"),
        "rss_peak_mb": _median(runs, "rss_peak_mb"),
        "rss_unlock_screen_mb": _median(runs, "rss_locked_mb"),
        "gui_switch_interval_ms": first["switch_interval_ms"],
        "ui_caseload_rows": first["rows"],
        "gc_longest_ms": _median(runs, "gc_longest_ms"),
        "max_gui_stall_worker_frames": worst["stall_worker_frames"][:3],
    }
    out.update({k: v for k, v in first.items() if k.startswith("search_")})
    return out


def run(opts: Options) -> dict[str, Any]:
    from benchmarks.store_bench import PASSPHRASE, build_dataset
    from liaison_desktop.store.keys import KdfParams

    env = child_env(opts.workdir)
    big = build_dataset(opts.workdir, opts.clients)
    big.services.lock()
    small = build_dataset(opts.workdir / "default-kdf", UNLOCK_CLIENTS)
    small.services.store.change_passphrase(PASSPHRASE, KdfParams())  # the production KDF
    small.services.lock()

    out: dict[str, Any] = {"ui_clients": opts.clients, "ui_unlock_clients": UNLOCK_CLIENTS}
    out.update(measure_start(big.paths.data_dir, env))
    out.update(measure_unlock(small.paths.data_dir, env, PASSPHRASE))
    out.update(measure_open(big.paths.data_dir, env, PASSPHRASE))
    return out


# --------------------------------------------------------------------------- child side


def _rss_mb() -> tuple[float, float]:
    """VmRSS and VmHWM (peak) of this process in MB, from /proc."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return round(values["VmRSS"], 1), round(values["VmHWM"], 1)


def child_open(data_dir: Path, passphrase: str, search: bool) -> dict[str, Any]:
    """In a fresh process: start the app, unlock through the UI, time the caseload."""
    import argparse as ap

    from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest

    from liaison_desktop import bootstrap
    from liaison_desktop.ui.app import create_application
    from liaison_desktop.ui.shell import Page

    app = create_application(sys.argv[:1])
    settings = QSettings(str(data_dir.parent / "bench-settings.ini"), QSettings.Format.IniFormat)
    running = bootstrap.start(ap.Namespace(data_dir=str(data_dir), demo=False), settings=settings)
    shell = running.shell
    now = time.perf_counter

    waiting: list[Any] = []  # (loop, cond) of the wait in progress

    def wake() -> None:
        """Called by the probes' callbacks: end the current wait when its condition holds."""
        if waiting and waiting[-1][1]():
            waiting[-1][0].quit()

    def wait_until(cond: Any, timeout_s: float = 60.0) -> bool:
        """Run the event loop (the GUI thread never sleeps) until ``cond()`` holds.

        Callbacks call ``wake()``; a slow poll covers conditions on the clock. No fast
        polling timer: every Python callback on the GUI thread has to win the GIL from the
        DB worker, so a busy poll would itself cause the stalls being measured.
        """
        if cond():
            return True
        loop = QEventLoop()
        deadline = now() + timeout_s
        poll = QTimer()
        poll.setInterval(POLL_MS)
        poll.timeout.connect(lambda: (cond() or now() > deadline) and loop.quit())
        poll.start()
        waiting.append((loop, cond))
        try:
            loop.exec()
        finally:
            waiting.pop()
            poll.stop()
        return bool(cond())

    def sleep_events(seconds: float) -> None:
        """Let the event loop run for ``seconds``."""
        loop = QEventLoop()
        QTimer.singleShot(round(seconds * 1000), loop.quit)
        loop.exec()

    def worker_stack(depth: int = 6) -> list[str]:
        """The DB worker's innermost frames (file:line function), where it held the GIL."""
        ident = next((t.ident for t in threading.enumerate() if t.name == "liaison-db"), None)
        frame = sys._current_frames().get(ident) if ident else None
        out = []
        while frame is not None and len(out) < depth:
            code = frame.f_code
            out.append(f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name}")
            frame = frame.f_back
        return out

    class Probe(QObject):
        """Longest gap between ticks of a 5 ms GUI-thread timer."""

        def __init__(self) -> None:
            super().__init__()
            self.timer = QTimer(self)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.setInterval(STALL_TICK_MS)
            self.timer.timeout.connect(self.tick)
            self.longest, self.longest_end, self.last = 0.0, 0.0, 0.0
            self.gaps: list[tuple[float, float]] = []  # (end, length) of gaps over 20 ms
            self.culprits: list[list[Any]] = []  # where the DB worker was after a long gap

        def start(self) -> None:
            self.last = now()
            self.timer.start()

        def tick(self) -> None:
            t = now()
            if t - self.last > self.longest:
                self.longest, self.longest_end = t - self.last, t
            if t - self.last > 0.020:
                self.gaps.append((t, t - self.last))
            if t - self.last > 0.040 and len(self.culprits) < 8:
                self.culprits.append([ms(t - marks["submit"]), ms(t - self.last), worker_stack()])
            self.last = t

        def stop(self) -> None:
            self.tick()
            self.timer.stop()

    class Paints(QObject):
        """Paints of a widget: ``stamps`` holds (start, end, rows, thread CPU at the end)."""

        def __init__(self, widget: Any, rows: Any) -> None:
            super().__init__(widget)
            self.rows = rows
            self.stamps: list[tuple[float, float, int, float]] = []
            widget.installEventFilter(self)

        def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                start, rows = now(), self.rows()
                QTimer.singleShot(0, lambda: self.stamp(start, rows))
            return False

        def stamp(self, start: float, rows: int) -> None:
            self.stamps.append((start, now(), rows, time.thread_time()))
            wake()

    marks: dict[str, float] = {}
    hooks: dict[str, Any] = {}

    def on_page(page: Any) -> None:
        if page is Page.WORKSPACE and "unlocked" not in marks:
            marks["unlocked"] = now()
            caseload = shell.workspace_view.caseload
            caseload.sig_loaded.connect(lambda _n: (marks.setdefault("loaded", now()), wake()))
            caseload.sig_first_page.connect(
                lambda _n: (marks.setdefault("first_page", now()), wake())
            )
            hooks["paints"] = Paints(caseload.table.viewport(), caseload.model.rowCount)

    shell.sig_page_changed.connect(on_page)
    gc_pauses: list[float] = []  # collections that took over 5 ms, on any thread
    gc_started: dict[int, float] = {}

    def on_gc(phase: str, _info: dict[str, Any]) -> None:
        ident = threading.get_ident()
        if phase == "start":
            gc_started[ident] = now()
        elif ident in gc_started and now() - gc_started[ident] > 0.005:
            gc_pauses.append(now() - gc_started.pop(ident))

    gc.callbacks.append(on_gc)
    enter = shell.enter_workspace

    def timed_enter() -> None:  # the GUI thread's own share of showing the workspace
        marks["enter"] = now()
        enter()
        marks["entered"] = now()

    shell.enter_workspace = timed_enter
    page = shell.unlock_page
    QTest.qWaitForWindowExposed(shell)
    wait_until(lambda: page.passphrase.isVisible())
    QTest.keyClicks(page.passphrase, passphrase)
    sleep_events(THINK_S)

    rss_locked, _ = _rss_mb()  # the unlock screen, preloading done
    probe = Probe()
    probe.start()
    marks["submit"] = now()
    QTest.keyClick(page.passphrase, Qt.Key.Key_Return)

    def painted_with_rows() -> bool:
        paints = hooks.get("paints")
        return paints is not None and any(rows > 0 for _s, _e, rows, _c in paints.stamps)

    if not wait_until(painted_with_rows, 120):
        raise RuntimeError(f"caseload not painted; page {shell.page}, marks {marks}")
    marks["painted"] = next(end for _s, end, rows, _c in hooks["paints"].stamps if rows > 0)

    def full_painted() -> bool:
        return "loaded" in marks and any(
            start >= marks["loaded"] for start, _e, _r, _c in hooks["paints"].stamps
        )

    if not wait_until(full_painted, 120):
        raise RuntimeError(f"whole caseload not painted; marks {marks}")
    marks["full_painted"] = next(
        end for start, end, _r, _c in hooks["paints"].stamps if start >= marks["loaded"]
    )
    sleep_events(SETTLE_MS / 1000)
    probe.stop()

    def phase(t: float) -> str:
        # A gap is attributed to the phase in which it ended.
        for name, label in (
            ("unlocked", "unlocking (KDF, open)"),
            ("loaded", "loading the caseload"),
            ("painted", "showing the rows"),
        ):
            if name in marks and t <= marks[name]:
                return label
        return "after the first paint"

    rss, peak = _rss_mb()
    caseload = shell.workspace_view.caseload
    out: dict[str, Any] = {
        # The first rows on screen (the first page, or the whole list when it is small).
        "unlock_to_caseload_ms": ms(marks["painted"] - marks["submit"]),
        "unlock_to_full_caseload_ms": ms(marks["full_painted"] - marks["submit"]),
        "submit_to_unlocked_ms": ms(marks["unlocked"] - marks["submit"]),
        "unlocked_to_first_page_ms": ms(
            marks.get("first_page", marks["loaded"]) - marks["unlocked"]
        ),
        "unlocked_to_loaded_ms": ms(marks["loaded"] - marks["unlocked"]),
        "loaded_to_painted_ms": ms(marks["full_painted"] - marks["loaded"]),
        "rows": caseload.model.rowCount(),
        "max_gui_stall_ms": ms(probe.longest),
        "stall_at_ms": ms(probe.longest_end - marks["submit"]),
        "stall_phase": phase(probe.longest_end),
        "rss_mb": rss,
        "rss_peak_mb": peak,
        "rss_locked_mb": rss_locked,
        "switch_interval_ms": round(sys.getswitchinterval() * 1000, 3),
        "enter_workspace_ms": ms(marks["entered"] - marks["enter"]),
        "stall_gaps": [[ms(end - marks["submit"]), ms(length)] for end, length in probe.gaps[:12]],
        "marks_ms": {k: ms(v - marks["submit"]) for k, v in marks.items()},
        "stall_worker_frames": probe.culprits,
        "gc_longest_ms": ms(max(gc_pauses, default=0.0)),
    }
    if search:
        out.update(
            search_keystrokes(running.ops, caseload, hooks["paints"], wait_until, sleep_events)
        )
    running.close()
    del app
    return out


def search_keystrokes(
    ops: Any, caseload: Any, paints: Any, wait_until: Any, sleep_events: Any
) -> dict[str, Any]:
    """Type each search word one key at a time, fix a typo (Backspace + the key again) and
    clear with Esc; every key is timed until the table's viewport has painted."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from benchmarks.store_bench import search_words

    words = ops.run_blocking(lambda services, _state: search_words(services))
    search = caseload.search
    search.setFocus()
    updates = [0.0]
    caseload.model.sig_rows_changed.connect(lambda *_a: updates.__setitem__(0, time.perf_counter()))
    walls: list[float] = []
    filters: list[float] = []
    cpus: list[float] = []

    def press(k: Any) -> None:
        """A key press and release; QTest's char overload mangles non-ASCII (Bourgondië)."""
        if not isinstance(k, str) or k.isascii():
            QTest.keyClick(search, k)
            return
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                search, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, k)
            )

    def repainted() -> tuple[float, float, int, float] | None:
        """The first paint of the viewport that started after the model changed."""
        if not updates[0]:
            return None
        return next((st for st in paints.stamps if st[0] >= updates[0]), None)

    def key(k: Any) -> None:
        sleep_events(KEY_INTERVAL_S)  # a person types a few keys a second; late paints land
        updates[0] = 0.0
        c0 = time.thread_time()
        t0 = time.perf_counter()
        press(k)
        if not wait_until(lambda: repainted() is not None, 10):
            raise RuntimeError(f"no repaint after key {k!r} in {search.text()!r}")
        _start, t1, _rows, c1 = repainted()  # type: ignore[misc]
        walls.append(t1 - t0)
        filters.append(updates[0] - t0)
        cpus.append(c1 - c0)

    for word in words:
        for ch in word:
            key(ch)
        if search.text() != word:
            raise RuntimeError(f"typed {word!r}, the search box holds {search.text()!r}")
        key(Qt.Key.Key_Backspace)
        key(word[-1])
        key(Qt.Key.Key_Escape)
    walls_sorted = sorted(walls)
    p95 = walls_sorted[min(len(walls_sorted) - 1, round(0.95 * (len(walls_sorted) - 1)))]
    return {
        "search_keystroke_median_ms": ms(statistics.median(walls)),
        "search_keystroke_p95_ms": ms(p95),
        "search_keystroke_max_ms": ms(max(walls)),
        "search_keystroke_filter_median_ms": ms(statistics.median(filters)),
        "search_keystroke_cpu_median_ms": ms(statistics.median(cpus)),
        "search_keystrokes": len(walls),
        "search_words": words,
    }


def _child_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description="ui_bench child: passphrase on stdin")
    p.add_argument("mode", choices=["open"])
    p.add_argument("data_dir", type=Path)
    p.add_argument("--search", action="store_true")
    args = p.parse_args(argv)
    passphrase = sys.stdin.readline().rstrip("\n")
    result = child_open(args.data_dir, passphrase, args.search)
    print(json.dumps(result), flush=True)
    sys.stderr.flush()
    # The key is dropped and the worker stopped (running.close()); skip interpreter teardown,
    # where PySide's object destruction order is not what is being measured.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
