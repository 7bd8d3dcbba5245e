"""The caseload badge computes only states, for speed; it must agree with check_consent."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, timedelta

import pytest

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.badge import (
    NEVER,
    RENEW_WARNING_DAYS,
    ConsentBadge,
    badge_valid_until,
    consent_badge,
)
from liaison_desktop.domain.consent import ConsentState, age_band, check_consent, reask_date
from liaison_desktop.domain.retention import add_years


def reference_badge(
    consents: Iterable[dm.Consent],
    dob: date,
    guardians: Iterable[dm.Guardian],
    today: date,
    warn_days: int = RENEW_WARNING_DAYS,
) -> ConsentBadge:
    """The badge as first written: every scope's latest consent through check_consent."""
    guardians = list(guardians)
    latest: dict[str, dm.Consent] = {}
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


TODAY = date(2026, 3, 1)
TRICKY_DOBS = [
    date(2012, 2, 29),  # turns 12 on 29-2-2024 (leap), 16 on 1-3-2028
    date(2014, 3, 1),  # turns 12 on TODAY
    date(2010, 3, 1),  # turns 16 on TODAY
    date(2010, 3, 2),  # turns 16 tomorrow
    date(2014, 4, 30),  # turns 12 within the warning window
    date(2014, 5, 1),
    date(2008, 2, 29),
]


def _random_case(rng: random.Random):
    if rng.random() < 0.3:
        dob = rng.choice(TRICKY_DOBS)
    else:
        dob = TODAY - timedelta(days=rng.randrange(200, 365 * 19))
    client_id = "client"
    guardians = [
        dm.Guardian(
            client_id=client_id if rng.random() < 0.9 else "other",
            name=f"g{i}",
            has_authority=rng.random() < 0.8,
            id=f"g{i}",
        )
        for i in range(rng.randrange(0, 4))
    ]
    ids = [g.id for g in guardians] + ["unknown"]
    consents = []
    for k in range(rng.randrange(0, 6)):
        # Dates near the 12th and 16th birthdays and near today, where the rules turn.
        anchor = rng.choice([TODAY, add_years(dob, 12), add_years(dob, 16), dob])
        given = anchor + timedelta(days=rng.randrange(-90, 90))
        if given < dob:
            given = dob
        withdrawn = None
        if rng.random() < 0.2:
            withdrawn = given + timedelta(days=rng.randrange(0, 400))
        listed = tuple(rng.sample(ids, rng.randrange(0, len(ids) + 1)))
        if listed and rng.random() < 0.1:
            listed = listed + listed[:1]  # the same guardian twice
        consents.append(
            dm.Consent(
                client_id=client_id,
                scope=rng.choice(list(dm.ConsentScope)[:2]),  # few scopes: several per scope
                given_on=given,
                method=dm.ConsentMethod.WRITTEN,
                given_by_child=rng.random() < 0.6,
                guardian_ids=listed,
                withdrawn_on=withdrawn,
                id=f"c{k % 3}",  # equal ids and dates: the tie-break by id matters
            )
        )
    today = rng.choice([TODAY, TODAY + timedelta(days=rng.randrange(-400, 400))])
    return consents, dob, guardians, today


def test_badge_agrees_with_check_consent_on_random_cases():
    rng = random.Random(20261122)
    seen = set()
    for _ in range(30_000):
        consents, dob, guardians, today = _random_case(rng)
        expected = reference_badge(consents, dob, guardians, today)
        assert consent_badge(consents, dob, guardians, today) == expected, (
            consents,
            dob,
            guardians,
            today,
        )
        seen.add(expected)
    assert seen == set(ConsentBadge)  # every outcome was exercised


@pytest.mark.parametrize("dob", TRICKY_DOBS + [date(2000, 2, 29), date(2004, 12, 31)])
def test_birthday_thresholds_match_age_band_and_reask_date(dob):
    """The badge derives age bands from the 12th and 16th birthdays; check every day."""
    for offset in range(365 * 18):
        day = dob + timedelta(days=offset)
        t12, t16 = add_years(dob, 12), add_years(dob, 16)
        band = age_band(dob, day)
        assert (day >= t12) == (band.min_age >= 12), day
        assert (day >= t16) == (band.min_age >= 16), day
        assert reask_date(dob, day) == (t12 if day < t12 else t16 if day < t16 else None), day


def test_badge_stays_the_same_until_its_valid_until_date():
    """The stored badge is recomputed only from ``badge_valid_until`` on: up to the day before,
    every day must give the badge of the day it was computed (checked day by day)."""
    rng = random.Random(20261201)
    changed_on_the_day = 0
    for _ in range(1_500):
        consents, dob, guardians, today = _random_case(rng)
        badge = consent_badge(consents, dob, guardians, today)
        until = badge_valid_until(consents, dob, today)
        assert until > today
        last = min(until, today + timedelta(days=800))
        day = today
        while day < last:
            assert consent_badge(consents, dob, guardians, day) == badge, (day, until)
            day += timedelta(days=1)
        if until != NEVER and consent_badge(consents, dob, guardians, until) != badge:
            changed_on_the_day += 1
    # The dates are not all false alarms: many badges do change on exactly that day.
    assert changed_on_the_day > 100


def test_adult_without_dated_consents_never_needs_a_recount():
    dob = date(2000, 1, 1)
    assert badge_valid_until([], dob, date(2026, 1, 1)) == NEVER
