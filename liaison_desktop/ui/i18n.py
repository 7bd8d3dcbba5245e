"""Translations: .ts sources in resources/i18n, .qm built from them, and the installed translators.

Source strings are Dutch (``self.tr("...")``). ``pyside6-lupdate`` collects them into
``resources/i18n/liaison_<lang>.ts`` (in git); ``pyside6-lrelease`` compiles those into ``.qm``
files (built, never committed). In a development tree :func:`ensure_compiled` rebuilds missing
or stale ``.qm`` files into ``build/i18n``; the packaged app ships them pre-built (run
``python -m liaison_desktop.ui.i18n compile --out DIR``).

Catalogs:

* ``liaison_<lang>``: every ``tr()`` string of the UI (``liaison_nl`` holds the Dutch plural
  forms only, made with ``lupdate -pluralonly``).
* ``domain_<lang>``: kept by hand; English for the Dutch messages that domain and store code
  produce without Qt (looked up at run time with :func:`domain_text`, context ``domain``).
* Qt's own ``qtbase_<lang>`` from ``QLibraryInfo.TranslationsPath`` (standard buttons, dialogs).

Use from any thread for :func:`domain_text`; everything else from the GUI thread.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import PySide6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QSettings,
    QStandardPaths,
    QTranslator,
)

log = logging.getLogger(__name__)

LANGUAGE_KEY = "ui/language"
DEFAULT_LANGUAGE = "nl"
SOURCE_LANGUAGE = "nl"
LANGUAGES = {"nl": "Nederlands", "en": "English"}
"""Supported languages with their own (untranslated) names, as a language menu shows them."""

_LOCALES = {"nl": "nl_NL", "en": "en_GB"}  # en_GB: European date order for English users
APP_CATALOGS = ("liaison", "domain")
DOMAIN_CONTEXT = "domain"
_UPDATE_SOURCES = ("liaison_desktop/ui",)
_LUPDATE_EXTENSIONS = "py"

_installed: list[QTranslator] = []


class TranslationBuildError(RuntimeError):
    """lrelease or lupdate is missing or failed; the message names the file."""


# --------------------------------------------------------------------------- locations


def _frozen_root() -> Path | None:
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) if getattr(sys, "frozen", False) and base else None


def project_root() -> Path:
    """The repository root in a development tree, the bundle folder when frozen."""
    return _frozen_root() or Path(__file__).resolve().parents[2]


def ts_dir() -> Path:
    """Where the ``.ts`` sources live (``resources/i18n``)."""
    return project_root() / "resources" / "i18n"


def default_qm_dir() -> Path:
    """Where compiled ``.qm`` files are looked for and, in a development tree, built.

    Frozen: next to the sources in the bundle (packaging compiles them there). Development:
    ``build/i18n`` in the repository, or the user's cache folder when that is read-only.
    """
    if _frozen_root() is not None:
        return ts_dir()
    build = project_root() / "build" / "i18n"
    parent = build.parent if build.parent.exists() else project_root()
    if os.access(parent, os.W_OK):
        return build
    cache = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(cache or Path.home() / ".cache" / "liaison-desktop") / "i18n"


def _qt_tool(name: str) -> str | None:
    """A Qt linguist tool: the binary inside the PySide6 wheel, else ``pyside6-<name>`` on PATH."""
    exe = f"{name}.exe" if sys.platform == "win32" else name
    bundled = Path(PySide6.__file__).resolve().parent / exe
    if bundled.exists():
        return str(bundled)
    return shutil.which(f"pyside6-{name}") or shutil.which(name)


# --------------------------------------------------------------------------- building


def _qm_name(ts: Path) -> str:
    return ts.with_suffix(".qm").name


def stale_sources(ts_folder: Path | None = None, out_dir: Path | None = None) -> list[Path]:
    """The ``.ts`` files whose ``.qm`` is missing or older than the source."""
    ts_folder = ts_folder or ts_dir()
    out_dir = out_dir or default_qm_dir()
    stale = []
    for ts in sorted(ts_folder.glob("*.ts")):
        qm = out_dir / _qm_name(ts)
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            stale.append(ts)
    return stale


def compile_catalogs(
    ts_files: Sequence[Path] | None = None, out_dir: Path | None = None
) -> list[Path]:
    """Compile ``.ts`` files into ``out_dir`` with lrelease; returns the written ``.qm`` files.

    Each file is written under a temporary name and renamed, so a running app never reads a
    half-written catalog.
    """
    ts_files = list(ts_files) if ts_files is not None else sorted(ts_dir().glob("*.ts"))
    out_dir = out_dir or default_qm_dir()
    tool = _qt_tool("lrelease")
    if tool is None:
        raise TranslationBuildError(
            "pyside6-lrelease is niet gevonden; installeer PySide6-Essentials om vertalingen te bouwen."
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ts in ts_files:
        target = out_dir / _qm_name(ts)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        proc = subprocess.run(
            [tool, "-silent", str(ts), "-qm", str(tmp)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if proc.returncode != 0 or not tmp.exists():
            tmp.unlink(missing_ok=True)
            raise TranslationBuildError(
                f"lrelease kon {ts.name} niet vertalen (code {proc.returncode}): "
                f"{proc.stderr.strip()[:500]}"
            )
        os.replace(tmp, target)
        written.append(target)
    return written


def ensure_compiled(ts_folder: Path | None = None, out_dir: Path | None = None) -> Path:
    """Rebuild missing or stale ``.qm`` files; returns the folder to load them from.

    Never raises: without lrelease (or sources, as in a frozen bundle) the existing ``.qm``
    files are used, and a missing catalog just leaves the Dutch source text.
    """
    out_dir = out_dir or default_qm_dir()
    ts_folder = ts_folder or ts_dir()
    if not ts_folder.is_dir():
        return out_dir
    stale = stale_sources(ts_folder, out_dir)
    if stale:
        try:
            compile_catalogs(stale, out_dir)
        except (TranslationBuildError, OSError, subprocess.SubprocessError) as exc:
            log.warning("translations not rebuilt: %s", type(exc).__name__)
    return out_dir


def update_sources(root: Path | None = None) -> None:
    """Collect the ``tr()`` strings into the ``.ts`` files (``pyside6-lupdate``; for developers).

    ``liaison_en.ts`` gets every string; ``liaison_nl.ts`` only the plural forms, since the
    Dutch source text needs no translation otherwise.
    """
    root = root or project_root()
    tool = _qt_tool("lupdate")
    if tool is None:
        raise TranslationBuildError("pyside6-lupdate is niet gevonden.")
    sources = [str(root / s) for s in _UPDATE_SOURCES]
    out = root / "resources" / "i18n"
    out.mkdir(parents=True, exist_ok=True)
    runs = [
        # -extensions must come before the folders: lupdate applies it only to folders after it.
        ["-extensions", _LUPDATE_EXTENSIONS, *sources, "-ts", str(out / "liaison_en.ts")],
        [
            "-extensions",
            _LUPDATE_EXTENSIONS,
            *sources,
            "-pluralonly",
            "-ts",
            str(out / "liaison_nl.ts"),
        ],
    ]
    for args in runs:
        proc = subprocess.run(
            [tool, "-locations", "none", "-source-language", SOURCE_LANGUAGE, *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0:
            raise TranslationBuildError(f"lupdate mislukte: {proc.stderr.strip()[:500]}")


# --------------------------------------------------------------------------- installing


def normalize_language(language: object) -> str:
    """A supported language code (``nl``/``en``); anything else gives the default."""
    text = str(language or "").strip().lower()[:2]
    return text if text in LANGUAGES else DEFAULT_LANGUAGE


def language_from_settings(settings: QSettings) -> str:
    return normalize_language(settings.value(LANGUAGE_KEY, DEFAULT_LANGUAGE))


def install(app: QCoreApplication, language: str, *, qm_dir: Path | None = None) -> list[str]:
    """Install the translators for ``language``, replacing earlier ones; returns what loaded.

    Widgets that handle ``QEvent.LanguageChange`` retranslate themselves at once.
    """
    language = normalize_language(language)
    uninstall(app)
    QLocale.setDefault(QLocale(_LOCALES[language]))
    qm_dir = qm_dir or ensure_compiled()
    candidates = [("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    candidates += [(catalog, str(qm_dir)) for catalog in APP_CATALOGS]
    loaded = []
    for catalog, folder in candidates:
        translator = QTranslator(app)
        if translator.load(f"{catalog}_{language}", folder):
            app.installTranslator(translator)
            _installed.append(translator)
            loaded.append(catalog)
        elif not (catalog == "domain" and language == SOURCE_LANGUAGE):
            log.info("no %s catalog for %s", catalog, language)
    _announce(app)
    return loaded


def uninstall(app: QCoreApplication) -> None:
    """Remove the translators :func:`install` added (back to the Dutch source text)."""
    while _installed:
        app.removeTranslator(_installed.pop())
    _announce(app)


def _announce(app: QCoreApplication) -> None:
    # Qt announces translator changes only while the event loop runs; announce once more so
    # that a switch before exec() (or in tests) also reaches the open windows. QApplication
    # posts it on to every top-level widget, whose changeEvent retranslates.
    QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))


def domain_text(message: str) -> str:
    """A Dutch message from domain or store code in the interface language (else unchanged)."""
    return QCoreApplication.translate(DOMAIN_CONTEXT, message)


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``compile [--out DIR]`` builds the .qm files (packaging); ``update`` runs lupdate."""
    parser = argparse.ArgumentParser(prog="python -m liaison_desktop.ui.i18n")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compile", help="compile resources/i18n/*.ts into .qm files")
    c.add_argument("--out", type=Path, default=None, help="output folder (default build/i18n)")
    sub.add_parser("update", help="collect tr() strings into the .ts files (pyside6-lupdate)")
    args = parser.parse_args(argv)
    try:
        if args.command == "compile":
            for qm in compile_catalogs(out_dir=args.out):
                print(qm)
        else:
            update_sources()
    except TranslationBuildError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
