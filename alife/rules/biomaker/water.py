"""Our extra material, WATER (rain): not in the reference code's default worlds.

Every SUN cell with AIR directly below drops a WATER cell there with probability `rain_rate`
per step; the drop carries `rain_nutrient` of earth nutrient (a source; the AIR cell's air
nutrient is replaced, a sink). WATER falls like EARTH and slides sideways into any intangible
side cell (it levels out). A WATER cell resting on EARTH or on a plant soaks in: it becomes AIR
(no nutrient) and the cell below gains its earth nutrient (clipped at the cap). So rain carries soil
nutrient from the sky to the ground, and plants on a rainy world need not wait for the slow
diffusion up from the bedrock.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.rules.biomaker import rng
from alife.rules.biomaker.world import AIR, EARTH, SUN, WATER, is_agent, shifted

Array = jax.Array


def rain_and_soak(key: Array, types: Array, st: Array, rate: Array, nutrient: Array,
                  cap: Array) -> tuple[Array, Array]:
    """One rain/soak phase: `(types, st)`."""
    below = shifted(types, 1, 0, -1)
    soak = (types == WATER) & ((below == EARTH) | is_agent(below))
    gain = shifted(jnp.where(soak, st[..., 2], 0.0), -1, 0, 0.0)            # to the cell below
    st = st.at[..., 2].set(jnp.where(soak, 0.0, jnp.minimum(st[..., 2] + gain, cap)))
    st = st.at[..., 3].set(jnp.where(soak, 0.0, st[..., 3]))
    types = jnp.where(soak, AIR, types)
    drop = (types == AIR) & (shifted(types, -1, 0, -1) == SUN) & \
        (rng.uniform(rng.seed_of(key), types.shape) < rate)
    types = jnp.where(drop, WATER, types)
    st = jnp.where(drop[..., None], jnp.zeros_like(st).at[..., 2].set(nutrient), st)
    return types, st
