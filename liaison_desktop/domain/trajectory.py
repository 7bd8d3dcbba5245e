"""Trajectory status changes: which are allowed, and closing with an outcome."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from liaison_desktop.domain.errors import TransitionError
from liaison_desktop.domain.model import Outcome, Trajectory, TrajectoryStatus

_S = TrajectoryStatus

_ALLOWED: dict[TrajectoryStatus, frozenset[TrajectoryStatus]] = {
    _S.REFERRED: frozenset({_S.ACTIVE, _S.CLOSED}),
    _S.ACTIVE: frozenset({_S.ON_HOLD, _S.CLOSED}),
    _S.ON_HOLD: frozenset({_S.ACTIVE, _S.CLOSED}),
    _S.CLOSED: frozenset(),  # final: a new referral starts a new trajectory
}

STATUS_LABELS: dict[TrajectoryStatus, str] = {
    _S.REFERRED: "aangemeld",
    _S.ACTIVE: "actief",
    _S.ON_HOLD: "gepauzeerd",
    _S.CLOSED: "afgesloten",
}


def allowed_transitions(status: TrajectoryStatus) -> frozenset[TrajectoryStatus]:
    """The statuses a trajectory with ``status`` may move to (empty for CLOSED)."""
    return _ALLOWED[status]


def can_transition(current: TrajectoryStatus, new: TrajectoryStatus) -> bool:
    """Whether a trajectory may move from ``current`` to ``new``."""
    return new in _ALLOWED[current]


def transition(
    traj: Trajectory,
    new_status: TrajectoryStatus,
    *,
    outcome: Outcome | None = None,
    on: date,
) -> Trajectory:
    """Return a copy of ``traj`` moved to ``new_status`` on the day ``on``.

    Closing requires an ``outcome`` and sets ``closed_on``; an outcome without closing is
    refused, as is closing before the referral date. Raises TransitionError.
    """
    if traj.status == _S.CLOSED:
        raise TransitionError(
            "trajectory_closed",
            "Dit traject is afgesloten en kan niet meer veranderen. "
            "Maak een nieuwe aanmelding om een nieuw traject te starten.",
            field="status",
        )
    if not can_transition(traj.status, new_status):
        raise TransitionError(
            "transition_not_allowed",
            f"Een traject met status '{STATUS_LABELS[traj.status]}' kan niet naar "
            f"'{STATUS_LABELS[new_status]}'.",
            field="status",
        )
    if new_status != _S.CLOSED:
        if outcome is not None:
            raise TransitionError(
                "outcome_without_close",
                "Een uitkomst vul je alleen in bij het afsluiten van het traject.",
                field="outcome",
            )
        return replace(traj, status=new_status)
    if outcome is None:
        raise TransitionError(
            "outcome_required",
            "Kies een uitkomst om het traject af te sluiten.",
            field="outcome",
        )
    if on < traj.referred_on:
        raise TransitionError(
            "closed_before_referral",
            "De afsluitdatum ligt vóór de datum van aanmelding.",
            field="closed_on",
        )
    return replace(traj, status=_S.CLOSED, outcome=Outcome(outcome), closed_on=on)


def waiting_days(referred_on: date, first_contact: date | None, today: date) -> int:
    """Days from referral to the first contact, or to ``today`` while still waiting (never < 0)."""
    end = first_contact if first_contact is not None else today
    return max(0, (end - referred_on).days)
