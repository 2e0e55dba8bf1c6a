"""Biomaker physics: structural integrity, gravity (column-wise, vectorised), nutrient diffusion.

Biomaker CA (Randazzo & Mordvintsev 2023). The reference drops cells with a row-by-row
sequential scan from the bottom; here each column is solved at once: a cell falls one row iff it
and every cell between it and the first non-falling cell below are falling candidates and that
first cell is intangible (a reverse cumulative minimum over row indices finds it). The result is
the same as the bottom-up scan: an unsupported stack moves down by exactly one row per step.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.core.kernels import neighbour_sum
from alife.core.topology import Topology
from alife.rules.biomaker.world import (
    AIR,
    EARTH,
    IMMOVABLE,
    LEAF,
    ROOT,
    SUN,
    WATER,
    is_agent,
    is_intangible,
)

Array = jax.Array

#: integrity passes per step (the reference's default)
INTEGRITY_PASSES = 5

#: what lies beyond the edges of a Biomaker world: nothing (zeros)
PLANE = Topology("plane")


def box_max(x: Array) -> Array:
    """3x3 maximum (zero outside), separable."""
    h, w = x.shape
    p = jnp.pad(x, 1)
    rows = jnp.maximum(jnp.maximum(p[:-2], p[1:-1]), p[2:])
    return jnp.maximum(jnp.maximum(rows[:, :-2], rows[:, 1:-1]), rows[:, 2:])


def box_sum(x: Array) -> Array:
    """3x3 sum (zero outside), separable; works on [H, W] or [H, W, C]."""
    return neighbour_sum(x, 1, PLANE)


def integrity(types: Array, integ: Array, cap: Array, decay_earth: Array, decay_agent: Array,
              passes: int = INTEGRITY_PASSES) -> Array:
    """Propagate structural integrity: IMMOVABLE at `cap`; EARTH and agents take the 3x3 max
    minus their own decay (clipped at 0); every other cell 0. `passes` fused passes."""
    immovable = types == IMMOVABLE
    agent = is_agent(types)
    carries = agent | (types == EARTH)
    decay = jnp.where(agent, decay_agent, decay_earth)
    x = integ
    for _ in range(passes):
        x = jnp.where(immovable, cap, x)
        x = jnp.where(carries, jnp.maximum(box_max(x) - decay, 0.0), 0.0)
    return jnp.where(immovable, cap, x)


def falling(types: Array, integ: Array) -> Array:
    """Gravity candidates: EARTH and WATER always, agents with no integrity left."""
    return (types == EARTH) | (types == WATER) | (is_agent(types) & (integ <= 0.0))


def gravity_sources(types: Array, integ: Array) -> Array:
    """`src [H, W]`: the row each cell's new content comes from (one step of gravity)."""
    h = types.shape[0]
    cand = falling(types, integ)
    rows = jnp.broadcast_to(jnp.arange(h, dtype=jnp.int32)[:, None], types.shape)
    stop = jax.lax.cummin(jnp.where(cand, h, rows), axis=0, reverse=True)
    below = jnp.take_along_axis(is_intangible(types), jnp.clip(stop, 0, h - 1), axis=0)
    moved = cand & (stop < h) & below
    from_above = jnp.pad(moved[:-1], ((1, 0), (0, 0)))
    return jnp.where(from_above, rows - 1, jnp.where(moved, stop, rows))


def gravity(types: Array, st: Array, ids: Array) -> tuple[Array, Array, Array]:
    """Unsupported EARTH/WATER/agents fall one row into intangible cells below (whole runs)."""
    src = gravity_sources(types, st[..., 0])
    take = lambda a: jnp.take_along_axis(a, src if a.ndim == 2 else src[..., None], axis=0)  # noqa: E731
    return take(types), take(st), take(ids)


def diffuse(n: Array, medium: Array, source: Array, cap: Array, rate: Array) -> Array:
    """One diffusion step of a nutrient: medium cells exchange `rate * (n_j - n_i)` with each
    medium or source neighbour j; source cells sit at `cap`. Conserves the medium's total
    apart from what sources add."""
    member = medium | source
    v = jnp.where(source, cap, jnp.where(member, n, 0.0))
    fm = member.astype(n.dtype)
    total = box_sum(v) - v
    count = box_sum(fm) - fm
    new = jnp.where(medium, v + rate * (total - count * v), n)
    return jnp.where(source, cap, new)


def diffuse_nutrients(types: Array, st: Array, cap: Array, rate: Array) -> Array:
    """Earth nutrient through EARTH (IMMOVABLE the source), air nutrient through AIR (SUN)."""
    earth = diffuse(st[..., 2], types == EARTH, types == IMMOVABLE, cap, rate)
    air = diffuse(st[..., 3], types == AIR, types == SUN, cap, rate)
    return st.at[..., 2].set(earth).at[..., 3].set(air)


def absorb(types: Array, st: Array, ask_earth: Array, ask_air: Array) -> Array:
    """Roots ask `ask_earth` of each EARTH neighbour, leaves `ask_air` of each AIR neighbour;
    an over-asked material gives each asker the same fraction min(1, available / asked)."""
    out = st
    for channel, asker, giver, ask in ((2, ROOT, EARTH, ask_earth), (3, LEAF, AIR, ask_air)):
        askers = (types == asker).astype(st.dtype)
        gives = types == giver
        asked = ask * box_sum(askers)
        n = st[..., channel]
        frac = jnp.where(gives & (asked > 0), jnp.minimum(1.0, n / jnp.maximum(asked, 1e-12)), 0.0)
        got = ask * box_sum(frac) * askers
        out = out.at[..., channel].add(got - frac * asked)
    return out
