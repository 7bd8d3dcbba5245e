"""The neighbourhood-team agenda: member keys, team-key wraps, items, the next meeting.

Members and the team leader of ``{team_id}`` only (the policy's ``team-agenda``); setting the
meeting needs the team leader. Items are ciphertext the server cannot open (docs/agenda.md).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from liaison_desktop.server import agenda_service
from liaison_desktop.server.deps import DbDep, TeamAgenda, TeamLeader
from liaison_desktop.server.errors import ApiError
from liaison_desktop.server.routes.common import AUTH_ERRORS
from liaison_desktop.server.routes.sync import _json_body
from liaison_desktop.sync import protocol as p

router = APIRouter(prefix=p.AGENDA_PREFIX, tags=["agenda"], responses=AUTH_ERRORS)

Id = Annotated[str, Field(min_length=1, max_length=36)]
TeamId = Annotated[str, Path(max_length=36)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class AgendaKey(_Model):
    public_key: Annotated[str, Field(min_length=1, max_length=64)]
    private_escrow: Annotated[str, Field(max_length=2048)] = ""


class WrappedKey(_Model):
    alg: Annotated[str, Field(max_length=64)]
    nonce: Annotated[str, Field(max_length=64)]
    ct: Annotated[str, Field(max_length=256)]
    salt: Annotated[str, Field(max_length=64)] = ""
    epk: Annotated[str, Field(max_length=64)] = ""
    kdf: Annotated[str, Field(max_length=64)] = ""
    kdf_salt: Annotated[str, Field(max_length=64)] = ""
    context: Annotated[str, Field(max_length=256)] = ""


class AgendaMember(_Model):
    user_id: str
    name: str
    role: p.Role
    public_key: str | None
    has_wrap: bool


class AgendaItem(_Model):
    id: str
    author_user_id: str
    author_name: str
    key_id: str
    ciphertext: str
    created_at: datetime
    meeting_at: datetime | None = None
    author_ref: str = ""


class TeamAgendaOut(_Model):
    team_id: str
    team_name: str
    meeting_at: datetime | None
    key_id: str | None
    my_wrap: WrappedKey | None
    members: list[AgendaMember]
    items: list[AgendaItem]


class TeamKeyWrap(_Model):
    user_id: Id
    wrap: WrappedKey


class TeamKeyWraps(_Model):
    key_id: Id
    wraps: Annotated[list[TeamKeyWrap], Field(max_length=500)]


class WrapsStored(_Model):
    key_id: str
    stored: int


class AgendaItemPost(_Model):
    id: Id
    key_id: Id
    ciphertext: Annotated[str, Field(min_length=1, max_length=p.MAX_AGENDA_CIPHERTEXT_CHARS)]
    author_ref: Annotated[str, Field(max_length=p.MAX_AGENDA_REF_CHARS)] = ""


class MeetingPut(_Model):
    meeting_at: datetime | None


async def _wire(request: Request, model: type[BaseModel], cls: type[p.Wire]) -> Any:
    """The body, validated by ``model`` and turned into the wire type ``cls``.

    Read here, after the token was checked, so that a caller without a valid token learns
    nothing (401) whatever the body; a bad body is 422 without echoing it.
    """
    try:
        data = json.loads(await request.body())
        body = model.model_validate(data)
        return cls.from_json(body.model_dump(mode="json"))
    except (ValueError, ValidationError, p.ProtocolError):
        raise ApiError(p.ErrorCode.INVALID_REQUEST) from None


_409 = {409: {"description": "Another key is already stored (`agenda_key_conflict`)."}}


class StoredKey(_Model):
    public_key: str
    private_escrow: str = ""


@router.get("/key", response_model=StoredKey)
async def get_key(user: TeamAgenda, db: DbDep):  # type: ignore[no-untyped-def]
    """The caller's agenda key; ``public_key`` is empty when none was uploaded yet."""
    return await run_in_threadpool(agenda_service.get_key, db, user.user_id)


@router.put("/key", response_model=AgendaKey, responses=_409, openapi_extra=_json_body(AgendaKey))
async def put_key(request: Request, user: TeamAgenda, db: DbDep):  # type: ignore[no-untyped-def]
    key = await _wire(request, AgendaKey, p.AgendaKey)
    return await run_in_threadpool(agenda_service.put_key, db, user.user_id, key)


@router.get("/teams/{team_id}", response_model=TeamAgendaOut)
async def team_agenda(team_id: TeamId, member: TeamAgenda, db: DbDep):  # type: ignore[no-untyped-def]
    return await run_in_threadpool(agenda_service.team_agenda, db, member, team_id)


@router.put(
    "/teams/{team_id}/wraps",
    response_model=WrapsStored,
    responses=_409,
    openapi_extra=_json_body(TeamKeyWraps),
)
async def put_wraps(  # type: ignore[no-untyped-def]
    team_id: TeamId, request: Request, member: TeamAgenda, db: DbDep
):
    wraps = await _wire(request, TeamKeyWraps, p.TeamKeyWraps)
    return await run_in_threadpool(agenda_service.put_wraps, db, member, team_id, wraps)


@router.post(
    "/teams/{team_id}/items",
    response_model=AgendaItem,
    status_code=201,
    responses=_409,
    openapi_extra=_json_body(AgendaItemPost),
)
async def post_item(  # type: ignore[no-untyped-def]
    team_id: TeamId, request: Request, member: TeamAgenda, db: DbDep, response: Response
):
    item = await _wire(request, AgendaItemPost, p.AgendaItemPost)
    out, created = await run_in_threadpool(agenda_service.post_item, db, member, team_id, item)
    if not created:
        response.status_code = 200
    return out


@router.delete("/teams/{team_id}/items/{item_id}", status_code=204)
async def delete_item(  # type: ignore[no-untyped-def]
    team_id: TeamId,
    item_id: Annotated[str, Path(max_length=36)],
    member: TeamAgenda,
    db: DbDep,
):
    await run_in_threadpool(agenda_service.delete_item, db, member, team_id, item_id)
    return Response(status_code=204)


@router.put(
    "/teams/{team_id}/meeting", response_model=MeetingPut, openapi_extra=_json_body(MeetingPut)
)
async def set_meeting(  # type: ignore[no-untyped-def]
    team_id: TeamId, request: Request, _leader: TeamLeader, db: DbDep
):
    meeting = await _wire(request, MeetingPut, p.MeetingPut)
    return await run_in_threadpool(agenda_service.set_meeting, db, team_id, meeting)
