"""The bit-packed Life-like kernel against a tiny NumPy reference: random B/S tables, Moore /
von Neumann / hex, torus and plane, random grids, many steps, exact equality; plus known
patterns (blinker, glider) and that a new rule does not recompile."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.topology import Topology
from alife.rules.life import bitpacked

OFFSETS = {
    "moore": [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)],
    "vonneumann": [(-1, 0), (1, 0), (0, -1), (0, 1)],
    # Golly's hex emulation: Moore without top-right (-1, +1) and bottom-left (+1, -1)
    "hex": [(-1, -1), (-1, 0), (0, -1), (0, 1), (1, 0), (1, 1)],
}


def reference_step(grid: np.ndarray, birth: np.ndarray, survive: np.ndarray, hood: str,
                   torus: bool) -> np.ndarray:
    """Plain NumPy: count neighbours cell by offset, then apply the B/S tables."""
    h, w = grid.shape
    padded = np.pad(grid, 1, mode="wrap" if torus else "constant").astype(np.int64)
    count = np.zeros((h, w), np.int64)
    for dy, dx in OFFSETS[hood]:
        count += padded[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w]
    return np.where(grid == 1, survive[count], birth[count]).astype(np.uint8)


def test_encode_decode_round_trip():
    rng = np.random.default_rng(0)
    grid = (rng.random((5, 96)) < 0.5).astype(np.uint8)
    data = bitpacked.encode(jnp.asarray(grid))
    assert data.shape == (5, 3) and data.dtype == jnp.uint32
    np.testing.assert_array_equal(np.asarray(bitpacked.decode(data, grid.shape)), grid)
    # bit layout: cell x is bit x % 32 of word x // 32
    one = np.zeros((1, 64), np.uint8)
    one[0, 33] = 1
    assert np.asarray(bitpacked.encode(jnp.asarray(one))).tolist() == [[0, 2]]


def test_supports():
    torus, plane, klein = Topology("torus"), Topology("plane"), Topology("klein")
    assert bitpacked.supports("moore", 2, (10, 64), torus)
    assert bitpacked.supports("hex", 2, (1, 32), plane)
    assert not bitpacked.supports("moore", 3, (10, 64), torus)
    assert not bitpacked.supports("moore", 2, (10, 48), torus)
    assert not bitpacked.supports("moore", 2, (10, 64), klein)
    assert not bitpacked.supports("circular", 2, (10, 64), torus)


@pytest.mark.parametrize("hood", ["moore", "vonneumann", "hex"])
@pytest.mark.parametrize("kind", ["torus", "plane"])
def test_random_rules_match_reference(hood, kind):
    n = bitpacked.NEIGHBOURS[hood]
    topology = Topology(kind)
    rng = np.random.default_rng([len(hood), len(kind)])
    step = jax.jit(bitpacked.step, static_argnums=(3, 4))
    shapes = [(33, 96), (1, 32)]
    for trial in range(6):
        h, w = shapes[trial % len(shapes)]
        birth = rng.random(n + 1) < 0.4
        survive = rng.random(n + 1) < 0.5
        if trial == 0:  # include Life itself
            birth, survive = np.zeros(n + 1, bool), np.zeros(n + 1, bool)
            birth[3], survive[2:4] = True, True
        grid = (rng.random((h, w)) < rng.uniform(0.1, 0.9)).astype(np.uint8)
        data = bitpacked.encode(jnp.asarray(grid))
        for _ in range(12):
            grid = reference_step(grid, birth, survive, hood, kind == "torus")
            data = step(data, jnp.asarray(birth), jnp.asarray(survive), hood, topology)
            np.testing.assert_array_equal(np.asarray(bitpacked.decode(data, (h, w))), grid)


def test_glider_crosses_word_and_torus_edges():
    # a glider moves (+1, +1) every 4 generations: on an 8x64 torus it is home after 4 * 64,
    # having crossed the word boundary at x = 32 and both torus seams.
    grid = np.zeros((8, 64), np.uint8)
    for y, x in [(0, 30), (1, 31), (2, 29), (2, 30), (2, 31)]:
        grid[y, x] = 1
    birth = jnp.zeros(9, bool).at[3].set(True)
    survive = jnp.zeros(9, bool).at[2].set(True).at[3].set(True)

    def body(d, _):
        return bitpacked.step(d, birth, survive, "moore", Topology("torus")), None

    data, _ = jax.lax.scan(body, bitpacked.encode(jnp.asarray(grid)), None, length=256)
    np.testing.assert_array_equal(np.asarray(bitpacked.decode(data, grid.shape)), grid)
    data, _ = jax.lax.scan(body, bitpacked.encode(jnp.asarray(grid)), None, length=4)
    moved = np.roll(grid, (1, 1), axis=(0, 1))
    np.testing.assert_array_equal(np.asarray(bitpacked.decode(data, grid.shape)), moved)


def test_new_rule_does_not_recompile():
    traces = []

    def counted(d, b, s):
        traces.append(1)
        return bitpacked.step(d, b, s, "moore", Topology("torus"))

    step = jax.jit(counted)
    data = bitpacked.encode(jnp.ones((4, 32), jnp.uint8))
    for k in range(3):
        birth = jnp.zeros(9, bool).at[k + 1].set(True)
        step(data, birth, jnp.zeros(9, bool)).block_until_ready()
    assert len(traces) == 1


@pytest.mark.parametrize("text", ["B36/S23:P64,24", "B2/S34H:T96,20"])
def test_life_rule_picks_the_packed_path(text):
    """`LifeRule` uses this kernel on its own, and agrees with its generic uint8 kernels."""
    from alife.core.rollout import run
    from alife.rules.life import LifeRule

    fast = LifeRule(text, width=64, height=24, density=0.4)
    slow = LifeRule(text, width=64, height=24, density=0.4, fast=False)
    assert fast.packed and not slow.packed
    params = fast.default_params()
    key = jax.random.PRNGKey(len(text))
    a = fast.init(key, params)
    b = slow.init(key, params)
    assert a.data.dtype == jnp.uint32
    np.testing.assert_array_equal(np.asarray(fast.cells(a)), np.asarray(slow.cells(b)))
    a = run(fast, key, a, params, 20)
    b = run(slow, key, b, params, 20)
    np.testing.assert_array_equal(np.asarray(fast.cells(a)), np.asarray(slow.cells(b)))
    assert not LifeRule(text.split(":")[0], width=48, height=8).packed  # 48 is not 32k
