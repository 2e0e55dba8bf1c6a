"""The JAX step of a compiled rule table: one padded copy of the grid, then gathers.

The grid (uint8 states, [H, W]) is padded by one cell under its topology
(`alife.core.topology.pad`: torus, plane with state 0 outside, Klein bottle, cross-surface,
sphere), and each cell of the neighbourhood is a static slice of the padded grid. Then either

- `dense`: the slices are combined as base-n digits into one int32 index per cell (in the
  compiled order, the first cell most significant) and the table gives the next state in one
  gather; or
- `tree`: the walk starts at the root's offset and each slice moves it one level down,
  `node = flat[node + state]` (one gather per cell of the neighbourhood); after the last level
  (the centre) `node` is the next state.

Both are pure and shape-static, so they vectorise over the grid, jit, vmap and run on GPU.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.core.topology import Topology, pad


def _take(table: jax.Array, index: jax.Array) -> jax.Array:
    return table.at[index].get(mode="promise_in_bounds")


def step(cells: jax.Array, lookup: jax.Array, offsets: tuple[tuple[int, int], ...],
         n_states: int, dense: bool, root: int, topology: Topology) -> jax.Array:
    """The next uint8 [H, W] grid. `lookup`: the dense table (uint8) or the flat tree (int32)."""
    h, w = cells.shape
    padded = pad(cells, 1, topology)
    cell = [padded[1 + dy:1 + dy + h, 1 + dx:1 + dx + w].astype(jnp.int32)
            for dy, dx in offsets]
    if dense:
        index = cell[0]
        for value in cell[1:]:
            index = index * n_states + value
        return _take(lookup, index).astype(jnp.uint8)
    node = _take(lookup, cell[0] + root)
    for value in cell[1:]:
        node = _take(lookup, node + value)
    return node.astype(jnp.uint8)
