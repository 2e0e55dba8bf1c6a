"""Growing-NCA trainer: a scene's `training:` block -> weights, with checkpoints and exact resume.

The `training:` block (kept by the scene loader in `World.extra["training"]`), all keys optional:

    experiment: regenerating     # growing | persistent | regenerating
    target: ../../assets/targets/lizard_24.png   # RGBA PNG, relative to the scene file
    target_size: 24              # the target is resized to this many px (longest side)
    padding: 8                   # zero border on each side: grid = target_size + 2 * padding
    batch: 8
    pool_size: 1024
    steps: [64, 96]              # steps per sample, uniform in [min, max)
    iterations: 8000
    lr: 2.0e-3                   # then lr_after from iteration lr_boundary on
    lr_after: 2.0e-4
    lr_boundary: 2000
    seed: 0
    checkpoint_every_s: 180
    weights: ../../assets/weights/nca_lizard.npz   # where the final weights go
    out: runs/nca_lizard         # checkpoint, metrics and plot (relative to the working dir)

The keys are declared (types, ranges, defaults) by `training_block.NCATraining`; unknown keys
are refused with the nearest valid one. The rule's `channels`, `hidden` and `fire_rate` come
from the scene's rule config. Every iteration consumes one split of the RNG key stored in the
checkpoint, so resuming reproduces the uninterrupted run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from PIL import Image

from alife.core.checkpoint import PoolTrainerCheckpoints
from alife.core.config import as_dict, parse_block
from alife.core.errors import AlifeError
from alife.core.fileio import save_tree
from alife.rules.nca.model import init_weights
from alife.rules.nca.rule import NCARule, params_from_weights
from alife.rules.nca.train_step import (
    NCATrainConfig,
    cached_train_step,
    init_pool,
    pad_target,
)
from alife.rules.nca.training_block import NCATraining

#: every key of the `training:` block with its default
DEFAULTS: dict[str, Any] = as_dict(NCATraining())


def load_target(path: str | Path, size: int) -> np.ndarray:
    """`[size, size, 4]` float32 premultiplied RGBA from a PNG (fitted, centred, antialiased)."""
    from alife.core.safeio import open_image

    try:
        img = open_image(path).convert("RGBA")  # regular file, pixel count checked first
    except AlifeError as exc:
        raise AlifeError(f"cannot read target image ({exc.detail})", where=str(path)) from None
    rgba = np.asarray(img, np.float32) / 255.0
    rgba[..., :3] *= rgba[..., 3:]
    return fit_target(rgba, size)


def fit_target(rgba: np.ndarray, size: int) -> np.ndarray:
    """Premultiplied `[h, w, 4]` -> `[size, size, 4]`: scaled (Lanczos) to fit, centred."""
    rgba = np.asarray(rgba, np.float32)
    h, w = rgba.shape[:2]
    if (h, w) == (size, size):
        return rgba
    scale = size / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    chans = [np.asarray(Image.fromarray(np.ascontiguousarray(rgba[..., c]), "F")
                        .resize((nw, nh), Image.LANCZOS)) for c in range(4)]
    out = np.zeros((size, size, 4), np.float32)
    top, left = (size - nh) // 2, (size - nw) // 2
    out[top:top + nh, left:left + nw] = np.clip(np.stack(chans, -1), 0.0, 1.0)
    return out


def training_settings(block: dict[str, Any] | None, where: str = "training") -> dict[str, Any]:
    """The training block checked (`NCATraining`) and merged over the defaults."""
    return as_dict(parse_block(NCATraining, block, where))


class NCATrainer(PoolTrainerCheckpoints):
    """Holds the training state of one NCA scene; `iterate()` runs one training iteration."""

    fields = ["step", "loss", "lr"]

    def __init__(self, rule: NCARule, settings: dict[str, Any], target: np.ndarray):
        self.rule, self.settings = rule, settings
        size, pad = settings["target_size"], settings["padding"]
        grid = size + 2 * pad
        lo, hi = settings["steps"]
        self.cfg = NCATrainConfig(
            height=grid, width=grid, channels=rule.channels, hidden=rule.hidden,
            fire_rate=rule.fire_rate, experiment=settings["experiment"], batch=settings["batch"],
            pool_size=settings["pool_size"], min_steps=lo, max_steps=hi, lr=settings["lr"],
            lr_after=settings["lr_after"], lr_boundary=settings["lr_boundary"])
        self.target = pad_target(jnp.asarray(target), grid, grid)
        self.optimizer, self._train_step = cached_train_step(self.cfg)
        key = jax.random.PRNGKey(settings["seed"])
        k_init, self.key = jax.random.split(key)
        self.weights = init_weights(k_init, rule.channels, rule.hidden)
        self.opt_state = self.optimizer.init(self.weights)
        self.pool = init_pool(self.cfg)
        self.step = 0

    @property
    def iterations(self) -> int:
        return self.settings["iterations"]

    def lr(self) -> float:
        s = self.settings
        return s["lr"] if self.step < s["lr_boundary"] else s["lr_after"]

    def iterate(self) -> dict[str, float]:
        """One iteration; returns the row logged for it."""
        self.key, sub = jax.random.split(self.key)
        lr = self.lr()
        self.weights, self.opt_state, self.pool, loss = self._train_step(
            self.weights, self.opt_state, self.pool, sub, self.target)
        self.step += 1
        return {"step": self.step, "loss": float(loss), "lr": lr}

    def params(self):
        """The current weights as the rule's Params."""
        return params_from_weights(self.weights, self.rule.fire_rate)

    def save_weights(self, path: str | Path) -> None:
        save_tree(path, self.params())


def trainer_from_world(world: Any, *, settings: dict[str, Any] | None = None,
                       target: np.ndarray | None = None, start_params: Any = None) -> NCATrainer:
    """Build a trainer from a loaded World: its rule's network shape, its `training:` block.

    `settings` replaces the block, `target` (RGBA, float in [0, 1]) replaces the block's target
    image, `start_params` (NCA Params) starts from those weights. The training grid is
    `target_size + 2 * padding` square, whatever the world's size.
    """
    if not isinstance(world.rule, NCARule):
        raise AlifeError(f"scene rule is {world.rule.family!r}; the nca trainer needs 'nca'")
    block = world.extra.get("training") if settings is None else settings
    settings = training_settings(block)
    base = Path(world.path).parent if world.path else Path.cwd()
    if target is None:
        if settings["target"] is None:
            raise AlifeError("training needs a target image", where="training.target")
        target = load_target(base / settings["target"], settings["target_size"])
    if settings["weights"] is not None:
        settings["weights"] = str(base / settings["weights"])
    grid = settings["target_size"] + 2 * settings["padding"]
    r = world.rule
    rule = NCARule(width=grid, height=grid, channels=r.channels, hidden=r.hidden,
                   fire_rate=r.fire_rate)
    trainer = NCATrainer(rule, settings, target)
    if start_params is not None:
        trainer.weights = start_params.weights
        trainer.opt_state = trainer.optimizer.init(trainer.weights)
    return trainer


def params_from_checkpoint(path: str | Path, rule: NCARule):
    """The rule Params held by a training checkpoint (to ship the weights of an unfinished run)."""
    from alife.core.fileio import arrays_to_tree, load_arrays

    arrays = load_arrays(path)
    template = init_weights(jax.random.PRNGKey(0), rule.channels, rule.hidden)
    named = {k[len("params/"):]: v for k, v in arrays.items() if k.startswith("params/")}
    weights = arrays_to_tree(named, template, where=str(path))
    return params_from_weights(weights, rule.fire_rate)
