"""Biomaker physics against a small NumPy reference, conservation laws, exclusive-op conflicts.

The reference follows the spec literally: integrity passes cell by cell, gravity as the
reference code's sequential bottom-up row scan, diffusion as a sum over the 8 neighbours.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.rollout import run
from alife.rules.biomaker import physics
from alife.rules.biomaker.agents import Decisions, parallel_ops
from alife.rules.biomaker.exclusive import exclusive_ops, resolve
from alife.rules.biomaker.programs import NG, SWITCH
from alife.rules.biomaker.world import (
    AIR,
    EARTH,
    IMMOVABLE,
    LEAF,
    ROOT,
    SUN,
    UNSPECIALIZED,
    VOID,
    WATER,
)

H, W = 24, 36
INTANGIBLE = (VOID, AIR)
EXCLUSIVE = jax.jit(exclusive_ops)
RESOLVE = jax.jit(resolve)


def random_world(seed: int, kinds=(VOID, AIR, EARTH, IMMOVABLE, SUN, UNSPECIALIZED, ROOT, LEAF,
                                   WATER)):
    rng = np.random.default_rng(seed)
    types = rng.choice(np.array(kinds, np.int32), size=(H, W))
    st = rng.uniform(0.0, 3.0, (H, W, 6)).astype(np.float32)
    st[..., 0] = rng.choice([0.0, 0.0, 7.0, 50.0], size=(H, W))
    ids = rng.integers(0, 3, (H, W)).astype(np.int32)
    return types, st, ids


# ---- NumPy reference ---------------------------------------------------------------------
def ref_integrity(types, integ, cap, de, da, passes):
    x = integ.astype(np.float64).copy()
    for _ in range(passes):
        x[types == IMMOVABLE] = cap
        new = np.zeros_like(x)
        for r in range(H):
            for c in range(W):
                t = types[r, c]
                agent = UNSPECIALIZED <= t <= 10
                if t == EARTH or agent:
                    best = x[max(r - 1, 0): r + 2, max(c - 1, 0): c + 2].max()
                    new[r, c] = max(best - (da if agent else de), 0.0)
        x = new
    x[types == IMMOVABLE] = cap
    return x


def ref_gravity(types, st, ids):
    t, s, i = types.copy(), st.copy(), ids.copy()
    for r in range(H - 2, -1, -1):              # the reference's sequential row scan
        for c in range(W):
            agent = UNSPECIALIZED <= t[r, c] <= 10
            falls = t[r, c] in (EARTH, WATER) or (agent and s[r, c, 0] <= 0)
            if falls and t[r + 1, c] in INTANGIBLE:
                for a in (t, s, i):
                    a[[r, r + 1], c] = a[[r + 1, r], c]
    return t, s, i


def ref_diffuse(n, medium, source, cap, rate):
    v = np.where(source, cap, np.where(medium | source, n, 0.0)).astype(np.float64)
    out = np.where(source, cap, n).astype(np.float64)
    for r in range(H):
        for c in range(W):
            if not medium[r, c]:
                continue
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if (dr or dc) and 0 <= rr < H and 0 <= cc < W and \
                            (medium[rr, cc] or source[rr, cc]):
                        out[r, c] += rate * (v[rr, cc] - v[r, c])
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_integrity_matches_reference(seed):
    types, st, _ = random_world(seed)
    got = physics.integrity(jnp.asarray(types), jnp.asarray(st[..., 0]), 200.0, 1.0, 5.0)
    want = ref_integrity(types, st[..., 0], 200.0, 1.0, 5.0, physics.INTEGRITY_PASSES)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_gravity_matches_sequential_scan(seed):
    types, st, ids = random_world(seed)
    got = physics.gravity(jnp.asarray(types), jnp.asarray(st), jnp.asarray(ids))
    want = ref_gravity(types, st, ids)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(np.asarray(g), w)


@pytest.mark.parametrize("seed", [0, 1])
def test_diffusion_matches_reference(seed):
    types, st, _ = random_world(seed)
    got = physics.diffuse_nutrients(jnp.asarray(types), jnp.asarray(st), 10.0, 0.1)
    for ch, medium, source in ((2, EARTH, IMMOVABLE), (3, AIR, SUN)):
        want = ref_diffuse(st[..., ch], types == medium, types == source, 10.0, 0.1)
        np.testing.assert_allclose(np.asarray(got[..., ch]), want, rtol=1e-5, atol=1e-5)


def test_gravity_drops_unsupported_earth_one_row_per_step():
    types = np.full((H, W), AIR, np.int32)
    types[-1] = IMMOVABLE
    types[3:6, 10:13] = EARTH                           # a floating block, 3 rows tall
    st = np.zeros((H, W, 6), np.float32)
    st[3:6, 10:13, 2] = np.arange(9, dtype=np.float32).reshape(3, 3) + 1
    t, s, i = jnp.asarray(types), jnp.asarray(st), jnp.zeros((H, W), jnp.int32)
    for step in range(1, 4):
        t, s, i = physics.gravity(t, s, i)
        rows = np.nonzero(np.asarray(t) == EARTH)[0]
        assert rows.min() == 3 + step and rows.max() == 5 + step
    for _ in range(H):
        t, s, i = physics.gravity(t, s, i)
    t = np.asarray(t)
    assert np.all(t[H - 4: H - 1, 10:13] == EARTH)     # landed on the bedrock
    assert np.sum(t == EARTH) == 9
    np.testing.assert_allclose(np.asarray(s)[H - 4: H - 1, 10:13, 2], st[3:6, 10:13, 2])


def test_agents_with_integrity_stay_up():
    types = np.full((H, W), AIR, np.int32)
    types[5, 5], types[5, 8] = LEAF, LEAF
    st = np.zeros((H, W, 6), np.float32)
    st[5, 5, 0] = 10.0                                   # held by structure
    t, _, _ = physics.gravity(jnp.asarray(types), jnp.asarray(st), jnp.zeros((H, W), jnp.int32))
    t = np.asarray(t)
    assert t[5, 5] == LEAF and t[5, 8] == AIR and t[6, 8] == LEAF


# ---- conservation --------------------------------------------------------------------------
def test_diffusion_conserves_without_sources():
    types, st, _ = random_world(4, kinds=(VOID, AIR, EARTH, ROOT))
    out = np.asarray(physics.diffuse_nutrients(jnp.asarray(types), jnp.asarray(st), 10.0, 0.1))
    for ch, medium in ((2, EARTH), (3, AIR)):
        m = types == medium
        assert out[..., ch][m].sum() == pytest.approx(st[..., ch][m].sum(), rel=1e-5)
        np.testing.assert_array_equal(out[..., ch][~m], st[..., ch][~m])


def test_absorption_moves_nutrients_fairly():
    types, st, _ = random_world(5, kinds=(AIR, EARTH, ROOT, LEAF))
    st[..., 2:4] = np.random.default_rng(0).uniform(0, 0.3, (H, W, 2))  # often over-asked
    out = np.asarray(physics.absorb(jnp.asarray(types), jnp.asarray(st), 0.25, 0.25))
    np.testing.assert_allclose(out[..., 2:4].sum((0, 1)), st[..., 2:4].sum((0, 1)), rtol=1e-5)
    assert out[..., 2:4].min() >= -1e-6
    roots, earth = types == ROOT, types == EARTH
    assert np.all(out[..., 2][roots] >= st[..., 2][roots] - 1e-6)
    assert np.all(out[..., 2][earth] <= st[..., 2][earth] + 1e-6)
    np.testing.assert_array_equal(out[..., 3][roots], st[..., 3][roots])


def test_energy_passing_conserves():
    types, st, ids = random_world(6, kinds=(AIR, ROOT, LEAF, UNSPECIALIZED))
    rng = np.random.default_rng(1)
    give = jnp.asarray(rng.normal(0.5, 1.0, (H, W, 8, 2)).astype(np.float32))
    dec = Decisions(jnp.zeros((H, W, 8)), give, jnp.zeros((H, W, NG)))
    _, out = jax.jit(parallel_ops)(jnp.asarray(types), jnp.asarray(st), dec, jnp.float32(0.0))
    out = np.asarray(out)
    np.testing.assert_allclose(out[..., 2:4].sum((0, 1)), st[..., 2:4].sum((0, 1)), rtol=1e-5)
    assert out[..., 2:4].min() >= -1e-5
    air = types == AIR
    np.testing.assert_array_equal(out[air], st[air])    # only agents trade


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_material_step_conserves_nutrients(seed):
    """A full step on a world of VOID/AIR/EARTH (no sources, no agents) moves, never makes."""
    from alife.rules.biomaker import BiomakerRule

    rule = BiomakerRule(preset="persistence", width=W, height=H, net="minimal", pool=8)
    params = rule.default_params()
    types, st, ids = random_world(seed, kinds=(VOID, AIR, EARTH))
    state = rule.init(jax.random.PRNGKey(0), params)
    state = state.__class__(jnp.asarray(types), jnp.asarray(st), jnp.zeros((H, W), jnp.int32),
                            state.programs, state.sigma, state.reproductions,
                            state.reproductions_total, state.generation)
    before = [st[..., ch][types == m].sum() for ch, m in ((2, EARTH), (3, AIR))]
    out = run(rule, jax.random.PRNGKey(seed), state, params, 1)   # shares the tests' compile
    t, s = np.asarray(out.types), np.asarray(out.st)
    assert np.sum(t == EARTH) == np.sum(types == EARTH)
    after = [s[..., ch][t == m].sum() for ch, m in ((2, EARTH), (3, AIR))]
    np.testing.assert_allclose(after, before, rtol=1e-5)


# ---- exclusive ops -------------------------------------------------------------------------
def test_conflict_resolves_to_exactly_one_winner():
    h, w = 5, 5
    content = jnp.zeros((h, w, 8))
    direction = jnp.full((h, w), -1).at[2, 1].set(4).at[2, 3].set(3).at[1, 2].set(6)
    target = content.at[2, 1, 0].set(11.0).at[2, 3, 0].set(12.0).at[1, 2, 0].set(13.0)
    actor = content.at[2, 1, 1].set(1.0).at[2, 3, 1].set(2.0).at[1, 2, 1].set(3.0)
    seen = set()
    for k in range(40):
        out = np.asarray(RESOLVE(jax.random.PRNGKey(k), direction, target, actor, content))
        winner = out[2, 2, 0]
        assert winner in (11.0, 12.0, 13.0)
        seen.add(winner)
        actors = {11.0: (2, 1), 12.0: (2, 3), 13.0: (1, 2)}
        for value, (r, c) in actors.items():          # exactly the winner's actor update
            assert out[r, c, 1] == (actors[winner] == (r, c)) * (value - 10.0)
    assert seen == {11.0, 12.0, 13.0}


def test_two_agents_spawning_into_one_cell_give_one_child():
    h, w = 5, 7
    types = jnp.full((h, w), IMMOVABLE).at[2, 2:5].set(jnp.array([ROOT, VOID, ROOT]))
    st = jnp.zeros((h, w, 6)).at[2, 2, 2:4].set(3.0).at[2, 4, 2:4].set(3.0)
    ids = jnp.zeros((h, w), jnp.int32).at[2, 2].set(1).at[2, 4].set(2)
    glob = jnp.zeros((h, w, NG)).at[:, :, SWITCH].set(1.0)
    dec = Decisions(jnp.zeros((h, w, 8)), jnp.zeros((h, w, 8, 2)), glob)
    children = set()
    for k in range(20):
        t, s, i = EXCLUSIVE(jax.random.PRNGKey(k), types, st, ids, dec, jnp.float32(1.0))
        t, s, i = np.asarray(t), np.asarray(s), np.asarray(i)
        assert t[2, 3] == UNSPECIALIZED
        children.add(int(i[2, 3]))
        parent = (2, 2) if i[2, 3] == 1 else (2, 4)
        other = (2, 4) if parent == (2, 2) else (2, 2)
        np.testing.assert_allclose(s[2, 3, 2:4] + s[parent][2:4], 2.0)   # 3 - cost 1
        np.testing.assert_allclose(s[other][2:4], 3.0)                    # loser unchanged
    assert children == {1, 2}


def test_earth_slides_into_free_side_and_diagonal():
    h, w = 4, 5
    types = jnp.full((h, w), AIR).at[3].set(IMMOVABLE).at[2, 2].set(EARTH).at[1, 2].set(EARTH)
    dec = Decisions(jnp.zeros((h, w, 8)), jnp.zeros((h, w, 8, 2)), jnp.zeros((h, w, NG)))
    t, _, _ = EXCLUSIVE(jax.random.PRNGKey(0), types, jnp.zeros((h, w, 6)),
                            jnp.zeros((h, w), jnp.int32), dec, jnp.float32(1.0))
    t = np.asarray(t)
    assert t[2, 2] == EARTH                      # resting on bedrock: no free diagonal below
    assert t[1, 2] == AIR and (t[1, 1] == EARTH) != (t[1, 3] == EARTH)


def test_rain_soaks_into_earth_and_plants_moving_its_nutrient():
    from alife.rules.biomaker.water import rain_and_soak

    types = np.full((6, 5), AIR, np.int32)
    types[0], types[5] = SUN, EARTH
    types[4, 1], types[3, 1] = EARTH, WATER          # water on earth
    types[4, 3], types[3, 3] = LEAF, WATER           # water on a leaf
    types[2, 4] = WATER                              # falling water: stays water
    st = np.zeros((6, 5, 6), np.float32)
    st[3, 1, 2], st[3, 3, 2], st[2, 4, 2], st[4, 1, 2], st[4, 3, 2] = 1.0, 0.5, 0.7, 2.0, 0.1
    t, s = jax.jit(rain_and_soak)(jax.random.PRNGKey(0), jnp.asarray(types), jnp.asarray(st),
                                  jnp.float32(0.0), jnp.float32(1.0), jnp.float32(10.0))
    t, s = np.asarray(t), np.asarray(s)
    assert t[3, 1] == AIR and t[3, 3] == AIR and t[2, 4] == WATER
    assert s[4, 1, 2] == pytest.approx(3.0) and s[4, 3, 2] == pytest.approx(0.6)
    assert s[..., 2].sum() == pytest.approx(st[..., 2].sum())
    t, s = jax.jit(rain_and_soak)(jax.random.PRNGKey(0), jnp.asarray(types), jnp.asarray(st),
                                  jnp.float32(1.0), jnp.float32(1.5), jnp.float32(10.0))
    t, s = np.asarray(t), np.asarray(s)
    assert np.all(t[1] == WATER) and np.all(np.asarray(s)[1, :, 2] == 1.5)   # rain: a source
