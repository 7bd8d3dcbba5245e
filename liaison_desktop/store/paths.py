"""Where a store's files live in its data folder; no SQLAlchemy, so start-up checks stay cheap."""

from __future__ import annotations

from pathlib import Path

DB_NAME = "liaison.db"
KEYS_NAME = "keys.json"
BACKUP_DIR = "backups"


class StorePaths:
    """Where a store's files live inside its data folder."""

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.db = self.data_dir / DB_NAME
        self.keys = self.data_dir / KEYS_NAME
        self.backups = self.data_dir / BACKUP_DIR

    def exists(self) -> bool:
        return self.keys.exists() or self.db.exists()


__all__ = ["BACKUP_DIR", "DB_NAME", "KEYS_NAME", "StorePaths"]
