"""The shipped patterns do what LifeWiki says they do, checked against a tiny NumPy reference
(`_life`, `_ltl` below) and by running them through the engine from their scene files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from alife.scene import load_scene
from alife.scene.patterns import read_pattern
from alife.scene.runner import advance

ROOT = Path(__file__).resolve().parents[1]
PATTERNS = ROOT / "assets" / "patterns"


def _life(a: np.ndarray, birth: set[int], survive: set[int]) -> np.ndarray:
    """One B/S step on a dead-boundary plane (NumPy reference)."""
    p = np.pad(a, 1)
    h, w = a.shape
    n = sum(p[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w]
            for dy in (-1, 0, 1) for dx in (-1, 0, 1)) - a
    return np.where(a == 1, np.isin(n, list(survive)), np.isin(n, list(birth))).astype(int)


def _cells(world) -> np.ndarray:
    return np.asarray(world.rule.cells(world.state))


def test_pattern_headers():
    for name, rule in [("gosper_glider_gun", "B3/S23"), ("glider", "B3/S23"),
                       ("highlife_replicator", "B36/S23"),
                       ("bosco", "R5,C0,M1,S34..58,B34..45,NM")]:
        pattern = read_pattern(PATTERNS / f"{name}.rle")
        assert pattern.rule == rule and pattern.name and pattern.author and pattern.comments


def test_gosper_gun_emits_a_glider_every_30_generations():
    world = load_scene(ROOT / "scenes/life/gosper_glider_gun.yaml")
    start = _cells(world)
    ref = start.copy()
    y, x = 10, 10  # `at` in the scene
    for period in range(1, 5):
        world = advance(world, 30)
        for _ in range(30):
            ref = _life(ref, {3}, {2, 3})
        cells = _cells(world)
        assert np.array_equal(cells, ref)
        # the gun itself is back as it was; exactly one more glider (5 cells) each period
        assert np.array_equal(cells[y - 1 : y + 9, x - 1 : x + 37], start[y - 1 : y + 9,
                                                                           x - 1 : x + 37])
        assert cells.sum() == start.sum() + 5 * period


def test_glider_moves_one_cell_diagonally_every_4_generations():
    glider = read_pattern(PATTERNS / "glider.rle").cells.astype(int)
    a = np.zeros((12, 12), int)
    a[1:4, 1:4] = glider
    b = a
    for _ in range(4):
        b = _life(b, {3}, {2, 3})
    assert np.array_equal(b, np.roll(np.roll(a, 1, 0), 1, 1))


def test_highlife_replicator_replicates():
    world = load_scene(ROOT / "scenes/life/highlife_replicator.yaml")
    start = _cells(world)
    after = _cells(advance(world, 12))
    two = np.roll(np.roll(start, -2, 0), -2, 1) | np.roll(np.roll(start, 2, 0), 2, 1)
    assert np.array_equal(after, two)  # two copies, shifted by (-2, -2) and (+2, +2)


def test_bosco_wanders_and_returns_with_period_166():
    world = load_scene(ROOT / "scenes/ltl/bosco.yaml")
    start = _cells(world)
    half = advance(world, 83)
    ys0, xs0 = np.nonzero(start)
    ys, xs = np.nonzero(_cells(half))
    assert ys.mean() - ys0.mean() > 10 and xs0.mean() - xs.mean() > 10  # went south-west
    back = advance(half, 83)
    assert np.array_equal(_cells(back), start)
    for k in (1, 40, 120):  # and not sooner at these phases
        assert not np.array_equal(_cells(advance(world, k)), start)


def test_rule30_centre_column():
    world = advance(load_scene(ROOT / "scenes/elementary/rule30.yaml"), 19)
    diagram = _cells(world)  # newest row at the bottom
    w = world.rule.shape[1]
    column = diagram[-20:, w // 2]
    assert column.tolist() == [1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1]
