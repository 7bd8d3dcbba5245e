"""Build the Linux bundle with packaging/build.py, run it, verify its signatures, tamper."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from liaison_desktop import __version__, cli
from liaison_desktop.sync import signing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux path is built here"),
]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> dict:
    pytest.importorskip("PyInstaller")
    base = tmp_path_factory.mktemp("build")
    key = signing.generate_private_key()
    key_file = base / "signing.pem"
    key_file.write_bytes(signing.private_key_pem(key))
    env = {k: v for k, v in os.environ.items() if k != "LIAISON_SIGNING_KEY_FILE"}
    env["LIAISON_SIGNING_KEY_FILE"] = str(key_file)
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(base / "dist"),
            "--work",
            str(base / "work"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-6000:]
    report = json.loads(proc.stdout)
    report["key"] = key
    report["dist"] = base / "dist"
    report["stderr"] = proc.stderr
    return report


def test_bundle_runs_its_self_test(build: dict, tmp_path: Path) -> None:
    exe = Path(build["bundle"]) / "liaison-desktop"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    proc = subprocess.run(
        [str(exe), "--self-test"], capture_output=True, text=True, env=env, timeout=180, check=False
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert proc.stdout.split() == ["OK"]
    version = subprocess.run(
        [str(exe), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert version.stdout.strip() == f"liaison-desktop {__version__}"


def test_bundle_leaves_out_what_the_app_does_not_use(build: dict) -> None:
    bundle = Path(build["bundle"])
    names = {p.name for p in bundle.rglob("*")}
    for unused in (
        "libQt6WebEngineCore.so.6",
        "libQt6Quick.so.6",
        "libQt6Qml.so.6",
        "libQt6Pdf.so.6",
        "libQt6Multimedia.so.6",
        "fastapi",
        "uvicorn",
    ):
        assert unused not in names
    assert (bundle / "_internal" / "resources" / "i18n" / "liaison_en.qm").is_file()
    assert build["bundle_mb"] <= 150
    assert build["throwaway_key"] is False and "THROW-AWAY" not in build["stderr"]


def test_artefacts_are_signed_and_one_flipped_byte_fails(build: dict, tmp_path: Path) -> None:
    dist: Path = build["dist"]
    tarball = dist / f"liaison-desktop-{__version__}-{signing.current_platform()}.tar.gz"
    pub = dist / "liaison-desktop-signing.pub.pem"
    assert signing.key_id(signing.load_public_key(pub.read_bytes())) == signing.key_id(build["key"])
    signed = [tarball, dist / "SHA256SUMS"]
    if shutil.which("dpkg-deb"):
        signed.append(dist / f"liaison-desktop_{__version__}_amd64.deb")
    for f in signed:
        sig = f.with_name(f.name + ".sig")
        assert (
            cli.main(
                ["verify-installer", str(f), "--signature", str(sig), "--public-key", str(pub)]
            )
            == 0
        )
    sums = (dist / "SHA256SUMS").read_text().split()
    assert sums[sums.index(tarball.name) - 1] == signing.sha256_file(tarball)

    with tarfile.open(tarball) as tar:
        assert (
            f"liaison-desktop-{__version__}-{signing.current_platform()}/liaison-desktop"
            in tar.getnames()
        )
    tampered = tmp_path / tarball.name
    data = bytearray(tarball.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    assert (
        cli.main(
            [
                "verify-installer",
                str(tampered),
                "--signature",
                str(tarball.with_name(tarball.name + ".sig")),
                "--public-key",
                str(pub),
            ]
        )
        == 1
    )


def test_without_a_key_the_build_says_so_and_writes_the_public_key(tmp_path: Path) -> None:
    """The throw-away key path, without building again (the signing step only)."""
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import build as build_script  # packaging/build.py
    finally:
        sys.path.pop(0)
    key, pub, throwaway = build_script.load_or_make_key(None, tmp_path)
    assert throwaway and pub.name.endswith("THROWAWAY.pub.pem")
    f = tmp_path / "artefact"
    f.write_bytes(b"x" * 10)
    (sig,) = build_script.sign_all([f], key)
    signing.verify_file(f, sig.read_bytes(), signing.load_public_key(pub.read_bytes()))
