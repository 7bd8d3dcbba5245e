"""Retention: 20 years after the last change."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from liaison_desktop.domain.retention import (
    RETENTION_YEARS,
    add_years,
    is_past_retention,
    retention_deadline,
)


def test_deadline_is_twenty_years_later() -> None:
    assert RETENTION_YEARS == 20
    assert retention_deadline(date(2024, 6, 15)) == date(2044, 6, 15)


def test_leap_day_deadline() -> None:
    assert retention_deadline(date(2024, 2, 29)) == date(2044, 2, 29)  # 2044 is a leap year
    assert add_years(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert retention_deadline(date(2084, 2, 29)) == date(2104, 2, 29)
    assert retention_deadline(date(2080, 2, 29)) == date(2100, 3, 1)  # 2100 is no leap year


def test_is_past_retention_from_the_deadline_on() -> None:
    last = date(2004, 2, 29)
    deadline = retention_deadline(last)
    assert not is_past_retention(last, deadline - timedelta(days=1))
    assert is_past_retention(last, deadline)
    assert is_past_retention(last, deadline + timedelta(days=1))


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)))
def test_deadline_is_about_twenty_years_and_past_is_consistent(last: date) -> None:
    deadline = retention_deadline(last)
    assert 20 * 365 + 4 <= (deadline - last).days <= 20 * 365 + 6
    assert not is_past_retention(last, last)
    assert is_past_retention(last, deadline)
