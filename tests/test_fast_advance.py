"""The many-step fast paths (`FastAdvance`) against a loop of `step` and against NumPy.

Life-like bit-packed rules (`bitpacked.advance`: padded double buffer) and packed elementary
rules (padded row, only the last ring-depth rows written) must give exactly the state that
`steps` calls of `step` give: words, ring buffer and generation, for every neighbourhood and
boundary, random rule tables, step counts below, at and past the ring's depth, 0 steps, and
under `vmap`. The NumPy references count neighbours cell by cell (independent of the packing).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core import rollout
from alife.rules.elementary import ElementaryRule
from alife.rules.life import LifeRule
from alife.rules.life.rule import LifeParams

HOODS = {"moore": "", "vonneumann": "V", "hex": "H"}


def _loop(rule, state, params, steps):
    step = jax.jit(rule.step)
    key = jax.random.PRNGKey(1)
    for _ in range(steps):
        state = step(rollout.step_key(key, state.generation), state, params)
    return state


def _same(a, b) -> None:
    for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


def life_reference(grid: np.ndarray, steps: int) -> np.ndarray:
    """B3/S23 on a torus, neighbours counted with np.roll."""
    g = grid.astype(np.int64)
    for _ in range(steps):
        n = sum(np.roll(np.roll(g, dy, 0), dx, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1)) - g
        g = ((n == 3) | ((g == 1) & (n == 2))).astype(np.int64)
    return g.astype(np.uint8)


@pytest.mark.parametrize("hood", list(HOODS))
@pytest.mark.parametrize("topology", ["torus", "plane"])
def test_life_advance_equals_step_loop(hood, topology):
    n = {"moore": 8, "vonneumann": 4, "hex": 6}[hood]
    rule = LifeRule(f"B3/S23{HOODS[hood]}", width=96, height=37, topology=topology,
                    density=0.4)
    assert rule.packed
    rng = np.random.default_rng([n, len(topology)])
    state = rule.init(jax.random.PRNGKey(0), rule.default_params())
    default = rule.default_params()
    for trial in range(3):
        params = default if trial == 0 else LifeParams(
            birth=jnp.asarray(rng.random(n + 1) < 0.35),
            survive=jnp.asarray(rng.random(n + 1) < 0.5), middle=default.middle)
        for steps in (0, 1, 7):
            fast = rollout.run(rule, jax.random.PRNGKey(1), state, params, steps)
            _same(fast, _loop(rule, state, params, steps))


def test_life_advance_against_numpy_on_a_torus():
    rule = LifeRule("B3/S23", width=64, height=45, topology="torus", density=0.35)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(3), params)
    start = np.asarray(rule.cells(state))
    final = rollout.run(rule, jax.random.PRNGKey(1), state, params, 60)
    np.testing.assert_array_equal(np.asarray(rule.cells(final)), life_reference(start, 60))
    assert int(final.generation) == 60


def test_life_advance_under_vmap():
    rule = LifeRule("B36/S23", width=64, height=16, density=0.4)
    params = rule.default_params()
    keys = jax.random.split(jax.random.PRNGKey(0), 3)
    states = jax.vmap(lambda k: rule.init(k, params))(keys)
    batch = rollout.run_batch(rule, keys, states, params, 9)
    for i in range(3):
        one = jax.tree_util.tree_map(lambda a, i=i: a[i], states)
        _same(jax.tree_util.tree_map(lambda a, i=i: a[i], batch), _loop(rule, one, params, 9))


def eca_reference(row: np.ndarray, number: int, steps: int) -> np.ndarray:
    """An elementary rule on a periodic row, neighbourhood index 4 left + 2 self + right."""
    r = row.astype(np.int64)
    for _ in range(steps):
        r = (number >> (4 * np.roll(r, 1) + 2 * r + np.roll(r, -1))) & 1
    return r.astype(np.uint8)


@pytest.mark.parametrize("boundary", ["periodic", "fixed0", "fixed1"])
def test_elementary_advance_equals_step_loop(boundary):
    rng = np.random.default_rng(len(boundary))
    for number in (110, 30, int(rng.integers(256))):
        rule = ElementaryRule(rule=number, width=96, boundary=boundary, start="random",
                              history=8)
        assert rule.packed
        params = rule.default_params()
        state = rule.init(jax.random.PRNGKey(number), params)
        state = rollout.run(rule, jax.random.PRNGKey(1), state, params, 3)  # mid-ring start
        for steps in (0, 1, 5, 8, 21):  # below, at and past the ring's depth
            fast = rollout.run(rule, jax.random.PRNGKey(1), state, params, steps)
            _same(fast, _loop(rule, state, params, steps))


def test_elementary_totalistic_packed_advance():
    rule = ElementaryRule(kind="totalistic", k=2, r=1, code=10, width=64, start="random",
                          history=4)
    assert rule.packed
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(2), params)
    _same(rollout.run(rule, jax.random.PRNGKey(1), state, params, 11),
          _loop(rule, state, params, 11))


def test_rule110_advance_against_numpy():
    rule = ElementaryRule(rule=110, width=128, start="random", history=16)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(5), params)
    start = np.asarray(rule.cells(state))[-1]
    final = rollout.run(rule, jax.random.PRNGKey(1), state, params, 77)
    diagram = np.asarray(rule.cells(final))
    np.testing.assert_array_equal(diagram[-1], eca_reference(start, 110, 77))
    # the ring holds the last 16 rows, oldest first
    for back in range(16):
        np.testing.assert_array_equal(diagram[-1 - back], eca_reference(start, 110, 77 - back))
