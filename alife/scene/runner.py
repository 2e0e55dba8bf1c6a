"""Running a World headless in jitted chunks: `advance(world, steps, every=K, on_chunk=...)`.

Each chunk is one `lax.scan` under `jit` (compiled once per chunk length; at most two lengths
per run). The PRNG key of a step is `fold_in(world.key, generation)`, so a stochastic rule gives
the same result however the run is cut into chunks (with or without `--metrics`, in the app or
headless). `world.key` itself never changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import jax

from alife.core.rule import Array, Params, Rule, State
from alife.scene.world import World

#: chunks per run when no metrics interval is asked for (enough for a smooth progress bar)
CHUNKS = 50


@partial(jax.jit, static_argnums=(0, 4))
def _advance(rule: Rule, key: Array, state: State, params: Params, steps: int) -> State:
    def one(s: State, _: Any) -> tuple[State, None]:
        return rule.step(jax.random.fold_in(key, s.generation), s, params), None

    return jax.lax.scan(one, state, None, length=steps)[0]


def step_state(rule: Rule, key: Array, state: State, params: Params, steps: int) -> State:
    """`steps` generations of `state` (keys derived from `key` and each generation)."""
    if steps <= 0:
        return state
    return _advance(rule, key, state, params, int(steps))


def advance(world: World, steps: int, every: int | None = None,
            on_chunk: Callable[[State, int], None] | None = None) -> World:
    """The world after `steps` generations; `on_chunk(state, steps_done)` after each chunk.

    With `every=K` chunks are K steps long (for metrics every K); otherwise about `CHUNKS`.
    """
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    chunk = every if every else max(1, -(-steps // CHUNKS))
    state, done = world.state, 0
    while done < steps:
        n = min(chunk, steps - done)
        state = step_state(world.rule, world.key, state, world.params, n)
        done += n
        if on_chunk is not None:
            on_chunk(state, done)
    return world.with_state(state)
