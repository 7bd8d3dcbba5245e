"""The xcb pre-flight check: ldd parsing, library → package mapping, and the message."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison_desktop.ui import platform_check as pc

# Real ldd output of PySide6's libqxcb.so on a bare Debian 12 (trimmed).
LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007f2848622000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f2848554000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f284853e000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f2848537000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f284852f000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibfrobnicate.so.3 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f2848624000)
"""


def test_parse_ldd_lists_each_missing_library_once():
    assert pc.parse_ldd_missing(LDD_OUTPUT) == [
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libfrobnicate.so.3",
    ]
    assert pc.parse_ldd_missing("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


@pytest.mark.parametrize(
    ("lib", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libEGL.so.1", "libegl1"),
        ("libfontconfig.so.1", "libfontconfig1"),
        ("libdbus-1.so.3", "libdbus-1-3"),
    ],
)
def test_known_libraries_map_to_debian_packages(lib, package):
    assert pc.packages_for([lib]) == ([package], [])


def test_packages_are_deduplicated_and_unknown_libraries_kept():
    packages, unknown = pc.packages_for(
        ["libglib-2.0.so.0", "libgthread-2.0.so.0", "libxcb-shape.so.0", "libfrobnicate.so.3"]
    )
    assert packages == ["libglib2.0-0", "libxcb-shape0"]
    assert unknown == ["libfrobnicate.so.3"]


def test_message_names_the_apt_get_line_in_dutch_and_english():
    message = pc.format_message(pc.parse_ldd_missing(LDD_OUTPUT))
    assert "sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1" in message
    assert "Ontbrekend: libxcb-icccm.so.4" in message and "Missing: libxcb-icccm.so.4" in message
    assert "apt-file search libfrobnicate.so.3" in message
    assert "Installeer" in message and "Install them" in message


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb:foo=1"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"}, "linux", True),
        ({}, "win32", False),
        ({}, "darwin", False),
    ],
)
def test_only_xcb_is_checked(env, platform, expected):
    assert pc.uses_xcb(env, platform) is expected


def test_check_reports_missing_libraries(tmp_path: Path):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    message = pc.check({"DISPLAY": ":0"}, "linux", run_ldd=lambda _p: LDD_OUTPUT, plugin=plugin)
    assert message is not None and "libxcb-icccm4" in message


def test_check_passes_when_everything_is_found_and_a_display_exists(tmp_path: Path):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    fine = "\tlibc.so.6 => /lib/libc.so.6 (0x1)\n"
    assert pc.check({"DISPLAY": ":0"}, "linux", run_ldd=lambda _p: fine, plugin=plugin) is None
    no_display = pc.check({}, "linux", run_ldd=lambda _p: fine, plugin=plugin)
    assert no_display is not None and "DISPLAY" in no_display
    assert (
        pc.check({"QT_QPA_PLATFORM": "offscreen"}, "linux", run_ldd=lambda _p: LDD_OUTPUT) is None
    )


def test_without_ldd_the_expected_libraries_are_tried(tmp_path: Path, monkeypatch):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    monkeypatch.setattr(pc, "_unloadable", lambda libs: [lib for lib in libs if "icccm" in lib])
    assert pc.missing_libraries(plugin, run_ldd=lambda _p: None) == ["libxcb-icccm.so.4"]


def test_the_real_plugin_on_this_machine(monkeypatch, capsys):
    """On this machine: either all is well, or the message names packages to install."""
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":0")
    code = pc.ensure_platform()
    err = capsys.readouterr().err
    if pc.sys.platform.startswith("linux") and pc.missing_libraries():
        assert code == pc.EXIT_PLATFORM and "apt-get install -y" in err
    else:
        assert code == 0 and err == ""
