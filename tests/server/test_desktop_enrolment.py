"""The desktop side (services.enrolment) against a real HTTP server in this process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from liaison_desktop.domain.errors import DomainError
from liaison_desktop.server import accounts
from liaison_desktop.services import enrolment, workspace
from liaison_desktop.store.keychain import SERVICE
from liaison_desktop.store.keys import WrongPassphrase
from liaison_desktop.sync import transport as t
from liaison_desktop.sync.protocol import Role
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server.support import ThreadedServer


@pytest.fixture
def server(app) -> Iterator[ThreadedServer]:
    with ThreadedServer(app) as s:
        yield s


@pytest.fixture
def new_code(db):
    org = accounts.create_org(db, "Org")
    team = accounts.create_team(db, org.id, "Team")
    users: dict[str, str] = {}

    def make(name: str = "Fatima", role: Role = Role.PROFESSIONAL) -> str:
        if name not in users:
            users[name] = accounts.create_user(db, team.id, role, name).id
        return accounts.issue_enrolment_code(db, users[name]).code

    make.users = users  # type: ignore[attr-defined]
    return make


def enroll(data_dir, server, code, passphrase=PASSPHRASE, **kw):
    return enrolment.enroll(data_dir, server.url, code, passphrase, kdf=FAST_KDF, **kw)


def test_enrol_on_an_empty_folder_creates_the_store(tmp_path, server, new_code, memory_keyring, db):
    result = enroll(tmp_path / "laptop", server, new_code())
    assert result.created_store and result.recovery_key
    assert result.token_in_keychain
    assert "recovery_key" not in result.summary()
    # The token is in the (test) OS keychain, not in the store.
    stored = [v for (service, _user), v in memory_keyring.items.items() if service == SERVICE]
    assert len(stored) == 1 and stored[0].startswith("ldt_")
    services = workspace.open_workspace(tmp_path / "laptop", PASSPHRASE)
    try:
        assert services.professional().name == "Fatima"
        assert services.store.get_secret(enrolment.SECRET_DEVICE_TOKEN) is None
        assert services.store.meta(enrolment.META_SERVER_URL) == server.url
        assert enrolment.is_enrolled(services)
        me = enrolment.check_device(services)
        assert me.device_id == result.device_id
    finally:
        services.lock()


def test_without_a_keychain_the_token_goes_into_the_encrypted_store(tmp_path, server, new_code):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    result = enroll(tmp_path / "laptop", server, new_code())
    assert not result.token_in_keychain
    services = workspace.open_workspace(tmp_path / "laptop", PASSPHRASE)
    try:
        assert services.store.get_secret(enrolment.SECRET_DEVICE_TOKEN).startswith("ldt_")
    finally:
        services.lock()


def test_enrol_an_existing_store(services, data_dir, server, new_code):
    services.lock()
    result = enroll(data_dir, server, new_code())
    assert not result.created_store
    again = workspace.open_workspace(data_dir, PASSPHRASE)
    try:
        assert again.professional().name == "Fatima Jeugdprofessional"  # untouched
        assert enrolment.check_device(again).user_id == result.user_id
    finally:
        again.lock()


def test_wrong_passphrase_wastes_no_code(services, data_dir, server, new_code, db):
    services.lock()
    code = new_code()
    with pytest.raises(WrongPassphrase):
        enroll(data_dir, server, code, passphrase="niet de goede wachtwoordzin")
    assert accounts.list_devices(db) == []
    assert enroll(data_dir, server, code).device_id


def test_weak_passphrase_for_a_new_store_wastes_no_code(tmp_path, server, new_code, db):
    with pytest.raises(DomainError):
        enroll(tmp_path / "laptop", server, new_code(), passphrase="kort")
    assert accounts.list_devices(db) == [] and not workspace.exists(tmp_path / "laptop")


def test_wrong_code_creates_nothing(tmp_path, server, new_code):
    new_code()
    with pytest.raises(t.EnrolmentCodeRefused) as caught:
        enroll(tmp_path / "laptop", server, "AAAA-BBBB-CCCC")
    assert "onbekend" in caught.value.message
    assert not workspace.exists(tmp_path / "laptop")


def test_enrolling_twice_needs_replace(tmp_path, server, new_code):
    enroll(tmp_path / "laptop", server, new_code())
    with pytest.raises(enrolment.EnrolmentError, match="al aangemeld"):
        enroll(tmp_path / "laptop", server, new_code())
    assert enroll(tmp_path / "laptop", server, new_code(), replace=True).device_id


def test_code_of_another_user_is_refused_for_an_existing_store(tmp_path, server, new_code):
    enroll(tmp_path / "laptop", server, new_code("Fatima"))
    with pytest.raises(enrolment.EnrolmentError, match="andere gebruiker"):
        enroll(tmp_path / "laptop", server, new_code("Bram"), replace=True)


def test_revocation_is_detected_remembered_and_wiped(
    tmp_path, server, new_code, db, app, memory_keyring
):
    laptop = tmp_path / "laptop"
    result = enroll(laptop, server, new_code())
    (laptop / "notes-of-the-user.txt").write_text("not ours")
    accounts.revoke_device(db, result.device_id)
    app.state.token_cache.clear()
    services = workspace.open_workspace(laptop, PASSPHRASE)
    try:
        with pytest.raises(enrolment.DeviceRevokedError) as caught:
            enrolment.check_device(services)
        assert caught.value.data_dir == laptop
        assert enrolment.is_revoked(services) and not enrolment.is_enrolled(services)
        assert services.secrets.get(enrolment.SECRET_DEVICE_TOKEN) is None
    finally:
        services.lock()
    report = enrolment.wipe_local_data(laptop)
    assert {"keys.json", "liaison.db"} <= set(report.removed)
    assert report.keychain_cleared
    assert not workspace.exists(laptop)
    assert (laptop / "notes-of-the-user.txt").read_text() == "not ours"  # only our files
    assert not [k for k in memory_keyring.items if k[0] == SERVICE]
    # Re-enrolling the same folder after a wipe is a fresh start.
    assert enroll(laptop, server, new_code()).created_store


def test_wipe_removes_backups_and_makes_copies_useless(services, data_dir):
    backup = services.store.backup("test")
    db_file = data_dir / "liaison.db"
    services.lock()
    copy = data_dir.parent / "stolen-copy.db"
    copy.write_bytes(db_file.read_bytes())
    report = enrolment.wipe_local_data(data_dir)
    assert backup.name in report.removed
    assert not data_dir.exists()
    # Without keys.json the copy cannot be opened: the data is crypto-erased.
    assert copy.exists() and not workspace.exists(data_dir)


def test_wipe_of_an_empty_or_missing_folder_is_harmless(tmp_path):
    assert enrolment.wipe_local_data(tmp_path / "nothing").removed == ()


def test_not_enrolled(services):
    with pytest.raises(enrolment.NotEnrolled):
        enrolment.server_client(services)


def test_offline_is_a_transport_error_not_a_revocation(tmp_path, server, new_code):
    laptop = tmp_path / "laptop"
    enroll(laptop, server, new_code())
    server.__exit__()
    services = workspace.open_workspace(laptop, PASSPHRASE)
    try:
        with pytest.raises(t.ServerUnreachable):
            enrolment.check_device(services)
        assert not enrolment.is_revoked(services)
    finally:
        services.lock()


def test_read_ca_file_refuses_non_pem(tmp_path):
    bad = tmp_path / "ca.txt"
    bad.write_text("hello")
    with pytest.raises(enrolment.EnrolmentError):
        enrolment.read_ca_file(bad)
    with pytest.raises(enrolment.EnrolmentError):
        enrolment.read_ca_file(tmp_path / "missing.pem")
