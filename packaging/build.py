#!/usr/bin/env python3
"""Build, self-test, package and sign Liaison Desktop for the current OS: `python packaging/build.py`.

Steps: compile the translations (pyside6-lrelease) -> PyInstaller onedir bundle from
packaging/liaison-desktop.spec -> run the bundled app's ``--self-test`` offscreen -> the
platform's packages -> SHA256SUMS -> detached Ed25519 signatures. Artefacts land in ``dist/``.

Signing key: ``--signing-key FILE`` or ``LIAISON_SIGNING_KEY_FILE`` (an Ed25519 private key in
PEM; never kept in the repository). Without one a throw-away key is made, a warning says so,
and its public key is written beside the artefacts; such a build must not be distributed.

Linux: ``.tar.gz`` and, with dpkg-deb present, a ``.deb``. Windows: Authenticode with signtool
(timestamped) and an Inno Setup installer, when ``LIAISON_SIGNTOOL_CERT`` (a .pfx) or
``LIAISON_SIGNTOOL_SHA1`` (a certificate in the store) is set. macOS: ``codesign`` with the
hardened runtime and ``notarytool`` when ``LIAISON_CODESIGN_IDENTITY`` and
``LIAISON_NOTARY_PROFILE`` are set. See docs/deploying.md.

``python packaging/build.py manifest ...`` writes the signed update manifest that IT uploads
with ``liaison-server admin publish-update``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from liaison_desktop import __version__ as VERSION  # noqa: E402
from liaison_desktop.sync import signing  # noqa: E402

SPEC = ROOT / "packaging" / "liaison-desktop.spec"
APP = "liaison-desktop"
KEY_ENV = "LIAISON_SIGNING_KEY_FILE"
SELF_TEST_TIMEOUT = 180


def log(message: str) -> None:
    print(f"== {message}", file=sys.stderr, flush=True)


def warn_loudly(message: str) -> None:
    bar = "!" * 78
    print(f"\n{bar}\n!! {message}\n{bar}\n", file=sys.stderr, flush=True)


def run(cmd: list[str | Path], **kw: object) -> None:
    printable = " ".join(str(c) for c in cmd)
    log(printable)
    # Tools' chatter goes to stderr: stdout carries only the JSON report.
    kw.setdefault("stdout", sys.stderr)
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


def platform_tag() -> str:
    return signing.current_platform()


# -- steps -------------------------------------------------------------------------------


def ensure_build_tools() -> None:
    """PyInstaller needs objdump on Linux, and the spec strips with strip (both binutils).

    A bare Debian (the CI image) lacks binutils; as root with apt-get it is installed here,
    otherwise the build stops with the command to run.
    """
    if not sys.platform.startswith("linux") or (shutil.which("objdump") and shutil.which("strip")):
        return
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        log("binutils missing (objdump, strip): installing it with apt-get")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        install = [apt, "install", "-y", "-q", "--no-install-recommends", "binutils"]
        if subprocess.run(install, env=env, stdout=sys.stderr, check=False).returncode != 0:
            run([apt, "update", "-q"], env=env)
            run(install, env=env)
        return
    raise SystemExit("binutils (objdump, strip) is needed: sudo apt-get install binutils")


def compile_translations(out: Path) -> list[Path]:
    from liaison_desktop.ui import i18n

    if out.exists():
        shutil.rmtree(out)
    written = i18n.compile_catalogs(out_dir=out)
    log(f"translations: {', '.join(p.name for p in written)}")
    return written


def build_bundle(work: Path, qm_dir: Path, *, clean: bool) -> Path:
    dist = work / "dist"
    cmd: list[str | Path] = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level"]
    cmd += ["WARN", "--distpath", dist, "--workpath", work / "work"]
    if clean:
        cmd.append("--clean")
    run([*cmd, SPEC], env=dict(os.environ, LIAISON_QM_DIR=str(qm_dir)), cwd=ROOT)
    if sys.platform == "darwin":
        return dist / "Liaison Desktop.app"
    return dist / APP


def bundle_executable(bundle: Path) -> Path:
    if sys.platform == "darwin":
        return bundle / "Contents" / "MacOS" / APP
    return bundle / (f"{APP}.exe" if sys.platform == "win32" else APP)


def self_test(bundle: Path) -> None:
    exe = bundle_executable(bundle)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="liaison-bundle-home-") as home:
        # A fresh home: the self-test must not depend on (or touch) the builder's settings.
        env.update(HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home, XDG_CACHE_HOME=home)
        proc = subprocess.run(
            [str(exe), "--self-test"],
            env=env,
            capture_output=True,
            text=True,
            timeout=SELF_TEST_TIMEOUT,
            check=False,
        )
    # A windowed Windows executable has no stdout; there the exit code alone counts.
    printed_ok = "OK" in proc.stdout.split() or sys.platform == "win32"
    if proc.returncode != 0 or not printed_ok:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"self-test of the bundle failed (exit {proc.returncode})")
    log("self-test of the bundle: OK")


def smoke_test(bundle: Path) -> None:
    """What ``--self-test`` does not reach but the app loads by name at run time: Faker's
    Dutch locale, the holiday catalogues (demo data with a week schedule), the .ics export."""
    exe = bundle_executable(bundle)
    with tempfile.TemporaryDirectory(prefix="liaison-bundle-smoke-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=tmp, XDG_DATA_HOME=tmp)
        env.update(XDG_CONFIG_HOME=tmp, XDG_CACHE_HOME=tmp)
        env["LIAISON_PASSPHRASE"] = "rook test bundel"  # noqa: S105 - a throw-away store
        data = Path(tmp) / "data"
        today = datetime.now(UTC).date()
        runs = [
            ["init-demo", "--data-dir", str(data), "--clients", "12"],
            [
                "export-ics",
                "--data-dir",
                str(data),
                "--from",
                str(today - timedelta(days=7)),
                "--to",
                str(today + timedelta(days=21)),
                "--out",
                str(Path(tmp) / "agenda.ics"),
            ],
        ]
        for args in runs:
            proc = subprocess.run(
                [str(exe), *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=SELF_TEST_TIMEOUT,
                check=False,
            )
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr[-4000:])
                raise SystemExit(f"bundle smoke test `{args[0]}` failed (exit {proc.returncode})")
        if "BEGIN:VEVENT" not in (Path(tmp) / "agenda.ics").read_text():
            raise SystemExit("bundle smoke test: the exported agenda has no appointments")
    log("smoke test of the bundle (demo data, holidays, .ics): OK")


def _tar_filter(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or info.mtime
    return info


def make_tarball(bundle: Path, dist: Path) -> Path:
    name = f"{APP}-{VERSION}-{platform_tag()}"
    target = dist / f"{name}.tar.gz"
    log(f"tarball {target.name}")
    # compresslevel 6: level 9 costs twice the time here for under 1 % smaller.
    with gzip.GzipFile(target, "wb", compresslevel=6, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(bundle, arcname=name, filter=_tar_filter)
    return target


DEB_DEPENDS = (
    "libc6, libgl1, libegl1, libfontconfig1, libdbus-1-3, libxkbcommon-x11-0, libxcb-cursor0, "
    "libxcb-icccm4, libxcb-keysyms1, libxcb-shape0"
)
DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=Liaison Desktop
Comment=Werkplek van de jeugdprofessional bij de huisarts
Exec=/opt/liaison-desktop/liaison-desktop
Terminal=false
Categories=Office;MedicalSoftware;
"""


def make_deb(bundle: Path, dist: Path) -> Path | None:
    dpkg = shutil.which("dpkg-deb")
    if dpkg is None:
        log("dpkg-deb not found: no .deb")
        return None
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    target = dist / f"{APP}_{VERSION}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="liaison-deb-", dir=dist.parent) as tmp:
        root = Path(tmp)
        shutil.copytree(bundle, root / "opt" / APP, symlinks=True)
        (root / "usr" / "bin").mkdir(parents=True)
        (root / "usr" / "bin" / APP).symlink_to(f"/opt/{APP}/{APP}")
        apps = root / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        (apps / f"{APP}.desktop").write_text(DESKTOP_ENTRY)
        (root / "etc" / APP).mkdir(parents=True)  # where IT puts provisioning.json
        size_kb = dir_size(root) // 1024
        (root / "DEBIAN").mkdir()
        (root / "DEBIAN" / "control").write_text(
            f"Package: {APP}\nVersion: {VERSION}\nArchitecture: {arch}\n"
            "Maintainer: Liaison Desktop <beheer@example.invalid>\n"
            f"Installed-Size: {size_kb}\nDepends: {DEB_DEPENDS}\nSection: misc\n"
            "Priority: optional\nDescription: Liaison Desktop\n"
            " Offline-first werkplek voor de jeugdprofessional bij de huisarts.\n"
        )
        # gzip: xz takes minutes for a bundle this size on a small machine.
        run([dpkg, "--build", "--root-owner-group", "-Zgzip", "-z6", root, target])
    return target


def windows_sign_and_package(bundle: Path, dist: Path) -> list[Path]:
    """Authenticode (timestamped) for the exe, Inno Setup installer, Authenticode for that."""
    cert, sha1 = os.environ.get("LIAISON_SIGNTOOL_CERT"), os.environ.get("LIAISON_SIGNTOOL_SHA1")
    stamp = os.environ.get("LIAISON_TIMESTAMP_URL", "http://timestamp.digicert.com")

    def authenticode(target: Path) -> None:
        if not (cert or sha1):
            warn_loudly(f"NOT Authenticode-signed: {target.name} (set LIAISON_SIGNTOOL_CERT)")
            return
        cmd: list[str | Path] = ["signtool", "sign", "/fd", "SHA256", "/td", "SHA256"]
        cmd += ["/tr", stamp]
        if cert:
            cmd += ["/f", cert]
            if os.environ.get("LIAISON_SIGNTOOL_PASSWORD"):
                cmd += ["/p", os.environ["LIAISON_SIGNTOOL_PASSWORD"]]
        else:
            cmd += ["/sha1", str(sha1)]
        run([*cmd, target])
        run(["signtool", "verify", "/pa", "/v", target])

    authenticode(bundle_executable(bundle))
    iscc = shutil.which("iscc") or r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"
    run(
        [
            iscc,
            f"/DAppVersion={VERSION}",
            f"/DBundleDir={bundle}",
            f"/DOutputDir={dist}",
            ROOT / "packaging" / "windows" / "liaison-desktop.iss",
        ]
    )
    installer = dist / f"{APP}-{VERSION}-setup.exe"
    authenticode(installer)
    return [installer]


def macos_sign_and_package(bundle: Path, dist: Path) -> list[Path]:
    """codesign (hardened runtime, timestamp), notarytool, staple, then a zip and a dmg."""
    identity = os.environ.get("LIAISON_CODESIGN_IDENTITY")
    entitlements = ROOT / "packaging" / "macos" / "entitlements.plist"
    if identity:
        run(
            ["codesign", "--force", "--deep", "--options", "runtime", "--timestamp"]
            + ["--entitlements", entitlements, "--sign", identity, bundle]
        )
        run(["codesign", "--verify", "--deep", "--strict", "--verbose=2", bundle])
    else:
        warn_loudly("NOT code-signed for macOS (set LIAISON_CODESIGN_IDENTITY)")
    zipped = dist / f"{APP}-{VERSION}-{platform_tag()}.zip"
    run(["ditto", "-c", "-k", "--keepParent", bundle, zipped])
    profile = os.environ.get("LIAISON_NOTARY_PROFILE")
    if identity and profile:
        run(["xcrun", "notarytool", "submit", zipped, "--keychain-profile", profile, "--wait"])
        run(["xcrun", "stapler", "staple", bundle])
        zipped.unlink()
        run(["ditto", "-c", "-k", "--keepParent", bundle, zipped])  # with the stapled ticket
    elif identity:
        warn_loudly("NOT notarised (set LIAISON_NOTARY_PROFILE, see docs/deploying.md)")
    dmg = dist / f"{APP}-{VERSION}-{platform_tag()}.dmg"
    run(["hdiutil", "create", "-volname", "Liaison Desktop", "-srcfolder", bundle, "-ov", dmg])
    if identity:
        run(["codesign", "--timestamp", "--sign", identity, dmg])
    return [zipped, dmg]


def write_sha256sums(files: list[Path], dist: Path) -> Path:
    target = dist / "SHA256SUMS"
    lines = [f"{signing.sha256_file(f)}  {f.name}\n" for f in sorted(files)]
    target.write_text("".join(lines))
    return target


def load_or_make_key(path: str | None, dist: Path) -> tuple[object, Path, bool]:
    """The signing key and the path of its public key beside the artefacts."""
    if path:
        key = signing.load_private_key(Path(path).expanduser().read_bytes())
        pub = dist / "liaison-desktop-signing.pub.pem"
        throwaway = False
    else:
        key = signing.generate_private_key()
        pub = dist / "liaison-desktop-signing-THROWAWAY.pub.pem"
        throwaway = True
        warn_loudly(
            f"NO SIGNING KEY (--signing-key or {KEY_ENV}): signed with a THROW-AWAY key "
            f"{signing.key_id(key)}. Public key: {pub.name}. Do not distribute this build."
        )
    pub.write_bytes(signing.public_key_pem(key))
    return key, pub, throwaway


def sign_all(files: list[Path], key: object) -> list[Path]:
    sigs = []
    for f in files:
        sig = f.with_name(f.name + ".sig")
        sig.write_bytes(signing.sign_file(f, key))  # type: ignore[arg-type]
        signing.verify_file(f, sig.read_bytes(), key.public_key())  # type: ignore[attr-defined]
        sigs.append(sig)
    return sigs


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


# -- commands ----------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    dist = Path(args.dist).resolve()
    work = Path(args.work).resolve()
    dist.mkdir(parents=True, exist_ok=True)
    for old in dist.iterdir():  # a build's artefacts only, never a stale mix
        if old.is_file() and (old.name.startswith(APP) or old.name == "SHA256SUMS"):
            old.unlink()
    key_path = args.signing_key or os.environ.get(KEY_ENV)
    key, pub, throwaway = load_or_make_key(key_path, dist)
    ensure_build_tools()
    compile_translations(work / "i18n")
    bundle = build_bundle(work, work / "i18n", clean=args.clean)
    built = time.monotonic()
    if not args.skip_self_test:
        self_test(bundle)
        if sys.platform != "win32":  # a windowed Windows exe has no console for the CLI verbs
            smoke_test(bundle)
    artefacts: list[Path] = []
    if sys.platform == "win32":
        artefacts += windows_sign_and_package(bundle, dist)
    elif sys.platform == "darwin":
        artefacts += macos_sign_and_package(bundle, dist)
    else:
        artefacts.append(make_tarball(bundle, dist))
        if not args.skip_deb:
            deb = make_deb(bundle, dist)
            if deb is not None:
                artefacts.append(deb)
    sums = write_sha256sums(artefacts, dist)
    sigs = sign_all([*artefacts, sums], key)
    report = {
        "version": VERSION,
        "platform": platform_tag(),
        "bundle": str(bundle),
        "bundle_mb": round(dir_size(bundle) / 2**20, 1),
        "artefacts": [str(p) for p in [*artefacts, sums, *sigs, pub]],
        "public_key": str(pub),
        "key_id": signing.key_id(key),  # type: ignore[arg-type]
        "throwaway_key": throwaway,
        "bundle_build_s": round(built - started, 1),
        "build_s": round(time.monotonic() - started, 1),
    }
    print(json.dumps(report, indent=1))
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    key_path = args.signing_key or os.environ.get(KEY_ENV)
    if not key_path:
        raise SystemExit(
            f"an update manifest needs the real signing key (--signing-key or {KEY_ENV})"
        )
    key = signing.load_private_key(Path(key_path).expanduser().read_bytes())
    artifacts = []
    for spec in args.artifact:
        try:
            plat, path, url = spec.split("=", 2)
        except ValueError:
            raise SystemExit(f"--artifact PLATFORM=FILE=URL, not {spec!r}") from None
        f = Path(path)
        artifacts.append(signing.Artifact(plat, url, f.stat().st_size, signing.sha256_file(f)))
    expires = datetime.now(UTC) + timedelta(days=args.expires_days)
    payload = signing.build_manifest_payload(args.version, expires, artifacts, args.notes)
    envelope = signing.sign_manifest(payload, key)
    # Check our own output the way the laptops will (as if installed one version lower).
    signing.verify_manifest(envelope, key.public_key(), installed_version="0")
    Path(args.out).write_bytes(envelope)
    print(json.dumps({"out": args.out, "version": args.version, "key_id": signing.key_id(key)}))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__.splitlines()[0])
    p.add_argument("--signing-key", help=f"Ed25519 private key (PEM); else ${KEY_ENV}")
    sub = p.add_subparsers(dest="command")
    b = sub.add_parser("build", help="bundle, self-test, package and sign (the default)")
    for parser in (p, b):
        parser.add_argument("--dist", default=str(ROOT / "dist"))
        parser.add_argument("--work", default=str(ROOT / "build" / "pyinstaller"))
        parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache")
        parser.add_argument("--skip-self-test", action="store_true")
        parser.add_argument("--skip-deb", action="store_true")
    m = sub.add_parser("manifest", help="write the signed update manifest")
    m.add_argument("--signing-key", dest="signing_key_m")
    m.add_argument("--version", default=VERSION)
    m.add_argument(
        "--artifact",
        action="append",
        required=True,
        metavar="PLATFORM=FILE=URL",
        help="e.g. linux-x86_64=dist/liaison-desktop-0.2.0-linux-x86_64.tar.gz=https://...",
    )
    m.add_argument("--expires-days", type=float, default=30.0)
    m.add_argument("--notes", default="")
    m.add_argument("--out", default=str(ROOT / "dist" / "update-manifest.json"))
    args = p.parse_args(argv)
    if args.command == "manifest":
        args.signing_key = args.signing_key_m or args.signing_key
        return cmd_manifest(args)
    return cmd_build(args)


if __name__ == "__main__":
    sys.exit(main())
