"""Biomaker energy: diffusion, absorption, dissipation, ageing leak, death (Biomaker CA, 2023).

Order: nutrients diffuse (IMMOVABLE and SUN fixed at the cap), roots and leaves absorb (shared
fairly when a material is over-asked), agents pay dissipation (x multiplier per
specialisation), agents past half their lifetime leak energy, and an agent with an empty
nutrient dies into a material keeping its leftovers: no earth -> AIR, no air -> EARTH,
neither -> VOID, id 0. Finally everything is clipped to [0, cap].
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.rules.biomaker.config import BiomakerParams
from alife.rules.biomaker.physics import absorb, diffuse_nutrients
from alife.rules.biomaker.world import (
    AIR,
    EARTH,
    FLOWER,
    FLOWER_SEXUAL,
    LEAF,
    ROOT,
    UNSPECIALIZED,
    VOID,
    is_agent,
)

Array = jax.Array


def dissipation_multiplier(types: Array, p: BiomakerParams) -> Array:
    m = jnp.zeros(types.shape, jnp.float32)
    m = jnp.where(types == UNSPECIALIZED, p.dissipation_unspec, m)
    m = jnp.where(types == ROOT, p.dissipation_root, m)
    m = jnp.where(types == LEAF, p.dissipation_leaf, m)
    return jnp.where((types == FLOWER) | (types == FLOWER_SEXUAL), p.dissipation_flower, m)


def energy(types: Array, st: Array, ids: Array, p: BiomakerParams
           ) -> tuple[Array, Array, Array]:
    """One energy phase: `(types, st, ids)`."""
    st = diffuse_nutrients(types, st, p.nutrient_cap, p.diffusion)
    st = absorb(types, st, p.absorb_earth, p.absorb_air)
    agent = is_agent(types)
    mult = dissipation_multiplier(types, p)
    cost = jnp.stack([p.dissipation_earth * mult, p.dissipation_air * mult], -1)
    nutrients = st[..., 2:4] - cost
    half = p.lifetime * 0.5
    leak = jnp.clip(1.0 - (st[..., 1] - half) / half, 0.0, 1.0)
    nutrients = jnp.where((agent & (st[..., 1] > half))[..., None], nutrients * leak[..., None],
                          nutrients)
    no_earth, no_air = nutrients[..., 0] <= 0.0, nutrients[..., 1] <= 0.0
    dies = agent & (no_earth | no_air)
    dead_type = jnp.where(no_earth & no_air, VOID, jnp.where(no_earth, AIR, EARTH))
    types = jnp.where(dies, dead_type, types)
    ids = jnp.where(dies, 0, ids)
    nutrients = jnp.clip(nutrients, 0.0, p.nutrient_cap)
    keep = jnp.where(dies[..., None], 0.0, st[..., jnp.array([1, 4, 5])])
    st = jnp.stack([st[..., 0], keep[..., 0], nutrients[..., 0], nutrients[..., 1],
                    keep[..., 1], keep[..., 2]], -1)
    return types, st, ids
