"""Pure merge rules: per-field last writer wins by HLC; which losing value becomes a conflict."""

from __future__ import annotations

import pytest

from liaison_desktop.sync.hlc import Timestamp
from liaison_desktop.sync.merge import (
    Outcome,
    decide,
    latest_per_field,
    max_hlc,
    newer,
    valid_hlc,
)


def h(wall: int, counter: int = 0, node: str = "a") -> str:
    return Timestamp(wall, counter, node).encode()


@pytest.mark.parametrize(
    ("remote", "local", "pending", "expected"),
    [
        (h(2), None, False, Outcome.APPLY),
        (h(2), h(1), False, Outcome.APPLY),
        (h(2), h(1), True, Outcome.APPLY_LOCAL_LOST),
        (h(1), h(2), False, Outcome.SKIP),
        (h(1), h(2), True, Outcome.SKIP_REMOTE_LOST),
        (h(2), h(2), True, Outcome.SKIP),  # the same change seen again
        (h(1, 5), h(1, 4), True, Outcome.APPLY_LOCAL_LOST),  # the counter orders one ms
        (h(1, 0, "b"), h(1, 0, "a"), True, Outcome.APPLY_LOCAL_LOST),  # ties: device id
    ],
)
def test_last_writer_wins_by_hlc(remote, local, pending, expected):
    assert decide(remote, local, local_pending=pending).outcome is expected


def test_equal_values_and_derived_fields_make_no_conflict():
    assert decide(h(2), h(1), local_pending=True, same_value=True).outcome is Outcome.APPLY
    assert decide(h(1), h(2), local_pending=True, derived=True).outcome is Outcome.SKIP


def test_text_order_is_timestamp_order_across_digit_counts():
    # Fixed width: 999 ms sorts before 1000 ms although "999" > "1000" as plain text.
    assert newer(h(1000), h(999)) and not newer(h(999), h(1000))
    assert newer(h(1), None) and newer(h(1), "")


def test_of_several_changes_of_one_field_the_newest_counts():
    got = latest_per_field([("k", h(3), "c"), ("k", h(5), "e"), ("j", h(1), "x"), ("k", h(4), "d")])
    assert got == {"k": (h(5), "e"), "j": (h(1), "x")}
    assert max_hlc([h(1), h(9), h(3)]) == h(9) and max_hlc([]) is None


@pytest.mark.parametrize(
    "text",
    ["", "nonsense", "12-3-a", "000000000000001-00000-", "-1-00000-a", "x" * 15 + "-00000-a"],
)
def test_malformed_hlc_text_is_recognised(text):
    assert not valid_hlc(text)


def test_a_well_formed_hlc_is_valid():
    assert valid_hlc(h(1_795_000_000_000, 3, "9e09769c-911b-4723-81ab-7ef89b1a480c"))
