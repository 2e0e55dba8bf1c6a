"""Interactive evolution in the app (controller side; the Evolve panel draws it).

As in Biomaker's interactive mode (Randazzo & Mordvintsev 2023) and Picbreeder: N (8) mutants of
the current world's genome (its slider params, network weights or B/S tables, as
`alife.evolve.genome` defines them) run side by side, vmapped, from the same start; the user
picks one, it becomes the parent and the next round shows N mutants of it. Undo goes back a
round (the same mutants come back: round k's noise is keyed by its depth, reroll count and
draw), "deploy" opens a candidate (params and its current state) as the main world. Candidates
start from the world's current state, or from their own `rule.init` when the start depends on
the genome (Biomaker's seed program) or the scene's block says `start: init`. Headless evolution
of the scene's `evolution:` block runs as a controller job (`Evolution.start_job`), so the
panel can plot its fitness live.

Mutation sizes are per gene group, in the gene's own units (a slider's step, a weights group's
standard deviation, a table's flip probability); the defaults come from
`Genome.default_mutation` (a slider moves by 2% of its value: Orbium's mutants stay creatures)
and any group can be set (`sizes`). A table mutant always differs from its parent somewhere.

Each round's preview runs `steps` generations and records, every `record_every` steps, the
features of the scene's fitness (its `evolution:` block's; without a block, the first fitness
the family declares) and the world's size (its "agents", "population", "alive" or "mass"
metric, else its grid's population). Captions show the fitness (and, for rules with a rule
text, the candidate's rule, e.g. B36/S23). The viability filter (on by default) re-draws
candidates that die (their size falls under `low` x the start's), explode (it exceeds `high` x
the reference: the start's size, or the parent's largest when the parent itself grows, as a
seed does, unless `from_start`) or saturate (90% of the grid), up to `max_draws` draws per
slot; `round_note()` says how many were re-drawn and how many are viable. Thumbnails cut a
small creature out of a large world (`crop_to_activity`).

A session knows no controller: `alife.app.evolution.Evolution` (the controller's `evolution`
component) opens it on the running world and deploys its candidates. It steps candidates only
through `alife.core.rollout` (each step's key `fold_in(world key, generation)`). With
`background=True` rounds are computed on a worker thread (the first compiles for seconds), so
the app keeps drawing: `busy` / `busy_text()` say so, and the previous round stays shown.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core import rollout
from alife.core.errors import AlifeError
from alife.core.rule import GridEditing, RuleText
from alife.evolve.genome import Genome, build_genome, start_depends_on_genome
from alife.evolve.strategies import STD_DEFAULT
from alife.scene.view import ViewSettings
from alife.scene.world import World

#: metrics that say how big a world is, most specific first
SIZE_METRICS = ("agents", "population", "alive", "mass")
#: the viability filter's defaults: dead under LOW x the start's size, exploded over HIGH x the
#: reference, saturated over SATURATED of the grid; at most MAX_DRAWS draws per slot
LOW, HIGH, SATURATED, MAX_DRAWS = 0.02, 4.0, 0.9, 8


@partial(jax.jit, static_argnums=(0,))
def _advance_all(rule: Any, key: Any, states: Any, params: Any, steps: Any) -> Any:
    return jax.vmap(lambda s, p: rollout.advance(rule, key, s, p, steps))(states, params)


@partial(jax.jit, static_argnums=(0,))
def _look_all(rule: Any, states: Any, params: Any) -> tuple[Any, Any]:
    return jax.vmap(lambda s, p: (rule.view(s, p), rule.metrics(s, p)))(states, params)


def format_value(value: float) -> str:
    """A caption number without scientific notation where it can be avoided: 0.973, 12.5,
    3,103; very small or huge values keep an exponent."""
    v = float(value)
    if not np.isfinite(v):
        return str(v)
    a = abs(v)
    if a == 0:
        return "0"
    if a >= 1e9 or a < 1e-4:
        return f"{v:.2e}"
    if a >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}" if a >= 0.01 else f"{v:.2g}"


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


class EvolveSession:
    """N mutants of a parent genome, run side by side (see the module docstring)."""

    def __init__(self, world: World, n: int = 8, steps: int | None = None,
                 sigma: float | None = None, seed: int = 0,
                 sizes: dict[str, float] | None = None, viable: bool = True,
                 low: float = LOW, high: float = HIGH, max_draws: int = MAX_DRAWS,
                 background: bool = False, from_start: bool = False,
                 caption: str | None = None) -> None:
        block = world.extra.get("evolution") or {}
        if n < 2:
            raise AlifeError(f"{n} candidates; expected at least 2")
        self.world = world
        self.rule, self.base, self.key = world.rule, world.params, world.key
        self.genome: Genome = build_genome(world.rule, world.params, block.get("genome"))
        self.n = int(n)
        self.steps = max(1, int(steps if steps is not None else block.get("steps", 100)))
        self.defaults = self.genome.default_mutation(world.params)
        self.sizes = dict(self.defaults)
        for name, value in (sizes or {}).items():
            if name in self.sizes and value is not None and float(value) > 0:
                self.sizes[name] = float(value)
        #: per-entry scale in genome space (`sigma`, if given, overrides every group)
        self.scale = (np.full(self.genome.size, float(sigma), np.float32) if sigma
                      else self.genome.mutation_scale(self.sizes))
        self.sigma = float(sigma) if sigma else float(np.max(self.scale))
        self.filter = bool(viable)
        self.low, self.high, self.max_draws = float(low), float(high), max(1, int(max_draws))
        self.from_start = bool(from_start)  # "exploded" against the start even if the parent grows
        self._start_setting = block.get("start")
        self._init_start: bool | None = None  # found out by the first round (it compiles init)
        self.start_state = world.state
        self.scorer = scene_fitness(world, caption)
        self.size_name = size_name(world.rule, world.params, world.state)
        self.preview = Preview.get(world.rule, self.scorer, self.steps, world)
        self.seed_key = jax.random.PRNGKey(seed)
        self.parent = np.asarray(self.genome.encode(world.params))
        self.history: list[tuple[np.ndarray, int]] = []
        self.reroll = 0
        self.selected: int | None = None
        self.background = bool(background)
        self.error = ""
        self._lock = threading.Lock()
        self._token = 0
        self._busy_since: float | None = None
        self._round: Round | None = None
        self._decode = jax.jit(jax.vmap(self.genome.decode, in_axes=(0, None)))
        self._parent_size: dict[bytes, tuple[float, float, float]] = {}
        self._play_warmup: Any = None  # the first "play" step, compiling on a worker thread
        self._play_round: Round | None = None
        self._new_round()

    # ---- rounds ----------------------------------------------------------------------------
    @property
    def depth(self) -> int:
        """Rounds picked so far (undo lowers it)."""
        return len(self.history)

    @property
    def busy(self) -> bool:
        """Whether a round is being computed (background sessions)."""
        return self._busy_since is not None

    def busy_text(self) -> str:
        if self._busy_since is None:
            return ""
        what = "compiling and running" if self._round is None else "running"
        return f"{what} {self.n} candidates x {self.steps} steps... " \
               f"{time.monotonic() - self._busy_since:.0f} s"

    def play_text(self) -> str:
        """"compiling evolve play... 3 s" while the first "play" step compiles, else ""."""
        w = self._play_warmup
        return w.text() if w is not None and not w.done else ""

    def candidates_shown(self) -> bool:
        """Whether a round has been computed (a background session's first may not be)."""
        return self._round is not None

    def wait(self, timeout: float = 600.0) -> bool:
        """Block until the round in flight (if any) is shown; False on timeout."""
        end = time.monotonic() + timeout
        while self.busy:
            if time.monotonic() > end:
                return False
            time.sleep(0.01)
        return True

    @property
    def candidates(self) -> np.ndarray:
        return self._shown().candidates

    @property
    def params(self) -> Any:
        return self._shown().params

    @property
    def states(self) -> Any:
        return self._shown().states

    def _shown(self) -> Round:
        if self._round is None:
            self.wait()
        if self._round is None:
            raise AlifeError(self.error or "no round computed yet")
        return self._round

    def mutants(self, draw: int = 0) -> np.ndarray:
        """Draw `draw` of this round's N genome vectors [N, D] (a function of parent, depth,
        reroll and draw; draw 0 is the round's first)."""
        return self._mutants(self.parent, self.depth, self.reroll, draw)

    def _mutants(self, parent: np.ndarray, depth: int, reroll: int, draw: int) -> np.ndarray:
        key = jax.random.fold_in(jax.random.fold_in(self.seed_key, depth), reroll)
        if draw:
            key = jax.random.fold_in(key, 1000 + draw)
        shape = (self.n, parent.size)
        scale = jnp.asarray(self.scale)
        base = jnp.asarray(parent)
        if self.genome.discrete:  # flip each entry with its group's probability, at least one
            k1, k2 = jax.random.split(key)
            live = jnp.asarray(self._live_entries(parent))
            flip = (jax.random.uniform(k1, shape) < scale) & live
            pick = jax.random.randint(k2, (self.n,), 0, max(int(live.sum()), 1))
            forced = jax.nn.one_hot(jnp.flatnonzero(live, size=parent.size)[pick],
                                    parent.size, dtype=bool) & live
            flip = jnp.where(flip.any(axis=1, keepdims=True), flip, forced)
            on = base > 0.5
            return np.asarray(jnp.where(flip, ~on, on).astype(jnp.float32))
        return np.asarray(base + scale * jax.random.normal(key, shape))

    def _live_entries(self, parent: np.ndarray) -> np.ndarray:
        """Table entries whose flip changes the rule (B0 stays off unless allowed)."""
        flipped = self.genome.decode(jnp.asarray(1.0 - parent), self.base)
        return np.asarray(self.genome.encode(flipped)) != (parent > 0.5)

    def _new_round(self) -> None:
        self.selected = None
        job = (self.parent.copy(), self.depth, self.reroll)
        if not self.background:
            self._install(self._compute(*job))
            return
        self._token += 1
        token = self._token
        self._busy_since = time.monotonic()

        def work() -> None:
            from alife.app.compiling import _lower_priority

            _lower_priority()  # the window's thread first
            try:
                result, error = self._compute(*job), ""
            except Exception as exc:  # noqa: BLE001  (shown in the panel, not a crash)
                result, error = None, f"{type(exc).__name__}: {exc}"
            with self._lock:
                if token != self._token:
                    return
                if result is not None:
                    self._install(result)
                self.error = error
                self._busy_since = None

        threading.Thread(target=work, daemon=True, name="evolve-round").start()

    def _install(self, result: Round) -> None:
        self._round = result
        self.selected = None

    @property
    def init_start(self) -> bool:
        """Whether candidates start from their own `rule.init` (the start depends on the
        genome, or the block says `start: init`)."""
        if self._init_start is None:
            start = self._start_setting
            self._init_start = start == "init" or (start is None and start_depends_on_genome(
                self.rule, self.key, self.base, self.genome, STD_DEFAULT[self.genome.kind]))
        return self._init_start

    def _starts(self, params: Any) -> Any:
        if self.init_start:
            keys = jnp.broadcast_to(self.key, (self.n,) + self.key.shape)
            return jax.vmap(self.rule.init)(keys, params)
        return jax.tree_util.tree_map(
            lambda x: jnp.broadcast_to(x, (self.n,) + jnp.shape(x)), self.start_state)

    def _evaluate(self, vectors: np.ndarray) -> tuple[Any, Any, np.ndarray, np.ndarray]:
        params = self._decode(jnp.asarray(vectors), self.base)
        states, sizes, scores = self.preview.run(self.key, self._starts(params), params)
        return params, states, np.asarray(sizes, np.float64), np.asarray(scores, np.float64)

    def _reference(self, parent: np.ndarray) -> tuple[float, str]:
        """What "exploded" is measured against: the start's size, or the parent's largest
        size over the preview when the parent itself grows past `high` x the start's."""
        key = parent.tobytes()
        if key not in self._parent_size:
            vectors = np.broadcast_to(parent, (self.n, parent.size))
            sizes = self._evaluate(np.ascontiguousarray(vectors))[2][0]
            if len(self._parent_size) > 64:
                self._parent_size.clear()
            self._parent_size[key] = (float(sizes[0]), float(sizes.max()), float(sizes.min()))
        start, peak, _ = self._parent_size[key]
        if start > 0 and peak > self.high * start and not self.from_start:
            return peak, f"the parent's largest {self.size_name} ({format_value(peak)})"
        return start, f"the start's {self.size_name} ({format_value(start)})"

    def _verdicts(self, sizes: np.ndarray, reference: float) -> list[str]:
        """Per candidate: "" (viable), "died", "exploded" or "saturated"."""
        capacity = float(np.prod(self.rule.shape)) if isinstance(self.rule, GridEditing) else 0.0
        out = []
        for row in sizes:
            start = row[0]
            if (start > 0 and row.min() <= self.low * start) or (start <= 0 and row[-1] <= 0):
                out.append("died")
            elif reference > 0 and row.max() > self.high * reference:
                out.append("exploded")
            elif capacity and row.max() >= SATURATED * capacity:
                out.append("saturated")
            else:
                out.append("")
        return out

    def _compute(self, parent: np.ndarray, depth: int, reroll: int) -> Round:
        vectors = self._mutants(parent, depth, reroll, 0)
        params, states, sizes, scores = self._evaluate(vectors)
        reference, ref_text = self._reference(parent)
        why = self._verdicts(sizes, reference)
        draws, redrawn = self.n, 0
        bad = [i for i, w in enumerate(why) if w] if self.filter else []
        vectors = vectors.copy()
        replaced: dict[int, tuple[int, int]] = {}  # slot -> (draw, index in that draw)
        batches: dict[int, tuple[Any, Any, np.ndarray]] = {}
        draw = 1
        while bad and draw < self.max_draws:
            more = self._mutants(parent, depth, reroll, draw)
            p2, s2, z2, f2 = self._evaluate(more)
            draws += self.n
            verdict = self._verdicts(z2, reference)
            good = [j for j, w in enumerate(verdict) if not w]
            for j in good:
                if not bad:
                    break
                i = bad.pop(0)
                vectors[i], why[i], scores[i] = more[j], "", f2[j]
                sizes[i] = z2[j]
                replaced[i] = (draw, j)
            batches[draw] = (p2, s2, z2)
            draw += 1
        redrawn = len(replaced)
        if replaced:  # gather the replacements' params and states into the round's batch
            slots = np.arange(self.n)
            for i, (d, j) in replaced.items():
                slots[i] = self.n * d + j
            order = jnp.asarray(slots)
            all_params = [params] + [batches[d][0] for d in sorted(batches)]
            all_states = [states] + [batches[d][1] for d in sorted(batches)]
            cat = lambda *xs: jnp.concatenate(xs)[order]  # noqa: E731
            params = jax.tree_util.tree_map(cat, *all_params)
            states = jax.tree_util.tree_map(cat, *all_states)
        views, metrics = _look_all(self.rule, states, params)
        return Round(candidates=vectors, params=params, states=states, fitness=scores,
                     viable=np.array([not w for w in why]), why=why, draws=draws,
                     redrawn=redrawn, reference=ref_text, views=np.asarray(views),
                     metrics={k: np.asarray(v) for k, v in jax.device_get(metrics).items()},
                     rules=self._rule_texts(params))

    def _rule_texts(self, params: Any) -> list[str | None]:
        if not isinstance(self.rule, RuleText):
            return [None] * self.n
        host = jax.device_get(params)
        out: list[str | None] = []
        for i in range(self.n):
            try:
                out.append(self.rule.rule_text(jax.tree_util.tree_map(lambda x, i=i: x[i],
                                                                      host)))
            except Exception:  # noqa: BLE001  (a rule without a short form for these params)
                out.append(None)
        return out

    def advance(self, steps: int) -> None:
        """Run every candidate `steps` more generations (one compile for any `steps`). In a
        background session the first call compiles on a worker thread (`Warmup`); calls
        before it is done do nothing, and its result is shown when it is."""
        if self.busy or self._round is None:
            return
        r = self._round
        warmup = self._play_warmup
        if self.background and (warmup is None or not warmup.ok):
            if warmup is None or warmup.done:  # not started, or failed: (again)
                from alife.app.compiling import Warmup

                def first() -> Any:
                    states = _advance_all(self.rule, self.key, r.states, r.params,
                                          jnp.asarray(max(int(steps), 1), jnp.int32))
                    return states, _look_all(self.rule, states, r.params)

                self._play_warmup, self._play_round = Warmup("evolve play", first, ()), r
            return
        if warmup is not None and warmup.result is not None:  # the compile's own steps
            result, warmup.result = warmup.result, None
            if self._play_round is r:
                states, (views, metrics) = result
                r.states, r.views = states, np.asarray(views)
                r.metrics = {k: np.asarray(v) for k, v in jax.device_get(metrics).items()}
                return
        if steps > 0:
            r.states = _advance_all(self.rule, self.key, r.states, r.params,
                                    jnp.asarray(int(steps), jnp.int32))
        views, metrics = _look_all(self.rule, r.states, r.params)
        r.views = np.asarray(views)
        r.metrics = {k: np.asarray(v) for k, v in jax.device_get(metrics).items()}

    def _idle(self) -> None:
        if self.busy:
            raise AlifeError("a round is still being computed")

    def pick(self, i: int) -> None:
        """Candidate `i` becomes the parent; the next round shows N mutants of it."""
        self._idle()
        self.check(i)
        self.history.append((self.parent, self.reroll))
        self.parent, self.reroll = self.candidates[i].copy(), 0
        self._new_round()

    def undo(self) -> bool:
        """Back to the previous round (its parent and the same mutants)."""
        if not self.history or self.busy:
            return False
        self.parent, self.reroll = self.history.pop()
        self._new_round()
        return True

    def reroll_round(self) -> None:
        """Other mutants of the same parent."""
        self._idle()
        self.reroll += 1
        self._new_round()

    def candidate(self, i: int) -> tuple[Any, Any]:
        """Candidate `i`'s (params, current state), unbatched."""
        self._idle()
        self.check(i)
        params = jax.tree_util.tree_map(lambda x: x[i], self.params)
        state = jax.tree_util.tree_map(lambda x: x[i], self.states)
        return params, state

    def check(self, i: int) -> None:
        """Raise `AlifeError` unless `i` names a candidate."""
        if not 0 <= int(i) < self.n:
            raise AlifeError(f"candidate {i}; expected 0..{self.n - 1}")

    # ---- what the panel shows --------------------------------------------------------------
    def caption_metric(self) -> str:
        """What the captions' number is: the fitness's name, else the size metric."""
        return self.scorer.name or self.size_name or "generation"

    def _values(self) -> np.ndarray:
        r = self._shown()
        if self.scorer.fitness is not None:
            return r.fitness
        name = self.caption_metric()
        return np.asarray(r.metrics.get(name, r.metrics["generation"]), np.float64)

    def captions(self) -> list[str]:
        """One line per candidate: "<fitness> <value>" (plus its rule text, where it has one)."""
        name, r = self.caption_metric(), self._shown()
        return [f"{name} {format_value(v)}" + (f" {t}" if t else "")
                for v, t in zip(self._values(), r.rules, strict=True)]

    def caption_rows(self) -> list[dict[str, Any]]:
        """Per candidate: "value" (formatted), "rule" (text or None), "viable", "why" and a
        "tip" with everything (fitness, size, rule, genes)."""
        r = self._shown()
        name = self.caption_metric()
        rows = []
        sizes = r.metrics.get(self.size_name) if self.size_name else None
        for i, value in enumerate(self._values()):
            lines = [f"candidate {i + 1}: {name} {format_value(value)}"
                     + (f" (over the first {self.steps} steps)" if self.scorer.fitness else "")]
            if sizes is not None:
                lines.append(f"{self.size_name} now {format_value(sizes[i])}")
            if r.rules[i]:
                lines.append(f"rule {r.rules[i]}")
            if r.why[i]:
                lines.append(f"not viable: {r.why[i]} within the preview")
            lines.append(self._genes_text(i))
            rows.append({"value": format_value(value), "rule": r.rules[i],
                         "viable": bool(r.viable[i]), "why": r.why[i],
                         "tip": "\n".join(line for line in lines if line)})
        return rows

    def _genes_text(self, i: int) -> str:
        """The candidate's slider genes as values (sliders only: weights are too many)."""
        if self.genome.kind != "sliders":
            return ""
        host = jax.device_get(self._shown().params)
        parts = []
        for g in self.genome.genes:
            v = np.asarray(getattr(host, g.name))[i]
            parts.append(f"{g.name} {format_value(float(v.reshape(-1)[0]))}" if v.size == 1
                         else f"{g.name} [{v.size}]")
        return ", ".join(parts)

    def round_note(self) -> str:
        """How many candidates are viable, and what the viability filter re-drew."""
        if self._round is None:
            return ""
        r = self._round
        viable = int(r.viable.sum())
        text = f"{viable} of {self.n} viable"
        if self.filter:
            text += f"; re-drew {r.redrawn}" + (f" ({r.draws} drawn in all)"
                                                if r.draws > self.n else "")
            if viable < self.n:
                kinds = "/".join(sorted({w for w in r.why if w}))
                text += f"; {self.n - viable} still {kinds} after {self.max_draws} draws"
        else:
            text += " (viability filter off)"
        if r.reference.startswith("the parent"):
            text += f"; the parent itself grows, so 'exploded' is measured against " \
                    f"{r.reference}"
        elif viable < self.n and self._parent_unviable():
            text += "; the parent itself dies or explodes: a larger mutation may find viable ones"
        return text

    def _parent_unviable(self) -> bool:
        sizes = self._parent_size.get(self.parent.tobytes())
        if sizes is None:
            return False
        start, peak, least = sizes
        return start > 0 and (least <= self.low * start or peak > self.high * start)

    def fitness_text(self) -> str:
        """What the captions' number means."""
        if self.scorer.fitness is None:
            return f"captions: {self.caption_metric()} after {self.steps} steps"
        where = {"scene": "the scene's evolution block",
                 "chosen": f"one of the {self.rule.family} family's"}.get(
            self.scorer.source, f"the {self.rule.family} family's (this scene has no "
                                f"evolution: block)")
        return f"captions: fitness {self.scorer.name} over {self.steps} steps, {where}"

    def thumbnails(self, view: ViewSettings, size: int = 48) -> list[np.ndarray]:
        """Each candidate's view coloured with the world's view settings, at most `size` px a
        side, uint8 RGB."""
        settings = view.for_rule(self.rule)
        out = []
        for v in self._shown().views:
            rgb = crop_to_activity(settings.colorize(v))
            step = max(1, -(-max(rgb.shape[:2]) // size))
            out.append(np.ascontiguousarray(rgb[::step, ::step]))
        return out


def _empty_run_end(occupied: np.ndarray) -> int:
    """Index just past the longest circular run of unoccupied entries (0 when none or all)."""
    n = occupied.size
    if occupied.all() or not occupied.any():
        return 0
    best, end, run = 0, 0, 0
    for i, v in enumerate(np.concatenate([occupied, occupied])):
        run = 0 if v else run + 1
        if run > best:
            best, end = run, i + 1
    return end % n


def crop_to_activity(rgb: np.ndarray, most: float = 0.25, pad: float = 0.3) -> np.ndarray:
    """A thumbnail's picture: a creature small in a large world (Orbium, 20 cells in 128) is
    cut out, square and padded, around the pixels that differ from the background (the most
    common colour), across the torus's edges; a busy picture is kept whole."""
    h, w = rgb.shape[:2]
    flat = rgb.reshape(-1, rgb.shape[-1])
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    active = np.any(rgb != colours[np.argmax(counts)], axis=-1)
    if not active.any() or active.mean() > most:
        return rgb
    shift = (-_empty_run_end(active.any(axis=1)), -_empty_run_end(active.any(axis=0)))
    rgb, active = np.roll(rgb, shift, axis=(0, 1)), np.roll(active, shift, axis=(0, 1))
    rows, cols = np.flatnonzero(active.any(axis=1)), np.flatnonzero(active.any(axis=0))
    side = int(max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) * (1 + 2 * pad)) + 2
    if side >= 0.8 * max(h, w):
        return rgb
    side = min(side, h, w)
    r0 = min(max(0, (rows[0] + rows[-1]) // 2 - side // 2), h - side)
    c0 = min(max(0, (cols[0] + cols[-1]) // 2 - side // 2), w - side)
    return rgb[r0:r0 + side, c0:c0 + side]


def mutation_groups(world: World) -> list[tuple[str, float, str]]:
    """(gene group, default mutation size, unit) for the running world's genome: what the Evolve
    panel lets the user set before a round opens."""
    block = world.extra.get("evolution") or {}
    genome = build_genome(world.rule, world.params, block.get("genome"))
    defaults = genome.default_mutation(world.params)
    unit = {"sliders": "step", "weights": "std", "tables": "flip p"}[genome.kind]
    return [(g.name, defaults[g.name], unit) for g in genome.genes]


def has_genome(rule: Any, params: Any) -> bool:
    """Whether `params` have a genome (sliders, weights or B/S tables, as `build_genome` reads
    them), so the Evolve panel applies."""
    try:
        build_genome(rule, params, {})
    except AlifeError:
        return False
    return True
