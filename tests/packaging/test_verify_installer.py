"""``liaison-desktop verify-installer``: exit 0 only for the right file, signature and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison_desktop import cli
from liaison_desktop.sync import signing


@pytest.fixture
def signed(tmp_path: Path):
    key = signing.generate_private_key()
    f = tmp_path / "liaison-desktop.tar.gz"
    f.write_bytes(b"\x1f\x8b" + bytes(range(256)) * 40)
    sig = tmp_path / "liaison-desktop.tar.gz.sig"
    sig.write_bytes(signing.sign_file(f, key))
    pub = tmp_path / "key.pub.pem"
    pub.write_bytes(signing.public_key_pem(key))
    return f, sig, pub


def verify(f: Path, sig: Path, pub: Path) -> int:
    return cli.main(["verify-installer", str(f), "--signature", str(sig), "--public-key", str(pub)])


def test_good_signature_exits_0(signed, capsys) -> None:
    assert verify(*signed) == 0
    assert "klopt" in capsys.readouterr().out


def test_one_flipped_byte_exits_non_zero(signed, capsys) -> None:
    f, sig, pub = signed
    data = bytearray(f.read_bytes())
    data[1000] ^= 0x01
    f.write_bytes(bytes(data))
    assert verify(f, sig, pub) == cli.EXIT_FAIL
    assert "klopt niet" in capsys.readouterr().err


def test_other_key_exits_non_zero(signed, tmp_path: Path) -> None:
    f, sig, _pub = signed
    other = tmp_path / "other.pem"
    other.write_bytes(signing.public_key_pem(signing.generate_private_key()))
    assert verify(f, sig, other) == cli.EXIT_FAIL


def test_base64_public_key_is_accepted(signed, tmp_path: Path) -> None:
    f, sig, pub = signed
    b64 = tmp_path / "key.b64"
    b64.write_text(signing.public_key_b64(signing.load_public_key(pub.read_bytes())) + "\n")
    assert verify(f, sig, b64) == 0


@pytest.mark.parametrize("broken", ["signature", "key", "file"])
def test_missing_or_garbage_inputs_exit_non_zero(signed, tmp_path: Path, broken: str) -> None:
    f, sig, pub = signed
    if broken == "signature":
        sig.write_bytes(b"short")
    elif broken == "key":
        pub.write_text("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
    else:
        f = tmp_path / "missing.tar.gz"
    assert verify(f, sig, pub) != 0
