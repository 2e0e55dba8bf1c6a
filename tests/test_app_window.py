"""The real app, driven through its own event loop (SDL offscreen window, real GL via Mesa).

One app session with many checks (the app is costly to start on a 2-core CPU): pygame events are
posted between frames exactly as SDL would deliver them, and every result is checked against an
independent truth (the headless engine's rollout, the NumPy line of cells a drag covers, the
file written and read back). A screenshot goes to test-artifacts/app_window.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

import app_driver as drive  # noqa: E402  (it imports pygame, skipped above if absent)

CTRL = drive.CTRL
SHIFT = drive.SHIFT
_cell_pos = drive.cell_pos
_centre = drive.centre
_click = drive.click
_frames = drive.frames
_key = drive.key
_move = drive.move
_post = drive.post
_type_into = drive.type_into

ROOT = Path(__file__).resolve().parents[1]
SCENE = ROOT / "scenes" / "life" / "gosper_glider_gun.yaml"
GLIDER = ROOT / "assets" / "patterns" / "glider.rle"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.gl




















@pytest.fixture()
def app(make_app):
    return make_app(SCENE, size=(1280, 800))


def test_app_session(app, tmp_path):
    import jax

    from alife.app import autosave
    from alife.app.editing import line_cells
    from alife.core.rollout import run

    c = app.controller
    _frames(app, 3)
    start_state, gen0 = c.state, c.generation
    _, _, w, h = app.canvas.rect
    fit = min(w // 128, h // 96)  # the largest whole zoom showing all 128x96 cells
    assert app.canvas.camera.zoom == min(6, fit)  # the scene's view.zoom, unless too big
    app.canvas.camera.zoom = 1.0
    _key(app, pygame.K_f)
    assert app.canvas.camera.zoom == fit

    # ---- play / pause with the space key: the same cells as the headless engine ----------------
    _key(app, pygame.K_SPACE, frames_after=8)
    _key(app, pygame.K_SPACE)
    assert not c.playing and c.generation > gen0
    want = run(c.rule, jax.random.PRNGKey(0), start_state, c.params, c.generation - gen0)
    np.testing.assert_array_equal(c.cells(), np.asarray(c.rule.cells(want)))

    # ---- the Clear button, then a brush stroke by mouse drag ---------------------------------
    _click(app, _centre(app, "clear"))
    assert c.cells().sum() == 0
    a, b = (20, 30), (26, 60)
    _move(app, _cell_pos(app, *a))
    _post(pygame.MOUSEBUTTONDOWN, pos=_cell_pos(app, *a), button=1, touch=False)
    _frames(app)
    _move(app, _cell_pos(app, *b), buttons=(1, 0, 0))
    _post(pygame.MOUSEBUTTONUP, pos=_cell_pos(app, *b), button=1, touch=False)
    _frames(app)
    want = np.zeros(c.shape, np.int32)
    for r, col in line_cells(a, b):
        want[r, col] = 1
    painted = c.cells()
    np.testing.assert_array_equal(painted, want)
    assert app.state.hovered == b

    # ---- step (n) three times, step back (b) once --------------------------------------------
    for _ in range(3):
        _key(app, pygame.K_n)
    after3 = c.generation
    _key(app, pygame.K_b)
    assert c.generation == after3 - 1
    want = run(c.rule, jax.random.PRNGKey(0), c.rule.with_cells(c.state, painted), c.params, 2)
    np.testing.assert_array_equal(c.cells(), np.asarray(c.rule.cells(want)))

    # ---- undo the stroke (Ctrl+Z), redo it (Ctrl+Y) ------------------------------------------
    _key(app, pygame.K_z, mod=CTRL)
    np.testing.assert_array_equal(c.cells(), painted)  # undo goes back to before the steps...
    _key(app, pygame.K_z, mod=CTRL)
    assert c.cells().sum() == 0  # ...then to before the stroke
    _key(app, pygame.K_y, mod=CTRL)
    np.testing.assert_array_equal(c.cells(), painted)

    # ---- a rule string typed into the Rule field; a bad one shows an inline error ------------
    _type_into(app, "rule_text", "B36/S23")
    assert c.rule_text == "B36/S23" and c.rule_error == ""
    _type_into(app, "rule_text", "B9x/S")
    assert c.rule_text == "B36/S23" and c.rule_error

    # ---- select with the mouse, copy, paste elsewhere rotated --------------------------------
    _key(app, pygame.K_s)
    assert app.state.tool == "select"
    _move(app, _cell_pos(app, 19, 29))
    _post(pygame.MOUSEBUTTONDOWN, pos=_cell_pos(app, 19, 29), button=1, touch=False)
    _frames(app)
    _move(app, _cell_pos(app, 27, 61), buttons=(1, 0, 0))
    _post(pygame.MOUSEBUTTONUP, pos=_cell_pos(app, 27, 61), button=1, touch=False)
    _frames(app)
    sel = c.selection
    assert (sel.top, sel.left, sel.bottom, sel.right) == (19, 29, 28, 62)
    _key(app, pygame.K_c, mod=CTRL)
    _key(app, pygame.K_v, mod=CTRL)
    _key(app, pygame.K_r)  # R rotates the pending paste a quarter turn clockwise
    _click(app, _cell_pos(app, 25, 100))
    pasted = np.rot90(painted[19:28, 29:62], -1)
    top, left = 25 - pasted.shape[0] // 2, 100 - pasted.shape[1] // 2
    grid = c.cells()
    np.testing.assert_array_equal(grid[top:top + pasted.shape[0], left:left + pasted.shape[1]],
                                  pasted)
    assert grid.sum() == 2 * painted.sum()

    # ---- wheel zoom about the cursor, right-drag pan, f fits again ---------------------------
    zoom = app.canvas.camera.zoom
    _move(app, _cell_pos(app, 30, 40))
    _post(pygame.MOUSEWHEEL, x=0, y=1, flipped=False, precise_x=0.0, precise_y=1.0, touch=False)
    _frames(app)
    assert app.canvas.camera.zoom > zoom
    centre = app.canvas.camera.centre
    _move(app, (600, 300))
    _post(pygame.MOUSEBUTTONDOWN, pos=(600, 300), button=3, touch=False)
    _frames(app)
    _move(app, (550, 280), buttons=(0, 0, 1), rel=(-50, -20))
    _post(pygame.MOUSEBUTTONUP, pos=(550, 280), button=3, touch=False)
    _frames(app)
    assert app.canvas.camera.centre != centre
    _key(app, pygame.K_f)
    assert app.canvas.camera.zoom == zoom
    _key(app, pygame.K_RIGHTBRACKET)
    assert app.canvas.camera.zoom == 2 * zoom
    _key(app, pygame.K_LEFTBRACKET)
    _key(app, pygame.K_LEFT)
    assert app.canvas.camera.zoom == zoom and app.canvas.camera.centre[1] < 64
    _key(app, pygame.K_f)

    # ---- Save As by typed path, change the world, open the file again: the same world ---------
    saved_cells, saved_rule, saved_gen = c.cells(), c.rule_text, c.generation
    target = tmp_path / "saved" / "world.yaml"
    assert c.own_file == SCENE  # Save (Ctrl+S) would write the scene's own file: not here
    _key(app, pygame.K_s, mod=CTRL | SHIFT)  # Save As: focuses the path field (scrolled into view)
    _post(pygame.TEXTINPUT, text=str(target))
    _frames(app)
    _key(app, pygame.K_RETURN)
    assert target.exists(), c.message
    assert c.own_file == target  # from now on Save writes the new file
    _key(app, pygame.K_r)  # reset
    assert not np.array_equal(c.cells(), saved_cells)
    _key(app, pygame.K_o, mod=CTRL)
    _post(pygame.TEXTINPUT, text=str(target))
    _frames(app)
    _key(app, pygame.K_RETURN)
    assert app.state.unsaved is not None  # the reset is not saved: asked first
    _frames(app, 2)
    _click(app, _centre(app, "unsaved_discard"))
    _frames(app, 2)  # the keys below come after the modal's button is let go
    np.testing.assert_array_equal(c.cells(), saved_cells)
    assert c.rule_text == saved_rule and c.generation == saved_gen
    assert str(target.resolve()) in autosave.recent()

    # ---- run a little so the statistics plot has a history, then a screenshot ------------------
    _key(app, pygame.K_SPACE, frames_after=32)
    _key(app, pygame.K_SPACE)
    _move(app, _cell_pos(app, 40, 40))
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "app_window.png"
    app.frame(screenshot=str(shot))
    from PIL import Image

    image = np.asarray(Image.open(shot))
    assert image.shape == (800, 1280, 3)
    # every cell's centre pixel has the colour the palette gives its state (NumPy reference)
    from alife.scene.palettes import colorize

    colours = colorize(c.view_image(), c.look, c.num_states)
    rows, cols = np.mgrid[0:c.shape[0], 0:c.shape[1]]
    xs, ys = np.vectorize(lambda r, col: _cell_pos(app, r, col))(rows, cols)
    np.testing.assert_array_equal(image[ys, xs], colours)
    assert len(np.unique(colours.reshape(-1, 3), axis=0)) == 2  # alive and dead both shown

    # ---- the world alone to a PNG and 4 frames to a GIF: no panels, no margin ------------------
    from alife.scene.palettes import OUTSIDE

    zoom = int(app.canvas.camera.zoom)
    png = ARTIFACTS / "app_world.png"
    app.state.export_request = str(png)  # the Files panel's "World PNG" button does this
    _frames(app)
    world = np.asarray(Image.open(png))
    assert world.shape == (96 * zoom, 128 * zoom, 3)
    assert not np.all(world == OUTSIDE, axis=2).any()  # no grey margin
    colours = colorize(c.view_image(), c.look, c.num_states)
    centres = world[zoom // 2::zoom, zoom // 2::zoom]
    np.testing.assert_array_equal(centres, colours)
    gif = ARTIFACTS / "app_window.gif"
    app.state.record_request = (str(gif), 4)
    _key(app, pygame.K_SPACE, frames_after=7)
    _key(app, pygame.K_SPACE)
    with Image.open(gif) as anim:
        assert anim.n_frames == 4
        assert anim.size == (128 * zoom, 96 * zoom)

    # ---- drop a pattern file on the window: it opens as a new world ---------------------------
    _post(pygame.DROPFILE, file=str(GLIDER))
    _frames(app, 3)
    assert app.state.unsaved is not None  # the run since the open is not saved: asked first
    _click(app, _centre(app, "unsaved_discard"))
    _frames(app, 2)
    assert c.cells().sum() == 5 and c.rule_text == "B3/S23"
    assert c.own_file is None  # a pattern: Save must ask for a scene path, never write the .rle

    # ---- a periodic autosave, then a clean quit: nothing is offered back next time -------------
    assert app.autosaver.save(c.world) and autosave.pending_recovery() is not None
    _post(pygame.QUIT)
    app.run()
    assert app.state.want_quit
    assert autosave.pending_recovery() is None
    assert os.environ["XDG_CONFIG_HOME"] in str(autosave.recovery_path())

    # ---- a session that died after an autosave: the next start offers that world back ----------
    from alife.app.window import App
    from alife.scene.io import load_scene

    quit_cells = c.cells()
    autosave.Autosaver().save(c.world)
    again = App(load_scene(SCENE), size=(1280, 800), vsync=False)
    try:
        assert again.state.recovery is not None
        assert not np.array_equal(again.controller.cells(), quit_cells)
        _frames(again, 3)
        _click(again, _centre(again, "recovery_restore"))
        assert again.state.recovery is None
        np.testing.assert_array_equal(again.controller.cells(), quit_cells)
        assert again.controller.rule_text == "B3/S23"
        assert again.controller.own_file is None  # Save never writes the recovery file
        assert again.controller.history.labels()[0][-1] == "open recovery.yaml"
        assert again.controller.undo()  # Restore is an undoable edit: the scene comes back
        assert not np.array_equal(again.controller.cells(), quit_cells)
        assert again.controller.own_file is not None
    finally:
        again.close()


def test_view_without_display_says_so(monkeypatch, capsys):
    from alife.cli import main

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["view", str(SCENE)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no display" in err[0] and "alife render" in err[0]
