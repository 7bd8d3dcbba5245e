"""Hybrid logical clock: timestamps that order changes across devices and never run backwards."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 0xFFFF
SKEW_WARNING_MS = 5 * 60 * 1000


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    """(wall-clock ms, logical counter, node id); the node id breaks ties between devices."""

    wall: int
    counter: int
    node: str

    def encode(self) -> str:
        """Fixed-width text that sorts like the timestamp itself."""
        return f"{self.wall:015d}-{self.counter:05d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        try:
            wall, counter, node = text.split("-", 2)
            ts = cls(int(wall), int(counter), node)
        except ValueError:
            raise ValueError("not an HLC timestamp") from None
        if ts.wall < 0 or not 0 <= ts.counter <= MAX_COUNTER or not ts.node:
            raise ValueError("not an HLC timestamp")
        return ts


class HybridClock:
    """A hybrid logical clock for one node (device).

    ``now()`` stamps a local change; ``observe()`` merges a timestamp seen from elsewhere, so
    that every later local change sorts after it. The clock never runs backwards, also when
    the wall clock does: the last value is handed in at start (persisted by the caller).
    Thread use: one thread at a time (the database worker).
    """

    def __init__(
        self,
        node: str,
        *,
        last: Timestamp | None = None,
        clock: Callable[[], int] = wall_ms,
    ) -> None:
        if not node:
            raise ValueError("node id required")
        self.node = node
        self._clock = clock
        self._wall = last.wall if last else 0
        self._counter = last.counter if last else 0

    @property
    def last(self) -> Timestamp:
        return Timestamp(self._wall, self._counter, self.node)

    def now(self) -> Timestamp:
        physical = self._clock()
        if physical > self._wall:
            self._wall, self._counter = physical, 0
        else:
            self._bump()
        return self.last

    def observe(self, remote: Timestamp) -> Timestamp:
        """Merge a remote timestamp; returns the new local time (which sorts after both)."""
        physical = self._clock()
        wall = max(self._wall, remote.wall, physical)
        if wall == self._wall == remote.wall:
            counter = max(self._counter, remote.counter) + 1
        elif wall == self._wall:
            counter = self._counter + 1
        elif wall == remote.wall:
            counter = remote.counter + 1
        else:
            counter = 0
        if counter > MAX_COUNTER:
            wall, counter = wall + 1, 0
        self._wall, self._counter = wall, counter
        return self.last

    def _bump(self) -> None:
        self._counter += 1
        if self._counter > MAX_COUNTER:
            # Borrow a millisecond rather than overflow; the wall clock catches up.
            self._wall += 1
            self._counter = 0


def skew_ms(server_wall_ms: int, local_wall_ms: int | None = None) -> int:
    """How far the local wall clock is off the server's (positive: local runs ahead)."""
    return (local_wall_ms if local_wall_ms is not None else wall_ms()) - server_wall_ms


def skew_warning(server_wall_ms: int, local_wall_ms: int | None = None) -> str | None:
    """A Dutch warning when the device clock is more than 5 minutes off the server's."""
    off = skew_ms(server_wall_ms, local_wall_ms)
    if abs(off) <= SKEW_WARNING_MS:
        return None
    minutes = round(abs(off) / 60_000)
    direction = "voor" if off > 0 else "achter"
    return (
        f"De klok van deze laptop loopt ongeveer {minutes} minuten {direction} op de server. "
        "Synchroniseren gaat door, maar zet de klok goed (automatische tijd aan) om "
        "verwarring over de volgorde van wijzigingen te voorkomen."
    )
