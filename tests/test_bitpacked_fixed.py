"""The bit-packed loop with the rule's own tables compiled in (`bitpacked.advance(fixed=...)`).

- The folded lookup (`_fixed_next`) against NumPy: random counts and alive bits packed into
  bit-planes, random B/S tables (and the empty and full ones), every neighbourhood.
- `LifeRule` + `rollout.run` against a NumPy Life-like step, with the params equal to the rule
  it was built with (the fixed-table loop) and with other tables (the traced loop in the same
  program): the same cells, and a new B/S does not recompile.
- Under `vmap`: a batch over tables runs the traced loop alone (its loops only, no select
  between two), a batch over states keeps the per-call choice (both loops under a cond);
  both give each member's own result.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core import rollout
from alife.core.topology import Topology
from alife.rules.life import LifeRule, bitpacked
from alife.rules.life.rule import LifeParams

HOODS = {"moore": ("", 8), "vonneumann": ("V", 4), "hex": ("H", 6)}
OFFSETS = {
    "moore": [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)],
    "vonneumann": [(-1, 0), (1, 0), (0, -1), (0, 1)],
    "hex": [(-1, -1), (-1, 0), (0, -1), (0, 1), (1, 0), (1, 1)],  # Golly's: no NE, no SW
}


def numpy_steps(grid: np.ndarray, birth: set, survive: set, hood: str, torus: bool,
                steps: int) -> np.ndarray:
    """Life-like steps cell by cell: neighbours summed by offset, then the B/S sets."""
    g = grid.astype(np.int64)
    h, w = g.shape
    b = np.array([k in birth for k in range(9)])
    s = np.array([k in survive for k in range(9)])
    for _ in range(steps):
        p = np.pad(g, 1, mode="wrap" if torus else "constant")
        n = sum(p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy, dx in OFFSETS[hood])
        g = np.where(g == 1, s[n], b[n]).astype(np.int64)
    return g.astype(np.uint8)


def text(birth: set, survive: set, hood: str) -> str:
    return "B{}/S{}{}".format("".join(map(str, sorted(birth))),
                              "".join(map(str, sorted(survive))), HOODS[hood][0])


def random_sets(rng: np.random.Generator, n: int, allow_b0: bool = False) -> tuple[set, set]:
    birth = {k for k in range(0 if allow_b0 else 1, n + 1) if rng.random() < 0.35}
    return birth, {k for k in range(n + 1) if rng.random() < 0.5}


@pytest.mark.parametrize("hood", list(HOODS))
def test_fixed_lookup_against_numpy(hood):
    n = HOODS[hood][1]
    nbits = n.bit_length()
    rng = np.random.default_rng(n)
    counts = rng.integers(0, n + 1, size=(4, 32 * 6))  # 6 words a row, every count present
    alive = rng.integers(0, 2, size=counts.shape)

    def pack(bits: np.ndarray) -> jnp.ndarray:
        return bitpacked.encode(jnp.asarray(bits, jnp.uint8))

    planes = [pack((counts >> i) & 1) for i in range(nbits)]
    tables = [(set(), set()), (set(range(n + 1)), set(range(n + 1))), ({3}, {2, 3})]
    tables += [random_sets(rng, n, allow_b0=True) for _ in range(12)]
    for birth, survive in tables:
        got = bitpacked._fixed_next(pack(alive), planes, frozenset(birth), frozenset(survive), n)
        b = np.array([k in birth for k in range(n + 1)])
        s = np.array([k in survive for k in range(n + 1)])
        want = np.where(alive == 1, s[counts], b[counts]).astype(np.uint8)
        np.testing.assert_array_equal(np.asarray(bitpacked.decode(got, counts.shape)), want,
                                      err_msg=f"{hood} B{sorted(birth)} S{sorted(survive)}")


@pytest.mark.parametrize("hood", list(HOODS))
@pytest.mark.parametrize("topology", ["torus", "plane"])
@pytest.mark.parametrize("shape", [(37, 96), (11, 1024)])  # transposed loop; row by row
def test_rule_runs_own_and_other_tables_like_numpy(hood, topology, shape):
    n = HOODS[hood][1]
    rng = np.random.default_rng([n, len(topology), shape[1]])
    birth, survive = random_sets(rng, n)
    rule = LifeRule(text(birth, survive, hood), width=shape[1], height=shape[0],
                    topology=topology, density=0.4)
    assert rule.packed
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(n), params)
    start = np.asarray(rule.cells(state))
    key = jax.random.PRNGKey(1)
    for steps in (1, 6, 13):  # odd and even: the loop's extra step
        got = rollout.run(rule, key, state, params, steps)
        want = numpy_steps(start, birth, survive, hood, topology == "torus", steps)
        np.testing.assert_array_equal(np.asarray(rule.cells(got)), want)
    compiled = rollout._advance._cache_size()
    for _ in range(2):  # other tables, same compile: the traced loop
        other_b, other_s = random_sets(rng, n)
        other = LifeParams(jnp.asarray([k in other_b for k in range(n + 1)]),
                           jnp.asarray([k in other_s for k in range(n + 1)]), params.middle)
        got = rollout.run(rule, key, state, other, 13)
        want = numpy_steps(start, other_b, other_s, hood, topology == "torus", 13)
        np.testing.assert_array_equal(np.asarray(rule.cells(got)), want)
    assert rollout._advance._cache_size() == compiled


def _loops(fn, *args) -> int:
    """How many while loops the traced program holds."""
    return str(jax.make_jaxpr(fn)(*args)).count("while[")


def test_vmap_over_tables_runs_the_traced_loop_alone():
    topo = Topology("torus")
    fixed = (frozenset({3}), frozenset({2, 3}))
    grids = np.random.default_rng(0).random((3, 24, 64)) < 0.4
    data = jax.vmap(bitpacked.encode)(jnp.asarray(grids, jnp.uint8))
    rng = np.random.default_rng(1)
    births = jnp.asarray(rng.random((3, 9)) < 0.35).at[0].set(
        jnp.zeros(9, bool).at[3].set(True))
    survives = jnp.asarray(rng.random((3, 9)) < 0.5).at[0].set(
        jnp.zeros(9, bool).at[2].set(True).at[3].set(True))

    def adv(d, b, s):
        return bitpacked.advance(d, b, s, "moore", topo, 5, fixed=fixed)

    one = _loops(lambda d, b, s: bitpacked.advance(d, b, s, "moore", topo, 5),
                 data[0], births[0], survives[0])  # the traced loop alone
    assert one >= 1
    assert _loops(adv, data[0], births[0], survives[0]) == 2 * one  # both, under a cond
    over_tables = jax.vmap(adv)
    over_states = jax.vmap(adv, in_axes=(0, None, None))
    assert _loops(over_tables, data, births, survives) == one
    assert _loops(over_states, data, births[0], survives[0]) == 2 * one
    batch = jax.jit(over_tables)(data, births, survives)
    shared = jax.jit(over_states)(data, births[0], survives[0])
    for i in range(3):
        cells = np.asarray(bitpacked.decode(data[i], (24, 64)))
        b = set(np.flatnonzero(np.asarray(births[i])).tolist())
        s = set(np.flatnonzero(np.asarray(survives[i])).tolist())
        np.testing.assert_array_equal(np.asarray(bitpacked.decode(batch[i], (24, 64))),
                                      numpy_steps(cells, b, s, "moore", True, 5))
        np.testing.assert_array_equal(np.asarray(bitpacked.decode(shared[i], (24, 64))),
                                      numpy_steps(cells, {3}, {2, 3}, "moore", True, 5))


def test_app_rule_change_keeps_the_compile_and_steps_the_new_rule():
    """The app's rule box: B3/S23 -> B36/S23 on a running packed world is a params change (the
    traced loop of the same program), no recompile, and the cells follow the new rule."""
    from alife.app.controller import Controller
    from alife.scene.world import World

    rule = LifeRule("B3/S23", width=64, height=32, density=0.35)
    params = rule.default_params()
    key = jax.random.PRNGKey(2)
    c = Controller(World(rule, params, rule.init(key, params), key))
    c.playing = True
    c.speed.exponent = 2  # 4 generations a frame: rollout's many-step path
    c.tick()
    c.sync()
    comp = c.compiled()
    traces = comp.traces
    assert c.apply_rule_text("B36/S23") is None and c.rule is rule
    before = c.cells()
    c.playing = True
    c.tick()
    shown = c.sync()
    assert shown == 4 and comp.traces == traces
    np.testing.assert_array_equal(c.cells(), numpy_steps(before, {3, 6}, {2, 3}, "moore", True, 4))


@pytest.mark.parametrize("shape", [(1, 32), (2, 64), (17, 32), (30, 96), (3, 1024)])
@pytest.mark.parametrize("topology", ["torus", "plane"])
def test_small_and_odd_grids_over_many_blocks(shape, topology):
    """The wide-halo loop re-pads every `BLOCK` generations: grids smaller than its halo (one
    row, one word), odd heights, and runs over many blocks stay exact."""
    h, w = shape
    rule = LifeRule("B36/S23", width=w, height=h, topology=topology, density=0.45)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(h), params)
    start = np.asarray(rule.cells(state))
    steps = 4 * bitpacked.BLOCK + 3
    got = rollout.run(rule, jax.random.PRNGKey(1), state, params, steps)
    want = numpy_steps(start, {3, 6}, {2, 3}, "moore", topology == "torus", steps)
    np.testing.assert_array_equal(np.asarray(rule.cells(got)), want)
