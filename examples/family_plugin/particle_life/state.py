"""State and Params of a Particle Life world: frozen pytree dataclasses of arrays.

State (N = the `particles` capacity of the config):
    position  [N, 2] float32  (row, col) in cells, in [0, H) x [0, W)
    velocity  [N, 2] float32  cells per time unit
    kind      [N]    int32    the particle's type, in [0, types)
    alive     [N]    bool     dead slots are free for the place tool
    generation []    int32    steps taken

Params: `matrix [T, T]` (attraction of type a towards type b, in [-1, 1]; a plain float array,
so `alife evolve` gives it a `weights` genome by default, or a bounded `sliders` genome with
`genes: {matrix: [-1, 1]}`), and five scalar sliders declared with `param(low, high, doc)`.
"""

from __future__ import annotations

import jax
from alife.core.types import param, pytree_dataclass

Array = jax.Array


@pytree_dataclass
class ParticleState:
    """One world: typed particles in fixed slots (module docstring)."""

    position: Array
    velocity: Array
    kind: Array
    alive: Array
    generation: Array


@pytree_dataclass
class ParticleParams:
    """What may change while a world runs (module docstring)."""

    matrix: Array
    r_max: Array = param(2.0, 32.0, "interaction radius, in cells")
    beta: Array = param(0.05, 0.9, "repulsion zone, as a fraction of r_max")
    force: Array = param(0.0, 40.0, "force scale")
    half_life: Array = param(0.005, 0.5, "velocity half-life under friction (time units)")
    dt: Array = param(0.002, 0.1, "time step")
