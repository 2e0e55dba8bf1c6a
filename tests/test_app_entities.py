"""Entities and the cell inspector, with a tiny fake family written here (no registered family
needed): two live walkers and one dead slot, named cell states, and an `inspect` method.

Checked through the real event loop: the window draws the two live entities as discs in their
colours (a screenshot's pixels) and not the dead one; the inspect tool shows a cell's dict;
"follow" keeps the camera on the walker as it moves. `alife render`'s frames draw the same discs.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.entities import Entities
from alife.core.errors import AlifeError
from alife.core.rule import (
    EntityWorld,
    GridEditing,
    Inspecting,
    NamedStates,
    Placing,
    Removing,
    Rule,
)
from alife.core.types import pytree_dataclass
from alife.scene.world import World

pygame = pytest.importorskip("pygame")

import app_driver as drive  # noqa: E402  (it imports pygame, skipped above if absent)

_click = drive.click
_frames = drive.frames
_post = drive.post
_screen = drive.screen_pos

pytestmark = pytest.mark.gl

H, W = 20, 30
START = np.array([[5.5, 5.5], [12.5, 20.5], [2.5, 2.5], [0.5, 0.5]], np.float32)  # cell centres
COLOURS = np.array([[1, 0, 0, 1], [0, 0.5, 1, 1], [0, 1, 0, 1], [1, 1, 1, 1]], np.float32)
ALIVE = np.array([True, True, False, False])


@pytree_dataclass
class _State:
    cells: jax.Array
    pos: jax.Array
    alive: jax.Array
    generation: jax.Array


@pytree_dataclass
class _Params:
    speed: jax.Array


class Walkers(Rule, GridEditing, EntityWorld, Inspecting, Placing, Removing, NamedStates):
    """Walkers moving one column right per step on a grid of walls (state 1) and food (2)."""

    family = "test-walkers"
    num_states = 3
    look = "states"
    state_names = ("empty", "wall", "food")

    def config(self):
        return {}

    @property
    def shape(self):
        return (H, W)

    def default_params(self):
        return _Params(jnp.asarray(1.0, jnp.float32))

    def init(self, key, params):
        cells = jnp.zeros((H, W), jnp.int32).at[15, :].set(1).at[3, 3].set(2)
        return _State(cells, jnp.asarray(START), jnp.asarray(ALIVE), jnp.asarray(0, jnp.int32))

    def step(self, key, state, params):
        pos = state.pos.at[:, 1].set((state.pos[:, 1] + params.speed) % W)
        return _State(state.cells, pos, state.alive, state.generation + 1)

    def view(self, state, params):
        return state.cells.astype(jnp.uint8)[:, :, None]

    def metrics(self, state, params):
        return {"generation": state.generation, "population": jnp.sum(state.cells != 0)}

    def entities(self, state, params):
        n = START.shape[0]
        return Entities(position=state.pos, alive=state.alive,
                        kind=jnp.zeros((n,), jnp.int32), colour=jnp.asarray(COLOURS),
                        id=jnp.arange(n, dtype=jnp.int32))

    def inspect(self, state, params, row, col):
        here = jnp.floor(state.pos).astype(jnp.int32)
        hit = state.alive & (here[:, 0] == row) & (here[:, 1] == col)
        slot = int(jnp.argmax(hit)) if bool(hit.any()) else -1
        return {"state": self.state_names[int(state.cells[row, col])], "slot": slot,
                "row": row, "col": col}

    def place_choices(self, params):
        return ("walker",)

    def place(self, state, params, row, col, choice):
        free = np.flatnonzero(~np.asarray(state.alive))
        if not len(free):
            raise AlifeError("every walker slot is taken")
        k = int(free[0])
        return _State(state.cells, state.pos.at[k].set(jnp.asarray([row + 0.5, col + 0.5])),
                      state.alive.at[k].set(True), state.generation)

    def remove_entities(self, state, params, mask):
        here = jnp.floor(state.pos).astype(jnp.int32)
        under = mask[here[:, 0] % H, here[:, 1] % W]
        return _State(state.cells, state.pos, state.alive & ~under, state.generation)

    # grid editing
    def cells(self, state):
        return state.cells

    def with_cells(self, state, cells):
        return _State(cells.astype(jnp.int32), state.pos, state.alive, state.generation)

    def paint(self, state, params, mask, value):
        v = jnp.maximum(value, 0).astype(jnp.int32)
        return _State(jnp.where(mask, v, state.cells), state.pos, state.alive, state.generation)


def _world() -> World:
    rule = Walkers()
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    return World(rule, params, rule.init(key, params), key, name="walkers",
                 description="two walkers for the tests")


@pytest.fixture()
def app(make_app):
    return make_app(_world(), size=(1280, 800))


def test_entities_drawn_inspected_and_followed(app, tmp_path):
    from PIL import Image

    c = app.controller
    _frames(app, 3)
    shot = tmp_path / "walkers.png"
    app.frame(screenshot=str(shot))
    image = np.asarray(Image.open(shot))
    for k in range(2):  # the live walkers: discs of their colours at their positions
        x, y = _screen(app, *START[k])
        assert tuple(image[y, x]) == tuple(np.round(COLOURS[k, :3] * 255).astype(int)), k
    x, y = _screen(app, *START[2])  # the dead slot: not drawn (an empty cell's colour there)
    assert tuple(image[y, x]) == tuple(image[_screen(app, 2.5, 8.5)[1], _screen(app, 2.5, 8.5)[0]])
    # a disc, not the whole cell: the cell's corner keeps the cell's colour
    cx, cy = _screen(app, 5.02, 5.02)
    assert tuple(image[cy, cx]) != (255, 0, 0)

    # ---- the inspect tool: click walker 1's cell, the panel shows its dict ----------------------
    _post(pygame.KEYDOWN, key=pygame.K_i, mod=0, unicode="", scancode=0)
    _post(pygame.KEYUP, key=pygame.K_i, mod=0, unicode="", scancode=0)
    _frames(app, 3)
    assert app.state.tool == "inspect"
    _click(app, _screen(app, *START[1]))
    assert app.state.inspected == (12, 20)
    assert c.inspect_cell(12, 20) == {"state": "empty", "slot": 1, "row": 12, "col": 20}
    assert "inspect_follow" in app.state.widget_rects  # the Inspector panel is drawn
    _click(app, app_centre(app, "inspect_follow"))
    assert app.state.follow and app.state.follow_slot == 1
    for _ in range(3):
        c.step_once()
        _frames(app)
        assert app.canvas.camera.centre == pytest.approx(c.entity_position(1))
    assert c.entity_position(1) == pytest.approx((12.5, 23.5))
    # the camera follows: the walker's disc sits at the canvas's centre
    x, y, w, h = app.canvas.rect
    assert _screen(app, *c.entity_position(1)) == (x + w // 2, y + h // 2)

    # ---- named states: the status bar and the inspector say "wall" ----------------------------
    assert c.state_name(c.cell_value(15, 0)) == "wall"
    assert c.inspect_cell(3, 3)["state"] == "food"

    # ---- the place tool puts an entity on the clicked cell; the remove tool takes it away -----
    app.state.follow = False
    for key, tool in ((pygame.K_p, "place"), (pygame.K_e, "remove")):
        _post(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
        _post(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)
        _frames(app, 3)
        assert app.state.tool == tool
        _click(app, _screen(app, 8.5, 9.5))
        positions, _ = c.entity_discs()
        placed = np.all(np.floor(positions) == (8, 9), axis=1).sum()
        assert (len(positions), placed) == ((3, 1) if tool == "place" else (2, 0)), tool
    assert c.undo() and len(c.entity_discs()[0]) == 3  # removing is undoable
    assert "place_choice" in app.state.widget_rects  # the Edit panel offers the choices
    assert c.place_at(1, 1) is None and len(c.entity_discs()[0]) == 4  # every slot taken now
    assert c.place_at(1, 2) == "cannot place walker: every walker slot is taken" == c.message
    assert c.undo() and c.undo() and len(c.entity_discs()[0]) == 2  # placing is undoable

    # ---- Alt+click inspects with any tool, even when the whole gesture lands in one frame ------
    app.state.tool = "draw"
    app.state.want_fit = True  # the camera had followed the walker: the whole world again
    _frames(app)
    before = c.cells()
    pos = _screen(app, 3.5, 3.5)
    _post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False)
    _post(pygame.KEYDOWN, key=pygame.K_LALT, mod=pygame.KMOD_LALT, unicode="", scancode=0)
    _post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False)
    _post(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False)
    _post(pygame.KEYUP, key=pygame.K_LALT, mod=0, unicode="", scancode=0)
    _frames(app, 3)
    assert app.state.inspected == (3, 3) and c.inspect_cell(3, 3)["state"] == "food"
    np.testing.assert_array_equal(c.cells(), before)  # inspected, not painted


def app_centre(app, name):
    x0, y0, x1, y1 = app.state.widget_rects[name]
    return (int((x0 + x1) / 2), int((y0 + y1) / 2))


def test_render_frames_draw_entities(gl_ctx):
    from alife.render.frames import render_frames

    world = _world()
    (frame,) = render_frames(world, steps=2, size=(W * 10, H * 10), ctx=gl_ctx)
    for k in range(2):  # moved two columns right
        row, col = START[k] + (0, 2)
        assert tuple(frame[int(row * 10), int(col * 10)]) == \
            tuple(np.round(COLOURS[k, :3] * 255).astype(int))
    row, col = START[2] + (0, 2)
    assert tuple(frame[int(row * 10), int(col * 10)]) != (0, 255, 0)
