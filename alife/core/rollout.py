"""Rollout: many steps of a rule under one `lax.scan`, optionally recording states.

`run` is unbatched, like the rules. Batching goes on from outside, in one place: `run_batch`
vmaps `run` over keys, states and params (pass `None` axes to share one of them).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import jax

from alife.core.rule import Array, Params, Rule, State


@partial(jax.jit, static_argnums=(0, 4, 5))
def _run(rule: Rule, key: Array, state: State, params: Params, steps: int,
         record_every: int | None) -> Any:
    def one(state: State, k: Array) -> tuple[State, None]:
        return rule.step(k, state, params), None

    keys = jax.random.split(key, max(steps, 1))[:steps]
    if not record_every:
        final, _ = jax.lax.scan(one, state, keys)
        return final

    chunks = steps // record_every
    keys = keys[: chunks * record_every].reshape((chunks, record_every) + keys.shape[1:])

    def chunk(state: State, ks: Array) -> tuple[State, State]:
        state, _ = jax.lax.scan(one, state, ks)
        return state, state

    final, recorded = jax.lax.scan(chunk, state, keys)
    return final, recorded


def run(rule: Rule, key: Array, state: State, params: Params, steps: int,
        record_every: int | None = None) -> Any:
    """Advance `state` by `steps` generations.

    Returns the final state, or `(final, recorded)` when `record_every=k`: `recorded` stacks the
    state after every k-th step along a new leading axis (steps // k entries). Compiles once per
    (rule instance, steps, record_every) and state/params shapes.
    """
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    return _run(rule, key, state, params, int(steps), record_every)


def run_batch(rule: Rule, keys: Array, states: State, params: Params, steps: int,
              axes: tuple[int | None, int | None, int | None] = (0, 0, None)) -> State:
    """`run` vmapped over keys, states and params; `axes` says which carry a batch axis."""
    fn = jax.vmap(lambda k, s, p: _run(rule, k, s, p, int(steps), None), in_axes=axes)
    return fn(keys, states, params)
