"""Field checks for records entered by the professional; each raises ValidationError."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from liaison_desktop.domain.bsn import validate_bsn
from liaison_desktop.domain.consent import age_on
from liaison_desktop.domain.conversations import counts_by_default
from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.domain.model import (
    Client,
    Contact,
    Guardian,
    RequestCategory,
    Trajectory,
    TrajectoryStatus,
)

MAX_CLIENT_AGE = 25  # youth care runs to 23; a little margin before refusing
MIN_DURATION_MIN = 1
MAX_DURATION_MIN = 600
MAX_CONTACT_AHEAD = timedelta(days=1)


def _raise_if_any(errors: list[DomainError]) -> None:
    if errors:
        raise ValidationError(errors)


def _required(value: str, field: str, message: str) -> list[DomainError]:
    return [] if value.strip() else [DomainError("required", message, field=field)]


def validate_client(client: Client, today: date) -> None:
    """Check a client's names, date of birth and (optional) BSN; raise ValidationError."""
    errors = _required(client.first_name, "first_name", "Vul de voornaam in.")
    errors += _required(client.last_name, "last_name", "Vul de achternaam in.")
    if client.date_of_birth > today:
        errors.append(
            DomainError(
                "dob_in_future",
                "De geboortedatum ligt in de toekomst.",
                field="date_of_birth",
            )
        )
    elif age_on(client.date_of_birth, today) > MAX_CLIENT_AGE:
        errors.append(
            DomainError(
                "dob_too_old",
                f"Met deze geboortedatum is de jeugdige ouder dan {MAX_CLIENT_AGE} jaar. "
                "Jeugdhulp loopt tot 23 jaar; controleer de geboortedatum.",
                field="date_of_birth",
            )
        )
    try:
        validate_bsn(client.bsn)
    except DomainError as e:
        errors.append(e)
    _raise_if_any(errors)


def validate_guardian(g: Guardian) -> None:
    """Check a guardian: the name is required; raise ValidationError."""
    _raise_if_any(_required(g.name, "name", "Vul de naam van de ouder in."))


def validate_trajectory(t: Trajectory, today: date) -> None:
    """Check a trajectory's referral date, request category and closing fields."""
    errors: list[DomainError] = []
    if t.referred_on > today:
        errors.append(
            DomainError(
                "referred_in_future",
                "De datum van aanmelding ligt in de toekomst.",
                field="referred_on",
            )
        )
    if t.request_category not in set(RequestCategory):
        errors.append(DomainError("required", "Kies een hulpvraag.", field="request_category"))
    if t.status == TrajectoryStatus.CLOSED:
        if t.outcome is None:
            errors.append(
                DomainError(
                    "outcome_required",
                    "Kies een uitkomst om het traject af te sluiten.",
                    field="outcome",
                )
            )
        if t.closed_on is not None and t.closed_on < t.referred_on:
            errors.append(
                DomainError(
                    "closed_before_referral",
                    "De afsluitdatum ligt vóór de datum van aanmelding.",
                    field="closed_on",
                )
            )
    elif t.outcome is not None:
        errors.append(
            DomainError(
                "outcome_without_close",
                "Een uitkomst vul je alleen in bij het afsluiten van het traject.",
                field="outcome",
            )
        )
    _raise_if_any(errors)


def validate_contact(c: Contact, now: datetime) -> None:
    """Check a contact's duration, start time and, for conversations, its participants.

    ``now`` must be naive or aware exactly like ``c.start``.
    """
    errors: list[DomainError] = []
    if not MIN_DURATION_MIN <= c.duration_min <= MAX_DURATION_MIN:
        errors.append(
            DomainError(
                "duration_out_of_range",
                f"De duur moet tussen {MIN_DURATION_MIN} en {MAX_DURATION_MIN} minuten liggen.",
                field="duration_min",
            )
        )
    if c.start > now + MAX_CONTACT_AHEAD:
        errors.append(
            DomainError(
                "contact_too_far_ahead",
                "Het begin ligt meer dan een dag in de toekomst. "
                "Plan toekomstige gesprekken in de agenda.",
                field="start",
            )
        )
    if counts_by_default(c.type) and not c.participants:
        errors.append(
            DomainError(
                "participants_required",
                "Kies wie er bij het gesprek waren.",
                field="participants",
            )
        )
    _raise_if_any(errors)
