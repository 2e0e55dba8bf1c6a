"""PRNG key helpers: one place that turns a user's integer seed into JAX keys."""

from __future__ import annotations

import jax


def key_from_seed(seed: int) -> jax.Array:
    """A JAX PRNG key from an integer seed (scene files and the CLI store plain integers)."""
    return jax.random.PRNGKey(int(seed) & 0xFFFFFFFF)
