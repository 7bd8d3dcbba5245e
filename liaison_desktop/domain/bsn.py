"""The citizen service number (BSN): optional, but when given it must pass the 11-check."""

from __future__ import annotations

from stdnum.nl import bsn as _stdnum_bsn

from liaison_desktop.domain.errors import DomainError

_SEPARATORS = str.maketrans("", "", " .-\t")


def normalize_bsn(value: str | None) -> str | None:
    """Strip spaces, dots and dashes from ``value``; ``None`` when nothing is left."""
    if value is None:
        return None
    compact = value.translate(_SEPARATORS)
    return compact or None


def is_valid_bsn(value: str) -> bool:
    """True when ``value`` (separators allowed) is a BSN of 9 digits that passes the 11-check."""
    compact = normalize_bsn(value)
    return compact is not None and _stdnum_bsn.is_valid(compact)


def validate_bsn(value: str | None) -> str | None:
    """Return the BSN in its stored form (9 digits), ``None`` when empty.

    Raises DomainError ``bsn_invalid`` (field ``bsn``) when the number is not a valid BSN.
    The message never repeats the number itself.
    """
    compact = normalize_bsn(value)
    if compact is None:
        return None
    if not compact.isdigit() or len(compact) not in (8, 9):
        raise DomainError(
            "bsn_invalid",
            "Een BSN bestaat uit 9 cijfers. Controleer het nummer of laat het veld leeg.",
            field="bsn",
        )
    if not _stdnum_bsn.is_valid(compact):
        raise DomainError(
            "bsn_invalid",
            "Dit BSN klopt niet: het voldoet niet aan de elfproef. "
            "Waarschijnlijk is er een cijfer verkeerd overgenomen; controleer het nummer.",
            field="bsn",
        )
    return _stdnum_bsn.compact(compact)
