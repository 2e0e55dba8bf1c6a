"""Plots people can read, and legends, through the real event loop (SDL offscreen, real GL).

- The Plots window opens from the G key and from View > Plots; each plot's data area is at
  least `MIN_PLOT_AREA` pixels tall at 1600x1000 and in a small window (the plots scroll
  rather than squash), in the window and in the right-hand Statistics column; "Enlarge" fills
  the app's window with it.
- Hovering a plot reads out the value under the cursor (the metrics log's value there).
- CSV export writes exactly the series shown (checked against the metrics log) into the folder
  typed in the window, and the status bar says where; the window of the last N generations and
  the log scale change what is shown (and exported); after undoing back to one point the axes
  hold a sane range (never the empty 1e-306..1 axis of issue 16).
- The legend lists the states' names; K hides and shows it.
- A tiny fake family (written here) with two entity kinds, named states coloured by the family
  and an event-count metric: its legend names both kinds with their shapes and a lineage key;
  the robot is drawn as a square and the agent as a disc (a screenshot's pixels); its
  per-step births are plotted and exported as a moving sum.

Screenshots go to test-artifacts/ (plots_window.png, plots_small.png, plots_entities.png).
"""

from __future__ import annotations

import csv
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.app.panels import plot_view
from alife.core.entities import Entities
from alife.core.rule import (
    ColourKey,
    EntityKind,
    EntityWorld,
    EventCounts,
    GridEditing,
    NamedStates,
    Rule,
)
from alife.core.types import pytree_dataclass
from alife.scene.world import World

pygame = pytest.importorskip("pygame")

import app_driver as drive  # noqa: E402  (it imports pygame, skipped above if absent)

pytestmark = pytest.mark.gl

ROOT = Path(__file__).resolve().parents[1]
SCENE = ROOT / "scenes" / "life" / "gosper_glider_gun.yaml"
ARTIFACTS = ROOT / "test-artifacts"
AREA = plot_view.MIN_PLOT_AREA


def _areas(app, prefix: str) -> dict[str, float]:
    return {k: r[3] - r[1] for k, r in app.state.widget_rects.items() if k.startswith(prefix)}


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as f:
        return list(csv.reader(f))


def _shot(app, name: str) -> np.ndarray:
    from PIL import Image

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    app.frame(screenshot=str(path))
    return np.asarray(Image.open(path).convert("RGB"))


def test_plots_window_at_1600x1000(make_app, tmp_path):
    app = make_app(SCENE, size=(1600, 1000))
    ui, c = app.state.plots_ui, app.controller
    log = c.metrics_log
    drive.frames(app, 3)

    # ---- the G key and View > Plots open it ---------------------------------------------------
    assert not app.state.shown.get("Plots")
    drive.key(app, pygame.K_g)
    assert app.state.shown["Plots"]
    drive.key(app, pygame.K_SPACE, frames_after=40)
    drive.key(app, pygame.K_SPACE)
    drive.frames(app, 2)
    big = _areas(app, "plots_statistics_")
    assert {"plots_statistics_alive", "plots_statistics_population"} <= set(big)
    assert min(big.values()) >= 2 * AREA  # two metrics share a tall window
    right = _areas(app, "plot_statistics_")
    assert right and min(right.values()) >= AREA  # the right-hand column's plots too
    drive.key(app, pygame.K_g)
    assert not app.state.shown["Plots"]
    drive.click_widget(app, "menu_View")
    drive.click_widget(app, "menu_Plots")
    assert app.state.shown["Plots"]
    drive.frames(app, 2)

    # ---- hover: the value at the cursor -------------------------------------------------------
    x0, y0, x1, y1 = app.state.widget_rects["plots_statistics_population"]
    drive.move(app, (int(x0 + 0.6 * (x1 - x0)), int((y0 + y1) / 2)))
    drive.frames(app, 2)
    first, second = ui.hover.split("\n")[:2]
    gen = int(first.split()[-1])
    gens, values = log.series("population")
    assert gen in gens and second == f"population: {values[list(gens).index(gen)]:.6g}"
    assert abs(gen - (gens[0] + 0.6 * (gens[-1] - gens[0]))) <= 3  # near the cursor
    drive.move(app, (5, 5))

    # ---- CSV export of exactly what is shown, where the user said -----------------------------
    folder = tmp_path / "exports"
    drive.type_into(app, "plots_folder", str(folder))
    assert ui.folder == str(folder)
    drive.click_widget(app, "plots_csv_statistics")
    files = sorted(folder.glob("*.csv"))
    assert len(files) == 1 and str(files[0]) in c.message
    rows = _rows(files[0])
    assert rows[0] == ["generation", *log.names()]
    gens = log.series(log.names()[0])[0]
    assert [float(r[0]) for r in rows[1:]] == gens.tolist()
    for j, name in enumerate(log.names(), start=1):
        assert [float(r[j]) for r in rows[1:]] == log.series(name)[1].tolist()

    # ---- the last N generations ---------------------------------------------------------------
    drive.type_into(app, "plots_window_n_statistics", "10")
    assert ui.window == 10
    last = gens[-1]
    assert plot_view.LAST_DRAWN["plots_statistics_population"]["x"] == (last - 10, last)
    drive.click_widget(app, "plots_csv_statistics")
    newest = max(folder.glob("*.csv"), key=lambda p: p.stat().st_mtime_ns)
    shown = [float(r[0]) for r in _rows(newest)[1:]]
    assert shown == [g for g in gens.tolist() if g >= last - 10] and len(shown) < len(gens)
    drive.type_into(app, "plots_window_n_statistics", "0")

    # ---- log scale: other ticks; nothing non-positive; never an empty 1e-306 axis -------------
    linear = dict(plot_view.LAST_DRAWN["plots_statistics_population"])
    drive.click_widget(app, "plots_log_statistics")
    drawn = plot_view.LAST_DRAWN["plots_statistics_population"]
    assert drawn["log"] and not linear["log"] and drawn["y"][0] > 0
    assert drawn["n"] == linear["n"] and drawn["ticks"] and drawn["y"] != linear["y"]
    drive.click_widget(app, "clear")  # back to generation 0 with population 0: one point, 0
    drive.frames(app, 2)
    assert log.series("population")[1].tolist() == [0.0]
    drawn = plot_view.LAST_DRAWN["plots_statistics_population"]
    assert drawn["n"] == 0 and drawn["y"] is None  # "no positive values", not a 1e-306 axis
    drive.key(app, pygame.K_z, mod=drive.CTRL)  # undo the clear, then the run: one point left
    drive.key(app, pygame.K_z, mod=drive.CTRL)
    assert len(log) == 1 and log.series("population")[1][0] > 0
    drawn = plot_view.LAST_DRAWN["plots_statistics_population"]
    lo, hi = drawn["y"]
    assert drawn["n"] == 1 and 0 < lo < hi and hi / lo <= 10 and len(drawn["ticks"]) >= 2

    # ---- the legend names the states; K hides and shows it ------------------------------------
    assert app.state.shown["Legend"]
    assert app.state.legend_shown.names() == ["dead", "alive"]
    drive.key(app, pygame.K_k)
    assert not app.state.shown["Legend"]
    drive.key(app, pygame.K_k)
    assert app.state.shown["Legend"]
    _shot(app, "plots_window.png")


def test_plots_in_a_small_window(make_app):
    """Opened at 1600x1000, then the app window shrinks to 900x560: the Plots window moves and
    shrinks to stay in sight, its plots keep their height (the rest scrolls), and Enlarge fills
    the small window with it."""
    from pygame._sdl2.video import Window

    app = make_app(SCENE, size=(1600, 1000))
    drive.frames(app, 2)
    drive.key(app, pygame.K_SPACE, frames_after=20)
    drive.key(app, pygame.K_SPACE)
    drive.key(app, pygame.K_g)
    Window.from_display_module().size = (900, 560)
    drive.post(pygame.VIDEORESIZE, size=(900, 560), w=900, h=560)
    drive.frames(app, 4)
    big = _areas(app, "plots_statistics_")
    right = _areas(app, "plot_statistics_")
    assert big and min(big.values()) >= AREA and right and min(right.values()) >= AREA
    first = app.state.widget_rects["plots_statistics_alive"]
    assert 0 <= first[0] and first[2] <= 900 and first[3] <= 560  # in sight, the rest scrolls
    width = first[2] - first[0]
    drive.click_widget(app, "plots_enlarge")
    drive.frames(app, 2)
    wide = app.state.widget_rects["plots_statistics_alive"]
    assert wide[2] - wide[0] > width + 100 and wide[2] <= 900
    _shot(app, "plots_small.png")
    drive.click_widget(app, "plots_enlarge")  # Restore
    drive.frames(app, 2)
    back = app.state.widget_rects["plots_statistics_alive"]
    assert abs((back[2] - back[0]) - width) < 2 and back[2] <= 900


# ---- a tiny family with two kinds of entities, coloured states and an event count ------------
H, W = 16, 20
COLOURS = ("#304050", "#a08060")


@pytree_dataclass
class _State:
    cells: jax.Array
    generation: jax.Array


@pytree_dataclass
class _Params:
    rate: jax.Array


class Hatchery(Rule, GridEditing, EntityWorld, NamedStates, ColourKey, EventCounts):
    """Still cells (soil, rock); three agents of two lineages and a robot standing still; one
    birth every fifth step."""

    family = "hatchery_test"
    num_states = 2
    look = "rgb"
    state_names = ("soil", "rock")
    state_colours = COLOURS
    event_metrics = ("births",)

    def config(self):
        return {}

    def default_params(self):
        return _Params(jnp.float32(1.0))

    @property
    def shape(self):
        return (H, W)

    def init(self, key, params):
        del key, params
        cells = jnp.zeros((H, W), jnp.int32).at[:, W // 2:].set(1)
        return _State(cells, jnp.int32(0))

    def step(self, key, state, params):
        del key, params
        return _State(state.cells, state.generation + 1)

    def view(self, state, params):
        del params
        table = jnp.asarray([[0x30, 0x40, 0x50], [0xA0, 0x80, 0x60]], jnp.uint8)
        return table[state.cells]

    def metrics(self, state, params):
        del params
        births = (state.generation % 5 == 0).astype(jnp.int32)
        return {"generation": state.generation, "births": births, "alive": jnp.int32(4)}

    def cells(self, state):
        return state.cells

    def with_cells(self, state, cells):
        return _State(jnp.asarray(cells, jnp.int32), state.generation)

    def paint(self, state, params, mask, value):
        return _State(jnp.where(mask, jnp.int32(value), state.cells), state.generation)

    def entities(self, state, params):
        del params
        return Entities(
            position=jnp.asarray([[4.0, 5.0], [11.0, 5.0], [4.0, 15.0], [11.0, 15.0]]),
            alive=jnp.ones((4,), bool),
            kind=jnp.asarray([0, 0, 0, 1], jnp.int32),
            colour=jnp.asarray([[1, 0.2, 0.2, 1], [1, 0.2, 0.2, 1], [0.2, 1, 0.2, 1],
                                [0.9, 0.9, 0.95, 1]], jnp.float32),
            id=jnp.asarray([7, 7, 9, 0], jnp.int32))

    def entity_kinds(self):
        return (EntityKind("agent", "disc", "lineage: relatives look alike"),
                EntityKind("robot", "square"))


def test_entities_legend_shapes_and_event_counts(make_app, tmp_path):
    rule = Hatchery()
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    app = make_app(World(rule, params, rule.init(key, params), key, name="hatchery"),
                   size=(1600, 1000))
    ui, c = app.state.plots_ui, app.controller
    drive.key(app, pygame.K_SPACE, frames_after=30)
    drive.key(app, pygame.K_SPACE)
    drive.frames(app, 2)

    # ---- the legend: coloured states, both kinds with their shapes, a lineage key --------------
    data = app.state.legend_shown
    assert [(s.name, s.rgb) for s in data.cells] == [("soil", (0x30, 0x40, 0x50)),
                                                     ("rock", (0xA0, 0x80, 0x60))]
    kinds = {(r.name, r.shape, r.count) for r in data.entities}
    assert kinds == {("agent", "disc", 3), ("robot", "square", 1)}
    assert data.id_label == "agents by lineage"
    assert [(name, n) for name, _, n in data.ids] == [("lineage 7", 2), ("lineage 9", 1)]

    # ---- drawn shapes: the robot's square fills the corner its disc would leave empty ---------
    image = _shot(app, "plots_entities.png")
    r = max(0.45 * app.canvas.camera.zoom, 4.0)
    d = int(round(0.8 * r))  # diagonal: inside a square (half-side 0.85 r), outside a disc (r)
    for (row, col), square in (((11.0, 15.0), True), ((4.0, 15.0), False)):
        x, y = drive.screen_pos(app, row, col)
        centre, corner = image[y, x].astype(int), image[y + d, x + d].astype(int)
        rock = np.array([0xA0, 0x80, 0x60])
        assert np.abs(centre - rock).sum() > 60  # an entity is there
        assert (np.abs(corner - rock).sum() > 60) == square, (row, col, corner)

    # ---- births per step, plotted and exported summed over the last N generations -------------
    assert _areas(app, "plot_statistics_births")["plot_statistics_births"] >= AREA
    assert "plot_events_statistics" in app.state.widget_rects  # the counts control is offered
    assert ui.events == 1  # a moving sum by default
    ui.folder, ui.event_window = str(tmp_path), 10
    drive.frames(app, 1)
    drive.click_widget(app, "plot_csv_statistics")
    path = next(tmp_path.glob("*.csv"))
    rows = _rows(path)
    col = rows[0].index("births (sum of last 10)")
    gens, per_step = c.metrics_log.series("births")
    assert np.all(np.diff(gens) == 1)  # one step a frame: every step was seen
    want = [per_step[(gens > g - 10) & (gens <= g)].sum() for g in gens]
    assert [float(r[col]) for r in rows[1:]] == want
    assert max(want) == 2 and int(per_step.max()) == 1  # summed: not a row of zeros and ones
