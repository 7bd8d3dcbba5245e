"""Passphrase strength estimate and the checks on a new passphrase."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison_desktop.domain.errors import DomainError
from liaison_desktop.domain.passphrase import (
    MIN_LENGTH,
    passphrase_strength,
    validate_new_passphrase,
)


def test_empty_passphrase() -> None:
    s = passphrase_strength("")
    assert s.score == 0
    assert not s.long_enough


def test_too_short_says_so_and_scores_low() -> None:
    s = passphrase_strength("Kx9#mQ2")
    assert s.hint == f"Te kort: gebruik minstens {MIN_LENGTH} tekens."
    assert s.score <= 1
    assert not s.long_enough


@pytest.mark.parametrize(
    "weak", ["aaaaaaaaaaaa", "1234567890", "wachtwoord123", "Welkom01!!", "passwordpassword"]
)
def test_weak_passphrases_score_zero_or_one(weak: str) -> None:
    s = passphrase_strength(weak)
    assert s.score <= 1
    assert s.hint.startswith("Zwak")


def test_hints_name_the_problem() -> None:
    assert "herhaalde" in passphrase_strength("aaaaaaaaaaaa").hint
    assert "bekende woorden" in passphrase_strength("wachtwoord123").hint


@pytest.mark.parametrize(
    "strong", ["paard batterij nietje correct", "Correct Paard Nietje", "vlinder-Tafel-Oktober-92"]
)
def test_strong_passphrases_score_four(strong: str) -> None:
    s = passphrase_strength(strong)
    assert s.score == 4
    assert s.hint == "Sterk."


def test_random_twelve_mixed_characters_is_good() -> None:
    assert passphrase_strength("Kx9#mQ2!vL7p").score >= 3


@given(st.text(max_size=40))
def test_strength_is_well_formed_for_any_text(p: str) -> None:
    s = passphrase_strength(p)
    assert 0 <= s.score <= 4
    assert s.bits >= 0
    assert s.hint
    assert s.long_enough == (len(p) >= MIN_LENGTH)


def test_validate_new_passphrase() -> None:
    validate_new_passphrase("lange zin met woorden", "lange zin met woorden")
    with pytest.raises(DomainError) as info:
        validate_new_passphrase("kort", "kort")
    assert info.value.code == "passphrase_too_short"
    assert info.value.field == "passphrase"
    with pytest.raises(DomainError) as info:
        validate_new_passphrase("lange zin met woorden", "lange zin met woorden!")
    assert info.value.code == "passphrase_mismatch"
    assert info.value.field == "passphrase_repeat"
    assert "woorden" not in info.value.message
