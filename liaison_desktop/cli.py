"""The command-line verbs, for IT, trainers and tests."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from liaison_desktop import __version__
from liaison_desktop.domain.errors import DomainError
from liaison_desktop.services import workspace
from liaison_desktop.store.errors import StoreError

if TYPE_CHECKING:
    from liaison_desktop.services.api import Services

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


def cmd_enroll(args: argparse.Namespace) -> int:
    from liaison_desktop.services import enrolment
    from liaison_desktop.sync.transport import TransportError

    creating = not workspace.exists(args.data_dir)
    server, provisioned_ca = _provisioned_server(args.server)
    try:
        ca_pem = enrolment.read_ca_file(args.ca_file) if args.ca_file else provisioned_ca
        passphrase = read_passphrase(confirm=creating)
        result = enrolment.enroll(
            args.data_dir,
            server,
            args.code,
            passphrase,
            ca_pem=ca_pem,
            device_name=args.device_name,
            replace=args.replace,
        )
    except (enrolment.EnrolmentError, TransportError) as exc:
        raise CliError(exc.message) from exc
    print(json.dumps(result.summary()))
    if result.recovery_key:
        print(f"Herstelsleutel (bewaar deze goed): {result.recovery_key}", file=sys.stderr)
    _fetch_vault(args.data_dir, passphrase)
    return EXIT_OK


def _fetch_vault(data_dir: Path, passphrase: str) -> None:
    """After enrolling: get (or set up) the vault key now, while the passphrase is known."""
    from liaison_desktop.services import sync as syncsvc

    try:
        syncsvc.setup_vault(data_dir, passphrase)
    except Exception as exc:  # noqa: BLE001 - enrolment stands; the next sync tries again
        message = getattr(exc, "message", None) or str(exc)
        print(f"Let op: de kluissleutel is nog niet opgehaald ({message}).", file=sys.stderr)


def cmd_sync(args: argparse.Namespace) -> int:
    from liaison_desktop.services import enrolment
    from liaison_desktop.services import sync as syncsvc
    from liaison_desktop.sync.transport import DeviceRevoked, TransportError

    passphrase = read_passphrase()
    services = workspace.open_workspace(args.data_dir, passphrase)
    try:
        summary = syncsvc.sync_with_retry(
            services,
            lambda: enrolment.server_client(services),
            attempts=max(1, args.attempts),
            passphrase=passphrase,
        )
    except DeviceRevoked as exc:
        raise CliError(enrolment.mark_revoked(services).message) from exc
    except (syncsvc.SyncError, enrolment.EnrolmentError) as exc:
        raise CliError(exc.message) from exc
    except TransportError as exc:
        raise CliError(str(exc)) from exc
    finally:
        services.lock()
    print(json.dumps(summary.to_json()))
    if summary.skew_warning:
        print(f"Let op: {summary.skew_warning}", file=sys.stderr)
    return EXIT_OK


def _provisioned_server(given: str | None) -> tuple[str, str | None]:
    """The server (and pinned CA) to enrol with: --server, else what IT provisioned; a
    server IT locked cannot be replaced by another."""
    from liaison_desktop.services import provisioning
    from liaison_desktop.sync.transport import TransportError, normalise_server_url

    prov = provisioning.current()
    if not given:
        if not prov.server_url:
            raise CliError("Geef --server op: er is geen serveradres door IT ingesteld.")
        return prov.server_url, prov.ca_pem
    if prov.server_url and prov.is_locked("server_url"):
        try:
            same = normalise_server_url(given, allow_plain_http=True) == normalise_server_url(
                prov.server_url, allow_plain_http=True
            )
        except TransportError as exc:
            raise CliError(exc.message) from exc
        if not same:
            raise CliError(
                f"Het serveradres is door de beheerder vastgezet op {prov.server_url}; "
                "een andere server is niet toegestaan."
            )
    same_server = prov.server_url is not None and given.rstrip("/") == prov.server_url.rstrip("/")
    return given, prov.ca_pem if same_server else None


def cmd_export_ics(args: argparse.Namespace) -> int:
    from liaison_desktop.services import ics

    services = _open(args.data_dir)
    try:
        report = ics.export_ics(services, args.out, args.date_from, args.date_to)
    finally:
        services.lock()
    print(json.dumps({"out": str(report.path), "events": report.events}))
    return EXIT_OK


def cmd_overview(args: argparse.Namespace) -> int:
    from liaison_desktop.services import enrolment
    from liaison_desktop.services import overview as ov
    from liaison_desktop.sync.transport import DeviceRevoked, TransportError

    if args.date_to < args.date_from:
        raise CliError("De einddatum ligt vóór de begindatum.")
    services = _open(args.data_dir)
    try:
        fetched = ov.fetch_overview(
            services, args.date_from, args.date_to, args.period, team_id=args.team
        )
        ov.write_overview(args.out, fetched, args.format)
    except DeviceRevoked as exc:
        raise CliError(enrolment.mark_revoked(services).message) from exc
    except (ov.OverviewError, enrolment.EnrolmentError) as exc:
        raise CliError(exc.message) from exc
    except TransportError as exc:
        raise CliError(str(exc)) from exc
    finally:
        services.lock()
    summary = {
        "out": str(args.out),
        "scope": fetched.title,
        "rows": len(fetched.overview.rows),
        "threshold": fetched.overview.threshold,
    }
    print(json.dumps(summary, ensure_ascii=False))
    return EXIT_OK


def cmd_monitoring_export(args: argparse.Namespace) -> int:
    from liaison_desktop.services import overview as ov

    if args.date_to < args.date_from:
        raise CliError("De einddatum ligt vóór de begindatum.")
    if args.out.suffix.lower() not in (".csv", ".json"):
        raise CliError("Geef een bestandsnaam op .csv of .json.")
    services = _open(args.data_dir)
    try:
        report = ov.export_monitoring(services, args.out, args.date_from, args.date_to)
    except ov.OverviewError as exc:
        raise CliError(exc.message) from exc
    finally:
        services.lock()
    print(json.dumps({"out": str(report.path), "rows": report.rows}))
    return EXIT_OK


def cmd_verify_installer(args: argparse.Namespace) -> int:
    from liaison_desktop.sync import signing

    try:
        key = signing.load_public_key(args.public_key.read_bytes())
        signature = args.signature.read_bytes()
        signing.verify_file(args.file, signature, key)
    except OSError as exc:
        raise CliError(f"Niet leesbaar: {exc.filename or 'bestand'}.", EXIT_FAIL) from exc
    except signing.SignatureError as exc:
        raise CliError(exc.message, EXIT_FAIL) from exc
    print(f"Handtekening klopt: {args.file.name} (sleutel {signing.key_id(key)}).")
    return EXIT_OK


def cmd_agenda(args: argparse.Namespace) -> int:
    from liaison_desktop.services import agenda, enrolment
    from liaison_desktop.sync.transport import DeviceRevoked, TransportError

    services = _open(args.data_dir)
    try:
        with agenda.client_for(services) as client:
            if args.next_meeting is not None:
                team_ids = [args.team] if args.team else list(client.me().team_ids)
                if len(team_ids) != 1:
                    raise CliError("Kies met --team het team waarvan je het overleg plant.")
                agenda.set_next_meeting(client, team_ids[0], args.next_meeting)
            report = agenda.refresh(services, client, team_ids=[args.team] if args.team else None)
    except DeviceRevoked as exc:
        raise CliError(enrolment.mark_revoked(services).message) from exc
    except (enrolment.EnrolmentError, agenda.AgendaError) as exc:
        raise CliError(exc.message) from exc
    except TransportError as exc:
        raise CliError(str(exc)) from exc
    finally:
        services.lock()
    print(json.dumps(report.to_json(), ensure_ascii=False))
    return EXIT_OK


def _local_datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"geen datum en tijd (JJJJ-MM-DDTUU:MM): {text!r}"
        ) from None
    return value if value.tzinfo else value.astimezone()


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen datum (JJJJ-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="liaison-desktop",
        description="Liaison Desktop: caseload, toestemming, contacten en rooster van de "
        "jeugdprofessional bij de huisarts.",
    )
    p.add_argument("--version", action="version", version=f"liaison-desktop {__version__}")
    p.add_argument("--demo", action="store_true", help="open een tijdelijke demo-omgeving")
    p.add_argument("--data-dir", type=Path, help="map met het versleutelde gegevensbestand")
    # For packaging: offscreen, temp store, open the window, write and read a record, print OK.
    p.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
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

    s = sub.add_parser(
        "export-ics", help="agenda van een periode als .ics, zonder namen van cliënten (gelogd)"
    )
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="JJJJ-MM-DD")
    s.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="JJJJ-MM-DD")
    s.add_argument("--out", type=Path, required=True)
    s.set_defaults(func=cmd_export_ics)

    s = sub.add_parser("verify-log", help="controleer de keten van het toegangslog")
    s.add_argument("--data-dir", type=Path, required=True)
    s.set_defaults(func=cmd_verify_log)

    s = sub.add_parser(
        "enroll",
        help="meld deze laptop aan bij de server met een eenmalige code van de beheerder",
    )
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument(
        "--server",
        help="adres van de server, bijv. https://liaison.example.nl (standaard: wat IT instelde)",
    )
    s.add_argument("--code", required=True, help="de eenmalige aanmeldcode")
    s.add_argument(
        "--ca-file", type=Path, help="CA-certificaat (PEM) van de server, als IT dat geeft"
    )
    s.add_argument(
        "--device-name", help="naam van deze laptop voor de beheerder (standaard de computernaam)"
    )
    s.add_argument("--replace", action="store_true", help="vervang een eerdere aanmelding")
    s.set_defaults(func=cmd_enroll)

    s = sub.add_parser(
        "sync", help="synchroniseer één keer met de server en toon een JSON-samenvatting"
    )
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument(
        "--attempts", type=int, default=3, help="pogingen bij een onbereikbare server (3)"
    )
    s.set_defaults(func=cmd_sync)

    s = sub.add_parser(
        "overview",
        help="overzicht van het team (teamleider) of de eigen cijfers, kleine aantallen als <5",
    )
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="JJJJ-MM-DD")
    s.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="JJJJ-MM-DD")
    s.add_argument("--format", choices=("csv", "json"), default="csv")
    s.add_argument(
        "--period", choices=("week", "month", "quarter", "year"), default="month", help="(month)"
    )
    s.add_argument("--team", help="id van het team (standaard het eerste team dat je leidt)")
    s.add_argument("--out", type=Path, required=True)
    s.set_defaults(func=cmd_overview)

    s = sub.add_parser(
        "monitoring-export",
        help="monitoringbestand: één regel per traject, pseudoniem, zonder namen (gelogd)",
    )
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="JJJJ-MM-DD")
    s.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="JJJJ-MM-DD")
    s.add_argument("--out", type=Path, required=True, help="bestand op .csv of .json")
    s.set_defaults(func=cmd_monitoring_export)

    s = sub.add_parser(
        "agenda",
        help="agenda van het volgende basisteamoverleg als JSON (initialen en vraag, "
        "ontsleuteld op deze laptop); haalt eerst eigen punten zonder toestemming weg",
    )
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument("--team", help="id van één team (standaard alle teams waarvan je lid bent)")
    s.add_argument(
        "--next-meeting",
        type=_local_datetime,
        metavar="JJJJ-MM-DDTUU:MM",
        help="teamleider: plan eerst het volgende overleg (lokale tijd)",
    )
    s.set_defaults(func=cmd_agenda)

    s = sub.add_parser(
        "verify-installer", help="controleer de Ed25519-handtekening van een installatiebestand"
    )
    s.add_argument("file", type=Path, metavar="BESTAND")
    s.add_argument("--signature", type=Path, required=True, metavar="SIG")
    s.add_argument("--public-key", type=Path, required=True, metavar="SLEUTEL")
    s.set_defaults(func=cmd_verify_installer)
    return p


def run(args: argparse.Namespace) -> int:
    """Run a parsed sub-command; errors become a Dutch message on stderr and an exit code."""
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return exc.code
    except StoreError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except DomainError as exc:
        print(f"Fout: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        from liaison_desktop.store.keys import KeyStoreError

        if isinstance(exc, KeyStoreError):
            print(f"Fout: {exc}", file=sys.stderr)
            return EXIT_ERROR
        raise
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.error("geen opdracht gegeven")
    return run(args)
