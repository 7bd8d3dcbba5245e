"""Translations: every locale loads, English changes the interface, .qm files are rebuilt when stale."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from liaison_desktop.domain.passphrase import passphrase_strength
from liaison_desktop.ui import i18n
from liaison_desktop.ui.lock import LockReason
from liaison_desktop.ui.shell import SetupPage, UnlockPage
from tests.ui.conftest import save_screenshot

# Contexts of the classes in app.py and shell.py; their English must be complete.
SHELL_CONTEXTS = {
    "ErrorReporter",
    "NewPassphrasePage",
    "PassphraseFields",
    "PlaceholderWorkspace",
    "RecoverPage",
    "RecoveryKeyPage",
    "SettingsDialog",
    "SetupPage",
    "Shell",
    "UnlockPage",
}


@pytest.fixture
def language(qapp):
    """Install a language for one test; back to the untranslated Dutch source afterwards."""
    yield lambda code: i18n.install(qapp, code)
    i18n.uninstall(qapp)
    QLocale.setDefault(QLocale("nl_NL"))


@pytest.mark.parametrize("code", sorted(i18n.LANGUAGES))
def test_every_locale_loads(language, code):
    loaded = language(code)
    assert "qtbase" in loaded  # Qt's own dialogs and buttons
    assert "liaison" in loaded
    if code == "en":
        assert "domain" in loaded
    assert QLocale().name().startswith(code)


def test_english_changes_the_interface(qtbot, language):
    language("en")
    assert QCoreApplication.translate("UnlockPage", "&Ontgrendelen") == "&Unlock"
    page = UnlockPage()
    qtbot.addWidget(page)
    assert page.unlock_button.text() == "&Unlock"
    assert page.title.text() == "Liaison is locked"
    page.set_reason(LockReason.IDLE)
    page.resize(900, 500)
    page.show()
    save_screenshot(page, "unlock_en")


def test_dutch_is_the_source_and_qt_speaks_dutch(qtbot, language):
    language("nl")
    page = UnlockPage()
    qtbot.addWidget(page)
    assert page.unlock_button.text() == "&Ontgrendelen"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuleren"


def test_plural_forms(language):
    text = "Je kunt het over %n seconde(n) opnieuw proberen."
    language("nl")
    assert QCoreApplication.translate("UnlockPage", text, "", 1).endswith(
        "1 seconde opnieuw proberen."
    )
    assert QCoreApplication.translate("UnlockPage", text, "", 5).endswith(
        "5 seconden opnieuw proberen."
    )
    language("en")
    assert QCoreApplication.translate("UnlockPage", text, "", 1) == "You can try again in 1 second."


def test_switching_language_retranslates_open_screens(qtbot, language):
    page = SetupPage()
    qtbot.addWidget(page)
    assert page.create_button.text() == "&Werkplek aanmaken"
    language("en")
    qtbot.waitUntil(lambda: page.create_button.text() == "&Create workspace")
    assert page.passphrase.show_chars.text() == "&Show characters"  # nested widgets too
    language("nl")
    qtbot.waitUntil(lambda: page.create_button.text() == "&Werkplek aanmaken")


@pytest.mark.parametrize(
    "sample",
    [
        "",
        "abc",
        "aaaaaaaaaaaa",
        "welkom123456",
        "fiets regen",
        "fietsregenl",
        "fiets regen lantaarn",
        "aZ9!aZ9!aZ9!",
    ],
)
def test_passphrase_hints_are_translated(language, sample):
    hint = passphrase_strength(sample).hint
    language("en")
    assert i18n.domain_text(hint) != hint


def test_english_catalog_is_complete_for_the_shell():
    tree = ET.parse(i18n.ts_dir() / "liaison_en.ts")
    unfinished = [
        msg.findtext("source")
        for ctx in tree.getroot().iter("context")
        if ctx.findtext("name") in SHELL_CONTEXTS
        for msg in ctx.iter("message")
        if msg.find("translation").get("type") == "unfinished"
    ]
    assert unfinished == []
    contexts = {ctx.findtext("name") for ctx in tree.getroot().iter("context")}
    assert contexts >= SHELL_CONTEXTS


def test_unknown_language_falls_back_to_dutch():
    assert i18n.normalize_language("fr") == "nl"
    assert i18n.normalize_language("EN_gb") == "en"
    assert i18n.normalize_language(None) == "nl"


def test_ensure_compiled_builds_missing_and_stale_catalogs(tmp_path: Path):
    sources = tmp_path / "ts"
    sources.mkdir()
    shutil.copy(i18n.ts_dir() / "liaison_en.ts", sources)
    out = tmp_path / "qm"
    assert i18n.stale_sources(sources, out) == [sources / "liaison_en.ts"]
    i18n.ensure_compiled(sources, out)
    qm = out / "liaison_en.qm"
    assert qm.exists() and i18n.stale_sources(sources, out) == []

    old = qm.stat().st_mtime - 100
    os.utime(qm, (old, old))  # the source is now newer than the catalog
    assert i18n.stale_sources(sources, out) == [sources / "liaison_en.ts"]
    i18n.ensure_compiled(sources, out)
    assert qm.stat().st_mtime > old
    assert not list(out.glob(".*.tmp"))  # no half-written files left


def test_ensure_compiled_never_raises_without_lrelease(tmp_path: Path, monkeypatch):
    sources = tmp_path / "ts"
    sources.mkdir()
    shutil.copy(i18n.ts_dir() / "liaison_en.ts", sources)
    monkeypatch.setattr(i18n, "_qt_tool", lambda _name: None)
    assert i18n.ensure_compiled(sources, tmp_path / "qm") == tmp_path / "qm"
    with pytest.raises(i18n.TranslationBuildError):
        i18n.compile_catalogs(out_dir=tmp_path / "qm")


def test_compile_command_for_packaging(tmp_path: Path, capsys):
    assert i18n.main(["compile", "--out", str(tmp_path)]) == 0
    written = {p.name for p in tmp_path.glob("*.qm")}
    assert {"liaison_en.qm", "liaison_nl.qm", "domain_en.qm"} <= written
    assert "liaison_en.qm" in capsys.readouterr().out


def test_update_collects_strings_and_keeps_translations(tmp_path: Path):
    root = tmp_path / "tree"
    shutil.copytree(i18n.project_root() / "liaison_desktop" / "ui", root / "liaison_desktop" / "ui")
    shutil.copytree(i18n.ts_dir(), root / "resources" / "i18n")
    i18n.update_sources(root)
    english = ET.parse(root / "resources" / "i18n" / "liaison_en.ts").getroot()
    unlock = next(c for c in english.iter("context") if c.findtext("name") == "UnlockPage")
    translations = {m.findtext("source"): m.findtext("translation") for m in unlock.iter("message")}
    assert translations["&Ontgrendelen"] == "&Unlock"
    dutch = ET.parse(root / "resources" / "i18n" / "liaison_nl.ts").getroot()
    assert all(m.get("numerus") == "yes" for m in dutch.iter("message"))
