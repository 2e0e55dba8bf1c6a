"""ViTCA: local attention vs a dense-masked NumPy reference, linear memory, metrics, masks, Rule.

Independent truths: a NumPy attention over the (HW) x (H+2)(W+2) padded key grid with a 3x3
neighbourhood mask; SSIM written with an explicit 2-D Gaussian window and loops; PSNR of a known
MSE; mask statistics; the paint modes documented in `alife/rules/vitca.py`.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.rules.vitca import ViTCARule, masks, model
from alife.rules.vitca.metrics import gaussian_window, psnr, ssim


def dense_local_attention(q, k, v, heads):
    """NumPy reference: full attention over the zero-padded key grid, masked to the 3x3 window."""
    h, w, d = q.shape
    dh = d // heads
    kp = np.zeros((h + 2, w + 2, d))
    vp = np.zeros((h + 2, w + 2, d))
    kp[1:-1, 1:-1], vp[1:-1, 1:-1] = k, v
    kf, vf = kp.reshape(-1, d), vp.reshape(-1, d)
    qf = q.reshape(-1, d)
    allowed = np.zeros((h * w, (h + 2) * (w + 2)), bool)
    for i in range(h):
        for j in range(w):
            for a in range(i, i + 3):
                for b in range(j, j + 3):
                    allowed[i * w + j, a * (w + 2) + b] = True
    out = np.zeros((h * w, d))
    for hd in range(heads):
        sl = slice(hd * dh, (hd + 1) * dh)
        logits = qf[:, sl] @ kf[:, sl].T / np.sqrt(dh)
        logits = np.where(allowed, logits, -np.inf)
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        out[:, sl] = p @ vf[:, sl]
    return out.reshape(h, w, d)


@pytest.mark.parametrize("heads", [1, 2])
def test_local_attention_matches_dense_masked_reference(heads):
    rng = np.random.default_rng(heads)
    q, k, v = (rng.normal(size=(5, 6, 8)) for _ in range(3))
    want = dense_local_attention(q, k, v, heads)
    args = [jnp.asarray(a, jnp.float32) for a in (q, k, v)]
    for fn in (model.local_attention, model.local_attention_stacked):
        got = np.asarray(fn(*args, heads))
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_gather_neighbours_zero_pads():
    x = np.arange(12, dtype=np.float32).reshape(3, 4, 1) + 1
    g = np.asarray(model.gather_neighbours(jnp.asarray(x)))
    assert g.shape == (3, 4, 9, 1)
    for n, (dy, dx) in enumerate(model.OFFSETS):
        for i in range(3):
            for j in range(4):
                a, b = i + dy, j + dx
                want = x[a, b, 0] if 0 <= a < 3 and 0 <= b < 4 else 0.0
                assert g[i, j, n, 0] == want


def test_step_memory_is_linear_and_256_runs():
    rule_small = ViTCARule(width=64, height=64)
    rule_big = ViTCARule(width=256, height=256)
    temps = []
    for rule in (rule_small, rule_big):
        params = rule.default_params()
        state = rule.state_from_image(jnp.zeros(rule.shape + (1,)))
        compiled = jax.jit(rule.step).lower(jax.random.PRNGKey(0), state, params).compile()
        mem = compiled.memory_analysis()
        temps.append(mem.temp_size_in_bytes + mem.output_size_in_bytes)
    # 16x the cells: linear memory means about 16x the bytes (a dense mask would be 256x)
    assert 8 < temps[1] / temps[0] < 24, temps
    assert temps[1] < 400e6, temps  # a dense (HW)^2 float32 mask alone would be 17 GB
    weights = jax.tree_util.tree_map(lambda a: a + 0.05, rule_big.default_params().weights)
    params = rule_big.default_params()
    params = type(params)(weights=weights, fire_rate=params.fire_rate)
    state = rule_big.state_from_image(jnp.ones((256, 256, 1)) * 0.3)
    out = jax.jit(rule_big.step)(jax.random.PRNGKey(1), state, params)
    assert out.cells.shape == (256, 256, 17) and bool(jnp.all(jnp.isfinite(out.cells)))


def test_psnr_of_known_mse():
    x = jnp.zeros((4, 4, 1))
    assert float(psnr(x, x + 0.1)) == pytest.approx(20.0, abs=1e-4)


def ssim_reference(x, y):
    """SSIM with an explicit 11x11 Gaussian window, valid positions only (NumPy loops)."""
    g = gaussian_window().astype(np.float64)
    win = np.outer(g, g)
    c1, c2 = 0.01**2, 0.03**2
    h, w = x.shape
    vals = []
    for i in range(h - 10):
        for j in range(w - 10):
            a, b = x[i:i + 11, j:j + 11], y[i:i + 11, j:j + 11]
            mx, my = (win * a).sum(), (win * b).sum()
            vx = (win * a * a).sum() - mx**2
            vy = (win * b * b).sum() - my**2
            cxy = (win * a * b).sum() - mx * my
            vals.append((2 * mx * my + c1) * (2 * cxy + c2) /
                        ((mx**2 + my**2 + c1) * (vx + vy + c2)))
    return float(np.mean(vals))


def test_ssim_matches_reference_and_identity():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(16, 14))
    y = np.clip(x + rng.normal(0, 0.1, size=x.shape), 0, 1)
    got = float(ssim(jnp.asarray(x[..., None]), jnp.asarray(y[..., None])))
    assert got == pytest.approx(ssim_reference(x, y), abs=1e-4)
    assert float(ssim(jnp.asarray(x[..., None]), jnp.asarray(x[..., None]))) == pytest.approx(1.0)
    assert got < 0.999
    assert float(ssim(jnp.asarray(x[..., None]), jnp.asarray(1 - x[..., None]))) < 0.0
    np.testing.assert_allclose(gaussian_window().sum(), 1.0, rtol=1e-6)


def test_mask_probabilities_and_patches():
    keys = jax.random.split(jax.random.PRNGKey(0), 64)
    for index, (side, prob) in enumerate(masks.CONFIGS):
        m = np.asarray(jax.vmap(lambda k, i=index: masks.config_mask(k, 32, 32, i))(keys))
        tol = 0.03 if side == 1 else 0.08
        assert abs(m.mean() - prob) < tol, (side, prob, m.mean())
        same = np.mean(m[:, :, 1:] == m[:, :, :-1])
        # neighbours agree w.p. 1 - 1/side (same patch) plus chance agreement otherwise
        chance = prob**2 + (1 - prob) ** 2
        want = (1 - 1 / side) + chance / side
        assert abs(same - want) < 0.05, (side, prob, same, want)


def test_curriculum_unlocks_in_order():
    counts = [int(masks.unlocked(jnp.asarray(i), 100, 900)) for i in range(0, 1200, 50)]
    assert counts[0] == 1 and counts[-1] == 9
    assert all(a <= b for a, b in zip(counts, counts[1:], strict=False))
    assert set(counts) == set(range(1, 10))


def test_paint_modes():
    rule = ViTCARule(width=8, height=6, hidden=3, embed=8, heads=1, mlp=8)
    params = rule.default_params()
    image = jnp.full((6, 8, 1), 0.8)
    state = rule.state_from_image(image)
    mask = jnp.zeros((6, 8), bool).at[1:4, 2:6].set(True)
    m = np.asarray(mask)
    paint = jax.jit(rule.paint)

    erased = paint(state, params, mask, jnp.asarray(-1.0))
    assert np.all(np.asarray(erased.image)[m] == 0.0)
    assert np.all(np.asarray(erased.image)[~m] == np.float32(0.8))
    assert np.all(np.asarray(erased.cells)[m] == 0.0)
    assert np.all(np.asarray(erased.cells)[~m][:, 0] == 0.5)

    drawn = paint(state, params, mask, jnp.asarray(0.25))
    assert np.all(np.asarray(rule.cells(drawn))[m] == 0.25)
    assert np.all(np.asarray(drawn.cells)[m][:, 0] == 0.25)

    big = ViTCARule(width=40, height=40)
    s = big.state_from_image(jnp.full((40, 40, 1), 0.8))
    noisy = jax.jit(big.paint)(s, big.default_params(), jnp.ones((40, 40), bool), jnp.asarray(2.0))
    frac = float(jnp.mean(noisy.image == 0.0))
    assert 0.4 < frac < 0.6
    assert set(np.unique(np.asarray(noisy.image))) <= {0.0, np.float32(0.8)}


def test_step_fires_half_the_cells_and_swaps_weights_without_recompiling():
    rule = ViTCARule(width=16, height=16, hidden=4, embed=16, heads=2, mlp=16)
    params = rule.default_params()
    image = jax.random.uniform(jax.random.PRNGKey(0), (16, 16, 1))
    state = rule.state_from_image(image, image * (image > 0.3))
    traces = []

    def counted(k, s, p):
        traces.append(1)
        return rule.step(k, s, p)

    step = jax.jit(counted)
    same = step(jax.random.PRNGKey(1), state, params)
    np.testing.assert_array_equal(np.asarray(same.cells), np.asarray(state.cells))  # zero head
    w = jax.tree_util.tree_map(lambda a: a + 0.1, params.weights)
    moved = step(jax.random.PRNGKey(1), state, type(params)(weights=w, fire_rate=params.fire_rate))
    assert len(traces) == 1
    changed = np.any(np.asarray(moved.cells) != np.asarray(state.cells), axis=-1)
    assert 0.35 < changed.mean() < 0.65
    np.testing.assert_array_equal(np.asarray(moved.image), np.asarray(state.image))
    assert int(moved.generation) == 1


@pytest.mark.parametrize("bad", [{"depth": 10**9}, {"heads": 0}, {"embed": 10**7},
                                 {"hidden": -1}])
def test_absurd_network_sizes_are_refused_before_building(bad):
    from alife.core.errors import AlifeError
    from alife.rules.vitca import ViTCARule

    with pytest.raises(AlifeError, match=next(iter(bad))):
        ViTCARule(**bad)
