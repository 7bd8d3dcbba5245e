"""The vault-key wraps on the server, and what the server's database holds: no plaintext of
any encrypted field, neither in the SQLite file nor in the PostgreSQL rows."""

from __future__ import annotations

import base64
import json
import os
import uuid

import pytest
from sqlalchemy import text

from liaison_desktop.server import accounts
from liaison_desktop.server.__main__ import main as server_main
from liaison_desktop.server.sync_models import SyncChange
from liaison_desktop.sync import fieldcrypt
from liaison_desktop.sync.protocol import Change, Role, VaultPut, WrappedKey
from liaison_desktop.sync.transport import ApiRefused
from tests.server.support import ThreadedServer
from tests.server.sync_support import admin, change, enrol, hlc, pull_all, secret

KDF = "argon2id:m=65536,t=3,p=4"


@pytest.fixture
def live(app):
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture
def org(db):
    return accounts.create_org(db, "Jeugdhulp Noord").id


@pytest.fixture
def pro(db, live, org):
    team = accounts.create_team(db, org, "Basisteam").id
    laptop = enrol(db, live.url, accounts.create_user(db, team, Role.PROFESSIONAL, "F").id)
    yield laptop
    laptop.close()


def test_vault_round_trip_with_passphrase_and_recovery_key(db, capsys, live, pro, org):
    empty = pro.api.get_vault()
    assert (empty.key_id, empty.passphrase, empty.recovery, empty.recovery_public_key) == (
        None,
        None,
        None,
        None,
    )
    pair = fieldcrypt.OrgRecoveryKeyPair.generate()
    out = admin(db, capsys, "set-recovery-key", "--org", org, "--public-key", pair.public_b64())
    assert out["recovery_public_key"] == pair.public_b64()
    published = pro.api.get_vault().recovery_public_key
    assert published == pair.public_b64()

    vault_key = fieldcrypt.new_vault_key()
    derived = os.urandom(32)  # stands in for Argon2id(passphrase, kdf_salt)
    context = f"vault:{pro.user_id}"
    by_pass = WrappedKey.from_blob(
        fieldcrypt.wrap_with_key(derived, vault_key, context=context),
        kdf=KDF,
        kdf_salt=base64.b64encode(b"s" * 16).decode(),
        context=context,
    )
    by_org = WrappedKey.from_blob(
        fieldcrypt.wrap_for_recipient(
            fieldcrypt.public_key_from_b64(published), vault_key, context=context
        ),
        context=context,
    )
    stored = pro.api.put_vault(VaultPut("key-1", by_pass, by_org))
    assert stored.key_id == "key-1" and stored.passphrase == by_pass and stored.recovery == by_org

    second = enrol(db, live.url, pro.user_id, "nieuwe laptop")
    try:
        fetched = second.api.get_vault()
        assert fetched.passphrase is not None and fetched.recovery is not None
        assert fetched.passphrase.kdf == KDF
        assert (
            fieldcrypt.unwrap_with_key(derived, fetched.passphrase.blob(), context=context)
            == vault_key
        )
        assert (
            fieldcrypt.unwrap_as_recipient(
                pair.private_key, fetched.recovery.blob(), context=context
            )
            == vault_key
        )
        # A new laptop may not replace the key the first one encrypted with.
        other = WrappedKey.from_blob(
            fieldcrypt.wrap_with_key(derived, fieldcrypt.new_vault_key(), context=context)
        )
        with pytest.raises(ApiRefused) as info:
            second.api.put_vault(VaultPut("key-2", other))
        assert info.value.status == 409 and info.value.code == "vault_conflict"
        # A new passphrase re-wraps the same key; the recovery wrap is kept.
        rewrapped = WrappedKey.from_blob(
            fieldcrypt.wrap_with_key(os.urandom(32), vault_key, context=context), kdf=KDF
        )
        after = second.api.put_vault(VaultPut("key-1", rewrapped))
        assert after.passphrase == rewrapped and after.recovery == by_org
        assert after.updated_at_ms >= stored.updated_at_ms > 0
    finally:
        second.close()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"key_id": ""},
        {"key_id": "k", "passphrase": {"alg": "x"}},
        {"key_id": "k", "passphrase": {"alg": "x", "nonce": "n", "ct": "c" * 5000}},
        [],
    ],
)
def test_bad_vault_bodies_are_422(pro, body):
    with pytest.raises(ApiRefused) as info:
        pro.api.transport.request("PUT", "/api/v1/sync/vault", body)
    assert info.value.status == 422


@pytest.mark.parametrize("key", ["", "not base64!", base64.b64encode(b"short").decode()])
def test_a_bad_recovery_key_is_refused(db, capsys, org, key):
    url = db.url.render_as_string(hide_password=False)
    code = server_main(
        ["admin", "--database-url", url, "set-recovery-key", "--org", org, "--public-key", key]
    )
    assert code == 2 and "32 bytes" in capsys.readouterr().err


def test_unknown_org_for_recovery_key(db, capsys):
    url = db.url.render_as_string(hide_password=False)
    key = fieldcrypt.OrgRecoveryKeyPair.generate().public_b64()
    code = server_main(
        ["admin", "--database-url", url, "set-recovery-key", "--org", "x", "--public-key", key]
    )
    assert code == 2


NAMES = [
    ("Mohammed", "El Amrani"),
    ("Sanne", "van der Meulen"),
    ("Daan", "Hoekstra"),
    ("Fenna", "Zijlstra"),
]
NOTE = "Moeder vertelt over slaapproblemen sinds de scheiding"
BSN = "999990019"


def test_the_database_holds_no_plaintext_of_encrypted_fields(db, backend, tmp_path, live, pro):
    key = fieldcrypt.new_vault_key()
    changes: list[Change] = []
    for first, last in NAMES:
        r = str(uuid.uuid4())
        changes += [
            secret(key, "client", r, "first_name", first),
            secret(key, "client", r, "last_name", last),
            secret(key, "client", r, "bsn", BSN),
            secret(key, "client", r, "address", "Kerkstraat 12, Sneek"),
            change("client", r, "municipality", "Súdwest-Fryslân"),
        ]
        c = str(uuid.uuid4())
        changes += [
            secret(key, "contact", c, "note", NOTE),
            change("contact", c, "duration_min", 45),
        ]
    # A laptop bug sends a name in clear: refused, and not kept in the quarantine either.
    leaked = Change(
        str(uuid.uuid4()), "guardian", str(uuid.uuid4()), "name", json.dumps("Petronella"), hlc("d")
    )
    reply = pro.api.push(pro.device_id, [*changes, leaked], batch_id="demo")
    assert reply.stored == len(changes) and [q.reason for q in reply.quarantined] == [
        "not_encrypted"
    ]
    twin = enrol(db, live.url, pro.user_id, "tweede")
    try:
        got, _ = pull_all(twin)
    finally:
        twin.close()
    assert len(got) == len(changes)
    # What comes back decrypts on the laptop, bound to its record and field.
    first = next(c for c in got if c.f == "first_name")
    assert fieldcrypt.decrypt_field(key, "client", first.r, "first_name", first.v) in dict(NAMES)

    secrets_ = [n for pair in NAMES for n in pair] + [BSN, NOTE, "Kerkstraat", "Petronella"]
    if backend == "sqlite":
        db.dispose()  # close connections so that everything is in the files
        path = db.url.database
        blob = b""
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                with open(path + suffix, "rb") as fh:
                    blob += fh.read()
        assert b"-Frysl" in blob  # sanity: the clear overview field is found
        for word in secrets_:
            for encoding in ("utf-8", "utf-16-le"):
                assert word.encode(encoding) not in blob, word
    else:
        tables = [t for t in SyncChange.metadata.sorted_tables if t.name.startswith("sync_")]
        with db.connect() as conn:
            dump = "\n".join(
                str(row[0])
                for t in tables
                for row in conn.execute(text(f"SELECT CAST(x AS text) FROM {t.name} AS x"))
            )
        assert "-Frysl" in dump  # sanity: the clear overview field is found
        for word in secrets_:
            assert word not in dump, word
