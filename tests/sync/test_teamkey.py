"""Agenda crypto: member key pairs, team-key wraps per member, items bound to team and id."""

from __future__ import annotations

import base64

import pytest

from liaison_desktop.sync import fieldcrypt, teamkey
from liaison_desktop.sync.teamkey import ItemContent, MemberKeyPair, TamperedItem, WrongTeamKey

TEAM, OTHER_TEAM = "team-1", "team-2"
CONTENT = ItemContent("S.V.", "Schulden bij de ouders; wie pakt dat op?", "De Linde")


def test_key_pair_round_trips_through_its_stored_text():
    pair = MemberKeyPair.generate()
    again = MemberKeyPair.from_private_b64(pair.private_b64())
    assert again.public_b64() == pair.public_b64()
    assert teamkey.is_public_key(pair.public_b64())
    assert not teamkey.is_public_key("bm90IGEga2V5")  # "not a key"
    assert not teamkey.is_public_key("%%%")
    with pytest.raises(WrongTeamKey):
        MemberKeyPair.from_private_b64("AAAA")


def test_team_key_wrapped_for_each_member_opens_only_for_that_member():
    alice, bob, eve = (MemberKeyPair.generate() for _ in range(3))
    key_id, key = teamkey.new_team_key()
    ctx = {"team_id": TEAM, "key_id": key_id}
    for_bob = teamkey.wrap_team_key(bob.public_b64(), key, user_id="bob", **ctx)
    for_alice = teamkey.wrap_team_key(alice.public_b64(), key, user_id="alice", **ctx)
    assert teamkey.unwrap_team_key(bob, for_bob, user_id="bob", **ctx) == key
    assert teamkey.unwrap_team_key(alice, for_alice, user_id="alice", **ctx) == key
    # Another member's private key, or the wrap presented for another member or team: refused.
    with pytest.raises(WrongTeamKey):
        teamkey.unwrap_team_key(eve, for_bob, user_id="bob", **ctx)
    with pytest.raises(WrongTeamKey):
        teamkey.unwrap_team_key(bob, for_bob, user_id="alice", **ctx)
    with pytest.raises(WrongTeamKey):
        teamkey.unwrap_team_key(bob, for_bob, user_id="bob", team_id=OTHER_TEAM, key_id=key_id)
    with pytest.raises(WrongTeamKey):
        teamkey.unwrap_team_key(bob, {"alg": "x"}, user_id="bob", **ctx)
    assert base64.b64decode(for_bob["ct"]) != key


def test_item_round_trip_and_every_kind_of_tampering_refused():
    key_id, key = teamkey.new_team_key()
    ct = teamkey.encrypt_item(key, team_id=TEAM, item_id="i1", key_id=key_id, content=CONTENT)
    assert ct.startswith(teamkey.ITEM_PREFIX)
    assert "Schulden" not in ct and "S.V." not in ct
    got = teamkey.decrypt_item(key, team_id=TEAM, item_id="i1", key_id=key_id, ciphertext=ct)
    assert got == CONTENT

    def refused(key=key, **kw):
        args = {"team_id": TEAM, "item_id": "i1", "key_id": key_id, "ciphertext": ct, **kw}
        with pytest.raises(TamperedItem):
            teamkey.decrypt_item(key, **args)

    refused(team_id=OTHER_TEAM)  # moved to another team
    refused(item_id="i2")  # moved to another item
    refused(key_id="other-key")
    refused(key=teamkey.new_team_key()[1])  # another team's key
    blob = bytearray(base64.b64decode(ct[3:]))
    blob[-1] ^= 1
    refused(ciphertext="a1:" + base64.b64encode(bytes(blob)).decode())
    refused(ciphertext=ct[:20])
    refused(ciphertext="e1:" + ct[3:])
    refused(ciphertext="a1:not base64!")


def test_item_content_limits():
    key_id, key = teamkey.new_team_key()
    for bad in (
        ItemContent("", "vraag"),
        ItemContent("S.V.", "   "),
        ItemContent("S.V.", "x" * (teamkey.MAX_QUESTION_CHARS + 1)),
        ItemContent("x" * (teamkey.MAX_INITIALS_CHARS + 1), "vraag"),
    ):
        with pytest.raises(ValueError):
            teamkey.encrypt_item(key, team_id=TEAM, item_id="i", key_id=key_id, content=bad)
    longest = ItemContent("S.V.", "é" * teamkey.MAX_QUESTION_CHARS, "p" * 200)
    ct = teamkey.encrypt_item(key, team_id=TEAM, item_id="i", key_id=key_id, content=longest)
    assert len(ct) <= teamkey.MAX_CIPHERTEXT_CHARS


def test_private_key_escrow_opens_only_with_the_users_vault_key():
    pair = MemberKeyPair.generate()
    vault = fieldcrypt.new_vault_key()
    escrowed = teamkey.escrow_private_key(vault, "u1", pair)
    assert pair.private_b64() not in escrowed
    assert teamkey.recover_private_key(vault, "u1", escrowed).public_b64() == pair.public_b64()
    with pytest.raises(WrongTeamKey):
        teamkey.recover_private_key(fieldcrypt.new_vault_key(), "u1", escrowed)
    with pytest.raises(WrongTeamKey):
        teamkey.recover_private_key(vault, "u2", escrowed)
