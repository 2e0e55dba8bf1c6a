"""The preview behind interactive evolution (`alife.app.evolve_session`): the jitted, vmapped
runs of N candidates (`Preview`, cached per rule, fitness and steps), the fitness the captions
show (`Scorer`, `scene_fitness`, `caption_choices`), the world's size (`size_of`) and one computed
`Round`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core import rollout
from alife.core.errors import AlifeError
from alife.core.rule import GridEditing
from alife.scene.world import World

#: metrics that say how big a world is, most specific first
SIZE_METRICS = ("agents", "population", "alive", "mass")


@partial(jax.jit, static_argnums=(0,))
def _advance_all(rule: Any, key: Any, states: Any, params: Any, steps: Any) -> Any:
    return jax.vmap(lambda s, p: rollout.advance(rule, key, s, p, steps))(states, params)


@partial(jax.jit, static_argnums=(0,))
def _look_all(rule: Any, states: Any, params: Any) -> tuple[Any, Any]:
    return jax.vmap(lambda s, p: (rule.view(s, p), rule.metrics(s, p)))(states, params)


def size_of(rule: Any, state: Any, params: Any) -> Any:
    """The world's size (module docstring): a float32 scalar; jit-able."""
    metrics = rule.metrics(state, params)
    for name in SIZE_METRICS:
        if name in metrics:
            return jnp.asarray(metrics[name], jnp.float32)
    if isinstance(rule, GridEditing):
        return jnp.asarray(rule.population(state), jnp.float32)
    return jnp.float32(1.0)


def size_name(rule: Any, params: Any, state: Any) -> str:
    metrics = rule.metrics(state, params)
    return next((n for n in SIZE_METRICS if n in metrics),
                "population" if isinstance(rule, GridEditing) else "")


@dataclass
class Scorer:
    """The fitness the captions show: its name, where it comes from, and how to build it."""

    name: str
    source: str  # "scene" (the evolution block's) or "family" (the family's first), or ""
    fitness: Any  # alife.core.fitness.Fitness, or None (captions show the size metric)
    every: int


#: `EvolveSession(caption=SIZE)`: captions show the world's size, not a fitness
SIZE = "size"


def caption_choices(world: World) -> list[str]:
    """What the captions can show: the scene's fitness first, the family's others, then the
    world's size (`SIZE`)."""
    from alife import families

    block = world.extra.get("evolution") or {}
    names = list(families.fitness_entries(world.rule))
    first = block.get("fitness")
    if first in names:
        names.remove(first)
    return ([first] if first else []) + names + [SIZE]


def scene_fitness(world: World, name: str | None = None) -> Scorer:
    """Fitness `name` (default: the scene's, its `evolution:` block's, else the first its
    family declares); none for `SIZE` or when it cannot be built (captions then show the
    world's size)."""
    from alife import families
    from alife.evolve.fitness import make_fitness
    from alife.evolve.settings import evolution_settings

    block = world.extra.get("evolution")
    source = "scene"
    if name == SIZE:
        return Scorer("", "", None, int((block or {}).get("record_every", 10)))
    if name and (not block or block.get("fitness") != name):
        block, source = {"fitness": name}, "chosen"
    elif not block or not block.get("fitness"):
        names = list(families.fitness_entries(world.rule))
        if not names:
            return Scorer("", "", None, 10)
        block, source = {"fitness": names[0]}, "family"
    try:
        settings = evolution_settings(block, world.rule)
        fitness = make_fitness(settings["fitness"], world, settings)
    except (AlifeError, OSError, ValueError, KeyError, TypeError):
        return Scorer("", "", None, 10)
    return Scorer(fitness.name, source, fitness, int(settings.get("record_every", 10)))


class Preview:
    """The jitted preview of N candidates (features recorded, fitness scored), cached per
    (rule, fitness, steps) so new sessions on the same world do not compile again."""

    _cache: dict[tuple, Preview] = {}

    def __init__(self, rule: Any, scorer: Scorer, steps: int) -> None:
        self.rule = rule
        every = max(1, min(int(scorer.every), int(steps)))
        chunks, rest = steps // every, steps - (steps // every) * every
        fitness = scorer.fitness
        grid = isinstance(rule, GridEditing)

        def observe(s: Any, p: Any, prev: Any) -> tuple[dict[str, Any], Any]:
            feats = dict(fitness.features(s, p)) if fitness is not None else {}
            if grid:  # what `alife.evolve.task` adds for grid rules
                cells = rule.cells(s)
                change = 0.0 if prev is None else jnp.mean((cells != prev).astype(jnp.float32))
                feats["change"] = jnp.asarray(change, jnp.float32)
            feats["__size"] = size_of(rule, s, p)
            return feats, (rule.cells(s) if grid else None)

        def one(key: Any, state: Any, params: Any) -> tuple[Any, Any, Any]:
            final, traj = rollout.record(rule, key, state, params, chunks, every,
                                         lambda s, m: observe(s, params, m), start=True)
            if rest:
                final = rollout.advance(rule, key, final, params, rest)
            score = jnp.float32(0.0)
            if fitness is not None:
                feats = {k: v for k, v in traj.items() if k != "__size"}
                score = jnp.asarray(fitness.score(feats, final, params), jnp.float32)
            return final, traj["__size"], score

        self.run = jax.jit(jax.vmap(one, in_axes=(None, 0, 0)))

    @classmethod
    def get(cls, rule: Any, scorer: Scorer, steps: int, world: World) -> Preview:
        block = json.dumps(world.extra.get("evolution") or {}, sort_keys=True, default=str)
        key = (rule, scorer.name, scorer.source, block, str(world.path), int(steps))
        if key not in cls._cache:
            if len(cls._cache) >= 8:
                cls._cache.pop(next(iter(cls._cache)))
            cls._cache[key] = Preview(rule, scorer, steps)
        return cls._cache[key]


@dataclass
class Round:
    """One computed round: what the panel shows and pick / deploy read."""

    candidates: np.ndarray  # [N, D] genome vectors
    params: Any  # batched params
    states: Any  # batched states (advanced by "play")
    fitness: np.ndarray  # [N] over the preview
    viable: np.ndarray  # [N] bool: neither died, exploded nor saturated in the preview
    why: list[str]  # per candidate: "" or "died" / "exploded" / "saturated"
    draws: int  # candidates drawn in all (N without re-draws)
    redrawn: int  # slots whose first draw was replaced
    reference: str  # what "exploded" was measured against
    views: np.ndarray
    metrics: dict[str, np.ndarray]
    rules: list[str | None]  # each candidate's rule text, where the rule has one
