"""Flow Lenia's transport: Sobel gradients, the flow field and reintegration tracking on a torus.

Flow Lenia (Plantec et al. 2023, "Flow-Lenia: Towards open-ended evolution in cellular automata
through mass conservation and parameter localization", arXiv 2212.07906) moves matter instead
of growing it. Given an affinity map U [C, H, W] (Lenia's growth, not added to the cells) and
the matter A [C, H, W]:

    A_sum = sum_c A_c
    alpha = clip((A_sum / theta) ** n, 0, 1)                       (critical mass theta)
    F_c   = (1 - alpha) grad U_c - alpha grad A_sum                 (`flow`)

and reintegration tracking (Moroz 2020) sends each cell's matter to the square of side 2s
centred at `x + dt F(x)` (the displacement clipped to `reach - s` cells per axis, as the
reference code clips it), sharing it among the cells that square overlaps by overlap area
(`reintegrate`). A cell's shares add up to 1, so the total mass is kept up to float rounding.

Gradients are Sobel filters with wrap-around, unnormalised as in the reference code (a unit
ramp has gradient 8), components (d/drow, d/dcol).

Reintegration is written as a scatter: each cell's square overlaps at most `FOOT` cells per axis
(s < 1), so one step adds `C * FOOT**2` shares per cell into the new grid, whatever the reach;
the reference code gathers from a (2 reach + 1)^2 window instead (same result, 121 reads per
cell at reach 5). Per-cell data carried with the matter (the species mixture of parameter
localisation, `carried` [S, H, W]) is mixed where shares meet: `average` weighs the incoming
values by the matter they come with (the paper's weighted average); `stochastic` gives each
cell the values of one incoming share drawn with probability proportional to its matter (the
reference code's default `stoch` rule; the draw here is a Gumbel-max over the shares, keyed by
the step's key).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

Array = jax.Array

#: cells a share square of side 2s < 2 can overlap along one axis
FOOT = 3
#: the range of the square's half side s (the footprint holds for s < 1)
SPREAD_RANGE = (0.05, 0.95)
MIXES = ("stochastic", "average")


def sobel(a: Array) -> Array:
    """Sobel gradients of each plane of `a` [N, H, W] on the torus: [N, 2, H, W] as
    (d/drow, d/dcol), unnormalised (8 on a unit ramp) as in the reference code."""
    p = jnp.pad(a, ((0, 0), (1, 1), (1, 1)), mode="wrap")
    h, w = a.shape[-2:]

    def at(dy: int, dx: int) -> Array:
        return p[:, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w]

    d_row = at(1, -1) + 2.0 * at(1, 0) + at(1, 1) - at(-1, -1) - 2.0 * at(-1, 0) - at(-1, 1)
    d_col = at(-1, 1) + 2.0 * at(0, 1) + at(1, 1) - at(-1, -1) - 2.0 * at(0, -1) - at(1, -1)
    return jnp.stack([d_row, d_col], axis=1)


def flow(affinity: Array, cells: Array, theta: Array, exponent: Array) -> Array:
    """F = (1 - alpha) grad U - alpha grad A_sum, alpha = clip((A_sum / theta)^n, 0, 1).

    affinity, cells: [C, H, W]; returns [C, 2, H, W] (row, column components)."""
    total = jnp.sum(cells, axis=0)
    ratio = jnp.maximum(total, 0.0) / jnp.maximum(theta, 1e-6)
    alpha = jnp.clip(ratio ** exponent, 0.0, 1.0)[None, None]
    return (1.0 - alpha) * sobel(affinity) - alpha * sobel(total[None])


def _shares(shift: Array, spread: Array) -> tuple[Array, Array]:
    """Along one axis: the first overlapped cell's offset (int32, same shape as `shift`) and the
    fraction of the square in each of the FOOT cells from there ([FOOT, ...], summing to 1)."""
    lo, hi = shift - spread, shift + spread
    first = jnp.floor(lo + 0.5)
    edges = first[None] + jnp.arange(FOOT, dtype=shift.dtype).reshape((FOOT,) + (1,) * shift.ndim)
    overlap = jnp.clip(jnp.minimum(edges + 0.5, hi[None]) - jnp.maximum(edges - 0.5, lo[None]),
                       0.0, None)
    return first.astype(jnp.int32), overlap / jnp.sum(overlap, axis=0, keepdims=True)


def reintegrate(cells: Array, shift: Array, spread: Array, reach: Array,
                carried: Array | None = None, mix: str = "stochastic",
                key: Array | None = None) -> tuple[Array, Array | None]:
    """One reintegration-tracking step on the torus.

    cells [C, H, W] (matter, >= 0); shift [C, 2, H, W]: where each cell's matter goes, in cells
    (dt F), clipped to +-(reach - s) per axis; spread: the half side s of the square (clipped to
    SPREAD_RANGE); carried [S, H, W] or None: values moved with the matter and mixed (`mix`,
    `key` for `stochastic`). Returns (new cells [C, H, W], new carried [S, H, W] or None);
    where no matter arrives the carried values are 0.
    """
    c, h, w = cells.shape
    s = jnp.clip(jnp.asarray(spread, jnp.float32), *SPREAD_RANGE)
    limit = jnp.maximum(jnp.asarray(reach, jnp.float32) - s, 0.0)
    d = jnp.clip(shift, -limit, limit)
    first_y, frac_y = _shares(d[:, 0], s)  # [C, H, W], [FOOT, C, H, W]
    first_x, frac_x = _shares(d[:, 1], s)
    rows = jnp.arange(h, dtype=jnp.int32)[:, None]
    cols = jnp.arange(w, dtype=jnp.int32)[None, :]
    step = jnp.arange(FOOT, dtype=jnp.int32)
    dest_y = jnp.mod(rows + first_y[None] + step[:, None, None, None], h)  # [FOOT, C, H, W]
    dest_x = jnp.mod(cols + first_x[None] + step[:, None, None, None], w)
    dest = dest_y[:, None] * w + dest_x[None, :]  # [FOOT, FOOT, C, H, W]
    amount = cells[None, None] * frac_y[:, None] * frac_x[None, :]  # [FOOT, FOOT, C, H, W]
    # the largest share takes what the others leave, so a cell's shares add up to its matter
    # to rounding (products of rounded fractions alone lose ~4e-8 of it a step, all one way)
    amount = amount.reshape((FOOT * FOOT, c, h, w))
    largest = jnp.arange(FOOT * FOOT)[:, None, None, None] == jnp.argmax(amount, axis=0)[None]
    rest = jnp.sum(jnp.where(largest, 0.0, amount), axis=0)
    amount = jnp.where(largest, (cells - rest)[None], amount).reshape((FOOT, FOOT, c, h, w))
    plane = jnp.arange(c, dtype=jnp.int32)[:, None, None] * (h * w)
    flat = (dest + plane).reshape(-1)
    new = jnp.zeros(c * h * w, cells.dtype).at[flat].add(amount.reshape(-1)).reshape(c, h, w)
    if carried is None:
        return new, None
    dest = dest.reshape(-1)
    amount = amount.reshape(-1)
    sources = jnp.broadcast_to(carried[:, None, None, None], (carried.shape[0], FOOT, FOOT, c, h, w)
                               ).reshape(carried.shape[0], -1)
    if mix == "average":
        arrived = jnp.zeros(h * w, cells.dtype).at[dest].add(amount)
        mixed = jnp.zeros((carried.shape[0], h * w), cells.dtype).at[:, dest].add(sources * amount)
        out = jnp.where(arrived > 0, mixed / jnp.where(arrived > 0, arrived, 1.0), 0.0)
    elif mix == "stochastic":
        if key is None:
            raise ValueError("stochastic mixing needs a key")
        live = amount > 0
        gumbel = jax.random.gumbel(key, amount.shape, jnp.float32)
        score = jnp.where(live, jnp.log(jnp.where(live, amount, 1.0)) + gumbel, -jnp.inf)
        best = jnp.full(h * w, -jnp.inf, jnp.float32).at[dest].max(score)
        win = live & (score == best[dest])
        count = jnp.zeros(h * w, jnp.float32).at[dest].add(win.astype(jnp.float32))
        chosen = jnp.zeros((carried.shape[0], h * w), cells.dtype).at[:, dest].add(
            jnp.where(win, sources, 0.0))
        out = chosen / jnp.maximum(count, 1.0)
    else:
        raise ValueError(f"unknown mix {mix!r}; expected one of {MIXES}")
    return new, out.reshape(carried.shape).astype(carried.dtype)
