"""``packaging/build.py manifest``: the signed update manifest IT uploads, made from real files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from liaison_desktop.sync import signing

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build_script():
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import build  # packaging/build.py
    finally:
        sys.path.pop(0)
    return build


def test_manifest_is_signed_and_describes_the_file(build_script, tmp_path: Path) -> None:
    key = signing.generate_private_key()
    key_file = tmp_path / "k.pem"
    key_file.write_bytes(signing.private_key_pem(key))
    artefact = tmp_path / "liaison-desktop-9.0.0-linux-x86_64.tar.gz"
    artefact.write_bytes(b"\x1f\x8b" + b"z" * 5000)
    out = tmp_path / "manifest.json"
    code = build_script.main(
        [
            "manifest",
            "--signing-key",
            str(key_file),
            "--version",
            "9.0.0",
            "--artifact",
            f"linux-x86_64={artefact}=https://downloads.example.nl/{artefact.name}",
            "--expires-days",
            "3",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    offer = signing.verify_manifest(
        out.read_bytes(), key.public_key(), installed_version="0.1.0", platform="linux-x86_64"
    )
    assert offer is not None and offer.version == "9.0.0"
    assert offer.artifact.length == artefact.stat().st_size
    assert offer.artifact.sha256 == signing.sha256_file(artefact)


def test_manifest_needs_the_real_key(build_script, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("LIAISON_SIGNING_KEY_FILE", raising=False)
    f = tmp_path / "a"
    f.write_bytes(b"a")
    with pytest.raises(SystemExit, match="real signing key"):
        build_script.main(["manifest", "--artifact", f"linux-x86_64={f}=https://x.nl/a"])


def test_bad_artifact_spec_is_refused(build_script, tmp_path: Path) -> None:
    key_file = tmp_path / "k.pem"
    key_file.write_bytes(signing.private_key_pem(signing.generate_private_key()))
    with pytest.raises(SystemExit, match="PLATFORM=FILE=URL"):
        build_script.main(["manifest", "--signing-key", str(key_file), "--artifact", "nonsense"])
