"""Computing a round of `alife.app.evolve_session.EvolveSession`: drawing N mutants of the parent
(`_mutants`), running their preview, the viability filter that re-draws candidates that die,
explode or saturate (`_reference`, `_verdicts`, `_compute`; the rules are
`alife.core.viability`'s, shared with the headless search), and computing a round on a worker
thread in background sessions (`_new_round`). `RoundsMixin` is one base of `EvolveSession`."""

from __future__ import annotations

import threading
import time
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.app.evolve_captions import format_value
from alife.app.evolve_preview import Round, _look_all
from alife.core import viability
from alife.core.rule import GridEditing, RuleText
from alife.core.viability import HIGH, LOW, SATURATED
from alife.evolve.genome import start_depends_on_genome
from alife.evolve.strategies import STD_DEFAULT

#: the viability filter's rules are `alife.core.viability`'s (the headless search's too): dead
#: under LOW x the start's size, exploded over HIGH x the reference, saturated over SATURATED of
#: the grid; at most MAX_DRAWS draws per slot
MAX_DRAWS = 8
__all__ = ["HIGH", "LOW", "MAX_DRAWS", "SATURATED", "RoundsMixin"]


class RoundsMixin:
    """How `EvolveSession` (which supplies the state) draws, runs and filters a round."""

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
        """Per candidate: "" (viable), "died", "exploded" or "saturated"
        (`alife.core.viability`)."""
        capacity = float(np.prod(self.rule.shape)) if isinstance(self.rule, GridEditing) else 0.0
        rules = viability.Rules(low=self.low, high=self.high, saturated=SATURATED)
        return viability.verdicts(sizes, reference, capacity, rules)

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
