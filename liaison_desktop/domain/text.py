"""Text folding for search: the same rule for the store's search key and the caseload filter."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free text (é -> e, ij stays ij)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_key(*parts: str | None) -> str:
    """The folded, space-joined parts (name, BSN) that search-as-you-type matches against."""
    return fold(" ".join(p for p in parts if p))
