"""Larger than Life (Evans 1996; Golly's LtL/HROT algorithm): counts over a radius-r neighbourhood.

Neighbourhoods (Golly's `NM`, `NN`, `NC`): Moore = the (2r+1)^2 square; von Neumann = the
diamond |dx|+|dy| <= r; circular = the cells with dx^2+dy^2 <= r^2+r. Each is a stack of
runs of half-width `halfwidths(r, kind)[d + r]` at offset d; the shapes are symmetric, so the
same widths serve as the column half-heights of `alife.core.kernels.neighbour_sum`.

The sum is taken separably on one padded copy (`neighbour_sum`): running sums of growing
half-height (2 adds per extra row), then one shifted slice per column offset, so a step costs
about 4r+1 adds per cell whatever the neighbourhood shape.

Counts are of state-1 cells. Following Golly, the survival count includes the cell itself when
`M1` (the params carry `middle` 0/1); birth counts never include it (the cell is dead).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from alife.core.kernels import neighbour_sum
from alife.core.topology import Topology
from alife.rules.life.kernels import advance, lookup


def halfwidths(radius: int, neighbourhood: str) -> tuple[int, ...]:
    """Half-width of the run at each row offset dy = -r..r."""
    r = radius
    if neighbourhood == "moore":
        return tuple(r for _ in range(2 * r + 1))
    if neighbourhood == "vonneumann":
        return tuple(r - abs(dy) for dy in range(-r, r + 1))
    if neighbourhood == "circular":
        return tuple(math.isqrt(r * r + r - dy * dy) for dy in range(-r, r + 1))
    raise ValueError(f"unknown Larger than Life neighbourhood {neighbourhood!r}")


def cell_count(radius: int, neighbourhood: str) -> int:
    """Cells in the neighbourhood, the centre included."""
    return sum(2 * w + 1 for w in halfwidths(radius, neighbourhood))


def neighbourhood_sum(grid: jax.Array, radius: int, neighbourhood: str,
                      topology: Topology) -> jax.Array:
    """Sum of `grid` over the neighbourhood of each cell, centre included; int32 [H, W]."""
    dtype = jnp.int16 if cell_count(radius, neighbourhood) < 2**15 else jnp.int32
    total = neighbour_sum(grid, halfwidths(radius, neighbourhood), topology, dtype=dtype)
    return total.astype(jnp.int32)


def step_ltl(state: jax.Array, birth: jax.Array, survive: jax.Array, middle: jax.Array,
             radius: int, neighbourhood: str, num_states: int,
             topology: Topology) -> jax.Array:
    """One generation; `birth`/`survive` are bool [K+1] tables over counts; uint8 [H, W]."""
    alive = state == 1
    total = neighbourhood_sum(alive.astype(jnp.uint8), radius, neighbourhood, topology)
    born = lookup(birth, total)
    # a live cell's own state is in `total`; its count is total - 1 + middle (>= 0 when alive)
    keep = lookup(survive, jnp.maximum(total - 1 + middle.astype(jnp.int32), 0))
    return advance(state, born, keep, num_states)
