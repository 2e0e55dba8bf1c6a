"""Remembered HashLife generations (`alife.core.frozen_roots`): a frozen root comes back as the
same cells after more steps and after the node table was rebuilt (`collect`); truth is the
universe's own cells read before, and a fresh universe stepped to the same generation."""

from __future__ import annotations

import numpy as np
import pytest

from alife.rules.life.hashlife import Universe


def _soup(seed: int = 3, side: int = 48) -> tuple[np.ndarray, np.ndarray]:
    cells = np.random.default_rng(seed).random((side, side)) < 0.35
    ys, xs = np.nonzero(cells)
    return xs, ys


def _cells(universe) -> set[tuple[int, int]]:
    xs, ys = universe.cells()
    return set(zip(xs.tolist(), ys.tolist(), strict=True))


def test_a_frozen_generation_survives_collects():
    universe = Universe.for_rule("B3/S23", max_nodes=3000)
    xs, ys = _soup()
    universe.set_cells(xs, ys)
    universe.advance(64)
    at_64, frozen = _cells(universe), universe.freeze()
    universe.advance(700)
    assert universe.epoch >= 2, "the test needs the node table rebuilt"
    at_764 = _cells(universe)
    universe.thaw(frozen)
    assert universe.generation == 64 and _cells(universe) == at_64
    universe.advance(700)
    assert _cells(universe) == at_764
    fresh = Universe.for_rule("B3/S23")
    fresh.set_cells(xs, ys)
    fresh.advance(764)
    assert _cells(fresh) == at_764


def test_thaw_refuses_another_universe():
    one, two = Universe.for_rule("B3/S23"), Universe.for_rule("B3/S23")
    with pytest.raises(ValueError):
        two.thaw(one.freeze())


def test_a_frozen_multi_state_generation_survives_collects():
    from alife.rules.ruletable.hashlife import Universe as StateUniverse
    from alife.rules.ruletable.library import load_rule

    rule = load_rule("Langtons-Loops")
    grid = np.random.default_rng(4).integers(0, rule.n_states, (20, 20))
    ys, xs = np.nonzero(grid)
    tight = StateUniverse.for_loaded(rule, max_nodes=3000)
    tight.set_cells(xs, ys, grid[ys, xs])
    tight.advance(37)
    frozen, at_37 = tight.freeze(), tight.to_array()
    for _ in range(5):
        tight.advance(37)
    assert tight.epoch > 0, "the test needs the node table rebuilt"
    at_222 = tight.to_array()
    tight.thaw(frozen)
    back = tight.to_array()
    assert tight.generation == 37 and np.array_equal(back[0], at_37[0]) and back[1:] == at_37[1:]
    tight.advance(185)
    again = tight.to_array()
    assert np.array_equal(again[0], at_222[0]) and again[1:] == at_222[1:]
