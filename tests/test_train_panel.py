"""The Training panel in the real app (SDL offscreen window, real GL via Mesa, its own event loop).

Opens the shipped lizard scene, shrinks the panel's settings to a tiny run, clicks Start, lets
the background job train while frames are drawn, clicks Pause, "Use latest weights" (checked
against the job's own snapshot and against the compiled step: no retrace), and "Save model
with scene" (the saved scene loads back with those weights and a training block).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

pygame = pytest.importorskip("pygame")

ROOT = Path(__file__).resolve().parents[1]
SCENE = ROOT / "scenes" / "nca" / "lizard.yaml"

pytestmark = pytest.mark.gl


def _frames(app, n=1):
    for _ in range(n):
        app.frame()


def _click(app, name):
    x0, y0, x1, y1 = app.state.widget_rects[name]
    pos = (int((x0 + x1) / 2), int((y0 + y1) / 2))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0),
                                         buttons=(0, 0, 0), touch=False))
    _frames(app)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False))
    _frames(app)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False))
    _frames(app)


def _frames_until(app, cond, timeout=120.0):
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        _frames(app)
        time.sleep(0.02)


@pytest.fixture()
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("SDL_VIDEODRIVER", "offscreen")
    from alife.app.window import App
    from alife.scene.io import load_scene

    try:
        application = App(load_scene(SCENE), size=(1100, 760), vsync=False)
    except Exception as exc:  # no GL 3.3 here: nothing to test
        pytest.skip(f"no OpenGL window: {exc}")
    yield application
    if not application.state.want_quit:
        application.close()


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
    assert ui.job is not None and ui.error == ""
    _frames_until(app, lambda: ui.job.step >= 3)
    _click(app, "train_pause")
    _frames_until(app, lambda: not ui.job.busy)
    assert ui.job.state == "paused"

    compiled = c.compiled()
    gen = c.generation
    c.advance(2)  # compile the world's step with the shipped weights
    traces = compiled.traces
    _click(app, "train_use")
    latest = ui.job.latest_params()
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
    ui.job.join(60)
    assert ui.job.state == "stopped" and ui.job.error is None
