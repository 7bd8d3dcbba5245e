"""Admins: accounts and devices of their own organisation."""

from __future__ import annotations

from fastapi import APIRouter

from liaison_desktop.server import accounts
from liaison_desktop.server.deps import Admin, DbDep, TokenCacheDep
from liaison_desktop.server.errors import ApiError
from liaison_desktop.server.routes.common import AUTH_ERRORS
from liaison_desktop.server.schemas import DeviceInfo, DeviceList, UserList
from liaison_desktop.sync.protocol import API_PREFIX, ErrorCode

router = APIRouter(prefix=f"{API_PREFIX}/admin", tags=["admin"], responses=AUTH_ERRORS)


@router.get("/users", response_model=UserList)
def users(admin: Admin, db: DbDep):  # type: ignore[no-untyped-def]
    return {"users": [u.to_json() for u in accounts.list_users(db, admin.org_id)]}


@router.get("/devices", response_model=DeviceList)
def devices(admin: Admin, db: DbDep):  # type: ignore[no-untyped-def]
    return {"devices": [d.to_json() for d in accounts.list_devices(db, org_id=admin.org_id)]}


@router.post("/devices/{device_id}/revoke", response_model=DeviceInfo)
def revoke(device_id: str, admin: Admin, db: DbDep, cache: TokenCacheDep):  # type: ignore[no-untyped-def]
    try:
        info = accounts.revoke_device(db, device_id, org_id=admin.org_id)
    except accounts.NotFound:
        # Unknown and another organisation's device look the same from outside.
        raise ApiError(ErrorCode.FORBIDDEN, "Geen toegang tot dit apparaat.") from None
    cache.invalidate_device(device_id)
    return info.to_json()
