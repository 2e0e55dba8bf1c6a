"""Autosave of HashLife worlds (`alife.app.autosave`): a scene cannot hold a universe, so the
recovery file is a macrocell; it reads back as the same cells at the same generation (two-state
and multi-state), a grid world's autosave replaces it, and a step in flight postpones it."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from alife.app import autosave
from alife.app.controller_hashlife import HashLifeRun, hashlife_world
from alife.rules.life.hashlife import Universe


@pytest.fixture(autouse=True)
def _config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))


def _glider_run(generations: int) -> HashLifeRun:
    universe = Universe.for_rule("B3/S23")
    universe.set_cells(np.array([1, 2, 0, 1, 2]), np.array([0, 1, 2, 2, 2]))
    universe.advance(generations)
    return HashLifeRun(universe, lambda: Universe.for_rule("B3/S23"))


def test_a_two_state_hashlife_world_autosaves_as_a_macrocell():
    from alife.rules.life.macrocell import read_macrocell

    run = _glider_run(1000)
    assert autosave.Autosaver(interval=3600).save(hashlife_world(run, "glider"))
    path = autosave.pending_recovery()
    assert path == autosave.recovery_universe_path()
    back, _ = read_macrocell(path)
    assert back.generation == 1000
    assert [a.tolist() for a in back.cells()] == [a.tolist() for a in run.universe.cells()]


def test_a_multi_state_universe_autosaves_and_a_grid_world_replaces_it():
    from alife.rules.ruletable.hashlife import Universe as StateUniverse
    from alife.rules.ruletable.hashlife_open import read_universe
    from alife.rules.ruletable.library import load_rule
    from alife.scene.io import load_scene
    from tests.test_app_files import SCENE

    rule = load_rule("Langtons-Loops")
    grid = np.random.default_rng(4).integers(0, rule.n_states, (16, 16))
    ys, xs = np.nonzero(grid)
    universe = StateUniverse.for_loaded(rule)
    universe.set_cells(xs, ys, grid[ys, xs])
    universe.advance(60)
    from alife.core import plane
    from alife.rules.ruletable.hashlife_view import StateQuadtreeView
    from alife.rules.ruletable.rule import RuleTableRule

    run = HashLifeRun(universe, lambda: universe, make_view=StateQuadtreeView)
    window = RuleTableRule("Langtons-Loops", plane.MIN_SIDE, plane.MIN_SIDE, "plane")
    world = hashlife_world(run, "loops", rule=window)
    assert autosave.Autosaver(interval=3600).save(world)
    from alife.scene.hashlife_patterns import PatternSource

    back, _, _ = read_universe(PatternSource(autosave.pending_recovery()))
    a, b = back.to_array(), universe.to_array()
    assert back.generation == 60 and np.array_equal(a[0], b[0]) and a[1:] == b[1:]
    assert autosave.Autosaver(interval=3600).save(load_scene(SCENE))
    assert autosave.pending_recovery() == autosave.recovery_path()
    assert not autosave.recovery_universe_path().exists()


def test_a_step_in_flight_postpones_the_autosave():
    run = _glider_run(10)
    release = threading.Event()
    run.worker = threading.Thread(target=release.wait, daemon=True)
    run.worker.start()
    saver = autosave.Autosaver(interval=0)
    try:
        assert not saver.maybe_save(hashlife_world(run, "glider"))
        assert autosave.pending_recovery() is None
    finally:
        release.set()
        run.worker.join()
    assert saver.maybe_save(hashlife_world(run, "glider"))
