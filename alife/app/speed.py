"""Generations to compute per frame: Golly-style `base^exponent`, or "as fast as possible".

Golly's speed model: with exponent e >= 0 the app advances `base**e` generations per frame; with
e < 0 it advances one generation every `base**-e` frames. "As fast as possible" instead fits a
chunk of steps into the frame-time budget left over by the UI, so the window keeps at least
`target_fps` frames per second: the chunk adapts to the measured seconds per step (it may halve or
more at once when a frame ran long, and at most doubles per frame so a hiccup cannot overshoot).
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    _history: list = field(default_factory=list)

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

        A frame's simulation time is modelled as `fixed + steps * per_step` (the fixed part is
        the view and metrics computed once per frame), fitted by least squares over the last
        frames. In fastest mode the next chunk is the one whose predicted time fills the frame
        budget left by the UI; while all recent frames used one chunk size the slope is unknown,
        so the chunk doubles once to learn it.
        """
        if steps <= 0 or step_seconds <= 0:
            return
        self._history.append((float(steps), float(step_seconds)))
        del self._history[:-16]
        fixed, per_step = self.model()
        self.sec_per_step = per_step
        if not self.fastest:
            return
        ui = max(frame_seconds - step_seconds, 0.0)
        if len({n for n, _ in self._history}) < 2:
            self.chunk = min(2 * self.chunk, self.max_chunk)
            return
        self.chunk = self.fit_chunk(self.chunk, per_step, ui, fixed)

    def model(self) -> tuple[float, float]:
        """(fixed seconds per frame, seconds per step) fitted to the recent frames."""
        ns = [n for n, _ in self._history]
        ts = [t for _, t in self._history]
        mean_n, mean_t = sum(ns) / len(ns), sum(ts) / len(ts)
        var = sum((n - mean_n) ** 2 for n in ns)
        if var == 0:
            return 0.0, mean_t / mean_n
        slope = sum((n - mean_n) * (t - mean_t) for n, t in zip(ns, ts, strict=True)) / var
        slope = max(slope, 1e-9)
        return max(mean_t - slope * mean_n, 0.0), slope

    def fit_chunk(self, chunk: int, sec_per_step: float, ui_seconds: float,
                  fixed_seconds: float = 0.0) -> int:
        """The chunk that fits the frame budget, growing at most 2x over `chunk`.

        The budget is what 1/target_fps leaves after the UI. When the UI alone is slower than
        that (a slow software renderer), the simulation still gets half as long as the UI takes,
        so steps/s do not collapse; the frame rate then drops by a third rather than to nothing.
        """
        budget = 1.0 / self.target_fps - ui_seconds
        budget = max(budget, 0.25 / self.target_fps, 0.5 * ui_seconds) - fixed_seconds
        fit = int(budget / max(sec_per_step, 1e-9))
        return max(1, min(fit, 2 * chunk, self.max_chunk))
