"""The ViTCA `training:` block, declared with `alife.core.config` (no JAX, no optax): the loop's
hyper-parameters (`LoopConfig`, read by `train_loop`) plus the file and timing keys of
`alife train` (`ViTCATraining`). The scene loader checks the block through the family
descriptor without loading the trainer."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from alife.core.config import as_dict, parse_block, setting
from alife.core.errors import AlifeError


@dataclass(frozen=True)
class LoopConfig:
    """Training hyper-parameters (the loop's part of the scene file's `training` block)."""

    size: int = setting(32, low=1, high=4096, doc="training images are size x size")
    iterations: int = setting(3000, low=1, high=2**31 - 1, doc="training iterations")
    steps: int = setting(32, low=1, high=2**20, doc="CA steps per iteration")
    batch: int = setting(8, low=1, high=2**20, doc="samples per iteration")
    pool: int = setting(256, low=1, high=2**24, doc="samples in the pool")
    fresh: int = setting(2, low=0, high=2**20, doc="new samples injected into each batch")
    lr: float = setting(1e-3, above=0, doc="learning rate, cosine-decayed to lr_final")
    lr_final: float = setting(1e-4, low=0, doc="the last learning rate")
    clip: float = setting(1.0, above=0, doc="global gradient-norm clip")
    fire_rate: float = setting(0.5, above=0, high=1, doc="chance a cell updates per step")
    overflow_weight: float = setting(1.0, low=0, doc="weight of the out-of-range penalty")
    unlock_start: int = setting(100, low=0, doc="mask curriculum: first unlock iteration")
    unlock_end: int = setting(2000, low=0, doc="mask curriculum: last unlock iteration")
    remat: bool = setting(True, doc="recompute steps in the backward pass (less memory)")
    seed: int = setting(0, low=0, high=2**32 - 1, doc="PRNG seed")
    eval_every: int = setting(250, low=0, doc="iterations between PSNR / SSIM evaluations "
                                               "(0: none)")
    eval_images: int = setting(99, low=1, high=10_000, doc="held-out digits evaluated")

    def validate(self, where: str) -> None:
        if self.fresh > self.batch or self.batch > self.pool:
            raise AlifeError("need fresh <= batch <= pool", where=where)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, where: str = "training",
                  other_keys: tuple[str, ...] = ()) -> LoopConfig:
        """Checked config from a mapping; `other_keys` are allowed there but ignored."""
        data = {k: v for k, v in (data or {}).items() if k not in other_keys}
        return parse_block(cls, data, where)

    def as_dict(self) -> dict[str, Any]:
        return as_dict(self)


@dataclass(frozen=True)
class ViTCATraining(LoopConfig):
    """The whole `training:` block of a vitca scene: the loop's keys plus those of the run."""

    checkpoint_every_s: float = setting(120.0, low=0, doc="seconds between checkpoints")
    weights: str | None = setting(None, path="file", doc="where the final weights go "
                                                         "(relative to the scene file)")
    out: str | None = setting(None, path="cwd", doc="checkpoint, metrics and plot folder "
                                                   "(relative to the working folder)")

    def loop(self) -> LoopConfig:
        """The loop's part of the block."""
        return LoopConfig(**{f.name: getattr(self, f.name) for f in fields(LoopConfig)})


#: the keys of `ViTCATraining` beyond the loop's
EXTRA_KEYS = tuple(f.name for f in fields(ViTCATraining) if f.name not in
                   {g.name for g in fields(LoopConfig)})
