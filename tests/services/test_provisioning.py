"""Provisioning: IT's system-wide settings file, the registry policy form, bad inputs, none at all;
and the update check against a real server with the provisioned key."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from liaison_desktop.services import provisioning, updates
from liaison_desktop.sync import signing

KEY = signing.generate_private_key()
CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def write(tmp_path: Path, content) -> Path:
    path = tmp_path / "provisioning.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_full_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text(CA)
    path = write(
        tmp_path,
        {
            "server_url": "https://liaison.gemeente.nl",
            "organisation": "Gemeente Voorbeeld",
            "ca_file": "ca.pem",
            "update_public_key": signing.public_key_b64(KEY),
            "settings": {"idle_minutes": 3, "language": "en"},
            "locked": ["server_url", "idle_minutes"],
        },
    )
    p = provisioning.load(path)
    assert p.provisioned and p.source == str(path)
    assert p.server_url == "https://liaison.gemeente.nl"
    assert p.organisation == "Gemeente Voorbeeld"
    assert p.ca_pem == CA
    assert p.settings == {"idle_minutes": 3, "language": "en"}
    assert p.is_locked("idle_minutes") and not p.is_locked("language")
    assert p.can_check_updates and p.problems == ()


def test_no_file_means_not_provisioned_and_no_update_check(tmp_path: Path) -> None:
    p = provisioning.load(tmp_path / "absent.json")
    assert not p.provisioned and p.problems == ()
    assert not p.can_check_updates
    assert updates.check_for_update(p) is None  # nothing is asked of any network


def test_env_variable_chooses_the_file_and_empty_turns_it_off(tmp_path: Path) -> None:
    path = write(tmp_path, {"organisation": "X"})
    assert provisioning.load(environ={provisioning.ENV_FILE: str(path)}).organisation == "X"
    assert not provisioning.load(environ={provisioning.ENV_FILE: ""}).provisioned


def test_default_location_per_platform() -> None:
    path = provisioning.default_path()
    assert path.name == "provisioning.json"
    assert "liaison" in str(path).lower()


@pytest.mark.parametrize(
    "content,needle",
    [
        ("{not json", "geen geldige JSON"),
        ("[1, 2]", "geen JSON-object"),
        ("{" + " " * (70 * 1024) + "}", "groter dan 64 kB"),
    ],
)
def test_unusable_file_is_ignored_with_a_problem(tmp_path: Path, content: str, needle: str) -> None:
    p = provisioning.load(write(tmp_path, content))
    assert not p.provisioned
    assert any(needle in problem for problem in p.problems)


@pytest.mark.parametrize(
    "values,key",
    [
        ({"server_url": "http://liaison.gemeente.nl"}, "server_url"),
        ({"server_url": 42}, "server_url"),
        ({"update_public_key": "not a key"}, "update_public_key"),
        ({"ca_pem": "hello"}, "ca_pem"),
        ({"ca_file": "/nonexistent/ca.pem"}, "ca_file"),
        ({"update_check": "yes"}, "update_check"),
        ({"settings": {"idle_minutes": "five"}}, "settings.idle_minutes"),
        ({"settings": {"colour": "red"}}, "settings.colour"),
        ({"settings": []}, "settings"),
        ({"locked": "server_url"}, "locked"),
        ({"locked": ["passphrase"]}, "locked.passphrase"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_each_bad_value_is_left_out_and_named(tmp_path: Path, values: dict, key: str) -> None:
    p = provisioning.load(write(tmp_path, {"organisation": "Gemeente", **values}))
    assert p.provisioned and p.organisation == "Gemeente"  # the good values still count
    assert any(f"'{key}'" in problem for problem in p.problems), p.problems
    assert p.server_url is None and p.update_public_key is None and p.ca_pem is None
    assert p.locked == frozenset() and p.settings == {}


def test_problems_name_the_key_never_the_value(tmp_path: Path, caplog) -> None:
    value = "Jansen 123456782"
    p = provisioning.load(
        write(
            tmp_path,
            {
                "server_url": value,
                "organisation": 7,
                "settings": {"language": 3},
                "update_public_key": value,
            },
        )
    )
    assert len(p.problems) == 4
    assert not any("Jansen" in x or "123456782" in x for x in p.problems)
    assert "Jansen" not in caplog.text and "123456782" not in caplog.text


def test_registry_policy_wins_over_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, {"server_url": "https://a.example.nl", "settings": {"language": "nl"}})
    policy = {
        "ServerUrl": "https://b.example.nl",
        "IdleMinutes": 2,
        "Locked": ["idle_minutes", "server_url"],
        "UpdateCheck": 0,
    }
    p = provisioning.load(path, registry=policy)
    assert p.server_url == "https://b.example.nl"
    assert p.settings == {"language": "nl", "idle_minutes": 2}
    assert p.locked == {"idle_minutes", "server_url"}
    assert p.update_check is False
    assert "HKLM" in (p.source or "")


# -- the update check against a real server ---------------------------------------------


class _Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def download_server(tmp_path: Path):
    folder = tmp_path / "www"
    folder.mkdir()
    handler = lambda *a, **kw: _Files(*a, directory=str(folder), **kw)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def live_server(tmp_path: Path):
    from tests.server.support import LiveServer

    with LiveServer(tmp_path / "server") as srv:
        yield srv


def publish(srv, tmp_path: Path, version: str, url: str, data: bytes, *, sha=None, key=KEY):
    art = signing.Artifact(
        signing.current_platform(), url, len(data), sha or hashlib.sha256(data).hexdigest()
    )
    payload = signing.build_manifest_payload(version, datetime.now(UTC) + timedelta(days=2), [art])
    path = tmp_path / f"manifest-{version}.json"
    path.write_bytes(signing.sign_manifest(payload, key))
    srv.admin("publish-update", "--manifest", str(path))


def provisioned_for(srv, tmp_path: Path) -> provisioning.Provisioning:
    return provisioning.load(
        write(tmp_path, {"server_url": srv.url, "update_public_key": signing.public_key_b64(KEY)})
    )


def test_update_is_offered_downloaded_and_hash_checked(
    live_server, download_server, tmp_path: Path
) -> None:
    folder, base = download_server
    build = b"new build " * 5000
    (folder / "ld-9.0.0.tar.gz").write_bytes(build)
    prov = provisioned_for(live_server, tmp_path)
    assert updates.check_for_update(prov).offer is None  # nothing published yet

    publish(live_server, tmp_path, "9.0.0", f"{base}/ld-9.0.0.tar.gz", build)
    check = updates.check_for_update(prov)
    assert check.offer is not None and check.offer.version == "9.0.0"
    got = updates.download(check.offer, tmp_path / "downloads")
    assert got.read_bytes() == build

    # The file on the download server is swapped: the download is refused and not kept.
    (folder / "ld-9.0.0.tar.gz").write_bytes(build[:-1] + b"X")
    got.unlink()
    with pytest.raises(signing.DownloadRejected):
        updates.download(check.offer, tmp_path / "downloads")
    assert list((tmp_path / "downloads").iterdir()) == []


def test_rollback_and_foreign_key_are_refused_not_offered(live_server, tmp_path: Path) -> None:
    prov = provisioned_for(live_server, tmp_path)
    publish(live_server, tmp_path, "0.0.1", "https://u.example.nl/x", b"old")
    check = updates.check_for_update(prov)
    assert check.offer is None and "ouder" in (check.refused or "")

    publish(
        live_server,
        tmp_path,
        "9.9.9",
        "https://u.example.nl/x",
        b"evil",
        key=signing.generate_private_key(),
    )
    check = updates.check_for_update(prov)
    assert check.offer is None and "niet ondertekend" in (check.refused or "")


def test_unreachable_server_is_reported_quietly(tmp_path: Path) -> None:
    from tests.server.support import free_port

    prov = provisioning.load(
        write(
            tmp_path,
            {
                "server_url": f"http://127.0.0.1:{free_port()}",
                "update_public_key": signing.public_key_b64(KEY),
            },
        )
    )
    check = updates.check_for_update(prov)
    assert check is not None and check.offer is None and check.unreachable
