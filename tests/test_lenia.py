"""Lenia: growth and kernel values, one step against a direct NumPy convolution, creatures that
live and move, params (R included) that change without recompiling, and agreement with CAX."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.errors import AlifeError
from alife.core.rollout import run
from alife.core.types import replace_params
from alife.rules.lenia import LeniaRule, load_creature
from alife.rules.lenia import kernels as lk


# ---- an independent NumPy reference ---------------------------------------------------------
def np_kernel_offsets(radius: float, peaks: list[float]) -> list[tuple[int, int, float]]:
    """(dy, dx, weight) over the kernel's support, straight from Chan's formula, normalised."""
    b = len(peaks)
    out = []
    reach = int(np.ceil(radius))
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            d = np.hypot(dy, dx) / radius
            if d >= 1:
                continue
            ring = min(int(np.floor(d * b)), b - 1)
            r = d * b - ring
            value = 0.0 if r <= 0 or r >= 1 else np.exp(4 - 1 / (r * (1 - r)))
            out.append((dy, dx, peaks[ring] * value))
    total = sum(w for _, _, w in out)
    return [(dy, dx, w / total) for dy, dx, w in out]


def np_step(cells: np.ndarray, radius: float, peaks: list[float], mu: float, sigma: float,
            dt: float) -> np.ndarray:
    """One Lenia step by direct convolution with np.roll over the kernel support (float64)."""
    a = cells.astype(np.float64)
    u = np.zeros_like(a)
    for dy, dx, w in np_kernel_offsets(radius, peaks):
        # u[y, x] += w * a[y + dy, x + dx]  (the kernel is symmetric, so either sign works)
        u += w * np.roll(a, (-dy, -dx), axis=(0, 1))
    g = 2 * np.exp(-((u - mu) ** 2) / (2 * sigma**2)) - 1
    return np.clip(a + dt * g, 0, 1)


# ---- kernel and growth ----------------------------------------------------------------------
def test_growth_at_known_points():
    mu, sigma = 0.15, 0.015
    u = jnp.array([mu, mu + sigma, mu - 2 * sigma, 0.0, 1.0])
    expected = [1.0, 2 * np.exp(-0.5) - 1, 2 * np.exp(-2.0) - 1, -1.0, -1.0]
    np.testing.assert_allclose(np.asarray(lk.growth(u, mu, sigma)), expected, atol=1e-6)


def test_polynomial_growth_at_known_points():
    mu, sigma = 0.3, 0.05
    u = jnp.array([mu, mu + 1.5 * sigma, mu - 3 * sigma, mu + 4 * sigma])
    expected = [1.0, 2 * 0.75**4 - 1, -1.0, -1.0]
    np.testing.assert_allclose(np.asarray(lk.growth(u, mu, sigma, "polynomial")), expected,
                               atol=1e-6)


def test_kernel_core_and_rings():
    r = jnp.array([0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(np.asarray(lk.kernel_core(r)),
                               [0.0, np.exp(4 - 1 / 0.1875), 1.0, np.exp(4 - 1 / 0.1875), 0.0],
                               rtol=1e-6)
    np.testing.assert_allclose(np.asarray(lk.kernel_core(r, "polynomial")),
                               [0, 0.75**4, 1, 0.75**4, 0], rtol=1e-6, atol=1e-7)
    # three rings: each ring's centre (d = (i + 1/2) / 3) carries that ring's peak height
    peaks = jnp.array([0.5, 1.0, 2 / 3])
    d = jnp.array([1 / 6, 0.5, 5 / 6, 1.0, 1.5])
    np.testing.assert_allclose(np.asarray(lk.kernel_shell(d, peaks)), [0.5, 1.0, 2 / 3, 0, 0],
                               rtol=1e-5)


def test_kernel_is_normalised_and_limited_to_radius():
    dist = lk.torus_distance(40, 48)
    k = np.asarray(jax.jit(lk.kernel)(jnp.asarray(dist), 7.0, jnp.array([1.0])))
    assert abs(k.sum() - 1) < 1e-5
    assert np.all(k[dist >= 7.0] == 0) and np.all(k[(dist > 0.5) & (dist < 6.5)] > 0)
    # the single-ring kernel peaks at half the radius
    assert np.isclose(dist.flat[np.argmax(k)], 3.5, atol=0.6)


@pytest.mark.parametrize("radius,peaks", [(5.0, [1.0]), (6.0, [0.5, 1.0, 2 / 3]), (4.5, [1.0])])
def test_one_step_matches_numpy_direct_convolution(radius, peaks):
    rule = LeniaRule(width=40, height=40, radius=radius, peaks=peaks, mu=0.2, sigma=0.03,
                     dt=0.1, start="blank")
    cells = np.random.default_rng(3).uniform(size=(40, 40)).astype(np.float32)
    cells[np.random.default_rng(4).uniform(size=(40, 40)) < 0.5] = 0
    params = rule.default_params()
    state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), cells)
    ours = np.asarray(jax.jit(rule.step)(jax.random.PRNGKey(0), state, params).cells)
    ref = np_step(cells, radius, peaks, 0.2, 0.03, 0.1)
    np.testing.assert_allclose(ours, ref, atol=1e-5)


# ---- creatures --------------------------------------------------------------------------------
def _track(rule, steps, every):
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    _, recorded = run(rule, jax.random.PRNGKey(0), state, params, steps, record_every=every)
    m = jax.jit(jax.vmap(lambda s: rule.metrics(s, params)))(recorded)
    return np.stack([np.asarray(m[k]) for k in ("mass", "centre_x", "centre_y")], axis=1)


def _torus_step(a, b, n):
    return (b - a + n / 2) % n - n / 2


def test_orbium_keeps_mass_and_moves():
    rule = LeniaRule(width=64, height=64, start="orbium")
    # Chan's JavaScript catalogue, O2(a): R=13;k=bump4;d=gaus(0.15,0.017)*0.1
    assert (rule.radius, rule.mu, rule.sigma, rule.dt) == (13, 0.15, 0.017, pytest.approx(0.1))
    assert (rule.core, rule.growth, rule.peaks) == ("exponential", "gaussian", (1.0,))
    track = _track(rule, 300, 10)
    mass = track[4:, 0]  # after the first 50 steps, once the shipped cells have settled
    assert mass.min() > 0.97 * mass.max(), mass
    # torus-aware travel, summed over 10-step hops (each far shorter than half the grid)
    dx = _torus_step(track[:-1, 1], track[1:, 1], 64)
    dy = _torus_step(track[:-1, 2], track[1:, 2], 64)
    assert np.all(np.hypot(dx, dy) < 16)
    travelled = np.hypot(dx.sum(), dy.sum())
    assert travelled > 60, travelled  # a glider: steady drift, ~0.6 cells per step


@pytest.mark.parametrize("name,size", [("scutium", 64), ("hydrogeminium", 112)])
def test_other_published_creatures_live(name, size):
    rule = LeniaRule(width=size, height=size, start=name)
    creature = load_creature(name)
    assert rule.mu == pytest.approx(creature["mu"]) and rule.radius == creature["radius"]
    if name == "hydrogeminium":
        assert len(rule.peaks) == 3
    track = _track(rule, 200, 20)
    mass = track[2:, 0]
    assert mass.min() > 0.95 * mass.max(), mass
    assert mass.min() > 0.5 * float(creature["cells"].sum())


def test_creature_rescaled_to_another_radius():
    small = LeniaRule(width=64, height=64, start="orbium").creature_cells("orbium")
    big = LeniaRule(width=96, height=96, radius=26, start="orbium").creature_cells("orbium")
    assert big.shape == (2 * small.shape[0], 2 * small.shape[1])
    assert big.sum() == pytest.approx(4 * small.sum(), rel=0.1)


# ---- params, paint, metrics -------------------------------------------------------------------
def test_params_change_without_recompiling():
    rule = LeniaRule(width=48, height=48, start="orbium")
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    traces = []

    @jax.jit
    def step(state, params):
        traces.append(1)
        return rule.step(jax.random.PRNGKey(0), state, params)

    base = np.asarray(step(state, params).cells)
    changes = {"mu": 0.2, "sigma": 0.02, "dt": 0.2, "radius": 10.0, "peaks": [0.7]}
    for name, value in changes.items():
        out = np.asarray(step(state, replace_params(params, **{name: value})).cells)
        # peaks [0.7] alone only rescales the kernel before normalising: same result
        assert (name == "peaks") == np.allclose(out, base, atol=1e-4), name
    assert len(traces) == 1


def test_radius_param_equals_radius_config():
    a = LeniaRule(width=48, height=48, radius=9, start="orbium")
    b = LeniaRule(width=48, height=48, radius=13, start="orbium")
    pa = a.default_params()
    state = a.init(jax.random.PRNGKey(0), pa)
    pb = replace_params(b.default_params(), radius=9.0)
    key = jax.random.PRNGKey(0)
    np.testing.assert_allclose(np.asarray(jax.jit(a.step)(key, state, pa).cells),
                               np.asarray(jax.jit(b.step)(key, state, pb).cells), atol=1e-6)


def test_paint_sets_clips_and_erases():
    rule = LeniaRule(width=32, height=32, start="random")
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(1), params)
    mask = jnp.zeros((32, 32), bool).at[10:20, 5:9].set(True)
    paint = jax.jit(rule.paint)
    for value, level in [(0.4, 0.4), (3.0, 1.0), (-1.0, 0.0)]:
        painted = np.asarray(paint(state, params, mask, jnp.asarray(value)).cells)
        assert np.all(painted[np.asarray(mask)] == np.float32(level))
        np.testing.assert_array_equal(painted[~np.asarray(mask)],
                                      np.asarray(state.cells)[~np.asarray(mask)])


def test_metrics_centre_is_torus_aware():
    rule = LeniaRule(width=40, height=30, start="blank")
    params = rule.default_params()
    cells = np.zeros((30, 40), np.float32)
    cells[[0, 0, 29, 29], [0, 39, 0, 39]] = 1.0  # one blob split over all four corners
    state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), cells)
    m = jax.jit(rule.metrics)(state, params)
    for value, n in [(float(m["centre_x"]), 40), (float(m["centre_y"]), 30)]:
        assert min(abs(value - (n - 0.5)), abs(value + 0.5)) < 1e-3
    assert float(m["mass"]) == 4.0 and int(m["generation"]) == 0


def test_chan_parameter_string():
    rule = LeniaRule(width=64, height=64, start="hydrogeminium")
    params = rule.default_params()
    assert rule.rule_text(params) == "R=18,T=10,b=1/2,1,2/3,m=0.26,s=0.036"
    same, changed = rule.apply_rule_text("m=0.3, T=5, b=1,1,1", params)
    assert same is rule  # three rings as before: params only, no new compile
    assert float(changed.mu) == pytest.approx(0.3) and float(changed.dt) == pytest.approx(0.2)
    np.testing.assert_allclose(np.asarray(changed.peaks), [1, 1, 1])
    assert float(changed.radius) == 18
    other, fresh = rule.apply_rule_text("R=13,T=10,b=1,m=0.15,s=0.015", params)
    assert other is not rule and other.peaks == (1.0,) and other.radius == 13
    assert other.rule_text(fresh) == "R=13,T=10,b=1,m=0.15,s=0.015"
    for bad in ["x=1", "R=", "b=1/0", "", "R=-1", "m=1,m=2", "hello"]:
        with pytest.raises(AlifeError):
            rule.apply_rule_text(bad, params)


def test_bad_config_is_an_alife_error():
    with pytest.raises(AlifeError):
        LeniaRule(start="dragon")
    with pytest.raises(AlifeError):
        LeniaRule(core="square")
    with pytest.raises(AlifeError):
        LeniaRule(growth="square")
    with pytest.raises(AlifeError):
        LeniaRule(start="213-fish")  # three kernels: not a one-kernel rule
    with pytest.raises(AlifeError):
        LeniaRule(width=16, height=16, start="hydrogeminium")  # does not fit


# ---- an anchor: CAX's Lenia -------------------------------------------------------------------
def test_agrees_with_cax_lenia():
    lenia = pytest.importorskip("cax.cs.lenia")
    from cax.cs.lenia.kernel import exponential_kernel_core, get_kernel_fn

    rule = LeniaRule(width=64, height=64, start="orbium")
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    rule_params = lenia.LeniaRuleParams(
        channel_source=jnp.array([0]), channel_target=jnp.array([0]), weight=jnp.array([1.0]),
        kernel_params=lenia.KernelParams(r=jnp.array([1.0]), b=jnp.array([[1.0]])),
        growth_params=lenia.GrowthParams(mean=jnp.array([0.15]), std=jnp.array([0.017])))
    system = lenia.Lenia((64, 64), 1, R=13, T=10, state_scale=1.0,
                         kernel_fn=get_kernel_fn(exponential_kernel_core),
                         rule_params=rule_params)
    theirs = np.asarray(system(state.cells[..., None], num_steps=40))[..., 0]
    ours = np.asarray(run(rule, jax.random.PRNGKey(0), state, params, 40).cells)
    np.testing.assert_allclose(ours, theirs, atol=1e-3)


def test_scene_with_another_radius_scales_its_creature(tmp_path):
    """A creature rescaled from its own R loads through the scene loader (which traces `init`
    to size the world before building it)."""
    import yaml

    from alife.scene.io import load_scene

    scene = tmp_path / "big_orbium.yaml"
    scene.write_text(yaml.safe_dump({
        "version": 1, "name": "big orbium", "seed": 0,
        "rule": {"family": "lenia", "config": {"width": 96, "height": 96, "radius": 26}},
        "init": {"default": {}}}))
    world = load_scene(scene)
    cells = np.asarray(world.rule.cells(world.state))
    rows, cols = np.nonzero(cells > 0.05)
    small = world.rule.creature_cells("orbium", 13.0)
    assert np.ptp(rows) > 1.6 * small.shape[0] - 4  # twice Orbium's own R: about twice its size
