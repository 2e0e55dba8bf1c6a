"""`ParticleLifeRule`: the Rule core of the Particle Life family.

Static config (a new instance, and a new compile, when it changes): the torus size in cells,
the slot capacity, the number of types, how many particles start, the seed of the default
attraction matrix and the radius the clustering metric counts neighbours in. `init` spreads
`start` particles of random types uniformly at rest; `step` is one call of
`forces.integrate` (deterministic: the key is unused). The views, metrics and the app's tools
live in `tools.ParticleTools`.
"""

from __future__ import annotations

import colorsys
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from alife.core.errors import AlifeError
from alife.core.rule import EntityWorld, Inspecting, Placing, Removing, Rule

from particle_life import forces
from particle_life.state import ParticleParams, ParticleState
from particle_life.tools import ParticleTools

Array = jax.Array
MAX_TYPES = 12
MAX_PARTICLES = 4096  # all-pairs arrays of N^2 floats: 4096 is 16.8 M pairs, ~64 MB each


def type_colours(types: int) -> tuple[tuple[float, float, float, float], ...]:
    """One RGBA colour per type: hues spread evenly round the colour wheel."""
    return tuple((*colorsys.hsv_to_rgb(t / types, 0.75, 1.0), 1.0) for t in range(types))


class ParticleLifeRule(ParticleTools, Rule, EntityWorld, Inspecting, Placing, Removing):
    """Typed particles that attract and repel each other by a matrix, on a torus."""

    family = "particle_life"
    num_states = 0  # continuous: no discrete cell states (grid measures refuse it)
    look = "rgb"

    def __init__(self, width: int = 64, height: int = 64, particles: int = 512,
                 types: int = 6, start: int = 400, matrix_seed: int = 0,
                 cluster_radius: float = 3.0) -> None:
        if int(width) < 4 or int(height) < 4:
            raise AlifeError("width and height must be at least 4", where="width, height")
        if not 1 <= int(particles) <= MAX_PARTICLES:
            raise AlifeError(f"particles {particles} must be in 1..{MAX_PARTICLES}",
                             where="particles")
        if not 1 <= int(types) <= MAX_TYPES:
            raise AlifeError(f"types {types} must be in 1..{MAX_TYPES}", where="types")
        if not 0 <= int(start) <= int(particles):
            raise AlifeError(f"start {start} must be in 0..particles ({particles})",
                             where="start")
        if not 0.0 < float(cluster_radius) < min(int(width), int(height)) / 2:
            raise AlifeError(f"cluster_radius {cluster_radius} must be in (0, half the shorter "
                             "side)", where="cluster_radius")
        self.width, self.height = int(width), int(height)
        self.capacity, self.types, self.start = int(particles), int(types), int(start)
        self.matrix_seed, self.cluster_radius = int(matrix_seed), float(cluster_radius)
        self.colours = type_colours(self.types)

    def config(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "particles": self.capacity,
                "types": self.types, "start": self.start, "matrix_seed": self.matrix_seed,
                "cluster_radius": self.cluster_radius}

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    def describe(self) -> str:
        return (f"particle_life {self.width}x{self.height}, {self.capacity} slots, "
                f"{self.types} types")

    def default_params(self) -> ParticleParams:
        rng = np.random.default_rng(self.matrix_seed)
        matrix = rng.uniform(-1.0, 1.0, (self.types, self.types)).astype(np.float32)
        scalars = {"r_max": 8.0, "beta": 0.3, "force": 10.0, "half_life": 0.04, "dt": 0.02}
        return ParticleParams(matrix=jnp.asarray(matrix),
                              **{k: jnp.asarray(v, jnp.float32) for k, v in scalars.items()})

    def size(self) -> Array:
        """(H, W) as a float32 vector, the torus the positions wrap on."""
        return jnp.asarray([self.height, self.width], jnp.float32)

    def init(self, key: Array, params: ParticleParams) -> ParticleState:
        del params
        k_pos, k_kind = jax.random.split(key)
        n = self.capacity
        return ParticleState(
            position=forces.wrap_position(jax.random.uniform(k_pos, (n, 2)) * self.size(),
                                          self.size()),
            velocity=jnp.zeros((n, 2), jnp.float32),
            kind=jax.random.randint(k_kind, (n,), 0, self.types, jnp.int32),
            alive=jnp.arange(n) < self.start,
            generation=jnp.zeros((), jnp.int32))

    def step(self, key: Array, state: ParticleState, params: ParticleParams) -> ParticleState:
        del key
        position, velocity = forces.integrate(
            state.position, state.velocity, state.kind, state.alive, params.matrix,
            params.r_max, params.beta, params.force, params.half_life, params.dt, self.size())
        return ParticleState(position=position, velocity=velocity, kind=state.kind,
                             alive=state.alive, generation=state.generation + 1)
