"""Known behaviour of famous patterns: Life's blinker, glider, pulsar and Gosper gun, HighLife's
replicator, Brian's Brain's c/1 ship, Star Wars decay, and Larger than Life (Bosco's p166
oscillator; R1,M0 equals Life). Runs on the generic path and, when present, the bit-packed one."""

from __future__ import annotations

import importlib.util

import jax
import numpy as np
import pytest

from alife.core.rollout import run
from alife.rules.life import LifeRule

FAST = [False] + ([True] if importlib.util.find_spec("alife.rules.life.bitpacked") else [])


def rle(body: str) -> np.ndarray:
    """A tiny RLE body decoder (b dead, o alive, $ new row, ! end)."""
    rows: list[list[int]] = [[]]
    count = ""
    for ch in body:
        if ch.isdigit():
            count += ch
            continue
        k = int(count or 1)
        count = ""
        if ch == "b":
            rows[-1] += [0] * k
        elif ch == "o":
            rows[-1] += [1] * k
        elif ch == "$":
            rows += [[] for _ in range(k)]
        elif ch == "!":
            break
    out = np.zeros((len(rows), max(map(len, rows))), np.int32)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


BLINKER = rle("3o!")
GLIDER = rle("bo$2bo$3o!")
PULSAR = rle("2b3o3b3o2$o4bobo4bo$o4bobo4bo$o4bobo4bo$2b3o3b3o2$2b3o3b3o$o4bobo4bo$"
             "o4bobo4bo$o4bobo4bo2$2b3o3b3o!")
GOSPER_GUN = rle("24bo$22bobo$12b2o6b2o12b2o$11bo3bo4b2o12b2o$2o8bo5bo3b2o$2o8bo3bob2o4bobo$"
                 "10bo5bo7bo$11bo3bo$12b2o!")
REPLICATOR = rle("2b3o$bo2bo$o3bo$o2bo$3o!")
BOSCO = rle("6bo$4b5o$2b5ob2o$b5o3b2o$b4o5bo$4o5b3o$b4o3b3o$b5ob4o$2b8o$3b7o$4b5o!")


def world(rule: LifeRule, pattern: np.ndarray, y: int, x: int):
    params = rule.default_params()
    grid = np.zeros(rule.shape, np.int32)
    grid[y : y + pattern.shape[0], x : x + pattern.shape[1]] = pattern
    return rule.with_cells(rule.init(jax.random.PRNGKey(0), params), grid), params, grid


def trajectory(rule, state, params, steps) -> np.ndarray:
    """Cells at generations 0..steps, [steps+1, H, W], from one compiled rollout."""
    _, states = run(rule, jax.random.PRNGKey(0), state, params, steps, record_every=1)
    first = np.asarray(rule.cells(state))[None]
    return np.concatenate([first, np.asarray(jax.vmap(rule.cells)(states))])


def test_pattern_sizes():
    assert BLINKER.sum() == 3 and GLIDER.sum() == 5 and PULSAR.sum() == 48
    assert GOSPER_GUN.sum() == 36 and REPLICATOR.sum() == 12


@pytest.mark.parametrize("fast", FAST)
@pytest.mark.parametrize("topology", ["torus", "plane"])
def test_blinker_has_period_2(fast, topology):
    rule = LifeRule("B3/S23", 32, 8, topology, fast=fast)
    state, params, grid = world(rule, BLINKER, 3, 10)
    cells = trajectory(rule, state, params, 2)
    assert not np.array_equal(cells[1], grid) and cells[1].sum() == 3 and cells[1][2:5, 11].all()
    np.testing.assert_array_equal(cells[2], grid)


@pytest.mark.parametrize("fast", FAST)
@pytest.mark.parametrize("topology", ["torus", "plane"])
def test_glider_moves_one_cell_diagonally_every_4_generations(fast, topology):
    rule = LifeRule("B3/S23", 64, 20, topology, fast=fast)
    state, params, grid = world(rule, GLIDER, 2, 3)
    cells = trajectory(rule, state, params, 40)
    for k in (1, 2, 3):
        assert not np.array_equal(cells[k], np.roll(grid, (1, 1), (0, 1)))
        assert cells[k].sum() == 5
    np.testing.assert_array_equal(cells[4], np.roll(grid, (1, 1), (0, 1)))
    np.testing.assert_array_equal(cells[40], np.roll(grid, (10, 10), (0, 1)))


def test_glider_wraps_around_the_torus():
    rule = LifeRule("B3/S23", 16, 16, "torus")
    state, params, grid = world(rule, GLIDER, 12, 12)
    np.testing.assert_array_equal(trajectory(rule, state, params, 64)[64], grid)


@pytest.mark.parametrize("fast", FAST)
def test_pulsar_has_period_3(fast):
    rule = LifeRule("B3/S23", 32, 20, "plane", fast=fast)
    state, params, grid = world(rule, PULSAR, 3, 9)
    cells = trajectory(rule, state, params, 3)
    assert not np.array_equal(cells[1], grid) and not np.array_equal(cells[2], grid)
    np.testing.assert_array_equal(cells[3], grid)


@pytest.mark.parametrize("fast", FAST)
def test_gosper_gun_emits_a_glider_every_30_generations(fast):
    rule = LifeRule("B3/S23", 128, 96, "plane", fast=fast)
    state, params, _ = world(rule, GOSPER_GUN, 2, 2)
    _, states = run(rule, jax.random.PRNGKey(0), state, params, 240, record_every=30)
    grids = np.asarray(jax.vmap(rule.cells)(states))
    pops = grids.sum(axis=(1, 2))
    assert list(np.diff(pops)) == [5] * 7, pops
    # the gun itself (its 9x36 box) repeats every 30 generations
    gun_box = grids[:, 2:11, 2:38]
    for g in gun_box[1:]:
        np.testing.assert_array_equal(g, gun_box[0])


def test_highlife_replicator_copies_itself():
    rule = LifeRule("B36/S23", 64, 64, "plane")
    state, params, grid = world(rule, REPLICATOR, 30, 30)
    after = trajectory(rule, state, params, 12)[12]
    expect = np.zeros_like(grid)
    expect[28:33, 28:33] = REPLICATOR
    expect[32:37, 32:37] = REPLICATOR
    np.testing.assert_array_equal(after, expect)
    # in plain Life the same cells do not replicate
    life = LifeRule("B3/S23", 64, 64, "plane")
    lstate, lparams, _ = world(life, REPLICATOR, 30, 30)
    assert not np.array_equal(trajectory(life, lstate, lparams, 12)[12], expect)


def test_brians_brain_ship_moves_at_light_speed():
    """/2/3: live cells always start dying; dead cells with exactly 2 live neighbours are born.
    Two live cells led by nothing and trailed by two dying cells move one cell per step."""
    rule = LifeRule("/2/3", 24, 30, "plane")
    assert rule.num_states == 3 and rule.spec.text() == "/2/3"
    params = rule.default_params()
    grid = np.zeros(rule.shape, np.int32)
    grid[20, 10:12] = 1
    grid[21, 10:12] = 2
    state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), grid)
    cells = trajectory(rule, state, params, 10)
    for t in range(11):
        np.testing.assert_array_equal(cells[t], np.roll(grid, -t, axis=0))
    m = rule.metrics(rule.with_cells(state, cells[10]), params)
    assert int(m["alive"]) == 2 and int(m["population"]) == 4


def test_star_wars_cells_decay_through_states():
    """345/2/4: a lone live cell (0 neighbours, not in S345) goes 1 -> 2 -> 3 -> 0."""
    rule = LifeRule("345/2/4", 8, 8, "torus")
    params = rule.default_params()
    state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params),
                            np.zeros((8, 8), np.int32).copy())
    state = rule.paint(state, params, np.eye(8, dtype=bool) & (np.arange(8) == 4), 1)
    cells = trajectory(rule, state, params, 3)
    assert list(cells[:, 4, 4]) == [1, 2, 3, 0]
    assert cells.sum(axis=(1, 2)).tolist() == [1, 2, 3, 0]


def test_ltl_range_1_is_life():
    """Golly's default LtL rule R1,C0,M0,S2..3,B3..3,NM is Conway's Life."""
    ltl = LifeRule("R1,C0,M0,S2..3,B3..3,NM", 40, 30, "torus", fast=False)
    life = LifeRule("B3/S23", 40, 30, "torus", fast=False)
    grid = (np.random.default_rng(0).random((30, 40)) < 0.4).astype(np.int32)
    a = ltl.with_cells(ltl.init(jax.random.PRNGKey(0), ltl.default_params()), grid)
    b = life.with_cells(life.init(jax.random.PRNGKey(0), life.default_params()), grid)
    np.testing.assert_array_equal(trajectory(ltl, a, ltl.default_params(), 20),
                                  trajectory(life, b, life.default_params(), 20))


def test_bosco_is_a_period_166_oscillator():
    """Evans' 'Bosco' in R5,C0,M1,S34..58,B34..45,NM (Golly: 'a period 166 oscillator').

    It travels diagonally about 40 cells and comes back, so the plane must be roomy."""
    rule = LifeRule("R5,C0,M1,S34..58,B34..45,NM", 96, 96, "plane")
    state, params, grid = world(rule, BOSCO, 16, 46)
    assert grid.sum() == 68
    cells = trajectory(rule, state, params, 166)
    assert [t for t in range(1, 167) if np.array_equal(cells[t], grid)] == [166]
    assert cells.sum(axis=(1, 2)).min() > 0  # it never dies out on the way
    far = max(abs(np.argwhere(c).mean(0) - np.argwhere(grid).mean(0)).max() for c in cells)
    assert far > 20  # and it really moves away before returning
