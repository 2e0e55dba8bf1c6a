"""The app's live measures (alife.app.measures_feed) through a real Controller, no screen:
points appear every few shown frames, follow the generation, go back with undo, and agree with
the instruments computed directly on the same diagram."""

from __future__ import annotations

import jax
import numpy as np

from alife.app.controller import Controller
from alife.app.measures_feed import NAMES, applies, feed_for, measure
from alife.instruments.lz76 import lz76_normalised
from alife.rules.elementary import ElementaryRule
from alife.rules.lenia import LeniaRule
from alife.rules.life import LifeRule
from alife.scene.world import World


def _controller(rule) -> Controller:
    key = jax.random.PRNGKey(0)
    params = rule.default_params()
    return Controller(World(rule, params, rule.init(key, params), key))


def test_feed_follows_a_life_run():
    c = _controller(LifeRule("B3/S23", 64, 64, density=0.4))
    feed = feed_for(c)
    assert feed is feed_for(c) and applies(c)
    assert feed.rule_lambda(c) == 140 / 512
    for _ in range(40):
        c.advance(1)
        feed.update(c)
    assert len(feed) == 4  # as soon as two frames exist, then every 10 shown frames
    gens, lz = feed.series("lz76_norm")
    assert list(gens) == [2.0, 12.0, 22.0, 32.0] and np.all((lz > 0) & (lz < 1.5))
    assert set(feed.latest()) == set(NAMES)
    assert feed.update(c) is False  # the same frame is not counted twice
    c.undo()  # back to generation 0: the future is dropped
    feed.update(c)
    assert len(feed) <= 1


def test_elementary_diagram_and_measure_agree():
    c = _controller(ElementaryRule(30, width=128, history=64, start="random"))
    feed = feed_for(c)
    c.advance(64)
    assert feed.update(c)  # the first frame gives a point at once
    diagram = np.asarray(c.view_image())[..., 0][-32:]
    assert feed.latest()["lz76_norm"] == lz76_normalised(diagram, alphabet=2)
    assert feed.latest()["lz76_norm"] > 0.9  # rule 30 looks random
    still = measure(np.zeros((8, 16), np.uint8))
    assert still["lz76_norm"] < 0.2 and still["entropy"] == 0.0 and still["activity"] == 0.0


def test_not_for_continuous_rules():
    assert not applies(_controller(LeniaRule(width=32, height=32, start="random")))


def test_panel_draws_in_the_app(make_app, tmp_path):
    """The real app offscreen: the Measures panel opens in the right column and plots."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    app = make_app(root / "scenes" / "elementary" / "rule30.yaml", size=(1100, 700))
    app.state.shown["Measures"] = True
    app.controller.toggle_play()
    for _ in range(30):
        app.frame()
    feed = feed_for(app.controller)
    assert len(feed) >= 2 and feed.latest()["lz76_norm"] > 0
    shot = tmp_path / "measures.png"
    app.frame(screenshot=str(shot))
    assert shot.exists()
