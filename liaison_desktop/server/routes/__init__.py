"""The /api/v1 routes; each module is one APIRouter, collected in ``ROUTERS``."""

from __future__ import annotations

from fastapi import APIRouter

from liaison_desktop.server.routes import (
    admin,
    agenda,
    devices,
    enrolment,
    health,
    overview,
    sync,
    teams,
    updates,
)

# Each router carries the full /api/v1/... prefix itself, so that a route's path is its
# whole template (the access log uses it). The app includes them side by side: nesting
# routers costs FastAPI extra matching work on every request.
ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    enrolment.router,
    devices.router,
    sync.router,
    teams.router,
    agenda.router,
    overview.router,
    admin.router,
    updates.router,
)
