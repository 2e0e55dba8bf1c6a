"""Robots, the programmable systems of JaxLife (Lu et al. 2024, section 3.4).

A robot never dies. Each sub-step it takes the messages of the 2 nearest entities within the
view radius (agents' broadcasts or other robots' memories), ordered left to right (by wrapped
column offset, then row offset), as m1 and m2, and runs one of 7 operations chosen by
`argmax(program[:7])` on (its memory `mem`, m1, m2):

    0 copy m1             1 keep mem             2 mem x m1           3 mem x m1 + m2
    4 gated blend: (2 xor(round mem[-1], round m1[-1]) - 1) mem m1 + (1 - m1) mem, last entry kept
    5 1 - m1 x m2 (a soft NAND)
    6 lookup: mem with its last entry set to table[4 (m1[-1] > 0) + 2 (mem[-1] > 0) + (m2[-1] > 0)],
      `table = program[7:15]`

The result `a` is also its action (clipped to [-1, 1]): move (a[0], a[1]) x robot_speed; a[12] <
-0.99 writes the terrain bit under it (1 if mem[-1] > 0, else 0), a[12] > 0.99 reads the bit
under its new position into mem[-1] (as +-1); the memory becomes `a` (clipped to [-1, 1], so
chains of robots multiplying each other's memories cannot overflow) when a[13] > 0 or the
operation is copy. With the lookup table 0,1,1,1,0,1,1,0 (as +-1) and robots in a row moving one
cell down per sub-step while writing, the bits they leave are Rule 110's space-time diagram.
"""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp

from alife.rules.agents import neighbours, terrain
from alife.rules.agents.state import Agents, Robots

Array = jax.Array
OPS = 7
TABLE = 8
#: Rule 110 as a lookup table over (left, self, right), +-1
RULE110 = (-1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, -1.0)


def operate(op: Array, table: Array, mem: Array, m1: Array, m2: Array) -> Array:
    """The 7 operations for one robot: `[16]`."""
    xor = jnp.logical_xor(jnp.round(mem[-1]).astype(jnp.int32) != 0,
                          jnp.round(m1[-1]).astype(jnp.int32) != 0)
    blend = ((xor * 2.0 - 1.0) * mem * m1 + (1.0 - m1) * mem).at[-1].set(mem[-1])
    index = 4 * (m1[-1] > 0) + 2 * (mem[-1] > 0) + (m2[-1] > 0)
    lookup = mem.at[-1].set(table[index])
    results = jnp.stack([m1, mem, mem * m1, mem * m1 + m2, blend, 1.0 - m1 * m2, lookup])
    return results[op]


def inputs(robots: Robots, agents: Agents, table: Array, radius: float, capacity: int,
           height: int, width: int) -> tuple[Array, Array]:
    """m1, m2 `[R, 16]` for every robot: the 2 nearest entities' messages, left to right."""
    del capacity
    r = robots.position.shape[0]
    slots = jnp.arange(r, dtype=jnp.int32)
    near_agents = neighbours.query(table, robots.position, jnp.full((r,), -1, jnp.int32),
                                   agents.position, 2, radius, height, width)
    near_robots = neighbours.brute(robots.position, slots, robots.position,
                                   robots.alive, 2, radius, height, width)
    pad = jnp.zeros((1, robots.memory.shape[1]), jnp.float32)
    msg_a = jnp.concatenate([agents.out_msg, pad])[near_agents.index]          # [R, 2, 16]
    msg_r = jnp.concatenate([robots.memory, pad])[near_robots.index]
    msgs = jnp.concatenate([msg_a, msg_r], axis=1)                              # [R, 4, 16]
    dist = jnp.concatenate([jnp.where(near_agents.valid, near_agents.distance, jnp.inf),
                            jnp.where(near_robots.valid, near_robots.distance, jnp.inf)], 1)
    offset = jnp.concatenate([near_agents.offset, near_robots.offset], axis=1)
    order = jnp.argsort(dist, axis=1, stable=True)[:, :2]                        # 2 nearest
    pick = jnp.take_along_axis(msgs, order[:, :, None], axis=1)
    valid = jnp.isfinite(jnp.take_along_axis(dist, order, axis=1))
    pick = pick * valid[:, :, None]
    off = jnp.take_along_axis(offset, order[:, :, None], axis=1)
    # left to right: the smaller column offset first (then the smaller row offset)
    swap = (off[:, 0, 1] > off[:, 1, 1]) | ((off[:, 0, 1] == off[:, 1, 1])
                                           & (off[:, 0, 0] > off[:, 1, 0]))
    swap = swap & valid[:, 1]
    m1 = jnp.where(swap[:, None], pick[:, 1], pick[:, 0])
    m2 = jnp.where(swap[:, None], pick[:, 0], pick[:, 1])
    return m1, m2


def substep(robots: Robots, agents: Agents, cells: Array, table: Array, speed: Array,
            radius: float, capacity: int, cell_size: float) -> tuple[Robots, Array]:
    """One robot sub-step: `(robots, cells)` (only the bit plane of `cells` changes)."""
    height, width = cells.shape[1:]
    m1, m2 = inputs(robots, agents, table, radius, capacity, height, width)
    program = robots.program
    op = jnp.argmax(program[:, :OPS], axis=1)
    result = jax.vmap(operate)(op, program[:, OPS:OPS + TABLE], robots.memory, m1, m2)
    action = jnp.clip(result, -1.0, 1.0)
    row, col = terrain.cell_index(robots.position, height, width)
    bits = cells[terrain.BIT]
    alive = robots.alive
    write = (action[:, 12] < -0.99) & alive
    written = jnp.zeros_like(bits).at[row, col].max(write.astype(jnp.float32))
    ones = jnp.zeros_like(bits).at[row, col].max(
        (write & (robots.memory[:, -1] > 0)).astype(jnp.float32))
    new_bits = jnp.where(written > 0, ones, bits)
    size = jnp.asarray([height, width], jnp.float32)
    move = (speed / cell_size) * action[:, :2] * alive[:, None]
    position = (robots.position + move) % size
    keep = ((action[:, 13] > 0) | (op == 0)) & alive
    memory = jnp.where(keep[:, None], action, robots.memory)   # saturates at +-1
    n_row, n_col = terrain.cell_index(position, height, width)
    read = (action[:, 12] > 0.99) & alive
    memory = memory.at[:, -1].set(jnp.where(read, bits[n_row, n_col] * 2.0 - 1.0,
                                            memory[:, -1]))
    robots = dataclasses.replace(robots, position=position, memory=memory)
    return robots, cells.at[terrain.BIT].set(new_bits)
