"""A revoked laptop: on its next contact the app locks and offers to wipe its local data.

Runs the real liaison-server in a subprocess; the laptop enrols with the real enrolment code.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from liaison_desktop.services import enrolment
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server.support import LiveServer
from tests.ui.conftest import all_texts, save_screenshot


def enrolled_laptop(tmp_path, server: LiveServer):
    org = server.admin("create-org", "--name", "GGD Fryslân")
    team = server.admin("create-team", "--org", org["id"], "--name", "Basisteam Noord")
    user = server.admin(
        "create-user", "--team", team["id"], "--role", "professional", "--name", "Fatima"
    )
    code = server.admin("enrolment-code", "--user", user["id"])["code"]
    data_dir = tmp_path / "laptop"
    result = enrolment.enroll(data_dir, server.url, code, PASSPHRASE, kdf=FAST_KDF)
    return data_dir, result.device_id


def unlock(qtbot, shell):
    qtbot.keyClicks(shell.unlock_page.passphrase, PASSPHRASE)
    shell.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: shell.app_lock.unlocked, timeout=20_000)


def test_revoked_laptop_locks_and_offers_to_wipe(qtbot, tmp_path, make_shell):
    # No token cache: the revocation (through the admin CLI) must bite on the very next call.
    with LiveServer(tmp_path / "server", args=["--auth-cache-seconds", "0"]) as server:
        data_dir, device_id = enrolled_laptop(tmp_path, server)

        # Still enrolled: unlocking works and stays unlocked after the device check.
        shell = make_shell(data_dir)
        unlock(qtbot, shell)
        qtbot.wait(300)
        assert shell.app_lock.unlocked

        shell.lock()
        server.admin("revoke-device", "--device", device_id)
        unlock(qtbot, shell)
        box = None

        def offered() -> bool:
            nonlocal box
            box = next((w for w in shell.findChildren(QMessageBox) if w.isVisible()), None)
            return box is not None

        qtbot.waitUntil(offered, timeout=20_000)
        assert not shell.app_lock.unlocked
        assert "ingetrokken" in all_texts(shell.unlock_page)
        save_screenshot(shell, "revoked_lock_screen")
        save_screenshot(box, "revoked_wipe_offer")

        wipe = next(b for b in box.buttons() if "wissen" in b.text().lower())
        wipe.click()
        qtbot.waitUntil(lambda: not (data_dir / "liaison.db").exists(), timeout=20_000)
        assert not (data_dir / "keys.json").exists()
        qtbot.waitUntil(lambda: shell._stack.currentWidget() is shell.setup_page, timeout=10_000)
