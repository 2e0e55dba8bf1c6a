"""Generic JAX kernels for Life-like rules on a uint8 grid of cell states.

One padded copy per step (`alife.core.topology.pad`), then sums of static slices: no
`jnp.roll` (ARCHITECTURE.md: rolls are 50-100x slower on XLA:CPU at 1024^2). Every topology
of `alife.core.topology` works, because all wrapping happens in `pad`.

Cells: state 0 is dead, 1 alive, 2..n-1 dying (Generations: a dying cell counts down through
2, 3, ... n-1 and then 0; it ignores births and does not count as a neighbour). Only state-1
cells are counted as neighbours.

Shapes: grids are [H, W]; birth/survive tables are bool [T] params (T = 9/5/7 for totalistic
Moore/von Neumann/hex counts, 256 for Hensel configurations, K+1 for Larger than Life).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.core.kernels import neighbour_sum
from alife.core.topology import Topology, pad
from alife.rules.life.hensel import OFFSETS as HENSEL_OFFSETS

#: (dy, dx) of the neighbours of each range-1 neighbourhood (y grows downward).
NEIGHBOURS: dict[str, tuple[tuple[int, int], ...]] = {
    "moore": ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)),
    "vonneumann": ((-1, 0), (0, -1), (0, 1), (1, 0)),
    # Golly's hexagonal emulation: the Moore neighbourhood without NE and SW.
    "hex": ((-1, -1), (-1, 0), (0, -1), (0, 1), (1, 0), (1, 1)),
}


def padded(grid: jax.Array, r: int, topology: Topology) -> jax.Array:
    """The grid padded by r cells under its topology (`alife.core.topology.pad`). [H+2r, W+2r]."""
    return pad(grid, r, topology)


def _slice(p: jax.Array, r: int, dy: int, dx: int, h: int, w: int) -> jax.Array:
    return p[r + dy : r + dy + h, r + dx : r + dx + w]


def count_neighbours(alive: jax.Array, neighbourhood: str, topology: Topology) -> jax.Array:
    """Number of live neighbours of each cell, uint8 [H, W] from a 0/1 uint8 grid."""
    if neighbourhood == "vonneumann":
        return neighbour_sum(alive, (0, 1, 0), topology, exclude=((0, 0),))
    if neighbourhood == "moore":
        return neighbour_sum(alive, 1, topology, exclude=((0, 0),))
    return neighbour_sum(alive, 1, topology, exclude=((0, 0), (-1, 1), (1, -1)))  # hex: no NE, SW


def hensel_code(alive: jax.Array, topology: Topology) -> jax.Array:
    """8-bit configuration code per cell (bit i = neighbour `hensel.DIRS[i]`), int32 [H, W]."""
    h, w = alive.shape
    p = padded(alive, 1, topology)
    code = sum(_slice(p, 1, dy, dx, h, w) << i for i, (dy, dx) in enumerate(HENSEL_OFFSETS))
    return code.astype(jnp.int32)


def lookup(table: jax.Array, index: jax.Array) -> jax.Array:
    """`table[index]` for a bool [T] table, without a gather for T <= 512.

    The table is packed into uint32 words; the word is chosen by a tree of selects on the high
    bits of the index and the bit by a shift (a gather over a whole grid is several times
    slower on XLA:CPU). Larger tables fall back to `jnp.take`.
    """
    n = table.shape[0]
    if n > 512:
        return jnp.take(table, jnp.clip(index.astype(jnp.int32), 0, n - 1))
    nwords = -(-n // 32)
    levels = max(nwords - 1, 0).bit_length()
    padded = jnp.zeros(32 << levels, jnp.uint32).at[:n].set(table.astype(jnp.uint32))
    words = jnp.sum(padded.reshape(-1, 32) << jnp.arange(32, dtype=jnp.uint32), axis=1)
    index = index.astype(jnp.uint32)
    choices = [words[i] for i in range(words.shape[0])]
    for level in range(levels):
        bit = ((index >> (5 + level)) & 1) == 1
        choices = [jnp.where(bit, choices[2 * i + 1], choices[2 * i])
                   for i in range(len(choices) // 2)]
    return ((choices[0] >> (index & 31)) & 1).astype(bool)


def advance(state: jax.Array, born: jax.Array, survives: jax.Array, num_states: int) -> jax.Array:
    """Next states from the birth and survival decisions (bool [H, W]); uint8 [H, W].

    Dead cells are born (-> 1); live cells survive (stay 1) or start dying (-> 2, or -> 0 for
    two-state rules); dying cells advance one state and reach 0 after state n-1.
    """
    one = jnp.uint8(1)
    zero = jnp.uint8(0)
    if num_states == 2:
        return jnp.where(state == 1, survives, born).astype(jnp.uint8)
    dying = jnp.where(state >= num_states - 1, zero, state + one)
    live_next = jnp.where(survives, one, jnp.uint8(2))
    return jnp.where(state == 0, born.astype(jnp.uint8),
                     jnp.where(state == 1, live_next, dying))


def step_totalistic(state: jax.Array, birth: jax.Array, survive: jax.Array, neighbourhood: str,
                    num_states: int, topology: Topology) -> jax.Array:
    """One generation of an outer-totalistic (or Generations) rule; uint8 [H, W]."""
    alive = (state == 1).astype(jnp.uint8)
    n = count_neighbours(alive, neighbourhood, topology)
    return advance(state, lookup(birth, n), lookup(survive, n), num_states)


def step_hensel(state: jax.Array, birth: jax.Array, survive: jax.Array, num_states: int,
                topology: Topology) -> jax.Array:
    """One generation of an isotropic non-totalistic rule (bool [256] tables); uint8 [H, W]."""
    alive = (state == 1).astype(jnp.uint8)
    code = hensel_code(alive, topology)
    return advance(state, lookup(birth, code), lookup(survive, code), num_states)
