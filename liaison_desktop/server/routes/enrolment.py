"""Enrolment: a laptop redeems a one-time code for a device token (no token needed)."""

from __future__ import annotations

import logging
import math

from fastapi import APIRouter, Request

from liaison_desktop.server import accounts
from liaison_desktop.server.deps import DbDep, EnrolLimiterDep, SettingsDep, client_address
from liaison_desktop.server.errors import ApiError
from liaison_desktop.server.models import utcnow
from liaison_desktop.server.schemas import EnrolRequest, EnrolResponse, ErrorBody
from liaison_desktop.sync.protocol import (
    API_PREFIX,
    MIN_PROTOCOL_VERSION,
    PROTOCOL_VERSION,
    ErrorCode,
)

log = logging.getLogger(__name__)
router = APIRouter(prefix=API_PREFIX, tags=["enrolment"])

_ERR = {"model": ErrorBody}


@router.post(
    "/enrol",
    response_model=EnrolResponse,
    status_code=201,
    responses={
        400: {**_ERR, "description": "Protocol version not supported."},
        401: {**_ERR, "description": "Unknown, used or expired enrolment code."},
        413: {**_ERR, "description": "Request body too large."},
        422: {**_ERR, "description": "Invalid request."},
        429: {**_ERR, "description": "Too many failed attempts from this address."},
    },
)
def enrol(  # type: ignore[no-untyped-def]
    body: EnrolRequest,
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    limiter: EnrolLimiterDep,
):
    address = client_address(request)
    wait = limiter.retry_after(address)
    if wait > 0:
        log.warning("enrolment rate limited")
        raise ApiError(ErrorCode.RATE_LIMITED, headers={"Retry-After": str(math.ceil(wait))})
    if not MIN_PROTOCOL_VERSION <= body.protocol_version <= PROTOCOL_VERSION:
        raise ApiError(
            ErrorCode.PROTOCOL_UNSUPPORTED,
            "Deze versie van Liaison Desktop past niet bij de server; werk de app bij.",
        )
    try:
        enrolled = accounts.enrol_device(
            db, body.code, device_name=body.device_name, token_days=settings.token_days
        )
    except accounts.EnrolmentRefused as exc:
        limiter.record_failure(address)
        log.warning("enrolment refused", extra={"reason": exc.code.value})
        raise ApiError(exc.code, exc.message) from None
    return {
        "device_id": enrolled.device.id,
        "token": enrolled.token,
        "token_expires_at": enrolled.device.expires_at,
        "user_id": enrolled.user.id,
        "user_name": enrolled.user.name,
        "role": enrolled.user.role,
        "org_id": enrolled.user.org_id,
        "team_ids": list(enrolled.team_ids),
        "server_time": utcnow(),
        "protocol_version": PROTOCOL_VERSION,
    }
