"""Shared neighbourhood kernels: pad once per step and sum slices, separably.

On XLA:CPU neighbour sums built from `jnp.roll` are 50-100x slower at 1024^2 and above than
padding once and summing static slices (ARCHITECTURE.md, measured facts).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.core.topology import Topology, pad


def box_sum(grid: jax.Array, r: int, topology: Topology, dtype=jnp.int32) -> jax.Array:
    """Sum over the (2r+1)^2 square around each cell (the cell included), separably. [H, W]."""
    h, w = grid.shape
    p = pad(grid.astype(dtype), r, topology)
    rows = sum(p[:, i : i + w] for i in range(2 * r + 1))
    return sum(rows[i : i + h, :] for i in range(2 * r + 1))
