"""Nothing is lost: the unsaved-changes guard and the undoable whole-world edits, through the real
event loop (SDL offscreen window, Mesa GL; issue 16, defect 1).

A world with unsaved changes (read from the undo history: undoing back to the saved point is
clean again) shows `* ` in the window title; Open (the Files panel, Recent, a dropped file),
File > New, the autosave's Restore and Quit (Ctrl+Q, the window's close button) ask first:
Save writes the world (its own file, or a path typed in the question) and goes on, Discard goes
on, Cancel keeps the world. Evolve's Deploy, Restore, Open and the Training panel's "Use latest
weights" are undo entries: Ctrl+Z brings back the world before them. Each check compares with an
independent truth: the cells before, the file written and read back, the params before.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

pygame = pytest.importorskip("pygame")

import app_driver as drive  # noqa: E402  (it imports pygame, skipped above if absent)

CTRL = drive.CTRL
cell_pos = drive.cell_pos
centre = drive.centre
click = drive.click
click_widget = drive.click_widget
frames = drive.frames
frames_until = drive.frames_until
key = drive.key
post = drive.post
type_into = drive.type_into

ROOT = Path(__file__).resolve().parents[1]
LIZARD = ROOT / "scenes" / "nca" / "lizard.yaml"

pytestmark = pytest.mark.gl


def _life(path: Path, name: str, size: int, init: dict) -> Path:
    tree = {"version": 1, "name": name, "seed": 3,
            "rule": {"family": "life", "config": {"rule": "B3/S23", "width": size,
                                                  "height": size}},
            "init": init, "view": {"grid_lines": True}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(tree, sort_keys=False))
    return path


@pytest.fixture()
def no_native_dialogs(monkeypatch):
    """Ctrl+O and Save As use the typed fields, never a blocking zenity dialog."""
    from alife.app.state import AppState

    monkeypatch.setattr(AppState, "native_dialogs", property(lambda self: False))


def _asking(app) -> bool:
    pending = app.state.unsaved
    return pending is not None and not pending.granted and "unsaved_cancel" in \
        app.state.widget_rects


def _open_typed(app, path: Path) -> None:
    """File > Open as a user does it: Ctrl+O focuses the Files panel's field, type, Enter."""
    key(app, pygame.K_o, mod=CTRL)  # focuses the field, its text selected
    post(pygame.TEXTINPUT, text=str(path))
    frames(app)
    key(app, pygame.K_RETURN, frames_after=3)
    assert app.state.open_path == str(path)


def _answer(app, button: str) -> None:
    """Click a button of the question once it is on screen (its rectangles are noted afresh)."""
    rects = app.state.widget_rects
    for name in [n for n in rects if n.startswith("unsaved_")]:
        del rects[name]
    frames_until(app, lambda: _asking(app), timeout=30)
    frames(app)  # an auto-sized window is placed on its second frame
    click(app, centre(app, f"unsaved_{button}"))
    frames(app, 2)


def _undo(app, redo: bool = False) -> None:
    """Ctrl+Z (Ctrl+Y) as a person presses it: a few frames after the last click (in the frame
    that releases a button ImGui still holds the keyboard)."""
    frames(app, 2)
    key(app, pygame.K_y if redo else pygame.K_z, mod=CTRL)


def _draw_cell(app, row: int, col: int) -> None:
    app.state.tool = "draw"
    click(app, cell_pos(app, row, col))


def test_guard_on_open_new_drop_and_quit_with_a_dirty_title(make_app, tmp_path,
                                                            no_native_dialogs):
    a = _life(tmp_path / "a" / "soup.yaml", "soup", 40, {"random": {"density": 0.3}})
    b = _life(tmp_path / "b" / "blank.yaml", "blank", 24, {"empty": {}})
    app = make_app(a, size=(1280, 1300))  # tall: the Files panel's Recent list in sight
    c, state = app.controller, app.state
    frames(app, 3)
    assert not c.dirty and not app._title.startswith("* ") and "soup" in app._title

    # ---- an edit makes the world dirty; undoing back to the saved point makes it clean ----------
    start = c.cells()
    _draw_cell(app, 5, 5)
    drawn = c.cells()
    assert drawn[5, 5] != start[5, 5]
    assert c.dirty and app._title.startswith("* soup")
    _undo(app)
    assert not c.dirty and not app._title.startswith("*")
    np.testing.assert_array_equal(c.cells(), start)
    _undo(app, redo=True)
    assert c.dirty and app._title.startswith("* ")
    np.testing.assert_array_equal(c.cells(), drawn)

    # ---- Open over unsaved changes asks; Cancel keeps the world as it is -------------------------
    _open_typed(app, b)
    assert _asking(app) and state.unsaved.kind == "open"
    assert c.world.path == a  # nothing opened yet
    _answer(app, "cancel")
    assert state.unsaved is None and c.world.path == a and c.dirty
    np.testing.assert_array_equal(c.cells(), drawn)

    # ---- Discard opens the other file; Ctrl+Z brings the drawn world back (not 0/0) ------------
    _open_typed(app, b)
    _answer(app, "discard")
    assert c.world.path == b and c.shape == (24, 24) and not c.dirty
    assert c.history.labels()[0][-1] == "open blank.yaml"
    assert not app._title.startswith("*") and "blank" in app._title
    _undo(app)
    assert c.world.path == a and c.dirty and app._title.startswith("* soup")
    np.testing.assert_array_equal(c.cells(), drawn)
    assert c.history.labels()[1] == ["open blank.yaml"]  # redo-able

    # ---- Save writes the world's own file first, then opens ---------------------------------
    _open_typed(app, b)
    _answer(app, "save")
    assert c.world.path == b and not c.dirty
    from alife.scene.io import load_scene

    saved = load_scene(a)
    np.testing.assert_array_equal(np.asarray(saved.rule.cells(saved.state)), drawn)
    _undo(app)  # back to the soup, now clean: it is what the file holds
    assert c.world.path == a and not c.dirty

    # ---- Recent list and a dropped file go through the same question ---------------------------
    _draw_cell(app, 7, 9)
    assert c.dirty
    post(pygame.DROPFILE, file=str(b))
    frames(app, 2)
    assert _asking(app) and c.world.path == a
    _answer(app, "cancel")
    assert c.world.path == a and c.dirty
    from alife.app import autosave

    assert autosave.recent()[0] == str(b.resolve())
    click_widget(app, "recent")  # the Files panel's Recent list, newest first
    frames(app, 2)
    click_widget(app, "recent_0")
    assert _asking(app) and state.unsaved.kind == "open" and c.world.path == a
    _answer(app, "cancel")
    assert c.world.path == a and c.dirty

    # ---- File > New: asks, Save with no scene file takes the path typed in the question --------
    post(pygame.DROPFILE, file=str(b))
    _answer(app, "discard")  # b: opened, clean
    assert c.world.path == b and not c.dirty
    click_widget(app, "menu_File")
    frames(app, 2)
    click_widget(app, "menu_New")
    assert c.world.path is None and c.world.name == "untitled" and not c.dirty
    assert c.cells().sum() == 0 and c.shape == (24, 24)  # same rule, empty (Golly's New)
    _draw_cell(app, 3, 4)
    assert c.dirty and c.own_file is None
    click_widget(app, "menu_File")
    frames(app, 2)
    click_widget(app, "menu_New")
    frames_until(app, lambda: _asking(app), timeout=30)
    assert "unsaved_path" in state.widget_rects  # no file yet: the question asks where
    target = tmp_path / "mine" / "drawn.yaml"
    target.parent.mkdir()
    state.unsaved.save_path = ""
    type_into(app, "unsaved_path", str(target), frames_after=2)
    frames(app)
    if _asking(app):  # Enter in the field does not answer; the Save button does
        click(app, centre(app, "unsaved_save"))
        frames(app, 2)
    assert target.exists(), state.log[-3:]
    mine = load_scene(target)
    assert int(np.asarray(mine.rule.cells(mine.state))[3, 4]) == 1
    assert c.world.path is None and c.cells().sum() == 0 and not c.dirty  # then the new world

    # ---- Quit (Ctrl+Q, the window's close button): asks; Cancel keeps running ------------------
    _draw_cell(app, 1, 1)
    key(app, pygame.K_q, mod=CTRL)
    assert not state.want_quit and _asking(app) and state.unsaved.kind == "quit"
    _answer(app, "cancel")
    assert not state.want_quit and state.unsaved is None
    post(pygame.QUIT)  # the window manager's close button
    frames(app, 2)
    assert not state.want_quit and _asking(app)
    app.frame(screenshot=str(ROOT / "test-artifacts" / "unsaved_question.png"))
    _answer(app, "discard")
    assert state.want_quit
    app.run()  # the loop ends at once and closes the window


def test_restore_asks_and_is_undoable(make_app, tmp_path):
    from alife.app import autosave

    a = _life(tmp_path / "a" / "soup.yaml", "soup", 32, {"random": {"density": 0.3}})
    other = _life(tmp_path / "b" / "other.yaml", "other", 32, {"random": {"density": 0.6}})
    from alife.scene.io import load_scene

    crashed = load_scene(other)
    assert autosave.Autosaver().save(crashed)  # what a session that died left behind
    app = make_app(a, size=(1280, 800))
    c, state = app.controller, app.state
    frames(app, 3)
    assert state.recovery is not None and not c.dirty
    click(app, centre(app, "recovery_discard"))  # the recovery question, answered later below
    assert state.recovery is None and autosave.pending_recovery() is None
    assert autosave.Autosaver().save(crashed)
    app.state.tool = "draw"
    _draw_cell(app, 2, 2)  # a change of this world's own...
    drawn = c.cells()
    assert c.dirty
    # ...then the autosave is offered (at a start the question is modal: nothing is drawn
    # before it is answered; this is the guard behind it)
    state.recovery = autosave.recovery_path()
    frames(app, 2)
    assert c.dirty

    click(app, centre(app, "recovery_restore"))
    frames_until(app, lambda: _asking(app), timeout=30)
    assert state.unsaved.kind == "restore" and state.recovery is None
    _answer(app, "cancel")  # the world stays, and the autosave is offered again
    np.testing.assert_array_equal(c.cells(), drawn)
    assert state.recovery is not None
    frames(app, 2)
    click(app, centre(app, "recovery_restore"))
    _answer(app, "discard")
    want = np.asarray(crashed.rule.cells(crashed.state))
    np.testing.assert_array_equal(c.cells(), want)
    assert c.dirty and app._title.startswith("* ")  # a restored world is saved nowhere yet
    assert c.own_file is None
    _undo(app)  # Restore is an undo entry
    np.testing.assert_array_equal(c.cells(), drawn)
    assert c.world.path == a
    _undo(app, redo=True)
    np.testing.assert_array_equal(c.cells(), want)


def test_deploy_is_undone_by_ctrl_z(make_app, tmp_path):
    """Evolve's Deploy replaces the running world's params and state: Ctrl+Z brings them back
    (the report: "nothing to undo")."""
    path = _life(tmp_path / "soup.yaml", "soup", 32, {"random": {"density": 0.35}})
    app = make_app(path, size=(1280, 960))
    c, state = app.controller, app.state
    frames(app, 3)
    params, cells = c.params, c.cells()
    click_widget(app, "panel_Evolve")  # a collapsed section of the sidebar
    frames(app, 2)
    state.evolve_ui.n, state.evolve_ui.steps = 4, 4
    frames_until(app, lambda: "evolve_new" in state.widget_rects, timeout=30)
    click_widget(app, "evolve_new")
    frames_until(app, lambda: "evolve_candidate_1" in state.widget_rects, timeout=300)
    click_widget(app, "evolve_candidate_1")
    frames_until(app, lambda: c.evolution.selected == 1, timeout=60)
    click_widget(app, "evolve_deploy")
    frames_until(app, lambda: c.history.labels()[0][-1:] == ["deploy evolve candidate 2 "
                                                             "(round 0)"], timeout=60)
    assert c.dirty and c.generation == 4
    deployed = c.params
    assert not all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in
                   zip(_leaves(deployed), _leaves(params), strict=True))
    _undo(app)
    assert c.message != "nothing to undo"
    assert all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in
               zip(_leaves(c.params), _leaves(params), strict=True))
    np.testing.assert_array_equal(c.cells(), cells)
    assert c.generation == 0 and not c.dirty


def _leaves(tree):
    import jax

    return jax.tree_util.tree_leaves(tree)


def test_saved_as_lizard_trains_and_use_latest_weights_is_undoable(make_app, tmp_path,
                                                                   no_native_dialogs):
    """Save As into another folder, then Start training from the scene's target image (the
    report: "cannot read target image"); "Use latest weights" is undone by Ctrl+Z; the same
    after the autosave's Restore."""
    from alife.app import autosave
    from alife.app.panels import training

    app = make_app(LIZARD, size=(1280, 960))
    c, state = app.controller, app.state
    frames(app, 3)
    copy = tmp_path / "elsewhere" / "deeper" / "lizard.yaml"
    copy.parent.mkdir(parents=True)
    key(app, pygame.K_s, mod=CTRL | drive.SHIFT)  # Save As: focuses the path field
    post(pygame.TEXTINPUT, text=str(copy))
    frames(app)
    key(app, pygame.K_RETURN, frames_after=4)
    assert c.world.path == copy and copy.exists(), state.log[-3:]
    block = c.world.extra["training"]
    assert (copy.parent / block["target"]).resolve() == \
        (ROOT / "assets" / "targets" / "lizard_24.png").resolve()
    assert block["out"] == "runs/nca_lizard"  # relative to the working folder: unchanged

    ui = training.ui_for(state)
    ui.target_kind = 0  # the scene's image
    ui.target_size, ui.padding, ui.batch, ui.pool_size = 6, 3, 2, 4  # a tiny run
    ui.min_steps, ui.max_steps, ui.iterations = 3, 5, 10_000
    frames(app)
    click_widget(app, "train_start")
    job = c.jobs.get("training")
    assert job is not None and ui.error == "", ui.error
    frames_until(app, lambda: job.step >= 1 or job.error is not None, timeout=600)
    assert job.error is None
    click_widget(app, "train_pause")
    frames_until(app, lambda: not job.busy, timeout=120)
    shipped = c.params
    frames_until(app, lambda: "train_use" in state.widget_rects, timeout=30)
    click_widget(app, "train_use")
    latest = job.latest_params()
    np.testing.assert_array_equal(np.asarray(c.params.w1), np.asarray(latest.w1))
    assert c.dirty and c.history.labels()[0][-1].startswith("weights of training")
    _undo(app)
    np.testing.assert_array_equal(np.asarray(c.params.w1), np.asarray(shipped.w1))
    assert not c.dirty  # back to what the saved copy holds
    _undo(app, redo=True)
    np.testing.assert_array_equal(np.asarray(c.params.w1), np.asarray(latest.w1))
    click_widget(app, "train_stop")
    job.join(120)

    # ---- the autosave of this world, restored, trains from its target image too ---------------
    assert app.autosaver.save(c.world)
    state.recovery = autosave.recovery_path()
    frames(app, 2)
    click(app, centre(app, "recovery_restore"))
    _answer(app, "discard")  # the latest weights were not saved
    assert c.world.path == autosave.recovery_path() and c.dirty
    np.testing.assert_array_equal(np.asarray(c.params.w1), np.asarray(latest.w1))
    block = c.world.extra["training"]
    assert (c.world.path.parent / block["target"]).resolve() == \
        (ROOT / "assets" / "targets" / "lizard_24.png").resolve()
    ui = training.ui_for(state)
    ui.target_kind = 0
    ui.target_size, ui.padding, ui.batch, ui.pool_size = 6, 3, 2, 4
    ui.min_steps, ui.max_steps, ui.iterations = 3, 5, 10_000
    frames(app)
    click_widget(app, "train_start")
    again = c.jobs.get("training")
    assert again is not job and ui.error == "", ui.error
    click_widget(app, "train_stop")
    again.join(300)
    assert again.error is None
