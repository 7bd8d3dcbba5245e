"""Errors of the local store; messages are Dutch, name the file, and never carry client data."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class for every store problem the user may have to act on."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class StoreMissingError(StoreError):
    """The data folder holds no store (or only part of one)."""


class StoreNotOursError(StoreError):
    """The file is not a Liaison store (plain SQLite, another program's file, other keys)."""


class StoreCorruptError(StoreError):
    """The file is truncated or tampered with; it is left untouched."""


class StoreExistsError(StoreError):
    """A store already exists where a new one was to be created."""


class StoreLockedError(StoreError):
    """The store is locked: the key has been dropped from memory."""
