"""The unbounded plane on the grid engine (alife.core.plane): the window follows the pattern.

Truth: our HashLife (its own tests check it against bgolly) cell for cell in plane coordinates,
and a rule table's run on a big fixed torus (nothing comes near its edge)."""

from __future__ import annotations

from pathlib import Path

import jax
import numpy as np
import pytest

from alife.cli import main
from alife.core import plane
from alife.rules.life.hashlife import Universe
from alife.rules.life.rule import LifeRule

KEY = jax.random.PRNGKey(0)
GLIDER = np.array([[0, 1, 0], [0, 0, 1], [1, 1, 1]])
LANGTON = Path("/usr/share/golly/Patterns/Loops/Langtons-Loops.rle")
ASSETS = Path(__file__).resolve().parents[1] / "assets" / "patterns"
SHIPPED_LANGTON = ASSETS / "ruletable" / "langtons-loops.rle"


def _start(rule_text: str, cells: np.ndarray, x: int, y: int):
    """(rule, params, state, origin) with `cells` at plane position (x, y), window 64x64."""
    rule = LifeRule(rule_text, 64, 64, "plane")
    params = rule.default_params()
    grid = np.zeros((64, 64), np.int32)
    h, w = cells.shape
    grid[10:10 + h, 10:10 + w] = cells
    state = rule.with_cells(rule.init(KEY, params), grid)
    return rule, params, state, (x - 10, y - 10)


def _plane_cells(rule, state, origin) -> set[tuple[int, int]]:
    ys, xs = np.nonzero(np.asarray(rule.cells(state)))
    return set(zip((xs + origin[0]).tolist(), (ys + origin[1]).tolist(), strict=True))


def _hashlife_cells(rule_text: str, cells: np.ndarray, x: int, y: int, steps: int):
    universe = Universe.for_rule(rule_text)
    ys, xs = np.nonzero(cells)
    universe.set_cells(xs + x, ys + y)
    universe.advance(steps)
    hx, hy = universe.cells()
    return set(zip(hx.tolist(), hy.tolist(), strict=True))


def test_window_sides_are_a_ladder_of_multiples_of_32():
    sides = [plane.window_side(n) for n in (1, 64, 65, 97, 129, 200, 257, 1000)]
    assert sides == [64, 64, 96, 128, 192, 256, 384, 1024]
    assert all(s % 32 == 0 for s in sides)


@pytest.mark.parametrize("rule_text,steps", [("B3/S23", 4000), ("B36/S23", 300),
                                              ("B2-a/S12", 90)])
def test_the_window_equals_hashlife_cell_for_cell(rule_text, steps):
    """A glider far across the plane, and random soups that grow (the window grows and moves)
    under B36/S23 and Hensel's B2-a/S12: the same cells at the same plane positions."""
    if rule_text == "B3/S23":
        cells = GLIDER
    else:
        cells = (np.random.default_rng(3).random((20, 20)) < 0.4).astype(np.int32)
    rule, params, state, origin = _start(rule_text, cells, -7, 5)
    rule, state, origin = plane.advance(rule, KEY, state, params, origin, steps)
    assert int(state.generation) == steps
    expected = _hashlife_cells(rule_text, cells, -7, 5, steps)
    assert expected and _plane_cells(rule, state, origin) == expected
    h, w = rule.shape
    assert h % 32 == 0 and w % 32 == 0


def test_the_gun_grows_the_window_and_a_dying_pattern_shrinks_it():
    from alife.scene.patterns import read_pattern

    cells = read_pattern(ASSETS / "gosper_glider_gun.rle").cells.astype(np.int32)
    rule, params, state, origin = _start("B3/S23", cells, 0, 0)
    rule, state, origin = plane.advance(rule, KEY, state, params, origin, 300)
    assert min(rule.shape) >= 128  # from 64 x 64: ten gliders in a stream
    assert _plane_cells(rule, state, origin) == _hashlife_cells("B3/S23", cells, 0, 0, 300)
    # a wide window around a lone blinker shrinks, keeping its cells where they are
    big = LifeRule("B3/S23", 512, 512, "plane")
    grid = np.zeros((512, 512), np.int32)
    grid[300, 200:203] = 1
    state = big.with_cells(big.init(KEY, params), grid)
    small, state2, origin2 = plane.refit(big, params, state, (1000, -50),
                                         plane.host_box(grid))
    assert small.shape == (96, 96)  # the ladder side holding 3 cells and a margin of 32
    assert _plane_cells(small, state2, origin2) == {(1200, 250), (1201, 250), (1202, 250)}


def test_an_edit_outside_the_window_grows_it():
    rule, params, state, origin = _start("B3/S23", GLIDER, 0, 0)
    box = plane.host_box(np.asarray(rule.cells(state)))
    far = plane.Box(-300, -300, 500, 500)  # window coordinates, outside the 64x64 window
    grown, state2, origin2 = plane.refit(rule, params, state, origin, box, include=far)
    assert grown.shape[0] >= 300 + 64 and grown.shape[1] >= 500
    assert _plane_cells(grown, state2, origin2) == _plane_cells(rule, state, origin)
    row, col = -300 + origin[1] - origin2[1], 500 + origin[0] - origin2[0]
    assert 0 <= row < grown.shape[0] and 0 <= col < grown.shape[1]


def test_bounded_and_unemulated_b0_rules_do_not_live_on_the_plane():
    """Two-state B0 rules are emulated (tests/test_life_b0_plane.py); Generations and Larger
    than Life B0 rules are not, as in Golly."""
    assert not plane.can_run(LifeRule("B03/S23/3"))
    assert not plane.can_run(LifeRule("R2,C2,M0,S2..3,B0..3,NM"))
    assert not plane.can_run(LifeRule("B3/S23:T64,64"))
    assert plane.can_run(LifeRule("B3/S23"))


def test_langtons_loops_on_the_plane_equal_a_big_torus():
    """A rule table (Langton's loops: von Neumann neighbourhood, 8 states): 400 generations on
    the plane window equal the same run on a fixed 512 x 512 torus, cell for cell."""
    from alife.rules.ruletable.rule import RuleTableRule
    from alife.scene.pattern_world import world_from_pattern

    path = LANGTON if LANGTON.is_file() else SHIPPED_LANGTON
    world = world_from_pattern(path)
    assert world.origin is not None and world.rule.config()["topology"] == "plane"
    grid0 = np.asarray(world.rule.cells(world.state))
    steps = 400
    rule, state, origin = plane.advance(world.rule, world.key, world.state, world.params,
                                        world.origin, steps)
    torus = RuleTableRule(world.rule.name, 512, 512, "torus")
    big = np.zeros((512, 512), np.int32)
    ys, xs = np.nonzero(grid0)
    big[ys + 200, xs + 200] = grid0[ys, xs]
    tstate = torus.with_cells(torus.init(KEY, world.params), big)
    from alife.core import rollout

    tstate = rollout.run(torus, KEY, tstate, world.params, steps)
    tcells = np.asarray(torus.cells(tstate))
    tys, txs = np.nonzero(tcells)
    assert tys.min() > 2 and txs.min() > 2 and tys.max() < 509 and txs.max() < 509
    ours = np.asarray(rule.cells(state))
    oys, oxs = np.nonzero(ours)
    got = {(x + origin[0], y + origin[1]): int(ours[y, x]) for y, x in zip(oys, oxs, strict=True)}
    want = {(x - 200 + world.origin[0], y - 200 + world.origin[1]): int(tcells[y, x])
            for y, x in zip(tys, txs, strict=True)}
    assert got == want and len(got) > 300


def test_alife_run_grid_engine_writes_the_plane_position(tmp_path, capsys):
    """`alife run --engine grid` of a pattern without a suffix runs on the plane window and
    writes `#CXRLE Pos` where HashLife (`--engine hashlife`) puts the glider."""
    pattern = tmp_path / "glider.rle"
    pattern.write_text("x = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n")
    for engine in ("grid", "hashlife"):
        out = tmp_path / f"{engine}.rle"
        assert main(["run", str(pattern), "--engine", engine, "--steps", "1000", "--quiet",
                     "--out", str(out)]) == 0
    grid, hashlife = ((tmp_path / f"{e}.rle").read_text() for e in ("grid", "hashlife"))
    pos = [line for line in grid.splitlines() if line.startswith("#CXRLE")]
    assert pos and pos[0].split()[1] == "Pos=249,249"
    assert pos[0].split()[1] in hashlife
    assert grid.splitlines()[-1] == hashlife.splitlines()[-1]


def test_a_plane_scene_saves_and_loads_its_origin(tmp_path):
    from alife.scene import load_scene, save_scene
    from alife.scene.pattern_world import world_from_pattern

    pattern = tmp_path / "glider.rle"
    pattern.write_text("#CXRLE Pos=1000,-20\nx = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n")
    world = world_from_pattern(pattern)
    assert _plane_cells(world.rule, world.state, world.origin) == {
        (1001, -20), (1002, -19), (1000, -18), (1001, -18), (1002, -18)}
    save_scene(world, tmp_path / "g.yaml", include_state=True)
    back = load_scene(tmp_path / "g.yaml")
    assert back.origin == world.origin
    assert _plane_cells(back.rule, back.state, back.origin) == _plane_cells(
        world.rule, world.state, world.origin)


def test_crop_puts_a_moved_window_back_on_a_fixed_region():
    """`alife render` shows the start region while the window moves: the window's view lands
    where its origin says, dead cells elsewhere."""
    view = np.arange(12).reshape(3, 4, 1)
    out = plane.crop(view, (12, 21), (10, 20), (4, 5), np.array([-1]))
    expected = np.full((4, 5, 1), -1)
    expected[1:4, 2:5] = view[0:3, 0:3]
    assert np.array_equal(out, expected)


def test_a_pattern_too_wide_for_the_grid_engine_is_refused_by_its_size(tmp_path, capsys):
    """Golly's 100,000-cell-wide machines: on the grid engine one line giving the pattern's
    size and the limit, not the internal margin (`alife run` exit status 2); by default they
    run on the multi-state HashLife universe instead."""
    wide = tmp_path / "wide.rle"
    wide.write_text("x = 20000, y = 1, rule = WireWorld\nC19998.C!\n")
    assert main(["run", str(wide), "--steps", "1", "--quiet", "--engine", "grid"]) == 2
    err = capsys.readouterr().err
    assert "20,000 x 1 cells" in err and "16,384 a side" in err and "margin" not in err
    assert main(["run", str(wide), "--steps", "1"]) == 0
    assert "HashLife" in capsys.readouterr().out
