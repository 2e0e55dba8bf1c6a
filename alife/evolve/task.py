"""An evolution task: a rule, a start, a number of steps and a fitness, from a scene's
`evolution:` block (declared and checked in `alife.evolve.settings`).

```yaml
evolution:
  fitness: lenia_mover      # a name from alife.evolve.fitness (its settings sit in this block)
  steps: 200                # world steps per evaluation
  record_every: 10          # fitness features are recorded every k steps (and at the start)
  start: scene              # scene: the scene's start state; random: a soup per evaluation;
                            # init: the rule's own start built from each candidate's params
  density: 0.5              # soup density for start: random
  common_keys: true         # every candidate of a generation sees the same start / noise
  genome: {kind: sliders}   # see alife.evolve.genome
  strategy: pgpe            # see alife.evolve.strategies (plus std_init, lr, ...)
  population: 16
  generations: 50
  seed: 0
  micro_batch: 2            # candidates per vmapped chunk (default: runner.default_micro)
  checkpoint_every_s: 120
  out: runs/lenia_mover
```

`evaluate_one(vector, key)` is pure and unbatched: the genome is decoded into params, the start
built, and the world stepped with `alife.core.rollout.advance` (each step's key
`fold_in(run_key, generation)`), features recorded by a `lax.scan` over chunks. The population is
evaluated by vmapping it over vectors and keys (`alife.evolve.runner`); the rule is never batched.
A fitness with an `alive` check (`alife.core.fitness`) is recorded with
`rollout.record_while`: a candidate that dies or explodes stops being stepped at that record
(set `micro_batch: 1` so each candidate runs on its own and really stops early).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp

from alife.core import rollout
from alife.core.config import block_keys
from alife.core.errors import AlifeError
from alife.core.rule import Array, GridEditing, Params, State
from alife.evolve.fitness import Fitness, make_fitness
from alife.evolve.genome import Genome, build_genome, start_depends_on_genome
from alife.evolve.settings import RunSettings, evolution_settings
from alife.evolve.strategies import StrategySettings

#: settings that do not change what one evaluation computes (so runs differing only in these
#: share one compiled evaluation)
RUN_ONLY = frozenset(block_keys(RunSettings) + block_keys(StrategySettings) + ("common_keys",))


@dataclass
class Task:
    """What one candidate's evaluation does (see the module docstring)."""

    world: Any
    settings: dict[str, Any]
    genome: Genome = field(init=False)
    fitness: Fitness = field(init=False)

    def __post_init__(self) -> None:
        self.settings = evolution_settings(self.settings, self.world.rule)
        self.genome = build_genome(self.rule, self.world.params, self.settings.get("genome"))
        self.fitness = make_fitness(self.settings["fitness"], self.world, self.settings)
        if self.settings["start"] == "scene" and start_depends_on_genome(
                self.rule, self.world.key, self.world.params, self.genome):
            raise AlifeError("this rule's start depends on the genome (e.g. Biomaker's seed "
                             "program): set start: init", where="evolution.start")
        if self.settings["start"] == "random" and not isinstance(self.rule, GridEditing):
            raise AlifeError("start: random needs a rule with a cell grid",
                             where="evolution.start")

    @property
    def rule(self) -> Any:
        return self.world.rule

    @property
    def steps(self) -> int:
        return int(self.settings["steps"])

    def params(self, vector: Array, base: Params | None = None) -> Params:
        return self.genome.decode(vector, self.world.params if base is None else base)

    def start(self, key: Array, state: State | None = None,
              params: Params | None = None) -> State:
        """The start state (`state`: the scene's start; default the world's). `start: init`
        builds it with `rule.init(key, params)`, so genes the start depends on (Biomaker's
        seed program) take effect."""
        state = self.world.state if state is None else state
        if self.settings["start"] == "init":
            return self.rule.init(key, self.world.params if params is None else params)
        if self.settings["start"] == "random":
            cells = self.rule.random_cells(key, float(self.settings["density"]))
            return self.rule.with_cells(state, cells)
        return state

    def cache_key(self) -> tuple:
        """Tasks with equal keys evaluate alike given the same (base, state) arguments."""
        text = json.dumps({k: v for k, v in self.settings.items() if k not in RUN_ONLY},
                          sort_keys=True, default=str)
        return (self.rule, text, str(self.world.path), self.genome.describe())

    def candidate_key(self, key: Array, index: Array) -> Array:
        """The key candidate `index` (global) is evaluated with in a generation keyed `key`."""
        return key if self.settings["common_keys"] else jax.random.fold_in(key, index)

    def _features(self, state: State, params: Params, prev: Array | None) -> dict[str, Array]:
        feats = dict(self.fitness.features(state, params))
        if isinstance(self.rule, GridEditing):
            cells = self.rule.cells(state)
            change = 0.0 if prev is None else jnp.mean((cells != prev).astype(jnp.float32))
            feats["change"] = jnp.asarray(change, jnp.float32)
        return feats

    def rollout(self, vector: Array, key: Array, base: Params | None = None,
                state: State | None = None) -> tuple[dict[str, Array], State, Params]:
        """(features `[T + 1]`, final state, params) of one candidate. Pure, unbatched.

        `base` (params the genome does not cover) and `state` (the scene's start) default to
        the world's; passing them as arguments lets one compile serve many worlds.
        """
        params = self.params(vector, base)
        start_key, run_key = jax.random.split(key)
        state = self.start(start_key, state, params)
        every = int(self.settings["record_every"])
        chunks = self.steps // every
        grid = isinstance(self.rule, GridEditing)

        def observe(s: State, prev: Any) -> tuple[dict[str, Array], Any]:
            return self._features(s, params, prev), (self.rule.cells(s) if grid else None)

        rest = self.steps - chunks * every
        keep = self.fitness.alive
        if keep is None:
            final, traj = rollout.record(self.rule, run_key, state, params, chunks, every,
                                         observe, start=True)
            if rest:
                final = rollout.advance(self.rule, run_key, final, params, rest)
            return traj, final, params
        final, traj, ok = rollout.record_while(self.rule, run_key, state, params, chunks, every,
                                               observe, keep)
        traj = {**traj, "alive": ok.astype(jnp.float32)}
        if rest:
            final = jax.lax.cond(ok[-1], lambda s: rollout.advance(self.rule, run_key, s, params,
                                                                   rest), lambda s: s, final)
        return traj, final, params

    def evaluate_one(self, vector: Array, key: Array, base: Params | None = None,
                     state: State | None = None) -> Array:
        """The fitness (maximised, float32 scalar) of one genome vector."""
        traj, final, params = self.rollout(vector, key, base, state)
        value = jnp.asarray(self.fitness.score(traj, final, params), jnp.float32)
        return jnp.where(jnp.isfinite(value), value, jnp.float32(-1e30))
