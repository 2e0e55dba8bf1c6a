"""Views, metrics and the app's tools of the Particle Life family (a mixin of the rule).

- `view`: `[H, W, 3]` float32, each cell the mean type colour of the live particles in it
  (black where there are none), so grid renderers, `alife run --out x.png` and `alife render`
  show the world without knowing it is made of particles.
- `entities`: every slot as `alife.core.entities.Entities` (kind = type, colour = the type's
  colour, id = slot), which the app and `alife render` draw as discs.
- `metrics`: `population`, `mean_speed` (cells per time unit) and `clustering`: the mean number
  of live neighbours within `cluster_radius` of a live particle, divided by the number a uniform
  spread would give, `(n - 1) pi R^2 / (H W)`: about 1 for a gas, well above 1 for clusters.
- `inspect` (the nearest live particle to a cell's centre), `place` (a particle of a type at
  rest at a cell's centre; `AlifeError` when every slot is taken) and `remove_entities` (the
  particles on masked cells). `inspect` and `place` run on the host (they answer one click);
  the rest are pure and jit-able.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from alife.core.entities import Entities
from alife.core.errors import AlifeError

from particle_life import forces
from particle_life.state import ParticleParams, ParticleState

Array = jax.Array


class ParticleTools:
    """The non-dynamics half of `ParticleLifeRule` (module docstring)."""

    height: int
    width: int
    capacity: int
    types: int
    cluster_radius: float
    colours: tuple[tuple[float, float, float, float], ...]

    def size(self) -> Array:
        raise NotImplementedError

    # ---- drawing ------------------------------------------------------------------------
    def cell_index(self, state: ParticleState) -> tuple[Array, Array]:
        """(row, col) int32 of the cell each slot's particle is in."""
        cell = jnp.floor(state.position).astype(jnp.int32)
        return (jnp.clip(cell[:, 0], 0, self.height - 1), jnp.clip(cell[:, 1], 0, self.width - 1))

    def view(self, state: ParticleState, params: ParticleParams) -> Array:
        del params
        rows, cols = self.cell_index(state)
        flat = rows * self.width + cols
        weight = state.alive.astype(jnp.float32)
        colour = jnp.asarray(self.colours, jnp.float32)[state.kind, :3] * weight[:, None]
        cells = self.height * self.width
        total = jnp.zeros((cells, 3), jnp.float32).at[flat].add(colour)
        count = jnp.zeros((cells,), jnp.float32).at[flat].add(weight)
        mean = total / jnp.maximum(count, 1.0)[:, None]
        return jnp.clip(mean, 0.0, 1.0).reshape(self.height, self.width, 3)

    def entities(self, state: ParticleState, params: ParticleParams) -> Entities:
        del params
        return Entities(position=state.position, alive=state.alive, kind=state.kind,
                        colour=jnp.asarray(self.colours, jnp.float32)[state.kind],
                        id=jnp.arange(self.capacity, dtype=jnp.int32))

    # ---- numbers ------------------------------------------------------------------------
    def clustering(self, state: ParticleState) -> Array:
        """Neighbours within `cluster_radius`, relative to a uniform spread (module docstring)."""
        _, dist = forces.pair_deltas(state.position, self.size())
        alive = state.alive
        pair = alive[:, None] & alive[None, :] & ~jnp.eye(self.capacity, dtype=bool)
        near = jnp.sum((pair & (dist < self.cluster_radius)).astype(jnp.float32), axis=1)
        n = jnp.sum(alive.astype(jnp.float32))
        mean_near = jnp.sum(jnp.where(alive, near, 0.0)) / jnp.maximum(n, 1.0)
        uniform = (n - 1.0) * jnp.pi * self.cluster_radius ** 2 / (self.height * self.width)
        return jnp.where(n > 1, mean_near / jnp.maximum(uniform, 1e-9), 0.0)

    def metrics(self, state: ParticleState, params: ParticleParams) -> dict[str, Array]:
        del params
        alive = state.alive
        n = jnp.sum(alive.astype(jnp.int32))
        speed = jnp.sqrt(jnp.sum(state.velocity ** 2, axis=1))
        mean_speed = jnp.sum(jnp.where(alive, speed, 0.0)) / jnp.maximum(n, 1)
        return {"generation": state.generation, "population": n,
                "mean_speed": mean_speed.astype(jnp.float32),
                "clustering": self.clustering(state).astype(jnp.float32)}

    # ---- the app's tools ------------------------------------------------------------------
    def inspect(self, state: ParticleState, params: ParticleParams, row: int,
                col: int) -> dict[str, Any]:
        del params
        alive = np.asarray(state.alive)
        here = np.asarray([row + 0.5, col + 0.5], np.float32)
        if not alive.any():
            return {"particles here": 0, "slot": -1}
        size = np.asarray([self.height, self.width], np.float32)
        delta = np.asarray(forces.wrap_delta(jnp.asarray(state.position) - here, size))
        dist = np.where(alive, np.hypot(delta[:, 0], delta[:, 1]), np.inf)
        slot = int(np.argmin(dist))
        rows, cols = (np.asarray(a) for a in self.cell_index(state))
        velocity = np.asarray(state.velocity[slot], np.float64)
        return {"particles here": int(np.sum(alive & (rows == row) & (cols == col))),
                "slot": slot, "type": int(state.kind[slot]),
                "position": [round(float(v), 3) for v in np.asarray(state.position[slot])],
                "distance": round(float(dist[slot]), 3),
                "velocity": [round(float(v), 4) for v in velocity],
                "speed": round(float(np.hypot(*velocity)), 4)}

    def place_choices(self, params: ParticleParams) -> tuple[str, ...]:
        del params
        return tuple(f"type {t}" for t in range(self.types))

    def place(self, state: ParticleState, params: ParticleParams, row: int, col: int,
              choice: int) -> ParticleState:
        del params
        if not 0 <= int(choice) < self.types:
            raise AlifeError(f"choice {choice}; expected a type in 0..{self.types - 1}",
                             where="place")
        if not (0 <= row < self.height and 0 <= col < self.width):
            raise AlifeError(f"cell ({row}, {col}) is outside the {self.height}x{self.width} "
                             "world", where="place")
        free = np.flatnonzero(~np.asarray(state.alive))
        if free.size == 0:
            raise AlifeError(f"all {self.capacity} particle slots are full; remove some first",
                             where="place")
        k = int(free[0])
        return ParticleState(
            position=state.position.at[k].set(jnp.asarray([row + 0.5, col + 0.5], jnp.float32)),
            velocity=state.velocity.at[k].set(0.0),
            kind=state.kind.at[k].set(int(choice)),
            alive=state.alive.at[k].set(True),
            generation=state.generation)

    def remove_entities(self, state: ParticleState, params: ParticleParams,
                        mask: Array) -> ParticleState:
        del params
        rows, cols = self.cell_index(state)
        under = jnp.asarray(mask, bool)[rows, cols]
        return ParticleState(position=state.position, velocity=state.velocity, kind=state.kind,
                             alive=state.alive & ~under, generation=state.generation)
