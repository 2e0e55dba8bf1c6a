"""The app as a user meets it, through the real event loop (SDL offscreen window, Mesa GL).

Resizing the window and clicking where things now are; Save / Save As never replacing another
file without asking, with the usual permissions; the About panel; the toggle brush and x, y in
the status bar; a continuous family (Lenia) without grid lines by default, with a typed slider
value and a title that follows it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

import app_driver as drive  # noqa: E402  (it imports pygame, skipped above if absent)

cell_pos = drive.cell_pos
centre = drive.centre
click = drive.click
frames = drive.frames
key = drive.key
post = drive.post
type_into = drive.type_into

ROOT = Path(__file__).resolve().parents[1]
GUN = ROOT / "scenes" / "life" / "gosper_glider_gun.yaml"
ORBIUM = ROOT / "scenes" / "lenia" / "orbium.yaml"

pytestmark = pytest.mark.gl
















def test_resize_keeps_layout_and_clicks_land(make_app):
    """Grow the window as a window manager would (SDL resizes it and pygame reports
    WINDOWSIZECHANGED; a VIDEORESIZE as on X11 too): the panels move, the fitted world is fitted
    again, and a button and a cell are hit at their new places."""
    from pygame._sdl2.video import Window

    from alife.app.panels import status

    app = make_app(GUN, size=(1000, 700))
    c = app.controller
    frames(app, 3)
    assert app.state.shown.get("About")  # the gun's description is on show
    old_hide = centre(app, "about_hide")
    old_zoom = app.canvas.camera.zoom
    key(app, pygame.K_f)  # fitted
    fitted = app.canvas.camera.zoom

    Window.from_display_module().size = (1280, 800)
    post(pygame.VIDEORESIZE, size=(1280, 800), w=1280, h=800)
    frames(app, 3)
    x, y, w, h = app.canvas.rect
    assert app.canvas.scale == 1.0  # framebuffer pixels per window pixel: not the stale surface
    assert y + h < 800 and x + w > 1000 - 330  # the canvas grew with the window
    assert app.canvas.camera.zoom == min(w // 128, h // 96) >= fitted  # fitted again
    new_hide = centre(app, "about_hide")
    assert new_hide[0] - old_hide[0] == 280  # the right column moved with the right edge
    del old_zoom

    # a cell clicked after the resize is the cell painted (toggle brush: a second click erases)
    c.clear()
    click(app, cell_pos(app, 40, 50))
    want = np.zeros(c.shape, np.int32)
    want[40, 50] = 1
    np.testing.assert_array_equal(c.cells(), want)
    assert "x 50, y 40 = 1" in status.parts(app.state)  # column, row
    click(app, cell_pos(app, 40, 50))
    assert c.cells().sum() == 0
    # a fast move from a panel onto the grid and a click, all in one frame (xdotool does this)
    post(pygame.MOUSEMOTION, pos=centre(app, "clear"), rel=(0, 0), buttons=(0, 0, 0), touch=False)
    frames(app, 2)
    pos = cell_pos(app, 41, 51)
    post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False)
    post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False)
    post(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False)
    frames(app, 3)
    assert c.cells()[41, 51] == 1 and c.cells().sum() == 1
    # one move from a panel onto the grid: the status bar names the cell under the mouse
    post(pygame.MOUSEMOTION, pos=centre(app, "clear"), rel=(0, 0), buttons=(0, 0, 0), touch=False)
    frames(app, 2)
    post(pygame.MOUSEMOTION, pos=cell_pos(app, 41, 51), rel=(0, 0), buttons=(0, 0, 0),
         touch=False)
    frames(app, 2)
    assert "x 51, y 41 = 1" in status.parts(app.state)
    # ...and the Hide button, at its new place
    click(app, new_hide)
    assert app.state.shown["About"] is False


def test_save_writes_own_file_and_asks_before_replacing(make_app, tmp_path):
    old_umask = os.umask(0o022)
    try:
        app = make_app(GUN)
        c = app.controller
        frames(app, 3)
        first = tmp_path / "mine.yaml"
        key(app, pygame.K_s, mod=pygame.KMOD_LCTRL | pygame.KMOD_LSHIFT)  # Save As
        post(pygame.TEXTINPUT, text=str(first))
        frames(app)
        key(app, pygame.K_RETURN, frames_after=4)
        assert first.exists() and c.own_file == first, c.message
        assert stat.S_IMODE(first.stat().st_mode) == 0o644
        for extra in tmp_path.glob("mine*"):
            assert stat.S_IMODE(extra.stat().st_mode) == 0o644, extra

        # Ctrl+S now writes that file (the world's own) after an edit
        c.step_once()
        key(app, pygame.K_s, mod=pygame.KMOD_LCTRL)
        from alife.scene.io import load_scene

        assert load_scene(first).generation == c.generation == 1

        # Save As onto another existing file: a question first; Cancel keeps it
        other = tmp_path / "other.yaml"
        other.write_text("keep me\n")
        other.chmod(0o600)
        app.state.save_path = ""
        type_into(app, "save_path", str(other))
        frames(app, 2)
        assert app.state.overwrite_request == str(other)
        click(app, centre(app, "overwrite_no"))
        assert other.read_text() == "keep me\n" and c.own_file == first
        # asked again, Replace writes it, keeping its own permissions
        type_into(app, "save_path", str(other))
        frames(app, 2)
        click(app, centre(app, "overwrite_yes"))
        assert load_scene(other).generation == 1 and c.own_file == other
        assert stat.S_IMODE(other.stat().st_mode) == 0o600

        # a world image onto an existing file asks too (the Files panel's "World PNG" button)
        picture = tmp_path / "picture.png"
        picture.write_bytes(b"not yours")
        app.state.write_request("export", str(picture))
        frames(app, 2)
        click(app, centre(app, "overwrite_no"))
        assert picture.read_bytes() == b"not yours"
        app.state.write_request("export", str(picture))
        frames(app, 2)
        click(app, centre(app, "overwrite_yes"))
        frames(app)
        assert picture.read_bytes()[:4] == b"\x89PNG"
    finally:
        os.umask(old_umask)


def test_continuous_world_fine_slider_and_title(make_app):
    app = make_app(ORBIUM)
    c = app.controller
    frames(app, 3)
    assert app.state.grid_lines is False  # continuous look: no grid lines by default
    assert "m=0.15" in app._title
    # Ctrl+click on the mu slider types an exact value (finer than a pixel of the slider)
    rect = centre(app, "param_mu")
    post(pygame.KEYDOWN, key=pygame.K_LCTRL, mod=pygame.KMOD_LCTRL, unicode="", scancode=0)
    frames(app, 2)
    post(pygame.MOUSEMOTION, pos=rect, rel=(0, 0), buttons=(0, 0, 0), touch=False)
    frames(app)
    post(pygame.MOUSEBUTTONDOWN, pos=rect, button=1, touch=False)
    frames(app)
    post(pygame.MOUSEBUTTONUP, pos=rect, button=1, touch=False)
    post(pygame.KEYUP, key=pygame.K_LCTRL, mod=0, unicode="", scancode=0)
    frames(app, 3)
    key(app, pygame.K_a, mod=pygame.KMOD_LCTRL)  # select what is there
    post(pygame.TEXTINPUT, text="0.1513")
    frames(app)
    key(app, pygame.K_RETURN, frames_after=4)
    assert abs(c.param_values()["mu"] - 0.1513) < 1e-6
    assert "m=0.1513" in app._title and "m=0.1513" in c.rule_label


def test_fine_slider_steps_are_small_for_lenia():
    """Lenia's sigma slider is logarithmic; the drag box moves mu and sigma by a small fraction
    of their typical values per pixel (mu ~0.15, sigma ~0.015)."""
    from alife.app.panels.params import slider_setup
    from alife.rules.lenia import LeniaRule

    specs = {s.name: s for s in LeniaRule(width=64, height=64).param_specs()}
    log_sigma, sigma_speed = slider_setup(specs["sigma"])
    log_mu, mu_speed = slider_setup(specs["mu"])
    assert log_sigma and not log_mu  # mu's range starts at 0: linear
    assert sigma_speed < 0.015 * 0.002 and mu_speed < 0.15 * 0.001
    # a logarithmic slider 200 px wide moves sigma by under 3 % of 0.015 per pixel
    lo, hi = specs["sigma"].low, specs["sigma"].high
    assert 0.015 * np.log(hi / lo) / 200 < 0.03 * 0.015
