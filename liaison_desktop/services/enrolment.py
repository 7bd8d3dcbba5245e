"""Enrolling this laptop with the central endpoint, noticing revocation, wiping local data.

The device token goes into the OS keychain (or, without one, into the encrypted store) via
:class:`DeviceSecrets`; the server address, device/user/org ids and a pinned CA go into the
store's meta table under ``sync.*``. When the server says the device was revoked, the caller
must lock the app and offer :func:`wipe_local_data`.
"""

from __future__ import annotations

import json
import logging
import os
import platform
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from liaison_desktop import __version__
from liaison_desktop.domain.passphrase import validate_new_passphrase
from liaison_desktop.services import workspace
from liaison_desktop.services.api import Services
from liaison_desktop.store.keychain import DeviceSecrets, DeviceSecretsError
from liaison_desktop.store.keys import KdfParams
from liaison_desktop.store.paths import BACKUP_DIR, DB_NAME, KEYS_NAME
from liaison_desktop.sync.protocol import EnrolRequest, EnrolResponse, Me
from liaison_desktop.sync.transport import (
    DeviceRevoked,
    ServerClient,
    Transport,
    normalise_server_url,
)

log = logging.getLogger(__name__)

SECRET_DEVICE_TOKEN = "device_token"  # noqa: S105 - the secret's name, not the secret
META_SERVER_URL = "sync.server_url"
META_DEVICE_ID = "sync.device_id"
META_USER_ID = "sync.user_id"
META_ORG_ID = "sync.org_id"
META_ROLE = "sync.role"
META_CA_PEM = "sync.ca_pem"
META_ENROLLED_AT = "sync.enrolled_at"
META_REVOKED_AT = "sync.revoked_at"

MAX_CA_FILE_BYTES = 256 * 1024

ClientFactory = Callable[[str, str | None, str | None], ServerClient]
"""(server_url, ca_pem, token) -> ServerClient; tests may pass their own."""


def default_client(server_url: str, ca_pem: str | None, token: str | None) -> ServerClient:
    return ServerClient(Transport(server_url, token=token, ca_pem=ca_pem))


class EnrolmentError(Exception):
    """Enrolment or a device check failed; ``message`` is Dutch and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotEnrolled(EnrolmentError):
    def __init__(self) -> None:
        super().__init__(
            "Deze laptop is nog niet aangemeld bij de server; gebruik 'liaison-desktop enroll'."
        )


class DeviceRevokedError(EnrolmentError):
    """The administrator revoked this laptop.

    The caller must lock the app now (drop the key) and offer to wipe the local data with
    :func:`wipe_local_data`; nothing is synced any more.
    """

    lock_required = True
    can_wipe = True

    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            "Deze laptop is door de beheerder ingetrokken. De gegevens zijn vergrendeld en "
            "worden niet meer gesynchroniseerd. U kunt de gegevens op deze laptop wissen."
        )
        self.data_dir = data_dir


@dataclass(frozen=True)
class EnrolmentResult:
    server_url: str
    device_id: str
    user_id: str
    org_id: str
    role: str
    created_store: bool
    token_in_keychain: bool
    recovery_key: str | None = None
    """Only for a new store: shown once to the user, never printed to stdout."""

    def summary(self) -> dict[str, object]:
        out = asdict(self)
        out.pop("recovery_key")
        return out


def read_ca_file(path: Path | str) -> str:
    """The PEM text of a CA file that IT hands out with the server address."""
    path = Path(path)
    try:
        data = path.read_bytes()[: MAX_CA_FILE_BYTES + 1]
    except OSError as exc:
        raise EnrolmentError(f"Het CA-bestand {path} kan niet worden gelezen.") from exc
    if len(data) > MAX_CA_FILE_BYTES or b"-----BEGIN CERTIFICATE-----" not in data:
        raise EnrolmentError(f"{path} is geen PEM-certificaat.")
    return data.decode("ascii", errors="strict")


def enroll(
    data_dir: Path | str,
    server_url: str,
    code: str,
    passphrase: str,
    *,
    ca_pem: str | None = None,
    device_name: str | None = None,
    replace: bool = False,
    kdf: KdfParams | None = None,
    client_factory: ClientFactory = default_client,
) -> EnrolmentResult:
    """Enrol this laptop with a one-time code and keep the token.

    With an existing store it is unlocked with ``passphrase`` first (so a wrong passphrase
    wastes no code). On an empty data folder a new store is created for the enrolled user;
    the next sync fills it.
    """
    data_dir = Path(data_dir)
    url = normalise_server_url(server_url)
    creating = not workspace.exists(data_dir)
    services: Services | None = None
    if creating:
        validate_new_passphrase(passphrase, passphrase)
    else:
        services = workspace.open_workspace(data_dir, passphrase)
    try:
        if services is not None:
            _check_not_enrolled(services, replace)
        request = EnrolRequest(
            code=code.strip(),
            device_name=(device_name if device_name is not None else platform.node())[:100],
            client_version=__version__,
        )
        with client_factory(url, ca_pem, None) as client:
            response = client.enrol(request)
        recovery = None
        if services is None:
            try:
                services, recovery = workspace.create_workspace(
                    data_dir, passphrase, response.user_name, kdf=kdf
                )
            except Exception as exc:
                raise EnrolmentError(
                    f"De laptop is aangemeld (apparaat {response.device_id}), maar het lokale "
                    "gegevensbestand kon niet worden gemaakt. Vraag de beheerder dit apparaat "
                    "in te trekken en een nieuwe code te geven."
                ) from exc
        else:
            _check_same_user(services, response)
        in_keychain = _save(services, url, ca_pem, response)
    finally:
        if services is not None:
            services.lock()
    log.info("device enrolled", extra={"device_id": response.device_id})
    return EnrolmentResult(
        server_url=url,
        device_id=response.device_id,
        user_id=response.user_id,
        org_id=response.org_id,
        role=response.role.value,
        created_store=creating,
        token_in_keychain=in_keychain,
        recovery_key=recovery,
    )


def _check_not_enrolled(services: Services, replace: bool) -> None:
    if replace or services.store.meta(META_REVOKED_AT):
        return
    url = services.store.meta(META_SERVER_URL)
    if url and services.secrets.get(SECRET_DEVICE_TOKEN):
        raise EnrolmentError(
            f"Deze laptop is al aangemeld bij {url}. Gebruik --replace om opnieuw aan te melden."
        )


def _check_same_user(services: Services, response: EnrolResponse) -> None:
    known = services.store.meta(META_USER_ID)
    if known and known != response.user_id:
        raise EnrolmentError(
            "Deze aanmeldcode hoort bij een andere gebruiker dan het gegevensbestand op deze "
            f"laptop. Vraag de beheerder apparaat {response.device_id} in te trekken."
        )


def _save(services: Services, url: str, ca_pem: str | None, response: EnrolResponse) -> bool:
    services.secrets.set(SECRET_DEVICE_TOKEN, response.token)
    store = services.store
    store.set_meta(META_SERVER_URL, url)
    store.set_meta(META_DEVICE_ID, response.device_id)
    store.set_meta(META_USER_ID, response.user_id)
    store.set_meta(META_ORG_ID, response.org_id)
    store.set_meta(META_ROLE, response.role.value)
    store.set_meta(META_CA_PEM, ca_pem or "")
    store.set_meta(META_ENROLLED_AT, datetime.now(UTC).isoformat(timespec="seconds"))
    store.set_meta(META_REVOKED_AT, "")
    return services.secrets.available


# -- after enrolment ---------------------------------------------------------------------


def is_enrolled(services: Services) -> bool:
    return bool(services.store.meta(META_SERVER_URL)) and not is_revoked(services)


def is_revoked(services: Services) -> bool:
    """Whether an earlier contact found this laptop revoked (known even when offline)."""
    return bool(services.store.meta(META_REVOKED_AT))


def server_client(
    services: Services, *, client_factory: ClientFactory = default_client
) -> ServerClient:
    """A client for the enrolled server with this device's token."""
    if is_revoked(services):
        raise DeviceRevokedError(services.store.paths.data_dir)
    url = services.store.meta(META_SERVER_URL)
    token = services.secrets.get(SECRET_DEVICE_TOKEN)
    if not url or not token:
        raise NotEnrolled()
    return client_factory(url, services.store.meta(META_CA_PEM) or None, token)


def mark_revoked(services: Services) -> DeviceRevokedError:
    """Remember the revocation, drop the useless token; returns the error to raise."""
    services.store.set_meta(META_REVOKED_AT, datetime.now(UTC).isoformat(timespec="seconds"))
    try:
        services.secrets.delete(SECRET_DEVICE_TOKEN)
    except DeviceSecretsError:
        pass
    log.warning("device revoked by the server")
    return DeviceRevokedError(services.store.paths.data_dir)


def check_device(services: Services, *, client_factory: ClientFactory = default_client) -> Me:
    """Ask the server who this device is. Raises DeviceRevokedError after a revocation
    (lock and offer to wipe), and the transport's errors otherwise (offline is normal)."""
    with server_client(services, client_factory=client_factory) as client:
        try:
            return client.me()
        except DeviceRevoked:
            raise mark_revoked(services) from None


# -- wiping ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WipeReport:
    removed: tuple[str, ...]
    keychain_cleared: bool


def wipe_local_data(data_dir: Path | str) -> WipeReport:
    """Destroy the local store in ``data_dir``: crypto-erase, then remove its files.

    The key file is overwritten with random bytes first: without it the SQLCipher database
    cannot be decrypted, even where overwriting the database itself does not reach the disk
    blocks (SSD wear levelling, copy-on-write file systems). The database files are then
    overwritten and removed too, as are backups and the device token in the OS keychain.
    Only the store's own files are touched, never anything else in the folder. The store
    must be locked (closed) before.
    """
    data_dir = Path(data_dir)
    store_id = _store_id(data_dir / KEYS_NAME)
    targets = [data_dir / KEYS_NAME, *sorted(data_dir.glob(f".{KEYS_NAME}.*.tmp"))]
    for suffix in ("", "-wal", "-shm", "-journal"):
        targets.append(data_dir / (DB_NAME + suffix))
    backups = data_dir / BACKUP_DIR
    if backups.is_dir():
        targets += sorted(backups.glob("liaison-*.db")) + sorted(backups.glob("liaison-*.db-wal"))
    removed = []
    for path in targets:
        if path.is_file() and not path.is_symlink():
            _overwrite(path)
            path.unlink()
            removed.append(path.name)
        elif path.is_symlink():
            path.unlink()
    for folder in (backups, data_dir):
        try:
            folder.rmdir()  # only when empty
        except OSError:
            pass
    cleared = False
    if store_id:
        try:
            DeviceSecrets(store_id).delete(SECRET_DEVICE_TOKEN)
            cleared = True
        except (DeviceSecretsError, ValueError):
            cleared = False  # no keychain: the token was inside the (now destroyed) store
    log.info("local data wiped", extra={"files": len(removed)})
    return WipeReport(tuple(removed), cleared)


def _store_id(keys: Path) -> str | None:
    try:
        doc = json.loads(keys.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = doc.get("store_id") if isinstance(doc, dict) else None
    return value if isinstance(value, str) and value else None


def _overwrite(path: Path, chunk: int = 1024 * 1024) -> None:
    size = path.stat().st_size
    with open(path, "r+b", buffering=0) as fh:
        done = 0
        while done < size:
            n = min(chunk, size - done)
            fh.write(os.urandom(n))
            done += n
        os.fsync(fh.fileno())
