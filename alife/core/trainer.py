"""The one Trainer protocol.

`alife train`, the app's job component (`alife.app.jobs`) and the evolution runner
(`alife.evolve`) all drive a trainer through this protocol, so the CLI, `--resume`, checkpoints
and the app's job panel serve gradient training and evolution alike. A family declares its
trainer in its descriptor (`alife.core.family.Family.trainer`); `alife.families.build_trainer`
finds it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable


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
