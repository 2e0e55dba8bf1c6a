"""The Growing-NCA update network run only on the cells whose update can reach the result.

A step adds the network's output to a cell only where the cell fires (U < fire_rate), and the
cells that are not alive before the update are zeroed after it. A fired cell that is not alive
still matters through its alpha when it touches a cell that is alive (the alive mask after the
update reads its 3x3 block), so the network is needed exactly at `fire & dilate3x3(alive)`:
the *active* cells. That is about half the grid at fire rate 0.5 on a full canvas, and far
fewer while a pattern grows from its seed.

The active cells' perception rows are gathered into a compact block, the two dense layers run on
that block (two matmuls, where nearly all the flops are), and each active cell gathers its row of
the result back. Shapes must be static, so the block has one of a few sizes (`tier_caps`),
chosen per call by `lax.switch` from the number of active cells; past the biggest tier the dense
path runs (every cell, then masked). On XLA:CPU each row of a matmul comes out the same whatever
the number of rows, so the result equals the dense path's bit for bit (tests/test_nca_sparse.py).

Two entry points:
- `sparse_update`: differentiable (the gathers' gradients are gathers too, via `custom_vjp`, not
  XLA:CPU's slow scatter-add); the trainer uses it on its `[B, H, W, C]` batch. Under `vmap` the
  switch would become a select that runs every tier, so do not vmap it.
- `masked_update`: the same forward pass, safe under `vmap` (a `custom_vmap` rule: with shared
  weights the batch joins the rows of one compact block; with batched weights, e.g. an
  evolution population, the dense path is vmapped). Not differentiable; `Rule.step` uses it.

Shapes: `x` the states (any shape), `features(x) -> [N, 3C]` its perception rows (computed
inside each branch, so XLA fuses it into the gather of the active rows), `m [N]` the active
mask, result `[N, C]` (zero where `m` is false). `features` must flatten every leading axis of
`x` into the rows (the `vmap` rule relies on it).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import jax
import jax.numpy as jnp
from jax.custom_batching import custom_vmap

Array = jax.Array
MIN_ROWS = 1024  # fewer rows (e.g. a 24x24 grid): the dense path only


def mlp(weights, f: Array) -> Array:
    """The update network on rows `[N, 3C] -> [N, C]`: dense, ReLU, dense."""
    return jax.nn.relu(f @ weights.w1 + weights.b1) @ weights.w2 + weights.b2


def _dense(features: Callable[[Array], Array]):
    def run(weights, x: Array, m: Array) -> Array:
        """Every row through the network, then the inactive rows zeroed."""
        return jnp.where(m[:, None], mlp(weights, features(x)), 0.0)

    return run


def _round8(v: float) -> int:
    return int(math.ceil(v / 8.0)) * 8


def tier_caps(n: int) -> tuple[int, ...]:
    """The compact block sizes for `n` rows, ascending (then the dense path): n/16, n/8, n/4,
    3n/8 (a pattern growing from its seed, a training batch) and n/2 plus 3 sqrt(n) (fire rate
    0.5 on a full canvas: the count is binomial, 6 standard deviations of margin), rounded up
    to multiples of 8; only those below 0.8 n (a block nearly as big as the grid saves
    nothing). Few tiers: each is a branch XLA compiles (~0.2 s each, ~1 s for the compaction,
    on a loaded 2-core CPU); below `MIN_ROWS` rows none (the dense path compiles faster than
    the compact one saves there)."""
    if n < MIN_ROWS:
        return ()
    wanted = [n / 16, n / 8, n / 4, 3 * n / 8, n / 2 + 3 * math.sqrt(n)]
    return tuple(sorted({_round8(c) for c in wanted if _round8(c) < 0.8 * n}))


@jax.custom_vjp
def take_rows(f: Array, idx: Array, pos: Array, m: Array) -> Array:
    """`f[idx]` (`[cap, K]`); an index `N` (past the end) gives a zero row."""
    del pos, m
    return jnp.take(f, idx, axis=0, mode="fill", fill_value=0)


@jax.custom_vjp
def put_rows(y: Array, idx: Array, pos: Array, m: Array) -> Array:
    """Each active row `i` gets `y[pos[i]]`, the others 0 (`[N, K]`): the inverse of `take_rows`."""
    del idx
    return jnp.where(m[:, None], jnp.take(y, pos, axis=0, mode="clip"), 0.0)


def _take_fwd(f, idx, pos, m):
    return take_rows(f, idx, pos, m), (idx, pos, m)


def _take_bwd(res, g):
    idx, pos, m = res
    return put_rows(g, idx, pos, m), None, None, None


def _put_fwd(y, idx, pos, m):
    return put_rows(y, idx, pos, m), (idx, pos, m)


def _put_bwd(res, g):
    idx, pos, m = res
    return take_rows(g, idx, pos, m), None, None, None


take_rows.defvjp(_take_fwd, _take_bwd)
put_rows.defvjp(_put_fwd, _put_bwd)


def _compact(cap: int, features: Callable[[Array], Array]):
    def run(weights, x: Array, m: Array) -> Array:
        n = m.shape[0]
        f = features(x)  # computed here, so XLA fuses it into the gather of the active rows
        pos = jnp.cumsum(m.astype(jnp.int32)) - 1  # each active row's place in the block
        slot = jnp.where(m, pos, cap)  # inactive rows aim past the end: dropped
        idx = jnp.full((cap,), n, jnp.int32).at[slot].set(
            jnp.arange(n, dtype=jnp.int32), mode="drop")
        return put_rows(mlp(weights, take_rows(f, idx, pos, m)), idx, pos, m)

    return run


def _branches(n: int, features: Callable[[Array], Array]) -> tuple[tuple[int, ...], list]:
    caps = tier_caps(n)
    return caps, [_compact(c, features) for c in caps] + [_dense(features)]


def _tier(m: Array, caps: tuple[int, ...]) -> Array:
    count = jnp.sum(m.astype(jnp.int32))
    return jnp.sum((count > jnp.asarray(caps, jnp.int32)).astype(jnp.int32))


def sparse_update(weights, x: Array, m: Array, features: Callable[[Array], Array]) -> Array:
    """The network on `features(x)`'s rows (`[N, 3C]`), at the active rows only (the smallest
    tier that holds them), 0 elsewhere. Differentiable; not for `vmap` (module docstring)."""
    caps, branches = _branches(m.shape[0], features)
    if not caps:
        return branches[0](weights, x, m)
    return _switched(features, weights, x, m)


@partial(jax.custom_vjp, nondiff_argnums=(0,))
def _switched(features, weights, x: Array, m: Array) -> Array:
    caps, branches = _branches(m.shape[0], features)
    return jax.lax.switch(_tier(m, caps), branches, weights, x, m)


def _switched_fwd(features, weights, x, m):
    return _switched(features, weights, x, m), (weights, x, m)


def _switched_bwd(features, res, g):
    """The chosen tier's VJP, recomputing its forward pass inside the branch. (Letting JAX
    differentiate the switch would carry every branch's residuals out of it, the untaken ones
    as zero arrays written every step: most of a training iteration's time.)"""
    weights, x, m = res
    caps, branches = _branches(m.shape[0], features)

    def pull(branch):
        def run(weights, x, m, g):
            _, vjp = jax.vjp(lambda w, v: branch(w, v, m), weights, x)
            return vjp(g)

        return run

    dw, dx = jax.lax.switch(_tier(m, caps), [pull(b) for b in branches], weights, x, m, g)
    return dw, dx, None


_switched.defvjp(_switched_fwd, _switched_bwd)


def masked_update(weights, x: Array, m: Array, features: Callable[[Array], Array]) -> Array:
    """`sparse_update`'s forward pass, safe under `vmap`; not differentiable. `x` is one
    unbatched array (`[..., H, W, C]` with fixed leading dims) and `m` has one entry per row."""

    @custom_vmap
    def run(weights, x, m):
        return sparse_update(weights, x, m, features)

    @run.def_vmap
    def run_vmap(axis_size: int, in_batched, weights, x: Array, m: Array):
        w_batched, x_batched, m_batched = in_batched
        x = x if x_batched else jnp.broadcast_to(x, (axis_size,) + x.shape)
        m = m if m_batched else jnp.broadcast_to(m, (axis_size,) + m.shape)
        if not any(jax.tree_util.tree_leaves(w_batched)):  # shared weights: one block for all
            out = sparse_update(weights, x, m.reshape(-1), features)  # features flatten x
            return out.reshape(m.shape + out.shape[-1:]), True
        weights = jax.tree_util.tree_map(
            lambda a, batched: a if batched else jnp.broadcast_to(a, (axis_size,) + a.shape),
            weights, w_batched)
        return jax.vmap(_dense(features))(weights, x, m), True

    return run(weights, x, m)
