"""Provisioning in the UI: locked settings greyed out with an explanation, IT's values applied,
the non-modal update notice against a real server, and nothing at all without provisioning."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from liaison_desktop import bootstrap
from liaison_desktop.services import provisioning
from liaison_desktop.sync import signing
from liaison_desktop.ui.lock import IDLE_MINUTES_KEY
from liaison_desktop.ui.shell import Page, SettingsDialog
from liaison_desktop.ui.updates import (
    UpdateNotice,
    apply_provisioned_settings,
    install_update_check,
)
from tests.server.support import LiveServer
from tests.ui.conftest import save_screenshot

KEY = signing.generate_private_key()


def prov(tmp_path: Path, values: dict) -> provisioning.Provisioning:
    path = tmp_path / "provisioning.json"
    path.write_text(json.dumps(values))
    p = provisioning.load(path)
    assert p.problems == ()
    return p


def test_locked_values_are_enforced_and_unlocked_ones_only_default(ui_settings, tmp_path) -> None:
    ui_settings.setValue(IDLE_MINUTES_KEY, 15)
    ui_settings.setValue("ui/language", "en")
    p = prov(
        tmp_path, {"settings": {"idle_minutes": 3, "language": "nl"}, "locked": ["idle_minutes"]}
    )
    changed = apply_provisioned_settings(ui_settings, p)
    assert changed == [IDLE_MINUTES_KEY]
    assert int(ui_settings.value(IDLE_MINUTES_KEY)) == 3  # locked: IT's value wins
    assert ui_settings.value("ui/language") == "en"  # not locked: the user's choice stays
    ui_settings.remove("ui/language")
    apply_provisioned_settings(ui_settings, p)
    assert ui_settings.value("ui/language") == "nl"  # but IT's value is the first default


def test_locked_settings_are_shown_disabled_with_an_explanation(
    qtbot, ui_settings, tmp_path
) -> None:
    p = prov(
        tmp_path,
        {
            "organisation": "Gemeente Voorbeeld",
            "settings": {"idle_minutes": 3},
            "locked": ["idle_minutes"],
        },
    )
    apply_provisioned_settings(ui_settings, p)
    dialog = SettingsDialog(ui_settings, None, provisioning=p)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.idle_spin.value() == 3
    assert not dialog.idle_spin.isEnabled() and dialog.language_combo.isEnabled()
    assert dialog.locked_note.isVisible()
    assert "Gemeente Voorbeeld" in dialog.locked_note.text()
    assert dialog.idle_spin.toolTip()
    save_screenshot(dialog, "settings-locked-by-it")
    dialog.idle_spin.setValue(20)  # programmatic change of a disabled widget: not saved
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.save()
    assert int(ui_settings.value(IDLE_MINUTES_KEY)) == 3
    assert ui_settings.value("ui/language") == "en"


def test_without_provisioning_the_dialog_has_no_locks(qtbot, ui_settings) -> None:
    dialog = SettingsDialog(ui_settings, None, provisioning=provisioning.Provisioning())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.idle_spin.isEnabled() and dialog.language_combo.isEnabled()
    assert not dialog.locked_note.isVisible()


def test_without_any_config_the_app_stays_offline(qapp, qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(provisioning.ENV_FILE, str(tmp_path / "absent.json"))
    provisioning.current.cache_clear()
    try:
        assert bootstrap._apply_provisioning(qapp) is None
        window = QMainWindow()
        qtbot.addWidget(window)
        assert install_update_check(window, provisioning.current()) is None
    finally:
        provisioning.current.cache_clear()


# -- the update notice, against the real server ------------------------------------------


@pytest.fixture
def server(tmp_path: Path):
    with LiveServer(tmp_path / "server") as srv:
        yield srv


@pytest.fixture
def files(tmp_path: Path):
    folder = tmp_path / "www"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(folder), **kw)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def publish(server, tmp_path, version, url, data, key=KEY) -> None:
    art = signing.Artifact(
        signing.current_platform(), url, len(data), hashlib.sha256(data).hexdigest()
    )
    payload = signing.build_manifest_payload(version, datetime.now(UTC) + timedelta(days=1), [art])
    path = tmp_path / f"m-{version}.json"
    path.write_bytes(signing.sign_manifest(payload, key))
    server.admin("publish-update", "--manifest", str(path))


def notice_for(qtbot, server, tmp_path, settings=None) -> tuple[QMainWindow, UpdateNotice]:
    p = prov(tmp_path, {"server_url": server.url, "update_public_key": signing.public_key_b64(KEY)})
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(900, 200)
    settings = settings or QSettings(str(tmp_path / "notice.ini"), QSettings.Format.IniFormat)
    notice = install_update_check(window, p, delay_ms=60_000, settings=settings)
    assert notice is not None
    window.show()
    return window, notice


def test_newer_build_is_offered_downloaded_and_checked(
    qtbot, server, files, tmp_path, monkeypatch
) -> None:
    folder, base = files
    data = b"build 9 " * 1000
    (folder / "ld.tar.gz").write_bytes(data)
    publish(server, tmp_path, "9.0.0", f"{base}/ld.tar.gz", data)
    downloads = tmp_path / "Downloads"
    monkeypatch.setattr(
        "liaison_desktop.ui.updates.QStandardPaths.writableLocation", lambda _loc: str(downloads)
    )
    window, notice = notice_for(qtbot, server, tmp_path)
    with qtbot.waitSignal(notice.sig_finished, timeout=15_000):
        notice.start_check()
    assert notice.isVisible() and "9.0.0" in notice.label.text()
    assert notice.download_button.isVisible()
    save_screenshot(window, "update-notice-offer")
    with qtbot.waitSignal(notice.sig_finished, timeout=15_000):
        notice.download_button.click()
    assert (downloads / "ld.tar.gz").read_bytes() == data
    assert "gecontroleerd" in notice.label.text() and not notice.download_button.isVisible()


def test_swapped_download_is_refused(qtbot, server, files, tmp_path, monkeypatch) -> None:
    folder, base = files
    data = b"build 9 " * 1000
    publish(server, tmp_path, "9.0.0", f"{base}/ld.tar.gz", data)
    (folder / "ld.tar.gz").write_bytes(data[:-1] + b"!")
    downloads = tmp_path / "Downloads"
    monkeypatch.setattr(
        "liaison_desktop.ui.updates.QStandardPaths.writableLocation", lambda _loc: str(downloads)
    )
    _window, notice = notice_for(qtbot, server, tmp_path)
    with qtbot.waitSignal(notice.sig_finished, timeout=15_000):
        notice.start_check()
    with qtbot.waitSignal(notice.sig_finished, timeout=15_000):
        notice.download_button.click()
    assert "geweigerd" in notice.label.text()
    assert not any(downloads.iterdir())


def test_rolled_back_manifest_is_not_offered_but_explained(qtbot, server, tmp_path) -> None:
    publish(server, tmp_path, "0.0.1", "https://u.example.nl/x", b"old")
    _window, notice = notice_for(qtbot, server, tmp_path)
    with qtbot.waitSignal(notice.sig_finished, timeout=15_000):
        notice.start_check()
    assert notice.isVisible() and not notice.download_button.isVisible()
    assert "geweigerd" in notice.label.text() and "0.0.1" in notice.label.text()


def test_nothing_published_or_offline_shows_nothing(qtbot, server, tmp_path) -> None:
    _window, notice = notice_for(qtbot, server, tmp_path)
    with qtbot.waitSignal(notice.sig_finished, timeout=15_000):
        notice.start_check()
    assert not notice.isVisible()
    server.stop()
    with qtbot.waitSignal(notice.sig_finished, timeout=30_000):
        notice.start_check()
    assert not notice.isVisible() and notice.check is not None and notice.check.unreachable


def test_notice_in_the_real_window(qtbot, server, make_shell, store_with_clients, tmp_path) -> None:
    publish(server, tmp_path, "9.1.0", "https://u.example.nl/ld.tar.gz", b"x" * 100)
    p = prov(tmp_path, {"server_url": server.url, "update_public_key": signing.public_key_b64(KEY)})
    shell = make_shell(store_with_clients.data_dir)
    shell.start()
    notice = install_update_check(shell, p, delay_ms=60_000, settings=shell._settings)
    assert notice is not None
    with qtbot.waitSignal(notice.sig_finished, timeout=15_000):
        notice.start_check()
    assert notice.isVisible() and "9.1.0" in notice.label.text()
    assert shell.page is Page.UNLOCK  # non-modal: the unlock screen stays usable
    assert shell.unlock_page.passphrase.isEnabled()
    save_screenshot(shell, "update-notice-unlock-screen")


def test_an_older_manifest_after_a_newer_one_is_refused(
    qtbot, server, tmp_path, ui_settings
) -> None:
    publish(server, tmp_path, "9.2.0", "https://u.example.nl/x", b"new")
    _window, notice = notice_for(qtbot, server, tmp_path, ui_settings)
    with qtbot.waitSignal(notice.sig_finished, timeout=15_000):
        notice.start_check()
    assert notice.check.offer is not None
    assert ui_settings.value("updates/highest_seen_version") == "9.2.0"
    # The server (or someone in between) serves an older manifest, still validly signed.
    publish(server, tmp_path, "9.1.0", "https://u.example.nl/x", b"older")
    with qtbot.waitSignal(notice.sig_finished, timeout=15_000):
        notice.start_check()
    assert notice.check.offer is None and "9.2.0" in (notice.check.refused or "")
