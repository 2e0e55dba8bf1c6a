"""Switching engines keeps the view: an edit that turns a HashLife world into a grid window, and
Run > Run with HashLife, are the same pattern on another engine, so the step exponent the user
set and the window's view (`world_serial`: a new one makes the window re-fit the view from the
scene's view block) stay. Before, the exponent fell back to 2^0 and the view jumped mid-stroke
(seen by hand on Langton's loops).
"""

from __future__ import annotations

import numpy as np

from alife.app.controller import Controller
from alife.app.controller_hashlife import HashLifeRun, hashlife_world
from alife.rules.life.hashlife import Universe


def test_edit_and_switch_back_keep_the_step_exponent_and_the_view():
    u = Universe.for_rule("B3/S23")
    u.set_cells(np.array([1, 2, 0, 1, 2]), np.array([0, 1, 2, 2, 2]))
    c = Controller(hashlife_world(HashLifeRun(u, lambda: u), "glider"))
    c.speed.exponent = 7
    serial = c.world_serial
    c.begin_stroke(-5, -5)
    c.end_stroke()
    assert c.world.universe is None  # now a grid window
    assert c.speed.exponent == 7 and c.world_serial == serial
    assert c.switch_to_hashlife() is None, c.message
    assert c.world.universe is not None
    assert c.speed.exponent == 7 and c.world_serial == serial
    assert c.world.universe.population == 6  # the glider and the cell drawn


def test_the_rule_label_of_a_hashlife_world_names_hashlife_not_the_blank_window():
    """The About panel, the Rule panel and the window title said "64x64 plane" for a HashLife
    world (the small blank window its rule keeps), e.g. for Devore-rep's 106,968-cell line."""
    u = Universe.for_rule("B3/S23")
    u.set_cells(np.array([0, 1, 2]), np.array([0, 0, 0]))
    c = Controller(hashlife_world(HashLifeRun(u, lambda: u), "blinker"))
    h, w = c.shape
    assert f"{w}x{h}" not in c.rule_label and "HashLife" in c.rule_label
    assert "B3/S23" in c.rule_label
    c.begin_stroke(0, 0)  # an edit: a grid window again, whose size the label gives
    c.end_stroke()
    h, w = c.shape
    assert f"{w}x{h} plane" in c.rule_label and "HashLife" not in c.rule_label
