"""Team leaders: their teams' overview data (for now the teams themselves; no personal data)."""

from __future__ import annotations

from fastapi import APIRouter

from liaison_desktop.server import accounts
from liaison_desktop.server.deps import DbDep, TeamLeader
from liaison_desktop.server.routes.common import AUTH_ERRORS
from liaison_desktop.server.schemas import TeamInfo, TeamList
from liaison_desktop.sync.protocol import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/teams", tags=["teams"], responses=AUTH_ERRORS)


@router.get("", response_model=TeamList)
def my_teams(leader: TeamLeader, db: DbDep):  # type: ignore[no-untyped-def]
    return {"teams": [t.to_json() for t in accounts.teams_info(db, sorted(leader.team_ids))]}


@router.get("/{team_id}", response_model=TeamInfo)
def team(team_id: str, _leader: TeamLeader, db: DbDep):  # type: ignore[no-untyped-def]
    # The policy already checked that team_id is one of the leader's teams.
    return accounts.team_info(db, team_id).to_json()
