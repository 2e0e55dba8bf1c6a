"""Controller unit tests (no GL): stepping, rewind, undo/redo, editing, paste transforms, speed
fitting, and param changes without recompiling (traces counted).

The world is a small toroidal Life written here in a few lines of JAX, checked against a NumPy
reference, plus a noisy one-param rule for the slider/recompile test; the registered families
are exercised through the real app in tests/test_app_window.py.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from alife.app import editing
from alife.app.controller import Controller
from alife.app.history import Rewind
from alife.app.speed import Speed
from alife.core.rule import GridEditing, Placing, Rule, RuleText
from alife.core.types import param, pytree_dataclass
from alife.scene.world import World


@pytree_dataclass
class _State:
    cells: jax.Array
    generation: jax.Array


@pytree_dataclass
class _Params:
    birth: jax.Array = param(0, 8, "neighbour count for birth", integer=True)


class _Life(Rule, GridEditing, RuleText):
    """Toroidal Life with the birth count as a (traced) param."""

    family = "test_life"

    def __init__(self, height: int = 16, width: int = 16) -> None:
        self._shape = (height, width)

    def config(self):
        return {"height": self._shape[0], "width": self._shape[1]}

    @property
    def shape(self):
        return self._shape

    def default_params(self):
        return _Params(jnp.asarray(3, jnp.int32))

    def init(self, key, params):
        cells = (jax.random.uniform(key, self._shape) < 0.3).astype(jnp.int32)
        return _State(cells, jnp.asarray(0, jnp.int32))

    def step(self, key, state, params):
        c = state.cells
        n = sum(jnp.roll(c, (dy, dx), (0, 1)) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                if dy or dx)
        new = ((n == params.birth) | ((c == 1) & (n == 2))).astype(jnp.int32)
        return _State(new, state.generation + 1)

    def view(self, state, params):
        return (state.cells * 255).astype(jnp.uint8)[:, :, None]

    def metrics(self, state, params):
        return {"generation": state.generation, "population": jnp.sum(state.cells)}

    def paint(self, state, params, mask, value):
        v = jnp.maximum(value, 0).astype(jnp.int32)
        return _State(jnp.where(mask, v, state.cells), state.generation)

    def cells(self, state):
        return state.cells

    def with_cells(self, state, cells):
        return _State(cells.astype(jnp.int32), state.generation)

    def rule_text(self, params):
        return f"B{int(params.birth)}/S2"

    def apply_rule_text(self, text, params):
        from alife.core.errors import AlifeError

        if not (text.startswith("B") and text.endswith("/S2") and text[1:-3].isdigit()):
            raise AlifeError(f"bad rule {text!r}; expected 'B<n>/S2'")
        return self, _Params(jnp.asarray(int(text[1:-3]), jnp.int32))


def _np_life(c: np.ndarray, birth: int = 3) -> np.ndarray:
    n = sum(np.roll(c, (dy, dx), (0, 1)) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    return ((n == birth) | ((c == 1) & (n == 2))).astype(np.int32)


def _controller(h=16, w=16) -> Controller:
    rule = _Life(h, w)
    params = rule.default_params()
    key = jax.random.PRNGKey(1)
    return Controller(World(rule, params, rule.init(key, params), key))


def test_steps_match_reference_and_rewind_goes_back():
    c = _controller()
    start = c.cells()
    c.step_once()
    np.testing.assert_array_equal(c.cells(), _np_life(start))
    c.playing = True
    c.speed.exponent = 2  # 4 generations per frame
    assert c.tick() == 0  # pipelined: the chunk is dispatched now, shown next frame
    assert c.sync() == 4 and c.generation == 5
    expect = start
    for _ in range(5):
        expect = _np_life(expect)
    np.testing.assert_array_equal(c.cells(), expect)
    assert c.step_back() and c.generation == 1 and not c.playing
    np.testing.assert_array_equal(c.cells(), _np_life(start))
    assert c.step_back() and c.generation == 0
    np.testing.assert_array_equal(c.cells(), start)
    assert not c.step_back()
    # the metrics log follows the rewind: no points from the abandoned future
    gens, pop = c.metrics_log.series("population")
    assert gens.tolist() == [0.0] and pop[0] == start.sum()


def test_rewind_respects_memory_budget():
    state = {"a": jnp.zeros((100,), jnp.int32)}  # 400 bytes each
    r = Rewind(budget_bytes=1000)
    for _ in range(5):
        r.push(state, None)
    assert len(r) == 2 and r.nbytes == 800


def test_brush_undo_redo_and_selection():
    c = _controller()
    c.clear()
    blank = c.cells()
    assert blank.sum() == 0
    c.brush_radius = 1
    c.brush_value = 1
    c.begin_stroke(5, 2)
    c.continue_stroke(5, 9)
    c.end_stroke()
    grid = c.cells()
    # radius 1 is a 3x3 tip: dragged over columns 2..9 it covers rows 4..6, columns 1..10
    assert grid[4:7, 1:11].all() and grid.sum() == 3 * 10
    c.brush_value = -1  # damage brush erases
    c.brush_radius = 0
    c.begin_stroke(5, 5)
    c.end_stroke()
    assert c.cells()[5, 5] == 0 and c.cells().sum() == grid.sum() - 1
    assert c.undo()
    np.testing.assert_array_equal(c.cells(), grid)
    assert c.undo()
    np.testing.assert_array_equal(c.cells(), blank)
    assert c.redo()
    np.testing.assert_array_equal(c.cells(), grid)
    # selection: copy, clear, paste back at the same place restores it
    c.select((4, 1), (6, 10))
    assert c.copy_selection()
    assert c.clipboard.shape == (3, 10)
    c.cut_selection()
    assert c.cells().sum() == 0
    assert c.start_paste()
    c.paste_at(4, 1, centered=False)
    np.testing.assert_array_equal(c.cells(), grid)
    # RLE of the clipboard parses back to the same cells
    from alife.scene.rle import parse_rle

    np.testing.assert_array_equal(parse_rle(c.clipboard_rle()).cells, c.clipboard)
    # a new edit clears redo
    c.undo()
    c.random_fill(0.5)
    assert not c.history.can_redo


def test_paste_transforms_and_wrap():
    glider = np.array([[0, 1, 0], [0, 0, 1], [1, 1, 1]])
    # clockwise quarter turn: the left column (read bottom-up) becomes the top row
    np.testing.assert_array_equal(editing.transform(glider, 1), [[1, 0, 0], [1, 0, 1], [1, 1, 0]])
    np.testing.assert_array_equal(editing.transform(glider, 4), glider)
    np.testing.assert_array_equal(editing.transform(glider, flip_x=True), glider[:, ::-1])
    np.testing.assert_array_equal(editing.transform(glider, 2), glider[::-1, ::-1])
    c = _controller(8, 8)
    c.clear()
    c.start_paste(glider)
    c.paste_rotate, c.paste_flip_y = 1, True
    c.paste_at(7, 7, centered=False)  # wraps around both edges
    want = np.zeros((8, 8), int)
    t = editing.transform(glider, 1, flip_y=True)
    for r in range(3):
        for col in range(3):
            want[(7 + r) % 8, (7 + col) % 8] = t[r, col]
    np.testing.assert_array_equal(c.cells(), want)
    # the glider keeps gliding under the rule: 4 generations later it is the same shape, moved
    c.start_paste(glider)
    c.clear()
    c.paste_at(1, 1, centered=False)
    before = c.cells()
    for _ in range(4):
        c.step_once()
    np.testing.assert_array_equal(c.cells(), np.roll(before, (1, 1), (0, 1)))


def test_rule_text_and_params_do_not_recompile():
    c = _controller()
    comp = c.compiled()
    c.step_once()
    traces = comp.traces
    assert traces == 1
    assert c.apply_rule_text("B9/S") is not None and "expected" in c.rule_error
    assert c.apply_rule_text("B2/S2") is None and c.rule_text == "B2/S2" and not c.rule_error
    before = c.cells()
    c.step_once()
    np.testing.assert_array_equal(c.cells(), _np_life(before, birth=2))
    c.set_param("birth", 4)
    assert c.param_values()["birth"] == 4
    c.playing = True
    for e in (0, 3, 1):
        c.speed.exponent = e
        c.tick()
    assert comp.traces == traces, "a param change or a new step count recompiled the step"
    stepped = _np_life(before, birth=2)
    assert c.undo() and c.rule_text == "B4/S2"  # back to where the second run started
    np.testing.assert_array_equal(c.cells(), stepped)
    assert c.undo() and c.rule_text == "B2/S2"  # then before the slider (an edit too)
    np.testing.assert_array_equal(c.cells(), stepped)
    assert c.undo() and c.rule_text == "B2/S2"  # then before the first run
    np.testing.assert_array_equal(c.cells(), before)
    assert c.undo() and c.rule_text == "B3/S2"  # then before the rule change


def test_rebuild_resizes_and_keeps_cells_centred():
    c = _controller(8, 8)
    c.clear()
    c.start_paste(np.ones((2, 2), int))
    c.paste_at(3, 3, centered=False)
    # rebuilding goes through the registry, so register the test family for the call
    from alife import families
    from alife.core.family import Family

    families.register(Family("test_life", _Life, "test"))
    try:
        assert c.rebuild(height=12, width=10) is None
    finally:
        families.unregister("test_life")
    assert c.shape == (12, 10)
    grid = c.cells()
    assert grid.sum() == 4 and grid[5:7, 4:6].all()
    assert c.undo() and c.shape == (8, 8)


def test_speed_model():
    s = Speed(base=2, exponent=3)
    assert s.steps_this_frame() == 8
    s.exponent = -2
    assert [s.steps_this_frame() for _ in range(8)] == [0, 0, 0, 1, 0, 0, 0, 1]
    s.faster()
    s.faster()
    s.faster()
    assert s.exponent == 1
    # fastest, pipelined: a chunk computes while the UI draws (5 ms); it costs 2 ms + 0.1 ms a
    # step. The chunk grows while hidden behind the UI, then settles where it fills one frame
    # of the 40 fps budget, so the window keeps 40 frames/s.
    f = Speed(fastest=True, target_fps=40)
    for _ in range(40):
        n = f.steps_this_frame()
        sim = 0.002 + n * 1e-4
        f.observe(n, sim, max(sim - 0.005, 0.0), 0.005)
    frame = max(0.005, 0.002 + f.chunk * 1e-4)
    assert 1 / frame >= 38 and f.chunk > 0.8 * (1 / 40 - 0.002) / 1e-4
    # a sudden slowdown (10x per step) shrinks the chunk at once
    n = f.steps_this_frame()
    f.observe(n, n * 1e-3, n * 1e-3 - 0.005, 0.005)
    assert f.chunk <= n / 9
    # a UI slower than the budget (100 ms) still leaves the simulation 1.5x the UI's time
    slow = Speed(fastest=True, target_fps=30, chunk=1000)
    slow.observe(1000, 0.3, 0.2, 0.1)
    assert slow.chunk == 500


def test_pipelined_chunk_is_dropped_after_an_edit():
    c = _controller()
    c.playing = True
    c.tick()  # dispatches one generation from the soup
    c.clear()  # an edit while it computes
    assert c.tick() == 0 and c.cells().sum() == 0  # the stale chunk is not shown
    assert c.sync() == 1 and c.generation == 1 and c.cells().sum() == 0
    c.tick()
    c.toggle_play()  # pausing drops the chunk in flight: what is shown stays
    assert c.sync() == 0 and c.generation == 1


def test_paste_rle_text_and_pattern_file():
    c = _controller(12, 12)
    c.clear()
    assert "header" in c.load_pattern_text("bo$2bo$3o!")  # no 'x = , y =' line: an error
    assert c.load_pattern_text("x = 3, y = 3, rule = B3/S23\nbo$2bo$3o!") is None
    c.paste_flip_x = True
    c.paste_at(6, 6)  # centred on the cell
    want = np.zeros((12, 12), int)
    want[5:8, 5:8] = np.array([[0, 1, 0], [0, 0, 1], [1, 1, 1]])[:, ::-1]
    np.testing.assert_array_equal(c.cells(), want)
    from pathlib import Path

    glider = Path(__file__).resolve().parents[1] / "assets" / "patterns" / "glider.rle"
    assert c.load_pattern_file(str(glider)) is None
    assert c.pending_paste().sum() == 5
    assert "not found" in (c.load_pattern_file("/nonexistent.rle") or "")


def test_world_rebuild_keeps_params_that_still_fit():
    """The World panel's Apply: a wider world for every family keeps trained weights and rule
    tables (pytrees of the same shapes), and the cells stay centred."""
    from alife.scene.io import load_scene

    for scene in ("scenes/nca/lizard.yaml", "scenes/vitca/digits.yaml",
                  "scenes/life/highlife_replicator.yaml"):
        c = Controller(load_scene(scene))
        before = jax.tree_util.tree_leaves(c.params)
        population = int(np.count_nonzero(c.cells()))
        h, w = c.rule.shape
        assert c.rebuild(width=w + 32) is None, scene
        assert c.rule.shape[1] == w + 32
        after = jax.tree_util.tree_leaves(c.params)
        assert len(after) == len(before)
        for a, b in zip(before, after, strict=True):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
        assert int(np.count_nonzero(c.cells())) == population
        c.undo()
        assert c.rule.shape == (h, w)
    c = Controller(load_scene("scenes/life/highlife_replicator.yaml"))
    assert c.rebuild(width=-5) is not None  # an error message, not an exception
    assert "topology" in c.rebuild(topology="mobius")


def test_toggle_brush_erases_a_live_cell_as_golly_does():
    c = _controller()
    c.clear()
    c.brush_value = 1
    c.begin_stroke(4, 4)          # an empty cell: the stroke paints
    c.continue_stroke(4, 6)
    c.end_stroke()
    assert c.cells()[4, 4:7].tolist() == [1, 1, 1]
    c.begin_stroke(4, 5)          # a live cell: the whole stroke erases (state 0)
    c.continue_stroke(4, 6)
    c.end_stroke()
    assert c.cells()[4, 4:7].tolist() == [1, 0, 0]
    c.brush_mode = "paint"        # paint mode: always the brush's state
    c.begin_stroke(4, 4)
    c.end_stroke()
    assert c.cells()[4, 4] == 1 and c.cells().sum() == 1
    assert c.history.labels()[0][-2:] == ["erase", "brush"]


def test_rule_label_follows_typed_rules_bits_and_params():
    from alife.families import create

    c = _controller()
    assert "B3/S2" in c.rule_label
    assert c.apply_rule_text("B4/S2") is None
    assert "B4/S2" in c.rule_label and "B3/S2" not in c.rule_label
    rule = create("elementary", rule=110, width=32, history=8)
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    e = Controller(World(rule, params, rule.init(key, params), key))
    assert "W110" in e.rule_label
    assert e.apply_rule_text(f"W{110 ^ (1 << 3)}") is None  # a toggled bit, as the panel does
    assert "W102" in e.rule_label and "W110" not in e.rule_label
    lenia = create("lenia", width=64, height=64)
    lp = lenia.default_params()
    ctl = Controller(World(lenia, lp, lenia.init(key, lp), key))
    ctl.set_param("mu", 0.1234)  # a slider
    assert "m=0.1234" in ctl.rule_label


def test_save_never_replaces_another_file(tmp_path):
    c = _controller()
    assert c.own_file is None
    assert c.save() is not None  # no scene file yet: Save must ask (Save As)
    other = tmp_path / "other.yaml"
    other.write_text("precious\n")
    assert c.would_overwrite(other)
    assert c.save(other) is not None and other.read_text() == "precious\n"
    mine = tmp_path / "mine"  # ".yaml" is added
    assert c.save(mine) is None and c.own_file == tmp_path / "mine.yaml"
    c.step_once()
    assert not c.would_overwrite(tmp_path / "mine.yaml") and c.save() is None
    assert c.save(other, overwrite=True) is None and "precious" not in other.read_text()


def test_state_names_and_inspector_are_optional():
    c = _controller()
    assert c.state_names == () and c.state_name(1.0) == "1"
    assert not c.can_inspect and c.inspect_cell(0, 0) is None
    assert not c.has_entities and c.entity_discs() is None and c.entity_position(0) is None


def test_inspector_rows_and_plain_values():
    from alife.app.controller_inspect import plain
    from alife.app.panels.inspector import flatten

    info = plain({"slot": np.int32(3), "energy": jnp.float32(1.5),
                  "obs": {"near": np.arange(3), "big": np.zeros((40, 40))}})
    assert info == {"slot": 3, "energy": 1.5,
                    "obs": {"near": [0, 1, 2], "big": "array float64 [40, 40]"}}
    assert flatten(info) == [("slot", 3), ("energy", 1.5), ("obs", ""), ("  near", [0, 1, 2]),
                             ("  big", "array float64 [40, 40]")]


class _Seeded(_Life, Placing):
    """_Life with a Biomaker-style place tool: a seed of program p marks the top cell of a
    column; a column whose top cell is taken has no room (AlifeError)."""

    def place_choices(self, params):
        return tuple(f"seed: program {p}" for p in range(4))

    def place(self, state, params, row, col, choice):
        from alife.core.errors import AlifeError

        if int(state.cells[0, col]):
            raise AlifeError(f"no room in column {col}")
        return _State(state.cells.at[0, col].set(1 + choice % 7), state.generation)


def test_place_is_an_undoable_edit_and_says_why_it_cannot():
    rule = _Seeded(8, 8)
    params = rule.default_params()
    key = jax.random.PRNGKey(1)
    c = Controller(World(rule, params, rule.init(key, params), key))
    c.clear()
    assert c.can_place and not c.can_remove and len(c.place_choices) == 4
    c.place_choice = 2
    assert c.place_at(5, 3) is None
    assert c.cells()[0, 3] == 3 and c.cells().sum() == 3
    assert c.history.labels()[0][-1] == "place seed: program 2 at x 3, y 5"
    assert c.place_at(6, 3) == "cannot place seed: program 2: no room in column 3" == c.message
    assert c.history.labels()[0][-1] == "place seed: program 2 at x 3, y 5"  # nothing recorded
    assert c.undo() and c.cells().sum() == 0
    assert c.place_at(99, 3) is None and c.cells().sum() == 0  # outside the grid: nothing
    plain = _controller()
    assert not plain.can_place and plain.place_choices == ()
    assert plain.place_at(1, 1) == "the test_life family places nothing"
