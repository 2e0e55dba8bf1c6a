"""Generations to compute per frame: Golly-style `base^exponent`, or "as fast as possible".

Golly's speed model: with exponent e >= 0 the app advances `base**e` generations per frame; with
e < 0 it advances one generation every `base**-e` frames. "As fast as possible" instead sizes a
chunk of steps to fill one frame: the controller dispatches each chunk to XLA and draws the
frame while it computes (pipelined), so the chunk may take as long as a frame of the UI. It
grows (at most 2x per frame) while chunks finish before they are needed, and shrinks at once in
proportion when the app had to wait, keeping the window at `target_fps` or more.
"""

from __future__ import annotations

from dataclasses import dataclass

#: a wait shorter than this means the chunk was ready before the app needed it
HIDDEN_SECONDS = 0.001


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

    def observe(self, steps: int, sim_seconds: float, waited: float,
                ui_seconds: float) -> None:
        """Feed back one chunk of `steps` generations computed while the app drew a frame.

        `sim_seconds`: from dispatching the chunk to its result being ready; `waited`: how long
        the app blocked for it (0 when it was ready first, i.e. hidden behind the UI);
        `ui_seconds`: the rest of the frame. In fastest mode the chunk doubles while hidden and
        otherwise scales so that UI time plus the wait fill one frame budget (1/target_fps), or
        so the chunk takes 1.5x the UI time when the UI alone is slower than the budget (a slow
        software renderer): the simulation keeps a fair share instead of collapsing to one step
        per frame.
        """
        if steps <= 0 or sim_seconds <= 0:
            return
        if waited > HIDDEN_SECONDS:
            self.sec_per_step = sim_seconds / steps
        if not self.fastest:
            return
        if waited <= HIDDEN_SECONDS:  # finished before it was needed: there is room for more
            self.chunk = min(2 * self.chunk, self.max_chunk)
            return
        frame_budget = 1.0 / self.target_fps
        if ui_seconds < frame_budget:
            # The app waited `waited` for the chunk after drawing: on a 2-core machine XLA and
            # the software rasteriser share the cores, so the wait, not the overlap, is what the
            # frame pays. Size the next chunk so the wait fills what the UI leaves of the frame.
            fit = int(steps * (frame_budget - ui_seconds) / waited)
        else:
            fit = int(1.5 * ui_seconds * steps / sim_seconds)
        self.chunk = max(1, min(fit, 2 * self.chunk, self.max_chunk))
