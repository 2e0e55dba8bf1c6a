"""The Lenia rules' app-facing capabilities (`alife.rules.lenia.capabilities`), without a window.

- Kernel plots: the radial profile equals Chan's kernel written out here in NumPy (ring
  i = floor(B r / R) of height b_i times the core of Chan's `kn` on B r / R mod 1), for one ring
  and for several rings and cores; the 2-D image is the engine's own normalised kernel
  (`kernels.kernel`, JAX) cut round its centre; the growth curve is Chan's `gn` formula.
- Param ranges: every value of all 61 shipped species lies inside its slider's range.
- Reshaping: quarter turns are exact (four give the cells back), turning and zooming happen
  about the creature's centre of mass (a creature away from the grid's centre stays where it
  is), and mass scales with the zoom squared.
"""

from __future__ import annotations

from dataclasses import replace

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.rule import CellChannels, KernelPlots, Reshaping
from alife.rules.lenia import kernels as lk
from alife.rules.lenia import library, make_rule


def chan_core(q: np.ndarray, kn: int) -> np.ndarray:
    """Chan's kernel cores (`LeniaND.py`'s `kernel_core`, 1-based `kn`) on q in [0, 1]."""
    with np.errstate(divide="ignore", over="ignore"):
        if kn == 1:
            return (4 * q * (1 - q)) ** 4
        if kn == 2:
            out = np.exp(4 - 1 / (q * (1 - q)))
            return np.where((q > 0) & (q < 1), out, 0.0)
    if kn == 3:
        return ((q >= 0.25) & (q <= 0.75)).astype(float)
    return (((q >= 0.25) & (q <= 0.75)) + (q < 0.25) * 0.5).astype(float)


def chan_kernel(d: np.ndarray, radius: float, b: list[float], kn: int) -> np.ndarray:
    """Chan's shell kernel at distance d (cells): b[floor(B r)] * core(B r mod 1), r = d / R < 1."""
    r = d / radius
    br = len(b) * r
    ring = np.minimum(np.floor(br).astype(int), len(b) - 1)
    return np.where(r < 1, np.asarray(b)[ring] * chan_core(br % 1, kn), 0.0)


KN = {v: k for k, v in lk.CHAN_KN.items()}


@pytest.mark.parametrize("code", ["O2u", "2GG2g", "3Es", "orbium", "S2p"])
def test_profile_is_chans_kernel(code):
    rule = make_rule(width=96, height=96, start=code)
    params = rule.default_params()
    assert isinstance(rule, KernelPlots) and isinstance(rule, Reshaping)
    curves = rule.kernel_curves(params, 0)
    sp = library.species(code)
    want = chan_kernel(curves.distance, sp.radius, list(sp.kernels[0].peaks),
                       KN[sp.kernels[0].core])
    assert curves.radius == sp.radius and curves.distance[-1] == pytest.approx(sp.radius)
    np.testing.assert_allclose(curves.profile, want, atol=1e-9)
    assert curves.profile.max() == pytest.approx(max(sp.kernels[0].peaks), rel=1e-3)
    # the 2-D image is the engine's kernel (JAX, on the torus) around its centre
    k = np.asarray(lk.kernel(jnp.asarray(lk.torus_distance(96, 96)), params.radius,
                             params.peaks, rule.core))
    half = curves.image.shape[0] // 2
    assert half == int(np.ceil(sp.radius))
    idx = np.arange(-half, half + 1) % 96
    np.testing.assert_allclose(curves.image, k[idx[:, None], idx[None, :]], atol=1e-6)
    assert curves.image.sum() == pytest.approx(1.0, rel=1e-5)


def test_growth_curve_is_chans_and_follows_params():
    rule = make_rule(width=64, height=64, start="O2u")  # gn = 1: polynomial
    params = rule.default_params()
    curves = rule.kernel_curves(params, 0)
    mu, sigma = 0.15, 0.015
    want = 2 * np.maximum(0, 1 - (curves.u - mu) ** 2 / (9 * sigma**2)) ** 4 - 1
    np.testing.assert_allclose(curves.growth, want, atol=1e-6)
    assert curves.u[0] == 0 and curves.u[-1] > mu + 3 * sigma
    moved = rule.kernel_curves(replace(params, mu=jnp.float32(0.2)), 0)
    assert moved.mu == pytest.approx(0.2, rel=1e-6) and moved.u[-1] > curves.u[-1]
    np.testing.assert_allclose(
        moved.growth, 2 * np.maximum(0, 1 - (moved.u - 0.2) ** 2 / (9 * sigma**2)) ** 4 - 1,
        atol=1e-5)
    gauss = make_rule(width=64, height=64, start="orbium")  # Chan's JS: gaus
    c2 = gauss.kernel_curves(gauss.default_params(), 0)
    np.testing.assert_allclose(c2.growth, 2 * np.exp(-(c2.u - 0.15) ** 2 / (2 * 0.017**2)) - 1,
                               atol=1e-6)


def test_several_kernels_each_plotted():
    rule = make_rule(width=128, height=128, start="233-C53H3V")
    params = rule.default_params()
    sp = library.species("233-C53H3V")
    assert rule.kernel_count() == len(sp.kernels) == 15
    assert isinstance(rule, CellChannels) and rule.channels == 3
    for i in (0, 7, 14):
        k = sp.kernels[i]
        curves = rule.kernel_curves(params, i)
        assert curves.radius == pytest.approx(sp.radius * k.relative, rel=1e-6)
        np.testing.assert_allclose(curves.profile, chan_kernel(curves.distance, curves.radius,
                                                               list(k.peaks), KN[k.core]),
                                   atol=1e-6)
        assert (curves.mu, curves.sigma) == pytest.approx((k.mu, k.sigma), rel=1e-6)
        assert f"channel {k.source} -> {k.target}" in curves.label
    np.testing.assert_allclose(rule.channel_colours(), np.eye(3))


def test_every_species_fits_the_slider_ranges():
    single = {s.name: (s.low, s.high) for s in
              make_rule(width=64, height=64, start="O2u").param_specs()}
    multi = {s.name: (s.low, s.high) for s in
             make_rule(width=64, height=64, start="233-C53H3V").param_specs()}
    for code in library.species_codes():
        sp = library.species(code)
        spans = single if sp.single else multi
        for k in sp.kernels:
            values = {"mu": k.mu, "sigma": k.sigma, "radius": sp.radius, "dt": sp.dt}
            if not sp.single:
                values.update(weight=k.weight, relative=k.relative)
            for name, v in values.items():
                lo, hi = spans[name]
                assert lo <= v <= hi, (code, name, v, (lo, hi))
    assert single["sigma"][1] >= 0.186 and multi["sigma"][1] >= 0.205  # S2p, 241-FR0VYM
    assert single["sigma"][1] / single["sigma"][0] >= 20  # still a logarithmic slider


def _moments(a: np.ndarray) -> tuple[float, float, float, float]:
    """Centre (y, x) and variances along y and x of a creature away from the edges."""
    ys, xs = np.mgrid[0:a.shape[0], 0:a.shape[1]]
    m = a.sum()
    cy, cx = (a * ys).sum() / m, (a * xs).sum() / m
    return cy, cx, (a * (ys - cy) ** 2).sum() / m, (a * (xs - cx) ** 2).sum() / m


def test_rotate_and_rescale_about_the_creature():
    rule = make_rule(width=96, height=96, start="O2u")
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    # move the creature off the grid's centre
    moved = state.__class__(cells=jnp.roll(state.cells, (-20, 17), axis=(0, 1)),
                            generation=state.generation)
    a = np.asarray(moved.cells)
    cy, cx, vy, vx = _moments(a)
    turned = rule.rotated(moved, params, 90)
    b = np.asarray(turned.cells)
    ty, tx, wy, wx = _moments(b)
    assert b.sum() == pytest.approx(a.sum(), rel=1e-6)
    assert abs(ty - cy) < 1 and abs(tx - cx) < 1  # turned where it is
    assert (wy, wx) == pytest.approx((vx, vy), rel=1e-6)  # its axes swapped
    back = moved
    for _ in range(4):
        back = rule.rotated(back, params, 90)
    np.testing.assert_array_equal(np.asarray(back.cells), a)
    odd = np.asarray(rule.rotated(moved, params, 30).cells)
    assert odd.sum() == pytest.approx(a.sum(), rel=0.02)
    big, new = rule.rescaled(moved, params, 26.0)
    c = np.asarray(big.cells)
    zy, zx, uy, ux = _moments(c)
    assert float(new.radius) == 26.0 and c.sum() == pytest.approx(4 * a.sum(), rel=0.05)
    assert abs(zy - cy) < 1.5 and abs(zx - cx) < 1.5
    assert (uy, ux) == pytest.approx((4 * vy, 4 * vx), rel=0.1)


def test_rescale_is_jax_linear_resize_without_a_compile():
    """`library.rescale` (NumPy, so the app's R slider never waits for a compile) gives what
    `jax.image.resize(..., "linear")` gives, growing and shrinking (antialiased)."""
    rng = np.random.default_rng(1)
    for shape in [(20, 31), (2, 7, 9)]:
        a = rng.uniform(size=shape).astype(np.float32)
        for factor in (2.0, 1.5, 1.07, 0.5, 0.37, 3.3):
            ours = library.rescale(a, factor)
            size = ours.shape[-2:]
            assert size == tuple(max(1, round(n * factor)) for n in shape[-2:])
            ref = np.stack([np.asarray(jax.image.resize(g, size, "linear"))
                            for g in a.reshape(-1, *shape[-2:])]).reshape(ours.shape)
            np.testing.assert_allclose(ours, np.clip(ref, 0, 1), atol=2e-5)


def test_image_of_a_kernel_wider_than_the_grid_wraps_as_the_engine():
    """R 13 on a 20 x 21 torus: the kernel wraps onto itself; the image is still the engine's."""
    rule = make_rule(width=21, height=20, start="random", radius=13.0)
    params = rule.default_params()
    curves = rule.kernel_curves(params, 0)
    k = np.fft.fftshift(np.asarray(lk.kernel(jnp.asarray(lk.torus_distance(20, 21)),
                                             params.radius, params.peaks, rule.core)))
    half = curves.image.shape[0] // 2
    assert curves.image.shape == (19, 19)
    np.testing.assert_allclose(curves.image, k[10 - half:10 + half + 1, 10 - half:10 + half + 1],
                               atol=1e-6)
