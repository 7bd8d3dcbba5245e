"""Shared fixtures: throw-away encrypted stores in tmp_path, an in-memory keychain, offscreen Qt."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import keyring
import keyring.backend
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from liaison_desktop.domain import model as dm  # noqa: E402
from liaison_desktop.services import workspace  # noqa: E402
from liaison_desktop.store.keys import KdfParams  # noqa: E402

# Small Argon2id parameters keep tests fast; one test checks the production defaults.
FAST_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "paarse olifant fietst langzaam"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keychain for tests (the machine has no OS keychain)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring():
    previous = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(previous)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def practices() -> list[dm.Practice]:
    return [
        dm.Practice(name="Huisartsenpraktijk De Linde", municipality="Leeuwarden"),
        dm.Practice(name="Praktijk Het Wad", municipality="Noardeast-Fryslân"),
    ]


@pytest.fixture
def services(data_dir: Path, practices: list[dm.Practice]):
    sv, _recovery = workspace.create_workspace(
        data_dir, PASSPHRASE, "Fatima Jeugdprofessional", practices, kdf=FAST_KDF
    )
    sv.today = lambda: date(2026, 11, 22)
    yield sv
    sv.lock()
