"""`AgentsRule`: JaxLife-style agent worlds (family "agents"; Lu, Beukman, Matthews, Foerster
2024, "JaxLife: An Open-Ended Agentic Simulator").

One world step: neighbour search, observation, every agent's own brain (vmapped), actions and
their effects (scatter-adds), deaths, births, `robot_substeps` robot sub-steps, weather and
regrowth, and re-seeding when all agents have died. See `docs/agents.md` for the mechanics and
where this differs from the reference code.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp

from alife.core.errors import AlifeError
from alife.core.rule import (
    ColourKey,
    EntityKind,
    EntityWorld,
    EventCounts,
    GridEditing,
    Inspecting,
    LineageLog,
    Linked,
    Placing,
    Removing,
    Rule,
)
from alife.core.types import param_defaults
from alife.rules.agents import (
    actions,
    checks,
    observation,
    reproduction,
    robots,
    terrain,
    tools,
)
from alife.rules.agents.brain import MESSAGE, BrainSpec
from alife.rules.agents.state import AgentsParams, AgentsState, Robots

Array = jax.Array
SHOWS = terrain.NAMES
COLOURS = ("lineage", "energy")
BRAINS = {"full": (64, 4), "small": (16, 2)}


class AgentsRule(tools.AgentTools, Rule, GridEditing, EntityWorld, Inspecting, Placing, Removing,
                 Linked, LineageLog, ColourKey, EventCounts):
    """Evolving neural agents on a living terrain, with robots they program."""

    family = "agents"
    num_states = 0
    look = "colormap"
    # the genomes are most of the State and are read in place: `alife run` (donating) peaks at
    # 1.90x the State's bytes with 2048 slots on 256^2, the app (which keeps the shown state)
    # about 2.6x (docs/agents.md); 12, the default, refused 2048 slots on a 23 GB machine
    step_copies = 3
    #: per-step counts and amounts (the app plots them summed)
    event_metrics = ("births", "deaths", "energy_eaten", "terraforming")

    def __init__(self, width: int = 128, height: int = 128, agents: int = 128, start: int = 32,
                 robots: int = 32, map: str = "perlin", perlin_res: int = 4,  # noqa: A002
                 brain: str = "full", view_agents: int = 16, view_robots: int = 2,
                 view_radius: float = 8.0, bucket_capacity: int = 64, max_births: int = 8,
                 robot_substeps: int = 4, cell_size: float = 8.0, show: str = "energy",
                 colour_by: str = "lineage", log_size: int = 4096) -> None:
        if map not in terrain.MAPS:
            raise AlifeError(f"unknown map {map!r}; expected one of {list(terrain.MAPS)}",
                             where="map")
        if brain not in BRAINS:
            raise AlifeError(f"unknown brain {brain!r}; expected one of {list(BRAINS)}",
                             where="brain")
        if show not in SHOWS:
            raise AlifeError(f"unknown show {show!r}; expected one of {list(SHOWS)}",
                             where="show")
        if colour_by not in COLOURS:
            raise AlifeError(f"unknown colour_by {colour_by!r}; expected one of "
                             f"{list(COLOURS)}", where="colour_by")
        n = checks.check_config(
            {"width": width, "height": height, "agents": agents, "start": start,
             "robots": robots, "perlin_res": perlin_res, "view_agents": view_agents,
             "view_robots": view_robots, "view_radius": view_radius,
             "bucket_capacity": bucket_capacity, "max_births": max_births,
             "robot_substeps": robot_substeps, "cell_size": cell_size, "log_size": log_size})
        self.width, self.height = int(n["width"]), int(n["height"])
        self.capacity, self.start = int(n["agents"]), int(n["start"])
        self.num_robots = int(n["robots"])
        self.map, self.perlin_res, self.brain = map, int(n["perlin_res"]), brain
        self.view_agents, self.view_robots = int(n["view_agents"]), int(n["view_robots"])
        self.view_radius = float(n["view_radius"])
        self.bucket_capacity = int(n["bucket_capacity"])
        self.max_births, self.robot_substeps = int(n["max_births"]), int(n["robot_substeps"])
        self.cell_size, self.show, self.colour_by = float(n["cell_size"]), show, colour_by
        self.log_size = int(n["log_size"])
        self.spec = BrainSpec(*BRAINS[brain])

    def config(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "agents": self.capacity,
                "start": self.start, "robots": self.num_robots, "map": self.map,
                "perlin_res": self.perlin_res, "brain": self.brain,
                "view_agents": self.view_agents, "view_robots": self.view_robots,
                "view_radius": self.view_radius, "bucket_capacity": self.bucket_capacity,
                "max_births": self.max_births, "robot_substeps": self.robot_substeps,
                "cell_size": self.cell_size, "show": self.show, "colour_by": self.colour_by,
                "log_size": self.log_size}

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    def entity_kinds(self) -> tuple[EntityKind, ...]:
        """Agents (kind 0) as discs, robots (kind 1) as squares."""
        colour = ("energy: red is low, green is high" if self.colour_by == "energy"
                  else "lineage: relatives look alike")
        return (EntityKind("agent", "disc", colour), EntityKind("robot", "square"))

    def view_scale(self, params: AgentsParams) -> tuple[str, float, float]:
        """The terrain property shown, from 0 to its cap."""
        del params
        return (f"terrain {self.show}", 0.0, float(terrain.CAPS[self._prop()]))

    def describe(self) -> str:
        return (f"agents {self.width}x{self.height}, {self.capacity} slots, "
                f"{self.num_robots} robots")

    def default_params(self) -> AgentsParams:
        values = param_defaults(AgentsParams)
        return AgentsParams(**{k: jnp.asarray(v, jnp.float32) for k, v in values.items()})

    # ---- the world ---------------------------------------------------------------------
    def init(self, key: Array, params: AgentsParams) -> AgentsState:
        return _init(self, key, params)

    def _fresh(self, key: Array, params: AgentsParams) -> AgentsState:
        k_terrain, k_agents, k_robots = jax.random.split(key, 3)
        land = terrain.make(k_terrain, self.map, self.height, self.width, self.perlin_res)
        agents = reproduction.founders(k_agents, self.spec, self.capacity, self.start,
                                       self.height, self.width, jnp.asarray(0, jnp.int32),
                                       params.initial_energy)
        size = jnp.asarray([self.height, self.width], jnp.float32)
        bots = Robots(position=jax.random.uniform(k_robots, (self.num_robots, 2)) * size,
                      alive=jnp.ones((self.num_robots,), bool),
                      energy=jnp.full((self.num_robots,), params.robot_energy, jnp.float32),
                      memory=jnp.zeros((self.num_robots, MESSAGE), jnp.float32),
                      program=jnp.zeros((self.num_robots, MESSAGE), jnp.float32))
        zero = jnp.zeros((), jnp.float32)
        count = jnp.zeros((), jnp.int32)
        log = jnp.full((self.log_size, 5), -1, jnp.int32)
        slots = jnp.arange(self.capacity, dtype=jnp.int32)
        rows = reproduction.event_rows(1, slots, agents, count)
        log, log_count = reproduction.log_events(log, count, rows, agents.alive)
        return AgentsState(terrain=land, agents=agents, robots=bots,
                           next_id=jnp.asarray(self.start, jnp.int32), births=count,
                           deaths=count, eaten=zero, spent_step=zero, spent=zero,
                           terraformed=zero, messages=zero, log=log, log_count=log_count,
                           generation=count)

    def step(self, key: Array, state: AgentsState, params: AgentsParams) -> AgentsState:
        k_birth, k_seed = jax.random.split(key)
        h, w, radius = self.height, self.width, self.view_radius
        agents, bots, land = state.agents, state.robots, state.terrain
        sight = observation.look(agents, bots, h, w, self.view_agents, self.view_robots,
                                 radius, self.bucket_capacity)
        obs = observation.observe(agents, bots, land.cells, sight, radius)
        raw, (hh, cc) = self.spec.apply(agents.genome, obs, (agents.h, agents.c))
        decoded = actions.decode(raw, agents.alive)
        agents = dataclasses.replace(agents, h=jnp.where(agents.alive[:, None], hh, agents.h),
                                     c=jnp.where(agents.alive[:, None], cc, agents.c))
        out = actions.act(agents, bots, land.cells, sight, decoded, params, self.cell_size)
        agents, bots, cells = out.agents, out.robots, out.cells
        generation = state.generation + 1
        slots = jnp.arange(self.capacity, dtype=jnp.int32)

        died = agents.alive & (agents.energy <= 0)
        agents = dataclasses.replace(agents, alive=agents.alive & ~died)
        log, log_count = reproduction.log_events(
            state.log, state.log_count, reproduction.event_rows(0, slots, agents, generation),
            died)
        agents, born, granted, paid, next_id = reproduction.reproduce(
            k_birth, self.spec, agents, cells, decoded.reproduce, state.next_id, generation, params,
            self.max_births)
        log, log_count = reproduction.log_events(
            log, log_count, reproduction.event_rows(1, born, agents, generation), granted)

        table = observation.neighbours.build(agents.position, agents.alive, h, w, radius,
                                             self.bucket_capacity)
        def robot_substep(_: Any, carry: tuple[Robots, Array]) -> tuple[Robots, Array]:
            return robots.substep(carry[0], agents, carry[1], table, params.robot_speed,
                                  radius, self.bucket_capacity, self.cell_size)

        bots, cells = jax.lax.fori_loop(0, self.robot_substeps, robot_substep, (bots, cells))
        bots = dataclasses.replace(bots, energy=jnp.full_like(bots.energy, params.robot_energy))
        land = terrain.update(dataclasses.replace(land, cells=cells), params.weather_speed,
                              params.relax, params.regrow_offset)

        def reseed(args: tuple[Any, Array, Array, Array]) -> tuple[Any, Array, Array, Array]:
            dead, log_, count_, next_ = args
            fresh = reproduction.founders(k_seed, self.spec, self.capacity, self.start, h, w,
                                          next_, params.initial_energy, dead.genome)
            rows = reproduction.event_rows(1, slots, fresh, generation)
            log_, count_ = reproduction.log_events(log_, count_, rows, fresh.alive)
            return fresh, log_, count_, next_ + self.start

        extinct = (~jnp.any(agents.alive)) & (params.reseed > 0)
        agents, log, log_count, next_id = jax.lax.cond(
            extinct, reseed, lambda args: args, (agents, log, log_count, next_id))
        return AgentsState(
            terrain=land, agents=agents, robots=bots, next_id=next_id,
            births=jnp.sum(granted.astype(jnp.int32)), deaths=jnp.sum(died.astype(jnp.int32)),
            eaten=out.eaten, spent_step=out.spent + paid, spent=state.spent + out.spent + paid,
            terraformed=out.terraformed,
            messages=jnp.sum(decoded.gate) / jnp.maximum(jnp.sum(state.agents.alive), 1),
            log=log, log_count=log_count, generation=generation)


@partial(jax.jit, static_argnums=(0,))
def _init(rule: AgentsRule, key: Array, params: AgentsParams) -> AgentsState:
    """`rule.init`, compiled once per config (rules are equal by config)."""
    return rule._fresh(key, params)
