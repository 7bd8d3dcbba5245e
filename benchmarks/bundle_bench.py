"""Bundle group: build the Linux bundle as a fresh clone would, its size, and its start-up.

* ``build_s``: ``python packaging/build.py`` end to end (translations, PyInstaller with an empty
  work folder, the bundle's self-test, tar.gz, .deb, SHA256SUMS, signatures), a throw-away key.
  ``bundle_build_s`` is the part up to a finished bundle.
* ``bundle_mb``: the onedir folder's files (MiB, symlinks not counted twice).
* ``bundle_start_to_unlock_ms``: spawn of the bundled ``liaison-desktop --data-dir DIR`` on an
  existing encrypted store until it prints ``bench:unlock_shown`` (the passphrase field first
  painted; ``LIAISON_BENCH_MARKERS=1``), offscreen, as ``ui_bench`` measures the source
  tree. One untimed warm-up (the OS file cache), then the median of five.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks import Options, log
from benchmarks.ui_bench import child_env, time_to_marker

ROOT = Path(__file__).resolve().parent.parent

TARGETS: dict[str, tuple[str, Any]] = {
    "bundle_mb": ("<=", 150),
    "bundle_start_to_unlock_ms": ("<=", 1000),
    "build_s": ("<=", 300),
}
START_REPEAT = 5


def _build(workdir: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "LIAISON_SIGNING_KEY_FILE"}
    cmd = [sys.executable, str(ROOT / "packaging" / "build.py")]
    cmd += ["--dist", str(workdir / "dist"), "--work", str(workdir / "pyinstaller")]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"packaging/build.py failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def _store(data_dir: Path) -> None:
    from liaison_desktop.domain import model as dm
    from liaison_desktop.services import workspace

    services, _recovery = workspace.create_workspace(
        data_dir, "bundel meting wachtwoordzin", "Meting", [dm.Practice(name="Meting")]
    )
    services.lock()


def run(opts: Options) -> dict[str, Any]:
    log("bundle: building with packaging/build.py (fresh work folder)")
    report = _build(opts.workdir)
    exe = Path(report["bundle"]) / "liaison-desktop"
    data_dir = opts.workdir / "bundle-store"
    _store(data_dir)
    env = child_env(opts.workdir)
    env["LIAISON_PROVISIONING_FILE"] = ""  # not the machine's /etc: the plain offline app
    cmd = [str(exe), "--data-dir", str(data_dir)]
    log("bundle: start to unlock screen")
    time_to_marker(cmd, env)  # warm-up
    starts = [time_to_marker(cmd, env) for _ in range(START_REPEAT)]
    return {
        "bundle_mb": report["bundle_mb"],
        "bundle_start_to_unlock_ms": round(statistics.median(starts), 1),
        "bundle_start_to_unlock_max_ms": round(max(starts), 1),
        "build_s": report["build_s"],
        "bundle_build_s": report["bundle_build_s"],
    }
