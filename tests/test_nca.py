"""Growing NCA model and rule against a plain NumPy reference of the paper's update."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from alife.rules.nca import NCARule, params_from_weights
from alife.rules.nca.model import NCAWeights, alive_mask, init_weights, nca_step, perceive, to_rgb

SOBEL_X = np.outer([1.0, 2.0, 1.0], [-1.0, 0.0, 1.0]) / 8.0  # rows: y, columns: x


def ref_conv(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Depthwise 3x3 cross-correlation of [H, W, C] with zero padding (loops, obviously right)."""
    h, w, _ = x.shape
    p = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    out = np.zeros_like(x)
    for i in range(h):
        for j in range(w):
            out[i, j] = np.tensordot(kernel, p[i:i + 3, j:j + 3], axes=([0, 1], [0, 1]))
    return out


def ref_alive(x: np.ndarray) -> np.ndarray:
    a = np.pad(x[..., 3], 1, constant_values=-np.inf)
    h, w = x.shape[:2]
    m = np.max([a[di:di + h, dj:dj + w] for di in range(3) for dj in range(3)], axis=0)
    return m > 0.1


def ref_step(x: np.ndarray, wts: NCAWeights, fire: np.ndarray) -> np.ndarray:
    feats = np.concatenate([x, ref_conv(x, SOBEL_X), ref_conv(x, SOBEL_X.T)], axis=-1)
    hidden = np.maximum(feats @ np.asarray(wts.w1) + np.asarray(wts.b1), 0.0)
    dx = hidden @ np.asarray(wts.w2) + np.asarray(wts.b2)
    pre = ref_alive(x)
    y = x + fire[..., None] * dx
    return y * (pre & ref_alive(y))[..., None]


def random_weights(key, channels=8, hidden=16, scale=0.3):
    k = jax.random.split(key, 4)
    return NCAWeights(
        w1=scale * jax.random.normal(k[0], (3 * channels, hidden)),
        b1=scale * jax.random.normal(k[1], (hidden,)),
        w2=scale * jax.random.normal(k[2], (hidden, channels)),
        b2=scale * jax.random.normal(k[3], (channels,)))


def test_perception_matches_depthwise_sobel():
    x = np.random.default_rng(0).normal(size=(7, 9, 5)).astype(np.float32)
    got = np.asarray(perceive(jnp.asarray(x)))
    want = np.concatenate([x, ref_conv(x, SOBEL_X), ref_conv(x, SOBEL_X.T)], axis=-1)
    np.testing.assert_allclose(got, want, atol=1e-5)
    # a horizontal ramp has x-gradient 1 (per cell) and y-gradient 0 away from the edges
    ramp = jnp.broadcast_to(jnp.arange(6.0)[None, :, None], (6, 6, 1))
    f = np.asarray(perceive(ramp))
    np.testing.assert_allclose(f[1:-1, 1:-1, 1], 1.0, atol=1e-6)
    np.testing.assert_allclose(f[1:-1, 1:-1, 2], 0.0, atol=1e-6)


def test_step_matches_numpy_reference():
    rng = np.random.default_rng(1)
    x = rng.uniform(-0.2, 1.0, size=(10, 11, 8)).astype(np.float32)
    x[:, :3] = 0.0  # a dead region so the alive mask matters
    wts = random_weights(jax.random.PRNGKey(0))
    key = jax.random.PRNGKey(5)
    got = np.asarray(nca_step(key, wts, jnp.asarray(x), 0.5))
    fire = np.asarray(jax.random.uniform(key, (10, 11, 1)) < 0.5)[..., 0].astype(np.float32)
    assert 0.3 < fire.mean() < 0.7
    want = ref_step(x, wts, fire)
    np.testing.assert_allclose(got, want, atol=1e-4)
    assert np.all(got[:, :2] == 0.0)


def test_batched_step_equals_per_sample():
    wts = random_weights(jax.random.PRNGKey(2))
    xs = jax.random.uniform(jax.random.PRNGKey(3), (3, 9, 9, 8))
    step = jax.jit(nca_step)
    both = step(jax.random.PRNGKey(4), wts, xs, 1.0)
    for i in range(3):
        np.testing.assert_allclose(both[i], step(jax.random.PRNGKey(9), wts, xs[i], 1.0),
                                   atol=1e-5)


def test_paper_sizes_and_zero_last_layer():
    w = init_weights(jax.random.PRNGKey(0))
    assert sum(a.size for a in jax.tree_util.tree_leaves(w)) == 48 * 128 + 128 + 128 * 16 + 16
    assert not np.any(np.asarray(w.w2)) and not np.any(np.asarray(w.b2))
    rule = NCARule(width=20, height=16)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    x0 = np.asarray(state.x)
    assert x0.shape == (16, 20, 16) and np.count_nonzero(x0.sum(-1)) == 1
    np.testing.assert_array_equal(x0[8, 10], [0, 0, 0] + [1] * 13)
    after = rule.step(jax.random.PRNGKey(1), state, params)  # zero update: the seed persists
    np.testing.assert_array_equal(np.asarray(after.x), x0)
    assert int(after.generation) == 1


def test_fire_rate_zero_only_applies_the_alive_mask():
    wts = random_weights(jax.random.PRNGKey(6))
    x = jnp.zeros((8, 8, 8)).at[2:5, 2:5, 3].set(0.05).at[4, 4, 3].set(0.5)
    y = np.asarray(nca_step(jax.random.PRNGKey(0), wts, x, 0.0))
    alive = np.asarray(alive_mask(x))[..., 0]
    np.testing.assert_array_equal(y, np.asarray(x) * alive[..., None])
    assert alive[3, 3] and not alive[2, 2]


def test_paint_damage_seed_view_and_metrics():
    rule = NCARule(width=12, height=12, channels=8, hidden=16)
    params = params_from_weights(random_weights(jax.random.PRNGKey(0)))
    state = rule.init(jax.random.PRNGKey(0), params)
    for k in range(4):
        state = rule.step(jax.random.PRNGKey(k), state, params)
    mask = jnp.zeros((12, 12), bool).at[5:8, 5:8].set(True)
    hurt = rule.paint(state, params, mask, jnp.asarray(-1.0))
    assert np.all(np.asarray(hurt.x)[5:8, 5:8] == 0)
    np.testing.assert_array_equal(np.asarray(hurt.x)[~np.asarray(mask)],
                                  np.asarray(state.x)[~np.asarray(mask)])
    seeded = rule.paint(rule.blank(params), params, jnp.zeros((12, 12), bool).at[2, 3].set(True),
                        jnp.asarray(1.0))
    np.testing.assert_array_equal(np.asarray(seeded.x)[2, 3], [0, 0, 0] + [1] * 5)
    assert np.count_nonzero(np.asarray(seeded.x)) == 5
    view = np.asarray(rule.view(seeded, params))
    assert view.shape == (12, 12, 3) and np.all(view[2, 3] == 0) and np.all(view[0, 0] == 1)
    m = rule.metrics(seeded, params)
    assert float(m["alive"]) == 9 and abs(float(m["mean_alpha"]) - 1 / 144) < 1e-7


def test_display_composites_premultiplied_rgba_over_white():
    x = jnp.zeros((1, 2, 4)).at[0, 0].set(jnp.array([0.2, 0.1, 0.0, 0.5]))
    np.testing.assert_allclose(np.asarray(to_rgb(x)), [[[0.7, 0.6, 0.5], [1, 1, 1]]], atol=1e-6)
