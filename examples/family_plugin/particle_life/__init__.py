"""Particle Life, a plug-in rule family for alife (family "particle_life").

After Jeffrey Ventrella's "Clusters" and Tom Mohr's "Particle Life": N particles, each of one
of T types, move on a torus. Every ordered pair of types (a, b) has an attraction
`matrix[a, b]` in [-1, 1]; the matrix need not be symmetric, so a type may chase another that
flees it, and the asymmetry is what makes cells, worms and spinners emerge from random soups.
A particle is pushed away from any particle closer than `beta * r_max` (universal repulsion,
which keeps clusters from collapsing), is attracted (or repelled) by the matrix entry through
a tent-shaped force between `beta * r_max` and `r_max`, and feels nothing beyond `r_max`.
Velocities decay by friction with a half-life and positions advance by `dt` (see `forces`).

Modules: `state` (State and Params), `forces` (the force law and one step, all pairs in
JAX: O(N^2), fine up to about a thousand particles), `tools` (view, entities, metrics and the
app's inspect/place/remove), `rule` (`ParticleLifeRule`), `fitness` (`clustering`).

The package installs itself into alife through the entry point
`[project.entry-points."alife.families"] particle_life = "particle_life:FAMILY"`; nothing in
alife names it.
"""

from alife.core.family import Family

from particle_life.fitness import FITNESS
from particle_life.rule import ParticleLifeRule
from particle_life.state import ParticleParams, ParticleState

__all__ = ["FAMILY", "ParticleLifeRule", "ParticleParams", "ParticleState"]

FAMILY = Family(
    name="particle_life",
    factory=ParticleLifeRule,
    summary="Particle Life (Ventrella's Clusters, Mohr): typed particles attract and repel by "
            "a matrix on a torus",
    example={"width": 32, "height": 32, "particles": 64, "types": 3, "start": 48},
    fitness=FITNESS,
)
