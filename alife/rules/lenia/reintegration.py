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
#: the farthest `reach` (cells a step per axis, plus s) the transport allows
MAX_REACH = 10


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


def _shares(shift: Array, spread: Array) -> tuple[Array, list[Array], list[Array]]:
    """Along one axis: the first overlapped cell's offset (int32, same shape as `shift`), the
    fraction of the square in each of the FOOT cells from there (FOOT arrays summing to 1) and
    which of them is the largest (FOOT bool arrays, one True per cell). Written slot by slot:
    XLA:CPU runs such flat loops several times faster than broadcasts over a slot axis."""
    lo, hi = shift - spread, shift + spread
    first = jnp.floor(lo + 0.5)
    overlap = [jnp.clip(jnp.minimum(first + (t + 0.5), hi) - jnp.maximum(first + (t - 0.5), lo),
                        0.0, None) for t in range(FOOT)]
    total = overlap[0] + overlap[1] + overlap[2]
    frac = [o / total for o in overlap]
    big0 = (frac[0] >= frac[1]) & (frac[0] >= frac[2])
    big1 = ~big0 & (frac[1] >= frac[2])
    return first.astype(jnp.int32), frac, [big0, big1, ~big0 & ~big1]


def _amounts(mass: Array, frac_y: list[Array], big_y: list[Array], frac_x: list[Array],
             big_x: list[Array]) -> Array:
    """Each cell's matter split over its FOOT x FOOT window: [FOOT, FOOT, N]. The largest row
    share takes what the other rows leave, and in each row the largest column share what the
    others leave, so the window adds up to the cell's matter to rounding (products of rounded
    fractions alone lose ~4e-8 of the matter a step, always downwards)."""
    row = [mass * f for f in frac_y]
    row = [jnp.where(big_y[i], mass - row[(i + 1) % 3] - row[(i + 2) % 3], row[i])
           for i in range(FOOT)]
    out = []
    for i in range(FOOT):
        part = [row[i] * f for f in frac_x]
        out.append(jnp.stack([jnp.where(big_x[j], row[i] - part[(j + 1) % 3]
                                        - part[(j + 2) % 3], part[j]) for j in range(FOOT)]))
    return jnp.stack(out)


def _fold(canvas: Array, pad: int, combine: str = "add") -> Array:
    """A canvas [..., H + 2 pad, W + 2 pad] folded onto the [..., H, W] torus (its margins
    added, or maxed, onto the opposite edges; pad <= H, W)."""
    def fold(a: Array, axis: int) -> Array:
        n = a.shape[axis] - 2 * pad
        mid = jax.lax.slice_in_dim(a, pad, pad + n, axis=axis)
        low = jax.lax.slice_in_dim(a, 0, pad, axis=axis)  # wraps to the far edge
        high = jax.lax.slice_in_dim(a, pad + n, n + 2 * pad, axis=axis)  # wraps to the near edge
        index = [slice(None)] * a.ndim
        index[axis] = slice(n - pad, n)
        far = tuple(index)
        index[axis] = slice(0, pad)
        near = tuple(index)
        if combine == "add":
            return mid.at[far].add(low).at[near].add(high)
        return mid.at[far].max(low).at[near].max(high)

    return fold(fold(canvas, canvas.ndim - 2), canvas.ndim - 1)


def _scatter(starts: Array, windows: Array, shape: tuple[int, int], pad: int,
             combine: str = "add") -> Array:
    """Add (or max) `windows` [L..., FOOT, FOOT, N] into a zero (or -inf) [L..., H, W] torus,
    window n's corner at `starts[n]` (row, col; each within [-pad, H + pad - FOOT]): one scatter
    of whole windows into a padded canvas, folded (a window scatter costs a fifth of scattering
    every cell of every window on XLA:CPU). Windows keep N last, the layout XLA vectorises."""
    lead = windows.shape[:-3]
    h, w = shape
    canvas_shape = lead + (h + 2 * pad, w + 2 * pad)
    numbers = jax.lax.ScatterDimensionNumbers(
        update_window_dims=tuple(range(windows.ndim - 1)), inserted_window_dims=(),
        scatter_dims_to_operand_dims=(len(lead), len(lead) + 1))
    mode = jax.lax.GatherScatterMode.PROMISE_IN_BOUNDS
    if combine == "add":
        canvas = jax.lax.scatter_add(jnp.zeros(canvas_shape, windows.dtype), starts + pad,
                                     windows, numbers, mode=mode)
    else:
        canvas = jax.lax.scatter_max(jnp.full(canvas_shape, -jnp.inf, windows.dtype),
                                     starts + pad, windows, numbers, mode=mode)
    return _fold(canvas, pad, combine)


def _gather(grid: Array, starts: Array, pad: int) -> Array:
    """The FOOT x FOOT windows of an [H, W] torus grid at `starts` [N, 2]: [FOOT, FOOT, N]."""
    padded = jnp.pad(grid, pad, mode="wrap")
    numbers = jax.lax.GatherDimensionNumbers(offset_dims=(0, 1), collapsed_slice_dims=(),
                                             start_index_map=(0, 1))
    return jax.lax.gather(padded, starts + pad, numbers, (FOOT, FOOT),
                          mode=jax.lax.GatherScatterMode.PROMISE_IN_BOUNDS)


def margin(shape: tuple[int, int]) -> int:
    """The canvas margin a grid of this shape uses: room for the farthest move (MAX_REACH)
    plus a footprint, at most the grid's smaller side."""
    return min(MAX_REACH + FOOT, min(shape))


def reintegrate(cells: Array, shift: Array, spread: Array, reach: Array,
                carried: Array | None = None, mix: str = "stochastic",
                key: Array | None = None) -> tuple[Array, Array | None]:
    """One reintegration-tracking step on the torus.

    cells [C, H, W] (matter, >= 0); shift [C, 2, H, W]: where each cell's matter goes, in cells
    (dt F), clipped to +-(reach - s) per axis (reach at most MAX_REACH, and at most the grid's
    smaller side - 3); spread: the half side s of the square (clipped to SPREAD_RANGE); carried
    [S, H, W] or None: values moved with the matter and mixed (`mix`, `key` for `stochastic`).
    Returns (new cells [C, H, W], new carried [S, H, W] or None); where no matter arrives the
    carried values are 0.
    """
    c, h, w = cells.shape
    pad = margin((h, w))
    s = jnp.clip(jnp.asarray(spread, jnp.float32), *SPREAD_RANGE)
    most = jnp.minimum(jnp.asarray(reach, jnp.float32), float(pad - FOOT))
    limit = jnp.maximum(most - s, 0.0)
    d = jnp.clip(shift, -limit, limit)
    first_y, frac_y, big_y = _shares(d[:, 0].reshape(-1), s)  # [N], FOOT x [N]
    first_x, frac_x, big_x = _shares(d[:, 1].reshape(-1), s)
    rows = jnp.broadcast_to(jnp.arange(h, dtype=jnp.int32)[None, :, None], (c, h, w))
    cols = jnp.broadcast_to(jnp.arange(w, dtype=jnp.int32)[None, None, :], (c, h, w))
    starts = jnp.stack([rows.reshape(-1) + first_y, cols.reshape(-1) + first_x], axis=-1)
    amount = _amounts(cells.reshape(-1), frac_y, big_y, frac_x, big_x)  # [FOOT, FOOT, N]
    plane = h * w  # each channel's windows land on its own plane
    new = jnp.stack([_scatter(starts[i * plane:(i + 1) * plane],
                              amount[..., i * plane:(i + 1) * plane], (h, w), pad)
                     for i in range(c)])
    if carried is None:
        return new, None
    count = carried.shape[0]
    source = jnp.broadcast_to(carried.reshape(count, 1, h * w), (count, c, h * w))
    source = source.reshape(count, 1, 1, c * h * w)  # [S, 1, 1, N]
    if mix == "average":
        arrived = jnp.sum(new, axis=0)
        mixed = _scatter(starts, source * amount[None], (h, w), pad)
        out = jnp.where(arrived > 0, mixed / jnp.where(arrived > 0, arrived, 1.0), 0.0)
    elif mix == "stochastic":
        if key is None:
            raise ValueError("stochastic mixing needs a key")
        live = amount > 0
        gumbel = jax.random.gumbel(key, amount.shape, jnp.float32)
        score = jnp.where(live, jnp.log(jnp.where(live, amount, 1.0)) + gumbel, -jnp.inf)
        best = _scatter(starts, score, (h, w), pad, "max")
        win = live & (score == _gather(best, starts, pad))
        chosen = _scatter(starts, jnp.where(win[None], source, 0.0), (h, w), pad)
        wins = _scatter(starts, win.astype(jnp.float32), (h, w), pad)
        out = chosen / jnp.maximum(wins, 1.0)[None]
    else:
        raise ValueError(f"unknown mix {mix!r}; expected one of {MIXES}")
    return new, out.astype(carried.dtype)
