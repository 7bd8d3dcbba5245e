"""Consent by age: who consents, when a consent holds, lapses or must be asked again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison_desktop.domain.consent import (
    AgeBand,
    ConsentState,
    age_band,
    age_on,
    best_consent,
    check_consent,
    reask_date,
    required_givers,
    validate_consent,
)
from liaison_desktop.domain.errors import ValidationError
from liaison_desktop.domain.model import Consent, ConsentMethod, ConsentScope, Guardian

CLIENT = "client-1"
DOB = date(2012, 5, 10)  # 12th birthday 2024-05-10, 16th 2028-05-10
LEAP_DOB = date(2008, 2, 29)

MOTHER = Guardian(client_id=CLIENT, name="Ouder A", id="g-mother")
FATHER_NO_AUTHORITY = Guardian(client_id=CLIENT, name="Ouder B", has_authority=False, id="g-father")
OTHER_CLIENTS_PARENT = Guardian(client_id="client-2", name="Ouder C", id="g-other")
GUARDIANS = [MOTHER, FATHER_NO_AUTHORITY, OTHER_CLIENTS_PARENT]


def consent(
    given_on: date,
    *,
    child: bool = False,
    guardians: tuple[str, ...] = (),
    withdrawn_on: date | None = None,
    scope: ConsentScope = ConsentScope.NEIGHBOURHOOD_TEAM,
) -> Consent:
    return Consent(
        client_id=CLIENT,
        scope=scope,
        given_on=given_on,
        method=ConsentMethod.SPOKEN,
        given_by_child=child,
        guardian_ids=guardians,
        withdrawn_on=withdrawn_on,
    )


# --- age ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2024, 5, 9), 11),
        (date(2024, 5, 10), 12),
        (date(2028, 5, 9), 15),
        (date(2028, 5, 10), 16),
        (date(2012, 5, 10), 0),
    ],
)
def test_age_on_counts_whole_years_and_turns_on_the_birthday(day: date, age: int) -> None:
    assert age_on(DOB, day) == age


def test_feb_29_birthday_counts_on_march_1_in_non_leap_years() -> None:
    assert age_on(LEAP_DOB, date(2020, 2, 28)) == 11
    assert age_on(LEAP_DOB, date(2020, 2, 29)) == 12  # leap year: the real birthday
    assert age_on(LEAP_DOB, date(2021, 2, 28)) == 12
    assert age_on(LEAP_DOB, date(2024, 2, 28)) == 15
    assert age_on(LEAP_DOB, date(2024, 2, 29)) == 16
    assert age_on(date(2012, 2, 29), date(2023, 2, 28)) == 10
    assert age_on(date(2012, 2, 29), date(2023, 3, 1)) == 11


@pytest.mark.parametrize(
    ("day", "band"),
    [
        (date(2024, 5, 9), AgeBand.UNDER_12),
        (date(2024, 5, 10), AgeBand.AGE_12_15),
        (date(2028, 5, 9), AgeBand.AGE_12_15),
        (date(2028, 5, 10), AgeBand.AGE_16_PLUS),
    ],
)
def test_age_band_changes_exactly_on_12th_and_16th_birthday(day: date, band: AgeBand) -> None:
    assert age_band(DOB, day) is band


@given(
    dob=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    offset=st.integers(min_value=0, max_value=30 * 366),
    step=st.integers(min_value=0, max_value=3000),
)
def test_age_and_band_are_monotone_in_the_day(dob: date, offset: int, step: int) -> None:
    earlier = dob + timedelta(days=offset)
    later = earlier + timedelta(days=step)
    assert age_on(dob, earlier) <= age_on(dob, later)
    assert age_band(dob, earlier).min_age <= age_band(dob, later).min_age


@given(dob=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
def test_age_on_the_day_before_reask_date_is_one_less(dob: date) -> None:
    reask = reask_date(dob, dob)
    assert reask is not None
    assert age_on(dob, reask) == 12
    assert age_on(dob, reask - timedelta(days=1)) == 11


def test_required_givers_per_band() -> None:
    under = required_givers(DOB, date(2024, 5, 9))
    assert (under.child_required, under.guardian_required) == (False, True)
    assert under.description == "De ouders met gezag"
    middle = required_givers(DOB, date(2024, 5, 10))
    assert (middle.child_required, middle.guardian_required) == (True, True)
    assert middle.description == "De jeugdige én de ouders met gezag"
    adult = required_givers(DOB, date(2028, 5, 10))
    assert (adult.child_required, adult.guardian_required) == (True, False)
    assert adult.description == "De jeugdige zelf"


# --- reask_date ----------------------------------------------------------------------------


def test_reask_date_is_the_next_12th_or_16th_birthday() -> None:
    assert reask_date(DOB, date(2020, 1, 1)) == date(2024, 5, 10)
    assert reask_date(DOB, date(2024, 5, 9)) == date(2024, 5, 10)
    assert reask_date(DOB, date(2024, 5, 10)) == date(2028, 5, 10)
    assert reask_date(DOB, date(2028, 5, 10)) is None


def test_reask_date_for_feb_29_birth() -> None:
    # 12 and 16 are multiples of 4, so these birthdays fall on a real 29 February ...
    assert reask_date(date(2012, 2, 29), date(2020, 1, 1)) == date(2024, 2, 29)
    assert reask_date(date(2012, 2, 29), date(2024, 2, 29)) == date(2028, 2, 29)
    # ... except across a century that is not a leap year: then 1 March.
    assert reask_date(date(2088, 2, 29), date(2095, 1, 1)) == date(2100, 3, 1)
    assert age_on(date(2088, 2, 29), date(2100, 2, 28)) == 11


# --- check_consent -------------------------------------------------------------------------

UNDER_12_DAY = date(2023, 9, 1)  # age 11
MIDDLE_DAY = date(2025, 9, 1)  # age 13
ADULT_DAY = date(2029, 9, 1)  # age 17


def test_missing_consent() -> None:
    check = check_consent(None, DOB, GUARDIANS, UNDER_12_DAY)
    assert check.state is ConsentState.MISSING
    assert not check.valid
    assert "ouders met gezag" in check.reason


def test_under_12_parent_with_authority_is_valid() -> None:
    c = consent(date(2023, 6, 1), guardians=(MOTHER.id,))
    check = check_consent(c, DOB, GUARDIANS, UNDER_12_DAY)
    assert check.state is ConsentState.VALID
    assert check.valid
    assert check.reask_on == date(2024, 5, 10)
    assert check.consent is c


def test_guardians_may_be_given_as_a_mapping() -> None:
    c = consent(date(2023, 6, 1), guardians=(MOTHER.id,))
    check = check_consent(c, DOB, {g.id: g for g in GUARDIANS}, UNDER_12_DAY)
    assert check.valid


def test_under_12_parent_without_authority_cannot_consent() -> None:
    c = consent(date(2023, 6, 1), guardians=(FATHER_NO_AUTHORITY.id,))
    check = check_consent(c, DOB, GUARDIANS, UNDER_12_DAY)
    assert check.state is ConsentState.INVALID_GIVER
    assert "zonder gezag" in check.reason


def test_under_12_one_parent_without_authority_among_givers_is_invalid() -> None:
    c = consent(date(2023, 6, 1), guardians=(MOTHER.id, FATHER_NO_AUTHORITY.id))
    check = check_consent(c, DOB, GUARDIANS, UNDER_12_DAY)
    assert check.state is ConsentState.INVALID_GIVER


def test_under_12_child_alone_is_not_enough() -> None:
    c = consent(date(2023, 6, 1), child=True)
    check = check_consent(c, DOB, GUARDIANS, UNDER_12_DAY)
    assert check.state is ConsentState.INVALID_GIVER
    assert "Onder de 12 jaar" in check.reason


def test_guardian_of_another_client_is_invalid() -> None:
    c = consent(date(2023, 6, 1), guardians=(OTHER_CLIENTS_PARENT.id,))
    check = check_consent(c, DOB, GUARDIANS, UNDER_12_DAY)
    assert check.state is ConsentState.INVALID_GIVER
    unknown = consent(date(2023, 6, 1), guardians=("no-such-id",))
    assert check_consent(unknown, DOB, GUARDIANS, UNDER_12_DAY).state is (
        ConsentState.INVALID_GIVER
    )


def test_12_to_15_needs_child_and_parent_with_authority() -> None:
    both = consent(date(2025, 1, 1), child=True, guardians=(MOTHER.id,))
    assert check_consent(both, DOB, GUARDIANS, MIDDLE_DAY).valid
    child_only = consent(date(2025, 1, 1), child=True)
    assert check_consent(child_only, DOB, GUARDIANS, MIDDLE_DAY).state is (
        ConsentState.INVALID_GIVER
    )
    parent_only = consent(date(2025, 1, 1), guardians=(MOTHER.id,))
    check = check_consent(parent_only, DOB, GUARDIANS, MIDDLE_DAY)
    assert check.state is ConsentState.INVALID_GIVER
    assert "jeugdige zelf" in check.reason
    no_authority = consent(date(2025, 1, 1), child=True, guardians=(FATHER_NO_AUTHORITY.id,))
    assert check_consent(no_authority, DOB, GUARDIANS, MIDDLE_DAY).state is (
        ConsentState.INVALID_GIVER
    )


def test_16_plus_child_alone_is_enough() -> None:
    c = consent(date(2028, 6, 1), child=True)
    check = check_consent(c, DOB, GUARDIANS, ADULT_DAY)
    assert check.valid
    assert check.reask_on is None
    parent_only = consent(date(2028, 6, 1), guardians=(MOTHER.id,))
    assert check_consent(parent_only, DOB, GUARDIANS, ADULT_DAY).state is (
        ConsentState.INVALID_GIVER
    )


def test_consent_given_on_the_12th_birthday_counts_in_the_new_band() -> None:
    c = consent(date(2024, 5, 10), child=True, guardians=(MOTHER.id,))
    assert check_consent(c, DOB, GUARDIANS, date(2024, 5, 10)).valid


def test_consent_given_at_11_lapses_on_the_12th_birthday() -> None:
    c = consent(date(2024, 5, 9), guardians=(MOTHER.id,))
    assert check_consent(c, DOB, GUARDIANS, date(2024, 5, 9)).valid
    check = check_consent(c, DOB, GUARDIANS, date(2024, 5, 10))
    assert check.state is ConsentState.EXPIRED_AGE
    assert check.reask_on == date(2024, 5, 10)
    assert "opnieuw" in check.reason
    assert "de jeugdige én de ouders met gezag" in check.reason


def test_consent_given_at_14_lapses_on_the_16th_birthday() -> None:
    c = consent(date(2026, 6, 1), child=True, guardians=(MOTHER.id,))
    assert check_consent(c, DOB, GUARDIANS, date(2028, 5, 9)).valid
    check = check_consent(c, DOB, GUARDIANS, date(2028, 5, 10))
    assert check.state is ConsentState.EXPIRED_AGE
    assert check.reask_on == date(2028, 5, 10)


def test_feb_29_child_consent_lapses_on_12th_birthday() -> None:
    dob = date(2012, 2, 29)
    c = consent(date(2023, 1, 1), guardians=(MOTHER.id,))
    assert check_consent(c, dob, GUARDIANS, date(2024, 2, 28)).valid
    assert check_consent(c, dob, GUARDIANS, date(2024, 2, 29)).state is (ConsentState.EXPIRED_AGE)


def test_withdrawal_is_effective_on_its_own_day() -> None:
    c = consent(date(2023, 6, 1), guardians=(MOTHER.id,), withdrawn_on=UNDER_12_DAY)
    assert check_consent(c, DOB, GUARDIANS, UNDER_12_DAY - timedelta(days=1)).valid
    check = check_consent(c, DOB, GUARDIANS, UNDER_12_DAY)
    assert check.state is ConsentState.WITHDRAWN
    assert not check.valid
    assert check_consent(c, DOB, GUARDIANS, UNDER_12_DAY + timedelta(days=1)).state is (
        ConsentState.WITHDRAWN
    )


def test_consent_given_after_the_day_is_not_yet_valid() -> None:
    c = consent(UNDER_12_DAY + timedelta(days=1), guardians=(MOTHER.id,))
    check = check_consent(c, DOB, GUARDIANS, UNDER_12_DAY)
    assert check.state is ConsentState.NOT_YET
    assert not check.valid


def test_reason_never_contains_names() -> None:
    c = consent(date(2023, 6, 1), guardians=(FATHER_NO_AUTHORITY.id,))
    for day in (UNDER_12_DAY, MIDDLE_DAY, ADULT_DAY):
        reason = check_consent(c, DOB, GUARDIANS, day).reason
        assert "Ouder B" not in reason
        assert "Ouder A" not in reason


# --- best_consent --------------------------------------------------------------------------


def test_best_consent_missing_when_none_for_scope() -> None:
    other_scope = consent(date(2023, 6, 1), guardians=(MOTHER.id,), scope=ConsentScope.EXPORT)
    check = best_consent(
        [other_scope], ConsentScope.NEIGHBOURHOOD_TEAM, DOB, GUARDIANS, UNDER_12_DAY
    )
    assert check.state is ConsentState.MISSING


def test_best_consent_valid_one_wins_over_newer_withdrawn_one() -> None:
    old_valid = consent(date(2023, 1, 1), guardians=(MOTHER.id,))
    newer_withdrawn = consent(
        date(2023, 6, 1), guardians=(MOTHER.id,), withdrawn_on=date(2023, 7, 1)
    )
    check = best_consent(
        [newer_withdrawn, old_valid],
        ConsentScope.NEIGHBOURHOOD_TEAM,
        DOB,
        GUARDIANS,
        UNDER_12_DAY,
    )
    assert check.valid
    assert check.consent is old_valid


def test_best_consent_without_valid_one_reports_the_most_recent() -> None:
    older_withdrawn = consent(
        date(2023, 1, 1), guardians=(MOTHER.id,), withdrawn_on=date(2023, 2, 1)
    )
    newer_expired = consent(date(2024, 1, 1), guardians=(MOTHER.id,))
    check = best_consent(
        [older_withdrawn, newer_expired],
        ConsentScope.NEIGHBOURHOOD_TEAM,
        DOB,
        GUARDIANS,
        MIDDLE_DAY,
    )
    assert check.state is ConsentState.EXPIRED_AGE
    assert check.consent is newer_expired


# --- validate_consent ----------------------------------------------------------------------


def fields(c: Consent, dob: date = DOB, today: date = ADULT_DAY) -> set[str | None]:
    with pytest.raises(ValidationError) as info:
        validate_consent(c, dob, GUARDIANS, today)
    return set(info.value.by_field)


def test_validate_accepts_correct_givers_for_age_on_given_on() -> None:
    validate_consent(consent(date(2023, 6, 1), guardians=(MOTHER.id,)), DOB, GUARDIANS, ADULT_DAY)
    validate_consent(
        consent(date(2025, 6, 1), child=True, guardians=(MOTHER.id,)), DOB, GUARDIANS, ADULT_DAY
    )
    validate_consent(consent(date(2028, 6, 1), child=True), DOB, iter(GUARDIANS), ADULT_DAY)


def test_validate_refuses_wrong_givers_for_the_age() -> None:
    assert fields(consent(date(2023, 6, 1), child=True)) == {"guardian_ids"}
    assert fields(consent(date(2025, 6, 1), guardians=(MOTHER.id,))) == {"given_by_child"}
    assert fields(consent(date(2025, 6, 1))) == {"given_by_child", "guardian_ids"}
    assert fields(consent(date(2028, 6, 1), guardians=(MOTHER.id,))) == {"given_by_child"}


def test_validate_refuses_guardian_without_authority_or_of_another_client() -> None:
    with pytest.raises(ValidationError) as info:
        validate_consent(
            consent(date(2023, 6, 1), guardians=(MOTHER.id, FATHER_NO_AUTHORITY.id)),
            DOB,
            GUARDIANS,
            ADULT_DAY,
        )
    assert [e.code for e in info.value.errors] == ["consent_guardian_no_authority"]
    with pytest.raises(ValidationError) as info:
        validate_consent(
            consent(date(2023, 6, 1), guardians=(OTHER_CLIENTS_PARENT.id,)),
            DOB,
            GUARDIANS,
            ADULT_DAY,
        )
    codes = [e.code for e in info.value.errors]
    assert codes == ["consent_guardian_unknown", "consent_guardian_required"]


def test_validate_refuses_future_given_on_and_bad_withdrawal_dates() -> None:
    today = date(2023, 6, 1)
    future = consent(today + timedelta(days=1), guardians=(MOTHER.id,))
    assert fields(future, today=today) == {"given_on"}
    before = consent(today, guardians=(MOTHER.id,), withdrawn_on=today - timedelta(days=1))
    assert fields(before, today=today) == {"withdrawn_on"}
    later = consent(today, guardians=(MOTHER.id,), withdrawn_on=today + timedelta(days=1))
    assert fields(later, today=today) == {"withdrawn_on"}
    same_day = consent(today, guardians=(MOTHER.id,), withdrawn_on=today)
    validate_consent(same_day, DOB, GUARDIANS, today)
