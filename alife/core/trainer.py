"""The one Trainer protocol, and where trainers are found by rule family.

`alife train`, the app's job component (`alife.app.jobs`) and the evolution runner
(`alife.evolve`) all drive a trainer through this protocol, so the CLI, `--resume`, checkpoints
and the app's job panel serve gradient training and evolution alike.

Trainers register beside their families: `register_trainer("nca", "alife.train.nca:
trainer_from_world")` names a function `(world, *, settings, target, start_params) -> Trainer`
that builds a trainer from a loaded World; the module is imported only when a trainer is asked
for (a headless run never imports optax or evosax).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from alife.core.errors import AlifeError


@runtime_checkable
class Trainer(Protocol):
    """What a training or evolution run offers its drivers.

    - `step`: iterations (or generations) done so far; `iterations`: the run's planned total.
    - `fields`: the log columns of `iterate`'s rows, "step" first, then the headline value
      ("loss" for training, "fitness" for evolution).
    - `iterate() -> row`: one iteration; returns a dict with every field.
    - `params()`: rule Params with the running world's structure (swapping them in does not
      recompile).
    - `save_checkpoint(path)` / `load_checkpoint(path)`: everything needed to continue exactly.
    - `save_weights(path)`: the result, as rule Params in an `.npz`.
    """

    step: int

    @property
    def iterations(self) -> int: ...

    @property
    def fields(self) -> list[str]: ...

    def iterate(self) -> dict[str, Any]: ...

    def params(self) -> Any: ...

    def save_checkpoint(self, path: str | Path) -> None: ...

    def load_checkpoint(self, path: str | Path) -> None: ...

    def save_weights(self, path: str | Path) -> None: ...


_TRAINERS: dict[str, str] = {}


def register_trainer(family: str, builder: str) -> None:
    """Register `builder` ("module:function", World -> Trainer) as `family`'s trainer."""
    _TRAINERS[family] = builder


def trainer_families() -> list[str]:
    """Families that have a trainer (imports the built-in families first)."""
    import alife.rules  # noqa: F401  (families register their trainers on import)

    return sorted(_TRAINERS)


def build_trainer(world: Any, *, settings: dict[str, Any] | None = None, target: Any = None,
                  start_params: Any = None) -> Trainer:
    """The trainer for `world`'s rule family (AlifeError if the family has none).

    `settings` replaces the scene's block (`training:`), `target` (an array) replaces the block's
    target file, `start_params` (rule Params) starts from those weights instead of fresh ones:
    the app's job panel uses them; `alife train` passes none.
    """
    family = world.rule.family
    known = trainer_families()
    if family not in known:
        raise AlifeError(f"no trainer for rule family {family!r}; expected one of {known}",
                         where="rule.family")
    module, func = _TRAINERS[family].split(":")
    builder = getattr(importlib.import_module(module), func)
    return builder(world, settings=settings, target=target, start_params=start_params)
