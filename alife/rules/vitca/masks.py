"""Masking noise and its curriculum for ViTCA training (Tesfaldet et al., NeurIPS 2022).

A mask covers square patches of side `s` px, each patch masked independently with probability `p`
(the patch grid has a random offset). Nine configurations, ordered easy to hard: side in
{1, 5, 10} (outer) x p in {0.25, 0.5, 0.75} (inner). Training unlocks them one by one, evenly
between iteration `start` and `end` (the paper: 500 and 10000), and each fresh sample draws one of
the unlocked configurations uniformly. Masked input pixels are set to `MASK_VALUE` (0).

Everything here is jit-able with traced iteration numbers and configuration indices.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

Array = jax.Array

SIDES = (1, 5, 10)
PROBS = (0.25, 0.5, 0.75)
#: (side, prob) of each configuration, easy to hard.
CONFIGS: tuple[tuple[int, float], ...] = tuple((s, p) for s in SIDES for p in PROBS)
MASK_VALUE = 0.0


def patch_mask(key: Array, h: int, w: int, side: Array, prob: Array) -> Array:
    """`[H, W]` bool: square patches of side `side` (traced int >= 1), each on w.p. `prob`."""
    k_off, k_u = jax.random.split(key)
    offset = jax.random.randint(k_off, (2,), 0, jnp.maximum(side, 1))
    u = jax.random.uniform(k_u, (h + 1, w + 1))
    rows = (jnp.arange(h) + offset[0]) // side
    cols = (jnp.arange(w) + offset[1]) // side
    return u[rows[:, None], cols[None, :]] < prob


def config_mask(key: Array, h: int, w: int, index: Array) -> Array:
    """`[H, W]` bool mask of configuration `index` (traced int in [0, 9))."""
    sides = jnp.asarray([s for s, _ in CONFIGS], jnp.int32)
    probs = jnp.asarray([p for _, p in CONFIGS], jnp.float32)
    return patch_mask(key, h, w, sides[index], probs[index])


def unlocked(iteration: Array, start: float, end: float) -> Array:
    """How many configurations are unlocked at `iteration` (1 before `start`, 9 after `end`)."""
    frac = jnp.clip((iteration - start) / max(end - start, 1.0), 0.0, 1.0)
    return 1 + jnp.floor(frac * (len(CONFIGS) - 1) + 1e-6).astype(jnp.int32)


def sample_mask(key: Array, h: int, w: int, iteration: Array, start: float, end: float) -> Array:
    """`[H, W]` bool mask from a configuration drawn uniformly among those unlocked."""
    k_cfg, k_mask = jax.random.split(key)
    index = jax.random.randint(k_cfg, (), 0, unlocked(iteration, start, end))
    return config_mask(k_mask, h, w, index)


def apply_mask(image: Array, mask: Array) -> Array:
    """`image` `[H, W, C]` with pixels under `mask` `[H, W]` set to MASK_VALUE."""
    return jnp.where(mask[..., None], MASK_VALUE, image)
