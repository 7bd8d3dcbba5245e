"""``liaison-server``: serve the API (default) or run an admin command (``admin ...``)."""

from __future__ import annotations

import argparse
import gc
import logging
import logging.config
import sys
from collections.abc import Sequence
from pathlib import Path

from liaison_desktop import __version__
from liaison_desktop.server.settings import DEFAULT_HOST, DEFAULT_PORT, Settings, SettingsError

log = logging.getLogger("liaison_desktop.server")


def _database_options(p: argparse.ArgumentParser, default: object) -> None:
    p.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        help="map voor de ingebouwde SQLite-database (standaard per platform)",
    )
    p.add_argument(
        "--database-url",
        default=default,
        help="PostgreSQL: postgresql+psycopg://gebruiker@host/database "
        "(of via LIAISON_SERVER_DATABASE_URL)",
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="liaison-server",
        description="Centraal eindpunt van Liaison Desktop. Zonder opdracht: start de server "
        f"op {DEFAULT_HOST}:{DEFAULT_PORT} met een ingebouwde database.",
    )
    p.add_argument("--version", action="version", version=f"liaison-server {__version__}")
    _database_options(p, None)
    p.add_argument("--host", default=None, help=f"adres om op te luisteren ({DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=None, help=f"poort ({DEFAULT_PORT})")
    p.add_argument("--tls-cert", type=Path, default=None, help="PEM-certificaat(keten) voor HTTPS")
    p.add_argument("--tls-key", type=Path, default=None, help="PEM-sleutel bij --tls-cert")
    p.add_argument("--log-level", default=None, help="DEBUG, INFO (standaard), WARNING")
    p.add_argument("--max-body-mb", type=float, default=None, help="grootste verzoek (16 MB)")
    p.add_argument(
        "--auth-cache-seconds",
        type=float,
        default=None,
        help="hoe lang een gecontroleerd token onthouden wordt (5 s; 0 = niet)",
    )
    sub = p.add_subparsers(dest="command", metavar="OPDRACHT")
    admin = sub.add_parser("admin", help="beheer: organisaties, teams, gebruikers, laptops")
    # SUPPRESS: given after "admin" they override, otherwise the top-level values stay.
    _database_options(admin, argparse.SUPPRESS)
    from liaison_desktop.server import admin_cli

    admin_cli.add_commands(admin)
    return p


def settings_from_args(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        data_dir=args.data_dir,
        database_url=args.database_url,
        host=args.host,
        port=args.port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        log_level=args.log_level,
        max_body_mb=args.max_body_mb,
        auth_cache_seconds=args.auth_cache_seconds,
    ).check()


def serve(settings: Settings) -> int:
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from liaison_desktop.server import migrate
    from liaison_desktop.server.app import create_app
    from liaison_desktop.server.db import Database
    from liaison_desktop.server.logconfig import log_config

    config_dict = log_config(settings.log_level)
    logging.config.dictConfig(config_dict)
    db = Database(settings.resolved_database_url)
    try:
        try:
            migrate.upgrade(db)
        except SQLAlchemyError as exc:
            log.error("database unavailable", extra={"database": db.safe_url})
            print(
                f"Fout: de database {db.safe_url} is niet bruikbaar ({type(exc).__name__}).",
                file=sys.stderr,
            )
            return 2
        log.info(
            "starting",
            extra={
                "version": __version__,
                "database": db.safe_url,
                "host": settings.host,
                "port": settings.port,
                "tls": settings.tls_cert is not None,
            },
        )
        app = create_app(settings, database=db)
        # Move the long-lived start-up objects out of the collector's way: fewer and shorter
        # full collections while serving.
        gc.collect()
        gc.freeze()
        config = uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            ssl_certfile=str(settings.tls_cert) if settings.tls_cert else None,
            ssl_keyfile=str(settings.tls_key) if settings.tls_key else None,
            log_config=None,  # configured above, once
            access_log=False,
            server_header=False,
            proxy_headers=True,
            timeout_keep_alive=75,
        )
        uvicorn.Server(config).run()
    finally:
        db.dispose()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from_args(args)
    except SettingsError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    if args.command == "admin":
        from liaison_desktop.server import admin_cli

        return admin_cli.run(args, settings)
    return serve(settings)


if __name__ == "__main__":
    sys.exit(main())
