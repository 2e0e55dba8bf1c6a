"""The lean genome noise of the agents family (alife/rules/agents/noise.py) draws the very numbers
of `jax.random.normal`, `BrainSpec.normals` and `BrainSpec.random`, bit for bit, and the step's
program keeps its temporaries small next to the genomes."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.rules.agents import AgentsRule, noise
from alife.rules.agents.brain import CHUNK, BrainSpec

SMALL = BrainSpec(16, 2)


def _same(a, b) -> bool:
    leaves_a, leaves_b = jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)
    return len(leaves_a) == len(leaves_b) and all(
        np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(leaves_a, leaves_b,
                                                                    strict=True))


def test_unrolled_threefry_gives_jax_threefry_words() -> None:
    """Random keys and counters, including the all-zero and all-ones words; and the published
    known-answer vector of Threefry-2x32-20 (Random123's kat_vectors: key and counter
    0xffffffff give 0x1cb996fc 0xbb002be7)."""
    from jax.extend.random import threefry2x32_p

    rng = np.random.default_rng(5)
    words = [rng.integers(0, 2**32, (3, 700), dtype=np.uint64).astype(np.uint32)
             for _ in range(4)]
    for w in words:
        w[0, :2] = (0, 0xFFFFFFFF)
    words = [jnp.asarray(w) for w in words]
    ours = jax.jit(noise.threefry_unrolled)(*words)
    theirs = jax.jit(lambda *a: threefry2x32_p.bind(*a))(*words)
    for a, b in zip(ours, theirs, strict=True):
        assert np.array_equal(np.asarray(a), np.asarray(b))
    ones = jnp.full((1,), 0xFFFFFFFF, jnp.uint32)
    kat = [int(np.asarray(x)[0]) for x in noise.threefry_unrolled(ones, ones, ones, ones)]
    assert kat == [0x1CB996FC, 0xBB002BE7]


@pytest.mark.skipif(not noise.rows_independent(), reason="needs partitionable threefry")
def test_normal_row_is_a_row_of_jax_random_normal() -> None:
    keys = jax.random.split(jax.random.PRNGKey(11), 4)
    full = np.asarray(jax.vmap(lambda k: jax.random.normal(k, (6, CHUNK)))(keys))
    row = jax.jit(noise.normal_row)
    for r in (0, 2, 5):
        assert np.array_equal(np.asarray(row(keys, jnp.int32(r))), full[:, r])


@pytest.mark.skipif(not noise.rows_independent(), reason="needs partitionable threefry")
def test_row_noise_is_a_row_of_brain_normals() -> None:
    key = jax.random.PRNGKey(5)
    draws = SMALL.normals(key, 4)
    keys = noise.chunk_keys(SMALL, key)
    one = jax.jit(lambda r: noise.row_noise(SMALL, keys, r))
    for r in (0, 3):
        assert _same(jax.tree_util.tree_map(lambda a, r=r: a[r], draws), one(jnp.int32(r)))


@pytest.mark.skipif(not noise.rows_independent(), reason="needs partitionable threefry")
# CI time: the default suite keeps the draws against jax.random in this file (~11 s)
@pytest.mark.slow
def test_mutate_rows_matches_the_scatter_of_all_rows() -> None:
    key, k_genome = jax.random.split(jax.random.PRNGKey(9))
    genome = SMALL.random(key, 10)
    m, births, std = 4, 3, jnp.float32(0.01)
    slot = jnp.asarray([7, 2, 9, 10], jnp.int32)       # the 4th is refused (slot N: dropped)
    parent = jnp.asarray([0, 4, 5, 1], jnp.int32)

    @jax.jit
    def scatter_all(g):   # reproduction's rule before: m rows drawn, the refused dropped
        drawn = SMALL.normals(k_genome, m)
        return jax.tree_util.tree_map(
            lambda leaf, z: leaf.at[slot].set(leaf[parent] + std * z, mode="drop"), g, drawn)

    expect = scatter_all(genome)
    got = jax.jit(lambda g, b: noise.mutate_rows(SMALL, k_genome, g, slot, parent, b, std))(
        genome, jnp.int32(births))
    assert _same(expect, got)
    none = jax.jit(lambda g: noise.mutate_rows(SMALL, k_genome, g, slot, parent,
                                               jnp.int32(0), std))(genome)
    assert _same(genome, none)


@pytest.mark.parametrize("hidden, heads", [(16, 2), pytest.param(64, 4, marks=pytest.mark.slow)])
def test_fill_is_brain_random(hidden: int, heads: int) -> None:
    spec = BrainSpec(hidden, heads)
    key = jax.random.PRNGKey(7)
    expect = jax.jit(lambda k: spec.random(k, 3))(key)
    assert _same(expect, jax.jit(lambda k: noise.fill(spec, k, 3))(key))
    old = jax.tree_util.tree_map(jnp.ones_like, expect)       # overwritten in place
    assert _same(expect, jax.jit(lambda k, g: noise.fill(spec, k, 3, g))(key, old))


@pytest.mark.slow
def test_step_temporaries_are_small_next_to_the_genomes() -> None:
    """The compiled step (re-seed branch included) needs well under the State's size in
    temporaries (0.2x here; 4.6x before the founders were drawn chunk by chunk in place)."""
    from alife.core.rollout import _advance

    rule = AgentsRule(agents=64, start=16, width=32, height=32, robots=4)
    params = rule.default_params()
    state = jax.eval_shape(lambda k: rule.init(k, params), jax.random.PRNGKey(0))
    compiled = _advance.lower(rule, jax.random.PRNGKey(1), state, params,
                              np.int32(2)).compile()
    stats = compiled.memory_analysis()
    assert stats.temp_size_in_bytes < 0.3 * stats.argument_size_in_bytes


def test_run_with_donation_gives_the_same_world() -> None:
    """`rollout.run(donate=True)` (the benchmark's path: no second State per call) steps the
    same world as the plain call."""
    from alife.core.rollout import run
    from alife.rules.life import LifeRule

    rule = LifeRule("B3/S23", width=32, height=32, density=0.35)
    params = rule.default_params()
    key = jax.random.PRNGKey(2)
    plain = run(rule, key, rule.init(key, params), params, 9)
    donated = run(rule, key, rule.init(key, params), params, 9, donate=True)
    assert _same(plain, donated)
    assert int(np.asarray(plain.generation)) == 9
