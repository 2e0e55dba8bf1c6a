"""Biomaker reproduction: flowers become seeds elsewhere, with mutated programs in free slots.

Biomaker CA (Randazzo & Mordvintsev 2023). A FLOWER whose reproduce logit is positive and whose
nutrients both cover the reproduce cost is a candidate; up to `bees` (<= MAX_BEES) candidates per
step are drawn without replacement, weighted by their number of AIR neighbours (Gumbel top-k).
Each drawn flower becomes VOID (even when no seed lands) and its leftover `n - cost` goes to a
seed: two UNSPECIALIZED cells on fertile soil (the highest AIR cell with EARTH below, and that
EARTH) in a column drawn uniformly among those `seed_min..seed_max` columns away on either
side (no wrap), half to each cell. With `mutate` on, the child takes a program slot with no
living agents and a mutated copy of the parent's program; no free slot cancels the op.

Sexual flowers (FLOWER_SEXUAL, only with the `sexual` config on): the sex of a flower is the
sign of its internal channel 0; the best-weighted candidate of each sex pair up once per step,
the child's program is a crossover of the two (then mutated), and the seed lands near one of
them (at random) with their summed leftovers. Both flowers become VOID.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import jax
import jax.numpy as jnp

from alife.rules.biomaker import mutators, rng
from alife.rules.biomaker import programs as prog
from alife.rules.biomaker.agents import Decisions
from alife.rules.biomaker.config import MAX_BEES, BiomakerParams
from alife.rules.biomaker.world import (
    AIR,
    FLOWER,
    FLOWER_SEXUAL,
    OUT_OF_BOUNDS,
    UNSPECIALIZED,
    VOID,
    is_agent,
    landing_rows,
    neighbours,
)

Array = jax.Array


class Pool(NamedTuple):
    programs: Array  # [P, D]
    sigma: Array     # [P, D] (self-adaptive mutator) or [1, 1]
    used: Array      # [P] bool: slot has living agents or was claimed this step


def plant(key: Array, types: Array, st: Array, ids: Array, col: Array, energy: Array,
          child: Array, p: BiomakerParams, go: Array) -> tuple[Array, Array, Array, Array]:
    """A seed `seed_min..seed_max` columns from `col` (if `go` and fertile soil is there)."""
    w = types.shape[1]
    land = landing_rows(types)
    dist = jnp.abs(jnp.arange(w) - col)
    fertile = (land >= 0) & (dist >= p.seed_min) & (dist <= p.seed_max)
    pick = jnp.argmax(jnp.where(fertile, rng.uniform(rng.seed_of(key), (w,)), -1.0))
    placed = go & jnp.any(fertile)
    row = jnp.maximum(land[pick], 0)
    cell = jnp.zeros((6,), st.dtype).at[2:4].set(energy * 0.5)
    for r in (row, row + 1):
        types = types.at[r, pick].set(jnp.where(placed, UNSPECIALIZED, types[r, pick]))
        st = st.at[r, pick].set(jnp.where(placed, cell, st[r, pick]))
        ids = ids.at[r, pick].set(jnp.where(placed, child, ids[r, pick]))
    return types, st, ids, placed


def _claim(used: Array, parent: Array, p: BiomakerParams) -> tuple[Array, Array]:
    """`(slot, ok)`: the first program slot with no living agent (the parent's own slot when
    mutation is off); `ok` False when mutation is on and no slot is free."""
    mutate = p.mutate > 0.5
    free = ~used
    return jnp.where(mutate, jnp.argmax(free), parent), ~mutate | jnp.any(free)


def _write(key: Array, pool: Pool, slot: Array, write: Array,
           source: Callable[[Pool], tuple[Array, Array]], p: BiomakerParams,
           adaptive: bool) -> Pool:
    """Mutated copies of `source(pool) -> (programs [K, D], sigmas [K, D])` into `slot [K]`
    where `write [K]`; skipped (no random numbers drawn) when nothing is written."""
    def do(pool: Pool) -> Pool:
        programs, sigmas = source(pool)
        keys = rng.stream(rng.seed_of(key), jnp.arange(slot.shape[0], dtype=jnp.uint32))
        target = jnp.where(write, slot, pool.programs.shape[0])
        if adaptive:
            new, sig = jax.vmap(lambda k, x, sd: mutators.adaptive(
                k, x, sd, p.mutation_fraction))(keys, programs, sigmas)
            sigma = pool.sigma.at[target].set(sig, mode="drop")
        else:
            new = jax.vmap(lambda k, x: mutators.basic(
                k, x, p.mutation_fraction, p.mutation_sd))(keys, programs)
            sigma = pool.sigma
        return pool._replace(programs=pool.programs.at[target].set(new, mode="drop"),
                             sigma=sigma)

    return jax.lax.cond(jnp.any(write) & (p.mutate > 0.5), do, lambda q: q, pool)


def _vacate(types: Array, st: Array, ids: Array, flat: Array, go: Array):
    w = types.shape[1]
    r, c = flat // w, flat % w
    types = types.at[r, c].set(jnp.where(go, VOID, types[r, c]))
    st = st.at[r, c].set(jnp.where(go, 0.0, st[r, c]))
    ids = ids.at[r, c].set(jnp.where(go, 0, ids[r, c]))
    return types, st, ids


def reproduce(key: Array, types: Array, st: Array, ids: Array, pool: Pool, dec: Decisions,
              p: BiomakerParams, adaptive: bool, sexual: bool
              ) -> tuple[Array, Array, Array, Pool, Array]:
    """The reproduction phase: `(types, st, ids, pool, reproductions this step)`."""
    h, w = types.shape
    seed = rng.seed_of(key)
    k_pick, k_loop, k_sex, k_mut = (rng.stream(seed, i) for i in range(4))
    ready = (dec.glob[..., prog.REPRO] > 0) & jnp.all(st[..., 2:4] >= p.reproduce_cost, -1)
    n_air = jnp.sum(neighbours(types, OUT_OF_BOUNDS) == AIR, axis=0).astype(jnp.float32)
    gumbel = rng.gumbel(k_pick, types.shape)
    score = jnp.where((types == FLOWER) & ready & (n_air > 0), jnp.log(n_air) + gumbel, -jnp.inf)
    top, where = jax.lax.top_k(score.ravel(), MAX_BEES)
    chosen = jnp.isfinite(top) & (jnp.arange(MAX_BEES) < p.bees)
    used = jnp.zeros(pool.programs.shape[0], bool).at[ids.ravel()].max(is_agent(types).ravel())
    none = jnp.zeros(MAX_BEES, jnp.int32)

    def one(i, carry):
        types, st, ids, used, slots, parents, placed_all = carry
        flat = where[i]
        r, c = flat // w, flat % w
        active = chosen[i] & (types[r, c] == FLOWER)
        parent = ids[r, c]
        energy = st[r, c, 2:4] - p.reproduce_cost
        slot, ok = _claim(used, parent, p)
        go = active & ok
        types, st, ids = _vacate(types, st, ids, flat, go)
        types, st, ids, placed = plant(rng.stream(k_loop, i), types, st, ids, c, energy,
                                       slot, p, go)
        used = used.at[slot].set(used[slot] | placed)
        return (types, st, ids, used, slots.at[i].set(slot), parents.at[i].set(parent),
                placed_all.at[i].set(placed))

    carry = (types, st, ids, used, none, none, jnp.zeros(MAX_BEES, bool))
    types, st, ids, used, slots, parents, placed = jax.lax.fori_loop(0, MAX_BEES, one, carry)
    pool = _write(k_mut, pool, slots, placed,
                  lambda q: (q.programs[parents], q.sigma[parents] if adaptive else q.sigma),
                  p, adaptive)
    count = jnp.sum(placed.astype(jnp.int32))
    if sexual:
        types, st, ids, pool, born = _sexual(k_sex, types, st, ids, pool._replace(used=used),
                                             ready, n_air, p, adaptive)
        count = count + born.astype(jnp.int32)
    return types, st, ids, pool, count


def _sexual(key: Array, types: Array, st: Array, ids: Array, pool: Pool, ready: Array,
            n_air: Array, p: BiomakerParams, adaptive: bool):
    w = types.shape[1]
    k_pick, k_cross, k_mut, k_side, k_plant = (rng.stream(key, i) for i in range(5))
    cand = (types == FLOWER_SEXUAL) & ready & (n_air > 0) & (p.bees > 0)
    score = jnp.log(jnp.maximum(n_air, 1.0)) + rng.gumbel(k_pick, types.shape)
    male = st[..., 4] >= 0
    sa = jnp.where(cand & male, score, -jnp.inf).ravel()
    sb = jnp.where(cand & ~male, score, -jnp.inf).ravel()
    fa, fb = jnp.argmax(sa), jnp.argmax(sb)
    active = jnp.isfinite(sa[fa]) & jnp.isfinite(sb[fb])
    ida, idb = ids.ravel()[fa], ids.ravel()[fb]
    slot, ok = _claim(pool.used, ida, p)
    energy = (st.reshape(-1, 6)[fa, 2:4] + st.reshape(-1, 6)[fb, 2:4]) - 2 * p.reproduce_cost
    go = active & ok
    near = jnp.where(rng.uniform(k_side, ()) < 0.5, fa, fb) % w
    types, st, ids = _vacate(types, st, ids, fa, go)
    types, st, ids = _vacate(types, st, ids, fb, go)
    types, st, ids, placed = plant(k_plant, types, st, ids, near, energy, slot, p, go)

    def mixed(q: Pool) -> tuple[Array, Array]:
        child = mutators.crossover(k_cross, q.programs[ida], q.programs[idb])[None]
        return child, (q.sigma[ida][None] if adaptive else q.sigma)

    pool = _write(k_mut, pool, slot[None], placed[None], mixed, p, adaptive)
    return types, st, ids, pool, placed
