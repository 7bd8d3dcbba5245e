"""Who may do what: the one table of permissions per role, checked by ``deps.authorize``.

Routes declare the permission they need (``Security(authorize, scopes=[...])`` through the
aliases in :mod:`liaison_desktop.server.deps`); nothing else decides access. Resource checks
that follow from the path (a team leader's own teams) are made here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from liaison_desktop.server.security import Principal
from liaison_desktop.sync.protocol import Role


class Permission(StrEnum):
    DEVICE = "device"
    """Any enrolled, valid device: who am I, ping. No data."""
    OWN_DATA = "own-data"
    """A professional's own caseload data (the sync routes)."""
    TEAM_OVERVIEW = "team-overview"
    """Overview data of the teams a team leader leads (never personal data)."""
    ADMIN = "admin"
    """Accounts and devices of the admin's own organisation."""
    TEAM_AGENDA = "team-agenda"
    """The case-meeting agenda of a team the professional or team leader is a member of."""


POLICY: Mapping[Permission, frozenset[Role]] = {
    Permission.DEVICE: frozenset(Role),
    Permission.OWN_DATA: frozenset({Role.PROFESSIONAL}),
    Permission.TEAM_OVERVIEW: frozenset({Role.TEAM_LEADER}),
    Permission.ADMIN: frozenset({Role.ADMIN}),
    Permission.TEAM_AGENDA: frozenset({Role.PROFESSIONAL, Role.TEAM_LEADER}),
}


def allowed(
    principal: Principal,
    permissions: Iterable[Permission | str],
    path_params: Mapping[str, str] | None = None,
) -> bool:
    """Whether ``principal`` holds every permission, for the resource named in the path."""
    path_params = path_params or {}
    for name in permissions:
        permission = Permission(name)
        if principal.role not in POLICY[permission]:
            return False
        if permission in (Permission.TEAM_OVERVIEW, Permission.TEAM_AGENDA):
            team_id = path_params.get("team_id")
            if team_id is not None and team_id not in principal.team_ids:
                return False
    return True
