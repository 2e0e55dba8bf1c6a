"""Cheap counter-based random numbers for the Biomaker step.

Each `jax.random` call site inlines a threefry hash, and on XLA:CPU every one costs about a
second of compile time (the step had ten of them). Here a step turns its PRNG key into one
uint32 seed (no threefry), and every random array is an integer hash of (seed, stream, index):
the "lowbias32" mixer (Wellons' hash prospector), which passes the usual avalanche tests and is
plenty for a simulation's coin flips. Deterministic for a key, like `jax.random`.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

Array = jax.Array
GOLDEN = 0x9E3779B9


def mix(x: Array) -> Array:
    """lowbias32: a bijective avalanche mix of uint32 values."""
    x = x.astype(jnp.uint32)
    x = x ^ (x >> 16)
    x = x * jnp.uint32(0x7FEB352D)
    x = x ^ (x >> 15)
    x = x * jnp.uint32(0x846CA68B)
    return x ^ (x >> 16)


def seed_of(key: Array) -> Array:
    """A uint32 seed from a PRNG key (typed or raw uint32 data), or a seed passed through."""
    if jnp.issubdtype(key.dtype, jax.dtypes.prng_key):
        key = jax.random.key_data(key)
    words = jnp.ravel(key).astype(jnp.uint32)
    if words.shape[0] == 1:
        return words[0]
    seed = jnp.uint32(0)
    for i in range(words.shape[0]):
        seed = mix(seed ^ words[i] ^ jnp.uint32(i * GOLDEN & 0xFFFFFFFF))
    return seed


def stream(seed: Array, n: int | Array) -> Array:
    """An independent seed for sub-stream `n`."""
    return mix(seed ^ mix(jnp.asarray(n, jnp.uint32) * jnp.uint32(GOLDEN) + jnp.uint32(1)))


def bits(seed: Array, shape: tuple[int, ...]) -> Array:
    size = math.prod(shape)
    index = jnp.arange(size, dtype=jnp.uint32).reshape(shape)
    return mix(index * jnp.uint32(GOLDEN) ^ mix(seed))


def uniform(seed: Array, shape: tuple[int, ...]) -> Array:
    """Uniform float32 in [0, 1) (24-bit resolution)."""
    return (bits(seed, shape) >> 8).astype(jnp.float32) * (1.0 / (1 << 24))


def gumbel(seed: Array, shape: tuple[int, ...]) -> Array:
    u = (bits(seed, shape) >> 8).astype(jnp.float32) * (1.0 / (1 << 24)) + 0.5 / (1 << 24)
    return -jnp.log(-jnp.log(u))


def normal(seed: Array, shape: tuple[int, ...]) -> Array:
    """Standard normal (Box-Muller on two hash streams)."""
    u1 = uniform(stream(seed, 1), shape) + 0.5 / (1 << 24)
    u2 = uniform(stream(seed, 2), shape)
    return jnp.sqrt(-2.0 * jnp.log(u1)) * jnp.cos(2.0 * jnp.pi * u2)
