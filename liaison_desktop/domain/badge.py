"""The caseload's consent badge: one word summarising a client's consents today."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

from liaison_desktop.domain.consent import ConsentState, check_consent
from liaison_desktop.domain.model import Consent, Guardian

RENEW_WARNING_DAYS = 60


class ConsentBadge(StrEnum):
    VALID = "valid"
    MISSING = "missing"
    WITHDRAWN = "withdrawn"
    RENEW_SOON = "renew_soon"  # lapses soon (or has lapsed) because the child turns 12 or 16


def consent_badge(
    consents: Iterable[Consent],
    dob: date,
    guardians: Iterable[Guardian],
    today: date,
    warn_days: int = RENEW_WARNING_DAYS,
) -> ConsentBadge:
    """Summarise per scope, most recent consent first: withdrawn beats renew beats valid."""
    guardians = list(guardians)
    latest: dict[str, Consent] = {}
    for c in consents:
        if c.given_on > today:
            continue
        cur = latest.get(c.scope)
        if cur is None or (c.given_on, c.id) > (cur.given_on, cur.id):
            latest[c.scope] = c
    if not latest:
        return ConsentBadge.MISSING
    states = []
    renew = False
    for c in latest.values():
        check = check_consent(c, dob, guardians, today)
        states.append(check.state)
        if check.state is ConsentState.EXPIRED_AGE or (
            check.valid
            and check.reask_on is not None
            and check.reask_on - today <= timedelta(days=warn_days)
        ):
            renew = True
    if ConsentState.WITHDRAWN in states:
        return ConsentBadge.WITHDRAWN
    if renew:
        return ConsentBadge.RENEW_SOON
    if ConsentState.VALID in states:
        return ConsentBadge.VALID
    return ConsentBadge.MISSING
