"""What each agent sees (JaxLife, Lu et al. 2024, section 3.2): the terrain window, the nearest
agents and robots, and itself.

- terrain: the 9x9 cells around the agent, 7 properties each, normalised by their caps;
- the `view_agents` nearest live agents within `view_radius` cells (grid search): log energy,
  log age, signed relative position (/ view_radius), last 12 actions, id vector, broadcast;
- the `view_robots` nearest robots within `view_radius`: log energy, signed relative position,
  memory, program;
- itself: log energy, log age, last actions, id vector, the message it sent itself.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from alife.rules.agents import neighbours, terrain
from alife.rules.agents.brain import WINDOW, Observation
from alife.rules.agents.state import Agents, Robots

Array = jax.Array


class Sight(NamedTuple):
    """What the agents found: the agent grid table and the nearest agents and robots."""

    table: Array
    agents: neighbours.Found
    robots: neighbours.Found


def _log(x: Array) -> Array:
    return jnp.log1p(jnp.maximum(x, 0.0))


def look(agents: Agents, robots: Robots, height: int, width: int, view_agents: int,
         view_robots: int, radius: float, capacity: int) -> Sight:
    """Neighbour search for every agent slot."""
    n = agents.alive.shape[0]
    table = neighbours.build(agents.position, agents.alive, height, width, radius, capacity)
    slots = jnp.arange(n, dtype=jnp.int32)
    seen_agents = neighbours.query(table, agents.position, slots, agents.position, view_agents,
                                   radius, height, width)
    r = robots.position.shape[0]
    seen_robots = neighbours.brute(agents.position, jnp.full((n,), r, jnp.int32),
                                   robots.position, robots.alive, view_robots, radius,
                                   height, width)
    return Sight(table=table, agents=seen_agents, robots=seen_robots)


def _gather(values: Array, index: Array) -> Array:
    padded = jnp.concatenate([values, jnp.zeros((1,) + values.shape[1:], values.dtype)])
    return padded[index]


def observe(agents: Agents, robots: Robots, cells: Array, sight: Sight,
            radius: float) -> Observation:
    """The brain's input for every agent slot (dead slots get an input too; it is ignored)."""
    height, width = cells.shape[1:]
    found = sight.agents
    other = jnp.concatenate([
        _log(_gather(agents.energy, found.index))[..., None],
        _log(_gather(agents.age.astype(jnp.float32), found.index))[..., None],
        found.offset / radius,
        _gather(agents.last, found.index),
        _gather(agents.idvec, found.index),
        _gather(agents.out_msg, found.index),
    ], axis=-1) * found.valid[..., None]
    bots = sight.robots
    robot = jnp.concatenate([
        _log(_gather(robots.energy, bots.index))[..., None],
        bots.offset / radius,
        _gather(robots.memory, bots.index),
        _gather(robots.program, bots.index),
    ], axis=-1) * bots.valid[..., None]
    me = jnp.concatenate([
        _log(agents.energy)[:, None], _log(agents.age.astype(jnp.float32))[:, None],
        agents.last, agents.idvec, agents.self_msg], axis=-1)
    row, col = terrain.cell_index(agents.position, height, width)
    patch = terrain.window(cells, row, col, WINDOW // 2)
    return Observation(agents=other, agent_valid=found.valid, robots=robot,
                       robot_valid=bots.valid, me=me,
                       terrain=patch.reshape(patch.shape[0], -1))
