"""Shared timing helper for the benchmark scripts (run as `python benchmarks/<script>.py`)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeats: int = 3) -> float:
    """Median seconds of `fn()` over `repeats` runs after one untimed (compiling) call.

    `fn` must block until its result is ready (e.g. end with `block_until_ready()`).
    """
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
