"""Space-time diagrams of runs, batched over params and start states, with a damaged twin.

Every run goes through `alife.core.rollout.run(..., record_every=1)`; the recorded states become
frames with the rule's `cells` (for a 1-D rule drawn as a space-time diagram, the `SpaceTime`
capability, only its current row, so a run of T steps gives a `[T, W]` diagram; 2-D rules give
`[T, H, W]`).

`batch_runs` vmaps over a batch of params (rule tables: all 256 elementary rules share one
compile) and over several random starts. For each start it also runs a twin whose centre cell
was changed (state c -> (c + 1) mod K) after the transient, and returns the Hamming distance
between the two at every step (`alife.instruments.damage` turns that into spreading measures).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core import rollout
from alife.core.rule import GridEditing, Rule, SpaceTime


def frame(rule: Rule, state: Any) -> jax.Array:
    """The cells one step of a diagram shows: the current row (`SpaceTime`) or the grid."""
    cells = rule.cells(state)  # type: ignore[attr-defined]
    return rule.current_row(cells) if isinstance(rule, SpaceTime) else cells


def perturb(rule: Rule, state: Any) -> Any:
    """`state` with its centre cell (of the current row, for `SpaceTime` rules: the last row of
    the diagram) moved to the next state."""
    cells = rule.cells(state)  # type: ignore[attr-defined]
    k = max(int(rule.num_states), 2)
    row = cells.shape[0] - 1 if isinstance(rule, SpaceTime) else cells.shape[0] // 2
    at = (row, cells.shape[1] // 2)
    cells = cells.at[at].set((cells[at] + 1) % k)
    return rule.with_cells(state, cells)  # type: ignore[attr-defined]


def diagram(rule: Rule, key: jax.Array, state: Any, params: Any, steps: int) -> np.ndarray:
    """One run's `[steps, ...]` diagram (uint8 host array), the frame after each step."""
    _, recorded = rollout.run(rule, key, state, params, steps, record_every=1)
    return np.asarray(jax.vmap(lambda s: frame(rule, s))(recorded)).astype(np.uint8)


@dataclass
class BatchRuns:
    """`diagrams`: uint8 [B, T, ...] (the first start of each params); `damage`: float [B, S, T]
    Hamming distance (cells) between each start's run and its damaged twin after each step;
    `cells`: cells per frame."""

    diagrams: np.ndarray
    damage: np.ndarray
    cells: int


@partial(jax.jit, static_argnums=(0, 4, 5))
def _batch(rule: Rule, key: jax.Array, starts: Any, params: Any, steps: int,
           transient: int) -> tuple[jax.Array, jax.Array]:
    def one(p: Any, s: Any) -> tuple[jax.Array, jax.Array]:
        if transient:
            s = rollout.run(rule, key, s, p, transient)
        twins = jax.tree_util.tree_map(lambda a, b: jnp.stack([a, b]), s, perturb(rule, s))
        _, rec = jax.vmap(lambda t: rollout.run(rule, key, t, p, steps, record_every=1))(twins)
        frames = jax.vmap(jax.vmap(lambda t: frame(rule, t)))(rec)  # [2, T, ...]
        axes = tuple(range(1, frames.ndim - 1))
        hamming = jnp.sum(frames[0] != frames[1], axis=axes)
        return frames[0].astype(jnp.uint8), hamming

    def per_params(p: Any) -> tuple[jax.Array, jax.Array]:
        frames, hamming = jax.vmap(lambda s: one(p, s))(starts)
        return frames[0], hamming

    return jax.vmap(per_params)(params)


def batch_runs(rule: Rule, key: jax.Array, starts: Any, params: Any, steps: int,
               transient: int = 0, chunk: int = 64) -> BatchRuns:
    """Run every params of a stacked batch `[B]` from every start of a stacked batch `[S]`.

    The batch is cut into chunks of at most `chunk` params (the last one padded), so memory stays
    bounded and every chunk shares one compile.
    """
    if not isinstance(rule, GridEditing):
        raise TypeError(f"{rule.family} has no cell grid to measure")
    n = jax.tree_util.tree_leaves(params)[0].shape[0]
    size = min(chunk, n)
    diagrams, damage = [], []
    for lo in range(0, n, size):
        idx = np.minimum(np.arange(lo, lo + size), n - 1)
        part = jax.tree_util.tree_map(lambda a, i=idx: a[i], params)
        d, h = _batch(rule, key, starts, part, int(steps), int(transient))
        keep = min(size, n - lo)
        diagrams.append(np.asarray(d)[:keep])
        damage.append(np.asarray(h)[:keep])
    cells = int(np.prod(diagrams[0].shape[2:]))
    return BatchRuns(np.concatenate(diagrams), np.concatenate(damage).astype(np.float64), cells)
