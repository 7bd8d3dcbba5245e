"""Guard against PySide6 6.12.0's refcount bug: void Qt calls freed None on Python 3.11.

With it, the app aborted ("none_dealloc") after some minutes of painting. pyproject pins
PySide6 below 6.12; this test fails loudly if a build with the bug comes back.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(100_000):
    label.setText("x")
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_do_not_leak_references_to_none():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 0, f"interpreter aborted: {r.stderr[-300:]}"
    assert abs(int(r.stdout.strip())) < 1000
