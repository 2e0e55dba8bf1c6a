"""State and Params of the agents family (JaxLife, Lu et al. 2024): pytree dataclasses.

Agents live in `capacity` fixed slots (dead slots keep their last values); robots never die.
Positions are (row, col) in cell units on the torus; speeds in Params are in world units
(`cell_size` units per cell, 8 by default) as in the paper.
"""

from __future__ import annotations

from typing import Any

import jax

from alife.core.types import param, pytree_dataclass
from alife.rules.agents.terrain import Terrain

Array = jax.Array

#: columns of the lineage event log: kind (1 birth, 0 death), slot, id, parent, generation
LOG_COLUMNS = ("kind", "slot", "id", "parent", "generation")


@pytree_dataclass
class Agents:
    """`[N, ...]` slots. `lineage` a unique id per life, `parent` its parent's id (-1 for a
    founder), `root` its founder's id, `depth` generations since the founder, `birth` the world
    generation it was born in. `last` its last 12 scalar actions; `self_msg` what it told
    itself, `out_msg` what it broadcast (times the gate); `h`, `c` its LSTM memory; `genome` its
    weights (a pure dict of `[N, ...]` arrays)."""

    position: Array
    alive: Array
    energy: Array
    age: Array
    idvec: Array
    lineage: Array
    parent: Array
    root: Array
    depth: Array
    birth: Array
    last: Array
    self_msg: Array
    out_msg: Array
    h: Array
    c: Array
    genome: Any


@pytree_dataclass
class Robots:
    """`[R, ...]`: position, alive (robots never die; the app may remove or place them),
    energy (constant), memory (16, its message and action), program (16: 7 operation logits, an
    8-entry lookup table, one spare)."""

    position: Array
    alive: Array
    energy: Array
    memory: Array
    program: Array


@pytree_dataclass
class AgentsState:
    """The world. Per-step tallies (`births`, `deaths`, `eaten`, `spent_step`, `terraformed`,
    `messages`) describe the last step; `spent` is the running total (the Kardashev score).
    `log [L, 5]` is a ring of lineage events (`LOG_COLUMNS`), `log_count` events ever written."""

    terrain: Terrain
    agents: Agents
    robots: Robots
    next_id: Array
    births: Array
    deaths: Array
    eaten: Array
    spent_step: Array
    spent: Array
    terraformed: Array
    messages: Array
    log: Array
    log_count: Array
    generation: Array


@pytree_dataclass
class AgentsParams:
    """The numbers of the world (sliders), each with its range and default (the paper's, spec
    jaxlife.md); `AgentsRule.default_params` builds them from the declared defaults."""

    eat_rate: Array = param(0.0, 1.0, "fraction of the cell's energy one bite takes", default=0.2)
    move_cost: Array = param(0.0, 4.0, "energy per unit of movement, times the cell's move cost",
                             default=0.5)
    move_speed: Array = param(0.0, 8.0, "world units per step at full move", default=0.5)
    push_cost: Array = param(0.0, 4.0, "energy per unit of push, times the cell's push cost",
                             default=0.25)
    push_speed: Array = param(0.0, 8.0, "world units a full push moves a touching neighbour",
                              default=1.0)
    message_cost: Array = param(0.0, 4.0, "energy per message, times the cell's message cost",
                                default=0.0)
    hit_cost: Array = param(0.0, 4.0, "energy per unit of hit", default=0.4)
    hit_strength: Array = param(0.0, 8.0, "energy a full hit takes from a touching neighbour",
                                default=1.0)
    hit_steal: Array = param(0.0, 1.0, "fraction of the hit energy the hitter gains", default=0.0)
    hit_decay: Array = param(0.0, 4.0, "hits and pushes fade as exp(-decay x distance in units)",
                             default=0.5)
    terraform_cost: Array = param(0.0, 0.1, "energy per unit of terraforming", default=0.001)
    terraform_step: Array = param(0.0, 1.0, "largest change of a property per action", default=0.1)
    living_cost: Array = param(0.0, 2.0, "energy per step for being alive", default=0.25)
    age_cost: Array = param(0.0, 0.05, "extra living cost per step of age", default=1.0 / 256.0)
    initial_energy: Array = param(1.0, 128.0, "a newborn's energy", default=32.0)
    reproduce_cost: Array = param(0.0, 128.0, "energy a birth costs (times cell cost, crowding)",
                                  default=32.0)
    reproduce_factor: Array = param(1.0, 8.0, "a parent needs factor x the cost to reproduce",
                                    default=2.0)
    mutation_std: Array = param(0.0, 0.1, "std of the weight noise a child gets", default=0.01)
    id_mutation: Array = param(0.0, 2.0, "half-width of the uniform noise on the id vector",
                               default=1.0)
    weather_speed: Array = param(0.0, 0.05, "radians per step the noise gradients turn",
                                 default=0.001)
    relax: Array = param(0.0, 0.1, "rate at which properties return to the base map", default=0.005)
    regrow_offset: Array = param(0.0, 2.0, "energy regrows by gain minus this each step",
                                 default=0.667)
    robot_speed: Array = param(0.0, 16.0, "world units a robot moves per sub-step at full move",
                               default=0.5)
    robot_energy: Array = param(0.0, 128.0, "the robots' constant energy", default=64.0)
    reseed: Array = param(0.0, 1.0, "re-seed founders when every agent has died (0 = off)",
                          default=1.0)
    parent_pays_child: Array = param(0.0, 1.0, "1: a child's energy comes out of its parent "
                                     "(0, the paper's rule: it is new energy)", default=0.0)
