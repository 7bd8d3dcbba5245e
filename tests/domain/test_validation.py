"""Field validation of clients, guardians, trajectories and contacts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from liaison_desktop.domain.errors import ValidationError
from liaison_desktop.domain.model import (
    Client,
    Contact,
    ContactType,
    Guardian,
    Outcome,
    Participant,
    RequestCategory,
    Trajectory,
    TrajectoryStatus,
)
from liaison_desktop.domain.validation import (
    validate_client,
    validate_contact,
    validate_guardian,
    validate_trajectory,
)

TODAY = date(2024, 6, 1)
NOW = datetime(2024, 6, 1, 12, 0)
CLIENT = Client(
    first_name="Sam", last_name="Jansen", date_of_birth=date(2014, 3, 3), practice_id="p"
)


def errors_of(fn: Callable[..., None], *args: object) -> dict[str | None, list[str]]:
    with pytest.raises(ValidationError) as info:
        fn(*args)
    return info.value.by_field


def test_valid_client_passes_with_and_without_bsn() -> None:
    validate_client(CLIENT, TODAY)
    validate_client(replace(CLIENT, bsn="123.456.782"), TODAY)
    validate_client(replace(CLIENT, bsn=""), TODAY)


def test_client_lists_every_bad_field() -> None:
    bad = replace(
        CLIENT, first_name=" ", last_name="", date_of_birth=date(2024, 6, 2), bsn="123456789"
    )
    errors = errors_of(validate_client, bad, TODAY)
    assert set(errors) == {"first_name", "last_name", "date_of_birth", "bsn"}
    for messages in errors.values():
        for m in messages:
            assert "123456789" not in m


def test_client_born_today_is_fine_and_over_25_is_refused() -> None:
    validate_client(replace(CLIENT, date_of_birth=TODAY), TODAY)
    validate_client(replace(CLIENT, date_of_birth=date(1998, 6, 2)), TODAY)  # 25
    errors = errors_of(validate_client, replace(CLIENT, date_of_birth=date(1998, 6, 1)), TODAY)
    assert set(errors) == {"date_of_birth"}
    assert "23 jaar" in errors["date_of_birth"][0]


def test_client_messages_do_not_contain_the_name() -> None:
    bad = replace(CLIENT, date_of_birth=date(1990, 1, 1), bsn="111")
    with pytest.raises(ValidationError) as info:
        validate_client(bad, TODAY)
    for e in info.value.errors:
        assert "Sam" not in e.message and "Jansen" not in e.message


def test_guardian_name_required() -> None:
    validate_guardian(Guardian(client_id="c", name="Ouder A"))
    assert set(errors_of(validate_guardian, Guardian(client_id="c", name="  "))) == {"name"}


def trajectory(**changes: object) -> Trajectory:
    t = Trajectory(
        client_id="c", practice_id="p", referred_on=TODAY, request_category=RequestCategory.SCHOOL
    )
    return replace(t, **changes)


def test_trajectory_checks() -> None:
    validate_trajectory(trajectory(), TODAY)
    validate_trajectory(
        trajectory(status=TrajectoryStatus.CLOSED, outcome=Outcome.DROPPED_OUT, closed_on=TODAY),
        TODAY,
    )
    assert set(
        errors_of(
            validate_trajectory,
            trajectory(referred_on=TODAY + timedelta(days=1), request_category=None),
            TODAY,
        )
    ) == {"referred_on", "request_category"}
    closed_wrong = trajectory(status=TrajectoryStatus.CLOSED, closed_on=TODAY - timedelta(days=1))
    assert set(errors_of(validate_trajectory, closed_wrong, TODAY)) == {"outcome", "closed_on"}
    open_with_outcome = trajectory(outcome=Outcome.DROPPED_OUT)
    assert set(errors_of(validate_trajectory, open_with_outcome, TODAY)) == {"outcome"}


def contact(**changes: object) -> Contact:
    c = Contact(
        client_id="c",
        trajectory_id="t",
        type=ContactType.CONVERSATION_CHILD,
        start=NOW - timedelta(hours=2),
        duration_min=45,
        practice_id="p",
        participants=(Participant.CHILD,),
    )
    return replace(c, **changes)


@pytest.mark.parametrize("minutes", [1, 45, 600])
def test_contact_duration_bounds_accepted(minutes: int) -> None:
    validate_contact(contact(duration_min=minutes), NOW)


@pytest.mark.parametrize("minutes", [0, -5, 601])
def test_contact_duration_bounds_refused(minutes: int) -> None:
    assert set(errors_of(validate_contact, contact(duration_min=minutes), NOW)) == {"duration_min"}


def test_contact_start_at_most_one_day_ahead() -> None:
    validate_contact(contact(start=NOW + timedelta(days=1)), NOW)
    too_far = contact(start=NOW + timedelta(days=1, minutes=1))
    assert set(errors_of(validate_contact, too_far, NOW)) == {"start"}


def test_conversation_needs_participants_other_contacts_do_not() -> None:
    assert set(errors_of(validate_contact, contact(participants=()), NOW)) == {"participants"}
    validate_contact(contact(type=ContactType.GP_CONSULTATION, participants=()), NOW)
