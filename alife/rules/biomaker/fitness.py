"""Biomaker fitness for evolution (Randazzo & Mordvintsev 2023).

- `biomaker_petri` (Petri-dish meta-evolution): the mean over records of -|`target_agents` (50) -
  agents| plus `reproduction_reward` (100) x the reproductions counted by the end.
- `biomaker_total` (end-to-end meta-evolution): the sum over records of agent cells, minus 1e6 if
  none is left at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax.numpy as jnp

from alife.core.config import setting
from alife.core.fitness import Fitness, FitnessEntry, metric_features


@dataclass(frozen=True)
class PetriSettings:
    """`biomaker_petri`'s keys in the `evolution:` block."""

    target_agents: float = setting(50.0, low=0, doc="the agent count to keep")
    reproduction_reward: float = setting(100.0, doc="reward per reproduction by the end")


@dataclass(frozen=True)
class NoSettings:
    """A fitness with no keys of its own."""


def _biomaker_petri(world: Any, settings: dict[str, Any]) -> Fitness:
    target = float(settings.get("target_agents", 50))
    reward = float(settings.get("reproduction_reward", 100))
    return Fitness("biomaker_petri", metric_features(world), lambda traj, final, p: (
        jnp.mean(-jnp.abs(target - traj["agents"])) + reward * traj["reproductions_total"][-1]))


def _biomaker_total(world: Any, settings: dict[str, Any]) -> Fitness:
    return Fitness("biomaker_total", metric_features(world), lambda traj, final, p: (
        jnp.sum(traj["agents"]) - 1e6 * (traj["agents"][-1] <= 0)))


FITNESS = {
    "biomaker_petri": FitnessEntry(
        "Biomaker: keep ~50 agents alive and reproduce", _biomaker_petri, PetriSettings),
    "biomaker_total": FitnessEntry(
        "Biomaker: total agent cells over the run, extinction -1e6", _biomaker_total,
        NoSettings),
}
