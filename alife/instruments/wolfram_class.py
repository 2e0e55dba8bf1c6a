"""An estimated Wolfram class (1-4) of a run from its space-time diagram, with stated criteria.

Wolfram's classes (A New Kind of Science, ch. 6) describe behaviour from random starts:
1 uniform, 2 fixed or periodic (possibly moving) structures, 3 random-looking, 4 localised
structures that interact on an ordered background. Telling 3 from 4 is not decidable in general;
this is a heuristic with fixed thresholds, applied to the diagram after a transient:

1. Class 1: the last `confirm` frames are all uniform, with one and the same value.
2. Class 2: the last `confirm` frames repeat with some period p <= `max_period` up to a
   translation by at most p cells along each space axis (at most 2 in 2-D): fixed points,
   cycles and shifting patterns (rules 4, 108, 170, 204). Uniform frames that alternate too.
3. Otherwise the diagram is aperiodic. Its regularity R is the largest fraction of late cells
   that equal the cell p steps earlier, translated by s (p <= 16, |s| <= p in 1-D, |s| <= 1 per
   axis in 2-D), rescaled so that independent random cells with the same state frequencies q_i
   score 0 and a periodic background scores 1: R = (f - sum_i q_i^2) / (1 - sum_i q_i^2).
   Class 4 (localised structures on an ordered background, like rule 110's ether) when
   R >= `threshold` (default 0.55), class 3 (random-looking) otherwise.

On elementary rules (width 224, 256 transient steps, 128 measured, periodic boundary) this gives
0, 8, 32, 128 -> 1; 4, 108, 170, 204 -> 2; 30, 45, 60, 90, 105, 150 -> 3; 54, 110 and 110's
mirror and complement rules 124, 137, 193 -> 4 (tests/test_instruments.py checks these).
Borderline rules (41, 73, 106 are disputed in the literature) may land in either neighbouring
class, and small worlds settle sooner: rule 54 on 160 cells becomes periodic within 400 steps,
rule 90 on a width that is a power of two dies out, and additive rules (60, 90, 105, 150) cycle
with short periods on some widths (192, 241): exact properties of those rules, not noise.
"""

from __future__ import annotations

import numpy as np


def _offsets(space: int, reach: int) -> list[tuple[int, ...]]:
    grids = np.meshgrid(*[np.arange(-reach, reach + 1)] * space, indexing="ij")
    out = [tuple(int(g.reshape(-1)[i]) for g in grids) for i in range(grids[0].size)]
    return sorted(out, key=lambda o: sum(abs(v) for v in o))  # no shift first


def _reach(p: int, space: int) -> int:
    return p if space == 1 else min(p, 2)


def _shifted(frames: np.ndarray, offset: tuple[int, ...]) -> np.ndarray:
    if not any(offset):
        return frames
    return np.roll(frames, offset, axis=tuple(range(1, frames.ndim)))


def period(diagram: np.ndarray, max_period: int = 32,
           confirm: int = 32) -> tuple[int, tuple[int, ...]] | None:
    """(p, translation) such that the last `confirm` frames repeat after p steps, or None."""
    d = np.asarray(diagram)
    t, space = d.shape[0], d.ndim - 1
    for p in range(1, max_period + 1):
        m = min(confirm, t - p)
        if m < 1:
            break
        now, before = d[t - m:], d[t - m - p:t - p]
        for offset in _offsets(space, _reach(p, space)):
            if np.array_equal(now, _shifted(before, offset)):
                return p, offset
    return None


def regularity(diagram: np.ndarray, max_period: int = 16, frames: int = 64) -> float:
    """R of criterion 3: 1 for a periodic background, about 0 for independent random cells."""
    late = np.asarray(diagram)[-frames:]
    space = late.ndim - 1
    _, counts = np.unique(late, return_counts=True)
    q = counts / counts.sum()
    base = float(np.sum(q * q))
    if base >= 1.0:
        return 1.0
    best = 0.0
    for p in range(1, min(max_period, late.shape[0] - 1) + 1):
        reach = 1 if space > 1 else p
        for offset in _offsets(space, reach):
            best = max(best, float(np.mean(late[p:] == _shifted(late[:-p], offset))))
    return (best - base) / (1.0 - base)


def estimate_class(diagram: np.ndarray, max_period: int = 32, confirm: int = 32,
                   threshold: float = 0.55) -> tuple[int, str]:
    """(class, reason) of a `[T, ...]` diagram by the criteria in this module's docstring."""
    d = np.asarray(diagram)
    tail = d[-min(confirm, d.shape[0]):]
    if np.all(tail == tail.reshape(-1)[0]):
        return 1, f"uniform (all {int(tail.reshape(-1)[0])})"
    found = period(d, max_period, confirm)
    if found is not None:
        p, offset = found
        return 2, f"period {p}" + (f", shift {offset}" if any(offset) else "")
    r = regularity(d)
    kind = "structured on a regular background" if r >= threshold else "random-looking"
    return (4 if r >= threshold else 3), f"aperiodic, {kind} (R = {r:.2f}, threshold {threshold})"
