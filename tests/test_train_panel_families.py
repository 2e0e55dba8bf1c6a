"""The Training and Evolve panels serve families by what they declare, not by name: a ViTCA
world (a trainer with its own data set, no target image) shows the Training panel, starts the
controller's training job from the scene's `training:` block, and shows the Evolve panel; an
elementary world (no trainer, no genome) shows neither. No window: the panels' own functions
on a real Controller."""

from __future__ import annotations

import jax
import pytest

pytest.importorskip("imgui_bundle")

from alife.app.controller import Controller  # noqa: E402
from alife.app.panels import evolve, training  # noqa: E402
from alife.app.state import AppState  # noqa: E402
from alife.rules.elementary import ElementaryRule  # noqa: E402
from alife.rules.vitca import ViTCARule  # noqa: E402
from alife.scene.world import World  # noqa: E402

TINY = {"size": 8, "iterations": 50, "steps": 2, "batch": 2, "pool": 2, "fresh": 1,
        "eval_every": 1000, "eval_images": 2, "unlock_start": 1, "unlock_end": 2,
        "remat": False}


def _app(rule, extra=None) -> AppState:
    key = jax.random.PRNGKey(0)
    params = rule.default_params()
    world = World(rule, params, rule.init(key, params), key, extra=dict(extra or {}))
    return AppState(Controller(world))


@pytest.mark.slow  # 17 s; the panel trains the lizard by default (test_train_panel)
def test_vitca_world_trains_from_the_panel():
    app = _app(ViTCARule(width=8, height=8, channels=1, hidden=2, embed=8, heads=1, mlp=8),
               {"training": TINY})
    c = app.controller
    assert training.PANEL.applies(c) and evolve.PANEL.applies(c)
    assert c.jobs.can_train() and not c.jobs.trains_to_image()
    ui = training.ui_for(app)
    assert ui.block == TINY  # the scene's block is what the panel edits
    ui.block["iterations"] = 3
    training.start(app)
    job = c.jobs.get("training")
    assert ui.error == "" and job is not None
    job.join(300)
    assert job.error is None and job.state == "done" and job.step == 3, job.error
    assert training.use_latest(app)  # the trained weights swap into the running world
    c.advance(1)


def test_elementary_world_shows_neither_panel():
    c = _app(ElementaryRule(110, width=16, history=8)).controller
    assert not training.PANEL.applies(c) and not evolve.PANEL.applies(c)
