"""Compiling is visible and does not freeze: the first Play of a world whose step is slow to
compile, through the real app's event loop (offscreen).

A tiny family written here stands in for a slow one (agents and Biomaker take 10-70 s): its
`step`, while being traced, waits 3 s and traces a few hundred operations (Python work that
holds the GIL, as tracing a big family does). After Space the window keeps drawing at >= 10
frames per second while the step compiles on a worker thread, the status bar says "compiling
test-slow step... N s", and once compiled the world runs and equals the headless engine's run.
Step (N) before any Play compiles in the background the same way. The slow test does the same
with the real agents family.
"""

from __future__ import annotations

import time

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.rule import GridEditing, Rule
from alife.core.types import pytree_dataclass
from alife.scene.world import World

pygame = pytest.importorskip("pygame")

import app_driver as drive  # noqa: E402

pytestmark = [pytest.mark.gl, pytest.mark.serial]  # frame rates measured: run alone

H, W = 24, 32
TRACE_SECONDS = 3.0


@pytree_dataclass
class _State:
    cells: jax.Array
    generation: jax.Array


@pytree_dataclass
class _Params:
    rate: jax.Array


class SlowToCompile(Rule, GridEditing):
    """Cells drift one column right per step; tracing the step takes TRACE_SECONDS."""

    family = "test-slow"
    num_states = 2
    look = "binary"

    def __init__(self, label: str = "a") -> None:
        self.label = label  # a new label: a new rule, so a new compile

    def config(self):
        return {"label": self.label}

    @property
    def shape(self):
        return (H, W)

    def default_params(self):
        return _Params(jnp.asarray(1.0, jnp.float32))

    def init(self, key, params):
        cells = jnp.zeros((H, W), jnp.int32).at[5, 3].set(1).at[10, 7].set(1)
        return _State(cells, jnp.asarray(0, jnp.int32))

    def step(self, key, state, params):
        time.sleep(TRACE_SECONDS)  # at trace time only: the compiled step does not sleep
        x = state.cells.astype(jnp.float32)
        for _ in range(300):  # Python-heavy tracing, as a big family's
            x = x * params.rate + 0.0
        return _State(jnp.roll(x.astype(jnp.int32), 1, axis=1), state.generation + 1)

    def view(self, state, params):
        return state.cells.astype(jnp.uint8)[:, :, None]

    def metrics(self, state, params):
        return {"generation": state.generation, "population": jnp.sum(state.cells)}

    def cells(self, state):
        return state.cells

    def with_cells(self, state, cells):
        return _State(jnp.asarray(cells, jnp.int32), state.generation)

    def paint(self, state, params, mask, value):
        return _State(jnp.where(mask, jnp.int32(value), state.cells), state.generation)


def _world(label: str) -> World:
    rule = SlowToCompile(label)
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    return World(rule, params, rule.init(key, params), key, name="slow")


def _frames_while(app, busy, timeout=120.0):
    """Run frames while `busy()`; (frames, seconds, what the status bar said)."""
    said = set()
    count, t0 = 0, time.perf_counter()
    while busy():
        assert time.perf_counter() - t0 < timeout, "timed out"
        app.state.widget_rects.pop("status_compiling", None)  # drawn again this frame?
        app.frame()
        count += 1
        text = app.controller.compiling  # (the compile may end between the frame and here)
        if "status_compiling" in app.state.widget_rects and text:
            said.add(text.split("...")[0])
    return count, time.perf_counter() - t0, said


def test_first_play_compiles_in_the_background(make_app):
    app = make_app(_world("play"), size=(1000, 700), background_compile=True)
    c = app.controller
    drive.frames(app, 3)
    start = c.state
    drive.key(app, pygame.K_SPACE, frames_after=1)
    assert c.playing and c.compiling.startswith("compiling test-slow step... ")
    frames, seconds, said = _frames_while(app, lambda: c.generation == 0)
    fps = frames / seconds
    print(f"compile {seconds:.1f} s, {frames} frames, {fps:.0f} fps while compiling")
    assert seconds >= TRACE_SECONDS * 0.9  # the compile really ran while the frames came
    assert fps >= 10, fps
    assert said == {"compiling test-slow step"}
    assert not c.compiling
    drive.frames(app, 5)
    drive.key(app, pygame.K_SPACE)
    c.sync()
    assert not c.playing and c.generation > 1
    from alife.core.rollout import run

    want = run(c.rule, c.world.key, start, c.params, c.generation)
    np.testing.assert_array_equal(c.cells(), np.asarray(c.rule.cells(want)))
    # the status bar's frame rate was measured while compiling too (not "0 fps")
    assert app.state.frames_per_second > 0


def test_first_step_compiles_in_the_background(make_app):
    app = make_app(_world("step"), size=(1000, 700), background_compile=True)
    c = app.controller
    drive.frames(app, 3)
    drive.key(app, pygame.K_n, frames_after=1)
    assert not c.playing and c.compiling
    drive.key(app, pygame.K_n, frames_after=1)  # pressed again while compiling: said, not lost
    assert "step again when it is done" in c.message
    frames, seconds, _ = _frames_while(app, lambda: c.generation == 0)
    assert frames / seconds >= 10 and c.generation == 1
    drive.key(app, pygame.K_n)  # compiled now: one step at once
    assert c.generation == 2


@pytest.mark.slow
def test_agents_first_play_keeps_drawing(make_app):
    """The real agents family (small): its step compiles for seconds; frames keep coming."""
    from alife.rules.agents.rule import AgentsRule

    rule = AgentsRule(width=32, height=32, agents=16, start=8, robots=2, brain="small",
                      view_agents=4, max_births=2, robot_substeps=1, perlin_res=2, log_size=64)
    params = rule.default_params()
    key = jax.random.PRNGKey(3)
    app = make_app(World(rule, params, rule.init(key, params), key, name="agents"),
                   size=(1000, 700), background_compile=True)
    c = app.controller
    drive.frames(app, 3)
    drive.key(app, pygame.K_SPACE, frames_after=1)
    frames, seconds, said = _frames_while(app, lambda: c.generation == 0, timeout=600)
    print(f"agents compile {seconds:.1f} s, {frames / seconds:.0f} fps while compiling")
    assert said == {"compiling agents step"} and frames / seconds >= 10
