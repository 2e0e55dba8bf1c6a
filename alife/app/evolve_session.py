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

The preview, its fitness and `Round` are in `alife.app.evolve_preview`; drawing mutants, the
viability filter and the worker thread in `alife.app.evolve_rounds`; captions, notes and
thumbnails in `alife.app.evolve_captions` (this module re-exports what others import).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.app.evolve_captions import (  # noqa: F401  (re-exported)
    CaptionsMixin,
    _empty_run_end,
    crop_to_activity,
    format_value,
)
from alife.app.evolve_preview import (  # noqa: F401  (re-exported)
    SIZE,
    SIZE_METRICS,
    Preview,
    Round,
    Scorer,
    _advance_all,
    _look_all,
    caption_choices,
    scene_fitness,
    size_name,
    size_of,
)
from alife.app.evolve_rounds import (  # noqa: F401  (re-exported)
    HIGH,
    LOW,
    MAX_DRAWS,
    SATURATED,
    RoundsMixin,
)
from alife.core.errors import AlifeError
from alife.evolve.genome import Genome, build_genome
from alife.scene.world import World


class EvolveSession(RoundsMixin, CaptionsMixin):
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
