"""The shipped ViTCA scene: it loads, and its trained weights restore masked held-out digits.

Truth: the clean held-out digits (never seen in training) and PSNR of the masked input; the CA
must beat the input by a wide margin and stay stable well past the steps it was trained for.
"""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.rollout import run_batch
from alife.data.digits import digits_split
from alife.rules.vitca.metrics import psnr
from alife.rules.vitca.train_loop import eval_set
from alife.scene.io import load_scene

SCENE = Path(__file__).resolve().parents[1] / "scenes/vitca/digits.yaml"


def test_shipped_vitca_restores_held_out_digits():
    world = load_scene(SCENE)
    rule, params = world.rule, world.params
    assert rule.family == "vitca" and rule.shape == (32, 32)
    _, test = digits_split(32)
    clean, masked = eval_set(test, 27)  # 3 images of each of the 9 mask configurations
    states = jax.vmap(rule.state_from_image)(clean, masked)
    keys = jax.random.split(jax.random.PRNGKey(0), clean.shape[0])
    before = float(jnp.mean(psnr(masked, clean)))
    for steps in (40, 200):
        out = run_batch(rule, keys, states, params, steps)
        restored = jnp.clip(out.cells[..., :1], 0.0, 1.0)
        after = float(jnp.mean(psnr(restored, clean)))
        assert after > before + 6.0, (steps, before, after)
        assert np.all(np.isfinite(np.asarray(out.cells)))
