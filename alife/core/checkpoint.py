"""Training checkpoints: {params, opt_state, pool, step, rng key, extra} in one atomic `.npz`.

Generic over the model: any pytrees of arrays go in, and loading needs templates of the same
structure (what the trainer builds before training starts), so nothing is pickled. Written with
`alife.core.fileio.save_tree` (temp file + fsync + rename): an interrupted save leaves the previous
checkpoint intact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jax
import numpy as np

from alife.core.errors import AlifeError
from alife.core.fileio import arrays_to_tree, load_arrays, save_tree


@dataclass
class Checkpoint:
    """Everything needed to continue training exactly where it stopped."""

    params: Any
    opt_state: Any
    pool: Any
    step: int
    key: jax.Array
    extra: dict[str, np.ndarray] = field(default_factory=dict)


def save_checkpoint(path: str | Path, ckpt: Checkpoint) -> None:
    """Write `ckpt` atomically to `path` (`.npz`)."""
    tree = {"params": ckpt.params, "opt_state": ckpt.opt_state, "pool": ckpt.pool,
            "key": ckpt.key}
    extra = {f"extra_{k}": np.asarray(v) for k, v in ckpt.extra.items()}
    save_tree(path, tree, step=np.asarray(ckpt.step, np.int64), **extra)


def load_checkpoint(path: str | Path, template: Checkpoint) -> Checkpoint:
    """Read a checkpoint shaped like `template` (same params / opt_state / pool structure)."""
    arrays = load_arrays(path)
    if "__step" not in arrays:
        raise AlifeError("not a training checkpoint (no step)", where=str(path))
    step = arrays["__step"]
    if step.shape != () or step.dtype.kind not in "iu" or not 0 <= int(step) < 2**31:
        raise AlifeError(f"its step is a {step.dtype} array of shape {step.shape}; expected one "
                         "integer in 0..2^31-1 (a file written by alife train)", where=str(path))
    tree = {"params": template.params, "opt_state": template.opt_state, "pool": template.pool,
            "key": template.key}
    tree = arrays_to_tree(arrays, tree, where=str(path))
    extra = {k[len("__extra_"):]: v for k, v in arrays.items() if k.startswith("__extra_")}
    return Checkpoint(params=tree["params"], opt_state=tree["opt_state"], pool=tree["pool"],
                      step=int(step), key=tree["key"], extra=extra)


class PoolTrainerCheckpoints:
    """Checkpoint methods for trainers that keep `weights`, `opt_state`, `pool`, `step`, `key`.

    Mixed into the NCA and ViTCA trainers, which `alife.jobs.loop` drives through
    `save_checkpoint(path)` / `load_checkpoint(path)`.
    """

    weights: Any
    opt_state: Any
    pool: Any
    step: int
    key: jax.Array

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(params=self.weights, opt_state=self.opt_state, pool=self.pool,
                          step=self.step, key=self.key)

    def save_checkpoint(self, path: str | Path) -> None:
        save_checkpoint(path, self.checkpoint())

    def load_checkpoint(self, path: str | Path) -> None:
        ckpt = load_checkpoint(path, self.checkpoint())
        self.weights, self.opt_state, self.pool = ckpt.params, ckpt.opt_state, ckpt.pool
        self.key, self.step = ckpt.key, ckpt.step
