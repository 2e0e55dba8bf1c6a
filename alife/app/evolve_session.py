"""Interactive evolution in the app (controller side; the Evolve panel draws it).

As in Biomaker's interactive mode (Randazzo & Mordvintsev 2023) and Picbreeder: N (8) mutants of
the current world's genome (its slider params, network weights or B/S tables, as
`alife.evolve.genome` defines them) run side by side, vmapped, from the same start; the user
picks one, it becomes the parent and the next round shows N mutants of it. Undo goes back a
round (the same mutants come back: round k's noise is keyed by its depth and reroll count),
"deploy" opens a candidate (params and its current state) as the main world. Candidates start
from the world's current state, or from their own `rule.init` when the start depends on the
genome (Biomaker's seed program) or the scene's block says `start: init`. Headless evolution
of the scene's `evolution:` block runs as a controller job (`Evolution.start_job`), so the
panel can plot its fitness live.

A session knows no controller: `alife.app.evolution.Evolution` (the controller's `evolution`
component) opens it on the running world and deploys its candidates. It steps candidates only
through `alife.core.rollout.advance` (each step's key `fold_in(world key, generation)`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core import rollout
from alife.core.errors import AlifeError
from alife.evolve.genome import Genome, build_genome, start_depends_on_genome
from alife.evolve.strategies import STD_DEFAULT
from alife.scene.view import ViewSettings
from alife.scene.world import World


@partial(jax.jit, static_argnums=(0,))
def _advance_all(rule: Any, key: Any, states: Any, params: Any, steps: Any) -> Any:
    return jax.vmap(lambda s, p: rollout.advance(rule, key, s, p, steps))(states, params)


@partial(jax.jit, static_argnums=(0,))
def _look_all(rule: Any, states: Any, params: Any) -> tuple[Any, Any]:
    return jax.vmap(lambda s, p: (rule.view(s, p), rule.metrics(s, p)))(states, params)


class EvolveSession:
    """N mutants of a parent genome, run side by side (see the module docstring)."""

    def __init__(self, world: World, n: int = 8, steps: int | None = None,
                 sigma: float | None = None, seed: int = 0) -> None:
        block = world.extra.get("evolution") or {}
        if n < 2:
            raise AlifeError(f"{n} candidates; expected at least 2")
        self.rule, self.base, self.key = world.rule, world.params, world.key
        self.genome: Genome = build_genome(world.rule, world.params, block.get("genome"))
        self.n = int(n)
        self.steps = int(steps if steps is not None else block.get("steps", 100))
        self.sigma = float(sigma if sigma is not None else STD_DEFAULT[self.genome.kind])
        start = block.get("start")
        self.init_start = start == "init" or (start is None and start_depends_on_genome(
            world.rule, world.key, world.params, self.genome, self.sigma))
        self.start_state = world.state
        self.seed_key = jax.random.PRNGKey(seed)
        self.parent = np.asarray(self.genome.encode(world.params))
        self.history: list[tuple[np.ndarray, int]] = []
        self.reroll = 0
        self.selected: int | None = None
        self._decode = jax.jit(jax.vmap(self.genome.decode, in_axes=(0, None)))
        self._new_round()

    # ---- rounds ----------------------------------------------------------------------------
    @property
    def depth(self) -> int:
        """Rounds picked so far (undo lowers it)."""
        return len(self.history)

    def mutants(self) -> np.ndarray:
        """This round's N genome vectors [N, D] (a function of parent, depth and reroll)."""
        key = jax.random.fold_in(jax.random.fold_in(self.seed_key, self.depth), self.reroll)
        shape = (self.n, self.parent.size)
        parent = jnp.asarray(self.parent)
        if self.genome.discrete:  # flip each table entry with probability sigma / 3 (~0.1)
            flip = jax.random.uniform(key, shape) < self.sigma / 3.0
            on = parent > 0.5
            return np.asarray(jnp.where(flip, ~on, on).astype(jnp.float32))
        return np.asarray(parent + self.sigma * jax.random.normal(key, shape))

    def _new_round(self) -> None:
        self.candidates = self.mutants()
        self.params = self._decode(jnp.asarray(self.candidates), self.base)
        if self.init_start:
            keys = jnp.broadcast_to(self.key, (self.n,) + self.key.shape)
            self.states = jax.vmap(self.rule.init)(keys, self.params)
        else:
            self.states = jax.tree_util.tree_map(
                lambda x: jnp.broadcast_to(x, (self.n,) + jnp.shape(x)), self.start_state)
        self.selected = None
        self.advance(self.steps)

    def advance(self, steps: int) -> None:
        """Run every candidate `steps` more generations (one compile for any `steps`)."""
        if steps > 0:
            self.states = _advance_all(self.rule, self.key, self.states, self.params,
                                       jnp.asarray(int(steps), jnp.int32))
        views, metrics = _look_all(self.rule, self.states, self.params)
        self._views = np.asarray(views)
        self._metrics = {k: np.asarray(v) for k, v in jax.device_get(metrics).items()}

    def pick(self, i: int) -> None:
        """Candidate `i` becomes the parent; the next round shows N mutants of it."""
        self.check(i)
        self.history.append((self.parent, self.reroll))
        self.parent, self.reroll = self.candidates[i].copy(), 0
        self._new_round()

    def undo(self) -> bool:
        """Back to the previous round (its parent and the same mutants)."""
        if not self.history:
            return False
        self.parent, self.reroll = self.history.pop()
        self._new_round()
        return True

    def reroll_round(self) -> None:
        """Other mutants of the same parent."""
        self.reroll += 1
        self._new_round()

    def candidate(self, i: int) -> tuple[Any, Any]:
        """Candidate `i`'s (params, current state), unbatched."""
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
        """The metric shown under each candidate (Biomaker: its reproductions)."""
        for name in ("reproductions_total", "agents", "population", "mass", "alive"):
            if name in self._metrics:
                return name
        return next((k for k in self._metrics if k != "generation"), "generation")

    def captions(self) -> list[str]:
        name = self.caption_metric()
        return [f"{name} {float(v):.4g}" for v in self._metrics[name]]

    def thumbnails(self, view: ViewSettings, size: int = 48) -> list[np.ndarray]:
        """Each candidate's view coloured with the world's view settings, at most `size` px a
        side, uint8 RGB."""
        settings = view.for_rule(self.rule)
        out = []
        for v in self._views:
            rgb = settings.colorize(v)
            step = max(1, -(-max(rgb.shape[:2]) // size))
            out.append(np.ascontiguousarray(rgb[::step, ::step]))
        return out


def has_genome(rule: Any, params: Any) -> bool:
    """Whether `params` have a genome (sliders, weights or B/S tables, as `build_genome` reads
    them), so the Evolve panel applies."""
    try:
        build_genome(rule, params, {})
    except AlifeError:
        return False
    return True
