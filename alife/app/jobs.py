"""Background jobs of one controller: training (and evolution) runs the panels start and read.

Panels never build trainers or assign the world themselves: they call `controller.jobs`. A job is
an `alife.jobs.job.TrainingJob` around any `alife.core.trainer.Trainer` (gradient training or
evolution), run in a daemon thread; the UI reads its state, history and latest params.

API:
    jobs.start(name, trainer)            start a job (stops a running one of that name first)
    jobs.start_training(block, target=..., png_path=..., from_world=...)   the family's trainer
    jobs.can_train() / jobs.trains_to_image()   whether the world's family declares a trainer,
                                         and whether it grows one target image (`ImageTarget`)
    jobs.get(name) -> job | None;  jobs.pause(name) / resume(name) / stop(name);  stop_all()
    jobs.use_latest(name, keep=(...))    swap the job's newest params into the running world
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from alife.core.errors import AlifeError

TRAINING = "training"
TARGETS = ("scene", "png", "canvas")


class Jobs:
    """The jobs of one controller, by name."""

    def __init__(self, controller: Any) -> None:
        self.controller = controller
        self._jobs: dict[str, Any] = {}

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self, name: str, trainer: Any, total: int | None = None) -> Any:
        """Run `trainer` in the background as job `name`; returns the job."""
        from alife.jobs.job import TrainingJob

        self.stop(name, wait=False)
        job = TrainingJob(trainer, total)
        self._jobs[name] = job
        job.start()
        return job

    def get(self, name: str) -> Any:
        return self._jobs.get(name)

    def active(self, name: str) -> bool:
        job = self._jobs.get(name)
        return job is not None and job.state in ("running", "paused")

    def pause(self, name: str) -> None:
        if (job := self._jobs.get(name)) is not None:
            job.pause()

    def resume(self, name: str) -> None:
        if (job := self._jobs.get(name)) is not None:
            job.resume()

    def stop(self, name: str, wait: bool = False) -> None:
        if (job := self._jobs.get(name)) is not None and job.state in ("running", "paused"):
            job.stop(wait=wait)

    def stop_all(self, wait: bool = True) -> None:
        for name in list(self._jobs):
            self.stop(name, wait=wait)

    # ---- training ----------------------------------------------------------------------------
    def can_train(self) -> bool:
        """Whether the running world's family declares a trainer (its descriptor's `trainer`)."""
        from alife.families import family_of

        try:
            return family_of(self.controller.rule).trainer is not None
        except AlifeError:  # a rule of a family that is not registered
            return False

    def trains_to_image(self) -> bool:
        """Whether the trainer grows one target image (scene image, PNG file or canvas)."""
        from alife.core.rule import ImageTarget

        return isinstance(self.controller.rule, ImageTarget)

    def start_training(self, block: dict[str, Any], target: str = "scene", png_path: str = "",
                       from_world: bool = False) -> str | None:
        """Train the running world's network with `block` (a scene `training:` block).

        `target` is "scene" (the block's or the scene's target image), "png" (`png_path`) or
        "canvas" (the world's current RGBA, cropped to alpha > 0.1). Returns an error message,
        or None once the job runs.
        """
        from alife.families import build_trainer

        c = self.controller
        try:
            image = self._target_image(block, target, png_path)
            start = c.params if from_world else None
            trainer = build_trainer(c.world, settings=block, target=image, start_params=start)
        except (AlifeError, OSError, ValueError) as exc:
            return str(exc)
        self.start(TRAINING, trainer)
        return None

    def _target_image(self, block: dict[str, Any], target: str, png_path: str) -> Any:
        if target not in TARGETS:
            raise AlifeError(f"target {target!r}; expected one of {TARGETS}")
        if target == "scene":
            return None  # the trainer reads the block's target file
        from alife.core.rule import ImageTarget

        rule = self.controller.rule
        if not isinstance(rule, ImageTarget):
            raise AlifeError(f"the {rule.family} family trains to no image; use the scene's "
                             f"training block")
        size = int(block.get("target_size", 40))
        if target == "png":
            return rule.target_from_file(str(Path(png_path).expanduser()), size)
        return rule.target_from_state(self.controller.state, size)

    def use_latest(self, name: str = TRAINING, keep: tuple[str, ...] = ()) -> bool:
        """Swap job `name`'s newest params into the world, keeping the `keep` params' values
        (an undoable edit, `Controller.apply_edit`).

        The params have the running world's structure, so nothing recompiles.
        """
        from alife.core.types import replace_params

        job = self._jobs.get(name)
        if job is None:
            return False
        c = self.controller
        kept = {k: float(np.asarray(getattr(c.params, k))) for k in keep}
        params = job.latest_params()
        if kept:
            params = replace_params(params, **kept)
        label = f"weights of {name} iteration {job.step}"
        c.apply_edit(label, params=params)
        c.message = label
        return True
