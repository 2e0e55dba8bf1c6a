"""One conformance test over every registered family (Jumanji-style smoke test).

Each family is built from its registry `example` config and must: jit, compile once per config,
keep shapes and dtypes stable, stay finite, be deterministic for a key, give a displayable view,
report scalar metrics, and round-trip its cell grid through `with_cells`.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife import families as registry
from alife.core.rollout import run
from alife.core.rule import GridEditing

FAMILIES = sorted(registry.families())


def _leaves(tree):
    return [(np.shape(x), np.asarray(x).dtype) for x in jax.tree_util.tree_leaves(tree)]


def test_registry_is_not_empty():
    assert {"life", "elementary", "lenia"} <= set(FAMILIES)


@pytest.mark.parametrize("name", FAMILIES)
def test_family_conforms(name):
    family = registry.families()[name]
    rule = registry.create(name, **family.example)
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    state = rule.init(key, params)

    traces = []

    def counted(k, s, p):
        traces.append(1)
        return rule.step(k, s, p)

    step = jax.jit(counted)
    s1 = step(jax.random.PRNGKey(1), state, params)
    s2 = step(jax.random.PRNGKey(2), s1, params)
    s3 = step(jax.random.PRNGKey(3), s2, params)
    assert len(traces) == 1, "step recompiled for the same config"
    assert _leaves(s1) == _leaves(state) == _leaves(s3), "shapes or dtypes changed"
    for leaf in jax.tree_util.tree_leaves(s3):
        assert np.all(np.isfinite(np.asarray(leaf, dtype=np.float64)))

    again = run(rule, jax.random.PRNGKey(7), state, params, 3)
    twice = run(rule, jax.random.PRNGKey(7), state, params, 3)
    pairs = zip(jax.tree_util.tree_leaves(again), jax.tree_util.tree_leaves(twice), strict=True)
    for a, b in pairs:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))

    view = np.asarray(rule.view(s3, params))
    assert view.ndim == 3 and view.shape[2] in (1, 3, 4)
    if view.dtype != np.uint8:
        assert view.dtype == np.float32 and view.min() >= 0.0 and view.max() <= 1.0

    metrics = rule.metrics(s3, params)
    assert "generation" in metrics
    for value in metrics.values():
        assert np.ndim(value) == 0 and np.isfinite(float(value))

    if isinstance(rule, GridEditing):  # the grid capability, where the family declares it
        cells = rule.cells(s3)
        assert cells.shape == rule.shape
        restored = rule.with_cells(s3, cells)
        np.testing.assert_array_equal(np.asarray(rule.cells(restored)), np.asarray(cells))

        mask = jnp.zeros(rule.shape, bool).at[: rule.shape[0] // 2, : rule.shape[1] // 2].set(
            True)
        painted = rule.paint(s3, params, mask, jnp.asarray(-1.0))
        assert _leaves(painted) == _leaves(s3)
        assert np.all(np.asarray(rule.cells(painted))[np.asarray(mask)] == 0)

    rebuilt = registry.create(name, **rule.config())
    assert rebuilt.config() == rule.config()
