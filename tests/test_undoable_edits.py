"""One undoable edit path (`Controller.apply_edit`): every way the app changes a world records
an undo entry, so Ctrl+Z undoes it: a brush stroke and a remove drag (one entry per drag),
Evolve's Deploy, a job's latest weights, and opening a file (which the autosave's Restore
does), whose undo also brings back the old world's name and path."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jax
import numpy as np
import pytest

from alife.app.controller import Controller
from alife.core.types import replace_params
from alife.scene.io import world_from_tree
from alife.scene.schema import Where

LIFE = {"version": 1, "name": "soup",
        "rule": {"family": "life", "config": {"rule": "B3/S23", "width": 24, "height": 24}},
        "init": {"random": {"density": 0.35}}}


def _controller() -> Controller:
    return Controller(world_from_tree(LIFE, Where("test"), Path(".")))


def _same(a, b) -> bool:
    return all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in
               zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True))


def test_a_stroke_is_one_entry_and_apply_edit_records_each_edit():
    c = _controller()
    before = c.state
    c.brush_mode = "paint"
    c.begin_stroke(2, 2)
    c.continue_stroke(2, 8)
    c.continue_stroke(9, 8)
    c.end_stroke()
    assert c.history.labels()[0] == ["brush"] and not _same(c.state, before)
    assert c.undo() and _same(c.state, before)
    assert c.redo() and c.cells()[9, 8] == 1
    c.apply_edit("mine", state=before)
    assert c.history.labels()[0][-1] == "mine" and _same(c.state, before)


def test_deploy_is_undoable():
    c = _controller()
    rule, params, state = c.rule, c.params, c.state
    assert c.evolution.open(n=4, steps=3) is None
    assert c.evolution.deploy(2)
    assert c.history.labels()[0][-1] == "deploy evolve candidate 3 (round 0)"
    assert c.generation == 3 and not _same(c.params, params)
    assert c.undo()
    assert c.rule == rule and _same(c.params, params) and _same(c.state, state)
    assert c.redo() and c.generation == 3


def test_use_latest_weights_is_undoable():
    c = _controller()
    params = c.params
    trained = replace_params(params, **{f.name: np.asarray(getattr(params, f.name)) * 0
                                        for f in _fields(params)})
    c.jobs._jobs["training"] = SimpleNamespace(latest_params=lambda: trained, step=7)
    assert c.jobs.use_latest("training")
    assert c.history.labels()[0][-1] == "weights of training iteration 7"
    assert _same(c.params, trained) and c.message == "weights of training iteration 7"
    assert c.undo() and _same(c.params, params)


def test_opening_a_file_is_undoable_with_its_name_and_path(tmp_path):
    c = _controller()
    assert c.save(tmp_path / "first.yaml") is None
    first_state = c.state
    other = _controller()
    other.step_once()
    assert other.save(tmp_path / "second.yaml") is None
    assert c.open(tmp_path / "second.yaml", remember=False) is None  # what Restore does
    assert c.world.path == tmp_path / "second.yaml" and c.generation == 1
    assert c.history.labels()[0][-1] == "open second.yaml"
    assert c.undo()
    assert c.world.path == tmp_path / "first.yaml" and _same(c.state, first_state)
    assert c.redo() and c.world.path == tmp_path / "second.yaml" and c.generation == 1
    c.step_once()
    assert c.undo() and c.world.path == tmp_path / "second.yaml"  # a run keeps the file


def _fields(params):
    import dataclasses

    return [f for f in dataclasses.fields(params)
            if np.issubdtype(np.asarray(getattr(params, f.name)).dtype, np.number)]


@pytest.fixture(autouse=True)
def _config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
