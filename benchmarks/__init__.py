"""Benchmark scripts (not timed tests): ``python benchmarks/run.py [--only GROUP,...]``.

Each group is a module with ``run(opts: Options) -> dict`` registered in ``run.GROUPS``; it
returns flat JSON-ready figures and may define ``TARGETS`` (key -> (operator, limit)).
Progress goes to stderr, the single JSON object to stdout.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Options:
    """What the command line asked for, shared by every group."""

    clients: int = 10_000
    large: bool = False
    workdir: Path = Path(".")
    """A per-run scratch folder (removed after the run): generated stores live here."""


_T0 = time.perf_counter()


def log(message: str) -> None:
    """Progress on stderr, with the seconds since the run started."""
    print(f"[bench {time.perf_counter() - _T0:7.1f}s] {message}", file=sys.stderr, flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """Call ``fn`` once; returns its result and the wall time in seconds."""
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def median_ms(fn: Callable[[int], Any], repeat: int, warmup: int = 1) -> float:
    """Median wall time in ms of ``fn(i)`` over ``repeat`` calls, after ``warmup`` untimed calls."""
    for i in range(warmup):
        fn(i)
    samples = []
    for i in range(repeat):
        t0 = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - t0)
    return ms(statistics.median(samples))
