"""Viability: whether a candidate world is worth looking at, from its size over a run.

One set of rules, used by the headless search (a fitness's early stop, e.g. Lenia's
`lenia_glider`, inside the jitted evaluation) and by the app's Evolve panel (its filter re-draws
candidates that fail; `alife.app.evolve_rounds`). A world's size is its mass, population or
agent count (the app's `size_of`); `start` is its size at the start, `reference` what
"exploded" is measured against (the start's size, or the parent's largest in the app), and
`capacity` the largest size the world can hold (its cell count; 0: unbounded). A run is

- `died` when its size falls to `low` x the start's or less (or, from an empty start, it is
  still empty at the end);
- `exploded` when its size passes `high` x the reference;
- `saturated` when its size reaches `saturated` x the capacity ("the patch filling the world").

A series fails if any of its records fails, so checking each record as it is taken
(`record_code`, jit-able) rejects the same runs as checking the whole series afterwards
(`series_codes`, NumPy), except that an empty start is only judged at the end; a
record-by-record check can stop stepping a run at its first failure.
`verdicts` names the series' codes, the first rule that fails in the order above.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: defaults: dead at 2% of the start's size, exploded past 4x the reference, saturated at 90%
LOW, HIGH, SATURATED = 0.02, 4.0, 0.9
#: codes -> verdicts ("" is viable)
VIABLE, DIED, EXPLODED, FULL = 0, 1, 2, 3
NAMES = ("", "died", "exploded", "saturated")


@dataclass(frozen=True)
class Rules:
    """The thresholds (module docstring)."""

    low: float = LOW
    high: float = HIGH
    saturated: float = SATURATED


def record_code(size: Any, start: Any, reference: Any, capacity: float, rules: Rules = Rules(),
                xp: Any = np) -> Any:
    """The code of one record (`VIABLE`, `DIED`, `EXPLODED` or `FULL`), NumPy or traced JAX
    (`xp=jax.numpy`). A run from an empty start is not judged dead record by record (only
    `series_codes` can say it is still empty at the end)."""
    size, start = xp.asarray(size, xp.float32), xp.asarray(start, xp.float32)
    reference = xp.asarray(reference, xp.float32)
    dead = (start > 0) & (size <= rules.low * start)
    exploded = (reference > 0) & (size > rules.high * reference)
    full = (capacity > 0) & (size >= rules.saturated * capacity)
    return xp.where(dead, DIED, xp.where(exploded, EXPLODED, xp.where(full, FULL, VIABLE)))


def series_codes(sizes: np.ndarray, reference: float, capacity: float,
                 rules: Rules = Rules()) -> np.ndarray:
    """Codes of runs `sizes` [N, T] (the start first): died (anywhere; or an empty start still
    empty at the end), else exploded, else saturated, else viable. [N] int."""
    sizes = np.asarray(sizes, np.float64)
    start = sizes[:, 0]
    died = np.where(start > 0, sizes.min(axis=1) <= rules.low * start, sizes[:, -1] <= 0)
    exploded = (reference > 0) & (sizes.max(axis=1) > rules.high * reference)
    full = (capacity > 0) & (sizes.max(axis=1) >= rules.saturated * capacity)
    return np.where(died, DIED, np.where(exploded, EXPLODED, np.where(full, FULL, VIABLE)))


def verdicts(sizes: np.ndarray, reference: float, capacity: float,
             rules: Rules = Rules()) -> list[str]:
    """Per run of `sizes` [N, T]: "" (viable), "died", "exploded" or "saturated"."""
    return [NAMES[int(c)] for c in series_codes(sizes, reference, capacity, rules)]
