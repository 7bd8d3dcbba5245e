"""Server settings: defaults, overridden by LIAISON_SERVER_* environment variables, then flags."""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "LIAISON_SERVER_"
DB_FILE_NAME = "liaison-server.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8470


def default_data_dir() -> Path:
    """Where the embedded database lives when no --data-dir is given (per platform)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "LiaisonServer"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Liaison Server"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "liaison-server"


def normalise_database_url(url: str) -> str:
    """Accept the common spellings of a PostgreSQL URL and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class SettingsError(ValueError):
    """A setting has a value the server cannot use (message is Dutch)."""


@dataclass(frozen=True)
class Settings:
    """Everything the server and the admin command line need to know.

    Every field can be set as ``LIAISON_SERVER_<FIELD>`` (upper case) in the environment, so a
    database password need not appear on a command line.
    """

    data_dir: Path = dataclasses.field(default_factory=default_data_dir)
    database_url: str | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    tls_cert: Path | None = None
    tls_key: Path | None = None
    log_level: str = "INFO"
    access_log: bool = True
    max_body_mb: float = 16.0
    """Requests with a larger body are refused with 413."""
    auth_cache_seconds: float = 5.0
    """How long a verified token is trusted without asking the database. A revocation made
    by another process (the admin command line) takes effect within this time; one made
    through the API takes effect at once. 0 disables the cache."""
    token_days: int = 365
    """Lifetime of a device token; the device must be enrolled again afterwards."""
    enrolment_code_hours: float = 24.0
    enrol_max_failures: int = 5
    """Failed enrolment attempts per client address within the window before 429."""
    enrol_window_seconds: float = 900.0
    overview_threshold: int = 5
    """Small-cell suppression in the team overviews: counts below this are shown as "<5"."""

    def __post_init__(self) -> None:
        for name in ("data_dir", "tls_cert", "tls_key"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))

    @property
    def max_body_bytes(self) -> int:
        return int(self.max_body_mb * 1024 * 1024)

    @property
    def resolved_database_url(self) -> str:
        """The database URL; without one, SQLite in the data directory."""
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite+pysqlite:///{self.data_dir / DB_FILE_NAME}"

    @property
    def uses_embedded_database(self) -> bool:
        return not self.database_url

    def check(self) -> Settings:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise SettingsError("Geef --tls-cert en --tls-key allebei op, of geen van beide.")
        for label, path in (("certificaat", self.tls_cert), ("sleutel", self.tls_key)):
            if path is not None and not Path(path).is_file():
                raise SettingsError(f"Het TLS-{label}bestand {path} bestaat niet.")
        if not 0 < self.port < 65536:
            raise SettingsError(f"Ongeldige poort {self.port}.")
        if self.overview_threshold < 2:
            raise SettingsError("De drempel voor kleine aantallen moet minstens 2 zijn.")
        if self.max_body_mb <= 0 or self.auth_cache_seconds < 0 or self.token_days <= 0:
            raise SettingsError("Limieten en geldigheidsduren moeten positief zijn.")
        url = self.resolved_database_url
        if not (url.startswith("sqlite") or url.startswith("postgresql+psycopg")):
            raise SettingsError(
                "Alleen SQLite (standaard) en PostgreSQL (postgresql+psycopg://...) worden "
                "ondersteund."
            )
        return self

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults < environment < ``overrides`` (flags that were given; None means not given)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _convert(f.name, raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _convert(name: str, raw: str, hint: Any) -> Any:
    hint = str(hint)
    try:
        if hint.startswith("Path"):
            return Path(raw)
        if hint == "int":
            return int(raw)
        if hint == "float":
            return float(raw)
        if hint == "bool":
            return raw.strip().lower() in ("1", "true", "yes", "ja", "on")
    except ValueError:
        raise SettingsError(f"{ENV_PREFIX}{name.upper()} heeft een ongeldige waarde.") from None
    return raw
