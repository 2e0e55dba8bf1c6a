"""Neighbour search for the agents family: k nearest entities on a torus in about linear time.

Entities are bucketed on a coarse grid whose buckets are at least `radius` cells wide, by sorting
their bucket ids (`argsort` + `searchsorted`): a table `[buckets, capacity]` lists each bucket's
members. A query looks only at its own and the 8 surrounding buckets (9 x capacity candidates), so
every entity within `radius` is found unless its bucket holds more than `capacity` entities (then
the bucket's members with the highest slots are left out). Cost: O(N log N) for the sort plus
O(queries x 9 x capacity), instead of O(N^2). `brute` is the O(queries x M) search used for the
few robots (and as the reference in tests).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from alife.core.topology import torus_delta

Array = jax.Array
FAR = 1e9


class Found(NamedTuple):
    """The k nearest per query: slot `index [Q, k]` (M where none), `offset [Q, k, 2]` (target
    minus query, wrapped, cells), `distance [Q, k]` and `valid [Q, k]`."""

    index: Array
    offset: Array
    distance: Array
    valid: Array


def grid_dims(height: int, width: int, radius: float) -> tuple[int, int]:
    """Buckets per axis: as many as fit with each bucket at least `radius` cells wide."""
    return max(1, int(height // max(radius, 1e-6))), max(1, int(width // max(radius, 1e-6)))


def _bucket(position: Array, height: int, width: int, dims: tuple[int, int]) -> tuple[Array, Array]:
    gr, gc = dims
    br = jnp.clip(jnp.floor(position[:, 0] % height * gr / height).astype(jnp.int32), 0, gr - 1)
    bc = jnp.clip(jnp.floor(position[:, 1] % width * gc / width).astype(jnp.int32), 0, gc - 1)
    return br, bc


def build(position: Array, alive: Array, height: int, width: int, radius: float,
          capacity: int) -> Array:
    """The bucket table `[buckets, capacity]` of slots (N marks an empty entry)."""
    n = position.shape[0]
    dims = grid_dims(height, width, radius)
    buckets = dims[0] * dims[1]
    br, bc = _bucket(position, height, width, dims)
    ident = jnp.where(alive, br * dims[1] + bc, buckets)
    order = jnp.argsort(ident, stable=True).astype(jnp.int32)
    sorted_ids = ident[order]
    ids = jnp.arange(buckets, dtype=ident.dtype)
    start = jnp.searchsorted(sorted_ids, ids, side="left")
    count = jnp.searchsorted(sorted_ids, ids, side="right") - start
    j = jnp.arange(capacity)
    pick = order[jnp.clip(start[:, None] + j[None, :], 0, n - 1)]
    return jnp.where(j[None, :] < count[:, None], pick, n).astype(jnp.int32)


def bucket_counts(position: Array, alive: Array, height: int, width: int,
                  radius: float) -> Array:
    """Live entities per bucket (to check for overflow)."""
    dims = grid_dims(height, width, radius)
    br, bc = _bucket(position, height, width, dims)
    ident = jnp.where(alive, br * dims[1] + bc, dims[0] * dims[1])
    return jnp.zeros(dims[0] * dims[1] + 1, jnp.int32).at[ident].add(1)[:-1]


def _offsets(n: int) -> list[int]:
    return [-1, 0, 1] if n >= 3 else list(range(n))


def _select(query: Array, exclude: Array, candidates: Array, position: Array, k: int,
            radius: float, height: int, width: int) -> Found:
    """The k nearest of `candidates [Q, C]` (slots; M = none) to each query."""
    m = position.shape[0]
    padded = jnp.concatenate([position, jnp.full((1, 2), FAR, position.dtype)])
    offset = torus_delta(padded[candidates], query[:, None, :], (height, width))
    distance = jnp.sqrt(jnp.sum(offset * offset, axis=-1))
    ok = (candidates < m) & (candidates != exclude[:, None]) & (distance <= radius)
    score = jnp.where(ok, distance, jnp.inf)
    if score.shape[1] < k:
        pad = k - score.shape[1]
        score = jnp.pad(score, ((0, 0), (0, pad)), constant_values=jnp.inf)
        candidates = jnp.pad(candidates, ((0, 0), (0, pad)), constant_values=m)
        offset = jnp.pad(offset, ((0, 0), (0, pad), (0, 0)))
    neg, at = jax.lax.top_k(-score, k)
    valid = jnp.isfinite(neg)
    index = jnp.where(valid, jnp.take_along_axis(candidates, at, axis=1), m)
    off = jnp.take_along_axis(offset, at[:, :, None], axis=1) * valid[:, :, None]
    return Found(index=index, offset=off, distance=jnp.where(valid, -neg, 0.0), valid=valid)


def query(table: Array, query_pos: Array, exclude: Array, position: Array, k: int,
          radius: float, height: int, width: int) -> Found:
    """The k nearest live entities within `radius` of each query position (grid search).

    `exclude [Q]` is a slot each query must not find (itself), or M for none."""
    dims = grid_dims(height, width, radius)
    br, bc = _bucket(query_pos, height, width, dims)
    ids = [((br + dr) % dims[0]) * dims[1] + (bc + dc) % dims[1]
           for dr in _offsets(dims[0]) for dc in _offsets(dims[1])]
    candidates = jnp.concatenate([table[i] for i in ids], axis=1)      # [Q, 9C]
    return _select(query_pos, exclude, candidates, position, k, radius, height, width)


def brute(query_pos: Array, exclude: Array, position: Array, alive: Array, k: int,
          radius: float, height: int, width: int) -> Found:
    """The k nearest live entities by checking all M of them (for the few robots)."""
    m = position.shape[0]
    slots = jnp.where(alive, jnp.arange(m, dtype=jnp.int32), m)
    candidates = jnp.broadcast_to(slots[None, :], (query_pos.shape[0], m))
    return _select(query_pos, exclude, candidates, position, k, radius, height, width)
