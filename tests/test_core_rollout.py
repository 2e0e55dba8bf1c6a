"""`alife.core.rollout`: recording observations every k steps, with and without a memo."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core import rollout
from alife.rules.life.rule import LifeRule

RULE = LifeRule("B3/S23", 24, 20, density=0.4, fast=False)


def _population(state) -> jax.Array:
    return jnp.sum(RULE.cells(state) == 1, dtype=jnp.int32)


@pytest.fixture(scope="module")
def world():
    rule = RULE
    key = jax.random.PRNGKey(0)
    params = rule.default_params()
    return rule, key, rule.init(key, params), params


def test_run_observe_stacks_the_observation_of_each_recorded_state(world):
    rule, key, state, params = world
    final, states = rollout.run(rule, key, state, params, 11, record_every=3)
    final2, pops = rollout.run(rule, key, state, params, 11, record_every=3, observe=_population)
    np.testing.assert_array_equal(np.asarray(final.data), np.asarray(final2.data))
    assert pops.shape == (3,)
    np.testing.assert_array_equal(np.asarray(pops), np.asarray(jax.vmap(_population)(states)))
    with pytest.raises(ValueError, match="record_every"):
        rollout.run(rule, key, state, params, 3, observe=_population)


def test_record_threads_a_memo_and_can_lead_with_the_start(world):
    rule, key, state, params = world

    def changed(s, prev):
        cells = rule.cells(s)
        n = jnp.int32(0) if prev is None else jnp.sum(cells != prev, dtype=jnp.int32)
        return n, cells

    final, ys = jax.jit(lambda s: rollout.record(rule, key, s, params, 4, 2, changed,
                                                  start=True))(state)
    _, states = rollout.run(rule, key, state, params, 8, record_every=2)
    frames = np.concatenate([np.asarray(rule.cells(state))[None],
                             np.asarray(jax.vmap(rule.cells)(states))])
    want = [0] + [int((frames[i + 1] != frames[i]).sum()) for i in range(4)]
    np.testing.assert_array_equal(np.asarray(ys), want)
    np.testing.assert_array_equal(np.asarray(rule.cells(final)), frames[-1])
