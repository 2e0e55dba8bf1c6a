"""Life-like fitness for evolution.

- `life_longevity`: long-lived soups: the fraction of records at which the world still changes
  and its density lies in [`density_low`, `density_high`].
- `life_complexity`: the 2x2 block entropy (bits, 0..4) of the living pattern, averaged over the
  records at which it still changes and its density is in the band.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jax.numpy as jnp

from alife.core.config import setting
from alife.core.fitness import Fitness, FitnessEntry, Traj
from alife.core.rule import Array, Params, State


@dataclass(frozen=True)
class BandSettings:
    """The density band of `life_longevity` and `life_complexity` (`evolution:` keys)."""

    density_low: float = setting(0.02, low=0, high=1, doc="lowest live-cell fraction counted")
    density_high: float = setting(0.5, low=0, high=1, doc="highest live-cell fraction counted")


def _band(settings: dict[str, Any]) -> tuple[float, float]:
    return float(settings.get("density_low", 0.02)), float(settings.get("density_high", 0.5))


def _life_features(world: Any) -> Callable[[State, Params], dict[str, Array]]:
    rule = world.rule
    n = float(rule.shape[0] * rule.shape[1])

    def features(state: State, params: Params) -> dict[str, Array]:
        alive = (rule.cells(state) != 0).astype(jnp.int32)
        code = (alive + 2 * jnp.roll(alive, -1, 0) + 4 * jnp.roll(alive, -1, 1)
                + 8 * jnp.roll(alive, (-1, -1), (0, 1)))
        counts = jnp.sum(code.reshape(-1, 1) == jnp.arange(16), axis=0).astype(jnp.float32)
        p = counts / n
        entropy = -jnp.sum(jnp.where(p > 0, p * jnp.log2(jnp.where(p > 0, p, 1.0)), 0.0))
        return {"density": jnp.sum(alive) / n, "entropy": entropy}

    return features


def _active(traj: Traj, settings: dict[str, Any]) -> Array:
    lo, hi = _band(settings)
    d = traj["density"][1:]
    return ((traj["change"][1:] > 0) & (d >= lo) & (d <= hi)).astype(jnp.float32)


def _life_longevity(world: Any, settings: dict[str, Any]) -> Fitness:
    return Fitness("life_longevity", _life_features(world),
                   lambda traj, final, p: jnp.mean(_active(traj, settings)))


def _life_complexity(world: Any, settings: dict[str, Any]) -> Fitness:
    return Fitness("life_complexity", _life_features(world),
                   lambda traj, final, p: jnp.mean(traj["entropy"][1:] *
                                                   _active(traj, settings)))


FITNESS = {
    "life_longevity": FitnessEntry(
        "Life-like: soups that keep changing at a moderate density", _life_longevity,
        BandSettings),
    "life_complexity": FitnessEntry(
        "Life-like: 2x2 block entropy of living, changing worlds", _life_complexity,
        BandSettings),
}
