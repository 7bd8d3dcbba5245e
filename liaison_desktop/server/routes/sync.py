"""A professional's own data: sync status, push, pull and the vault-key wraps.

Every sync route checks the ``X-Liaison-Protocol`` header after the token (426 with the
supported versions when it is missing or unsupported). Bodies may come gzip-compressed;
answers are compressed when the client accepts gzip and they exceed 1 KiB.
"""

from __future__ import annotations

import gzip
import json
import zlib
from functools import partial
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from liaison_desktop.server import schemas, sync_service
from liaison_desktop.server.db import Database
from liaison_desktop.server.deps import DbDep, OwnData, SettingsDep
from liaison_desktop.server.errors import ApiError
from liaison_desktop.server.models import utcnow
from liaison_desktop.server.routes.common import AUTH_ERRORS
from liaison_desktop.server.schemas import SyncStatus
from liaison_desktop.sync.protocol import (
    API_PREFIX,
    GZIP_MIN_BYTES,
    MAX_BATCH_CHANGES,
    MAX_PULL_LIMIT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SUPPORTED_PROTOCOL_VERSIONS,
    ErrorCode,
)

router = APIRouter(prefix=f"{API_PREFIX}/sync", tags=["sync"], responses=AUTH_ERRORS)

_PROTOCOL_ERRORS: dict[int | str, dict[str, Any]] = {
    426: {
        "model": schemas.ProtocolUnsupported,
        "description": f"No or an unsupported `{PROTOCOL_HEADER}` header.",
    }
}
_SUPPORTED_TEXT = ", ".join(str(v) for v in SUPPORTED_PROTOCOL_VERSIONS)


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its ``$defs`` resolved in place (for ``openapi_extra``)."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(dict(defs[ref.rsplit("/", 1)[1]]))
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


def _json_body(model: type[schemas._Model]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline(model.model_json_schema())}},
        }
    }


def _protocol_refusal(request: Request) -> Response | None:
    raw = request.headers.get(PROTOCOL_HEADER, "")
    try:
        version = int(raw)
    except ValueError:
        version = None
    if version in SUPPORTED_PROTOCOL_VERSIONS:
        return None
    body = {
        "error": ErrorCode.PROTOCOL_UNSUPPORTED.value,
        "message": (
            "Deze versie van Liaison Desktop kan niet met de server synchroniseren "
            f"(protocolversie {raw or 'onbekend'}; de server ondersteunt {_SUPPORTED_TEXT}). "
            "Installeer de nieuwste versie."
        ),
        "supported": list(SUPPORTED_PROTOCOL_VERSIONS),
    }
    return Response(
        json.dumps(body).encode(),
        status_code=426,
        media_type="application/json",
        headers={PROTOCOL_HEADER: _SUPPORTED_TEXT},
    )


async def _read_json(request: Request, limit: int) -> Any:
    """The body as JSON, gunzipped when ``Content-Encoding: gzip`` (size-limited both ways)."""
    data = await request.body()
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(data, limit + 1)
        except zlib.error:
            raise ApiError(
                ErrorCode.INVALID_REQUEST, "De gecomprimeerde inhoud is ongeldig."
            ) from None
        if len(data) > limit or inflater.unconsumed_tail:
            raise ApiError(ErrorCode.BODY_TOO_LARGE)
    elif encoding not in ("identity", ""):
        raise ApiError(ErrorCode.INVALID_REQUEST, "Alleen gzip-compressie wordt ondersteund.")
    try:
        return json.loads(data)
    except ValueError:
        raise ApiError(ErrorCode.INVALID_REQUEST, "De inhoud is geen geldige JSON.") from None


INLINE_PULL_ROWS = 100
"""At most this many rows are read on the event loop (see :func:`_answer_inline`)."""


def _answer_inline(db: Database, after: int) -> bool:
    """Whether a pull is read on the event loop: only on SQLite (a local file; PostgreSQL may
    sit across a network), never the first full pull (``after == 0`` may clear a resync
    flag, a write), and only while the pool has an idle connection (a checkout never waits
    on the event loop)."""
    if not db.is_sqlite or after == 0:
        return False
    pool = db.engine.pool
    return pool.checkedout() < pool.size()  # type: ignore[attr-defined]


def _json_response(request: Request, payload: dict[str, Any]) -> Response:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {"Vary": "Accept-Encoding"}
    accepts = request.headers.get("accept-encoding", "")
    if len(body) > GZIP_MIN_BYTES and "gzip" in accepts.lower():
        # Level 3: half the time of level 5 on a 5,000-change page, 6 % more bytes.
        body = gzip.compress(body, compresslevel=3, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="application/json", headers=headers)


@router.get("/status", response_model=SyncStatus)
async def sync_status(me: OwnData):  # type: ignore[no-untyped-def]
    return {"user_id": me.user_id, "server_time": utcnow(), "protocol_version": PROTOCOL_VERSION}


@router.post(
    "/push",
    response_model=schemas.PushReply,
    responses=_PROTOCOL_ERRORS,
    openapi_extra=_json_body(schemas.PushRequest),
)
async def push(me: OwnData, request: Request, db: DbDep, settings: SettingsDep):  # type: ignore[no-untyped-def]
    """Store a batch of field changes, each exactly once by its id; refused ones are
    quarantined with their reason and listed, never refusing the rest of the batch."""
    refusal = _protocol_refusal(request)
    if refusal is not None:
        return refusal
    body = await _read_json(request, settings.max_body_bytes)
    if not isinstance(body, dict):
        raise ApiError(ErrorCode.INVALID_REQUEST)
    changes = body.get("changes")
    cursor = body.get("cursor")
    only_if_current = body.get("only_if_current", False)
    if (
        not isinstance(changes, list)
        or (cursor is not None and (isinstance(cursor, bool) or not isinstance(cursor, int)))
        or not isinstance(only_if_current, bool)
    ):
        raise ApiError(ErrorCode.INVALID_REQUEST)
    if body.get("device_id") != me.device_id:
        raise ApiError(
            ErrorCode.INVALID_REQUEST, "Het apparaat in het verzoek is niet dit apparaat."
        )
    if body.get("protocol") not in SUPPORTED_PROTOCOL_VERSIONS:
        raise ApiError(ErrorCode.INVALID_REQUEST, "Onbekende protocolversie in het verzoek.")
    if len(changes) > MAX_BATCH_CHANGES:
        raise ApiError(
            ErrorCode.BODY_TOO_LARGE,
            f"Te veel wijzigingen in één verzoek ({len(changes)}; hoogstens "
            f"{MAX_BATCH_CHANGES}). Verstuur ze in kleinere delen.",
        )
    result = await run_in_threadpool(
        sync_service.push,
        db,
        user_id=me.user_id,
        device_id=me.device_id,
        changes=changes,
        cursor=cursor if cursor is None or cursor >= 0 else 0,
        only_if_current=only_if_current,
    )
    return _json_response(
        request,
        {
            "stored": result.stored,
            "duplicates": result.duplicates,
            "quarantined": result.quarantined,
            "server_time_ms": sync_service.now_ms(),
            "resync": result.resync,
            "more": result.more,
            "head": result.head,
            "conditional": result.conditional,
            "not_current": result.not_current,
        },
    )


@router.get("/pull", response_model=schemas.PullReply, responses=_PROTOCOL_ERRORS)
async def pull(  # type: ignore[no-untyped-def]
    me: OwnData,
    request: Request,
    db: DbDep,
    after: int = Query(0, ge=0, le=2**62, description="the last seq the laptop applied"),
    limit: int = Query(MAX_PULL_LIMIT, ge=1, le=MAX_PULL_LIMIT),
    bookings: bool = Query(False, description="arbitrate this user's provisional room claims"),
):
    """The user's changes after ``after`` (other devices' only), in seq order, one page.

    With ``bookings=1`` the last page also lists the user's provisional room claims that
    lost to an earlier claim (with free times) and those that stand."""
    refusal = _protocol_refusal(request)
    if refusal is not None:
        return refusal
    page = partial(sync_service.pull, db, user_id=me.user_id, device_id=me.device_id, after=after)
    result = None
    if _answer_inline(db, after):
        # The usual pull (a laptop that is up to date): a few rows from a local file, read
        # here on the event loop; handing it to a worker thread and back costs more. A page
        # that turns out bigger is fetched again on a worker thread.
        result = page(limit=min(limit, INLINE_PULL_ROWS), bookings=bookings)
        if result.more and limit > INLINE_PULL_ROWS:
            result = None
    if result is None:
        result = await run_in_threadpool(page, limit=limit, bookings=bookings)
    changes = [
        {"s": s, "id": cid, "t": t, "r": r, "f": f, "v": v, "h": h}
        for (s, cid, t, r, f, v, h) in result.rows
    ]
    return _json_response(
        request,
        {
            "changes": changes,
            "next": result.next,
            "more": result.more,
            "server_time_ms": sync_service.now_ms(),
            "resync": result.resync,
            "booking_conflicts": result.booking_conflicts,
            "bookings_confirmed": result.bookings_confirmed,
        },
    )


@router.get("/vault", response_model=schemas.Vault, responses=_PROTOCOL_ERRORS)
async def get_vault(me: OwnData, request: Request, db: DbDep):  # type: ignore[no-untyped-def]
    """The user's wrapped vault key (null until a laptop stored it) and the organisation's
    recovery public key (null until IT set it)."""
    refusal = _protocol_refusal(request)
    if refusal is not None:
        return refusal
    vault = await run_in_threadpool(
        sync_service.get_vault, db, user_id=me.user_id, org_id=me.org_id
    )
    return _json_response(request, vault)


@router.put(
    "/vault",
    response_model=schemas.Vault,
    responses={
        **_PROTOCOL_ERRORS,
        409: {"model": schemas.ErrorBody, "description": "Another vault key is stored."},
    },
    openapi_extra=_json_body(schemas.VaultPut),
)
async def put_vault(me: OwnData, request: Request, db: DbDep, settings: SettingsDep):  # type: ignore[no-untyped-def]
    """Store the wraps of the user's vault key; a wrap left out keeps the stored one."""
    refusal = _protocol_refusal(request)
    if refusal is not None:
        return refusal
    data = await _read_json(request, settings.max_body_bytes)
    try:
        body = schemas.VaultPut.model_validate(data)
    except ValidationError:
        raise ApiError(ErrorCode.INVALID_REQUEST) from None
    try:
        await run_in_threadpool(
            sync_service.put_vault,
            db,
            user_id=me.user_id,
            key_id=body.key_id,
            passphrase=body.passphrase.model_dump() if body.passphrase else None,
            recovery=body.recovery.model_dump() if body.recovery else None,
        )
    except sync_service.VaultConflict:
        raise ApiError(
            ErrorCode.VAULT_CONFLICT,
            "Op de server staat al een andere kluissleutel voor deze gebruiker; open die met "
            "uw wachtwoord in plaats van een nieuwe te maken.",
            status=409,
        ) from None
    vault = await run_in_threadpool(
        sync_service.get_vault, db, user_id=me.user_id, org_id=me.org_id
    )
    return _json_response(request, vault)
