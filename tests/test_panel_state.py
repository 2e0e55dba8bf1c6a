"""Panel settings and evolution sessions belong to one app: two apps in one process (or an app
closed and a new one opened) never share the Training or Evolve panel's settings, nor an
evolution session. No window: the panels' own functions on `AppState`s with real Controllers."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

pytest.importorskip("imgui_bundle")

from alife.app.controller import Controller  # noqa: E402
from alife.app.panels import evolve, training  # noqa: E402
from alife.app.state import AppState, EvolveUI, TrainingUI  # noqa: E402
from alife.scene.io import load_scene  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LIZARD = ROOT / "scenes" / "nca" / "lizard.yaml"


def _app() -> AppState:
    return AppState(Controller(load_scene(LIZARD)))


def test_two_apps_keep_their_own_panel_settings():
    a, b = _app(), _app()
    ua, ub = training.ui_for(a), training.ui_for(b)
    assert ua is not ub and ua.target_size == ub.target_size == 24  # both from the scene
    ua.target_size, ua.save_path = 6, "mine.yaml"
    a.evolve_ui.n, a.evolve_ui.steps, a.evolve_ui.playing = 3, 2, True
    assert training.ui_for(b).target_size == 24 and training.ui_for(b).save_path == "trained.yaml"
    assert b.evolve_ui == EvolveUI()
    evolve.new_round(a)
    assert a.evolve_ui.error == "" and a.controller.evolution.session.n == 3
    assert b.controller.evolution.session is None  # a session is its controller's own


def test_a_reopened_app_starts_from_the_defaults():
    first = _app()
    ui = training.ui_for(first)
    ui.iterations, ui.lr = 7, 1.0
    first.evolve_ui.steps = 5
    del first, ui
    gc.collect()  # the old ids may be reused: nothing may be found under them
    again = _app()
    assert again.evolve_ui == EvolveUI()
    fresh = training.ui_for(again)
    assert fresh.iterations == 4000 and fresh.lr == TrainingUI().lr
