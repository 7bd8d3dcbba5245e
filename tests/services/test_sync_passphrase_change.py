"""A changed passphrase reaches the server's vault wrap at the next sync, so a new laptop of the
same user is set up with the new passphrase (and no longer with the old one)."""

from __future__ import annotations

import pytest

from liaison_desktop.services import sync as syncsvc
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server.conftest import (  # noqa: F401 - fixtures
    app,
    backend,
    db,
    pg_database,
    pg_url,
    settings,
    sqlite_template,
)
from tests.server.support import ThreadedServer
from tests.services.sync_helpers import add_family, add_practice, client_of, laptop, new_user, sync

NEW_PASSPHRASE = "een heel andere zin voor de nieuwe laptop"


@pytest.fixture
def live(app):  # noqa: F811
    with ThreadedServer(app) as server:
        yield server


def test_a_new_laptop_unlocks_the_vault_with_the_new_passphrase(tmp_path, db, live):  # noqa: F811
    from liaison_desktop.server import accounts
    from liaison_desktop.services import enrolment, workspace

    user = new_user(db)
    a = laptop(tmp_path, db, live.url, user, "a")
    try:
        practice = add_practice(a)
        add_family(a, practice)
        sync(a)
        key = syncsvc.local_vault_key(a)
        assert key is not None

        a.change_passphrase(NEW_PASSPHRASE)
        with client_of(a) as c:  # not sent yet: the old passphrase still opens it
            assert syncsvc.unwrap_vault(c.get_vault(), PASSPHRASE) == key
        with client_of(a) as c:
            syncsvc.sync_once(a, c, prefetch=False)  # the background sync has no passphrase
            vault = c.get_vault()
        assert syncsvc.unwrap_vault(vault, NEW_PASSPHRASE) == key
        with pytest.raises(syncsvc.SyncError):
            syncsvc.unwrap_vault(vault, PASSPHRASE)
        assert not a.store.meta(syncsvc.META_VAULT_PASSPHRASE_PENDING)
    finally:
        a.lock()

    # A second laptop: enrolled into an empty folder with the new passphrase, filled by sync.
    code = accounts.issue_enrolment_code(db, user).code
    b_dir = tmp_path / "b"
    enrolment.enroll(b_dir, live.url, code, NEW_PASSPHRASE, kdf=FAST_KDF, device_name="b")
    b = workspace.open_workspace(b_dir, NEW_PASSPHRASE)
    try:
        with client_of(b) as c:
            syncsvc.sync_once(b, c, passphrase=NEW_PASSPHRASE, vault_kdf=FAST_KDF, prefetch=False)
        assert syncsvc.local_vault_key(b) == key
        assert [r.client_name for r in b.caseload()] == ["Sanne Visser"]
    finally:
        b.lock()

    # The old passphrase no longer opens the vault on a new laptop.
    code = accounts.issue_enrolment_code(db, user).code
    enrolment.enroll(tmp_path / "c", live.url, code, PASSPHRASE, kdf=FAST_KDF, device_name="c")
    c_sv = workspace.open_workspace(tmp_path / "c", PASSPHRASE)
    try:
        with client_of(c_sv) as c, pytest.raises(syncsvc.SyncError):
            syncsvc.sync_once(c_sv, c, passphrase=PASSPHRASE, vault_kdf=FAST_KDF, prefetch=False)
        assert syncsvc.local_vault_key(c_sv) is None and c_sv.caseload() == []
    finally:
        c_sv.lock()


def test_without_a_vault_key_there_is_nothing_to_rewrap(services):
    assert syncsvc.rewrap_vault_for_passphrase(services, NEW_PASSPHRASE) is False
    services.change_passphrase(NEW_PASSPHRASE)  # an offline-only laptop: just the store
    assert not services.store.meta(syncsvc.META_VAULT_PASSPHRASE_PENDING)
