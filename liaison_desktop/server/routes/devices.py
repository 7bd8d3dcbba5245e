"""Routes for any enrolled device: an authenticated no-op and "who am I"."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from liaison_desktop.server import accounts
from liaison_desktop.server.deps import DbDep, Device
from liaison_desktop.server.models import utcnow
from liaison_desktop.server.routes.common import AUTH_ERRORS
from liaison_desktop.server.schemas import Me, Ping
from liaison_desktop.sync.protocol import API_PREFIX, PROTOCOL_VERSION

router = APIRouter(prefix=API_PREFIX, tags=["device"], responses=AUTH_ERRORS)

_PONG = b'{"ok":true}'


@router.get("/ping", response_model=Ping)
async def ping(_device: Device):  # type: ignore[no-untyped-def]
    """Checks the token and nothing else (connectivity check, benchmark)."""
    # A ready-made body: nothing to validate or serialise on the hottest route.
    return Response(_PONG, media_type="application/json")


@router.get("/me", response_model=Me)
def me(device: Device, db: DbDep):  # type: ignore[no-untyped-def]
    return {
        "device_id": device.device_id,
        "user_id": device.user_id,
        "user_name": accounts.principal_user_name(db, device.user_id),
        "role": device.role,
        "org_id": device.org_id,
        "team_ids": sorted(device.team_ids),
        "token_expires_at": datetime.fromtimestamp(device.token_expires_at, UTC),
        "server_time": utcnow(),
        "protocol_version": PROTOCOL_VERSION,
    }
