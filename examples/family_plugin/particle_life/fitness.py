"""Particle Life's fitness for `alife evolve`: `clustering`, the rule's clustering metric
reduced over the run (`reduce`: mean (default) or final), optionally minus `speed_cost` times
the mean speed, so a search can ask for still clusters rather than fast streams."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax.numpy as jnp
from alife.core.config import setting
from alife.core.errors import AlifeError
from alife.core.fitness import Fitness, FitnessEntry, Traj, metric_features
from alife.core.rule import Array, Params, State


@dataclass(frozen=True)
class ClusteringSettings:
    """`clustering`'s own keys in the `evolution:` block (checked when a scene loads)."""

    reduce: str = setting("mean", choices=("mean", "final"), doc="how the records are reduced")
    speed_cost: float = setting(0.0, low=0.0, doc="subtracted per unit of mean speed")


def _clustering(world: Any, settings: dict[str, Any]) -> Fitness:
    reduce = settings.get("reduce", "mean")
    if reduce not in ("mean", "final"):
        raise AlifeError(f"reduce {reduce!r}; expected mean or final", where="evolution.reduce")
    speed_cost = float(settings.get("speed_cost", 0.0))

    def score(traj: Traj, final: State, params: Params) -> Array:
        clustering, speed = traj["clustering"], traj["mean_speed"]
        if reduce == "final":
            return clustering[-1] - speed_cost * speed[-1]
        return jnp.mean(clustering) - speed_cost * jnp.mean(speed)

    return Fitness("clustering", metric_features(world), score)


FITNESS = {
    "clustering": FitnessEntry("Particle Life: particles that gather in clusters (reduce, "
                               "speed_cost)", _clustering, ClusteringSettings),
}
