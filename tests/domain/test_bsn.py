"""BSN: optional, and when given it passes the 11-check."""

from __future__ import annotations

import pytest

from liaison_desktop.domain.bsn import is_valid_bsn, normalize_bsn, validate_bsn
from liaison_desktop.domain.errors import DomainError


@pytest.mark.parametrize("value", ["111222333", "123456782", "1234.56.782", " 123 456 782 "])
def test_valid_bsns(value: str) -> None:
    assert is_valid_bsn(value)
    assert validate_bsn(value) in {"111222333", "123456782"}


@pytest.mark.parametrize("value", ["123456789", "000000000", "12345678a", "1234567", "", "   "])
def test_invalid_bsns(value: str) -> None:
    assert not is_valid_bsn(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("123.456.782", "123456782"), (" 111 222 333 ", "111222333"), ("", None), (" . ", None)],
)
def test_normalize_bsn(value: str, expected: str | None) -> None:
    assert normalize_bsn(value) == expected
    assert normalize_bsn(None) is None


def test_empty_bsn_is_allowed() -> None:
    assert validate_bsn(None) is None
    assert validate_bsn("") is None
    assert validate_bsn("  ") is None


@pytest.mark.parametrize("value", ["123456789", "123.456.789", "12345", "abcdefghi"])
def test_validate_bsn_refuses_without_echoing_the_number(value: str) -> None:
    with pytest.raises(DomainError) as info:
        validate_bsn(value)
    assert info.value.code == "bsn_invalid"
    assert info.value.field == "bsn"
    assert "123" not in info.value.message
    assert value not in str(info.value)


def test_failed_11_check_is_explained() -> None:
    with pytest.raises(DomainError) as info:
        validate_bsn("123456789")
    assert "elfproef" in info.value.message
