"""The caseload's consent badge: one word summarising a client's consents today."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from liaison_desktop.domain.consent import (
    CHILD_CONSENT_AGE,
    INDEPENDENT_AGE,
    AgeBand,
    RequiredGivers,
    required_givers,
)
from liaison_desktop.domain.retention import add_years

RENEW_WARNING_DAYS = 60


class ConsentBadge(StrEnum):
    VALID = "valid"
    MISSING = "missing"
    WITHDRAWN = "withdrawn"
    RENEW_SOON = "renew_soon"  # lapses soon (or has lapsed) because the child turns 12 or 16


class ConsentFacts(Protocol):
    """What the badge reads of a consent: a :class:`~model.Consent` or a lighter record."""

    @property
    def id(self) -> str: ...
    @property
    def client_id(self) -> str: ...
    @property
    def scope(self) -> str: ...
    @property
    def given_on(self) -> date: ...
    @property
    def given_by_child(self) -> bool: ...
    @property
    def guardian_ids(self) -> tuple[str, ...]: ...
    @property
    def withdrawn_on(self) -> date | None: ...


class GuardianFacts(Protocol):
    """What the badge reads of a guardian: a :class:`~model.Guardian` or a lighter record."""

    @property
    def id(self) -> str: ...
    @property
    def client_id(self) -> str: ...
    @property
    def has_authority(self) -> bool: ...


def consent_badge(
    consents: Iterable[ConsentFacts],
    dob: date,
    guardians: Iterable[GuardianFacts],
    today: date,
    warn_days: int = RENEW_WARNING_DAYS,
) -> ConsentBadge:
    """Summarise per scope, most recent consent first: withdrawn beats renew beats valid.

    Each scope's most recent consent (given on or before ``today``) is judged by the rules of
    :func:`~liaison_desktop.domain.consent.check_consent`: withdrawn, given in an earlier age
    band (renew), wrong givers (counts as missing), or valid (renew when the 12th or 16th
    birthday is within ``warn_days``). Only the states are computed here, not the Dutch
    reasons, because the caseload asks this for thousands of clients at once; a test checks
    that the outcome always equals the one built from ``check_consent``.
    """
    latest: dict[str, ConsentFacts] = {}
    for c in consents:
        if c.given_on > today:
            continue
        cur = latest.get(c.scope)
        if cur is None or (c.given_on, c.id) > (cur.given_on, cur.id):
            latest[c.scope] = c
    if not latest:
        return ConsentBadge.MISSING
    for c in latest.values():
        if c.withdrawn_on is not None and c.withdrawn_on <= today:
            return ConsentBadge.WITHDRAWN  # withdrawn beats everything else
    required = required_givers(dob, today)
    # The age band on a day follows from the 12th and 16th birthdays (consent.age_band);
    # the next of those after the consent is its reask date (consent.reask_date).
    turns_12 = add_years(dob, CHILD_CONSENT_AGE)
    turns_16 = add_years(dob, INDEPENDENT_AGE)
    warn = timedelta(days=warn_days)
    by_id: dict[str, GuardianFacts] | None = None
    renew = valid = False
    for c in latest.values():
        given = c.given_on
        if given < turns_12:
            band, reask_on = AgeBand.UNDER_12, turns_12
        elif given < turns_16:
            band, reask_on = AgeBand.AGE_12_15, turns_16
        else:
            band, reask_on = AgeBand.AGE_16_PLUS, None
        if band != required.band:
            renew = True  # given in an earlier age band: lapsed, ask again
            continue
        if required.guardian_required and by_id is None:
            by_id = {g.id: g for g in guardians}
        if not _givers_ok(c, required, by_id):
            continue
        valid = True
        if reask_on is not None and reask_on - today <= warn:
            renew = True
    if renew:
        return ConsentBadge.RENEW_SOON
    if valid:
        return ConsentBadge.VALID
    return ConsentBadge.MISSING


def _givers_ok(
    c: ConsentFacts, required: RequiredGivers, by_id: dict[str, GuardianFacts] | None
) -> bool:
    """Whether check_consent would find no giver problem (see consent._missing_giver_problems)."""
    if required.child_required and not c.given_by_child:
        return False
    if not required.guardian_required:
        return True
    assert by_id is not None
    listed = False
    for gid in c.guardian_ids:
        g = by_id.get(gid)
        # Unknown, of another client, or without authority: a giver problem.
        if g is None or g.client_id != c.client_id or not g.has_authority:
            return False
        listed = True
    return listed  # at least one parent with authority must have consented


NEVER = date(9999, 12, 31)
"""``badge_valid_until`` for a badge that no date can change (no birthday ahead, no dates)."""


def badge_valid_until(
    consents: Iterable[ConsentFacts],
    dob: date,
    today: date,
    warn_days: int = RENEW_WARNING_DAYS,
) -> date:
    """The first day after ``today`` on which :func:`consent_badge` may give another answer.

    The badge is a function of the day only through these dates: a consent that takes effect
    (``given_on``) or is withdrawn (``withdrawn_on``) later, the start of the renew warning
    before the 12th and 16th birthdays, and those birthdays themselves (the age band, and with
    it who must consent, changes). Up to the day before the returned date the badge stays what
    it is today, so the store can keep it in a column and recompute only when the day comes
    (or when the file changes). A property test checks this against ``consent_badge``.
    """
    warn = timedelta(days=warn_days)
    turns_12 = add_years(dob, CHILD_CONSENT_AGE)
    turns_16 = add_years(dob, INDEPENDENT_AGE)
    candidates = [turns_12 - warn, turns_12, turns_16 - warn, turns_16]
    for c in consents:
        candidates.append(c.given_on)
        if c.withdrawn_on is not None:
            candidates.append(c.withdrawn_on)
    later = [d for d in candidates if d > today]
    return min(later) if later else NEVER
