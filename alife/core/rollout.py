"""Rollout: many steps of a rule, with one key rule everywhere.

Every step's PRNG key is `fold_in(key, state.generation)`: a run gives the same result however it
is cut into chunks, recorded, batched, paused in the app or resumed from a file. `key` itself never
changes during a run.

- `advance(rule, key, state, params, steps)`: pure and jit-able; `steps` may be traced (a
  `fori_loop`), so every chunk size shares one compile. Use it inside your own jitted functions.
- `record(rule, key, state, params, chunks, every, observe, memo=None, start=False)`: pure and
  jit-able; advances `chunks * every` steps and stacks an observation after every k-th step
  (the scan's outputs), optionally with the start's first. Use it inside your own jitted functions.
- `record_while(rule, key, state, params, chunks, every, observe, keep, memo=None)`: `record`
  with the start first that stops stepping once `keep(y, y_start)` is False (a `while_loop`:
  a run evaluated on its own really stops; under `vmap` a batch steps until all its runs
  stopped); the records after the stop repeat the last one taken.
- `run(rule, key, state, params, steps, record_every=None, observe=None)`: the jitted entry point;
  returns the final state, or `(final, recorded)` with the state (or `observe(state)`) after
  every k-th step stacked.
- `run_batch(...)`: `run` vmapped over keys, states and/or params, added from outside in one place.

`alife.scene.runner`, the app's controller, `alife.render.frames`, training and evolution all
step worlds through this module and nothing else.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp

from alife.core.rule import Array, FastAdvance, Params, Rule, State


def step_key(key: Array, generation: Array) -> Array:
    """The PRNG key of the step that leaves `generation` (the one key rule)."""
    return jax.random.fold_in(key, generation)


def advance(rule: Rule, key: Array, state: State, params: Params, steps: Any) -> State:
    """`state` after `steps` generations; `steps` may be a traced integer. Pure, unbatched.

    A rule with `FastAdvance` runs its own many-step path (the same result, bit for bit);
    otherwise this loops over `rule.step`.
    """
    if isinstance(rule, FastAdvance):
        fast = rule.fast_advance(key, state, params, steps)
        if fast is not None:
            return fast

    def body(_: Any, s: State) -> State:
        return rule.step(step_key(key, s.generation), s, params)

    return jax.lax.fori_loop(0, steps, body, state)


@partial(jax.jit, static_argnums=(0,))
def _advance(rule: Rule, key: Array, state: State, params: Params, steps: Array) -> State:
    return advance(rule, key, state, params, steps)


@partial(jax.jit, static_argnums=(0,), donate_argnums=(2,))
def _advance_donated(rule: Rule, key: Array, state: State, params: Params, steps: Array
                     ) -> State:
    """`_advance` that updates `state`'s buffers in place (the caller's `state` is consumed):
    no second copy of a large State (e.g. agents' genomes) per call."""
    return advance(rule, key, state, params, steps)


#: jax's notes about donation it could not use (a leaf with no output of its shape and dtype, or
#: a backend without donation): the call is still correct, only not in place; never shown to users
_DONATION_NOTES = r"(Some donated buffers were not usable|Donation is not implemented)"


def _unshared(state: State, others: Any) -> State:
    """`state` with every leaf that is also another leaf of `state` or of `others` (the key, the
    params) replaced by its own copy: a buffer may be donated once, and never one still in use."""
    seen = {id(x) for x in jax.tree_util.tree_leaves(others)}

    def own(x: Any) -> Any:
        if id(x) in seen:
            return jnp.array(x, copy=True)
        seen.add(id(x))
        return x

    return jax.tree_util.tree_map(own, state)


def _run_donated(rule: Rule, key: Array, state: State, params: Params, steps: int) -> State:
    state = _unshared(state, (key, params))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_DONATION_NOTES)
        return _advance_donated(rule, key, state, params, steps)


def record(rule: Rule, key: Array, state: State, params: Params, chunks: int, every: int,
           observe: Callable[[State, Any], tuple[Any, Any]], memo: Any = None,
           start: bool = False) -> tuple[State, Any]:
    """`(final, ys)` after `chunks * every` generations; pure, unbatched, jit-able.

    After every `every`-th step `y, memo = observe(state, memo)`; the ys are stacked along a new
    leading axis (`chunks` entries) and `memo` is threaded from one record to the next (e.g. the
    previous frame, for a change measure). With `start=True` the start state is observed first
    (with the given `memo`) and its y leads the stack (`chunks + 1` entries).
    """
    first = None
    if start:
        first, memo = observe(state, memo)

    def chunk(carry: tuple[State, Any], _: Any) -> tuple[tuple[State, Any], Any]:
        s, m = carry
        s = advance(rule, key, s, params, every)
        y, m = observe(s, m)
        return (s, m), y

    (final, _), ys = jax.lax.scan(chunk, (state, memo), None, length=chunks)
    if start:
        ys = jax.tree_util.tree_map(lambda a, b: jnp.concatenate([jnp.asarray(a)[None], b]),
                                    first, ys)
    return final, ys


def record_while(rule: Rule, key: Array, state: State, params: Params, chunks: int, every: int,
                 observe: Callable[[State, Any], tuple[Any, Any]],
                 keep: Callable[[Any, Any], Array], memo: Any = None
                 ) -> tuple[State, Any, Array]:
    """`(final, ys, ok)`: like `record(..., start=True)` (`ys` has `chunks + 1` entries, the
    start's first), but a record `y` for which `keep(y, y_start)` is False ends the run: no more
    steps, and every later entry of `ys` repeats it. `ok` [chunks + 1] bool says which records
    passed `keep`; `final` is the state at the last record taken. Pure, unbatched, jit-able."""
    first, memo = observe(state, memo)
    ok0 = jnp.asarray(keep(first, first), bool)
    ys = jax.tree_util.tree_map(
        lambda a: jnp.zeros((chunks + 1,) + jnp.shape(a), jnp.asarray(a).dtype).at[0].set(a),
        first)
    oks = jnp.zeros((chunks + 1,), bool).at[0].set(ok0)

    def cond(carry: tuple) -> Array:
        i, _, _, _, _, going = carry
        return (i < chunks) & going

    def body(carry: tuple) -> tuple:
        i, s, m, buf, flags, _ = carry
        s = advance(rule, key, s, params, every)
        y, m = observe(s, m)
        good = jnp.asarray(keep(y, first), bool)
        buf = jax.tree_util.tree_map(lambda b, v: b.at[i + 1].set(v), buf, y)
        return i + 1, s, m, buf, flags.at[i + 1].set(good), good

    start = (jnp.asarray(0, jnp.int32), state, memo, ys, oks, ok0)
    last, final, _, ys, oks, _ = jax.lax.while_loop(cond, body, start)
    index = jnp.minimum(jnp.arange(chunks + 1), last)
    ys = jax.tree_util.tree_map(lambda b: b[index], ys)
    return final, ys, oks


def _state(s: State) -> State:
    return s


@partial(jax.jit, static_argnums=(0, 4, 5, 6))
def _record(rule: Rule, key: Array, state: State, params: Params, chunks: int, every: int,
            observe: Callable[[State], Any]) -> tuple[State, Any]:
    return record(rule, key, state, params, chunks, every, lambda s, m: (observe(s), m))


def run(rule: Rule, key: Array, state: State, params: Params, steps: int,
        record_every: int | None = None, observe: Callable[[State], Any] | None = None,
        donate: bool = False) -> Any:
    """Advance `state` by `steps` generations.

    Returns the final state, or `(final, recorded)` when `record_every=k`: `recorded` stacks the
    state after every k-th step along a new leading axis (steps // k entries; the final state
    includes the remaining steps), or `observe(state)` (any pytree) in its place. `observe` is
    a static argument: pass the same function object to reuse the compile. Without recording,
    one compile serves every `steps`. `donate=True` (without recording) hands `state`'s buffers
    to the result: the caller must not use `state` afterwards (its arrays raise "Array has been
    deleted"); a leaf shared with another leaf, the key or the params is copied first, and jax's
    notes about donation it cannot use are silenced.
    """
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    if not record_every:
        if observe is not None:
            raise ValueError("observe needs record_every")
        if donate:
            return _run_donated(rule, key, state, params, steps)
        return _advance(rule, key, state, params, steps)
    if record_every < 0:
        raise ValueError(f"record_every must be positive, got {record_every}")
    chunks = steps // record_every
    final, recorded = _record(rule, key, state, params, chunks, int(record_every),
                              observe or _state)
    rest = steps - chunks * record_every
    if rest:
        final = _advance(rule, key, final, params, rest)
    return final, recorded


def run_batch(rule: Rule, keys: Array, states: State, params: Params, steps: int,
              axes: tuple[int | None, int | None, int | None] = (0, 0, None)) -> State:
    """`run` vmapped over keys, states and params; `axes` says which carry a batch axis."""
    fn = jax.vmap(lambda k, s, p: advance(rule, k, s, p, int(steps)), in_axes=axes)
    return jax.jit(fn)(keys, states, params)
