"""Overviews: a team leader's teams, a professional's own figures; suppressed, never a dossier field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from liaison_desktop.domain.overview import Granularity
from liaison_desktop.server import accounts, overview_facts
from liaison_desktop.server.deps import DbDep, OwnData, SettingsDep, TeamLeader
from liaison_desktop.server.errors import ApiError
from liaison_desktop.server.models import utcnow
from liaison_desktop.server.routes.common import AUTH_ERRORS
from liaison_desktop.server.schemas import _Model
from liaison_desktop.sync.protocol import OVERVIEW_PATH, ErrorCode


class OverviewRow(_Model):
    """Mirror of ``sync.protocol.OverviewRow`` for the OpenAPI document."""

    scope_kind: str
    scope_id: str
    scope_name: str
    period: str
    values: list[str | None]


class OverviewReply(_Model):
    """Mirror of ``sync.protocol.OverviewReply`` (null values are suppressed figures)."""

    scope_kind: str
    scope_id: str
    scope_name: str
    granularity: str
    first: str
    last: str
    as_of: str
    threshold: int
    columns: list[str]
    rows: list[OverviewRow]
    generated_at: datetime


router = APIRouter(prefix=OVERVIEW_PATH, tags=["overview"], responses=AUTH_ERRORS)

_QUERY = frozenset({"from", "to", "period"})
_MAX_YEARS = 5

From = Annotated[
    date | None, Query(alias="from", description="First day (YYYY-MM-DD); default 1 January.")
]
To = Annotated[
    date | None, Query(alias="to", description="Last day (YYYY-MM-DD), inclusive; default today.")
]
PeriodQ = Annotated[Granularity, Query(alias="period")]


def _query(  # type: ignore[no-untyped-def]
    request: Request, first: date | None, last: date | None, period: Granularity, threshold: int
):
    today = utcnow().date()
    last = last or today
    first = first or date(last.year, 1, 1)
    # Only the three parameters exist: asking for anything else (a field, a trajectory) is
    # refused rather than silently ignored.
    unknown = set(request.query_params) - _QUERY
    if unknown:
        raise ApiError(ErrorCode.INVALID_REQUEST, "Onbekende parameter in de vraag.", status=422)
    if last < first:
        raise ApiError(
            ErrorCode.INVALID_REQUEST, "De einddatum ligt vóór de begindatum.", status=422
        )
    if last.year - first.year >= _MAX_YEARS:
        raise ApiError(
            ErrorCode.INVALID_REQUEST, f"Vraag hoogstens {_MAX_YEARS} jaar tegelijk.", status=422
        )
    return overview_facts.OverviewQuery(first, last, period, threshold)


@router.get("/me", response_model=OverviewReply)
async def my_overview(  # type: ignore[no-untyped-def]
    me: OwnData,
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    first: From = None,
    last: To = None,
    period: PeriodQ = Granularity.MONTH,
):
    """A professional's own figures, in total and per practice."""
    q = _query(request, first, last, period, settings.overview_threshold)
    name = await run_in_threadpool(accounts.principal_user_name, db, me.user_id)
    reply = await run_in_threadpool(overview_facts.own_overview, db, me.user_id, name, q)
    return reply.to_json()


@router.get("/teams/{team_id}", response_model=OverviewReply)
async def team_overview(  # type: ignore[no-untyped-def]
    team_id: str,
    _leader: TeamLeader,
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    first: From = None,
    last: To = None,
    period: PeriodQ = Granularity.MONTH,
):
    """A team the caller leads: the team, its practices and its professionals."""
    # The policy already checked that team_id is one of the leader's teams.
    q = _query(request, first, last, period, settings.overview_threshold)
    team = await run_in_threadpool(accounts.team_info, db, team_id)
    reply = await run_in_threadpool(overview_facts.team_overview, db, team_id, team.name, q)
    return reply.to_json()
