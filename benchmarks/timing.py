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


def child_cpu(argv: list[str], min_seconds: float = 0.3, most: int = 50) -> tuple[float, str]:
    """CPU seconds per run of the command `argv` (user + system of the child, repeated until
    `min_seconds` have passed or `most` runs: a child's CPU time is counted in 10 ms ticks) and
    the standard output of its last run."""
    import os
    import subprocess

    before, runs = os.times(), 0
    while True:
        out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
        runs += 1
        after = os.times()
        cpu = (after.children_user - before.children_user) + (after.children_system
                                                              - before.children_system)
        if cpu >= min_seconds or runs >= most:
            return cpu / runs, out


def wall_and_cpu(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and process CPU seconds (every thread of this process) of one call of `fn()`."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0
