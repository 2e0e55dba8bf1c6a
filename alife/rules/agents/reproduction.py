"""Births, founders and the lineage log of the agents family (JaxLife, Lu et al. 2024).

Reproduction is asexual: a live agent whose reproduce action is positive and whose energy is
above `reproduce_factor x cost` (cost = reproduce_cost x the cell's reproduce cost x alive /
capacity, so crowding raises it) pays the cost; its child takes a free slot (`core.entities
.allocate`) with the parent's genome plus N(0, mutation_std) noise (an independent key per
weight leaf), the parent's id vector plus U(-id_mutation, id_mutation) clipped to [-1, 1],
`initial_energy` (new energy, as in the paper; with `parent_pays_child` 1 the parent also
gives it and must hold it on top of the threshold), fresh memory, age 0 and the parent's
position. At most `max_births` parents
per step, chosen at random among those that qualify. When every agent is dead (and `reseed`
is on) `start` founders with random genomes are placed at random.

Every birth and death is appended to a ring log `[L, 5]` (kind, slot, id, parent, generation).
"""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp

from alife.core.entities import allocate
from alife.rules.agents import noise, terrain
from alife.rules.agents.brain import ID_SIZE, LAST_ACTION, MESSAGE, BrainSpec
from alife.rules.agents.state import Agents, AgentsParams

Array = jax.Array


@partial(jax.jit, static_argnums=(1, 2, 3, 4, 5))
def founders(key: Array, spec: BrainSpec, capacity: int, start: int, height: int, width: int,
             first_id: Array, energy: Array, into: Any = None) -> Agents:
    """`capacity` slots, the first `start` alive with random genomes at random positions.
    `into`: a genome pytree whose buffers the new genomes may overwrite (the re-seed passes
    the dead world's, so it needs no second set of genomes)."""
    k_pos, k_id, k_brain = jax.random.split(key, 3)
    size = jnp.asarray([height, width], jnp.float32)
    alive = jnp.arange(capacity) < start
    ids = jnp.where(alive, first_id + jnp.arange(capacity, dtype=jnp.int32), -1)
    h, c = spec.zero_carry(capacity)
    return Agents(
        position=jax.random.uniform(k_pos, (capacity, 2)) * size,
        alive=alive,
        energy=jnp.where(alive, energy, 0.0).astype(jnp.float32),
        age=jnp.zeros((capacity,), jnp.int32),
        idvec=jax.random.uniform(k_id, (capacity, ID_SIZE), minval=-1.0, maxval=1.0),
        lineage=ids.astype(jnp.int32), parent=jnp.full((capacity,), -1, jnp.int32),
        root=ids.astype(jnp.int32), depth=jnp.zeros((capacity,), jnp.int32),
        birth=jnp.zeros((capacity,), jnp.int32),
        last=jnp.zeros((capacity, LAST_ACTION), jnp.float32),
        self_msg=jnp.zeros((capacity, MESSAGE), jnp.float32),
        out_msg=jnp.zeros((capacity, MESSAGE), jnp.float32),
        h=h, c=c,
        genome=noise.fill(spec, k_brain, capacity, into))


def log_events(log: Array, count: Array, rows: Array, valid: Array) -> tuple[Array, Array]:
    """Append the `valid` rows `[M, 5]` to the ring `log [L, 5]`; `(log, count)`."""
    size = log.shape[0]
    rank = jnp.cumsum(valid.astype(jnp.int32)) - 1
    where = jnp.where(valid, (count + rank) % size, size)
    log = log.at[where].set(rows.astype(jnp.int32), mode="drop")
    return log, count + jnp.sum(valid.astype(jnp.int32))


def event_rows(kind: int, slots: Array, agents: Agents, generation: Array) -> Array:
    """Log rows for `slots` of `agents` (kind 1 birth, 0 death)."""
    n = slots.shape[0]
    safe = jnp.minimum(slots, agents.lineage.shape[0] - 1)
    return jnp.stack([jnp.full((n,), kind, jnp.int32), slots.astype(jnp.int32),
                      agents.lineage[safe], agents.parent[safe],
                      jnp.broadcast_to(generation, (n,)).astype(jnp.int32)], axis=1)


def reproduce(key: Array, spec: BrainSpec, agents: Agents, cells: Array, wants: Array,
              next_id: Array, generation: Array, params: AgentsParams, max_births: int
              ) -> tuple[Agents, Array, Array, Array, Array]:
    """Births: `(agents, slots [M], granted [M], paid (energy spent), next_id)`."""
    height, width = cells.shape[1:]
    n = agents.alive.shape[0]
    m = min(max_births, n)
    row, col = terrain.cell_index(agents.position, height, width)
    crowd = jnp.sum(agents.alive.astype(jnp.float32)) / n
    cost = params.reproduce_cost * cells[terrain.REPRODUCE, row, col] * crowd
    gift = params.parent_pays_child * params.initial_energy
    able = agents.alive & wants & (agents.energy > params.reproduce_factor * cost + gift)
    k_pick, k_id, k_genome = jax.random.split(key, 3)
    priority = jnp.where(able, jax.random.uniform(k_pick, (n,)), -1.0)
    score, parent = jax.lax.top_k(priority, m)
    slot, granted = allocate(agents.alive, score >= 0)
    paid = cost[parent] * granted
    energy = agents.energy.at[parent].add(-paid - gift * granted)
    rank = jnp.cumsum(granted.astype(jnp.int32)) - 1
    new_ids = next_id + rank

    def put(dest: Array, value: Array) -> Array:
        return dest.at[slot].set(value.astype(dest.dtype), mode="drop")

    idvec = jnp.clip(agents.idvec[parent] + jax.random.uniform(
        k_id, (m, ID_SIZE), minval=-1.0, maxval=1.0) * params.id_mutation, -1.0, 1.0)

    def mutate(genome: Any) -> Any:
        drawn = spec.normals(k_genome, m)            # an independent key per leaf
        return jax.tree_util.tree_map(
            lambda leaf, z: leaf.at[slot].set(leaf[parent] + params.mutation_std * z,
                                              mode="drop"), genome, drawn)

    if noise.rows_independent():
        # the same numbers, drawn only for the children born (about 3 of 8 a step)
        genome = noise.mutate_rows(spec, k_genome, agents.genome, slot, parent,
                                   jnp.sum(granted.astype(jnp.int32)), params.mutation_std)
    else:
        genome = jax.lax.cond(jnp.any(granted), mutate, lambda g: g, agents.genome)
    zeros_h = jnp.zeros((m,) + agents.h.shape[1:], jnp.float32)
    born = dataclasses.replace(
        agents,
        position=put(agents.position, agents.position[parent]),
        alive=put(agents.alive, granted),
        energy=put(energy, jnp.broadcast_to(params.initial_energy, (m,))),
        age=put(agents.age, jnp.zeros((m,), jnp.int32)),
        idvec=put(agents.idvec, idvec),
        lineage=put(agents.lineage, new_ids),
        parent=put(agents.parent, agents.lineage[parent]),
        root=put(agents.root, agents.root[parent]),
        depth=put(agents.depth, agents.depth[parent] + 1),
        birth=put(agents.birth, jnp.broadcast_to(generation, (m,))),
        last=put(agents.last, jnp.zeros((m, LAST_ACTION))),
        self_msg=put(agents.self_msg, jnp.zeros((m, MESSAGE))),
        out_msg=put(agents.out_msg, jnp.zeros((m, MESSAGE))),
        h=put(agents.h, zeros_h), c=put(agents.c, zeros_h),
        genome=genome)
    return born, slot, granted, jnp.sum(paid), next_id + jnp.sum(granted.astype(jnp.int32))
