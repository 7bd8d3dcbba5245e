#!/usr/bin/env python3
"""Set-up and run on a fresh machine with only Python 3.11+: `python3 dev.py app|test|bench`.

Creates .venv when missing, installs the project with its test tools when pyproject.toml
changed since the last install, then runs the app in demo mode, the whole test suite, or
the benchmarks. CI runs `python3 dev.py test` through .ci/run.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-from"


def ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Liaison Desktop needs Python 3.11 or newer.")
    if not PY.exists():
        print("== creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("== installing dependencies into .venv", flush=True)
        run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([PY, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
        STAMP.write_text(wanted)


def run(cmd: list, **kw) -> int:
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)
    if code:
        sys.exit(code)
    return code


def ensure_test_tools() -> None:
    """Debian packages the tests use beyond Python: pdftoppm (poppler-utils) turns the PDF
    reports into pages to check. Best effort, as root with apt-get only (CI on a bare Debian);
    elsewhere the tests that need it say they were skipped and why."""
    import shutil

    if shutil.which("pdftoppm") or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    print("== installing poppler-utils (pdftoppm) for the PDF report tests", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.call(["apt-get", "install", "-y", "-q", "poppler-utils"], env=apt_env, **quiet):
        subprocess.call(["apt-get", "update", "-q"], env=apt_env, **quiet)
        subprocess.call(["apt-get", "install", "-y", "-q", "poppler-utils"], env=apt_env, **quiet)


def test(extra: list[str]) -> None:
    if os.name != "nt":
        ensure_test_tools()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    print("== ruff", flush=True)
    run([BIN / "ruff", "check", "."], env=env)
    print("== import contracts", flush=True)
    run([BIN / "lint-imports"], env=env)
    print("== pytest", flush=True)
    code = subprocess.call([str(PY), "-m", "pytest", *extra], cwd=ROOT, env=env)
    if code == 5:
        sys.exit("pytest collected no tests: that is a failure.")
    sys.exit(code)


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "app"
    extra = sys.argv[2:]
    ensure_env()
    if what == "app":
        os.execv(str(BIN / "liaison-desktop"), ["liaison-desktop", "--demo", *extra])
    elif what == "test":
        test(extra)
    elif what == "bench":
        os.execv(str(PY), [str(PY), str(ROOT / "benchmarks" / "run.py"), *extra])
    else:
        sys.exit("usage: python3 dev.py app|test|bench [args]")


if __name__ == "__main__":
    main()
