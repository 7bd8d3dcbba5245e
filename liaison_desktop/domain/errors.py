"""Errors raised by domain rules: a stable code, the field, and a Dutch message without client data."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an input.

    ``code`` is stable (the UI maps it to a translated text), ``field`` names the input field
    the message belongs next to (or ``None``), and ``message`` is a Dutch sentence a
    professional understands. Messages never contain a client's name, BSN or note text.
    """

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message


class ValidationError(DomainError):
    """One or more fields are invalid; ``errors`` holds one DomainError per field."""

    def __init__(self, errors: list[DomainError]) -> None:
        first = errors[0]
        super().__init__(first.code, first.message, first.field)
        self.errors = errors

    @property
    def by_field(self) -> dict[str | None, list[str]]:
        out: dict[str | None, list[str]] = {}
        for e in self.errors:
            out.setdefault(e.field, []).append(e.message)
        return out


class TransitionError(DomainError):
    """A trajectory status change that the rules do not allow."""
