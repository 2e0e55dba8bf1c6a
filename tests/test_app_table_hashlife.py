"""The app opens a rule-table pattern too large for the grid engine on the multi-state HashLife
universe (`alife.app.controller_hashlife.table_world`), draws it in the rule's colours and steps
it 2^k at a time. Truth: the headless universe (tests/test_ruletable_hashlife.py checks it
against bgolly) at the same generation, and the rule's colours.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from alife.rules.ruletable.library import load_rule
from alife.scene.hashlife_patterns import PatternSource
from alife.scene.pattern_world import world_from_pattern
from tests.app_driver import frames, key


def read_universe(path):
    """A pattern file's multi-state universe, name and comments (the route's reader)."""
    from alife.rules.ruletable.hashlife_open import read_universe as read

    return read(PatternSource(path))


pytestmark = pytest.mark.gl

SPHINX = Path("/usr/share/golly/Patterns/Self-Rep/JvN/sphinx.mc.gz")


def _tiny(tmp_path: Path) -> Path:
    path = tmp_path / "dot.rle"
    path.write_text("x = 3, y = 1, rule = WireWorld\nC.C!\n")
    return path


@pytest.mark.skipif(not SPHINX.is_file(), reason="Golly's Patterns are not installed")
def test_a_giant_jvn_machine_opens_and_steps_in_the_app(make_app, tmp_path):
    app = make_app(world_from_pattern(_tiny(tmp_path)))
    c = app.controller
    assert c.open(SPHINX) is None, c.message
    assert c.world.universe is not None and c.world.rule.num_states == 29
    frames(app, 2)
    picture = c.view_image()
    assert picture.ndim == 3 and picture.shape[2] == 3 and picture.dtype == np.uint8
    colours = {tuple(int(v) for v in rgb) for rgb in load_rule("JvN29").colours}
    shown = {tuple(int(v) for v in rgb) for rgb in np.unique(picture.reshape(-1, 3), axis=0)}
    assert shown <= colours and len(shown) >= 2  # JvN's colours (the zoomed-out largest state)
    c.speed.exponent = 4
    key(app, pygame.K_n, frames_after=2)
    c.sync()
    universe, _, _ = read_universe(SPHINX)
    universe.advance(16)
    assert c.generation == 16
    assert c.world.universe.population == universe.population()
    assert c.world.universe.box == universe.bounding_box()


@pytest.mark.slow  # the default suite opens a giant pattern above; this one under -m slow
def test_run_with_hashlife_moves_langtons_loops_to_the_multi_state_universe(make_app):
    """Run > Run with HashLife on a rule-table plane world: the same cells on the multi-state
    universe, and 2^5 generations later the grid engine's population."""
    from alife.rules.ruletable.hashlife import Universe

    path = SPHINX.parents[2] / "Loops" / "Langtons-Loops.rle"
    if not path.is_file():
        pytest.skip("Golly's Patterns are not installed")
    world = world_from_pattern(path)
    app = make_app(world)
    c = app.controller
    before = np.asarray(c.cells()).copy()
    assert c.switch_to_hashlife() is None, c.message
    run = c.world.universe
    assert isinstance(run.universe, Universe)
    x0, y0 = world.origin
    grid, gx, gy = run.universe.to_array()
    ys, xs = np.nonzero(before)
    assert np.array_equal(grid, before[ys.min():ys.max() + 1, xs.min():xs.max() + 1])
    assert (gx, gy) == (xs.min() + x0, ys.min() + y0)
    c.hashlife_advance(32)
    frames(app, 2)
    reference = world_from_pattern(path)
    rule, params, state = reference.rule, reference.params, reference.state
    for _ in range(32):
        state = rule.step(None, state, params)
    assert c.world.universe.population == int(np.count_nonzero(np.asarray(rule.cells(state))))
    expected, ex, ey = c.world.universe.universe.to_array()
    assert c.grid_for_edit()  # an edit turns it back into a rule-table grid window
    assert c.world.universe is None and c.generation == 32
    cells = np.asarray(c.cells())
    ys, xs = np.nonzero(cells)
    ox, oy = c.world.origin
    assert (xs.min() + ox, ys.min() + oy) == (ex, ey)
    assert np.array_equal(cells[ys.min():ys.max() + 1, xs.min():xs.max() + 1], expected)
