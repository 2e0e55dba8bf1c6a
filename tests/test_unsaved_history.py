"""Unsaved changes read from the undo history, without a window: every edit (cells, a rule, a
slider, running, stepping back, Deploy, new weights, Open, New, Restore) makes the world dirty;
undoing back to the point last saved or opened makes it clean again, redoing away dirty; a
slider drag is one undo entry; Save and Open are clean points per file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alife.app.controller import Controller
from alife.app.history import Snapshot, UndoStack
from alife.scene.io import world_from_tree
from alife.scene.schema import Where

LENIA = {"version": 1, "name": "blob",
         "rule": {"family": "lenia", "config": {"width": 32, "height": 32, "radius": 6}},
         "init": {"random": {"density": 0.4}}}
LIFE = {"version": 1, "name": "soup",
        "rule": {"family": "life", "config": {"rule": "B3/S23", "width": 16, "height": 16}},
        "init": {"random": {"density": 0.35}}}


@pytest.fixture(autouse=True)
def _config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _controller(tree=LIFE) -> Controller:
    return Controller(world_from_tree(tree, Where("test"), Path(".")))


def test_revisions_follow_undo_and_redo():
    h = UndoStack()
    snap = Snapshot(None, None, None, None, "x")
    h.mark_clean("a")
    assert h.is_clean("a") and not h.is_clean("b")
    h.record(snap)
    assert not h.is_clean("a")
    h.record(snap)
    h.mark_clean("a")  # saved after two edits
    h.undo(snap)
    assert not h.is_clean("a")
    h.redo(snap)
    assert h.is_clean("a")
    h.undo(snap)
    h.undo(snap)
    h.record(snap)  # a new branch: the saved point can no longer be reached
    assert not h.is_clean("a")
    while h.can_undo:
        h.undo(snap)
    assert not h.is_clean("a")  # the first clean point was re-marked by the save


def test_edits_make_a_world_dirty_and_undo_to_the_saved_point_cleans(tmp_path):
    c = _controller()
    assert not c.dirty
    c.brush_mode = "paint"
    c.begin_stroke(1, 1)
    c.continue_stroke(1, 5)
    c.end_stroke()
    assert c.dirty
    assert c.undo() and not c.dirty
    assert c.redo() and c.dirty
    assert c.save(tmp_path / "mine.yaml") is None and not c.dirty
    c.step_once()  # running changes the world too
    assert c.dirty and c.undo() and not c.dirty
    c.step_once()
    c.step_once()
    assert c.step_back() and c.dirty  # a frame of the rewind buffer is not the saved world
    assert c.apply_rule_text("B36/S23") is None and c.dirty
    while c.history.can_undo:
        c.undo()
    assert c.dirty  # the start is not what mine.yaml holds (it holds the stroke)
    while c.history.can_redo:
        c.redo()
    assert c.dirty
    assert c.open(tmp_path / "mine.yaml") is None and not c.dirty
    assert c.undo() and c.dirty  # back to the world before the open: changed since its save


def test_a_slider_drag_is_one_undo_entry_and_dirty():
    c = _controller(LENIA)
    mu = c.param_values()["mu"]
    for value in (0.151, 0.152, 0.153):
        c.set_param("mu", value)
    assert c.history.labels()[0] == ["param mu"] and c.dirty
    c.set_param("sigma", 0.02)
    c.set_param("mu", 0.16)  # another slider in between: a new entry
    assert c.history.labels()[0] == ["param mu", "param sigma", "param mu"]
    c.undo()
    c.undo()
    assert c.param_values()["mu"] == pytest.approx(0.153)
    c.undo()
    assert c.param_values()["mu"] == pytest.approx(mu) and not c.dirty


def test_a_slider_after_a_save_is_a_new_entry(tmp_path):
    c = _controller(LENIA)
    c.set_param("mu", 0.151)
    assert c.save(tmp_path / "blob.yaml") is None and not c.dirty
    c.set_param("mu", 0.152)  # the same slider again: still an edit of the saved world
    assert c.dirty and c.history.labels()[0] == ["param mu", "param mu"]
    assert c.undo() and not c.dirty and c.param_values()["mu"] == pytest.approx(0.151)


def test_new_world_restore_and_deploy(tmp_path):
    from alife.app import autosave

    c = _controller()
    cells = c.cells()
    c.new_world()
    assert c.world.path is None and c.cells().sum() == 0 and not c.dirty
    assert c.rule == c.history._undo[-1].world.rule  # same rule (Golly's New)
    assert c.undo() and np.array_equal(c.cells(), cells) and c.world.name == "soup"

    other = _controller()
    other.step_once()
    assert autosave.Autosaver().save(other.world)
    assert c.restore(autosave.recovery_path()) is None
    assert c.dirty and c.generation == 1 and c.own_file is None  # saved nowhere yet
    assert c.undo() and not c.dirty and c.world.name == "soup"

    assert c.evolution.open(n=2, steps=2) is None
    assert c.evolution.deploy(1) and c.dirty
    assert c.undo() and not c.dirty
