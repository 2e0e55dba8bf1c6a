"""The LifeRule contract: config round trips (bounded suffix wins), rule text as params without
recompiling, paint/cells/metrics/view, random soups, and the fast-path switch."""

from __future__ import annotations

import importlib.util

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.errors import AlifeError
from alife.core.topology import Topology
from alife.families import create
from alife.rules.life import LifeRule

HAS_BITPACKED = importlib.util.find_spec("alife.rules.life.bitpacked") is not None
FAST = [False] + ([True] if HAS_BITPACKED else [])


def test_registered_and_config_round_trip():
    rule = create("life", rule="b36/s23", width=40, height=30, topology="plane", density=0.2)
    assert isinstance(rule, LifeRule)
    cfg = rule.config()
    assert cfg == {"rule": "b36/s23", "width": 40, "height": 30, "topology": "plane",
                   "density": 0.2}
    assert rule.rule_text(rule.default_params()) == "B36/S23"
    assert LifeRule(" B2/S/C3 ", 8, 8).config()["rule"] == "B2/S/C3"
    assert create("life", **cfg).config() == cfg
    assert LifeRule(fast=False).config()["fast"] is False


@pytest.mark.parametrize(("text", "shape", "topology"), [
    ("B3/S23:T20,10", (10, 20), Topology("torus")),
    ("B3/S23:P7,9", (9, 7), Topology("plane")),
    ("B3/S23:K16*,12", (12, 16), Topology("klein", "x")),
    ("B3/S23:K16,12*", (12, 16), Topology("klein", "y")),
    ("B3/S23:C10,12", (12, 10), Topology("cross")),
    ("R2,C0,M1,S2..3,B3..3,NM:S12", (12, 12), Topology("sphere")),
])
def test_bounded_suffix_sets_size_and_topology(text, shape, topology):
    rule = LifeRule(text, width=99, height=77, topology="torus")
    assert rule.shape == shape and rule.topology == topology
    rebuilt = create("life", **rule.config())
    assert rebuilt.config() == rule.config()
    assert rebuilt.shape == shape and rebuilt.topology == topology


def _count_traces(rule):
    traces = []

    def step(k, s, p):
        traces.append(1)
        return rule.step(k, s, p)

    return jax.jit(step), traces


@pytest.mark.parametrize(("first", "second"), [
    ("B3/S23", "B36/S23"), ("B3/S23", "23/3"), ("B2-a/S12", "B3/S23-k"),
    ("B2/S/C3", "345/2/3"), ("B2/S3V", "B13/S0V"),
    ("R5,C0,M1,S34..58,B34..45,NM", "R5,C0,M0,S20..40,B30..31,NM"),
])
def test_same_structure_rule_text_changes_params_only(first, second):
    rule = LifeRule(first, 32, 24)
    params = rule.default_params()
    step, traces = _count_traces(rule)
    state = rule.init(jax.random.PRNGKey(0), params)
    state = rule.with_cells(state, jax.random.bernoulli(jax.random.PRNGKey(1), 0.4,
                                                        rule.shape).astype(jnp.int32))
    a = step(None, state, params)
    same, new_params = rule.apply_rule_text(second, params)
    assert same is rule
    b = step(None, state, new_params)
    assert len(traces) == 1, "a new rule string of the same structure recompiled"
    assert rule.rule_text(new_params) == LifeRule(second, 8, 8).spec.canonical()
    assert rule.rule_text(params) == LifeRule(first, 8, 8).spec.canonical()
    # the new params really run the new rule
    fresh = LifeRule(second, 32, 24)
    expect = fresh.step(None, fresh.with_cells(fresh.init(jax.random.PRNGKey(0),
                                                          fresh.default_params()),
                                               rule.cells(state)), fresh.default_params())
    np.testing.assert_array_equal(np.asarray(rule.cells(b)), np.asarray(fresh.cells(expect)))
    orig = LifeRule(first, 32, 24)
    expect_a = orig.step(None, orig.with_cells(orig.init(jax.random.PRNGKey(0),
                                                         orig.default_params()),
                                               rule.cells(state)), orig.default_params())
    np.testing.assert_array_equal(np.asarray(rule.cells(a)), np.asarray(orig.cells(expect_a)))


@pytest.mark.parametrize("second", ["B2-a/S12", "B3/S23/C4", "B3/S23V", "B3/S23H",
                                    "R1,C0,M0,S2..3,B3..3,NM", "R2,C0,M1,S2..3,B3..3,NM"])
def test_structural_change_gives_a_new_rule_on_the_same_grid(second):
    rule = LifeRule("B3/S23", 40, 30, "klein-y", density=0.25)
    new, params = rule.apply_rule_text(second, rule.default_params())
    assert new is not rule and isinstance(new, LifeRule)
    assert new.shape == rule.shape and new.topology == rule.topology
    assert new.density == rule.density
    assert new.rule_text(params) == LifeRule(second, 8, 8).spec.canonical()


def test_rule_text_with_a_suffix_resizes():
    rule = LifeRule("B3/S23", 40, 30)
    new, _ = rule.apply_rule_text("B3/S23:P16,8", rule.default_params())
    assert new.shape == (8, 16) and new.topology == Topology("plane")
    assert new.rule_text(new.default_params()) == "B3/S23:P16,8"
    same, _ = new.apply_rule_text("B36/S23", new.default_params())
    assert same is new and same.rule_text(_) == "B36/S23:P16,8"
    with pytest.raises(AlifeError, match="elementary"):
        rule.apply_rule_text("W110", rule.default_params())


@pytest.mark.parametrize("fast", FAST)
def test_paint_cells_metrics_view(fast):
    rule = LifeRule("B3/S23", 64, 16, fast=fast)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    assert int(rule.population(state)) == 0
    mask = jnp.zeros(rule.shape, bool).at[2:5, 10:20].set(True)
    state = rule.paint(state, params, mask, jnp.asarray(1.0))
    assert int(rule.metrics(state, params)["population"]) == 30
    state = rule.paint(state, params, mask.at[2:5, 10:15].set(False), jnp.asarray(-1.0))
    cells = np.asarray(rule.cells(state))
    assert cells.dtype == np.int32 and cells.sum() == 15 and cells[2:5, 10:15].all()
    view = np.asarray(rule.view(state, params))
    assert view.shape == (16, 64, 1) and view.dtype == np.uint8
    np.testing.assert_array_equal(view[:, :, 0], cells)
    state = rule.paint(state, params, mask, jnp.asarray(7.0))  # clipped to the top state
    assert np.asarray(rule.cells(state)).max() == 1
    grid = np.random.default_rng(0).integers(0, 2, rule.shape)
    np.testing.assert_array_equal(np.asarray(rule.cells(rule.with_cells(state, grid))), grid)
    assert rule.packed == (fast and HAS_BITPACKED)


def test_generations_states_metrics_and_paint():
    rule = LifeRule("/2/4", 10, 8)
    assert rule.num_states == 4 and rule.look == "states"
    assert LifeRule("B3/S23", 8, 8).look == "binary" and LifeRule("B3/S23", 8, 8).num_states == 2
    params = rule.default_params()
    grid = np.zeros((8, 10), np.int32)
    grid[1, 1], grid[2, 2], grid[3, 3], grid[4, 4] = 1, 2, 3, 1
    state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), grid)
    m = rule.metrics(state, params)
    assert (int(m["generation"]), int(m["population"]), int(m["alive"])) == (0, 4, 2)
    state = rule.paint(state, params, jnp.zeros((8, 10), bool).at[0, 0].set(True), 2)
    assert int(np.asarray(rule.cells(state))[0, 0]) == 2
    state = rule.with_cells(state, np.full((8, 10), 9))  # out-of-range states are clipped
    assert np.asarray(rule.cells(state)).max() == 3
    assert "/2/4" in rule.describe()


def test_random_soup_density():
    rule = LifeRule("B3/S23", 128, 128, density=0.3)
    state = rule.init(jax.random.PRNGKey(5), rule.default_params())
    frac = float(rule.population(state)) / (128 * 128)
    assert abs(frac - 0.3) < 0.02
    other = rule.init(jax.random.PRNGKey(6), rule.default_params())
    assert not np.array_equal(np.asarray(rule.cells(state)), np.asarray(rule.cells(other)))
    assert int(LifeRule("B3/S23", 16, 16).init(jax.random.PRNGKey(0),
                                               None).generation) == 0


@pytest.mark.skipif(not HAS_BITPACKED, reason="no bit-packed module")
def test_fast_and_generic_paths_agree_on_a_soup():
    fast = LifeRule("B36/S23", 96, 40, "torus", density=0.4)
    slow = LifeRule("B36/S23", 96, 40, "torus", density=0.4, fast=False)
    assert fast.packed and not slow.packed
    from alife.core.rollout import run

    key = jax.random.PRNGKey(3)
    a = run(fast, key, fast.init(key, fast.default_params()), fast.default_params(), 25)
    b = run(slow, key, slow.init(key, slow.default_params()), slow.default_params(), 25)
    np.testing.assert_array_equal(np.asarray(fast.cells(a)), np.asarray(slow.cells(b)))
    assert int(a.generation) == int(b.generation) == 25
