"""A professional's own data. The sync protocol (push, pull) adds its routes here."""

from __future__ import annotations

from fastapi import APIRouter

from liaison_desktop.server.deps import OwnData
from liaison_desktop.server.models import utcnow
from liaison_desktop.server.routes.common import AUTH_ERRORS
from liaison_desktop.server.schemas import SyncStatus
from liaison_desktop.sync.protocol import API_PREFIX, PROTOCOL_VERSION

router = APIRouter(prefix=f"{API_PREFIX}/sync", tags=["sync"], responses=AUTH_ERRORS)


@router.get("/status", response_model=SyncStatus)
async def sync_status(me: OwnData):  # type: ignore[no-untyped-def]
    return {"user_id": me.user_id, "server_time": utcnow(), "protocol_version": PROTOCOL_VERSION}
