"""What a fitness function is, so families can declare their own (`Family.fitness`).

A fitness is built once per evolution run by `entry.build(world, settings) -> Fitness` and is
pure after that: `features(state, params) -> {name: scalar}` is recorded at the start and every
`record_every` steps (for grid rules the task adds `change`: the fraction of cells that changed
since the previous record), and `score(traj, final, params) -> scalar` reads the stacked records
(`traj[name]` is `[T + 1]`, the start first) and the final state. Everything runs inside the
jitted, vmapped population evaluation. Fitness is maximised.

Two optional parts:

- `alive(record, start) -> bool` (traced): whether a run is still worth stepping, from the
  record just taken and the start's (e.g. `alife.core.viability`'s dead / exploded rules). The
  task then records with `alife.core.rollout.record_while`: a run stops at its first failing
  record, the records after it repeat that one, and `traj["alive"]` says (1.0 / 0.0) which
  records passed, so the score can reward how long a run lived.
- `FitnessEntry.creature(world, params, state) -> Creature | None` (host side, after a run):
  what a search found, cut out of a final state in the family's own library format, which
  `alife evolve` saves as a scene that opens it (`alife.evolve.found`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jax.numpy as jnp

from alife.core.rule import Array, Params, State

Traj = dict[str, Array]


@dataclass(frozen=True)
class Fitness:
    """A built fitness: what to record and how to score it (see the module docstring)."""

    name: str
    features: Callable[[State, Params], dict[str, Array]]
    score: Callable[[Traj, State, Params], Array]
    alive: Callable[[dict[str, Array], dict[str, Array]], Array] | None = None


@dataclass(frozen=True)
class Creature:
    """A creature a search found (module docstring): its cells to place at the centre of a
    world (`[h, w]` levels), the rule config of a world that runs it (its grid and numbers:
    the evolved params written as config), the family's library entry (JSON-able; Lenia: a
    `species.json` entry), a line saying what it does, and whether it passed the family's own
    check of what the search looked for."""

    code: str
    name: str
    cells: Any
    config: dict[str, Any]
    entry: dict[str, Any]
    note: str = ""
    passes: bool = False  # it does what the search looked for, by the family's own check


@dataclass(frozen=True)
class FitnessEntry:
    """A named fitness a family (or evolve itself) offers: `build(world, settings)`.

    `settings` is the block class (`alife.core.config`) of the fitness's own keys in the
    `evolution:` block (e.g. `mass_low`): they are checked like every block's, unknown keys
    refused, and `build` receives them with their defaults filled. None (a fitness declaring
    nothing) leaves the keys the other parts do not own unchecked."""

    summary: str
    build: Callable[[Any, dict[str, Any]], Fitness]
    settings: type | None = None
    creature: Callable[[Any, Params, State], Creature | None] | None = None


def metric_features(world: Any) -> Callable[[State, Params], dict[str, Array]]:
    """Features = the rule's own metrics, as float32 scalars."""
    return lambda s, p: {k: jnp.asarray(v, jnp.float32)
                         for k, v in world.rule.metrics(s, p).items()}
