"""`alife.core.topology.pad` against the cell-by-cell topology reference, for every kind."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest
from topology_reference import cell_beyond

from alife.core.errors import AlifeError
from alife.core.kernels import neighbour_sum
from alife.core.topology import Topology, pad

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


def test_neighbour_sum_on_a_torus():
    rng = np.random.default_rng(0)
    grid = rng.integers(0, 2, (9, 12))
    want = sum(np.roll(grid, (dy, dx), axis=(0, 1)) for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    np.testing.assert_array_equal(np.asarray(neighbour_sum(jnp.asarray(grid), 1, Topology())), want)


def test_topology_names():
    assert Topology.parse("klein-y") == Topology("klein", "y")
    assert Topology.parse("Torus").kind == "torus"
    with pytest.raises(AlifeError, match="unknown topology"):
        Topology.parse("mobius")


def test_torus_delta_numpy_and_jax():
    from alife.core.topology import torus_delta

    rng = np.random.default_rng(3)
    a = (rng.random((50, 2)) * [30, 70]).astype(np.float32)
    b = (rng.random((2,)) * [30, 70]).astype(np.float32)
    size = np.asarray([30, 70], np.float32)
    want = (a - b) - size * np.round((a - b) / size)  # the formula the agents used, bit for bit
    got = torus_delta(a, b, (30, 70))
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.asarray(torus_delta(jnp.asarray(a), jnp.asarray(b),
                                                         (30, 70))), want)
    assert np.all(np.abs(got) <= size / 2)
    short = np.asarray([[0.1234567, -14.9]], np.float32)
    np.testing.assert_array_equal(torus_delta(short, np.zeros(2, np.float32), (30, 70)), short)
    np.testing.assert_array_equal(torus_delta(np.float64(69.5), 0.0, 70), -0.5)
