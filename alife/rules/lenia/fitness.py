"""Lenia's fitness functions for evolution: `lenia_glider` (a glider from a random start; see
`alife.rules.lenia.glider`) and `lenia_mover`, a persistent moving creature: the fraction of
records whose mass stays within [`mass_low`, `mass_high`] x the start's, times (1 + the net
distance its torus-aware centre of mass travelled, in cells).

It records only the metrics its score reads (mass and the centre), so the rest of the rule's
metrics are never computed inside the evaluation: `growth_mean` alone would cost one more
FFT convolution per record, ~10% of an evaluation at `record_every: 10`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax.numpy as jnp

from alife.core.config import setting
from alife.core.fitness import Fitness, FitnessEntry, Traj, metric_features
from alife.core.rule import Array, Params, State
from alife.rules.lenia import glider


@dataclass(frozen=True)
class LeniaMoverSettings:
    """`lenia_mover`'s keys in the `evolution:` block."""

    mass_low: float = setting(0.5, low=0, doc="lowest mass kept, x the start's")
    mass_high: float = setting(2.0, above=0, doc="highest mass kept, x the start's")


def _wrapped(delta: Array, n: int) -> Array:
    """A centre difference on a ring of n cells, mapped into [-n/2, n/2)."""
    return jnp.mod(delta + n / 2, n) - n / 2


#: the metrics `lenia_mover` reads
MOVER_FEATURES = ("mass", "centre_x", "centre_y")


def _mover_features(world: Any) -> Any:
    """The rule's metrics `lenia_mover` reads; the others are dropped before they are recorded,
    so XLA never computes them."""
    metrics = metric_features(world)
    return lambda s, p: {k: v for k, v in metrics(s, p).items() if k in MOVER_FEATURES}


def _lenia_mover(world: Any, settings: dict[str, Any]) -> Fitness:
    lo, hi = float(settings.get("mass_low", 0.5)), float(settings.get("mass_high", 2.0))
    h, w = world.rule.shape

    def score(traj: Traj, final: State, params: Params) -> Array:
        mass = traj["mass"]
        m0 = jnp.maximum(mass[0], 1e-6)
        alive = (mass >= lo * m0) & (mass <= hi * m0)
        dx = jnp.sum(_wrapped(jnp.diff(traj["centre_x"]), w))
        dy = jnp.sum(_wrapped(jnp.diff(traj["centre_y"]), h))
        return jnp.mean(alive.astype(jnp.float32)) * (1.0 + jnp.hypot(dx, dy) * jnp.all(alive))

    return Fitness("lenia_mover", _mover_features(world), score)


FITNESS = {
    "lenia_mover": FitnessEntry("Lenia: a creature that keeps its mass and moves", _lenia_mover,
                                LeniaMoverSettings),
    "lenia_glider": FitnessEntry("Lenia: a glider from a random start (survival, bounded mass, "
                                 "compactness, motion; dead and exploding runs stop early)",
                                 glider._lenia_glider, glider.LeniaGliderSettings,
                                 creature=glider._creature),
}
