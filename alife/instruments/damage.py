"""Damage spreading: how a one-cell perturbation grows (a finite-time, Lyapunov-style measure).

Following the damage-spreading experiments on CAs (Bagnoli, Rechtman & Ruffo, Phys. Lett. A 172
(1992); used as the "Lyapunov exponent" of rules by Zhang et al. 2024): run a world and a twin
that differs in one cell, and follow the Hamming distance d(t) between them (one cell at t = 0).
`alife.instruments.spacetime.batch_runs` produces d(t) for several random starts; this module
summarises it:

- `damage`: the mean of d(t) over the last quarter of the run, as a fraction of the cells
  (0 when the perturbation heals or stays put in a large world; about 0.5 for chaotic binary rules
  once the damage fills the world).
- `spreading`: the fraction of starts whose damage is still alive at the end.
- `lyapunov`: ln(1 + d_T) / T with d_T the late mean distance in cells: a finite-time growth
  rate. It is 0 when the damage heals, ln(2)/T when it stays one cell, and grows with the
  spread; a front moving at v cells per step in 1-D gives about ln(2 v T) / T.

`boolean_lyapunov(diagram, table, r)` is the maximal Lyapunov exponent of Bagnoli, Rechtman &
Ruffo (1992) for 1-D two-state rules: along the recorded run it propagates a defect vector
through the Boolean derivatives of the rule (does cell i's next state change when neighbour j
flips?), counting damage paths, and returns the mean log growth per step. Exact values: rule 150
(XOR of three cells) ln 3, rule 90 ln 2, rule 204 (identity) and 170 (shift) 0; a rule whose
derivatives all vanish (rule 0) gives -inf.
"""

from __future__ import annotations

import math

import numpy as np


def boolean_lyapunov(diagram: np.ndarray, table: np.ndarray, r: int = 1) -> float:
    """Bagnoli's maximal Lyapunov exponent of a periodic 1-D 0/1 run `[T, W]` under `table`
    (elementary kind, 2^(2r+1) entries, leftmost neighbour most significant)."""
    d = np.asarray(diagram).astype(np.int64)
    t_steps, _ = d.shape
    table = np.asarray(table).astype(np.int64)
    bits = [2 * r - (j + r) for j in range(-r, r + 1)]  # bit of neighbour j in the index
    v = np.ones(d.shape[1], np.float64)
    v /= v.sum()
    total = 0.0
    for t in range(t_steps - 1):
        x = d[t]
        index = sum(np.roll(x, -j) << b for j, b in zip(range(-r, r + 1), bits, strict=True))
        here = table[index]
        grown = np.zeros_like(v)
        for j, b in zip(range(-r, r + 1), bits, strict=True):
            sensitive = table[index ^ (1 << b)] != here  # d next_i / d x_{i+j}
            grown += sensitive * np.roll(v, -j)
        size = grown.sum()
        if size <= 0:
            return float("-inf")
        total += math.log(size)
        v = grown / size
    rate = total / max(t_steps - 1, 1)
    return 0.0 if abs(rate) < 1e-12 else rate


def damage_summary(hamming: np.ndarray, cells: int) -> dict[str, float]:
    """Summaries of Hamming distances `[starts, T]` (or `[T]`) in a world of `cells` cells."""
    d = np.atleast_2d(np.asarray(hamming, np.float64))
    steps = d.shape[1]
    late = d[:, -max(1, steps // 4):].mean()
    return {
        "damage": float(late / cells),
        "spreading": float(np.mean(d[:, -1] > 0)),
        "lyapunov": math.log1p(late) / steps,
    }
