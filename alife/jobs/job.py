"""Training in a background thread, for the app: start / pause / resume / stop, live loss history.

`TrainingJob(trainer)` wraps any trainer with `iterate() -> {"step", "loss", ...}`, `params()`,
`save_weights(path)`, `save_checkpoint(path)`, `step` and `iterations` (e.g.
`alife.rules.nca.training.NCATrainer`). JAX releases the GIL while it computes, so the UI
thread keeps drawing while an iteration runs. The loss history and the latest weights are
snapshots taken under a lock after every iteration; `latest_params()` returns rule Params with
the same structure as the running world's, so swapping them in does not recompile.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any


class TrainingJob:
    """One trainer driven by a daemon thread. States: idle, running, paused, stopped, done, failed.
    """

    def __init__(self, trainer: Any, total: int | None = None):
        self.trainer = trainer
        self.total = trainer.iterations if total is None else int(total)
        self._work = threading.Lock()  # held while the trainer is being stepped or saved
        self._snap = threading.Lock()  # guards the history and the latest params
        self._gate = threading.Condition()  # guards _paused, _stopping and _busy
        self._paused = False
        self._stopping = False
        self._busy = False
        self._thread: threading.Thread | None = None
        self._history: list[dict[str, Any]] = []
        self._latest = trainer.params()
        self._state = "idle"
        self.error: BaseException | None = None
        self.seconds = 0.0

    # ---- control --------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a TrainingJob can be started once")
        self._state = "running"
        self._thread = threading.Thread(target=self._loop, name="alife-training", daemon=True)
        self._thread.start()

    def pause(self) -> None:
        with self._gate:
            if self._state == "running":
                self._paused = True
                self._state = "paused"

    def resume(self) -> None:
        with self._gate:
            if self._state == "paused":
                self._paused = False
                self._state = "running"
                self._gate.notify_all()

    def stop(self, wait: bool = True, timeout: float | None = None) -> None:
        """Ask the thread to finish after the current iteration (and wait for it by default)."""
        with self._gate:
            self._stopping = True
            self._gate.notify_all()
        if wait:
            self.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # ---- what the UI reads ----------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @property
    def busy(self) -> bool:
        """True while an iteration is being computed (a pause takes effect after it)."""
        return self._busy

    @property
    def step(self) -> int:
        with self._snap:
            return self._history[-1]["step"] if self._history else self.trainer.step

    def history(self) -> list[dict[str, Any]]:
        """A copy of the rows logged so far (`step`, `loss`, ...)."""
        with self._snap:
            return list(self._history)

    def losses(self) -> tuple[list[int], list[float]]:
        rows = self.history()
        return [r["step"] for r in rows], [r["loss"] for r in rows]

    def latest_params(self) -> Any:
        """The rule Params after the last finished iteration (arrays; swap in without recompile)."""
        with self._snap:
            return self._latest

    def save(self, path: str | Path) -> None:
        """Write the current weights (`.npz`, atomic) between iterations."""
        with self._work:
            self.trainer.save_weights(path)

    def save_checkpoint(self, path: str | Path) -> None:
        with self._work:
            self.trainer.save_checkpoint(path)

    # ---- the thread -----------------------------------------------------------------------
    def _loop(self) -> None:
        try:
            while self.trainer.step < self.total:
                with self._gate:
                    while self._paused and not self._stopping:
                        self._gate.wait()
                    if self._stopping:
                        break
                    self._busy = True
                t0 = time.perf_counter()
                with self._work:
                    row = self.trainer.iterate()
                    params = self.trainer.params()
                self.seconds += time.perf_counter() - t0
                with self._snap:
                    self._history.append(row)
                    self._latest = params
                with self._gate:
                    self._busy = False
            self._state = "done" if self.trainer.step >= self.total else "stopped"
        except BaseException as exc:  # reported to the UI through `state` and `error`
            self.error = exc
            self._state = "failed"
        finally:
            self._busy = False
