"""Template-matching CA (touching loops, Hoffmann 2024): templates derived from tiles, matching
against a brute-force NumPy reference, loops as fixed points, and the shipped scene forming loops
from noise by the paper's definition (every path cell has exactly two orthogonal path
neighbours)."""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.errors import AlifeError
from alife.core.rollout import run
from alife.rules.templates import TemplateRule
from alife.rules.templates.tiles import TOUCHING_LOOPS, derive, parse_tile
from alife.scene.io import load_scene

ROOT = Path(__file__).resolve().parents[1]


def is_loop_pattern(cells: np.ndarray) -> bool:
    """The paper's definition: every 1-cell has exactly two orthogonal 1-neighbours (0 outside)."""
    p = np.pad(cells.astype(int), 1)
    n = p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:]
    return bool(np.all(n[cells == 1] == 2))


def brute_satisfied(cells: np.ndarray) -> np.ndarray:
    """Satisfaction straight from the tiles: a 1-cell needs one of the six tiles centred on it;
    a 0-cell needs to lie in the 3x3 footprint of a 1-cell whose tile is complete."""
    h, w = cells.shape
    p = np.pad(cells.astype(int), 1)
    tiles = [parse_tile(t) for t in TOUCHING_LOOPS]

    def tile_ok(y: int, x: int) -> bool:  # grid coords
        window = p[y:y + 3, x:x + 3]
        return any(np.all((window == v) | (c == 0)) for v, c in tiles)

    ok = np.zeros((h, w), bool)
    for y in range(h):
        for x in range(w):
            if cells[y, x] == 1:
                ok[y, x] = tile_ok(y, x)
            else:
                ok[y, x] = any(0 <= y + dy < h and 0 <= x + dx < w and cells[y + dy, x + dx] == 1
                               and tile_ok(y + dy, x + dx)
                               for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    return ok


def test_templates_from_tiles():
    values, care, centre, anchored = derive(TOUCHING_LOOPS)
    assert values.shape == (54, 5, 5) and anchored.sum() == 6  # 6 tiles x 9 pixels
    assert set(centre.tolist()) == {-1, 0, 1}
    k = int(np.flatnonzero(anchored)[0])  # the first tile, on the cell itself
    np.testing.assert_array_equal(care[k, 1:4, 1:4], [[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    np.testing.assert_array_equal(values[k, 2, 1:4], [1, 1, 1])
    assert care[k].sum() == 5 and care[k, 0].sum() == 0


def test_matching_agrees_with_brute_force():
    rule = TemplateRule(12, 10)
    params = rule.default_params()
    rng = np.random.default_rng(0)
    for density in (0.2, 0.5):
        cells = (rng.random((10, 12)) < density).astype(np.uint8)
        got = np.asarray(rule.unsatisfied(jnp.asarray(cells), params)) == 0
        np.testing.assert_array_equal(got, brute_satisfied(cells))


RING = np.array([[1, 1, 1, 1], [1, 0, 0, 1], [1, 0, 0, 1], [1, 1, 1, 1]], np.uint8)
TOUCHING = np.kron(np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]]), np.ones((2, 2))).astype(np.uint8)


@pytest.mark.parametrize("loops", [RING, TOUCHING])
def test_loops_are_fixed_points(loops):
    assert is_loop_pattern(loops) and brute_satisfied(loops).all()
    rule = TemplateRule(loops.shape[1], loops.shape[0])  # 2x2 loops touching diagonally too
    params = rule.default_params()
    state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), jnp.asarray(loops))
    assert int(rule.metrics(state, params)["unsatisfied"]) == 0
    later = run(rule, jax.random.PRNGKey(1), state, params, 100)
    np.testing.assert_array_equal(np.asarray(rule.cells(later)), loops)


def test_defects_are_unsatisfied():
    rule = TemplateRule(8, 6)
    params = rule.default_params()
    tee = np.zeros((6, 8), np.uint8)
    tee[2, 1:6] = 1
    tee[3, 3] = 1  # a junction: three orthogonal path neighbours
    unsat = np.asarray(rule.unsatisfied(jnp.asarray(tee), params))
    assert unsat[2, 3] == 1 and unsat[2, 1] == 1  # the junction and a dead end
    assert not is_loop_pattern(tee)


def test_shipped_scene_forms_touching_loops():
    # the scene's seed 20 forms loops after 1,280 steps (benchmarks/templates_convergence.py:
    # 45 of seeds 0..47 within 20,000 steps, median ~6,000)
    world = load_scene(ROOT / "scenes" / "templates" / "touching_loops.yaml")
    rule, params = world.rule, world.params
    state = world.state
    assert not is_loop_pattern(np.asarray(rule.cells(state)))  # starts as noise
    for _ in range(12):
        state = run(rule, world.key, state, params, 500)
        if int(rule.metrics(state, params)["unsatisfied"]) == 0:
            break
    cells = np.asarray(rule.cells(state))
    assert int(rule.metrics(state, params)["unsatisfied"]) == 0, "no loops after 6000 steps"
    assert is_loop_pattern(cells) and cells.sum() > 0.3 * cells.size
    assert brute_satisfied(cells).all()
    diagonal = cells[:-1, :-1] & cells[1:, 1:] & ~cells[:-1, 1:] & ~cells[1:, :-1]
    print("diagonal touches:", int(diagonal.sum()))
    later = run(rule, world.key, state, params, 500)  # stable once formed
    np.testing.assert_array_equal(np.asarray(rule.cells(later)), cells)


@pytest.mark.parametrize("config, word", [
    ({"tiles": ["-0-/111"]}, "3 rows"),
    ({"tiles": ["-0-/1x1/-0-"]}, "'x'"),
    ({"tiles": "nope"}, "touching_loops"),
    ({"noise": 2.0}, "0..1"),
    ({"neutral": -0.1}, "0..1"),
])
def test_config_errors(config, word):
    with pytest.raises(AlifeError, match=word):
        TemplateRule(**config)
