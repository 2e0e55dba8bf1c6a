"""The cell under the cursor in HashLife worlds: `Universe.cell(x, y)` of the two-state and the
multi-state universes (a walk from the root to one leaf) and `Controller.cell_value` on a
HashLife world, which the status bar shows as "x, y = state". Truth: the random cells the
universe was built from (every cell of a box around them, and far outside the root), and after
steps the grid engine's cells, independent of the universe's own listing.
"""

from __future__ import annotations

import jax
import numpy as np

from alife.app.controller import Controller
from alife.app.controller_hashlife import HashLifeRun, hashlife_world
from alife.rules.life.hashlife import Universe
from alife.rules.life.rule import LifeRule
from alife.rules.ruletable.hashlife import Universe as TableUniverse
from alife.rules.ruletable.hashlife_view import StateQuadtreeView
from alife.rules.ruletable.rule import RuleTableRule

GLIDER_X, GLIDER_Y = np.array([1, 2, 0, 1, 2]), np.array([0, 1, 2, 2, 2])


def _random_cells(n_states: int, seed: int) -> tuple[np.ndarray, int, int]:
    rng = np.random.default_rng(seed)
    grid = rng.integers(0, n_states, size=(23, 37)) * (rng.random((23, 37)) < 0.4)
    return grid.astype(np.uint8), -11, 5  # the grid's top-left at plane (-11, 5)


def _all_cells(universe, x0: int, y0: int, h: int, w: int, margin: int = 3) -> np.ndarray:
    return np.array([[universe.cell(x, y) for x in range(x0 - margin, x0 + w + margin)]
                     for y in range(y0 - margin, y0 + h + margin)])


def test_two_state_cell_reads_back_every_cell_it_was_given():
    grid, x0, y0 = _random_cells(2, 1)
    u = Universe.for_rule("B3/S23")
    ys, xs = np.nonzero(grid)
    u.set_cells(xs + x0, ys + y0)
    got = _all_cells(u, x0, y0, *grid.shape)
    assert np.array_equal(got, np.pad(grid, 3))
    assert u.cell(1 << 40, -(1 << 40)) == 0  # far outside the root: empty


def test_two_state_cell_after_steps_equals_the_grid_engine():
    grid, x0, y0 = _random_cells(2, 2)
    size = 128
    rule = LifeRule(f"B3/S23:P{size},{size}")
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    start = np.zeros((size, size), np.int32)
    start[40:40 + grid.shape[0], 40:40 + grid.shape[1]] = grid
    state = rule.with_cells(rule.init(key, params), start)
    for _ in range(20):
        state = rule.step(key, state, params)
    want = np.asarray(rule.cells(state))
    u = Universe.for_rule("B3/S23")
    ys, xs = np.nonzero(start)
    u.set_cells(xs + x0, ys + y0)  # grid cell (r, c) at plane (x0 + c, y0 + r)
    u.advance(20)
    got = np.array([[u.cell(x0 + c, y0 + r) for c in range(size)] for r in range(size)])
    assert want.sum() > 0 and np.array_equal(got, want)


def test_multi_state_cell_reads_back_every_state_it_was_given():
    u = TableUniverse.for_rule("Langtons-Loops")
    grid, x0, y0 = _random_cells(u.n_states, 3)
    ys, xs = np.nonzero(grid)
    u.set_cells(xs + x0, ys + y0, grid[ys, xs])
    got = _all_cells(u, x0, y0, *grid.shape)
    assert len(np.unique(grid)) == u.n_states
    assert np.array_equal(got, np.pad(grid, 3))
    assert u.cell(-(1 << 45), 7) == 0


def test_status_bar_value_under_the_cursor_in_hashlife_worlds():
    u = Universe.for_rule("B3/S23")
    u.set_cells(np.array([0, 1, 2, 2, 1]), np.array([0, 1, 1, 2, 2]) + 100)  # a glider
    c = Controller(hashlife_world(HashLifeRun(u, lambda: u), "glider"))
    x0, y0 = c.world.origin  # the picture's top-left: window cell (row, col) is (x0+col, y0+row)
    assert c.cell_value(100 - y0, 0 - x0) == 1.0
    assert c.cell_value(101 - y0, 0 - x0) == 0.0

    t = TableUniverse.for_rule("WireWorld")
    t.set_cells(np.array([3, 4, 5]), np.array([-2, -2, -2]), np.array([1, 2, 3]))
    rule = RuleTableRule("WireWorld", 16, 16, "plane")
    c = Controller(hashlife_world(HashLifeRun(t, lambda: t, make_view=StateQuadtreeView),
                                  "wire", rule=rule))
    x0, y0 = c.world.origin
    values = [c.cell_value(-2 - y0, x - x0) for x in (2, 3, 4, 5)]
    assert values == [0.0, 1.0, 2.0, 3.0]
    assert [c.state_name(v) for v in values[1:]] == list(rule.state_names[1:4])


def test_an_edit_in_a_hashlife_world_lands_on_the_cell_under_the_cursor():
    """The first brush click (or paste) in a HashLife world turns it into a grid window whose
    origin differs from the picture's; the cell clicked must still be the plane cell painted
    (before, it was painted at the same window offset from the new origin: elsewhere)."""
    u = Universe.for_rule("B3/S23")
    u.set_cells(GLIDER_X + 300, GLIDER_Y - 40)
    c = Controller(hashlife_world(HashLifeRun(u, lambda: u), "glider"))
    c.hashlife_look(250, -100, 120, 120, 1.0)  # the window sees this: the picture covers it
    x0, y0 = c.world.origin
    assert x0 < 250 and y0 < -100
    target = (290, -52)  # an empty plane cell left of and above the glider
    c.begin_stroke(target[1] - y0, target[0] - x0)
    c.end_stroke()
    assert c.world.universe is None and c.world.origin != (x0, y0)
    gx, gy = c.world.origin
    assert c.cell_value(target[1] - gy, target[0] - gx) == 1.0
    grid = np.asarray(c.cells())
    ys, xs = np.nonzero(grid)
    got = sorted(zip((xs + gx).tolist(), (ys + gy).tolist(), strict=True))
    want = sorted([target, *zip((GLIDER_X + 300).tolist(), (GLIDER_Y - 40).tolist(),
                                strict=True)])
    assert got == want
