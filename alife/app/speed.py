"""Generations to compute per frame: Golly-style `base^exponent`, or "as fast as possible".

Golly's speed model: with exponent e >= 0 the app advances `base**e` generations per frame; with
e < 0 it advances one generation every `base**-e` frames. "As fast as possible" instead fits a
chunk of steps into the frame-time budget left over by the UI, so the window keeps at least
`target_fps` frames per second: the chunk adapts to the measured seconds per step (it may halve or
more at once when a frame ran long, and at most doubles per frame so a hiccup cannot overshoot).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Speed:
    """Step-size setting plus the adaptive chunk of the "as fast as possible" mode."""

    base: int = 2
    exponent: int = 0
    fastest: bool = False
    target_fps: float = 36.0
    max_chunk: int = 1 << 16
    min_exponent: int = -6
    max_exponent: int = 16
    chunk: int = 1
    sec_per_step: float | None = None
    _frames_waited: int = 0

    # ---- the setting -------------------------------------------------------------------------
    def faster(self) -> None:
        self.exponent = min(self.exponent + 1, self.max_exponent)

    def slower(self) -> None:
        if self.fastest:
            self.fastest = False
            return
        self.exponent = max(self.exponent - 1, self.min_exponent)

    @property
    def steps_per_frame(self) -> float:
        """Generations per frame of the base^exponent setting (a fraction when e < 0)."""
        return float(self.base) ** self.exponent

    def label(self) -> str:
        if self.fastest:
            return f"max ({self.chunk} steps/frame)"
        if self.exponent >= 0:
            return f"{self.base}^{self.exponent} = {self.base ** self.exponent} steps/frame"
        return f"1 step every {self.base ** -self.exponent} frames"

    # ---- per frame ---------------------------------------------------------------------------
    def steps_this_frame(self) -> int:
        """How many generations the app should compute in the coming frame."""
        if self.fastest:
            return self.chunk
        if self.exponent >= 0:
            return self.base ** self.exponent
        self._frames_waited += 1
        if self._frames_waited >= self.base ** -self.exponent:
            self._frames_waited = 0
            return 1
        return 0

    def observe(self, steps: int, step_seconds: float, frame_seconds: float) -> None:
        """Feed back one frame: `steps` took `step_seconds` of a `frame_seconds` long frame.

        Updates the running seconds-per-step estimate and, in fastest mode, the next chunk:
        the chunk that fills the frame budget (1/target_fps) minus the time the UI itself took.
        """
        if steps <= 0 or step_seconds <= 0:
            return
        per_step = step_seconds / steps
        if self.sec_per_step is None:
            self.sec_per_step = per_step
        else:  # follow slowdowns at once, speedups gently
            weight = 0.5 if per_step > self.sec_per_step else 0.2
            self.sec_per_step += weight * (per_step - self.sec_per_step)
        if not self.fastest:
            return
        self.chunk = self.fit_chunk(self.chunk, self.sec_per_step,
                                    max(frame_seconds - step_seconds, 0.0))

    def fit_chunk(self, chunk: int, sec_per_step: float, ui_seconds: float) -> int:
        """The chunk that fits the frame budget, growing at most 2x over `chunk`."""
        budget = 1.0 / self.target_fps - ui_seconds
        budget = max(budget, 0.25 / self.target_fps)  # always leave the simulation some time
        fit = int(budget / max(sec_per_step, 1e-9))
        return max(1, min(fit, 2 * chunk, self.max_chunk))
