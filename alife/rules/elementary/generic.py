"""Unpacked 1-D kernel for any k colours, radius r, elementary or totalistic table (NKS ch. 3).

A row is `[W]` uint8 colours. Pad once by r cells (wrap for periodic, a constant 0 or 1 for
fixed boundaries), then build the table index from 2r+1 static slices: the base-k number of the
neighbourhood (leftmost digit most significant) for "elementary", the colour sum for
"totalistic". The table is a traced Param, so a new rule number does not recompile.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def pad(row: jax.Array, r: int, boundary: str) -> jax.Array:
    """`[W]` -> `[W + 2r]` per the boundary ("periodic", "fixed0", "fixed1")."""
    if r == 0:
        return row
    if boundary == "periodic":
        return jnp.pad(row, r, mode="wrap")
    return jnp.pad(row, r, constant_values=1 if boundary == "fixed1" else 0)


def step(row: jax.Array, table: jax.Array, kind: str, k: int, r: int, boundary: str) -> jax.Array:
    """One generation of a `[W]` uint8 row under a `[table_size]` uint8 table."""
    w = row.shape[0]
    p = pad(row, r, boundary).astype(jnp.int32)
    index = jnp.zeros((w,), jnp.int32)
    for j in range(2 * r + 1):
        cell = p[j : j + w]
        index = index + cell if kind == "totalistic" else index * k + cell
    return jnp.take(table, index, mode="clip").astype(jnp.uint8)
