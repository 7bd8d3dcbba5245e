"""Retention of youth-care files: kept 20 years after the last change, then destroyed."""

from __future__ import annotations

from datetime import date

RETENTION_YEARS = 20


def add_years(day: date, years: int) -> date:
    """Return ``day`` moved by whole ``years``; a 29 February that does not exist becomes 1 March.

    The same convention decides when someone born on 29 February has a birthday in a
    non-leap year (on 1 March), so ages and deadlines agree.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return date(day.year + years, 3, 1)


def retention_deadline(last_change: date) -> date:
    """The date on which a file last changed on ``last_change`` has been kept 20 full years."""
    return add_years(last_change, RETENTION_YEARS)


def is_past_retention(last_change: date, today: date) -> bool:
    """True from the retention deadline on: the file must then be destroyed."""
    return today >= retention_deadline(last_change)
