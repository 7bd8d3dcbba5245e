"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from liaison_desktop import __version__
from liaison_desktop.server import errors
from liaison_desktop.server.db import Database
from liaison_desktop.server.middleware import AccessLog, BodySizeLimit
from liaison_desktop.server.routes import ROUTERS
from liaison_desktop.server.security import FailureLimiter, TokenCache
from liaison_desktop.server.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """The app. Without ``database`` the lifespan opens (and migrates) the one in settings.

    ``app.state`` holds the settings, the database, the token cache and the enrolment rate
    limiter; routes reach them only through the dependencies in ``deps``.
    """
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = None
        if getattr(app.state, "database", None) is None:
            from liaison_desktop.server import migrate

            owned = Database(settings.resolved_database_url)
            migrate.upgrade(owned)
            app.state.database = owned
        try:
            yield
        finally:
            if owned is not None:
                owned.dispose()
                app.state.database = None

    app = FastAPI(
        title="Liaison server",
        version=__version__,
        description="Central endpoint of Liaison Desktop: enrolment, devices, accounts, "
        "sync and team overviews. Every route except health and enrol needs a device token.",
        openapi_url="/openapi.json",
        # The interactive docs load scripts from a CDN; a care provider's server should not.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.token_cache = TokenCache(settings.auth_cache_seconds)
    app.state.enrol_limiter = FailureLimiter(
        settings.enrol_max_failures, settings.enrol_window_seconds
    )
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    # Added last = outermost: the size limit sees the request before anything else.
    if settings.access_log:
        app.add_middleware(AccessLog)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app
