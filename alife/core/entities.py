"""Entities: fixed-capacity arrays of things that live on a grid (agents, robots, seeds).

A world with entities keeps them in slots whose number never changes, so shapes are static and
nothing recompiles while the population varies: a dead slot has `alive == False`, a birth fills a
free slot. Free slots are handed out by a cumulative-sum ranking (`allocate`), the same trick
CAX's boids and Jumanji's swarms use.

Shapes (N = capacity):
    position [N, 2] float32   (row, col) in cell units; integer values are the cell's corner,
                              renderers draw discs at `position` (add 0.5 for a cell's centre)
    alive    [N]    bool
    kind     [N]    int32     family-defined (e.g. 0 agent, 1 robot)
    colour   [N, 4] float32   RGBA in [0, 1]; renderers hide dead slots whatever their alpha
    id       [N]    int32     a stable identity (lineage id, program id), -1 for none

A rule with entities implements `EntityWorld.entities(state, params) -> Entities` (see
`alife.core.rule`); the app and `alife render` draw them as instanced discs over the grid.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.core.types import pytree_dataclass

Array = jax.Array


@pytree_dataclass
class Entities:
    """A fixed-capacity set of entities; see the module docstring for shapes."""

    position: Array
    alive: Array
    kind: Array
    colour: Array
    id: Array

    @property
    def capacity(self) -> int:
        return int(self.alive.shape[0])

    def count(self) -> Array:
        """Number of live entities (int32 scalar)."""
        return jnp.sum(self.alive.astype(jnp.int32))


def empty(capacity: int) -> Entities:
    """`capacity` dead slots."""
    return Entities(
        position=jnp.zeros((capacity, 2), jnp.float32),
        alive=jnp.zeros((capacity,), bool),
        kind=jnp.zeros((capacity,), jnp.int32),
        colour=jnp.zeros((capacity, 4), jnp.float32),
        id=jnp.full((capacity,), -1, jnp.int32),
    )


def allocate(alive: Array, requests: Array) -> tuple[Array, Array]:
    """Free slots for a batch of requests: `(slot [M] int32, granted [M] bool)`.

    `alive` is the `[N]` occupancy mask, `requests` an `[M]` bool mask of who asks for a slot.
    The k-th request (in index order) gets the k-th free slot; requests beyond the number of free
    slots are refused (`granted False`, `slot` set to N, an out-of-range index that `.at[].set`
    with `mode="drop"` ignores). Static shapes throughout: jit- and vmap-able.
    """
    capacity = alive.shape[0]
    free = ~alive
    free_rank = jnp.cumsum(free.astype(jnp.int32)) - 1          # rank of each free slot
    num_free = jnp.sum(free.astype(jnp.int32))
    # slot index of the r-th free slot, for r in [0, N): scatter positions by rank
    order = jnp.full((capacity,), capacity, jnp.int32)
    order = order.at[jnp.where(free, free_rank, capacity)].set(
        jnp.arange(capacity, dtype=jnp.int32), mode="drop")
    request_rank = jnp.cumsum(requests.astype(jnp.int32)) - 1
    granted = requests & (request_rank < num_free)
    slot = jnp.where(granted, order[jnp.clip(request_rank, 0, capacity - 1)], capacity)
    return slot.astype(jnp.int32), granted


def spawn(entities: Entities, requests: Array, position: Array, kind: Array, colour: Array,
          ident: Array) -> tuple[Entities, Array, Array]:
    """Place the requested new entities into free slots: `(entities, slot, granted)`.

    `requests [M]` bool; `position [M, 2]`, `kind [M]`, `colour [M, 4]`, `ident [M]` describe each
    candidate. Refused candidates (no free slot) change nothing.
    """
    slot, granted = allocate(entities.alive, requests)

    def put(dest: Array, value: Array) -> Array:
        return dest.at[slot].set(value.astype(dest.dtype), mode="drop")

    return Entities(
        position=put(entities.position, position),
        alive=put(entities.alive, jnp.ones_like(requests)),
        kind=put(entities.kind, kind),
        colour=put(entities.colour, colour),
        id=put(entities.id, ident),
    ), slot, granted
