"""Langton's lambda of a Life-like rule (the life family's `RuleTable` hook).

Langton, "Computation at the edge of chaos", Physica D 42 (1990); the quiescent state is 0.
For outer totalistic, Hensel, Generations and Larger than Life rules with K states and N
neighbours: a neighbour is in state 1 with probability 1/K in a uniformly drawn configuration,
so lambda = (B + S' + max(K - 3, 0)) / K, where B is the fraction of dead-centre configurations
that give a birth, S' the fraction of live-centre ones that survive (K = 2) or 1 (K > 2: a live
cell that does not survive starts dying, which is not state 0), and the dying states 2..K-2
always move on to another non-zero state. Conway's Life: (56 + 28 + 56) / 512 = 0.2734,
Langton's published value.
"""

from __future__ import annotations

from math import comb

import numpy as np

from alife.rules.life.ltl import cell_count
from alife.rules.life.rulestring import LifeSpec

NEIGHBOURS = {"moore": 8, "vonneumann": 4, "hex": 6}


def count_weights(neighbours: int, states: int, size: int) -> np.ndarray:
    """P(n of `neighbours` cells are in state 1) for n < size, each state equally likely."""
    p = 1.0 / states
    w = np.zeros(size)
    for n in range(min(size, neighbours + 1)):
        w[n] = comb(neighbours, n) * p**n * (1 - p) ** (neighbours - n)
    return w


def life_lambda(spec: LifeSpec, birth: np.ndarray, survive: np.ndarray, middle: int = 0) -> float:
    """lambda of a Life-like rule: its parsed structure and its bool birth/survival tables."""
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
            neighbours = cell_count(spec.radius, spec.neighbourhood) - 1
        else:
            neighbours = NEIGHBOURS[spec.neighbourhood]
        w = count_weights(neighbours, k, birth.size)
        b = float(np.sum(w * birth))
        shift = int(middle) if spec.kind == "ltl" else 0  # an M1 survival count includes the cell
        ws = np.zeros(survive.size)
        ws[shift:] = w[: survive.size - shift]
        s = float(np.sum(ws * survive))
    live = s if k == 2 else 1.0
    return (b + live + max(k - 3, 0)) / k
