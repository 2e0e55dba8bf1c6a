"""The agents family's views and tools: terrain grid, entities, metrics, inspect, place/remove,
lineage events (a mixin of `AgentsRule`).

- `cells`/`view`: the terrain property named by `show`, normalised by its cap to [0, 1];
  `with_cells`/`paint` write it back (`paint` with a negative value clears it).
- `entities`: agents (kind 0) then robots (kind 1), coloured by lineage (the id vector, which
  children inherit with small changes) or by energy.
- `inspect`: the nearest live agent or robot to a cell, as plain Python values (host side);
  an agent's includes `messages.observation_view` (its terrain window and nearest agents).
- `links`: message lines (sender -> receiving agents and programmed robots), see `messages`.
- `place_choices` / `place` / `remove_entities`: the app's place and remove tools (a founder
  agent or a robot; `place` raises `AlifeError` when every slot of that kind is taken).
- `lineage_events(prev, state)`: the births and deaths logged between two states, as rows with
  columns id, slot, parent, birth, death (rows of one id belong together).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.entities import Entities, allocate
from alife.core.errors import AlifeError
from alife.core.topology import torus_delta
from alife.rules.agents import messages, neighbours, reproduction, robots, terrain
from alife.rules.agents.state import AgentsParams, AgentsState

Array = jax.Array
ACTION_NAMES = ("move_row", "move_col", "push", "eat", "reproduce", "hit", "message",
                "terra_gain", "terra_move", "terra_push", "terra_message", "terra_reproduce")
OP_NAMES = ("copy", "keep", "product", "product_sum", "blend", "nand", "lookup")
ROBOT_COLOUR = (0.85, 0.85, 0.9, 1.0)
#: what the place tool puts down, by index: a founder agent, a robot
PLACE_CHOICES = ("agent", "robot")


class AgentTools:
    """Grid, entity, metric and tool methods of `AgentsRule` (see the module docstring)."""

    height: int
    width: int
    show: str
    colour_by: str
    capacity: int
    num_robots: int
    view_agents: int
    view_robots: int
    view_radius: float
    bucket_capacity: int
    spec: Any

    # ---- the terrain grid ----------------------------------------------------------------
    def _prop(self) -> int:
        return terrain.NAMES.index(self.show)

    def cells(self, state: AgentsState) -> Array:
        p = self._prop()
        return (state.terrain.cells[p] / terrain.CAPS[p]).astype(jnp.float32)

    def with_cells(self, state: AgentsState, cells: Array) -> AgentsState:
        p = self._prop()
        value = jnp.clip(jnp.asarray(cells, jnp.float32), 0.0, 1.0) * terrain.CAPS[p]
        land = dataclasses.replace(state.terrain, cells=state.terrain.cells.at[p].set(value))
        return dataclasses.replace(state, terrain=land)

    def paint(self, state: AgentsState, params: AgentsParams, mask: Array,
              value: Array) -> AgentsState:
        del params
        value = jnp.asarray(value, jnp.float32)
        level = jnp.where(value < 0, 0.0, jnp.clip(value, 0.0, 1.0))
        if self.show == "bit":
            level = jnp.round(level)
        return self.with_cells(state, jnp.where(mask, level, self.cells(state)))

    def view(self, state: AgentsState, params: AgentsParams) -> Array:
        del params
        return jnp.clip(self.cells(state), 0.0, 1.0)[..., None]

    # ---- entities and metrics ---------------------------------------------------------------
    def entities(self, state: AgentsState, params: AgentsParams) -> Entities:
        del params
        agents, bots = state.agents, state.robots
        if self.colour_by == "energy":
            t = jnp.clip(agents.energy / 64.0, 0.0, 1.0)
            rgb = jnp.stack([1.0 - t, 0.3 + 0.7 * t, 0.2 * jnp.ones_like(t)], axis=1)
        else:
            rgb = 0.55 + 0.45 * agents.idvec[:, :3]
        colour = jnp.concatenate([rgb, jnp.ones((self.capacity, 1))], axis=1)
        robot_colour = jnp.broadcast_to(jnp.asarray(ROBOT_COLOUR), (self.num_robots, 4))
        return Entities(
            position=jnp.concatenate([agents.position, bots.position]).astype(jnp.float32),
            alive=jnp.concatenate([agents.alive, bots.alive]),
            kind=jnp.concatenate([jnp.zeros((self.capacity,), jnp.int32),
                                  jnp.ones((self.num_robots,), jnp.int32)]),
            colour=jnp.concatenate([colour, robot_colour]).astype(jnp.float32),
            id=jnp.concatenate([agents.lineage, jnp.arange(self.num_robots, dtype=jnp.int32)]))

    def metrics(self, state: AgentsState, params: AgentsParams) -> dict[str, Array]:
        del params
        agents = state.agents
        alive = agents.alive
        count = jnp.sum(alive.astype(jnp.int32))
        denom = jnp.maximum(count, 1).astype(jnp.float32)
        roots = jnp.sort(jnp.where(alive, agents.root, jnp.iinfo(jnp.int32).max))
        real = roots < jnp.iinfo(jnp.int32).max
        lineages = jnp.sum(real[:1]) + jnp.sum((roots[1:] != roots[:-1]) & real[1:])
        return {
            "generation": state.generation, "population": count,
            "births": state.births, "deaths": state.deaths,
            "mean_energy": jnp.sum(agents.energy * alive) / denom,
            "mean_age": jnp.sum(agents.age * alive) / denom,
            "max_depth": jnp.max(jnp.where(alive, agents.depth, 0)),
            "energy_spent": state.spent, "energy_eaten": state.eaten,
            "terraforming": state.terraformed,
            "messages": state.messages, "lineages": lineages.astype(jnp.int32),
            "robots": jnp.sum(state.robots.alive.astype(jnp.int32)),
            "terrain_energy": jnp.mean(state.terrain.cells[terrain.ENERGY]),
            "unseen": self._unseen(state),
        }

    def _unseen(self, state: AgentsState) -> Array:
        """Live agents left out of the neighbour grid (their bucket is over capacity)."""
        counts = neighbours.bucket_counts(state.agents.position, state.agents.alive,
                                          self.height, self.width, self.view_radius)
        return jnp.sum(jnp.maximum(counts - self.bucket_capacity, 0))

    def links(self, state: AgentsState, params: AgentsParams) -> tuple[Array, Array, Array]:
        """Message lines `(starts [M, 2], ends [M, 2], mask [M])` in cells (`messages.links`)."""
        del params
        return messages.links(state.agents, state.robots, self.height, self.width,
                              self.view_agents, self.view_robots, self.view_radius,
                              self.bucket_capacity)

    # ---- host-side tools ------------------------------------------------------------------
    def _nearest(self, state: AgentsState, row: float, col: float,
                 reach: float) -> tuple[int, int] | None:
        pos = np.concatenate([np.asarray(state.agents.position),
                              np.asarray(state.robots.position)])
        alive = np.concatenate([np.asarray(state.agents.alive), np.asarray(state.robots.alive)])
        delta = torus_delta(pos, np.asarray([row, col], np.float32), (self.height, self.width))
        dist = np.where(alive, np.hypot(delta[:, 0], delta[:, 1]), np.inf)
        if not alive.any() or dist.min() > reach:
            return None
        i = int(np.argmin(dist))
        return (0, i) if i < self.capacity else (1, i - self.capacity)

    def inspect(self, state: AgentsState, params: AgentsParams, row: float, col: float,
                reach: float = 3.0) -> dict[str, Any]:
        """The nearest live agent or robot within `reach` cells of (row, col), or {}."""
        del params
        found = self._nearest(state, row + 0.5, col + 0.5, reach)
        if found is None:
            return {}
        kind, slot = found
        cells = np.asarray(state.terrain.cells)
        if kind == 1:
            bots = state.robots
            prog = np.asarray(bots.program[slot])
            r, c = (int(v) for v in np.floor(np.asarray(bots.position[slot])))
            return {"kind": "robot", "slot": slot, "position": np.asarray(
                        bots.position[slot]).tolist(),
                    "energy": float(bots.energy[slot]),
                    "operation": OP_NAMES[int(np.argmax(prog[:robots.OPS]))],
                    "table": [int(v > 0) for v in prog[robots.OPS:robots.OPS + robots.TABLE]],
                    "memory": np.round(np.asarray(bots.memory[slot]), 3).tolist(),
                    "bit_under": int(cells[terrain.BIT, r % self.height, c % self.width])}
        a = state.agents
        pos = np.asarray(a.position)
        alive = np.asarray(a.alive)
        r, c = (int(v) for v in np.floor(pos[slot]))
        delta = torus_delta(pos, pos[slot], (self.height, self.width))
        dist = np.hypot(delta[:, 0], delta[:, 1])
        near = alive & (dist <= self.view_radius)
        near[slot] = False
        under = {name: round(float(cells[i, r % self.height, c % self.width]), 3)
                 for i, name in enumerate(terrain.NAMES)}
        return {
            "kind": "agent", "slot": slot, "position": pos[slot].tolist(),
            "energy": float(a.energy[slot]), "age": int(a.age[slot]),
            "id": int(a.lineage[slot]), "parent": int(a.parent[slot]),
            "founder": int(a.root[slot]), "generation": int(a.depth[slot]),
            "born": int(a.birth[slot]),
            "last_actions": {n: round(float(v), 3)
                             for n, v in zip(ACTION_NAMES, np.asarray(a.last[slot]), strict=True)},
            "observation": {"agents_in_view": int(near.sum()),
                            "nearest_agent_distance": float(dist[near].min()) if near.any()
                            else None,
                            "terrain_under": under,
                            "self_message": np.round(np.asarray(a.self_msg[slot]), 3).tolist(),
                            "broadcast": np.round(np.asarray(a.out_msg[slot]), 3).tolist(),
                            **messages.observation_view(cells, pos, alive, slot, self.show,
                                                        self.view_radius)},
        }

    def place_choices(self, params: AgentsParams) -> tuple[str, ...]:
        """A founder agent (choice 0) or a robot (choice 1)."""
        del params
        return PLACE_CHOICES

    def place(self, state: AgentsState, params: AgentsParams, row: float, col: float,
              choice: int) -> AgentsState:
        """A new founder agent (random genome) or a robot (a free robot slot) at (row, col);
        `AlifeError` when the choice is unknown or every slot of that kind is taken."""
        choice = int(choice)
        if not 0 <= choice < len(PLACE_CHOICES):
            raise AlifeError(f"place choice {choice}; expected 0..{len(PLACE_CHOICES) - 1} "
                             f"({', '.join(PLACE_CHOICES)})")
        where = jnp.asarray([[row + 0.5, col + 0.5]], jnp.float32)
        if choice == 1:
            slot, granted = allocate(state.robots.alive, jnp.ones((1,), bool))
            if not bool(granted[0]):
                raise AlifeError(f"every robot slot is taken ({self.num_robots}): remove one "
                                 "first")
            bots = state.robots
            bots = dataclasses.replace(
                bots, position=bots.position.at[slot].set(where),
                alive=bots.alive.at[slot].set(True),
                memory=bots.memory.at[slot].set(0.0), program=bots.program.at[slot].set(0.0))
            return dataclasses.replace(state, robots=bots)
        slot, granted = allocate(state.agents.alive, jnp.ones((1,), bool))
        if not bool(granted[0]):
            raise AlifeError(f"every agent slot is taken ({self.capacity}): remove one first "
                             "or rebuild with more agents")
        key = jax.random.fold_in(jax.random.PRNGKey(int(state.next_id)), int(state.generation))
        fresh = reproduction.founders(key, self.spec, 1, 1, self.height, self.width,
                                      state.next_id, params.initial_energy)
        fresh = dataclasses.replace(fresh, position=where,
                                    birth=jnp.full((1,), state.generation, jnp.int32))
        agents = jax.tree_util.tree_map(lambda dest, new: dest.at[slot].set(new),
                                        state.agents, fresh)
        log, count = reproduction.log_events(
            state.log, state.log_count,
            reproduction.event_rows(1, slot, agents, state.generation), granted)
        return dataclasses.replace(state, agents=agents, log=log, log_count=count,
                                   next_id=state.next_id + 1)

    def remove_entities(self, state: AgentsState, params: AgentsParams,
                        mask: Array) -> AgentsState:
        """Remove the agents and robots standing on cells under the `[H, W]` mask."""
        del params
        mask = jnp.asarray(mask, bool)
        r, c = terrain.cell_index(state.agents.position, self.height, self.width)
        gone = state.agents.alive & mask[r, c]
        rr, rc = terrain.cell_index(state.robots.position, self.height, self.width)
        slots = jnp.arange(self.capacity, dtype=jnp.int32)
        log, count = reproduction.log_events(
            state.log, state.log_count,
            reproduction.event_rows(0, slots, state.agents, state.generation), gone)
        agents = dataclasses.replace(state.agents, alive=state.agents.alive & ~gone)
        bots = dataclasses.replace(state.robots, alive=state.robots.alive & ~mask[rr, rc])
        return dataclasses.replace(state, agents=agents, robots=bots, log=log, log_count=count)

    def lineage_events(self, prev_state: AgentsState | None,
                       state: AgentsState) -> list[dict[str, Any]]:
        """Births and deaths logged after `prev_state` (from the start if None) up to `state`:
        rows {id, slot, parent, birth, death: ""} for births and {id, slot, death} for deaths.
        Events older than the log's size (`log_size`) are lost; a row {"lost": n} says so."""
        end = int(state.log_count)
        begin = 0 if prev_state is None else int(prev_state.log_count)
        size = state.log.shape[0]
        rows: list[dict[str, Any]] = []
        if end - begin > size:
            rows.append({"lost": end - begin - size})
            begin = end - size
        log = np.asarray(state.log)
        for n in range(begin, end):
            kind, slot, ident, parent, gen = (int(v) for v in log[n % size])
            if kind == 1:
                rows.append({"id": ident, "slot": slot, "parent": parent, "birth": gen,
                             "death": ""})
            else:
                rows.append({"id": ident, "slot": slot, "death": gen})
        return rows

