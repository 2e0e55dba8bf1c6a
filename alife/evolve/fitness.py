"""Fitness functions by name (the scene's `evolution.fitness`), all maximised.

A fitness is built once per run by `make_fitness(name, world, settings)` and is pure after that:
`features(state, params) -> {name: scalar}` is recorded at the start and every `record_every`
steps (for grid rules the task adds `change`: the fraction of cells that changed since the
previous record), and `score(traj, final, params) -> scalar` reads the stacked records
(`traj[name]` is `[T + 1]`, the start first) and the final state. Everything runs inside the
jitted, vmapped population evaluation.

Generic (here): `metric`, a rule metric reduced over the run (`metric`, `reduce`:
final/mean/min/max, `sign`). Families declare their own in their descriptor
(`Family.fitness`, e.g. `lenia_mover` in `alife.rules.lenia.fitness`); `make_fitness` finds both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax.numpy as jnp

from alife import families
from alife.core.config import setting
from alife.core.errors import AlifeError, unknown_name
from alife.core.fitness import Fitness, FitnessEntry, metric_features

REDUCE = ("final", "mean", "min", "max")


@dataclass(frozen=True)
class MetricSettings:
    """`metric`'s keys in the `evolution:` block."""

    metric: str | None = setting(None, doc="a metric of the rule (`alife measure` lists them)")
    reduce: str = setting("final", choices=REDUCE, doc="how the records are reduced")
    sign: float = setting(1.0, doc="-1 to minimise the metric")


def fitness_entries(rule: Any) -> dict[str, FitnessEntry]:
    """The fitness functions `rule` can be evolved for: the generic ones and its family's."""
    return {**GENERIC, **families.fitness_entries(rule)}


def fitness_entry(name: Any, rule: Any) -> FitnessEntry:
    """Fitness `name` for `rule`: a generic one or one the rule's family declares."""
    known = fitness_entries(rule)
    if name not in known:
        raise AlifeError(unknown_name("fitness", name, known), where="evolution.fitness")
    return known[name]


def make_fitness(name: str, world: Any, settings: dict[str, Any]) -> Fitness:
    """Build fitness `name` for `world`: a generic one or one `world`'s family declares."""
    return fitness_entry(name, world.rule).build(world, dict(settings))


def _metric(world: Any, settings: dict[str, Any]) -> Fitness:
    name = settings.get("metric")
    known = sorted(world.rule.metrics(world.state, world.params))
    if name not in known:
        raise AlifeError(f"metric {name!r} is not one of this rule's metrics {known}",
                         where="evolution.metric")
    reduce = settings.get("reduce", "final")
    ops = {"final": lambda v: v[-1], "mean": jnp.mean, "min": jnp.min, "max": jnp.max}
    if reduce not in ops:
        raise AlifeError(f"reduce {reduce!r}; expected one of {sorted(ops)}",
                         where="evolution.reduce")
    sign = float(settings.get("sign", 1.0))
    return Fitness("metric", metric_features(world),
                   lambda traj, final, p: sign * ops[reduce](traj[name]))


GENERIC = {"metric": FitnessEntry("a rule metric over the run (metric, reduce, sign)", _metric,
                                  MetricSettings)}
