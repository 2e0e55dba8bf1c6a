"""Fitness functions by name (the scene's `evolution.fitness`), all maximised.

A fitness is built once per run by `make_fitness(name, world, settings)` and is pure after that:
`features(state, params) -> {name: scalar}` is recorded at the start and every `record_every`
steps (for grid rules the task adds `change`: the fraction of cells that changed since the
previous record), and `score(traj, final, params) -> scalar` reads the stacked records
(`traj[name]` is `[T + 1]`, the start first) and the final state. Everything runs inside the
jitted, vmapped population evaluation.

Built in:
- `metric`: a rule metric reduced over the run (`metric`, `reduce`: final/mean/min/max, `sign`).
- `lenia_mover`: a persistent moving creature (Lenia): the fraction of records whose mass stays
  within [`mass_low`, `mass_high`] x the start's, times (1 + the net distance its torus-aware
  centre of mass travelled, in cells).
- `life_longevity`: long-lived soups (Life-like): the fraction of records at which the world
  still changes and its density lies in [`density_low`, `density_high`].
- `life_complexity`: the 2x2 block entropy (bits, 0..4) of the living pattern, averaged over the
  records at which it still changes and its density is in the band.
- `biomaker_petri` (Randazzo & Mordvintsev 2023, Petri-dish meta-evolution): the mean over
  records of -|`target_agents` (50) - agents| plus `reproduction_reward` (100) x the
  reproductions counted by the end.
- `biomaker_total` (their end-to-end meta-evolution): the sum over records of agent cells,
  minus 1e6 if none is left at the end.
- `target_image`: a Growing-NCA target: minus the mean squared error between the final RGBA
  (premultiplied, channels 0-3, as the gradient trainer's loss) and a target PNG (`target`,
  `target_size`, relative to the scene), centred in the grid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.rule import Array, Params, State

Traj = dict[str, Array]


@dataclass(frozen=True)
class Fitness:
    """A built fitness: what to record and how to score it (see the module docstring)."""

    name: str
    features: Callable[[State, Params], dict[str, Array]]
    score: Callable[[Traj, State, Params], Array]


Factory = Callable[[Any, dict[str, Any]], Fitness]
_FITNESS: dict[str, tuple[Factory, str]] = {}


def register_fitness(name: str, summary: str) -> Callable[[Factory], Factory]:
    """Decorator: register `factory(world, settings) -> Fitness` under `name`."""
    def wrap(factory: Factory) -> Factory:
        _FITNESS[name] = (factory, summary)
        return factory
    return wrap


def fitness_names() -> dict[str, str]:
    return {k: v[1] for k, v in sorted(_FITNESS.items())}


def make_fitness(name: str, world: Any, settings: dict[str, Any]) -> Fitness:
    if name not in _FITNESS:
        raise AlifeError(f"unknown fitness {name!r}; expected one of {sorted(_FITNESS)}",
                         where="evolution.fitness")
    return _FITNESS[name][0](world, dict(settings))


def _metrics(world: Any) -> Callable[[State, Params], dict[str, Array]]:
    return lambda s, p: {k: jnp.asarray(v, jnp.float32)
                         for k, v in world.rule.metrics(s, p).items()}


@register_fitness("metric", "a rule metric over the run (metric, reduce, sign)")
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
    return Fitness("metric", _metrics(world),
                   lambda traj, final, p: sign * ops[reduce](traj[name]))


def _wrapped(delta: Array, n: int) -> Array:
    """A centre difference on a ring of n cells, mapped into [-n/2, n/2)."""
    return jnp.mod(delta + n / 2, n) - n / 2


@register_fitness("lenia_mover", "Lenia: a creature that keeps its mass and moves")
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

    return Fitness("lenia_mover", _metrics(world), score)


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


@register_fitness("life_longevity", "Life-like: soups that keep changing at a moderate density")
def _life_longevity(world: Any, settings: dict[str, Any]) -> Fitness:
    return Fitness("life_longevity", _life_features(world),
                   lambda traj, final, p: jnp.mean(_active(traj, settings)))


@register_fitness("life_complexity", "Life-like: 2x2 block entropy of living, changing worlds")
def _life_complexity(world: Any, settings: dict[str, Any]) -> Fitness:
    return Fitness("life_complexity", _life_features(world),
                   lambda traj, final, p: jnp.mean(traj["entropy"][1:] *
                                                   _active(traj, settings)))


@register_fitness("biomaker_petri", "Biomaker: keep ~50 agents alive and reproduce")
def _biomaker_petri(world: Any, settings: dict[str, Any]) -> Fitness:
    target = float(settings.get("target_agents", 50))
    reward = float(settings.get("reproduction_reward", 100))
    return Fitness("biomaker_petri", _metrics(world), lambda traj, final, p: (
        jnp.mean(-jnp.abs(target - traj["agents"])) + reward * traj["reproductions_total"][-1]))


@register_fitness("biomaker_total", "Biomaker: total agent cells over the run, extinction -1e6")
def _biomaker_total(world: Any, settings: dict[str, Any]) -> Fitness:
    return Fitness("biomaker_total", _metrics(world), lambda traj, final, p: (
        jnp.sum(traj["agents"]) - 1e6 * (traj["agents"][-1] <= 0)))


def load_target_grid(world: Any, settings: dict[str, Any]) -> np.ndarray:
    """The target PNG as premultiplied RGBA `[H, W, 4]`, centred in the world's grid."""
    from alife.train.nca import load_target

    if not settings.get("target"):
        raise AlifeError("target_image needs a target PNG", where="evolution.target")
    base = world.path.parent if world.path is not None else Path.cwd()
    h, w = world.rule.shape
    size = int(settings.get("target_size", min(h, w)))
    if size > min(h, w):
        raise AlifeError(f"target_size {size} does not fit the {w}x{h} grid",
                         where="evolution.target_size")
    small = load_target(base / settings["target"], size)
    grid = np.zeros((h, w, 4), np.float32)
    top, left = (h - size) // 2, (w - size) // 2
    grid[top:top + size, left:left + size] = small
    return grid


@register_fitness("target_image", "neural CA: minus the RGBA error to a target image at the end")
def _target_image(world: Any, settings: dict[str, Any]) -> Fitness:
    target = jnp.asarray(load_target_grid(world, settings))
    if not hasattr(world.state, "x") or world.state.x.shape[-1] < 4:
        raise AlifeError("target_image needs a neural CA state with RGBA channels",
                         where="evolution.fitness")

    def score(traj: Traj, final: State, params: Params) -> Array:
        err = jnp.mean(jnp.square(final.x[..., :4] - target))
        return -jnp.where(jnp.isfinite(err), err, 1e3)

    return Fitness("target_image", lambda s, p: {}, score)
