"""The growing-NCA `training:` block, declared with `alife.core.config` (no JAX, no optax), so
the scene loader checks it through the family descriptor without loading the trainer."""

from __future__ import annotations

from dataclasses import dataclass

from alife.core.config import setting
from alife.core.errors import AlifeError

#: the training experiments of Mordvintsev et al. (2020), as `train_step.EXPERIMENTS`
EXPERIMENTS = ("growing", "persistent", "regenerating")


@dataclass(frozen=True)
class NCATraining:
    """The `training:` block of an nca scene (`alife.rules.nca.training` documents the keys)."""

    experiment: str = setting("regenerating", choices=EXPERIMENTS, doc="the training regime")
    target: str | None = setting(None, path="file",
                                 doc="RGBA target PNG, relative to the scene file")
    target_size: int = setting(40, low=1, high=4096, doc="target size in px (longest side)")
    padding: int = setting(16, low=0, high=4096, doc="zero border on each side of the target")
    batch: int = setting(8, low=1, high=2**20, doc="samples per iteration")
    pool_size: int = setting(1024, low=1, high=2**24, doc="samples in the pool")
    steps: list[int] = setting([64, 96], low=1, high=2**20,
                               doc="steps per sample, uniform in [min, max)")
    iterations: int = setting(8000, low=1, high=2**31 - 1, doc="training iterations")
    lr: float = setting(2e-3, above=0, doc="learning rate until lr_boundary")
    lr_after: float = setting(2e-4, above=0, doc="learning rate from lr_boundary on")
    lr_boundary: int = setting(2000, low=1, high=2**31 - 1, doc="iteration of the lr switch")
    seed: int = setting(0, low=0, high=2**32 - 1, doc="PRNG seed")
    checkpoint_every_s: float = setting(180.0, low=0, doc="seconds between checkpoints")
    weights: str | None = setting(None, path="file", doc="where the final weights go "
                                                         "(relative to the scene file)")
    out: str | None = setting(None, path="cwd", doc="checkpoint, metrics and plot folder "
                                                   "(relative to the working folder)")

    def validate(self, where: str) -> None:
        if not (len(self.steps) == 2 and self.steps[0] < self.steps[1]):
            raise AlifeError(f"steps must be [min, max) with 1 <= min < max; got {self.steps}",
                             where=f"{where}.steps")
        if self.experiment != "growing" and self.pool_size < self.batch:
            raise AlifeError("pool_size must be at least batch", where=f"{where}.pool_size")
