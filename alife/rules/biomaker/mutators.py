"""Biomaker mutators (Randazzo & Mordvintsev 2023): basic, self-adaptive, crossover.

- basic: `p + N(0, sd)` on a Bernoulli(`fraction`) mask of the parameters;
- self-adaptive: every parameter carries its own sd; a child's sd is the parent's times
  `exp(0.1 N(0, 1))` (about 10%), clipped to [1e-5, 10], then `p + N(0, sd)` on the mask;
- crossover: contiguous segments of the two parents, chosen by the sign of 1-D value noise
  (random values at knots every `segment` parameters, linearly interpolated).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.rules.biomaker import rng

Array = jax.Array

SD_MIN, SD_MAX, SD_RATE = 1e-5, 10.0, 0.1


def basic(key: Array, p: Array, fraction: Array, sd: Array) -> Array:
    seed = rng.seed_of(key)
    mask = rng.uniform(rng.stream(seed, 0), p.shape) < fraction
    return p + jnp.where(mask, sd * rng.normal(rng.stream(seed, 1), p.shape), 0.0)


def adaptive(key: Array, p: Array, sd: Array, fraction: Array) -> tuple[Array, Array]:
    seed = rng.seed_of(key)
    noise = rng.normal(rng.stream(seed, 0), sd.shape)
    sd = jnp.clip(sd * jnp.exp(SD_RATE * noise), SD_MIN, SD_MAX)
    mask = rng.uniform(rng.stream(seed, 1), p.shape) < fraction
    return p + jnp.where(mask, sd * rng.normal(rng.stream(seed, 2), p.shape), 0.0), sd


def crossover(key: Array, a: Array, b: Array, segment: int = 64) -> Array:
    n = a.shape[-1]
    knots = n // segment + 2
    values = rng.normal(rng.seed_of(key), (knots,))
    x = jnp.arange(n) / segment
    noise = jnp.interp(x, jnp.arange(knots, dtype=jnp.float32), values)
    return jnp.where(noise > 0, a, b)
