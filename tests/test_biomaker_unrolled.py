"""The Biomaker step's written-out reductions give the same bits as the XLA reductions they
replace (alife/rules/biomaker/unrolled.py): sums, argmax (ties, NaN), any/all, pick."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.rules.biomaker import unrolled


def _wild(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Floats over many magnitudes and both signs, so any change of summation order shows."""
    return (rng.standard_normal(shape) * np.exp(rng.standard_normal(shape) * 3)).astype(np.float32)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 8])
def test_total_has_the_bits_of_the_reduction(n):
    x = _wild(np.random.default_rng(n), (n, 72, 128, 2))
    stacked = np.moveaxis(x, 0, 2)                        # [H, W, n, 2], as the step lays it out
    want = np.asarray(jax.jit(lambda a: jnp.sum(a, axis=2))(stacked))
    got = np.asarray(jax.jit(unrolled.total)(jnp.asarray(x)))
    assert np.array_equal(got.view(np.int32), want.view(np.int32))


def test_total_refuses_an_unknown_order():
    with pytest.raises(ValueError, match="5 planes"):
        unrolled.total([jnp.zeros(3)] * 5)


def test_argmax_first_maximum_and_nan_like_jnp():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, (8, 40, 50)).astype(np.float32)       # many ties
    x[2, :5] = np.nan
    x[5, 3:8] = np.nan
    x[:, 45:] = -np.inf
    want = np.asarray(jnp.argmax(jnp.asarray(x), axis=0))
    assert np.array_equal(np.asarray(unrolled.argmax(jnp.asarray(x))), want)
    ints = rng.integers(-2, 2, (5, 30, 30)).astype(np.int32)
    assert np.array_equal(np.asarray(unrolled.argmax(jnp.asarray(ints))),
                          np.argmax(ints, axis=0))


def test_any_all_pick():
    rng = np.random.default_rng(1)
    b = rng.random((8, 20, 30)) < 0.2
    assert np.array_equal(np.asarray(unrolled.any_of(jnp.asarray(b))), b.any(0))
    assert np.array_equal(np.asarray(unrolled.all_of(jnp.asarray(~b))), (~b).all(0))
    vals = rng.standard_normal((8, 20, 30, 3)).astype(np.float32)
    idx = rng.integers(0, 8, (20, 30))
    want = np.take_along_axis(vals, idx[None, :, :, None], axis=0)[0]
    assert np.array_equal(np.asarray(unrolled.pick(jnp.asarray(vals), jnp.asarray(idx))), want)
