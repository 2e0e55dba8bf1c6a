"""ViTCA (Tesfaldet et al. 2022), family "vitca": an attention-based neural CA that restores
masked images.

Modules: `model` (the Flax NNX network), `masks` (the masking curriculum), `metrics` (PSNR,
SSIM), `rule` (`ViTCARule`), `train_loop`, `training` and `baselines` (the trainer, imported
only when one is built).
"""

from typing import Any

from alife.core.family import Family
from alife.rules.vitca.rule import ViTCAParams, ViTCARule, ViTCAState
from alife.rules.vitca.training_block import ViTCATraining

__all__ = ["FAMILY", "ViTCAParams", "ViTCARule", "ViTCAState"]


def build_trainer(world: Any, **settings: Any) -> Any:
    """The denoising trainer for a vitca world (`alife.core.family.Family.trainer`)."""
    from alife.rules.vitca.training import trainer_from_world

    return trainer_from_world(world, **settings)


FAMILY = Family(
    name="vitca",
    factory=ViTCARule,
    summary="ViTCA: attention-based neural CA that restores masked images (Tesfaldet et al. "
            "2022)",
    example={"width": 12, "height": 10, "hidden": 4, "embed": 16, "heads": 2, "mlp": 16},
    trainer=build_trainer,
    blocks={"training": ViTCATraining},
)
