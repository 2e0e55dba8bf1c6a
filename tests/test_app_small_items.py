"""The inspector fixes and the smaller items of issue 16, through the real app's event loop
(offscreen):

- the nearest-agents observation is a table with headings (slot, d_row, d_col, distance); a
  centred window stays a heat map;
- a tool that cannot act says why: place with every slot taken, remove with nothing under the
  brush (the status bar and a note beside the mouse);
- status-bar notes expire, and undo replaces them at once;
- Escape closes an open menu (and does nothing else);
- a world opened later (not only the first) is fitted to the window, as F does;
- the rule label shows real params as they are after a deploy (R=12.84, not the config's R=13);
- a long scene description scrolls in a short box, so the Inspector stays on screen;
- the lizard's About names the world's size.
"""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.scene.world import World

pygame = pytest.importorskip("pygame")

import app_driver as drive  # noqa: E402
from test_app_entities import START, Walkers  # noqa: E402

pytestmark = pytest.mark.gl

ROOT = Path(__file__).resolve().parents[1]
WINDOW = [[round(0.1 * (r * 5 + c), 2) for c in range(5)] for r in range(5)]
NEAREST = {"columns": ["slot", "d_row", "d_col", "distance"],
           "rows": [[1, 7.0, 15.0, 16.55], [3, -2.0, 1.0, 2.24], [2, 0.5, 0.5, 0.71]]}


class Observing(Walkers):
    family = "test-observing-walkers"

    def inspect(self, state, params, row, col):
        info = super().inspect(state, params, row, col)
        info["observation"] = {"window": WINDOW, "nearest": NEAREST}
        return info


def _world(rule=None, description="walkers") -> World:
    rule = rule or Observing()
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    return World(rule, params, rule.init(key, params), key, name="walkers",
                 description=description)


def test_inspector_table_and_tools_that_say_why(make_app, monkeypatch):
    from alife.app.panels import grids

    drawn = []
    heat, table = grids._heat, grids._table
    monkeypatch.setattr(grids, "_heat", lambda app, name, v: (drawn.append(("heat", name)),
                                                              heat(app, name, v)))
    monkeypatch.setattr(grids, "_table", lambda app, name, v, columns=None: (
        drawn.append(("table", name, tuple(columns or ()), v.shape)),
        table(app, name, v, columns)))
    app = make_app(_world(), size=(1280, 900))
    c = app.controller
    drive.frames(app, 3)
    drive.key(app, pygame.K_i)
    drive.click(app, drive.screen_pos(app, *START[0]))
    drive.frames(app, 2)
    assert ("heat", "window") in drawn
    assert ("table", "nearest", ("slot", "d_row", "d_col", "distance"), (3, 4)) in drawn
    assert not [d for d in drawn if d[:2] == ("heat", "nearest")]
    assert "grid_nearest" in app.state.widget_rects
    app.frame(screenshot=str(ROOT / "test-artifacts" / "inspector_table.png"))

    # ---- place: two free slots, then every slot is taken: the tool says why ------------------
    drive.key(app, pygame.K_p)
    assert app.state.tool == "place"
    for k, cell in enumerate(((8, 8), (9, 12))):
        drive.click(app, drive.cell_pos(app, *cell))
        assert int(np.asarray(c.state.alive).sum()) == 3 + k
    app.state.widget_rects.pop("toast", None)
    drive.click(app, drive.cell_pos(app, 10, 14))
    assert c.message == "cannot place walker: every walker slot is taken"
    assert "toast" in app.state.widget_rects  # drawn beside the mouse
    x0, y0, _, _ = app.state.widget_rects["toast"]
    mx, my = drive.cell_pos(app, 10, 14)
    assert 0 < x0 - mx <= 40 and 0 < y0 - my <= 40
    assert "status_note" in app.state.widget_rects
    app.frame(screenshot=str(ROOT / "test-artifacts" / "place_full.png"))

    # ---- remove: nothing under the brush says so and records no undo entry ---------------------
    drive.key(app, pygame.K_e)
    before = len(c.history._undo)
    drive.click(app, drive.cell_pos(app, 18, 28))
    assert c.message.startswith("nothing to remove here")
    assert len(c.history._undo) == before
    drive.click(app, drive.cell_pos(app, 8, 8))  # the walker placed there goes
    assert int(np.asarray(c.state.alive).sum()) == 3 and len(c.history._undo) == before + 1


def test_notes_expire_and_undo_replaces_them(make_app):
    from alife.app.panels import status

    app = make_app(_world(), size=(1100, 760))
    c = app.controller
    drive.frames(app, 3)
    params = c.params
    c.apply_edit("weights of training iteration 21", params=params)
    app.state.note("weights of training iteration 21")
    app.state.widget_rects.pop("status_note", None)
    drive.frames(app)
    assert "status_note" in app.state.widget_rects
    drive.key(app, pygame.K_z, mod=drive.CTRL)
    assert c.message == "undid weights of training iteration 21"
    # a note older than NOTE_SECONDS is no longer drawn
    c.message_time -= status.NOTE_SECONDS + 1
    app.state.widget_rects.pop("status_note", None)
    drive.frames(app)
    assert "status_note" not in app.state.widget_rects
    assert status.current_note(c) == ""
    app.state.note("the followed entity is gone")
    assert status.current_note(c) == "the followed entity is gone"
    assert status.current_note(c, now=c.message_time + status.NOTE_SECONDS + 0.5) == ""


def test_escape_closes_an_open_menu(make_app):
    from imgui_bundle import imgui

    app = make_app(ROOT / "scenes/life/gosper_glider_gun.yaml", size=(1100, 760))
    c = app.controller
    drive.frames(app, 3)
    c.select((2, 2), (10, 10))
    drive.click(app, (20, 10))  # the File menu in the menu bar
    drive.frames(app, 2)
    assert imgui.is_popup_open("", imgui.PopupFlags_.any_popup_id)
    drive.key(app, pygame.K_ESCAPE)
    assert not imgui.is_popup_open("", imgui.PopupFlags_.any_popup_id)
    assert c.selection is not None  # only the menu closed
    drive.key(app, pygame.K_ESCAPE)  # no menu: Escape clears the selection as before
    assert c.selection is None


def test_worlds_opened_later_fit_the_window(make_app):
    app = make_app(ROOT / "scenes/life/gosper_glider_gun.yaml", size=(1600, 1000))
    c = app.controller
    drive.frames(app, 3)
    app.canvas.camera.zoom = 13.0  # the user zoomed in
    assert c.open(ROOT / "scenes/elementary/rule30.yaml") is None  # not through the Files panel
    drive.frames(app, 3)
    _, _, w, h = app.canvas.rect
    rows, cols = c.shape
    fit = min(w / cols, h / rows)
    assert app.canvas.camera.zoom == (np.floor(fit) if fit >= 1 else pytest.approx(fit))
    assert app.canvas.camera.centre == pytest.approx((rows / 2, cols / 2))
    zoom = app.canvas.camera.zoom
    drive.key(app, pygame.K_f)
    assert app.canvas.camera.zoom == zoom  # what F does


def test_lenia_label_after_a_deploy_shows_the_real_radius():
    import dataclasses

    from alife.app.controller import Controller
    from alife.scene.io import load_scene

    c = Controller(load_scene(ROOT / "scenes/lenia/orbium.yaml"))
    c.apply_edit("deploy", params=dataclasses.replace(c.params, radius=jnp.float32(12.8437)))
    label = c.rule_label
    assert "R=12.84" in label and "R=13 " not in label and "R=13," not in label, label


def test_long_descriptions_keep_the_inspector_on_screen(make_app):
    text = " ".join(f"Line {i} of a very long scene description that goes on and on." for i in
                    range(80))
    app = make_app(_world(description=text), size=(1100, 700))
    drive.frames(app, 4)
    x0, y0, x1, y1 = app.state.widget_rects["about_text"]
    from imgui_bundle import imgui

    line = imgui.get_text_line_height_with_spacing()
    assert y1 - y0 <= 6 * line + 2
    # the Inspector (under About in the right-hand column) is drawn on screen
    app.state.inspected = (5, 5)
    drive.frames(app, 2)
    assert app.state.widget_rects["inspect_follow"][3] < 700 - 20
    drive.click_widget(app, "about_more")
    drive.frames(app, 2)
    x0, y0, x1, y1 = app.state.widget_rects["about_text"]
    assert y1 - y0 > 6 * line + 2  # "more" shows it all


def test_lizard_about_names_the_world_size():
    from alife.scene.io import load_scene

    world = load_scene(ROOT / "scenes/nca/lizard.yaml")
    h, w = world.rule.shape
    assert f"{w}x{h}" in world.description
