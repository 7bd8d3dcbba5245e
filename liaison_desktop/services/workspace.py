"""Creating and unlocking a workspace: a store plus the Services over it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from liaison_desktop.domain import model as dm
from liaison_desktop.store.paths import StorePaths

if TYPE_CHECKING:
    from liaison_desktop.services.api import Services
    from liaison_desktop.store.keys import KdfParams

# Services and Store (SQLAlchemy, SQLCipher) are imported inside the functions: asking whether
# a folder holds a store must not cost the app's start-up half a second of imports.


def exists(data_dir: Path | str) -> bool:
    """Whether the folder already holds (part of) a store."""
    return StorePaths(data_dir).exists()


def create_workspace(
    data_dir: Path | str,
    passphrase: str,
    professional_name: str,
    practices: Sequence[dm.Practice] = (),
    *,
    kdf: KdfParams | None = None,
) -> tuple[Services, str]:
    """A new encrypted store with the professional's profile; returns it and the recovery key."""
    from liaison_desktop.services.api import Services
    from liaison_desktop.store.store import Store

    store, recovery = Store.create(data_dir, passphrase, kdf=kdf)
    services = Services(store)
    services.setup_profile(professional_name, practices)
    return services, recovery


def open_workspace(data_dir: Path | str, passphrase: str) -> Services:
    """Unlock an existing store with the passphrase."""
    from liaison_desktop.services.api import Services
    from liaison_desktop.store.store import Store

    return Services(Store.unlock(data_dir, passphrase))


def open_workspace_with_recovery(data_dir: Path | str, recovery_key: str) -> Services:
    """Unlock with the recovery key; the caller must let the user choose a new passphrase."""
    from liaison_desktop.services.api import Services
    from liaison_desktop.store.store import Store

    return Services(Store.unlock_with_recovery(data_dir, recovery_key))
