"""ViTCA trainer: a scene's `training:` block -> weights for `alife train` (masked autoencoding).

Trains the scene rule's ViTCA network (Tesfaldet et al., NeurIPS 2022) to restore masked digits
(`alife.data.digits`, upscaled to `size` px, the fixed 1500-image training split) with the pool
loop of `train_loop.py`. The `training:` block, all keys optional, declared (types, ranges,
defaults) by `training_block.ViTCATraining`; unknown keys are refused with the nearest one:

    size: 32               # training images are size x size
    iterations: 3000
    steps: 32              # CA steps per iteration (fixed)
    batch: 8
    pool: 256
    fresh: 2               # new samples injected into each batch
    lr: 1.0e-3             # cosine decay to lr_final
    lr_final: 1.0e-4
    unlock_start: 100      # mask curriculum: 9 configs unlocked evenly between these iterations
    unlock_end: 2000
    eval_every: 250        # PSNR / SSIM on `eval_images` held-out digits
    checkpoint_every_s: 120
    weights: ../../assets/weights/vitca_digits.npz   # relative to the scene file
    out: runs/vitca_digits

Each iteration consumes one split of the RNG key stored in the checkpoint, so `--resume`
reproduces the uninterrupted run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.checkpoint import PoolTrainerCheckpoints
from alife.core.config import as_dict, parse_block
from alife.core.errors import AlifeError
from alife.core.fileio import save_tree
from alife.data.digits import digits_split
from alife.rules.vitca import model
from alife.rules.vitca.rule import ViTCAParams, ViTCARule
from alife.rules.vitca.train_loop import (
    LoopConfig,
    eval_set,
    evaluate_ca,
    make_train_step,
    new_pool,
    optimizer,
)
from alife.rules.vitca.training_block import EXTRA_KEYS, ViTCATraining

#: the file and timing keys of the block, with their defaults
EXTRA_DEFAULTS: dict[str, Any] = {k: v for k, v in as_dict(ViTCATraining()).items()
                                  if k in EXTRA_KEYS}


def training_settings(block: dict[str, Any] | None,
                      where: str = "training") -> tuple[LoopConfig, dict[str, Any]]:
    """`(loop config, settings)`: the block checked (`ViTCATraining`), its loop part, and every
    key with its default."""
    parsed = parse_block(ViTCATraining, block, where)
    return parsed.loop(), as_dict(parsed)


class ViTCATrainer(PoolTrainerCheckpoints):
    """Training state of one ViTCA scene; `iterate()` runs one iteration (the loop's protocol)."""

    fields = ["step", "loss", "rec", "overflow", "psnr", "grad_norm", "unlocked", "eval_psnr",
              "eval_ssim"]

    def __init__(self, rule: ViTCARule, cfg: LoopConfig, settings: dict[str, Any] | None = None):
        if rule.channels != 1:
            raise AlifeError("the digits trainer needs a grey rule (channels: 1)",
                             where="rule.config.channels")
        self.rule, self.cfg = rule, cfg
        self.settings = dict(settings or {**EXTRA_DEFAULTS, **cfg.as_dict()})
        train, test = digits_split(cfg.size)
        self.train_images = jnp.asarray(train)
        self.eval_clean, self.eval_masked = eval_set(test, cfg.eval_images)
        graphdef = rule.graphdef
        self.update_fn = lambda w, x: model.apply(graphdef, w, x)
        self.out_c, self.hidden = rule.channels, rule.net.hidden_channels
        self._train_step = make_train_step(self.update_fn, cfg, self.train_images, self.out_c,
                                           self.hidden)
        key = jax.random.PRNGKey(cfg.seed)
        k_pool, self.key = jax.random.split(key)
        _, self.weights = model.build(rule.net, cfg.seed)
        self.opt_state = optimizer(cfg).init(self.weights)
        self.pool = new_pool(k_pool, self.train_images, cfg, self.out_c, self.hidden)
        self.step = 0

    @property
    def iterations(self) -> int:
        return self.cfg.iterations

    def iterate(self) -> dict[str, float]:
        """One training iteration; returns its log row (with eval metrics every eval_every)."""
        self.key, sub = jax.random.split(self.key)
        self.weights, self.opt_state, self.pool, info = self._train_step(
            self.weights, self.opt_state, self.pool, jnp.asarray(self.step, jnp.int32), sub)
        self.step += 1
        row: dict[str, Any] = {"step": self.step, **{k: float(v) for k, v in info.items()}}
        row["unlocked"] = int(row["unlocked"])
        if self.cfg.eval_every and (self.step % self.cfg.eval_every == 0
                                    or self.step == self.cfg.iterations):
            res = self.evaluate()
            row["eval_psnr"], row["eval_ssim"] = res["psnr"], res["ssim"]
        return row

    def evaluate(self, clean: Any = None, masked: Any = None) -> dict[str, float]:
        """Mean PSNR / SSIM of the current weights on held-out masked digits."""
        clean = self.eval_clean if clean is None else clean
        masked = self.eval_masked if masked is None else masked
        res = evaluate_ca(self.update_fn, self.weights, clean, masked, self.cfg.steps,
                          self.out_c, self.hidden, self.cfg.fire_rate)
        return {"psnr": float(np.mean(res["psnr"])), "ssim": float(np.mean(res["ssim"]))}

    def start_from(self, params: ViTCAParams) -> None:
        """Continue from `params`' weights (fresh optimiser state)."""
        self.weights = params.weights
        self.opt_state = optimizer(self.cfg).init(self.weights)

    def params(self) -> ViTCAParams:
        """The current weights as the rule's Params (what a scene's `params.file` holds)."""
        return ViTCAParams(weights=self.weights,
                           fire_rate=jnp.asarray(self.cfg.fire_rate, jnp.float32))

    def save_weights(self, path: str | Path) -> None:
        save_tree(path, self.params())


def trainer_from_world(world: Any, *, settings: dict[str, Any] | None = None,
                       target: Any = None, start_params: Any = None) -> ViTCATrainer:
    """Build a trainer from a loaded scene World (`world.extra["training"]`, or `settings`).

    ViTCA trains on a data set, not one target: `target` must be None. `start_params` (ViTCA
    Params) starts from those weights.
    """
    if not isinstance(world.rule, ViTCARule):
        raise AlifeError(f"scene rule is {world.rule.family!r}; the vitca trainer needs 'vitca'")
    if target is not None:
        raise AlifeError("ViTCA trains on a data set; a single target image does not apply")
    block = world.extra.get("training") if settings is None else settings
    cfg, settings = training_settings(block)
    base = Path(world.path).parent if world.path else Path.cwd()
    if settings["weights"] is not None:
        settings["weights"] = str(base / settings["weights"])
    trainer = ViTCATrainer(world.rule, cfg, settings)
    if start_params is not None:
        trainer.start_from(start_params)
    return trainer
