"""Bit-packed 1-D kernel for 2-colour, radius-1 rules (Wolfram's 256 elementary CA).

A row of W cells (W a multiple of 32) is stored as `[W // 32]` uint32 words; cell `x` is bit
`x % 32` of word `x // 32`. The left/right neighbour words come from shifts that carry one bit in
from the adjacent word (pad once: wrap for periodic, all-zero or all-one words for fixed
boundaries). The next state is a multiplexer tree over (right, self, left) on the traced rule
table, so the 8 rule bits are Params: toggling one does not recompile. ~23 bitwise ops a word.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

WORD = 32


def encode(cells: jax.Array) -> jax.Array:
    """Pack `[..., W]` 0/1 cells (non-zero = 1) into `[..., W // 32]` uint32 words."""
    *lead, w = cells.shape
    bits = (cells != 0).astype(jnp.uint32).reshape(*lead, w // WORD, WORD)
    weights = jnp.left_shift(jnp.uint32(1), jnp.arange(WORD, dtype=jnp.uint32))
    return jnp.sum(bits * weights, axis=-1, dtype=jnp.uint32)


def decode(words: jax.Array) -> jax.Array:
    """Unpack `[..., nw]` words into `[..., nw * 32]` uint8 cells."""
    shifts = jnp.arange(WORD, dtype=jnp.uint32)
    bits = jnp.right_shift(words[..., None], shifts) & jnp.uint32(1)
    return bits.reshape(*words.shape[:-1], words.shape[-1] * WORD).astype(jnp.uint8)


def population(words: jax.Array) -> jax.Array:
    """Number of 1 cells in packed words (int32 scalar)."""
    return jnp.sum(jax.lax.population_count(words).astype(jnp.int32))


def step(words: jax.Array, table: jax.Array, boundary: str) -> jax.Array:
    """One generation of a packed row `[nw]`.

    `table`: `[8]` (bool or 0/1 ints), entry `4a + 2b + c` is the next state of a cell whose
    left, self, right neighbours are a, b, c. `boundary`: "periodic", "fixed0" or "fixed1".
    """
    if boundary == "periodic":
        padded = jnp.concatenate([words[-1:], words, words[:1]])
    else:
        fill = jnp.full((1,), 0xFFFFFFFF if boundary == "fixed1" else 0, jnp.uint32)
        padded = jnp.concatenate([fill, words, fill])
    left = (words << 1) | (padded[:-2] >> (WORD - 1))  # left[x] = cell x - 1
    right = (words >> 1) | (padded[2:] << (WORD - 1))  # right[x] = cell x + 1
    masks = jnp.where(jnp.asarray(table) != 0, jnp.uint32(0xFFFFFFFF), jnp.uint32(0))
    level = [masks[i] for i in range(8)]
    for bit in (right, words, left):  # index bits, least significant first
        level = [lo ^ ((lo ^ hi) & bit) for lo, hi in zip(level[::2], level[1::2], strict=True)]
    return level[0]
