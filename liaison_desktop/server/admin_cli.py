"""``liaison-server admin ...``: accounts, enrolment codes and devices for IT, as JSON.

Each command prints exactly one JSON object on stdout (with ``id``, and ``code`` for an
enrolment code) so that it can be scripted; errors go to stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from liaison_desktop.server import accounts, migrate
from liaison_desktop.server.db import Database
from liaison_desktop.server.settings import Settings
from liaison_desktop.sync.protocol import Role, format_time


def add_commands(admin: argparse.ArgumentParser) -> None:
    sub = admin.add_subparsers(dest="admin_command", metavar="OPDRACHT", required=True)

    s = sub.add_parser("create-org", help="maak een organisatie")
    s.add_argument("--name", required=True)
    s.set_defaults(admin_func=_create_org)

    s = sub.add_parser("create-team", help="maak een team in een organisatie")
    s.add_argument("--org", required=True, metavar="ID")
    s.add_argument("--name", required=True)
    s.set_defaults(admin_func=_create_team)

    s = sub.add_parser("create-user", help="maak een gebruiker in een team")
    s.add_argument("--team", required=True, metavar="ID")
    s.add_argument("--role", required=True, choices=[r.value for r in Role])
    s.add_argument("--name", required=True)
    s.set_defaults(admin_func=_create_user)

    s = sub.add_parser("add-member", help="voeg een gebruiker toe aan nog een team")
    s.add_argument("--team", required=True, metavar="ID")
    s.add_argument("--user", required=True, metavar="ID")
    s.set_defaults(admin_func=_add_member)

    s = sub.add_parser("list-users", help="toon de gebruikers")
    s.add_argument("--org", metavar="ID")
    s.set_defaults(admin_func=_list_users)

    s = sub.add_parser("enrolment-code", help="eenmalige aanmeldcode voor een laptop")
    s.add_argument("--user", required=True, metavar="ID")
    s.add_argument("--hours", type=float, default=None, help="geldigheid (standaard 24 uur)")
    s.set_defaults(admin_func=_enrolment_code)

    s = sub.add_parser("list-devices", help="toon de aangemelde laptops")
    s.add_argument("--org", metavar="ID")
    s.add_argument("--user", metavar="ID")
    s.set_defaults(admin_func=_list_devices)

    s = sub.add_parser("revoke-device", help="trek een laptop in")
    s.add_argument("--device", required=True, metavar="ID")
    s.set_defaults(admin_func=_revoke_device)

    s = sub.add_parser("request-resync", help="laat een laptop bij de volgende sync alles ophalen")
    s.add_argument("--device", required=True, metavar="ID")
    s.set_defaults(admin_func=_request_resync)

    s = sub.add_parser(
        "set-recovery-key", help="publieke herstelsleutel van de organisatie (X25519, base64)"
    )
    s.add_argument("--org", required=True, metavar="ID")
    s.add_argument("--public-key", required=True, metavar="BASE64")
    s.set_defaults(admin_func=_set_recovery_key)

    s = sub.add_parser("publish-update", help="publiceer het ondertekende updatebericht")
    s.add_argument("--manifest", required=True, type=Path, metavar="BESTAND")
    s.add_argument(
        "--public-key", type=Path, metavar="PEM", help="controleer eerst de handtekening"
    )
    s.set_defaults(admin_func=_publish_update)


def _create_org(db: Database, args: argparse.Namespace, _settings: Settings) -> dict[str, Any]:
    org = accounts.create_org(db, args.name)
    return {"id": org.id, "name": org.name, "created_at": format_time(org.created_at)}


def _create_team(db: Database, args: argparse.Namespace, _settings: Settings) -> dict[str, Any]:
    team = accounts.create_team(db, args.org, args.name)
    return {"id": team.id, "org_id": team.org_id, "name": team.name}


def _create_user(db: Database, args: argparse.Namespace, _settings: Settings) -> dict[str, Any]:
    user = accounts.create_user(db, args.team, args.role, args.name)
    return {
        "id": user.id,
        "org_id": user.org_id,
        "team_id": args.team,
        "role": user.role,
        "name": user.name,
    }


def _add_member(db: Database, args: argparse.Namespace, _settings: Settings) -> dict[str, Any]:
    m = accounts.add_member(db, args.team, args.user)
    return {"id": f"{m.team_id}:{m.user_id}", "team_id": m.team_id, "user_id": m.user_id}


def _list_users(db: Database, args: argparse.Namespace, _settings: Settings) -> dict[str, Any]:
    return {"users": [u.to_json() for u in accounts.list_users(db, args.org)]}


def _enrolment_code(db: Database, args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    hours = args.hours if args.hours is not None else settings.enrolment_code_hours
    if not 0 < hours <= 24 * 14:
        raise accounts.AccountError(
            accounts.ErrorCode.INVALID_REQUEST, "Kies een geldigheid tussen 0 en 336 uur."
        )
    issued = accounts.issue_enrolment_code(db, args.user, hours=hours)
    return {
        "id": issued.id,
        "code": issued.code,
        "user_id": issued.user_id,
        "expires_at": format_time(issued.expires_at),
    }


def _list_devices(db: Database, args: argparse.Namespace, _settings: Settings) -> dict[str, Any]:
    devices = accounts.list_devices(db, org_id=args.org, user_id=args.user)
    return {"devices": [d.to_json() for d in devices]}


def _revoke_device(db: Database, args: argparse.Namespace, _settings: Settings) -> dict[str, Any]:
    return accounts.revoke_device(db, args.device).to_json()


def _request_resync(db: Database, args: argparse.Namespace, _settings: Settings) -> dict[str, Any]:
    from liaison_desktop.server import sync_service

    return sync_service.request_resync(db, args.device)


def _set_recovery_key(
    db: Database, args: argparse.Namespace, _settings: Settings
) -> dict[str, Any]:
    from liaison_desktop.server import sync_service

    return sync_service.set_recovery_key(db, args.org, args.public_key)


def _publish_update(_db: Database, args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from liaison_desktop.server.routes import updates

    try:
        raw = args.manifest.read_bytes()[: updates.MAX_MANIFEST_BYTES + 1]
        key = args.public_key.read_text() if args.public_key else None
    except OSError:
        raise accounts.AccountError(
            accounts.ErrorCode.INVALID_REQUEST, "Het bestand is niet leesbaar."
        ) from None
    return updates.publish_manifest(settings.data_dir, raw, key)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Open (and migrate) the database the server would use, run one command, print JSON."""
    db = Database(settings.resolved_database_url, pool_size=1, max_overflow=2)
    try:
        migrate.upgrade(db)
        result = args.admin_func(db, args, settings)
    except accounts.AccountError as exc:
        print(f"Fout: {exc.message}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print(json.dumps(result, ensure_ascii=False))
    return 0
