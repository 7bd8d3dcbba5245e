"""Trajectory status changes and closing with an outcome."""

from __future__ import annotations

from datetime import date

import pytest

from liaison_desktop.domain.errors import TransitionError
from liaison_desktop.domain.model import Outcome, RequestCategory, Trajectory, TrajectoryStatus
from liaison_desktop.domain.trajectory import (
    allowed_transitions,
    can_transition,
    transition,
    waiting_days,
)

S = TrajectoryStatus
REFERRED_ON = date(2024, 3, 1)
ALLOWED = {
    (S.REFERRED, S.ACTIVE),
    (S.REFERRED, S.CLOSED),
    (S.ACTIVE, S.ON_HOLD),
    (S.ACTIVE, S.CLOSED),
    (S.ON_HOLD, S.ACTIVE),
    (S.ON_HOLD, S.CLOSED),
}


def traj(status: TrajectoryStatus = S.REFERRED) -> Trajectory:
    return Trajectory(
        client_id="c",
        practice_id="p",
        referred_on=REFERRED_ON,
        request_category=RequestCategory.SLEEP,
        status=status,
    )


def test_allowed_transitions_table() -> None:
    for a in S:
        for b in S:
            assert can_transition(a, b) is ((a, b) in ALLOWED)
        assert allowed_transitions(a) == {b for (x, b) in ALLOWED if x == a}
    assert allowed_transitions(S.CLOSED) == frozenset()


@pytest.mark.parametrize(("a", "b"), sorted(p for p in ALLOWED if p[1] != S.CLOSED))
def test_every_allowed_non_closing_transition(a: TrajectoryStatus, b: TrajectoryStatus) -> None:
    original = traj(a)
    moved = transition(original, b, on=date(2024, 4, 1))
    assert moved.status is b
    assert moved.id == original.id
    assert original.status is a  # a copy, the input is unchanged
    assert moved.outcome is None and moved.closed_on is None


@pytest.mark.parametrize("a", [S.REFERRED, S.ACTIVE, S.ON_HOLD])
def test_closing_sets_outcome_and_date(a: TrajectoryStatus) -> None:
    closed = transition(traj(a), S.CLOSED, outcome=Outcome.NEIGHBOURHOOD_TEAM, on=date(2024, 5, 1))
    assert closed.status is S.CLOSED
    assert closed.outcome is Outcome.NEIGHBOURHOOD_TEAM
    assert closed.closed_on == date(2024, 5, 1)


def test_closing_on_the_referral_day_is_allowed() -> None:
    closed = transition(traj(), S.CLOSED, outcome=Outcome.DROPPED_OUT, on=REFERRED_ON)
    assert closed.closed_on == REFERRED_ON


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (S.REFERRED, S.ON_HOLD),
        (S.REFERRED, S.REFERRED),
        (S.ACTIVE, S.REFERRED),
        (S.ACTIVE, S.ACTIVE),
        (S.ON_HOLD, S.REFERRED),
    ],
)
def test_disallowed_transitions(a: TrajectoryStatus, b: TrajectoryStatus) -> None:
    with pytest.raises(TransitionError) as info:
        transition(traj(a), b, on=date(2024, 4, 1))
    assert info.value.code == "transition_not_allowed"
    assert info.value.field == "status"


@pytest.mark.parametrize("b", list(S))
def test_closed_is_final(b: TrajectoryStatus) -> None:
    closed = transition(traj(), S.CLOSED, outcome=Outcome.CLOSED_NO_FOLLOW_UP, on=REFERRED_ON)
    with pytest.raises(TransitionError) as info:
        transition(closed, b, outcome=Outcome.CLOSED_NO_FOLLOW_UP, on=date(2024, 4, 1))
    assert info.value.code == "trajectory_closed"
    assert "nieuwe aanmelding" in info.value.message


def test_closing_without_outcome_is_refused() -> None:
    with pytest.raises(TransitionError) as info:
        transition(traj(S.ACTIVE), S.CLOSED, on=date(2024, 4, 1))
    assert info.value.code == "outcome_required"
    assert info.value.field == "outcome"


def test_outcome_without_closing_is_refused() -> None:
    with pytest.raises(TransitionError) as info:
        transition(traj(), S.ACTIVE, outcome=Outcome.DROPPED_OUT, on=date(2024, 4, 1))
    assert info.value.code == "outcome_without_close"
    assert info.value.field == "outcome"


def test_closing_before_referral_is_refused() -> None:
    with pytest.raises(TransitionError) as info:
        transition(traj(), S.CLOSED, outcome=Outcome.DROPPED_OUT, on=date(2024, 2, 29))
    assert info.value.code == "closed_before_referral"
    assert info.value.field == "closed_on"


def test_plain_string_status_from_storage_works() -> None:
    t = traj()
    t.status = "active"  # type: ignore[assignment]
    assert transition(t, S.ON_HOLD, on=date(2024, 4, 1)).status is S.ON_HOLD


def test_waiting_days() -> None:
    assert waiting_days(REFERRED_ON, date(2024, 3, 15), date(2024, 6, 1)) == 14
    assert waiting_days(REFERRED_ON, None, date(2024, 3, 11)) == 10
    assert waiting_days(REFERRED_ON, REFERRED_ON, date(2024, 6, 1)) == 0
    assert waiting_days(REFERRED_ON, None, date(2024, 2, 1)) == 0  # never negative
