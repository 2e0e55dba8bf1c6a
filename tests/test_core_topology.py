"""`alife.core.topology.pad` against the cell-by-cell topology reference, for every kind."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest
from topology_reference import cell_beyond

from alife.core.errors import AlifeError
from alife.core.kernels import neighbour_sum
from alife.core.topology import Topology, neighbour_at, pad

KINDS = [("torus", "x"), ("plane", "x"), ("klein", "x"), ("klein", "y"), ("cross", "x"),
         ("sphere", "x")]


@pytest.mark.parametrize(("kind", "twist"), KINDS)
@pytest.mark.parametrize("r", [1, 2, 3])
def test_pad_matches_reference(kind, twist, r):
    h, w = (7, 7) if kind == "sphere" else (5, 8)
    grid = np.arange(1, h * w + 1).reshape(h, w)
    got = np.asarray(pad(jnp.asarray(grid), r, Topology(kind, twist)))
    for py in range(h + 2 * r):
        for px in range(w + 2 * r):
            src = cell_beyond(kind, twist, h, w, py - r, px - r)
            want = 0 if src is None else grid[src]
            assert got[py, px] == want, (kind, twist, r, py - r, px - r)


def test_pad_keeps_trailing_axes():
    grid = jnp.arange(4 * 6 * 3).reshape(4, 6, 3)
    out = pad(grid, 2, Topology("klein", "y"))
    assert out.shape == (8, 10, 3)
    np.testing.assert_array_equal(np.asarray(out[2:-2, 2:-2]), np.asarray(grid))


def test_neighbour_at_and_neighbour_sum_on_a_torus():
    rng = np.random.default_rng(0)
    grid = rng.integers(0, 2, (9, 12))
    shifted = np.asarray(neighbour_at(jnp.asarray(grid), Topology("torus"), -1, 2))
    np.testing.assert_array_equal(shifted, np.roll(grid, (1, -2), axis=(0, 1)))
    want = sum(np.roll(grid, (dy, dx), axis=(0, 1)) for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    np.testing.assert_array_equal(np.asarray(neighbour_sum(jnp.asarray(grid), 1, Topology())), want)


def test_topology_names():
    assert Topology.parse("klein-y") == Topology("klein", "y")
    assert Topology.parse("Torus").kind == "torus"
    with pytest.raises(AlifeError, match="unknown topology"):
        Topology.parse("mobius")
