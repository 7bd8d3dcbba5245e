"""A rough strength estimate for the passphrase that protects the local store."""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

from liaison_desktop.domain.errors import DomainError

MIN_LENGTH = 10

# Guessed first by any attacker; a hit is worth only a few bits, not its length.
COMMON_WORDS = frozenset(
    {
        # Dutch
        "wachtwoord", "welkom", "geheim", "hallo", "liefde", "schatje", "voetbal",
        "zomer", "winter", "lente", "herfst", "nederland", "holland", "amsterdam",
        "rotterdam", "ajax", "feyenoord", "huisarts", "praktijk", "jeugd", "gezin",
        "maandag", "vrijdag", "januari", "december", "konijn", "prinses", "azerty",
        # English
        "password", "welcome", "secret", "hello", "love", "iloveyou", "letmein",
        "monkey", "dragon", "football", "sunshine", "princess", "master", "shadow",
        "admin", "qwerty", "test", "abc", "summer",
        # digit runs
        "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "0000",
    }
)  # fmt: skip

_WORD_BITS = 10.0  # a common word costs an attacker about one dictionary lookup
_WEAK_CHAR_WEIGHT = 0.25  # a repeated or sequential character adds little
_SCORE_BITS = (30, 45, 60, 80)  # lower bounds in bits for scores 1..4
_WORDS_LONGEST_FIRST = sorted(COMMON_WORDS, key=len, reverse=True)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_TOO_SHORT = f"Te kort: gebruik minstens {MIN_LENGTH} tekens."


@dataclass(frozen=True, slots=True)
class PassphraseStrength:
    """Score 0 (very weak) to 4 (strong), a Dutch hint, and the estimate in bits.

    ``long_enough`` tells whether validate_new_passphrase accepts the length; the score is
    advice only.
    """

    score: int
    hint: str
    bits: float
    long_enough: bool


def _pool_size(chars: str) -> int:
    classes = (
        (string.ascii_lowercase, 26),
        (string.ascii_uppercase, 26),
        (string.digits, 10),
        (" ", 1),
        (string.punctuation, len(string.punctuation)),
    )
    pool = sum(size for members, size in classes if any(c in members for c in chars))
    if any(not c.isascii() for c in chars):
        pool += 64
    return max(pool, 1)


def _mask_common_words(text: str) -> tuple[list[str | None], int]:
    """The characters of ``text`` with common words (longest first) masked as None, and their count."""
    lowered = text.translate(_ASCII_LOWER)  # keeps the length, unlike str.lower()
    covered = [False] * len(text)
    found = 0
    for word in _WORDS_LONGEST_FIRST:
        start = lowered.find(word)
        while start != -1:
            end = start + len(word)
            if not any(covered[start:end]):
                covered[start:end] = [True] * len(word)
                found += 1
            start = lowered.find(word, start + 1)
    return [None if cov else c for c, cov in zip(text, covered, strict=True)], found


def _char_bits(chars: list[str | None]) -> tuple[float, float]:
    """Bits for the unmasked characters, and the share of repeated or sequential ones."""
    kept = "".join(c for c in chars if c is not None)
    if not kept:
        return 0.0, 0.0
    weight = 0.0
    weak = 0
    prev: str | None = None
    for c in chars:
        if c is not None and prev is not None and abs(ord(c) - ord(prev)) <= 1:
            weak += 1
            weight += _WEAK_CHAR_WEIGHT
        elif c is not None:
            weight += 1
        prev = c
    return weight * math.log2(_pool_size(kept)), weak / len(kept)


def passphrase_strength(p: str) -> PassphraseStrength:
    """Estimate the strength of ``p`` from its length, character classes, repeats and words."""
    long_enough = len(p) >= MIN_LENGTH
    if not p:
        return PassphraseStrength(0, "Kies een wachtwoordzin.", 0.0, False)
    chars, words = _mask_common_words(p)
    char_bits, weak_share = _char_bits(chars)
    bits = char_bits + words * _WORD_BITS
    score = sum(bits >= b for b in _SCORE_BITS)
    if not long_enough:
        return PassphraseStrength(min(score, 1), _TOO_SHORT, bits, False)
    if score == 4:
        hint = "Sterk."
    elif score == 3:
        hint = "Goed."
    else:
        if weak_share > 0.3:
            advice = "vermijd herhaalde tekens en reeksen zoals 'aaa' of 'abc'"
        elif words:
            advice = "vermijd bekende woorden zoals 'wachtwoord', 'welkom' of '1234'"
        else:
            advice = "maak de zin langer, bijvoorbeeld met een paar losse woorden"
        hint = f"{'Redelijk' if score == 2 else 'Zwak'}: {advice}."
    return PassphraseStrength(score, hint, bits, True)


def validate_new_passphrase(p: str, repeat: str) -> None:
    """Refuse a new passphrase that is too short or differs from its repetition (DomainError)."""
    if len(p) < MIN_LENGTH:
        raise DomainError("passphrase_too_short", _TOO_SHORT, field="passphrase")
    if p != repeat:
        raise DomainError(
            "passphrase_mismatch",
            "De twee wachtwoordzinnen zijn niet gelijk. Typ de zin nog eens.",
            field="passphrase_repeat",
        )
