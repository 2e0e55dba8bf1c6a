"""Langton's lambda of a Wolfram rule table (the elementary family's `RuleTable` hook).

Langton, "Computation at the edge of chaos", Physica D 42 (1990); the quiescent state is 0.
lambda is taken over the full table of neighbourhood configurations, each counted once:

- elementary kind (k colours, radius r): the fraction of the k^(2r+1) table entries that are
  not 0. Rule 30: 4/8 = 0.5; rule 110: 5/8; rule 0: 0.
- totalistic codes: each sum weighted by the number of neighbourhoods that give it.
"""

from __future__ import annotations

import numpy as np


def sum_multiplicity(k: int, cells: int) -> np.ndarray:
    """How many of the k^cells colourings have each colour sum 0..cells*(k-1)."""
    out = np.ones(1, np.float64)
    for _ in range(cells):
        out = np.convolve(out, np.ones(k))
    return out


def table_lambda(table: np.ndarray, kind: str = "elementary", k: int = 2, r: int = 1) -> float:
    """lambda of an elementary (k colours, radius r) table or a totalistic code table."""
    t = np.asarray(table).reshape(-1)
    if not t.size:
        return float("nan")
    if kind == "totalistic":
        weight = sum_multiplicity(k, 2 * r + 1)
        return float(np.sum(weight * (t != 0)) / np.sum(weight))
    return float(np.mean(t != 0))
