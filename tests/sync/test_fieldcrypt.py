"""Field encryption: bound to record and field; vault key wrapping for passphrase and organisation."""

from __future__ import annotations

import pytest

from liaison_desktop.sync import fieldcrypt as fc


def test_round_trip_and_no_plaintext():
    key = fc.new_vault_key()
    token = fc.encrypt_field(key, "client", "rec-1", "last_name", "Bakker")
    assert "Bakker" not in token and token.startswith("e1:")
    assert fc.decrypt_field(key, "client", "rec-1", "last_name", token) == "Bakker"
    # Same value twice gives different ciphertexts (random nonce): no equality leaks.
    assert token != fc.encrypt_field(key, "client", "rec-1", "last_name", "Bakker")


@pytest.mark.parametrize(
    "where",
    [
        ("client", "rec-2", "last_name"),
        ("client", "rec-1", "first_name"),
        ("guardian", "rec-1", "last_name"),
    ],
)
def test_ciphertext_moved_to_another_record_or_field_is_refused(where):
    key = fc.new_vault_key()
    token = fc.encrypt_field(key, "client", "rec-1", "last_name", "Bakker")
    with pytest.raises(fc.TamperedValue):
        fc.decrypt_field(key, *where, token)


def test_tampered_or_garbled_ciphertext_is_refused():
    key = fc.new_vault_key()
    token = fc.encrypt_field(key, "contact", "c1", "note", "Gesprek over school")
    flipped = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    for bad in (flipped, token[:-10], "e1:!!!", "plain text", ""):
        with pytest.raises(fc.TamperedValue) as err:
            fc.decrypt_field(key, "contact", "c1", "note", bad)
        assert "Gesprek" not in str(err.value)


def test_wrong_key_is_refused():
    token = fc.encrypt_field(fc.new_vault_key(), "client", "r", "bsn", "111222333")
    with pytest.raises(fc.TamperedValue):
        fc.decrypt_field(fc.new_vault_key(), "client", "r", "bsn", token)


def test_vault_key_wrapped_by_passphrase_key_and_by_organisation():
    vault = fc.new_vault_key()
    passphrase_key = b"k" * 32
    blob = fc.wrap_with_key(passphrase_key, vault, context="user-1")
    assert fc.unwrap_with_key(passphrase_key, blob, context="user-1") == vault
    with pytest.raises(fc.WrongWrappingKey):
        fc.unwrap_with_key(b"x" * 32, blob, context="user-1")
    with pytest.raises(fc.WrongWrappingKey):
        fc.unwrap_with_key(passphrase_key, blob, context="user-2")

    org = fc.OrgRecoveryKeyPair.generate()
    sealed = fc.wrap_for_recipient(
        fc.public_key_from_b64(org.public_b64()), vault, context="user-1"
    )
    assert fc.unwrap_as_recipient(org.private_key, sealed, context="user-1") == vault
    with pytest.raises(fc.WrongWrappingKey):
        fc.unwrap_as_recipient(
            fc.OrgRecoveryKeyPair.generate().private_key, sealed, context="user-1"
        )


def test_overview_fields_are_not_encrypted_and_identity_fields_are():
    assert fc.is_encrypted_field("client", "bsn")
    assert fc.is_encrypted_field("contact", "note")
    assert not fc.is_encrypted_field("trajectory", "status")
    assert not fc.is_encrypted_field("client", "municipality")
