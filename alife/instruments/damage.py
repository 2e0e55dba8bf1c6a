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
  spread; a front moving at v cells per step in 1-D gives about ln(2 v T) / T. Exponential
  growth (true Lyapunov exponents) needs the linearised dynamics and is not computed here.
"""

from __future__ import annotations

import math

import numpy as np


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
