"""The English catalog is complete: every UI string translated, with intact placeholders and accelerators.

Reads ``resources/i18n/liaison_en.ts`` as XML, so it needs no display. The last tests run
``pyside6-lupdate`` over a temporary copy of ``liaison_desktop/ui`` to catch ``tr()`` strings
that were added to the code but not yet to the catalog (skipped when lupdate is missing).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from liaison_desktop.ui import i18n

ENGLISH_PLURAL_FORMS = 2
_PLACEHOLDER = re.compile(r"%(?:[1-9]|n)|\{[A-Za-z_][A-Za-z0-9_]*\}")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
_RETIRED = ("vanished", "obsolete")


def _messages(path: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [
        (ctx.findtext("name") or "", msg)
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    ]


def _active(path: Path) -> list[tuple[str, ET.Element]]:
    return [
        (ctx, msg)
        for ctx, msg in _messages(path)
        if msg.find("translation").get("type") not in _RETIRED
    ]


def _translations(msg: ET.Element) -> list[str]:
    """The translated text, one entry per plural form."""
    translation = msg.find("translation")
    if msg.get("numerus") == "yes":
        return [form.text or "" for form in translation.findall("numerusform")]
    return [translation.text or ""]


def _accelerators(text: str) -> int:
    """How many mnemonic markers (``&x``) a text has; ``&&`` is a literal ampersand."""
    return len(re.findall(r"&(?!&)", text.replace("&&", "")))


def _label(ctx: str, msg: ET.Element) -> str:
    return f"{ctx}: {msg.findtext('source')!r}"


@pytest.fixture(scope="module")
def english() -> list[tuple[str, ET.Element]]:
    return _messages(i18n.ts_dir() / "liaison_en.ts")


def test_catalog_is_not_empty_and_has_no_retired_entries(english):
    assert len(english) > 100
    retired = [
        _label(ctx, msg) for ctx, msg in english if msg.find("translation").get("type") in _RETIRED
    ]
    assert retired == [], "drop vanished/obsolete entries from liaison_en.ts"


def test_no_message_is_unfinished_or_empty(english):
    problems = []
    for ctx, msg in english:
        translation = msg.find("translation")
        if translation.get("type") == "unfinished":
            problems.append(f"unfinished {_label(ctx, msg)}")
            continue
        texts = _translations(msg)
        if msg.get("numerus") == "yes" and len(texts) != ENGLISH_PLURAL_FORMS:
            problems.append(f"{len(texts)} plural forms {_label(ctx, msg)}")
        if any(not text.strip() for text in texts):
            problems.append(f"empty {_label(ctx, msg)}")
    assert problems == []


def test_placeholders_match(english):
    problems = []
    for ctx, msg in english:
        source = msg.findtext("source") or ""
        wanted = Counter(_PLACEHOLDER.findall(source))
        for text in _translations(msg):
            got = Counter(_PLACEHOLDER.findall(text))
            if msg.get("numerus") == "yes":
                # A singular form may spell out the number ("one file"), but never add one.
                ok = set(got) <= set(wanted) and all(got[k] <= wanted[k] for k in got)
            else:
                ok = got == wanted
            if not ok:
                problems.append(f"{_label(ctx, msg)} -> {text!r}")
    assert problems == []


def test_html_tags_match(english):
    problems = [
        _label(ctx, msg)
        for ctx, msg in english
        for text in _translations(msg)
        if Counter(_TAG.findall(msg.findtext("source") or "")) != Counter(_TAG.findall(text))
    ]
    assert problems == []


def test_accelerators_are_kept(english):
    problems = []
    for ctx, msg in english:
        wanted = _accelerators(msg.findtext("source") or "")
        for text in _translations(msg):
            if _accelerators(text) != wanted:
                problems.append(f"{_label(ctx, msg)} -> {text!r}")
    assert problems == []


def test_dutch_plural_forms_are_filled():
    problems = [
        _label(ctx, msg)
        for ctx, msg in _messages(i18n.ts_dir() / "liaison_nl.ts")
        if msg.get("numerus") == "yes"
        and (
            msg.find("translation").get("type") == "unfinished"
            or any(not text.strip() for text in _translations(msg))
        )
    ]
    assert problems == []


# --------------------------------------------------------------------------- lupdate


@pytest.fixture
def lupdate() -> str:
    tool = i18n._qt_tool("lupdate")
    if tool is None:
        pytest.skip("pyside6-lupdate is not installed")
    return tool


def _tree_copy(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(
        i18n.project_root() / "liaison_desktop" / "ui",
        root / "liaison_desktop" / "ui",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(i18n.ts_dir(), root / "resources" / "i18n")
    return root


def test_lupdate_finds_no_new_untranslated_strings(tmp_path: Path, lupdate: str):
    root = _tree_copy(tmp_path)
    ts = root / "resources" / "i18n" / "liaison_en.ts"
    # lupdate applies -extensions only to the directories named after it.
    proc = subprocess.run(
        [
            lupdate,
            "-extensions",
            "py",
            "-locations",
            "none",
            "-source-language",
            i18n.SOURCE_LANGUAGE,
            *(str(root / s) for s in i18n._UPDATE_SOURCES),
            "-ts",
            str(ts),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    updated = _messages(ts)
    active = [(c, m) for c, m in updated if m.find("translation").get("type") not in _RETIRED]
    new = [_label(c, m) for c, m in active if m.find("translation").get("type") == "unfinished"]
    assert new == [], (
        "tr() strings missing from liaison_en.ts: run `python -m liaison_desktop.ui.i18n "
        "update` and translate them"
    )
    gone = [_label(c, m) for c, m in updated if m.find("translation").get("type") in _RETIRED]
    assert gone == [], "strings no longer in the code: drop them from liaison_en.ts"


def test_update_command_collects_the_ui_strings(tmp_path: Path, lupdate: str):
    root = _tree_copy(tmp_path)
    i18n.update_sources(root)
    updated = _messages(root / "resources" / "i18n" / "liaison_en.ts")
    retired = [_label(c, m) for c, m in updated if m.find("translation").get("type") in _RETIRED]
    assert retired == []
    assert len(updated) == len(_active(i18n.ts_dir() / "liaison_en.ts"))
