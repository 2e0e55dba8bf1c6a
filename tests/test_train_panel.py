"""The lizard and the Training panel in the real app (SDL offscreen window, Mesa GL, event loop).

Opens the shipped lizard scene, plays it (space key) until the lizard has grown, cuts it with a
damage-brush drag and plays on until it has regrown (MSE to the training target, before and
after, from the app's own state; a screenshot goes to test-artifacts/nca_regrow.png). Then
shrinks the panel's settings to a tiny run, clicks Start, lets
the background job train while frames are drawn, clicks Pause, "Use latest weights" (checked
against the job's own snapshot and against the compiled step: no retrace), and "Save model
with scene" (the saved scene loads back with those weights and a training block).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

import app_driver as drive  # noqa: E402  (it imports pygame, skipped above if absent)

_click = drive.click_widget
_drag = drive.drag
_frames = drive.frames
_frames_until = drive.frames_until
_key = drive.key

ROOT = Path(__file__).resolve().parents[1]
SCENE = ROOT / "scenes" / "nca" / "lizard.yaml"

pytestmark = pytest.mark.gl














@pytest.fixture()
def app(make_app):
    return make_app(SCENE, size=(1100, 760))


def test_lizard_grows_and_regrows_in_the_app(app):
    import jax.numpy as jnp

    from alife.rules.nca.train_step import pad_target
    from alife.rules.nca.training import load_target

    c = app.controller
    target = np.asarray(pad_target(jnp.asarray(load_target(
        ROOT / "assets" / "targets" / "lizard_24.png", 24)), *c.shape))

    def mse():
        return float(np.mean((np.asarray(c.state.x[..., :4]) - target) ** 2))

    _frames(app, 3)
    seed_mse = mse()
    _key(app, pygame.K_SPACE)
    _frames_until(app, lambda: c.generation >= 150)
    _key(app, pygame.K_SPACE)
    grown = mse()
    assert grown < 0.02 * seed_mse  # the lizard is there (seed-only MSE is ~50x higher)

    # the Edit panel's "damage" brush, one dab of radius 4 (a disc ~40% of the lizard's width,
    # like the training damage; a long stroke down the whole spine is beyond what it learned)
    c.brush_value, c.brush_radius = -1.0, 4
    _drag(app, (30, 31), (31, 32), steps=1)
    hurt = mse()
    assert hurt > 20 * grown
    gen = c.generation
    _key(app, pygame.K_SPACE)
    _frames_until(app, lambda: c.generation >= gen + 200)
    _key(app, pygame.K_SPACE)
    ARTIFACTS = ROOT / "test-artifacts"
    ARTIFACTS.mkdir(exist_ok=True)
    app.frame(screenshot=str(ARTIFACTS / "nca_regrow.png"))
    assert mse() < 2 * grown  # regrown


def test_training_panel_trains_swaps_and_saves(app, tmp_path):
    from alife.app.panels import training
    from alife.scene.io import load_scene

    c = app.controller
    _frames(app, 3)
    ui = training.ui_for(app.state)
    assert ui.target_size == 24 and training.EXPERIMENTS[ui.experiment] == "regenerating"
    ui.target_size, ui.padding, ui.batch, ui.pool_size = 6, 3, 2, 4  # a tiny run
    ui.min_steps, ui.max_steps, ui.iterations = 3, 5, 10_000
    _frames(app)
    _click(app, "train_start")
    job = c.jobs.get("training")  # the panel starts the controller's job, never its own
    assert job is not None and ui.error == ""
    _frames_until(app, lambda: job.step >= 3)
    _click(app, "train_pause")
    _frames_until(app, lambda: not job.busy)
    assert job.state == "paused"
    _frames(app, 2)  # the loss plot: readable, log scale with labelled ticks (issue 16)
    from alife.app.panels import plot_view

    x0, y0, x1, y1 = app.state.widget_rects["plot_loss_loss"]
    drawn = plot_view.LAST_DRAWN["plot_loss_loss"]
    assert y1 - y0 >= plot_view.MIN_PLOT_AREA and drawn["log"] and len(drawn["ticks"]) >= 2
    assert 0 < drawn["y"][0] < drawn["y"][1] and drawn["n"] == len(job.losses()[0])

    compiled = c.compiled()
    gen = c.generation
    c.advance(2)  # compile the world's step with the shipped weights
    traces = compiled.traces
    _click(app, "train_use")
    latest = job.latest_params()
    np.testing.assert_array_equal(np.asarray(c.params.w1), np.asarray(latest.w1))
    np.testing.assert_array_equal(np.asarray(c.params.w2), np.asarray(latest.w2))
    c.advance(2)
    assert c.generation == gen + 4 and compiled.traces == traces  # no recompile

    target = tmp_path / "trained" / "mine.yaml"
    ui.save_path = str(target)
    _frames(app)
    _click(app, "train_save")
    assert target.exists(), (ui.error, c.message)
    back = load_scene(target)
    np.testing.assert_array_equal(np.asarray(back.params.w1), np.asarray(latest.w1))
    block = back.extra["training"]
    assert block["target_size"] == 6 and block["steps"] == [3, 5]
    assert Path(block["target"]).name == "lizard_24.png"

    _click(app, "train_stop")
    job.join(60)
    assert job.state == "stopped" and job.error is None
