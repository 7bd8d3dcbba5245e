"""Before the QApplication exists: can Qt's xcb plugin load here? If not, say which package to install.

On a bare Linux, Qt aborts with "Could not load the Qt platform plugin xcb" when one of the
plugin's shared libraries is missing, without saying which. We run ``ldd`` on the plugin,
collect the "not found" libraries and map them to Debian/Ubuntu package names, so the user
gets one ``apt-get install`` line. Only QtCore is imported here (it needs no display).
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

EXIT_PLATFORM = 2

LIB_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libGLdispatch.so.0": "libglvnd0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}
"""Shared library (soname) → the Debian/Ubuntu package that provides it."""

# The libraries the xcb plugin needs besides Qt's own; checked by loading them when ldd is
# not available (e.g. a minimal container).
_EXPECTED = (
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-image.so.0",
    "libxcb-keysyms.so.1",
    "libxcb-randr.so.0",
    "libxcb-render-util.so.0",
    "libxcb-shape.so.0",
    "libxcb-xkb.so.1",
    "libxkbcommon-x11.so.0",
    "libEGL.so.1",
    "libfontconfig.so.1",
)

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")


def parse_ldd_missing(output: str) -> list[str]:
    """The libraries ``ldd`` reports as "not found", once each, in order of appearance."""
    missing: list[str] = []
    for line in output.splitlines():
        match = _NOT_FOUND.match(line)
        if match and match.group(1) not in missing:
            missing.append(match.group(1))
    return missing


def packages_for(libraries: Iterable[str]) -> tuple[list[str], list[str]]:
    """Map sonames to packages: (packages to install, libraries without a known package)."""
    packages: list[str] = []
    unknown: list[str] = []
    for lib in libraries:
        package = LIB_PACKAGES.get(lib)
        if package is None:
            unknown.append(lib)
        elif package not in packages:
            packages.append(package)
    return packages, unknown


def uses_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will try the xcb plugin first (Linux, X11 or no platform chosen)."""
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].strip().split(":")[0]
    if chosen:
        return chosen == "xcb"
    # Without a choice Qt prefers Wayland in a Wayland session.
    return not (env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland")


def xcb_plugin_path() -> Path:
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    return plugins / "platforms" / "libqxcb.so"


def _ldd(plugin: Path) -> str | None:
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        proc = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, timeout=15, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout


def _unloadable(libraries: Iterable[str]) -> list[str]:
    missing = []
    for lib in libraries:
        try:
            ctypes.CDLL(lib)
        except OSError:
            missing.append(lib)
    return missing


def missing_libraries(
    plugin: Path | None = None, run_ldd: Callable[[Path], str | None] = _ldd
) -> list[str]:
    """The plugin's shared libraries that cannot be found (ldd, else trying to load them)."""
    plugin = plugin or xcb_plugin_path()
    if not plugin.exists():
        return []
    output = run_ldd(plugin)
    if output is None:
        return _unloadable(_EXPECTED)
    return parse_ldd_missing(output)


def format_message(libraries: list[str]) -> str:
    """The Dutch and English explanation with the ``apt-get install`` line."""
    packages, unknown = packages_for(libraries)
    libs = ", ".join(libraries)
    lines = [
        "Liaison Desktop kan geen venster openen: Qt mist systeembibliotheken voor X11 (xcb).",
        f"Ontbrekend: {libs}",
    ]
    install = f"sudo apt-get install -y {' '.join(packages)}" if packages else ""
    if install:
        lines += ["Installeer ze (Debian/Ubuntu) met:", f"    {install}"]
    if unknown:
        lines.append(
            "Zoek het pakket voor de overige bibliotheken met: apt-file search " + " ".join(unknown)
        )
    lines += [
        "Andere Linux-distributies: installeer de pakketten die deze bibliotheken leveren.",
        "",
        "Liaison Desktop cannot open a window: Qt is missing system libraries for X11 (xcb).",
        f"Missing: {libs}",
    ]
    if install:
        lines += ["Install them (Debian/Ubuntu) with:", f"    {install}"]
    if unknown:
        lines.append(
            "Find the package for the other libraries with: apt-file search " + " ".join(unknown)
        )
    return "\n".join(lines)


def _no_display_message() -> str:
    return "\n".join(
        [
            "Liaison Desktop kan geen venster openen: er is geen beeldscherm gevonden "
            "(DISPLAY en WAYLAND_DISPLAY zijn niet gezet).",
            "Start de app vanuit een bureaubladsessie, of met --demo op een machine met een scherm.",
            "",
            "Liaison Desktop cannot open a window: no display found "
            "(DISPLAY and WAYLAND_DISPLAY are not set).",
        ]
    )


def check(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    run_ldd: Callable[[Path], str | None] = _ldd,
    plugin: Path | None = None,
) -> str | None:
    """A message explaining why no window can open, or None when all looks fine."""
    env = os.environ if env is None else env
    if not uses_xcb(env, platform):
        return None
    missing = missing_libraries(plugin, run_ldd)
    if missing:
        return format_message(missing)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return _no_display_message()
    return None


def ensure_platform() -> int:
    """Print the message and return the exit code 2 when no window can open, else 0."""
    message = check()
    if message is None:
        return 0
    print(message, file=sys.stderr)
    return EXIT_PLATFORM
