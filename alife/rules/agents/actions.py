"""Agent actions and their effects (JaxLife, Lu et al. 2024, section 3.3), by scatter-add.

The brain's 44 outputs in [-1, 1]: move (row, col), push (> 0 pushes away, < 0 pulls), eat (> 0),
reproduce (> 0), hit (< 0 gives energy), message gate (its positive part), a 16-d message to
itself, a 16-d message to others, 5 terraform deltas (gain, move, push, message and reproduce
cost of its own cell). Every effect on the terrain is a scatter-add over the cells the agents
stand on (never a world-sized array per agent); effects on neighbours are scatter-adds over the
neighbour slots the search found.

Energy per step: move_cost x cell move cost x (|dr| + |dc|) + push_cost x cell push cost x |push|
+ message_cost x cell message cost x gate + hit_cost x |hit| + terraform_cost x sum |delta|
+ living_cost + age_cost x age; eating gains eat_rate x the cell's energy (shared out when the
bites on one cell ask for more than it holds). A hit takes hit_strength x hit x exp(-decay x
distance) from each touched neighbour (the hitter keeps hit_steal of it); a negative hit gives
that much of the hitter's own energy (the reference creates it from nothing).
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import jax
import jax.numpy as jnp

from alife.rules.agents import neighbours, terrain
from alife.rules.agents.brain import MESSAGE
from alife.rules.agents.observation import Sight
from alife.rules.agents.state import Agents, AgentsParams, Robots

Array = jax.Array


class Decoded(NamedTuple):
    """Actions per agent slot (zero for dead slots)."""

    move: Array        # [N, 2]
    push: Array        # [N]
    eat: Array         # [N] bool
    reproduce: Array   # [N] bool
    hit: Array         # [N]
    gate: Array        # [N] in [0, 1]
    self_msg: Array    # [N, 16]
    out_msg: Array     # [N, 16]
    terraform: Array   # [N, 5]
    last: Array        # [N, 12]


def decode(raw: Array, alive: Array) -> Decoded:
    """Split the brain's outputs into actions; dead slots do nothing."""
    raw = jnp.clip(raw, -1.0, 1.0) * alive[:, None]
    msg = 7
    return Decoded(move=raw[:, 0:2], push=raw[:, 2], eat=raw[:, 3] > 0,
                   reproduce=raw[:, 4] > 0, hit=raw[:, 5], gate=jnp.maximum(raw[:, 6], 0.0),
                   self_msg=raw[:, msg:msg + MESSAGE],
                   out_msg=raw[:, msg + MESSAGE:msg + 2 * MESSAGE],
                   terraform=raw[:, msg + 2 * MESSAGE:],
                   last=jnp.concatenate([raw[:, :7], raw[:, msg + 2 * MESSAGE:]], axis=1))


class Outcome(NamedTuple):
    agents: Agents
    robots: Robots
    cells: Array
    eaten: Array        # total energy eaten this step
    spent: Array        # total energy spent by costs this step
    terraformed: Array  # total |terraform delta| applied


def eat(cells: Array, row: Array, col: Array, want: Array, rate: Array) -> tuple[Array, Array]:
    """Bites: `(gained [N], cells)`. Each eater asks for rate x the cell's energy; when a cell's
    bites add up to more than it holds they are scaled down (scatter-add over eaten cells)."""
    height, width = cells.shape[1:]
    energy = cells[terrain.ENERGY]
    ask = rate * energy[row, col] * want
    asked = jnp.zeros((height, width), jnp.float32).at[row, col].add(ask)
    scale = jnp.where(asked > energy, energy / jnp.maximum(asked, 1e-12), 1.0)
    gained = ask * scale[row, col]
    energy = jnp.maximum(energy.at[row, col].add(-gained), 0.0)
    return gained, cells.at[terrain.ENERGY].set(energy)


def terraform(cells: Array, row: Array, col: Array, deltas: Array, step: Array) -> Array:
    """Add `step x deltas [N, 5]` to the terraformable properties of each agent's cell, clipped
    to [0, cap] (scatter-add)."""
    props = jnp.asarray(terrain.TERRAFORMED)
    n = row.shape[0]
    rows = jnp.broadcast_to(row[:, None], (n, props.shape[0]))
    cols = jnp.broadcast_to(col[:, None], (n, props.shape[0]))
    prop = jnp.broadcast_to(props[None, :], (n, props.shape[0]))
    cells = cells.at[prop, rows, cols].add(step * deltas)
    caps = terrain.caps()[:, None, None]
    return jnp.clip(cells, 0.0, caps)


def _touch(found: neighbours.Found, decay: Array, cell_size: float) -> tuple[Array, Array]:
    """Weights exp(-decay x distance in units) and unit directions toward each found slot."""
    weight = jnp.exp(-decay * found.distance * cell_size) * found.valid
    direction = found.offset / (found.distance[..., None] + 1e-6)
    return weight, direction


def act(agents: Agents, robots: Robots, cells: Array, sight: Sight, d: Decoded,
        params: AgentsParams, cell_size: float) -> Outcome:
    """Apply every agent's actions at once."""
    height, width = cells.shape[1:]
    alive = agents.alive
    row, col = terrain.cell_index(agents.position, height, width)
    here = cells[:, row, col]                                   # [8, N]

    gained, cells = eat(cells, row, col, d.eat.astype(jnp.float32), params.eat_rate)
    delta = params.terraform_step * d.terraform
    cells = terraform(cells, row, col, d.terraform, params.terraform_step)

    cost = (params.move_cost * here[terrain.MOVE] * jnp.sum(jnp.abs(d.move), axis=1)
            + params.push_cost * here[terrain.PUSH] * jnp.abs(d.push)
            + params.message_cost * here[terrain.MESSAGE] * d.gate
            + params.hit_cost * jnp.abs(d.hit)
            + params.terraform_cost * jnp.sum(jnp.abs(d.terraform), axis=1)
            + params.living_cost + params.age_cost * agents.age.astype(jnp.float32))
    cost = cost * alive

    # hits: energy from each touched neighbour; a negative hit gives the hitter's own energy
    weight, direction = _touch(sight.agents, params.hit_decay, cell_size)
    loss = params.hit_strength * d.hit[:, None] * weight                       # [N, K]
    taken = jnp.sum(loss, axis=1)
    energy = agents.energy + gained - cost + jnp.where(taken > 0, params.hit_steal * taken,
                                                       taken)
    energy = energy.at[sight.agents.index].add(-loss, mode="drop")

    # pushes (away from the pusher; negative pulls), agents and robots
    shove = (params.push_speed / cell_size) * d.push[:, None, None]
    position = agents.position.at[sight.agents.index].add(
        shove * weight[..., None] * direction, mode="drop")
    r_weight, r_direction = _touch(sight.robots, params.hit_decay, cell_size)
    robot_position = robots.position.at[sight.robots.index].add(
        shove * r_weight[..., None] * r_direction, mode="drop")
    position = position + (params.move_speed / cell_size) * d.move
    size = jnp.asarray([height, width], jnp.float32)
    position = jnp.where(alive[:, None], position % size, agents.position)

    # messages: broadcast (gated) and reprogramming of the nearest robots
    out_msg = d.out_msg * d.gate[:, None]
    gate = (d.gate[:, None] * sight.robots.valid)[..., None]                  # [N, Kr, 1]
    program = robots.program
    change = (d.out_msg[:, None, :] - program[jnp.minimum(sight.robots.index,
                                                          program.shape[0] - 1)]) * gate
    program = jnp.clip(program.at[sight.robots.index].add(change, mode="drop"), -1.0, 1.0)

    agents = dataclasses.replace(
        agents, position=position, energy=energy, age=agents.age + alive.astype(jnp.int32),
        last=d.last, self_msg=d.self_msg, out_msg=out_msg)
    robots = dataclasses.replace(robots, position=robot_position % size, program=program)
    terraformed = jnp.sum(jnp.abs(delta) * alive[:, None])
    return Outcome(agents=agents, robots=robots, cells=cells, eaten=jnp.sum(gained),
                   spent=jnp.sum(cost), terraformed=terraformed)
