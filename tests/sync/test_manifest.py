"""Signed update manifest and installer signatures: every refusal the issue lists, and the offer."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from liaison_desktop.sync import signing
from liaison_desktop.sync.signing import Artifact

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DATA = b"pretend installer bytes " * 100
PLATFORM = "linux-x86_64"


@pytest.fixture(scope="module")
def key():
    return signing.generate_private_key()


def artifact(data: bytes = DATA, platform: str = PLATFORM) -> Artifact:
    return Artifact(
        platform,
        "https://updates.example.nl/ld.tar.gz",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )


def manifest(key, version="0.2.0", expires=NOW + timedelta(days=7), artifacts=None) -> bytes:
    payload = signing.build_manifest_payload(version, expires, artifacts or [artifact()])
    return signing.sign_manifest(payload, key)


def verify(raw, key, installed="0.1.0", **kw):
    return signing.verify_manifest(
        raw, key.public_key(), installed_version=installed, platform=PLATFORM, now=NOW, **kw
    )


def resign(key, payload_bytes: bytes) -> bytes:
    return json.dumps(
        {
            "payload": base64.b64encode(payload_bytes).decode(),
            "signature": base64.b64encode(
                key.sign(signing.MANIFEST_CONTEXT + payload_bytes)
            ).decode(),
        }
    ).encode()


# -- the offer ---------------------------------------------------------------------------


def test_newer_signed_manifest_is_offered(key) -> None:
    offer = verify(manifest(key), key)
    assert offer is not None
    assert offer.version == "0.2.0"
    assert offer.artifact == artifact()
    assert offer.key_id == signing.key_id(key)


def test_parsed_envelope_from_the_transport_is_verified_the_same(key) -> None:
    offer = verify(json.loads(manifest(key)), key)
    assert offer is not None and offer.version == "0.2.0"


def test_same_version_offers_nothing(key) -> None:
    assert verify(manifest(key, version="0.1.0"), key) is None


def test_other_platform_only_offers_nothing(key) -> None:
    raw = manifest(key, artifacts=[artifact(platform="windows-x86_64")])
    assert verify(raw, key) is None


def test_version_comparison_is_numeric_not_textual(key) -> None:
    assert verify(manifest(key, version="0.10.0"), key, installed="0.9.3") is not None


# -- refusals ----------------------------------------------------------------------------


def test_expired_manifest_is_refused(key) -> None:
    raw = manifest(key, expires=NOW - timedelta(seconds=1))
    with pytest.raises(signing.ManifestExpired):
        verify(raw, key)


def test_rolled_back_version_is_refused(key) -> None:
    with pytest.raises(signing.ManifestRollback):
        verify(manifest(key, version="0.0.9"), key)


def test_older_than_a_manifest_seen_before_is_refused(key) -> None:
    # Newer than installed, but older than what a verified manifest already offered: a
    # replay of an old, still validly signed manifest.
    with pytest.raises(signing.ManifestRollback):
        verify(manifest(key, version="0.2.0"), key, highest_seen="0.3.0")
    assert verify(manifest(key, version="0.3.0"), key, highest_seen="0.3.0") is not None


def test_manifest_signed_by_another_key_is_refused(key) -> None:
    other = signing.generate_private_key()
    with pytest.raises(signing.ManifestBadSignature) as err:
        verify(manifest(other), key)
    assert signing.key_id(key) in err.value.message


def test_tampered_payload_is_refused(key) -> None:
    env = json.loads(manifest(key))
    body = base64.b64decode(env["payload"]).replace(b"0.2.0", b"9.9.9")
    env["payload"] = base64.b64encode(body).decode()
    with pytest.raises(signing.ManifestBadSignature):
        verify(json.dumps(env).encode(), key)


def test_unsigned_manifest_is_refused(key) -> None:
    env = json.loads(manifest(key))
    del env["signature"]
    with pytest.raises(signing.ManifestMalformed):
        verify(json.dumps(env).encode(), key)


def test_oversized_manifest_is_refused_before_parsing(key) -> None:
    # Not even JSON: it must be refused for its size, not for its shape.
    raw = b"{" * (signing.MAX_MANIFEST_BYTES + 1)
    with pytest.raises(signing.ManifestTooLarge):
        verify(raw, key)


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[]",
        b'{"payload": 3, "signature": "AA=="}',
        b'{"payload": "***", "signature": "AA=="}',
        b"\xff\xfe",
    ],
)
def test_malformed_envelope_is_refused(key, raw: bytes) -> None:
    with pytest.raises(signing.ManifestMalformed):
        verify(raw, key)


GOOD = {
    "type": signing.MANIFEST_TYPE,
    "version": "0.2.0",
    "expires": "2026-07-01T00:00:00Z",
    "artifacts": [
        {
            "platform": PLATFORM,
            "url": "https://u.example.nl/x",
            "length": 10,
            "sha256": "a" * 64,
        }
    ],
}


@pytest.mark.parametrize(
    "change",
    [
        {"type": "something-else"},
        {"version": "1.2.three"},
        {"version": 2},
        {"expires": "tomorrow"},
        {"expires": "2026-07-01T00:00:00"},  # no time zone
        {"artifacts": "all"},
        {"artifacts": [{**GOOD["artifacts"][0], "sha256": "xyz"}]},
        {"artifacts": [{**GOOD["artifacts"][0], "length": -1}]},
        {"artifacts": [{**GOOD["artifacts"][0], "length": True}]},
        {"artifacts": [{**GOOD["artifacts"][0], "url": "http://u.example.nl/x"}]},
        {"artifacts": [{**GOOD["artifacts"][0], "url": "file:///etc/passwd"}]},
        {"notes": ["x"]},
    ],
)
def test_malformed_signed_payload_is_refused(key, change: dict) -> None:
    payload = json.dumps({**GOOD, **change}).encode()
    with pytest.raises(signing.ManifestMalformed):
        verify(resign(key, payload), key)


def test_signed_payload_that_is_not_json_is_refused(key) -> None:
    with pytest.raises(signing.ManifestMalformed):
        verify(resign(key, b"\x00garbage"), key)


def test_good_payload_passes_the_same_helper(key) -> None:
    assert verify(resign(key, json.dumps(GOOD).encode()), key) is not None


# -- the download ------------------------------------------------------------------------


def test_download_with_right_length_and_hash_is_accepted() -> None:
    out = io.BytesIO()
    signing.verify_download(io.BytesIO(DATA), artifact(), out)
    assert out.getvalue() == DATA


def test_download_with_wrong_hash_is_refused() -> None:
    flipped = bytearray(DATA)
    flipped[100] ^= 0x01
    with pytest.raises(signing.DownloadRejected, match="SHA-256"):
        signing.verify_download(io.BytesIO(bytes(flipped)), artifact())


def test_download_longer_than_announced_is_refused_without_reading_it_all() -> None:
    class Endless(io.RawIOBase):
        read_total = 0

        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            self.read_total += n
            return b"x" * n

    stream = Endless()
    with pytest.raises(signing.DownloadRejected, match="groter"):
        signing.verify_download(stream, artifact())
    assert stream.read_total <= len(DATA) + 1


def test_short_download_is_refused() -> None:
    with pytest.raises(signing.DownloadRejected, match="onvolledig"):
        signing.verify_download(io.BytesIO(DATA[:-1]), artifact())


# -- installer signatures and keys -------------------------------------------------------


def test_file_signature_verifies_and_one_flipped_byte_fails(key, tmp_path: Path) -> None:
    f = tmp_path / "installer.tar.gz"
    f.write_bytes(DATA)
    sig = signing.sign_file(f, key)
    signing.verify_file(f, sig, key.public_key())
    data = bytearray(DATA)
    data[len(data) // 2] ^= 0x80
    f.write_bytes(bytes(data))
    with pytest.raises(signing.SignatureError, match="klopt niet"):
        signing.verify_file(f, sig, key.public_key())


def test_truncated_signature_is_refused(key, tmp_path: Path) -> None:
    f = tmp_path / "x"
    f.write_bytes(DATA)
    with pytest.raises(signing.SignatureError, match="geen Ed25519"):
        signing.verify_file(f, signing.sign_file(f, key)[:63], key.public_key())


def test_public_key_loads_from_pem_and_base64(key) -> None:
    pem = signing.public_key_pem(key)
    b64 = signing.public_key_b64(key)
    assert signing.key_id(signing.load_public_key(pem)) == signing.key_id(key)
    assert signing.key_id(signing.load_public_key(b64)) == signing.key_id(key)


@pytest.mark.parametrize("text", ["", "not a key", base64.b64encode(b"short").decode()])
def test_bad_public_key_is_refused(text: str) -> None:
    with pytest.raises(signing.KeyFormatError):
        signing.load_public_key(text)


def test_rsa_key_is_not_an_ed25519_key() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(signing.KeyFormatError):
        signing.load_private_key(pem)
    with pytest.raises(signing.KeyFormatError):
        signing.load_public_key(
            rsa_key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
