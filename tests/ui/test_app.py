"""The application set-up: error hook without client data, palette, names for QSettings."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from liaison_desktop.domain.errors import DomainError
from liaison_desktop.ui import app as app_module
from liaison_desktop.ui import i18n
from liaison_desktop.ui.ops import LockedError

SECRET = "Sanne Vlietstra BSN 111222333"


def _raise_with_client_data(note: str) -> None:
    client_note = note  # a local that must not reach the log
    raise ValueError(f"kon notitie niet opslaan: {client_note}")


def _caught() -> BaseException:
    try:
        try:
            _raise_with_client_data(SECRET)
        except ValueError as exc:
            raise RuntimeError(SECRET) from exc
    except RuntimeError as exc:
        return exc
    raise AssertionError


def test_safe_report_has_types_and_frames_but_no_message():
    report = app_module.safe_report(_caught())
    assert "builtins.RuntimeError" in report and "builtins.ValueError" in report
    assert "_raise_with_client_data" in report and "_caught" in report
    assert "line " in report
    assert "Sanne" not in report and "111222333" not in report and "notitie" not in report


@pytest.fixture
def reporter(tmp_path, qtbot):
    root = logging.getLogger()
    package = logging.getLogger("liaison_desktop")
    before, levels = list(root.handlers), (root.level, package.level)
    log_file = app_module.configure_logging(tmp_path / "logs")
    rep = app_module.ErrorReporter(log_file)
    yield rep
    if rep.dialog is not None:
        rep.dialog.close()
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(levels[0])
    package.setLevel(levels[1])


def test_unexpected_error_is_logged_without_client_data_and_shown(qtbot, reporter):
    exc = _caught()
    with qtbot.waitSignal(reporter.sig_error_reported) as shown:
        reporter.handle_exception(type(exc), exc, exc.__traceback__)
    assert shown.args == ["RuntimeError"]
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert "onverwachte fout" in reporter.dialog.text()
    assert str(reporter.log_file) in reporter.dialog.informativeText()
    assert SECRET not in reporter.dialog.text() + reporter.dialog.informativeText()
    logging.getLogger().handlers[-1].flush()
    logged = reporter.log_file.read_text(encoding="utf-8")
    assert "RuntimeError" in logged and "_raise_with_client_data" in logged
    assert "Sanne" not in logged and "111222333" not in logged


def test_install_routes_uncaught_exceptions(reporter):
    previous = sys.excepthook
    reporter.install()
    try:
        assert sys.excepthook == reporter.handle_exception
    finally:
        reporter.uninstall()
    assert sys.excepthook is previous


def test_operation_errors_meant_for_the_user_show_their_message(qtbot, reporter):
    reporter.handle_operation_error(LockedError())
    assert reporter.dialog is None  # locking is not an error
    reporter.handle_operation_error(DomainError("x", "Kies een hulpvraag."))
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert reporter.dialog.text() == "Kies een hulpvraag."


def test_dark_system_gets_a_dark_palette(qapp):
    original = qapp.palette()
    try:
        app_module.apply_color_scheme(qapp, Qt.ColorScheme.Dark)
        assert app_module.is_dark(qapp.palette())
        app_module.apply_color_scheme(qapp, Qt.ColorScheme.Light)
        assert app_module.is_dark(qapp.palette()) == app_module.is_dark(original)
    finally:
        qapp.setPalette(original)


def test_create_application_sets_names_and_style(qapp):
    try:
        app = app_module.create_application()
        assert app is QApplication.instance()
        assert app.applicationName() == "Liaison Desktop"
        assert app.organizationName() == "Liaison"
        assert app.style().name().lower() == "fusion"
        assert app_module.default_data_dir().name == "Liaison Desktop"
    finally:
        i18n.uninstall(qapp)
