"""Dependencies of the routes: the database, settings, and authorisation in one place.

Routes take the ``Annotated`` aliases below (``DbDep``, ``Device``, ``OwnData``,
``TeamLeader``, ``Admin``) and never read a token themselves. Tests override
:func:`get_database`.
"""

from __future__ import annotations

import inspect
import time
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes

from liaison_desktop.server import accounts, policy
from liaison_desktop.server.accounts import TokenStatus
from liaison_desktop.server.db import Database
from liaison_desktop.server.errors import ApiError
from liaison_desktop.server.policy import Permission
from liaison_desktop.server.security import FailureLimiter, Principal, TokenCache, hash_secret
from liaison_desktop.server.settings import Settings
from liaison_desktop.sync.protocol import TOKEN_PREFIX, ErrorCode

# All light dependencies are ``async def``: FastAPI would run plain functions in its thread
# pool, which costs more than the work they do.


async def get_database(request: Request) -> Database:
    return request.app.state.database


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_token_cache(request: Request) -> TokenCache:
    return request.app.state.token_cache


async def get_enrol_limiter(request: Request) -> FailureLimiter:
    return request.app.state.enrol_limiter


DbDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
TokenCacheDep = Annotated[TokenCache, Depends(get_token_cache)]
EnrolLimiterDep = Annotated[FailureLimiter, Depends(get_enrol_limiter)]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="DeviceToken",
    description="The device token received at enrolment: `Authorization: Bearer ldt_...`.",
)

_STATUS_ERRORS = {
    TokenStatus.UNKNOWN: ErrorCode.TOKEN_INVALID,
    TokenStatus.EXPIRED: ErrorCode.TOKEN_EXPIRED,
    TokenStatus.REVOKED: ErrorCode.DEVICE_REVOKED,
}
_MAX_TOKEN_LENGTH = 128


async def _database_for(request: Request) -> Database:
    """The database as ``DbDep`` would give it, honouring a test's dependency override.

    The token check runs on every call; resolving it here instead of as a sub-dependency
    saves FastAPI a dependency solve per request.
    """
    provider = request.app.dependency_overrides.get(get_database)
    if provider is None:
        return request.app.state.database
    result = provider()
    return await result if inspect.isawaitable(result) else result


async def authorize(
    security_scopes: SecurityScopes,
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """Verify the device token, then the route's permissions (its scopes) by the policy.

    401 for a missing, unknown, forged, expired or revoked token (``device_revoked`` tells
    the laptop to lock); 403 when the role or the resource is not allowed. A verified token
    is cached for ``auth_cache_seconds``; the check costs no database call in between.
    """
    if credentials is None:
        raise ApiError(ErrorCode.TOKEN_MISSING)
    token = credentials.credentials
    if len(token) > _MAX_TOKEN_LENGTH or not token.startswith(TOKEN_PREFIX):
        raise ApiError(ErrorCode.TOKEN_INVALID)
    token_hash = hash_secret(token)
    cache: TokenCache = request.app.state.token_cache
    principal = cache.get(token_hash)
    if principal is None:
        db = await _database_for(request)
        status, principal = await run_in_threadpool(accounts.lookup_token, db, token_hash)
        if principal is None:
            raise ApiError(_STATUS_ERRORS[status])
        cache.put(token_hash, principal)
    if principal.token_expires_at <= time.time():
        raise ApiError(ErrorCode.TOKEN_EXPIRED)
    request.state.device_id = principal.device_id  # for the access log
    if not policy.allowed(principal, security_scopes.scopes, request.path_params):
        raise ApiError(ErrorCode.FORBIDDEN)
    return principal


Device = Annotated[Principal, Security(authorize)]
"""Any valid device (no data behind it)."""
OwnData = Annotated[Principal, Security(authorize, scopes=[Permission.OWN_DATA])]
"""A professional, for their own data."""
TeamLeader = Annotated[Principal, Security(authorize, scopes=[Permission.TEAM_OVERVIEW])]
"""A team leader; a ``{team_id}`` in the path must be one of their teams."""
Admin = Annotated[Principal, Security(authorize, scopes=[Permission.ADMIN])]
"""An admin, for accounts and devices of their own organisation."""
TeamAgenda = Annotated[Principal, Security(authorize, scopes=[Permission.TEAM_AGENDA])]
"""A professional or team leader; a ``{team_id}`` in the path must be one of their teams."""


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
