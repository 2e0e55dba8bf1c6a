"""Growing-NCA training: learning lowers the loss, resume reproduces the run, pool/damage rules."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from alife.core.errors import AlifeError
from alife.jobs.logs import plot_loss
from alife.jobs.loop import run_training
from alife.rules.nca import NCARule
from alife.rules.nca.model import seed_state
from alife.rules.nca.train_step import (
    disc_masks,
    normalize_grads,
    per_sample_loss,
    rollout,
    start_batch,
)
from alife.rules.nca.training import NCATrainer, params_from_checkpoint, training_settings

TINY = {"experiment": "persistent", "target_size": 6, "padding": 3, "batch": 4, "pool_size": 8,
        "steps": [6, 9], "iterations": 40, "lr": 2e-3, "seed": 0}


def tiny_target() -> np.ndarray:
    t = np.zeros((6, 6, 4), np.float32)
    t[1:5, 1:5] = [0.8, 0.2, 0.1, 1.0]  # an opaque red-orange square, premultiplied
    return t


def tiny_trainer(**changes) -> NCATrainer:
    rule = NCARule(width=12, height=12, channels=8, hidden=16)
    return NCATrainer(rule, training_settings({**TINY, **changes}), tiny_target())


def eval_loss(tr: NCATrainer, steps: int = 8) -> float:
    """Loss of a batch of seeds after `steps` steps with a fixed key (independent of training)."""
    seed = seed_state(tr.cfg.height, tr.cfg.width, tr.cfg.channels)
    x0 = jnp.broadcast_to(seed, (4,) + seed.shape)
    x = rollout(tr.cfg, tr.weights, jax.random.PRNGKey(123), x0, jnp.int32(steps))
    return float(jnp.mean(per_sample_loss(x, tr.target)))


def test_training_lowers_the_loss():
    tr = tiny_trainer(experiment="growing", lr=1e-2)
    before = eval_loss(tr)
    for _ in range(30):
        tr.iterate()
    after = eval_loss(tr)
    assert after < 0.5 * before, (before, after)


def test_resume_reproduces_uninterrupted_run(tmp_path):
    straight = tiny_trainer(experiment="regenerating")
    run_training(straight, tmp_path / "a", 6, quiet=True, checkpoint_every_s=1e9)
    first = tiny_trainer(experiment="regenerating")
    run_training(first, tmp_path / "b", 3, quiet=True, checkpoint_every_s=1e9)
    resumed = tiny_trainer(experiment="regenerating")
    run_training(resumed, tmp_path / "b", 6, resume=True, quiet=True, checkpoint_every_s=1e9)
    assert resumed.step == straight.step == 6
    for a, b in zip(jax.tree_util.tree_leaves((straight.weights, straight.opt_state,
                                               straight.pool, straight.key)),
                    jax.tree_util.tree_leaves((resumed.weights, resumed.opt_state,
                                               resumed.pool, resumed.key)), strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-7)
    logged = (tmp_path / "b" / "metrics.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in logged] == ["step", "1", "2", "3", "4", "5", "6"]
    assert (tmp_path / "b" / "loss.png").read_bytes()[:4] == b"\x89PNG"
    weights = np.load(tmp_path / "b" / "weights.npz")
    np.testing.assert_array_equal(weights["w1"], np.asarray(resumed.weights.w1))
    from_ckpt = params_from_checkpoint(tmp_path / "b" / "checkpoint.npz", resumed.rule)
    np.testing.assert_array_equal(np.asarray(from_ckpt.w2), np.asarray(resumed.weights.w2))


def test_checkpoint_round_trip_and_template_check(tmp_path):
    tree = {"a": jnp.arange(3.0), "b": (jnp.ones((2, 2)), jnp.int32(4))}
    ckpt = Checkpoint(params=tree, opt_state=(), pool=jnp.zeros((2, 3)), step=17,
                      key=jax.random.PRNGKey(3), extra={"note": np.array([1, 2])})
    save_checkpoint(tmp_path / "c.npz", ckpt)
    back = load_checkpoint(tmp_path / "c.npz", ckpt)
    assert back.step == 17 and list(back.extra["note"]) == [1, 2]
    np.testing.assert_array_equal(np.asarray(back.key), np.asarray(ckpt.key))
    np.testing.assert_array_equal(np.asarray(back.params["b"][0]), np.ones((2, 2)))
    wrong = Checkpoint(params={"a": jnp.arange(4.0), "b": tree["b"]}, opt_state=(),
                       pool=ckpt.pool, step=0, key=ckpt.key)
    with pytest.raises(AlifeError, match="shape"):
        load_checkpoint(tmp_path / "c.npz", wrong)


def test_batch_start_reseeds_worst_and_damages_best():
    tr = tiny_trainer(experiment="regenerating", pool_size=6, batch=6)
    cfg = tr.cfg
    full = jnp.broadcast_to(tr.target, (12, 12, 4))
    fill = jnp.concatenate([full, jnp.ones((12, 12, 4))], axis=-1)
    # pool member i = a perfect pattern scaled by (1 - i/10): loss grows with i
    pool = jnp.stack([fill * (1.0 - i / 10) for i in range(6)])
    x0, idx = start_batch(cfg, jax.random.PRNGKey(0), pool, tr.target)
    assert sorted(np.asarray(idx).tolist()) == list(range(6))
    np.testing.assert_array_equal(np.asarray(idx), [5, 4, 3, 2, 1, 0])  # highest loss first
    np.testing.assert_array_equal(np.asarray(x0[0]), np.asarray(seed_state(12, 12, 8)))
    np.testing.assert_array_equal(np.asarray(x0[1:3]), np.asarray(pool[np.asarray(idx)[1:3]]))
    for j in range(3, 6):  # the 3 lowest-loss members have a hole, and nothing else changed
        hurt, orig = np.asarray(x0[j]), np.asarray(pool[np.asarray(idx)[j]])
        holes = np.all(hurt == 0, axis=-1) & np.any(orig != 0, axis=-1)
        assert holes.sum() >= 1
        np.testing.assert_array_equal(hurt[~holes], orig[~holes])
    grow = tiny_trainer(experiment="growing")
    x0, _ = start_batch(grow.cfg, jax.random.PRNGKey(0), grow.pool, grow.target)
    assert x0.shape == (4, 12, 12, 8)
    assert np.all(np.asarray(x0) == np.asarray(seed_state(12, 12, 8)))


def test_disc_masks_and_grad_normalisation():
    masks = np.asarray(disc_masks(jax.random.PRNGKey(0), 50, 41, 41))[..., 0]
    holes = (masks == 0).sum(axis=(1, 2))
    # radius in [0.1, 0.4] of the half-width 20 px: area between ~pi*2^2 and ~pi*8^2 cells
    assert holes.min() >= 9 and holes.max() <= 230
    ys, xs = np.nonzero(masks[0] == 0)
    assert abs(ys.mean() - 20) <= 0.5 * 20 + 1 and abs(xs.mean() - 20) <= 0.5 * 20 + 1
    grads = {"a": jnp.array([3.0, 4.0]), "b": jnp.full((2, 2), 7.0)}
    norms = [float(jnp.linalg.norm(g)) for g in jax.tree_util.tree_leaves(normalize_grads(grads))]
    np.testing.assert_allclose(norms, [1.0, 1.0], rtol=1e-6)


def test_settings_are_checked():
    with pytest.raises(AlifeError, match="unknown key `iterationz`.*did you mean `iterations`"):
        training_settings({"iterationz": 3})
    with pytest.raises(AlifeError, match="experiment"):
        training_settings({"experiment": "grow"})
    with pytest.raises(AlifeError, match="steps"):
        training_settings({"steps": [9, 4]})


def test_loss_plot_is_a_png(tmp_path):
    plot_loss(tmp_path / "l.png", [1, 2, 3, 4], [0.1, 0.05, 0.02, 0.01])
    from PIL import Image

    img = Image.open(tmp_path / "l.png")
    assert img.size == (640, 360)
    # some dark pixels inside the axes box: the curve was drawn
    assert (np.asarray(img.convert("L"))[30:320, 65:620] < 100).sum() > 50


def test_train_command_end_to_end(tmp_path, capsys):
    from PIL import Image

    from alife.cli import main

    rgba = np.zeros((6, 6, 4), np.uint8)
    rgba[1:5, 2:4] = [200, 40, 10, 255]
    Image.fromarray(rgba, "RGBA").save(tmp_path / "t.png")
    scene = tmp_path / "s.yaml"
    scene.write_text(
        "version: 1\nname: tiny\nrule:\n  family: nca\n"
        "  config: {width: 12, height: 12, channels: 8, hidden: 16}\n"
        "init: {default: {}}\n"
        "training: {experiment: regenerating, target: t.png, target_size: 6, padding: 3,\n"
        "  batch: 4, pool_size: 8, steps: [4, 6], iterations: 4, weights: w/out.npz}\n")
    out = tmp_path / "run"
    assert main(["train", str(scene), "--steps", "2", "--out", str(out), "--quiet"]) == 0
    assert not (tmp_path / "w" / "out.npz").exists()  # a short trial leaves the model alone
    assert main(["train", str(scene), "--resume", "--out", str(out), "--quiet"]) == 0
    rows = (out / "metrics.jsonl").read_text().splitlines()
    assert len(rows) == 4 and (out / "loss.png").exists()
    shipped = np.load(tmp_path / "w" / "out.npz")
    np.testing.assert_array_equal(shipped["w2"], np.load(out / "weights.npz")["w2"])
    assert np.any(shipped["w2"] != 0)
    # the written weights load back as the rule's params through the scene file
    from alife.scene.io import load_scene

    scene.write_text(scene.read_text().replace("init:", "  params: {file: w/out.npz}\ninit:"))
    world = load_scene(scene)
    np.testing.assert_array_equal(np.asarray(world.params.w2), shipped["w2"])
    plain = tmp_path / "plain.yaml"
    plain.write_text("version: 1\nrule: {family: nca, config: {width: 8, height: 8}}\n")
    capsys.readouterr()
    assert main(["train", str(plain), "--quiet"]) == 2
    assert "no training: block" in capsys.readouterr().err
