"""The update check: fetch the signed manifest from the central endpoint, verify, download.

Only with provisioning that names the server and pins the update key; otherwise nothing is
checked (and nothing leaves the laptop). The check never raises: the UI gets an
:class:`UpdateCheck` with an offer, nothing, or a Dutch reason why an offer was refused.
A download is kept only when its length and SHA-256 match the signed manifest.

Call from a worker thread (network); the results are immutable.
"""

from __future__ import annotations

import logging
import os
import tempfile
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from liaison_desktop import __version__
from liaison_desktop.services.provisioning import Provisioning
from liaison_desktop.sync import signing
from liaison_desktop.sync.transport import ServerClient, Transport, TransportError

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 60.0


@dataclass(frozen=True)
class UpdateCheck:
    offer: signing.UpdateOffer | None = None
    refused: str | None = None
    """Why a manifest was not offered (signature, expiry, rollback ...), Dutch."""
    unreachable: str | None = None
    """The server could not be asked (offline is normal: the UI stays quiet)."""


def check_for_update(
    provisioning: Provisioning,
    *,
    installed_version: str = __version__,
    platform: str | None = None,
    allow_plain_http: bool = False,
    highest_seen: str | None = None,
) -> UpdateCheck | None:
    """None when provisioning does not ask for update checks. ``highest_seen`` is the highest
    version an earlier verified manifest offered (kept by the caller); older ones are refused."""
    if not provisioning.can_check_updates:
        return None
    assert provisioning.server_url and provisioning.update_public_key
    try:
        key = signing.load_public_key(provisioning.update_public_key)
        transport = Transport(
            provisioning.server_url, ca_pem=provisioning.ca_pem, allow_plain_http=allow_plain_http
        )
        with ServerClient(transport) as client:
            envelope = client.update_manifest()
    except TransportError as exc:
        return UpdateCheck(unreachable=exc.message)
    except signing.SignatureError as exc:
        return UpdateCheck(refused=exc.message)
    if envelope is None:
        return UpdateCheck()
    try:
        offer = signing.verify_manifest(
            envelope,
            key,
            installed_version=installed_version,
            platform=platform,
            highest_seen=highest_seen,
        )
    except signing.ManifestError as exc:
        log.warning("update manifest refused: %s", type(exc).__name__)
        return UpdateCheck(refused=exc.message)
    return UpdateCheck(offer=offer)


def download(
    offer: signing.UpdateOffer, folder: Path, *, timeout: float = DOWNLOAD_TIMEOUT
) -> Path:
    """Download the offered build into ``folder``; raises :class:`signing.DownloadRejected`
    (nothing is left behind) unless length and SHA-256 match the signed manifest."""
    url = offer.artifact.url
    name = Path(urllib.parse.urlsplit(url).path).name or f"liaison-desktop-{offer.version}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    fd, tmp_name = tempfile.mkstemp(prefix=".liaison-update-", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - https checked in the manifest
                    signing.verify_download(resp, offer.artifact, out)
            except OSError as exc:
                raise signing.DownloadRejected(
                    "De update kon niet worden gedownload (geen verbinding met de downloadserver)."
                ) from exc
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
