"""Consent rules: who must consent at which age, and whether a consent holds on a given day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from liaison_desktop.domain.errors import DomainError, ValidationError
from liaison_desktop.domain.model import Consent, ConsentScope, Guardian
from liaison_desktop.domain.retention import add_years

CHILD_CONSENT_AGE = 12  # from 12 the child consents too
INDEPENDENT_AGE = 16  # from 16 the young person consents alone


def age_on(dob: date, day: date) -> int:
    """Age in whole years on ``day``; a 29 February birthday falls on 1 March in non-leap years."""
    # Comparing (month, day) is the same rule: in a non-leap year (2, 28) < (2, 29) and
    # (3, 1) is not, so a 29 February birthday is reached on 1 March. No date is built: the
    # caseload asks this for thousands of rows.
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class AgeBand(StrEnum):
    """Age band that decides who must consent."""

    UNDER_12 = "under_12"
    AGE_12_15 = "12_15"
    AGE_16_PLUS = "16_plus"

    @property
    def min_age(self) -> int:
        """The youngest age in this band (0, 12 or 16); bands are ordered by it."""
        return _MIN_AGE[self]


_MIN_AGE = {
    AgeBand.UNDER_12: 0,
    AgeBand.AGE_12_15: CHILD_CONSENT_AGE,
    AgeBand.AGE_16_PLUS: INDEPENDENT_AGE,
}


def age_band(dob: date, day: date) -> AgeBand:
    """The consent age band of someone born on ``dob``, on ``day``."""
    age = age_on(dob, day)
    if age < CHILD_CONSENT_AGE:
        return AgeBand.UNDER_12
    if age < INDEPENDENT_AGE:
        return AgeBand.AGE_12_15
    return AgeBand.AGE_16_PLUS


@dataclass(frozen=True, slots=True)
class RequiredGivers:
    """Who must have consented for one age band; ``description`` is Dutch, for the interface."""

    band: AgeBand
    description: str
    child_required: bool
    guardian_required: bool


_REQUIRED = {
    AgeBand.UNDER_12: RequiredGivers(AgeBand.UNDER_12, "De ouders met gezag", False, True),
    AgeBand.AGE_12_15: RequiredGivers(
        AgeBand.AGE_12_15, "De jeugdige én de ouders met gezag", True, True
    ),
    AgeBand.AGE_16_PLUS: RequiredGivers(AgeBand.AGE_16_PLUS, "De jeugdige zelf", True, False),
}


def required_givers(dob: date, day: date) -> RequiredGivers:
    """Who must have consented for a consent used on ``day`` (the age on that day decides)."""
    return _REQUIRED[age_band(dob, day)]


class ConsentState(StrEnum):
    """Outcome of checking a consent on one day."""

    VALID = "valid"
    MISSING = "missing"
    WITHDRAWN = "withdrawn"
    EXPIRED_AGE = "expired_age"  # given in an earlier age band: ask again
    INVALID_GIVER = "invalid_giver"  # wrong or missing givers, e.g. a parent without authority
    NOT_YET = "not_yet"  # given_on lies after the day


@dataclass(frozen=True, slots=True)
class ConsentCheck:
    """The result of check_consent; ``reason`` is a Dutch sentence without client data.

    ``reask_on`` is the birthday on which the consent lapses (12th or 16th), if any.
    ``consent`` is the consent that was checked (``None`` when missing).
    """

    state: ConsentState
    valid: bool
    reason: str
    required: RequiredGivers
    reask_on: date | None = None
    consent: Consent | None = None


def reask_date(dob: date, given_on: date) -> date | None:
    """The 12th or 16th birthday after ``given_on`` on which the consent must be asked again.

    ``None`` when the consent was given at 16 or older.
    """
    age = age_on(dob, given_on)
    for threshold in (CHILD_CONSENT_AGE, INDEPENDENT_AGE):
        if age < threshold:
            return add_years(dob, threshold)
    return None


def _format_date(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _guardian_map(guardians: Mapping[str, Guardian] | Iterable[Guardian]) -> dict[str, Guardian]:
    if isinstance(guardians, Mapping):
        return dict(guardians)
    return {g.id: g for g in guardians}


def _listed_guardian_problems(
    consent: Consent, guardians: dict[str, Guardian]
) -> list[DomainError]:
    """Listed guardians that are unknown, of another client, or without authority."""
    problems: list[DomainError] = []
    listed = [guardians.get(gid) for gid in consent.guardian_ids]
    if any(g is None or g.client_id != consent.client_id for g in listed):
        problems.append(
            DomainError(
                "consent_guardian_unknown",
                "Een gekozen ouder hoort niet bij deze jeugdige. Kies een ouder uit het dossier.",
                field="guardian_ids",
            )
        )
    if any(g is not None and not g.has_authority for g in listed):
        problems.append(
            DomainError(
                "consent_guardian_no_authority",
                "Een ouder zonder gezag kan geen toestemming geven. "
                "Vraag de toestemming aan een ouder met gezag.",
                field="guardian_ids",
            )
        )
    return problems


def _missing_giver_problems(
    consent: Consent, required: RequiredGivers, guardians: dict[str, Guardian]
) -> list[DomainError]:
    """Givers the age band requires but the consent lacks."""
    problems: list[DomainError] = []
    if required.child_required and not consent.given_by_child:
        if required.band == AgeBand.AGE_16_PLUS:
            text = "Vanaf 16 jaar geeft de jeugdige zelf toestemming."
        else:
            text = "Van 12 tot 16 jaar moet ook de jeugdige zelf toestemming geven."
        problems.append(DomainError("consent_child_required", text, field="given_by_child"))
    if required.guardian_required:
        authorised = [
            gid
            for gid in consent.guardian_ids
            if (g := guardians.get(gid)) is not None
            and g.client_id == consent.client_id
            and g.has_authority
        ]
        if not authorised:
            if required.band == AgeBand.UNDER_12:
                text = "Onder de 12 jaar geven de ouders met gezag toestemming."
            else:
                text = "Van 12 tot 16 jaar moet ook een ouder met gezag toestemming geven."
            problems.append(
                DomainError(
                    "consent_guardian_required",
                    text + " Kies minstens één ouder met gezag.",
                    field="guardian_ids",
                )
            )
    return problems


def check_consent(
    consent: Consent | None,
    dob: date,
    guardians: Mapping[str, Guardian] | Iterable[Guardian],
    day: date,
) -> ConsentCheck:
    """Whether ``consent`` holds on ``day`` for a client born on ``dob``.

    The age on ``day`` decides who must have consented. ``guardians`` are the client's
    guardians (a mapping by id, or any iterable). Checks, in order: missing, not yet given,
    withdrawn (from ``withdrawn_on`` inclusive), given in an earlier age band, wrong givers.
    """
    required = required_givers(dob, day)

    def result(state: ConsentState, reason: str, reask_on: date | None = None) -> ConsentCheck:
        return ConsentCheck(state, state == ConsentState.VALID, reason, required, reask_on, consent)

    if consent is None:
        return result(
            ConsentState.MISSING,
            f"Er is geen toestemming vastgelegd. Nodig: {required.description.lower()}.",
        )
    if consent.given_on > day:
        return result(
            ConsentState.NOT_YET,
            f"De toestemming geldt pas vanaf {_format_date(consent.given_on)}.",
        )
    if consent.withdrawn_on is not None and consent.withdrawn_on <= day:
        return result(
            ConsentState.WITHDRAWN,
            f"De toestemming is ingetrokken op {_format_date(consent.withdrawn_on)}.",
        )
    reask_on = reask_date(dob, consent.given_on)
    if age_band(dob, consent.given_on) != required.band:
        age = required.band.min_age
        return result(
            ConsentState.EXPIRED_AGE,
            f"De toestemming is gegeven voordat de jeugdige {age} werd en geldt niet meer. "
            f"Vraag opnieuw toestemming aan: {required.description.lower()}.",
            reask_on,
        )
    by_id = _guardian_map(guardians)
    problems = _missing_giver_problems(consent, required, by_id)
    if required.guardian_required:
        problems = _listed_guardian_problems(consent, by_id) + problems
    if problems:
        return result(ConsentState.INVALID_GIVER, problems[0].message, reask_on)
    return result(
        ConsentState.VALID,
        f"Geldige toestemming van {required.description.lower()}.",
        reask_on,
    )


def best_consent(
    consents: Iterable[Consent],
    scope: ConsentScope,
    dob: date,
    guardians: Mapping[str, Guardian] | Iterable[Guardian],
    day: date,
) -> ConsentCheck:
    """The relevant consent check among a client's consents for ``scope`` on ``day``.

    A valid consent wins (the most recently given one if several); otherwise the state of
    the most recently given consent; MISSING when there is none for this scope.
    """
    by_id = _guardian_map(guardians)
    candidates = sorted(
        (c for c in consents if c.scope == scope), key=lambda c: c.given_on, reverse=True
    )
    checks = [check_consent(c, dob, by_id, day) for c in candidates]
    for check in checks:
        if check.valid:
            return check
    if checks:
        return checks[0]
    return check_consent(None, dob, by_id, day)


def validate_consent(
    consent: Consent,
    dob: date,
    guardians: Mapping[str, Guardian] | Iterable[Guardian],
    day: date,
) -> None:
    """Refuse registering a consent that cannot be valid on its own ``given_on`` day.

    ``day`` is today. Raises ValidationError listing every problem: given_on in the future,
    withdrawn_on before given_on or in the future, a guardian not of this client or without
    authority, or givers that do not fit the age on ``given_on``.
    """
    errors: list[DomainError] = []
    if consent.given_on > day:
        errors.append(
            DomainError(
                "consent_given_in_future",
                "De datum van de toestemming ligt in de toekomst.",
                field="given_on",
            )
        )
    if consent.withdrawn_on is not None:
        if consent.withdrawn_on < consent.given_on:
            errors.append(
                DomainError(
                    "consent_withdrawn_before_given",
                    "De datum van intrekken ligt vóór de datum van de toestemming.",
                    field="withdrawn_on",
                )
            )
        elif consent.withdrawn_on > day:
            errors.append(
                DomainError(
                    "consent_withdrawn_in_future",
                    "De datum van intrekken ligt in de toekomst. "
                    "Intrekken gaat direct in: gebruik de datum van vandaag.",
                    field="withdrawn_on",
                )
            )
    by_id = _guardian_map(guardians)
    errors += _listed_guardian_problems(consent, by_id)
    errors += _missing_giver_problems(consent, required_givers(dob, consent.given_on), by_id)
    if errors:
        raise ValidationError(errors)
