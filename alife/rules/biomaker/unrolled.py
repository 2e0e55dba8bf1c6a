"""Reductions over a handful of planes, written out as elementwise ops (Biomaker step kernels).

XLA:CPU emits a reduction that is fused into an elementwise consumer (a `jnp.sum`, `argmax`,
`any` or `take_along_axis` over a small axis such as the 8 neighbours, followed by more
arithmetic) as a scalar loop with per-element index arithmetic: on a 72x128 world one such
sum over 8 neighbours and 2 nutrients cost ~0.7 ms, the same sum written as seven adds of
whole planes ~0.05 ms. These helpers take the planes as a sequence (or the leading axis of an
array) and combine them plane by plane, in the order XLA's reduction loop visits them (first to
last, or for a float sum in the blocks XLA's YNNPACK reduction uses), so the result has the same
bits as the reduction it replaces; argmax keeps `jnp.argmax`'s first-maximum and NaN-wins rules.
"""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp

Array = jax.Array


def planes(x: Array | Sequence[Array]) -> list[Array]:
    """The planes of `x`: its leading-axis slices, or the sequence itself."""
    return [x[k] for k in range(x.shape[0])] if isinstance(x, jax.Array) else list(x)


def total(x: Array | Sequence[Array]) -> Array:
    """Float sum over 1-4 or 8 planes, with the rounding of the XLA:CPU (YNNPACK) reduction it
    replaces: up to four planes added first to last; eight as two runs of four, then the two
    partial sums added ((p0 + p1 + p2 + p3) + (p4 + p5 + p6 + p7)); measured bit for bit on
    jax 0.10.2, see tests/test_biomaker_unrolled.py."""
    ps = planes(x)
    if len(ps) not in (1, 2, 3, 4, 8):
        raise ValueError(f"total over {len(ps)} planes: only 1-4 or 8 have a known order")
    runs = []
    for start in range(0, len(ps), 4):
        run = ps[start]
        for p in ps[start + 1: start + 4]:
            run = run + p
        runs.append(run)
    out = runs[0]
    for run in runs[1:]:
        out = out + run
    return out


def any_of(x: Array | Sequence[Array]) -> Array:
    ps = planes(x)
    out = ps[0]
    for p in ps[1:]:
        out = out | p
    return out


def all_of(x: Array | Sequence[Array]) -> Array:
    ps = planes(x)
    out = ps[0]
    for p in ps[1:]:
        out = out & p
    return out


def argmax(x: Array | Sequence[Array]) -> Array:
    """Index of the largest plane per element (int32): the first one on ties, the first NaN
    if any (as `jnp.argmax`)."""
    ps = planes(x)
    best, idx = ps[0], jnp.zeros(ps[0].shape, jnp.int32)
    for k, p in enumerate(ps[1:], start=1):
        if jnp.issubdtype(p.dtype, jnp.floating):
            take = (p > best) | (jnp.isnan(p) & ~jnp.isnan(best))
        else:
            take = p > best
        best = jnp.where(take, p, best)
        idx = jnp.where(take, k, idx)
    return idx


def pick(x: Array | Sequence[Array], index: Array) -> Array:
    """Per element the plane `index` names (`index` in range; take_along_axis on axis 0)."""
    ps = planes(x)
    out = ps[0]
    for k, p in enumerate(ps[1:], start=1):
        cond = index == k
        out = jnp.where(cond.reshape(cond.shape + (1,) * (p.ndim - cond.ndim)), p, out)
    return out
