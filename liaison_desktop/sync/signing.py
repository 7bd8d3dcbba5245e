"""Ed25519 signatures of installers and of the signed update manifest (pure crypto, no store).

Installers: a detached signature is the raw 64-byte Ed25519 signature over the file's bytes,
so IT can also check it without our app (``openssl pkeyutl -verify -rawin``, see
docs/deploying.md).

Update manifest, in the spirit of TUF: an envelope ``{"payload": <base64 of JSON bytes>,
"signature": <base64>, "key_id": <hex>}``. The signature covers
``MANIFEST_CONTEXT + payload bytes`` (exact bytes, so no JSON canonicalisation is needed).
The payload names a version, an expiry and per platform a download URL, its length and
SHA-256. :func:`verify_manifest` checks, in this order: size before parsing, envelope shape,
signature by the pinned key, payload shape, expiry, no rollback below the installed version;
:func:`verify_download` checks a download's length (reading at most that many bytes) and hash.

Messages are Dutch and name no file contents. Any thread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import platform as _platform
import re
import sys
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from liaison_desktop.sync.protocol import API_PREFIX

UPDATE_MANIFEST_PATH = f"{API_PREFIX}/updates/manifest"
MANIFEST_CONTEXT = b"liaison-desktop update manifest v1\n"
MANIFEST_TYPE = "liaison-desktop-update"
MAX_MANIFEST_BYTES = 64 * 1024
"""A manifest is a few hundred bytes; anything larger is refused before it is parsed."""
MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024
MAX_SIGNED_FILE_BYTES = 4 * 1024 * 1024 * 1024
SIGNATURE_BYTES = 64
_VERSION = re.compile(r"^\d{1,6}(\.\d{1,6}){0,3}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1024 * 1024


class SignatureError(Exception):
    """A signature, key or manifest was refused; ``message`` is Dutch and content-free."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class KeyFormatError(SignatureError):
    pass


class ManifestError(SignatureError):
    """The update manifest is not offered (base class of the reasons below)."""


class ManifestTooLarge(ManifestError):
    pass


class ManifestMalformed(ManifestError):
    pass


class ManifestBadSignature(ManifestError):
    pass


class ManifestExpired(ManifestError):
    pass


class ManifestRollback(ManifestError):
    pass


class DownloadRejected(SignatureError):
    """The downloaded file does not match the manifest (length or SHA-256)."""


# -- keys --------------------------------------------------------------------------------


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(data: bytes, password: bytes | None = None) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8); anything else is a :class:`KeyFormatError`."""
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except (ValueError, TypeError) as exc:
        raise KeyFormatError(
            "De ondertekensleutel is geen leesbare PEM-sleutel (of het wachtwoord ontbreekt)."
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFormatError("De ondertekensleutel is geen Ed25519-sleutel.")
    return key


def public_key_pem(key: Ed25519PublicKey | Ed25519PrivateKey) -> bytes:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_b64(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """The raw 32-byte public key in base64: the one-line form for provisioning files."""
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(data: bytes | str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM or from base64 of its 32 raw bytes."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    text = raw.strip()
    if text.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text)
        except (ValueError, TypeError) as exc:
            raise KeyFormatError("De publieke sleutel is geen leesbare PEM-sleutel.") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise KeyFormatError("De publieke sleutel is geen Ed25519-sleutel.")
        return key
    try:
        decoded = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyFormatError("De publieke sleutel is geen PEM en geen base64.") from exc
    if len(decoded) != 32:
        raise KeyFormatError("De publieke sleutel heeft niet de lengte van een Ed25519-sleutel.")
    return Ed25519PublicKey.from_public_bytes(decoded)


def key_id(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """A short fingerprint (16 hex digits of SHA-256 of the raw public key) for messages."""
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# -- installers --------------------------------------------------------------------------


def _read_file(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise SignatureError(f"Het bestand {path.name} is te groot om te controleren.")
        return path.read_bytes()
    except OSError as exc:
        raise SignatureError(f"Het bestand {path.name} is niet leesbaar.") from exc


def sign_file(path: Path, key: Ed25519PrivateKey) -> bytes:
    """The detached signature (64 raw bytes) of the file's contents."""
    return key.sign(_read_file(Path(path), MAX_SIGNED_FILE_BYTES))


def verify_file(path: Path, signature: bytes, public_key: Ed25519PublicKey) -> None:
    """Raise :class:`SignatureError` unless ``signature`` is the key's signature of the file."""
    path = Path(path)
    if len(signature) != SIGNATURE_BYTES:
        raise SignatureError(
            f"De handtekening is geen Ed25519-handtekening ({len(signature)} in plaats van "
            f"{SIGNATURE_BYTES} bytes)."
        )
    data = _read_file(path, MAX_SIGNED_FILE_BYTES)
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        raise SignatureError(
            f"De handtekening klopt niet: {path.name} is gewijzigd of niet ondertekend met "
            f"sleutel {key_id(public_key)}."
        ) from None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# -- versions and platforms --------------------------------------------------------------


def parse_version(text: object) -> tuple[int, ...]:
    """``1.2.3`` -> ``(1, 2, 3, 0)``: up to four numeric parts; anything else is refused."""
    if not isinstance(text, str) or not _VERSION.match(text):
        raise ManifestMalformed("Het versienummer in het updatebericht is ongeldig.")
    parts = tuple(int(p) for p in text.split("."))
    return parts + (0,) * (4 - len(parts))


def current_platform() -> str:
    """``linux-x86_64``, ``windows-x86_64``, ``macos-arm64`` ...: the manifest's artefact key."""
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    if system.startswith("linux"):
        system = "linux"
    machine = _platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


# -- update manifest ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Artifact:
    platform: str
    url: str
    length: int
    sha256: str


@dataclass(frozen=True, slots=True)
class UpdateOffer:
    """A newer, signed, unexpired build for this platform."""

    version: str
    expires: datetime
    artifact: Artifact
    key_id: str
    notes: str = ""


def _b64(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise ManifestMalformed(f"Het updatebericht mist {what}.")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ManifestMalformed(
            f"{what.capitalize()} in het updatebericht is geen base64."
        ) from exc


def _iso_utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str):
        raise ManifestMalformed("De vervaldatum van het updatebericht ontbreekt.")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ManifestMalformed("De vervaldatum van het updatebericht is ongeldig.") from exc
    if parsed.tzinfo is None:
        raise ManifestMalformed("De vervaldatum van het updatebericht heeft geen tijdzone.")
    return parsed


def _check_url(url: object) -> str:
    if not isinstance(url, str) or len(url) > 2048:
        raise ManifestMalformed("Het downloadadres in het updatebericht is ongeldig.")
    parts = urllib.parse.urlsplit(url)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and loopback)):
        raise ManifestMalformed("Het downloadadres in het updatebericht moet https:// zijn.")
    return url


def _artifact(entry: object) -> Artifact:
    if not isinstance(entry, Mapping):
        raise ManifestMalformed("Een download in het updatebericht is ongeldig.")
    platform, length, digest = entry.get("platform"), entry.get("length"), entry.get("sha256")
    if not isinstance(platform, str) or not platform or len(platform) > 64:
        raise ManifestMalformed("Een download in het updatebericht noemt geen platform.")
    if isinstance(length, bool) or not isinstance(length, int):
        raise ManifestMalformed("De lengte van een download in het updatebericht ontbreekt.")
    if not 0 < length <= MAX_DOWNLOAD_BYTES:
        raise ManifestMalformed("De lengte van een download in het updatebericht is ongeldig.")
    if not isinstance(digest, str) or not _SHA256.match(digest):
        raise ManifestMalformed("De SHA-256 van een download in het updatebericht is ongeldig.")
    return Artifact(platform, _check_url(entry.get("url")), length, digest)


def build_manifest_payload(
    version: str,
    expires: datetime,
    artifacts: list[Artifact],
    notes: str = "",
) -> dict[str, Any]:
    parse_version(version)
    return {
        "type": MANIFEST_TYPE,
        "version": version,
        "expires": _iso_utc(expires),
        "notes": notes,
        "artifacts": [
            {"platform": a.platform, "url": a.url, "length": a.length, "sha256": a.sha256}
            for a in artifacts
        ],
    }


def sign_manifest(payload: Mapping[str, Any], key: Ed25519PrivateKey) -> bytes:
    """The signed envelope (JSON bytes) that IT uploads to the server."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    envelope = {
        "payload": base64.b64encode(body).decode("ascii"),
        "signature": base64.b64encode(key.sign(MANIFEST_CONTEXT + body)).decode("ascii"),
        "key_id": key_id(key),
    }
    return json.dumps(envelope, indent=1).encode()


def verify_manifest(
    raw: bytes | Mapping[str, Any],
    public_key: Ed25519PublicKey,
    *,
    installed_version: str,
    platform: str | None = None,
    now: datetime | None = None,
    max_bytes: int = MAX_MANIFEST_BYTES,
    highest_seen: str | None = None,
) -> UpdateOffer | None:
    """The offer a verified manifest makes, or None when it offers nothing newer for us.

    Raises a :class:`ManifestError` for a manifest that is too large, malformed, not signed
    by ``public_key``, expired, or older than ``installed_version`` or than
    ``highest_seen``, the highest version a verified manifest offered before (a rollback
    to an older, still validly signed manifest). A mapping is an envelope the transport
    already parsed under its own ``max_bytes`` limit.
    """
    if isinstance(raw, Mapping):
        envelope: Any = raw
    else:
        if len(raw) > max_bytes:
            raise ManifestTooLarge("Het updatebericht is te groot en is geweigerd.")
        try:
            envelope = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ManifestMalformed("Het updatebericht is geen geldige JSON.") from exc
    if not isinstance(envelope, Mapping):
        raise ManifestMalformed("Het updatebericht heeft niet de verwachte vorm.")
    body = _b64(envelope.get("payload"), "de inhoud")
    signature = _b64(envelope.get("signature"), "de handtekening")
    if len(body) > max_bytes:
        raise ManifestTooLarge("Het updatebericht is te groot en is geweigerd.")
    try:
        public_key.verify(signature, MANIFEST_CONTEXT + body)
    except InvalidSignature:
        raise ManifestBadSignature(
            "Het updatebericht is niet ondertekend met de sleutel die uw organisatie heeft "
            f"vastgelegd ({key_id(public_key)}), of is onderweg gewijzigd."
        ) from None
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ManifestMalformed("De inhoud van het updatebericht is geen geldige JSON.") from exc
    if not isinstance(payload, Mapping) or payload.get("type") != MANIFEST_TYPE:
        raise ManifestMalformed("Het updatebericht is niet voor Liaison Desktop.")
    version = payload.get("version")
    offered = parse_version(version)
    expires = _parse_time(payload.get("expires"))
    entries = payload.get("artifacts")
    if not isinstance(entries, list) or len(entries) > 32:
        raise ManifestMalformed("Het updatebericht noemt geen downloads.")
    artifacts = [_artifact(e) for e in entries]
    notes = payload.get("notes", "")
    if not isinstance(notes, str):
        raise ManifestMalformed("De toelichting in het updatebericht is ongeldig.")
    now = now or datetime.now(UTC)
    if expires <= now:
        raise ManifestExpired(
            f"Het updatebericht is verlopen op {_iso_utc(expires)}; de server biedt een oud "
            "bericht aan. Meld dit aan uw beheerder."
        )
    installed = parse_version(installed_version)
    if offered < installed:
        raise ManifestRollback(
            f"Het updatebericht biedt versie {version} aan, ouder dan de geïnstalleerde "
            f"{installed_version}; dat wordt nooit aangeboden."
        )
    if highest_seen is not None and offered < parse_version(highest_seen):
        raise ManifestRollback(
            f"Het updatebericht biedt versie {version} aan, ouder dan versie {highest_seen} "
            "die eerder werd aangeboden; een oud bericht wordt nooit aangeboden."
        )
    if offered == installed:
        return None
    wanted = platform or current_platform()
    for artifact in artifacts:
        if artifact.platform == wanted:
            return UpdateOffer(str(version), expires, artifact, key_id(public_key), notes[:2000])
    return None


def verify_download(stream: BinaryIO, artifact: Artifact, out: BinaryIO | None = None) -> None:
    """Read the download (at most ``length + 1`` bytes), optionally copy it to ``out``, and
    raise :class:`DownloadRejected` unless its length and SHA-256 match the manifest."""
    digest = hashlib.sha256()
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, artifact.length + 1 - total))
        if not chunk:
            break
        total += len(chunk)
        if total > artifact.length:
            raise DownloadRejected("De download is groter dan het updatebericht aangeeft.")
        digest.update(chunk)
        if out is not None:
            out.write(chunk)
    if total != artifact.length:
        raise DownloadRejected("De download is onvolledig (korter dan aangegeven).")
    if not hmac.compare_digest(digest.hexdigest(), artifact.sha256):
        raise DownloadRejected(
            "De SHA-256 van de download klopt niet met het ondertekende updatebericht."
        )
