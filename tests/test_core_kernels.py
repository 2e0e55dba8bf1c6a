"""`alife.core.kernels.neighbour_sum` against a cell-by-cell NumPy sum, for every topology."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest
from topology_reference import cell_beyond

from alife.core.kernels import column_heights, neighbour_sum
from alife.core.topology import Topology

KINDS = [("torus", "x"), ("plane", "x"), ("klein", "x"), ("klein", "y"), ("cross", "x"),
         ("sphere", "x")]
FOOTPRINTS = [(1, ()), (2, ((0, 0),)), ((0, 1, 0), ((0, 0),)), ((1, 2, 2, 2, 1), ()),
              (1, ((0, 0), (-1, 1), (1, -1)))]


def _reference(grid: np.ndarray, footprint, exclude, kind: str, twist: str) -> np.ndarray:
    h, w = grid.shape
    heights = column_heights(footprint)
    rx = len(heights) // 2
    offsets = [(dy, dx) for dx in range(-rx, rx + 1)
               for dy in range(-heights[dx + rx], heights[dx + rx] + 1)
               if (dy, dx) not in exclude]
    out = np.zeros_like(grid)
    for y in range(h):
        for x in range(w):
            for dy, dx in offsets:
                src = cell_beyond(kind, twist, h, w, y + dy, x + dx)
                out[y, x] += 0 if src is None else grid[src]
    return out


@pytest.mark.parametrize(("kind", "twist"), KINDS)
@pytest.mark.parametrize(("footprint", "exclude"), FOOTPRINTS)
def test_neighbour_sum_matches_reference(kind, twist, footprint, exclude):
    h, w = (7, 7) if kind == "sphere" else (6, 9)
    grid = np.random.default_rng(1).integers(0, 5, (h, w)).astype(np.int32)
    got = neighbour_sum(jnp.asarray(grid), footprint, Topology(kind, twist), exclude=exclude)
    np.testing.assert_array_equal(np.asarray(got), _reference(grid, footprint, exclude, kind,
                                                              twist))


def test_float_order_and_trailing_axes():
    """A 3x3 float sum adds (up + centre) + down, then (left + middle) + right, per channel."""
    x = np.random.default_rng(2).standard_normal((6, 7, 2)).astype(np.float32)
    p = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    rows = p[:-2] + p[1:-1] + p[2:]
    want = rows[:, :-2] + rows[:, 1:-1] + rows[:, 2:]
    got = np.asarray(neighbour_sum(jnp.asarray(x), 1, Topology("plane")))
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, want)


def test_dtype_and_bad_footprints():
    grid = jnp.ones((4, 4), jnp.uint8)
    assert neighbour_sum(grid, 1, Topology(), dtype=jnp.int16).dtype == jnp.int16
    with pytest.raises(ValueError, match="odd number"):
        neighbour_sum(grid, (1, 1), Topology())
    with pytest.raises(ValueError, match="outside the footprint"):
        neighbour_sum(grid, (0, 1, 0), Topology(), exclude=((1, 1),))
