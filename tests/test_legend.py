"""The colour legend (`alife.app.panels.legend.legend_for`) through a real Controller, no
window: every family's look gets a key read from its capabilities (names, the colours the
renderer draws, colour-map ranges, entity kinds and shapes, a lineage key), never from its
name; and Biomaker's reproductions are plotted summed from its exact running total."""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

import jax
import numpy as np

from alife.app.controller import Controller
from alife.app.panels import plot_view
from alife.app.panels.legend import legend_for
from alife.scene import palettes
from alife.scene.world import World


def _controller(rule) -> Controller:
    key = jax.random.PRNGKey(0)
    params = rule.default_params()
    return Controller(World(rule, params, rule.init(key, params), key))


def _app(controller, channel=-1, colormap="viridis"):
    return SimpleNamespace(controller=controller, channel=channel, colormap=colormap,
                           message_lines=False)


@cache
def _biomaker() -> Controller:
    from alife.rules.biomaker.rule import BiomakerRule

    return _controller(BiomakerRule(width=24, height=12, pool=4, net="minimal", seeds=2))


@cache
def _agents() -> Controller:
    from alife.rules.agents.rule import AgentsRule

    return _controller(AgentsRule(width=24, height=24, agents=12, start=8, robots=3,
                                  brain="small", view_agents=4, max_births=2, robot_substeps=1,
                                  perlin_res=2, log_size=64))


def test_life_and_generations_name_their_states_in_the_renderer_colours():
    from alife.rules.life import LifeRule

    data = legend_for(_app(_controller(LifeRule("B3/S23", 16, 16))))
    assert [s.name for s in data.cells] == ["dead", "alive"]
    assert [s.rgb for s in data.cells] == [palettes.DEAD, palettes.ALIVE]
    data = legend_for(_app(_controller(LifeRule("23/3/3", 16, 16))))  # Brian's brain-like
    table = palettes.lut("states", 3)
    assert [s.name for s in data.cells] == ["dead", "alive", "dying 1"]
    assert [s.rgb for s in data.cells] == [tuple(int(v) for v in table[k]) for k in range(3)]
    assert data.scale is None and not data.entities


def test_a_colour_map_look_shows_its_range():
    from alife.rules.lenia import LeniaRule

    c = _controller(LeniaRule(width=16, height=16, start="random"))
    data = legend_for(_app(c, colormap="magma"))
    assert (data.scale.quantity, data.scale.low, data.scale.high) == ("cell value", 0.0, 1.0)
    assert np.array_equal(data.scale.lut, palettes.colormap_lut("magma"))
    assert not data.cells


def test_biomaker_types_and_their_colours():
    from alife.rules.biomaker.world import COLOURS, TYPE_NAMES

    c = _biomaker()
    data = legend_for(_app(c))
    assert [s.name for s in data.cells] == list(TYPE_NAMES)
    assert [s.rgb for s in data.cells] == [tuple(int(v) for v in rgb) for rgb in COLOURS]
    for name in ("root", "leaf", "flower", "earth", "air"):
        assert name in data.names()
    # what the view draws for a root cell is the legend's root colour
    view, types = np.asarray(c.view_image()), np.asarray(c.cells())
    for k in np.unique(types):
        assert tuple(view[types == k][0]) == data.cells[int(k)].rgb


def test_biomaker_reproductions_are_summed_exactly():
    c = _biomaker()
    for _ in range(6):
        c.advance(3)  # points every 3 steps
    group = plot_view.statistics_group(c)
    series = {p.key: p.series[0] for p in group.plots}
    assert series["reproductions"].event and not series["agents"].event
    ui = SimpleNamespace(events=2, event_window=100, window=0, log={})
    _, total, estimated = plot_view.shown(series["reproductions"], ui, False)
    assert not estimated
    assert np.array_equal(total, c.metrics_log.series("reproductions_total")[1])


def test_agents_terrain_range_entity_kinds_and_lineage_key():
    from alife.rules.agents import terrain

    c = _agents()  # the founders, as the world starts (no step compiled)
    data = legend_for(_app(c))
    assert data.scale.quantity == "terrain energy"
    assert (data.scale.low, data.scale.high) == (0.0, terrain.CAPS[terrain.ENERGY])
    rows = {r.name: r for r in data.entities}
    table = c.entity_table()
    assert rows["agent"].shape == "disc" and rows["robot"].shape == "square"
    assert rows["agent"].count == int((table["kind"] == 0).sum())
    assert rows["robot"].count == int((table["kind"] == 1).sum()) == 3
    assert rows["robot"].rgb is not None and rows["agent"].rgb is None  # agents: by lineage
    assert "lineage" in rows["agent"].meaning
    # founders each have their own id; a key groups alike colours, if any
    assert all(name.startswith("colour group ") for name, _, _ in data.ids)
    assert sum(n for _, _, n in data.ids) <= rows["agent"].count
    assert data.links is not None  # message lines are named too


def test_colour_groups_gather_relatives():
    from alife.app.panels.legend import colour_groups

    red, blue = np.array([0.9, 0.2, 0.2]), np.array([0.2, 0.3, 0.9])
    rng = np.random.default_rng(0)
    colours = np.concatenate([red + rng.uniform(-0.04, 0.04, (5, 3)),
                              blue + rng.uniform(-0.04, 0.04, (3, 3)), [[0.5, 0.9, 0.5]]])
    groups = colour_groups(colours)
    assert [n for _, n in groups] == [5, 3, 1]
    assert np.abs(groups[0][0] - red).max() < 0.05 and np.abs(groups[1][0] - blue).max() < 0.05


def test_a_colour_look_says_whose_colours_they_are():
    from alife import families

    c = _controller(families.create("nca", **families.families()["nca"].example))
    data = legend_for(_app(c))
    assert "own colours" in data.note and not data.cells and data.scale is None
    data = legend_for(_app(c, channel=1))  # a picked channel goes through the colour map
    assert data.scale.quantity == "channel 1" and not data.note
