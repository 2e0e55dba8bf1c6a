"""Growing Neural Cellular Automata (Mordvintsev et al., Distill 2020), family "nca".

Modules: `model` (perception, update net, weights), `sparse` (the net on the active cells only),
`rule` (`NCARule`), `train_step` and
`training` (the gradient trainer: sample pool, damage, optax), `fitness` (`target_image` for
evolution). The trainer is imported only when one is built, so a headless run never loads optax.
"""

from typing import Any

from alife.core.family import Family
from alife.rules.nca.fitness import FITNESS
from alife.rules.nca.rule import NCAParams, NCARule, NCAState, params_from_weights
from alife.rules.nca.training_block import NCATraining

__all__ = ["FAMILY", "NCAParams", "NCARule", "NCAState", "params_from_weights"]


def build_trainer(world: Any, **settings: Any) -> Any:
    """The gradient trainer for an nca world (`alife.core.family.Family.trainer`)."""
    from alife.rules.nca.training import trainer_from_world

    return trainer_from_world(world, **settings)


FAMILY = Family(
    name="nca",
    factory=NCARule,
    summary="Growing neural cellular automata (Mordvintsev et al. 2020)",
    example={"width": 12, "height": 10, "channels": 8, "hidden": 16},
    trainer=build_trainer,
    fitness=FITNESS,
    blocks={"training": NCATraining},
)
