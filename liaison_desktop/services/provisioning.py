"""Settings IT presets for every user of a laptop: server, organisation, CA, update key, locks.

Read-only for the app, from one system-wide place (writable only by administrators):

* Linux ``/etc/liaison-desktop/provisioning.json``
* Windows ``%ProgramData%\\LiaisonDesktop\\provisioning.json``, and the registry policy
  ``HKLM\\Software\\Policies\\LiaisonDesktop`` (Group Policy / Intune), which wins per value
* macOS ``/Library/Application Support/LiaisonDesktop/provisioning.json``

``LIAISON_PROVISIONING_FILE`` points elsewhere (tests, a trial); ``LIAISON_PROVISIONING_FILE=``
(empty) turns provisioning off. Without any of these the app runs fully offline with its own
defaults. A broken file never stops the app: each bad value is left out and named (not its
content) in :attr:`Provisioning.problems`, which the UI shows and the log records.

Format (every key optional)::

    {
      "server_url": "https://liaison.gemeente.nl",
      "organisation": "Gemeente Voorbeeld",
      "ca_file": "/etc/liaison-desktop/ca.pem",         # or "ca_pem": "-----BEGIN ..."
      "update_public_key": "<base64 of the Ed25519 key, or PEM>",
      "update_check": true,
      "settings": {"idle_minutes": 5, "language": "nl"},
      "locked": ["server_url", "idle_minutes", "language"]
    }

Any thread; the result is immutable.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import os
import sys
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ENV_FILE = "LIAISON_PROVISIONING_FILE"
FILE_NAME = "provisioning.json"
REGISTRY_KEY = r"Software\Policies\LiaisonDesktop"
MAX_FILE_BYTES = 64 * 1024
MAX_CA_BYTES = 256 * 1024

SETTING_KEYS = {"idle_minutes": int, "language": str}
"""User settings IT may preset (and lock): the keys of the settings dialog."""
LOCKABLE = frozenset({"server_url", "update_check", *SETTING_KEYS})
_TOP_KEYS = frozenset(
    {
        "server_url",
        "organisation",
        "ca_file",
        "ca_pem",
        "update_public_key",
        "update_check",
        "settings",
        "locked",
    }
)
# Registry value name -> provisioning key (REG_SZ, REG_DWORD, REG_MULTI_SZ for Locked).
REGISTRY_VALUES = {
    "ServerUrl": "server_url",
    "Organisation": "organisation",
    "CaFile": "ca_file",
    "UpdatePublicKey": "update_public_key",
    "UpdateCheck": "update_check",
    "IdleMinutes": "idle_minutes",
    "Language": "language",
    "Locked": "locked",
}


@dataclass(frozen=True)
class Provisioning:
    """What IT preset; empty (``source`` None) when nothing is provisioned."""

    source: str | None = None
    server_url: str | None = None
    organisation: str | None = None
    ca_pem: str | None = None
    update_public_key: str | None = None
    update_check: bool = True
    settings: Mapping[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()

    @property
    def provisioned(self) -> bool:
        return self.source is not None

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    @property
    def can_check_updates(self) -> bool:
        return bool(self.update_check and self.server_url and self.update_public_key)


@functools.cache
def current() -> Provisioning:
    """This process's provisioning, read once (IT changes take effect at the next start)."""
    return load()


def default_path() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("ProgramData") or r"C:\ProgramData")
        return base / "LiaisonDesktop" / FILE_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support/LiaisonDesktop") / FILE_NAME
    return Path("/etc/liaison-desktop") / FILE_NAME


def config_path(environ: Mapping[str, str] | None = None) -> Path | None:
    env = os.environ if environ is None else environ
    if ENV_FILE in env:
        value = env[ENV_FILE].strip()
        return Path(value) if value else None
    return default_path()


def load(
    path: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    registry: Mapping[str, Any] | None = None,
) -> Provisioning:
    """Read the provisioning file (and on Windows the registry policy, which wins)."""
    env = os.environ if environ is None else environ
    path = path if path is not None else config_path(env)
    problems: list[str] = []
    raw: dict[str, Any] = {}
    source = None
    if path is not None:
        file_values = _read_file(path, problems)
        if file_values is not None:
            raw.update(file_values)
            source = str(path)
    if registry is None and sys.platform == "win32" and ENV_FILE not in env:
        registry = _read_registry(problems)
    if registry:
        policy = _from_registry(registry)
        raw.update({k: v for k, v in policy.items() if k != "settings"})
        if policy.get("settings"):
            merged = (
                dict(raw.get("settings") or {}) if isinstance(raw.get("settings"), Mapping) else {}
            )
            merged.update(policy["settings"])
            raw["settings"] = merged
        source = f"HKLM\\{REGISTRY_KEY}" if source is None else f"{source} + HKLM\\{REGISTRY_KEY}"
    if source is None:
        return Provisioning(problems=tuple(problems))
    result = _validate(raw, source, problems, base=path.parent if path else None)
    for problem in result.problems:
        log.warning("provisioning: %s", problem)
    return result


def _read_file(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError:
        problems.append(f"{path} is niet leesbaar; de instellingen van IT zijn niet gebruikt.")
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.append(f"{path} is groter dan 64 kB en is niet gebruikt.")
        return None
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        problems.append(f"{path} is geen geldige JSON en is niet gebruikt.")
        return None
    if not isinstance(parsed, dict):
        problems.append(f"{path} bevat geen JSON-object en is niet gebruikt.")
        return None
    return parsed


def _read_registry(problems: list[str]) -> dict[str, Any] | None:  # pragma: no cover - Windows
    try:
        import winreg
    except ImportError:
        return None
    values: dict[str, Any] = {}
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, REGISTRY_KEY) as key:
            i = 0
            while True:
                try:
                    name, value, _kind = winreg.EnumValue(key, i)
                except OSError:
                    break
                values[name] = value
                i += 1
    except FileNotFoundError:
        return None
    except OSError:
        problems.append(f"HKLM\\{REGISTRY_KEY} is niet leesbaar.")
        return None
    return values


def _from_registry(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    for name, value in values.items():
        key = REGISTRY_VALUES.get(name)
        if key is None:
            continue
        if key == "update_check":
            value = bool(value) if isinstance(value, int) else str(value).lower() in ("1", "true")
        if key == "locked" and isinstance(value, str):
            value = [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
        if key in SETTING_KEYS:
            settings[key] = value
        else:
            out[key] = value
    if settings:
        out["settings"] = settings
    return out


def _validate(
    raw: Mapping[str, Any], source: str, problems: list[str], base: Path | None
) -> Provisioning:
    def bad(key: str, why: str) -> None:
        problems.append(f"'{key}' in de instellingen van IT is {why} en is niet gebruikt.")

    for key in raw:
        if key not in _TOP_KEYS:
            bad(str(key)[:40], "onbekend")
    server_url = _str(raw, "server_url", bad)
    if server_url is not None:
        parts = urllib.parse.urlsplit(server_url)
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if not parts.hostname or not (
            parts.scheme == "https" or (parts.scheme == "http" and loopback)
        ):
            bad("server_url", "geen https://-adres")
            server_url = None
    organisation = _str(raw, "organisation", bad)
    ca_pem = _str(raw, "ca_pem", bad)
    ca_file = _str(raw, "ca_file", bad)
    if ca_file is not None and ca_pem is None:
        ca_path = Path(ca_file)
        if not ca_path.is_absolute() and base is not None:
            ca_path = base / ca_path
        try:
            ca_pem = ca_path.read_bytes()[:MAX_CA_BYTES].decode("ascii")
        except (OSError, UnicodeDecodeError):
            bad("ca_file", "niet leesbaar")
    if ca_pem is not None and "-----BEGIN CERTIFICATE-----" not in ca_pem:
        bad("ca_pem" if "ca_pem" in raw else "ca_file", "geen PEM-certificaat")
        ca_pem = None
    update_key = _str(raw, "update_public_key", bad)
    if update_key is not None and not _looks_like_ed25519_key(update_key):
        bad("update_public_key", "geen Ed25519-sleutel")
        update_key = None
    update_check = raw.get("update_check", True)
    if not isinstance(update_check, bool):
        bad("update_check", "geen true/false")
        update_check = True
    settings: dict[str, Any] = {}
    given = raw.get("settings", {})
    if not isinstance(given, Mapping):
        bad("settings", "geen object")
        given = {}
    for key, value in given.items():
        kind = SETTING_KEYS.get(key)
        if kind is None:
            bad(f"settings.{str(key)[:40]}", "onbekend")
        elif kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            bad(f"settings.{key}", "geen geheel getal")
        elif kind is str and not isinstance(value, str):
            bad(f"settings.{key}", "geen tekst")
        else:
            settings[key] = value
    locked_raw = raw.get("locked", [])
    locked: set[str] = set()
    if not isinstance(locked_raw, list) or not all(isinstance(k, str) for k in locked_raw):
        bad("locked", "geen lijst met namen")
    else:
        for key in locked_raw:
            if key in LOCKABLE:
                locked.add(key)
            else:
                bad(f"locked.{key[:40]}", "niet vast te zetten")
    return Provisioning(
        source=source,
        server_url=server_url,
        organisation=organisation,
        ca_pem=ca_pem,
        update_public_key=update_key,
        update_check=update_check,
        settings=settings,
        locked=frozenset(locked),
        problems=tuple(problems),
    )


def _looks_like_ed25519_key(text: str) -> bool:
    """Base64 of 32 bytes, or a PEM public key of Ed25519's 44-byte SubjectPublicKeyInfo.

    Checked without importing cryptography (this runs before the unlock screen is shown);
    the update check parses the key properly and refuses what this lets through.
    """
    body = text
    if text.startswith("-----BEGIN PUBLIC KEY-----"):
        body = "".join(text.splitlines()[1:-1])
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(raw) == (44 if body is not text else 32)


def _str(raw: Mapping[str, Any], key: str, bad: Any) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_CA_BYTES:
        bad(key, "geen tekst")
        return None
    return value.strip()
