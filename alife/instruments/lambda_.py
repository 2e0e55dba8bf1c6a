"""Langton's lambda of a rule table: the fraction of transitions to a non-quiescent state.

Langton, "Computation at the edge of chaos", Physica D 42 (1990). The quiescent state is 0.
lambda is taken over the full table of (centre, neighbourhood) configurations, each counted once:

- elementary kind (k colours, radius r): the fraction of the k^(2r+1) table entries that are not 0.
  Rule 30: 4/8 = 0.5; rule 110: 5/8; rule 0: 0.
- totalistic codes: each sum weighted by the number of neighbourhoods that give it.
- Life-like (outer totalistic, Hensel, Generations, Larger than Life) with K states and N
  neighbours: a neighbour is in state 1 with probability 1/K in a uniformly drawn configuration,
  so lambda = (B + S' + max(K - 3, 0)) / K, where B is the fraction of dead-centre
  configurations that give a birth, S' the fraction of live-centre ones that survive (K = 2) or 1
  (K > 2: a live cell that does not survive starts dying, which is not state 0), and the dying
  states 2..K-2 always move on to another non-zero state. Conway's Life: (56 + 28 + 56) / 512 =
  0.2734, Langton's published value.

`rule_lambda(rule, params)` returns NaN for rules without a finite table (continuous, neural,
template-matching families).
"""

from __future__ import annotations

from math import comb
from typing import Any

import numpy as np


def table_lambda(table: np.ndarray) -> float:
    """lambda of a full lookup table: the fraction of entries that are not the quiescent 0."""
    t = np.asarray(table).reshape(-1)
    return float(np.mean(t != 0)) if t.size else float("nan")


def _sum_multiplicity(k: int, cells: int) -> np.ndarray:
    """How many of the k^cells colourings have each colour sum 0..cells*(k-1)."""
    out = np.ones(1, np.float64)
    for _ in range(cells):
        out = np.convolve(out, np.ones(k))
    return out


def elementary_lambda(table: np.ndarray, kind: str = "elementary", k: int = 2,
                      r: int = 1) -> float:
    """lambda of an elementary (or k-colour, radius-r) table or totalistic code table."""
    t = np.asarray(table).reshape(-1)
    if kind == "totalistic":
        weight = _sum_multiplicity(k, 2 * r + 1)
        return float(np.sum(weight * (t != 0)) / np.sum(weight))
    return table_lambda(t)


def _count_weights(neighbours: int, states: int, size: int) -> np.ndarray:
    """P(n of `neighbours` cells are in state 1) for n < size, each state equally likely."""
    p = 1.0 / states
    w = np.zeros(size)
    for n in range(min(size, neighbours + 1)):
        w[n] = comb(neighbours, n) * p**n * (1 - p) ** (neighbours - n)
    return w


def life_lambda(spec: Any, birth: np.ndarray, survive: np.ndarray, middle: int = 0) -> float:
    """lambda of a Life-like rule (`alife.rules.life.LifeSpec` and its bool tables)."""
    k = int(spec.states)
    birth = np.asarray(birth, bool)
    survive = np.asarray(survive, bool)
    if spec.kind == "hensel":  # index = 8-bit neighbour configuration
        ones = np.array([bin(i).count("1") for i in range(256)])
        p = 1.0 / k
        w = p**ones * (1 - p) ** (8 - ones)
        b, s = float(np.sum(w * birth)), float(np.sum(w * survive))
    else:
        if spec.kind == "ltl":
            from alife.rules.life.ltl import cell_count

            neighbours = cell_count(spec.radius, spec.neighbourhood) - 1
        else:
            neighbours = {"moore": 8, "vonneumann": 4, "hex": 6}[spec.neighbourhood]
        w = _count_weights(neighbours, k, birth.size)
        b = float(np.sum(w * birth))
        shift = int(middle) if spec.kind == "ltl" else 0  # an M1 survival count includes the cell
        ws = np.zeros(survive.size)
        ws[shift:] = w[: survive.size - shift]
        s = float(np.sum(ws * survive))
    live = s if k == 2 else 1.0
    return (b + live + max(k - 3, 0)) / k


def rule_lambda(rule: Any, params: Any) -> float:
    """lambda of a registered rule's current params (NaN when the family has no rule table)."""
    family = getattr(rule, "family", "")
    if family == "elementary":
        return elementary_lambda(np.asarray(params.table), rule.kind, rule.k, rule.r)
    if family == "life":
        return life_lambda(rule.spec, np.asarray(params.birth), np.asarray(params.survive),
                           int(np.asarray(params.middle)))
    return float("nan")
