"""The command-line verbs, for IT, trainers and tests."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from liaison_desktop import __version__
from liaison_desktop.domain.errors import DomainError
from liaison_desktop.services import workspace
from liaison_desktop.services.api import Services
from liaison_desktop.store.errors import StoreError
from liaison_desktop.store.keys import KeyStoreError

PASSPHRASE_ENV = "LIAISON_PASSPHRASE"  # noqa: S105 - the variable name, not a secret
EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class CliError(Exception):
    """A problem to report on stderr, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def read_passphrase(*, confirm: bool = False) -> str:
    """The passphrase from LIAISON_PASSPHRASE, else a prompt (twice when creating)."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"Geen wachtwoordzin: zet {PASSPHRASE_ENV} of start vanuit een terminal.")
    first = getpass.getpass("Wachtwoordzin: ")
    if confirm and getpass.getpass("Herhaal de wachtwoordzin: ") != first:
        raise CliError("De wachtwoordzinnen zijn niet gelijk.")
    return first


def _open(data_dir: Path) -> Services:
    return workspace.open_workspace(data_dir, read_passphrase())


def cmd_init_demo(args: argparse.Namespace) -> int:
    from liaison_desktop.services import demo

    if workspace.exists(args.data_dir):
        raise CliError(f"In {args.data_dir} staat al een gegevensbestand; kies een lege map.")
    passphrase = read_passphrase(confirm=True)
    services, recovery = workspace.create_workspace(
        args.data_dir, passphrase, "Demo Jeugdprofessional"
    )
    try:
        report = demo.generate(services, args.clients, seed=args.seed)
    finally:
        services.lock()
    print(json.dumps({"data_dir": str(args.data_dir), **report.__dict__}))
    print(f"Herstelsleutel (bewaar deze goed): {recovery}", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    services = _open(args.data_dir)
    try:
        report = services.export(args.out, client_id=args.client)
    finally:
        services.lock()
    print(
        json.dumps({"out": str(report.path), "clients": report.clients, "records": report.records})
    )
    return EXIT_OK


def cmd_verify_log(args: argparse.Namespace) -> int:
    services = _open(args.data_dir)
    try:
        report = services.verify_access_log()
    finally:
        services.lock()
    if report.ok:
        print(f"Toegangslog intact: {report.checked} regels gecontroleerd.")
        return EXIT_OK
    print(f"Toegangslog verbroken bij regel {report.first_broken_seq}: {report.reason}")
    return EXIT_FAIL


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="liaison-desktop",
        description="Liaison Desktop: caseload, toestemming, contacten en rooster van de "
        "jeugdprofessional bij de huisarts.",
    )
    p.add_argument("--version", action="version", version=f"liaison-desktop {__version__}")
    p.add_argument("--demo", action="store_true", help="open een tijdelijke demo-omgeving")
    p.add_argument("--data-dir", type=Path, help="map met het versleutelde gegevensbestand")
    sub = p.add_subparsers(dest="command", metavar="OPDRACHT")

    s = sub.add_parser("init-demo", help="maak een versleuteld gegevensbestand met demodata")
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument("--clients", type=int, default=500)
    s.add_argument("--seed", type=int, default=7)
    s.set_defaults(func=cmd_init_demo)

    s = sub.add_parser("export", help="JSON-export van alles of van één cliënt (gelogd)")
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--client", help="id van één cliënt (recht op inzage en overdraagbaarheid)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("verify-log", help="controleer de keten van het toegangslog")
    s.add_argument("--data-dir", type=Path, required=True)
    s.set_defaults(func=cmd_verify_log)
    return p


def run(args: argparse.Namespace) -> int:
    """Run a parsed sub-command; errors become a Dutch message on stderr and an exit code."""
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return exc.code
    except (StoreError, KeyStoreError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except DomainError as exc:
        print(f"Fout: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.error("geen opdracht gegeven")
    return run(args)
