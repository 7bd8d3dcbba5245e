"""The hybrid logical clock orders changes and never runs backwards."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from liaison_desktop.sync.hlc import HybridClock, Timestamp, skew_warning


class FakeClock:
    def __init__(self, t: int) -> None:
        self.t = t

    def __call__(self) -> int:
        return self.t


def test_local_stamps_increase_even_when_the_wall_clock_stalls_or_goes_back():
    wall = FakeClock(1_000)
    clock = HybridClock("dev-a", clock=wall)
    a = clock.now()
    b = clock.now()  # same millisecond
    wall.t = 500  # the wall clock jumps back
    c = clock.now()
    assert a < b < c
    assert c.wall == 1_000


def test_observe_moves_past_a_remote_clock_that_runs_ahead():
    wall = FakeClock(1_000)
    clock = HybridClock("dev-a", clock=wall)
    remote = Timestamp(86_400_000 + 1_000, 3, "dev-b")  # a day ahead
    merged = clock.observe(remote)
    assert merged > remote
    assert clock.now() > merged


def test_persisted_last_value_keeps_order_across_restarts():
    wall = FakeClock(5_000)
    first = HybridClock("dev-a", clock=wall)
    for _ in range(3):
        last = first.now()
    wall.t = 10  # restarted with a wrong clock
    second = HybridClock("dev-a", last=last, clock=wall)
    assert second.now() > last


def test_encoding_sorts_like_the_timestamp():
    stamps = [
        Timestamp(5, 0, "b"),
        Timestamp(5, 1, "a"),
        Timestamp(40, 0, "a"),
        Timestamp(5, 0, "c"),
    ]
    assert sorted(stamps) == sorted(stamps, key=lambda t: t.encode())
    node = "3f0c2a8e-1d1b-4c3a-9b7e-0a1b2c3d4e5f"
    assert Timestamp.decode(Timestamp(1, 2, node).encode()) == Timestamp(1, 2, node)


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 10**6), st.integers(0, 50)), max_size=60))
def test_never_runs_backwards(events):
    wall = FakeClock(0)
    clock = HybridClock("n1", clock=wall)
    prev = clock.last
    for is_remote, t, counter in events:
        wall.t = t
        cur = clock.observe(Timestamp(t + 7, counter, "n2")) if is_remote else clock.now()
        assert cur > prev
        prev = cur


def test_skew_warning_over_five_minutes():
    assert skew_warning(1_000_000, 1_000_000 + 4 * 60_000) is None
    text = skew_warning(1_000_000, 1_000_000 + 24 * 3600_000)
    assert text and "voor" in text
    assert "achter" in skew_warning(24 * 3600_000, 0)
