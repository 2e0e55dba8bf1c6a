"""ViTCA training: a tiny config lowers the held-out reconstruction error; resume is exact.

The check is independent of the training loss: mean |output - clean| of a fixed set of masked
held-out digits, run from fresh cells with a fixed key, before and after training.
"""

from __future__ import annotations

import shutil

import jax
import numpy as np
import pytest

from alife.core.errors import AlifeError
from alife.jobs.loop import run_training
from alife.rules.vitca import ViTCARule
from alife.rules.vitca.train_loop import LoopConfig, eval_set, evaluate_ca
from alife.rules.vitca.training import ViTCATrainer, training_settings

TINY = {"size": 8, "iterations": 60, "steps": 6, "batch": 4, "pool": 16, "fresh": 1,
        "lr": 3e-3, "lr_final": 1e-3, "unlock_start": 0, "unlock_end": 1, "eval_every": 0,
        "eval_images": 18}


def tiny_trainer(**changes) -> ViTCATrainer:
    rule = ViTCARule(width=8, height=8, hidden=4, embed=16, heads=2, mlp=16)
    cfg, settings = training_settings({**TINY, **changes})
    return ViTCATrainer(rule, cfg, settings)


@pytest.fixture(scope="module")
def trainer() -> ViTCATrainer:
    return tiny_trainer()  # shared: one compile of the train step for the tests below


def held_out_error(tr: ViTCATrainer) -> float:
    res = evaluate_ca(tr.update_fn, tr.weights, tr.eval_clean, tr.eval_masked, tr.cfg.steps,
                      tr.out_c, tr.hidden, tr.cfg.fire_rate)
    return float(np.mean(np.abs(res["output"] - np.asarray(tr.eval_clean))))


def test_training_lowers_the_held_out_error(trainer):
    before = held_out_error(trainer)
    for _ in range(TINY["iterations"]):
        row = trainer.iterate()
    after = held_out_error(trainer)
    assert np.isfinite(row["loss"])
    assert after < 0.7 * before, (before, after)


def test_resume_reproduces_uninterrupted_run(trainer, tmp_path):
    start = trainer.step
    run_training(trainer, tmp_path, start + 2, quiet=True, checkpoint_every_s=1e9)
    shutil.copy(tmp_path / "checkpoint.npz", tmp_path / "at2.npz")
    run_training(trainer, tmp_path, start + 4, resume=True, quiet=True, checkpoint_every_s=1e9)
    straight = jax.tree_util.tree_leaves((trainer.weights, trainer.opt_state, trainer.pool))
    trainer.load_checkpoint(tmp_path / "at2.npz")
    assert trainer.step == start + 2
    run_training(trainer, tmp_path, start + 4, resume=False, quiet=True, checkpoint_every_s=1e9)
    resumed = jax.tree_util.tree_leaves((trainer.weights, trainer.opt_state, trainer.pool))
    for a, b in zip(straight, resumed, strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)
    # the saved weights load into a rule as its params
    rule = ViTCARule(width=8, height=8, hidden=4, embed=16, heads=2, mlp=16,
                     weights=str(tmp_path / "weights.npz"))
    loaded = jax.tree_util.tree_leaves(rule.default_params().weights)
    for a, b in zip(loaded, jax.tree_util.tree_leaves(trainer.weights), strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_eval_set_is_fixed_and_masks_every_config():
    clean = np.random.default_rng(0).uniform(0.1, 1.0, size=(18, 8, 8, 1)).astype(np.float32)
    c1, m1 = eval_set(clean)
    c2, m2 = eval_set(clean)
    np.testing.assert_array_equal(np.asarray(m1), np.asarray(m2))
    masked = np.asarray(m1) == 0.0
    assert masked.any(axis=(1, 2, 3)).sum() >= 16  # nearly every image has some masked pixels
    assert not masked.all()


def test_bad_training_block_is_a_clear_error():
    with pytest.raises(AlifeError, match="unknown key `stepz`.*did you mean `steps`"):
        training_settings({"stepz": 3})
    with pytest.raises(AlifeError, match="expected an integer"):
        LoopConfig.from_dict({"steps": "many"})
