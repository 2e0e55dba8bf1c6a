"""Bit-packed 1-D kernel for 2-colour, radius-1 rules (Wolfram's 256 elementary CA).

A row of W cells (W a multiple of 32) is stored as `[W // 32]` uint32 words; cell `x` is bit
`x % 32` of word `x // 32`. The left/right neighbour words come from shifts that carry one bit in
from the adjacent word (pad once: wrap for periodic, all-zero or all-one words for fixed
boundaries). The next state is a multiplexer tree over (right, self, left) on the traced rule
table, so the 8 rule bits are Params: toggling one does not recompile. ~23 bitwise ops a word.
`advance` runs many generations with the row kept padded in two buffers that take turns.
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


def _masks(table: jax.Array) -> list[jax.Array]:
    """The rule table as all-ones / all-zero uint32 scalars."""
    masks = jnp.where(jnp.asarray(table) != 0, jnp.uint32(0xFFFFFFFF), jnp.uint32(0))
    return [masks[i] for i in range(8)]


def _next(padded: jax.Array, masks: list[jax.Array]) -> jax.Array:
    """Next words `[nw]` from the row padded with one word on each side `[nw + 2]`."""
    words = padded[1:-1]
    left = (words << 1) | (padded[:-2] >> (WORD - 1))  # left[x] = cell x - 1
    right = (words >> 1) | (padded[2:] << (WORD - 1))  # right[x] = cell x + 1
    level = masks
    for bit in (right, words, left):  # index bits, least significant first
        level = [lo ^ ((lo ^ hi) & bit) for lo, hi in zip(level[::2], level[1::2], strict=True)]
    return level[0]


def _pad(words: jax.Array, boundary: str) -> jax.Array:
    """One word on each side: wrapped (periodic) or all-zero / all-one cells (fixed)."""
    if boundary == "periodic":
        return jnp.concatenate([words[-1:], words, words[:1]])
    fill = jnp.full((1,), 0xFFFFFFFF if boundary == "fixed1" else 0, jnp.uint32)
    return jnp.concatenate([fill, words, fill])


def step(words: jax.Array, table: jax.Array, boundary: str) -> jax.Array:
    """One generation of a packed row `[nw]`.

    `table`: `[8]` (bool or 0/1 ints), entry `4a + 2b + c` is the next state of a cell whose
    left, self, right neighbours are a, b, c. `boundary`: "periodic", "fixed0" or "fixed1".
    """
    return _next(_pad(words, boundary), _masks(table))


def advance(words: jax.Array, history: jax.Array, generation: jax.Array, table: jax.Array,
            boundary: str, steps: jax.Array | int) -> tuple[jax.Array, jax.Array]:
    """`steps` generations (may be traced) of a packed row: `(row, history)` equal to `steps`
    calls of `step`, each new row written into the ring `history` `[n, nw]` at index
    `generation % n` (`generation` counted after the step, as `ElementaryRule.step` does).

    The row stays padded: two `[nw + 2]` buffers take turns as source and target, each step
    writes into the other's interior in place and, when periodic, refills its two halo words
    (fixed boundaries keep theirs). Only the last `n` rows reach the ring (older ones would be
    overwritten within the call). `step` pads afresh every generation, a copy of the row
    that cost over half of the step's time at 2^20 cells (benchmarks/README.md, "Roofline").
    """
    masks = _masks(table)
    nw, depth = words.shape[-1], history.shape[0]

    def one(src: jax.Array, dst: jax.Array) -> tuple[jax.Array, jax.Array]:
        row = _next(src, masks)
        dst = jax.lax.dynamic_update_slice(dst, row, (1,))
        if boundary == "periodic":
            dst = dst.at[0].set(row[nw - 1]).at[nw + 1].set(row[0])
        return row, dst

    def quiet(_: jax.Array, pair: tuple) -> tuple:
        a, b = pair  # two steps, a -> b -> a: the buffers never swap places in the loop's carry
        b = one(a, b)[1]  # (a swap makes XLA copy both buffers every iteration)
        return one(b, a)[1], b

    def recorded(i: jax.Array, carry: tuple) -> tuple:
        src, dst, ring = carry
        row, dst = one(src, dst)
        slot = (generation + i + 1) % depth
        ring = jax.lax.dynamic_update_slice_in_dim(ring, row[None], slot, axis=0)
        return dst, src, ring

    # rows older than the ring's depth would be overwritten before the end: only the last
    # `depth` steps write theirs (the ring holds the same rows as after `steps` calls of step)
    skip = jnp.maximum(jnp.asarray(steps, jnp.int32) - depth, 0)
    padded = _pad(words, boundary)
    a, b = jax.lax.fori_loop(0, skip // 2, quiet, (padded, padded))
    a, b = jax.lax.cond(skip % 2 == 1, lambda a, b: (one(a, b)[1], a), lambda a, b: (a, b), a, b)
    final, _, history = jax.lax.fori_loop(skip, steps, recorded, (a, b, history))
    return final[1:-1], history
