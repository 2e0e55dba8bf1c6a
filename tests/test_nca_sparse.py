"""The NCA network run only on the active cells (alife.rules.nca.sparse) against the dense step.

Truth: the dense step written out here (network at every cell, then the paper's masks) and the
NumPy reference of tests/test_nca.py. Each tier of the compact block and the dense fallback is
hit on purpose (the test counts the active cells itself), under jit, vmap and grad.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from test_nca import random_weights, ref_alive, ref_step

from alife.rules.nca.model import alive_mask, nca_step, perceive
from alife.rules.nca.sparse import mlp, put_rows, take_rows, tier_caps

C, HIDDEN, SIZE = 8, 16, 32


@jax.jit
def dense_step(key, weights, x, fire_rate):
    """The step as the paper writes it: the network everywhere, then the masks."""
    pre = alive_mask(x)
    f = perceive(x)
    dx = mlp(weights, f.reshape(-1, f.shape[-1])).reshape(x.shape)
    fire = jax.random.uniform(key, x.shape[:-1] + (1,)) < fire_rate
    x = x + jnp.where(fire, dx, 0.0)
    return jnp.where(pre & alive_mask(x), x, 0.0)


def active_count(key, x, fire_rate) -> int:
    """Fired cells within one cell of an alive cell, counted with NumPy."""
    x = np.asarray(x)
    pre = np.pad(ref_alive(x), 1)
    h, w = x.shape[:2]
    near = np.max([pre[i:i + h, j:j + w] for i in range(3) for j in range(3)], axis=0)
    fire = np.asarray(jax.random.uniform(key, x.shape[:-1] + (1,)))[..., 0] < fire_rate
    return int(np.sum(fire & near))


def blob(key, half: int) -> jax.Array:
    """Random states alive on a centred square of side 2 * half, dead (zero) elsewhere."""
    x = jax.random.uniform(key, (SIZE, SIZE, C), minval=-0.1, maxval=1.0)
    r = jnp.abs(jnp.arange(SIZE) - SIZE / 2 + 0.5) < half
    return x * (r[:, None] & r[None, :])[..., None]


def test_tier_caps():
    for n in (1024, 1600, 5184, 65536):
        caps = tier_caps(n)
        assert list(caps) == sorted(set(caps)) and all(c % 8 == 0 and c < 0.8 * n for c in caps)
    caps = tier_caps(65536)
    assert caps[0] == 4096 and 32768 + 3 * 256 <= max(c for c in caps if c < 40000)
    assert tier_caps(9) == tier_caps(576) == ()  # too small to compact: the dense path


def test_every_tier_equals_the_dense_step_bit_for_bit():
    weights = random_weights(jax.random.PRNGKey(0), C, HIDDEN)
    n = SIZE * SIZE
    bounds = (0,) + tier_caps(n) + (n,)
    step = jax.jit(nca_step)
    dense = dense_step
    hit = set()
    for i, (half, rate) in enumerate([(2, 0.5), (4, 0.5), (7, 0.5), (8, 0.7), (11, 0.6),
                                      (16, 0.5), (16, 0.8), (0, 0.5)]):
        x = blob(jax.random.PRNGKey(i), half)
        key = jax.random.PRNGKey(100 + i)
        got, want = step(key, weights, x, rate), dense(key, weights, x, rate)
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
        count = active_count(key, x, rate)
        hit.add(next(t for t in range(len(bounds) - 1) if count <= bounds[t + 1]))
        fire = np.asarray(jax.random.uniform(key, (SIZE, SIZE, 1)) < rate)[..., 0]
        np.testing.assert_allclose(np.asarray(got), ref_step(np.asarray(x), weights, fire),
                                   atol=1e-4)
    assert hit == set(range(len(bounds) - 1)), f"tiers hit: {sorted(hit)} of {len(bounds) - 1}"


def test_a_fired_dead_cell_next_to_a_live_one_still_counts():
    """A cell that is not alive but fires can keep its live neighbour alive (the alive mask
    after the update reads its alpha), though it is zeroed itself: the network must run there.
    Net: d alpha = 0.5 - 3 alpha. A (alpha 0.2) fires and drops to 0.1; D, two cells right of
    A (not alive), fires and rises to 0.5; B between them (alpha 0.05, channel 5 = 0.7) does not
    fire: B is kept only thanks to D."""
    w1 = jnp.zeros((3 * C, HIDDEN)).at[3, 0].set(1.0)
    w2 = jnp.zeros((HIDDEN, C)).at[0, 3].set(-3.0)
    weights = random_weights(jax.random.PRNGKey(1), C, HIDDEN)
    weights = weights.__class__(w1, jnp.zeros(HIDDEN), w2, jnp.zeros(C).at[3].set(0.5))
    x = jnp.zeros((SIZE, SIZE, C)).at[10, 10, 3].set(0.2).at[10, 11, 3].set(0.05)
    x = x.at[10, 11, 5].set(0.7)
    seen = False
    for i in range(40):
        key = jax.random.PRNGKey(i)
        got = np.asarray(jax.jit(nca_step)(key, weights, x, 0.5))
        np.testing.assert_array_equal(got, np.asarray(dense_step(key, weights, x, 0.5)))
        fire = np.asarray(jax.random.uniform(key, (SIZE, SIZE, 1)) < 0.5)[..., 0]
        if fire[10, 10] and fire[10, 12] and not fire[10, 11]:
            seen = True
            assert got[10, 11, 5] == np.float32(0.7) and got[10, 12, 3] == 0.0
    assert seen


def test_vmap_with_shared_and_with_batched_weights():
    keys = jax.random.split(jax.random.PRNGKey(3), 3)
    xs = jnp.stack([blob(jax.random.PRNGKey(10 + i), h) for i, h in enumerate((3, 8, 16))])
    shared = random_weights(jax.random.PRNGKey(4), C, HIDDEN)
    got = jax.jit(jax.vmap(nca_step, in_axes=(0, None, 0, None)))(keys, shared, xs, 0.5)
    for i in range(3):
        np.testing.assert_array_equal(np.asarray(got[i]),
                                      np.asarray(dense_step(keys[i], shared, xs[i], 0.5)))
    population = jax.vmap(lambda k: random_weights(k, C, HIDDEN))(keys)
    got = jax.jit(jax.vmap(nca_step, in_axes=(None, 0, None, None)))(keys[0], population,
                                                                   xs[1], 0.5)
    for i in range(3):
        one = jax.tree_util.tree_map(lambda a, i=i: a[i], population)
        np.testing.assert_allclose(np.asarray(got[i]),
                                   np.asarray(dense_step(keys[0], one, xs[1], 0.5)), atol=1e-6)


def test_gradients_equal_the_dense_step():
    weights = random_weights(jax.random.PRNGKey(5), C, HIDDEN, scale=0.2)
    x0 = jnp.stack([blob(jax.random.PRNGKey(20), 5), blob(jax.random.PRNGKey(21), 14)])
    target = jax.random.uniform(jax.random.PRNGKey(6), x0.shape)

    def loss(w, step):
        x = x0
        for i in range(2):
            x = step(jax.random.PRNGKey(30 + i), w, x)
        return jnp.mean(jnp.square(x - target))

    sparse = jax.jit(jax.grad(lambda w: loss(w, lambda k, v, s: nca_step(
        k, v, s, 0.5, differentiable=True))))(weights)
    dense = jax.jit(jax.grad(lambda w: loss(w, lambda k, v, s: dense_step(k, v, s, 0.5))))(
        weights)
    for a, b in zip(jax.tree_util.tree_leaves(sparse), jax.tree_util.tree_leaves(dense),
                    strict=True):
        assert np.any(np.asarray(b) != 0.0)
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-7)


def test_row_gathers_and_their_gradients():
    m = jnp.array([True, False, True, True, False, False, True])
    pos = jnp.cumsum(m.astype(jnp.int32)) - 1
    idx = jnp.array([0, 2, 3, 6, 7, 7], jnp.int32)  # cap 6: two unused slots point past the end
    f = jnp.arange(14.0).reshape(7, 2)
    np.testing.assert_array_equal(np.asarray(take_rows(f, idx, pos, m)),
                                  [[0, 1], [4, 5], [6, 7], [12, 13], [0, 0], [0, 0]])
    y = jnp.arange(12.0).reshape(6, 2) + 1
    np.testing.assert_array_equal(np.asarray(put_rows(y, idx, pos, m)),
                                  [[1, 2], [0, 0], [3, 4], [5, 6], [0, 0], [0, 0], [7, 8]])
    g = jax.random.normal(jax.random.PRNGKey(0), (6, 2))
    df = jax.grad(lambda v: jnp.sum(take_rows(v, idx, pos, m) * g))(f)
    want = jax.grad(lambda v: jnp.sum(jnp.take(v, idx, axis=0, mode="fill", fill_value=0) * g))(f)
    np.testing.assert_array_equal(np.asarray(df), np.asarray(want))
    h = jax.random.normal(jax.random.PRNGKey(1), (7, 2))
    dy = jax.grad(lambda v: jnp.sum(put_rows(v, idx, pos, m) * h))(y)
    want = jax.grad(lambda v: jnp.sum(jnp.where(m[:, None], v[jnp.clip(pos, 0, 5)], 0) * h))(y)
    np.testing.assert_array_equal(np.asarray(dy), np.asarray(want))


def test_perception_gradient_is_minus_the_same_sobel_filters():
    """perceive's hand-written VJP against autodiff of the plain formula and against the
    explicit transpose of the depthwise correlation (NumPy loops in test_nca.ref_conv)."""
    from test_nca import SOBEL_X, ref_conv

    from alife.rules.nca.model import _sobels

    x = jax.random.normal(jax.random.PRNGKey(0), (2, 7, 9, 5))
    g = jax.random.normal(jax.random.PRNGKey(1), (2, 7, 9, 15))

    def plain(v):
        sx, sy = _sobels(v)
        return jnp.concatenate([v, sx, sy], axis=-1)

    got = jax.grad(lambda v: jnp.sum(perceive(v) * g))(x)
    want = jax.grad(lambda v: jnp.sum(plain(v) * g))(x)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), atol=1e-5)
    gn = np.asarray(g[0])  # the adjoint of correlation with K is correlation with K turned 180
    adj = gn[..., :5] + ref_conv(gn[..., 5:10], SOBEL_X[::-1, ::-1]) + ref_conv(
        gn[..., 10:], SOBEL_X.T[::-1, ::-1])
    np.testing.assert_allclose(np.asarray(got[0]), adj, atol=1e-5)
