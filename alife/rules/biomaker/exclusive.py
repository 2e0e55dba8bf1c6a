"""Biomaker exclusive ops: one proposal per cell to one neighbour, one winner per target.

Biomaker CA (Randazzo & Mordvintsev 2023). Each cell may propose one change to one of its 8
neighbours: what the target becomes and what the actor becomes. Every target picks one proposal
uniformly at random among those aimed at it. A cell that wins as a target does not also act
(its own proposal is dropped, and the cell it aimed at stays as it was), so every cell is
written by at most one op and swaps stay exact.

Proposals: EARTH slides sideways into an intangible side cell when the diagonal below on that
side is intangible too (a swap); WATER slides when the side cell is intangible; AIR turns a
random VOID neighbour into AIR; an agent whose spawn switch is on and whose nutrients both cover
the spawn cost puts an UNSPECIALIZED child (same id, parent's age, integrity 0) into the best
VOID/AIR/EARTH neighbour by its direction logits, giving it `(n - cost) * share` of each
nutrient and keeping the rest.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.rules.biomaker import programs as prog
from alife.rules.biomaker import rng
from alife.rules.biomaker.agents import Decisions
from alife.rules.biomaker.world import (
    AIR,
    EARTH,
    OFFSETS,
    OUT_OF_BOUNDS,
    UNSPECIALIZED,
    VOID,
    WATER,
    is_agent,
    is_intangible,
    neighbours,
    shifted,
)

Array = jax.Array
LEFT, RIGHT = 3, 4


def pack(types: Array, st: Array, ids: Array) -> Array:
    """A cell's whole content as `[H, W, 8]` float32 (type, 6 state channels, id)."""
    return jnp.concatenate([types[..., None].astype(st.dtype), st,
                            ids[..., None].astype(st.dtype)], -1)


def unpack(content: Array) -> tuple[Array, Array, Array]:
    return (jnp.round(content[..., 0]).astype(jnp.int32), content[..., 1:7],
            jnp.round(content[..., 7]).astype(jnp.int32))


def resolve(key: Array, direction: Array, target: Array, actor: Array, content: Array) -> Array:
    """Apply proposals: `direction [H, W]` (-1 none, else 0..7), what the target becomes
    `target [H, W, C]`, what the actor becomes `actor [H, W, C]`; returns the new content."""
    incoming = jnp.stack([shifted(direction, -dr, -dc, -1) == k
                          for k, (dr, dc) in enumerate(OFFSETS)])            # [8, H, W]
    noise = rng.uniform(rng.seed_of(key), incoming.shape)
    winner = jnp.argmax(jnp.where(incoming, noise, -1.0), axis=0)
    has = jnp.any(incoming, axis=0)
    from_actor = jnp.stack([shifted(target, -dr, -dc, 0.0) for dr, dc in OFFSETS])
    chosen = jnp.take_along_axis(from_actor, winner[None, :, :, None], axis=0)[0]
    actor_busy = jnp.stack([shifted(has, -dr, -dc, False) for dr, dc in OFFSETS])
    target_ok = has & ~jnp.take_along_axis(actor_busy, winner[None], axis=0)[0]
    won_at = jnp.stack([shifted(jnp.where(has, winner, -1), dr, dc, -1) for dr, dc in OFFSETS])
    d = jnp.maximum(direction, 0)
    actor_ok = (direction >= 0) & ~has & \
        (jnp.take_along_axis(won_at, d[None], axis=0)[0] == direction)
    out = jnp.where(actor_ok[..., None], actor, content)
    return jnp.where(target_ok[..., None], chosen, out)


def _random_choice(seed: Array, valid: Array) -> Array:
    """Per cell a uniformly random index among `valid [K, H, W]` (-1 if none)."""
    noise = rng.uniform(seed, valid.shape)
    pick = jnp.argmax(jnp.where(valid, noise, -1.0), axis=0)
    return jnp.where(jnp.any(valid, axis=0), pick, -1)


def exclusive_ops(key: Array, types: Array, st: Array, ids: Array, dec: Decisions,
                  spawn_cost: Array) -> tuple[Array, Array, Array]:
    """Build every cell's proposal and resolve them: `(types, st, ids)`."""
    seed = rng.seed_of(key)
    k_slide, k_air, k_pick = (rng.stream(seed, i) for i in range(3))
    content = pack(types, st, ids)
    nt = neighbours(types, OUT_OF_BOUNDS)                                   # [8, H, W]
    nc = neighbours(content, 0.0)                                           # [8, H, W, 8]
    free = is_intangible(nt)
    # materials: EARTH and WATER slide (swap), AIR spreads into VOID
    slide_ok = jnp.stack([free[LEFT] & free[5], free[RIGHT] & free[7]])
    water_ok = jnp.stack([free[LEFT], free[RIGHT]])
    side = _random_choice(k_slide, jnp.where(types == WATER, water_ok, slide_ok))
    slides = ((types == EARTH) | (types == WATER)) & (side >= 0)
    slide_dir = jnp.where(side == 0, LEFT, RIGHT)
    spread = _random_choice(k_air, nt == VOID)
    spreads = (types == AIR) & (spread >= 0)
    # agents: spawn a child
    open_target = (nt == VOID) | (nt == AIR) | (nt == EARTH)
    logits = jnp.where(jnp.moveaxis(open_target, 0, -1), dec.direction, -jnp.inf)
    best = jnp.argmax(logits, axis=-1)
    affordable = jnp.all(st[..., 2:4] >= spawn_cost, axis=-1)
    spawns = is_agent(types) & (dec.glob[..., prog.SWITCH] > 0) & affordable & \
        jnp.any(open_target, axis=0)
    direction = jnp.where(slides, slide_dir, jnp.where(spreads, spread,
                                                       jnp.where(spawns, best, -1)))
    # what target and actor become
    swap_in = jnp.take_along_axis(nc, jnp.maximum(direction, 0)[None, :, :, None], axis=0)[0]
    share = jax.nn.sigmoid(dec.glob[..., prog.SHARE_E: prog.SHARE_A + 1])
    left = jnp.maximum(st[..., 2:4] - spawn_cost, 0.0)
    child_st = jnp.concatenate([jnp.zeros_like(st[..., :1]), st[..., 1:2], left * share,
                                jnp.zeros_like(st[..., 4:6])], -1)
    child = pack(jnp.full_like(types, UNSPECIALIZED), child_st, ids)
    parent = pack(types, st.at[..., 2:4].set(left * (1.0 - share)), ids)
    air = jnp.zeros_like(content).at[..., 0].set(AIR)
    is_slide = slides[..., None]
    target = jnp.where(is_slide, content, jnp.where(spreads[..., None], air, child))
    actor = jnp.where(is_slide, swap_in, jnp.where(spreads[..., None], content, parent))
    return unpack(resolve(k_pick, direction, target, actor, content))
