"""The one shared neighbourhood sum: pad once under the topology, then sum static slices.

On XLA:CPU neighbour sums built from `jnp.roll` are 50-100x slower at 1024^2 and above than
padding once and summing static slices (ARCHITECTURE.md, measured facts). Every rule that sums
a grid over a neighbourhood (Life-like counts, Larger than Life, Biomaker diffusion, template
matching) goes through `neighbour_sum`, so every topology of `alife.core.topology` works the
same way everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import jax

from alife.core.topology import Topology, pad

#: A footprint: r for the (2r+1)^2 square, or the half-height of each column dx = -r..r.
Footprint = int | Sequence[int]


def column_heights(footprint: Footprint) -> tuple[int, ...]:
    """The half-height of each column dx = -r..r of a footprint (an odd-length tuple)."""
    if isinstance(footprint, int):
        if footprint < 0:
            raise ValueError(f"footprint radius must be >= 0, got {footprint}")
        return (footprint,) * (2 * footprint + 1)
    heights = tuple(int(k) for k in footprint)
    if len(heights) % 2 != 1 or min(heights) < 0:
        raise ValueError(f"footprint needs an odd number of half-heights >= 0, got {heights}")
    return heights


def neighbour_sum(grid: jax.Array, footprint: Footprint, topology: Topology, *,
                  dtype=None, exclude: Sequence[tuple[int, int]] = ()) -> jax.Array:
    """Sum of `grid` ([H, W, ...]) over a footprint around each cell; same shape as `grid`.

    The footprint is the cells (dy, dx) with |dx| <= r and |dy| <= heights[dx + r]
    (`column_heights`): a square for an int r; diamonds and discs as columns of runs (they are
    symmetric, so per-row half-widths describe them too). `exclude` lists offsets inside the
    footprint whose values are subtracted afterwards, e.g. ((0, 0),) for the cell itself.
    `dtype` casts the grid before padding (default: keep the grid's dtype).

    Separable on one padded copy: vertical runs grown outward from the centre row
    (run_k = run_{k-1} + up_k + down_k), then one slice of the right run per column, added
    left to right, then the exclusions subtracted in order. Integer sums are exact in any order;
    for floats this fixed order is the contract (a 3x3 square adds (up + centre) + down, then
    (left + middle) + right).
    """
    heights = column_heights(footprint)
    rx = len(heights) // 2
    rad = max(rx, max(heights))
    for dy, dx in exclude:
        if abs(dx) > rx or abs(dy) > heights[dx + rx]:
            raise ValueError(f"excluded offset {(dy, dx)} lies outside the footprint")
    h, w = grid.shape[:2]
    p = pad(grid if dtype is None else grid.astype(dtype), rad, topology)

    def rows(dy: int) -> jax.Array:
        return p[rad + dy : rad + dy + h]

    run = rows(0)
    runs = [run]
    for k in range(1, max(heights) + 1):
        run = run + rows(-k) + rows(k)
        runs.append(run)
    total = None
    for dx in range(-rx, rx + 1):
        column = runs[heights[dx + rx]][:, rad + dx : rad + dx + w]
        total = column if total is None else total + column
    for dy, dx in exclude:
        total = total - p[rad + dy : rad + dy + h, rad + dx : rad + dx + w]
    return total
