"""Live complexity measures of the running world, on the host, for the app's Measures panel.

`feed_for(controller)` gives the controller's `MeasuresFeed` (kept beside it, so the controller
needs no new code). Each call to `update` looks at the frame the app shows now
(`controller.view_image()`, already a host array) at most once per shown frame:

- space-time rules (1-D rules with the `SpaceTime` capability): the view is the diagram; its
  last rows (at most `limit` cells) are measured;
- grid rules: a centred `window` x `window` crop of each new frame joins a ring of the last
  `frames` crops, and that small space-time block is measured.

Every `every` new frames it computes, with NumPy only (`alife.instruments`): normalised LZ76,
zlib ratio, cell entropy, 2x2 block entropy, and the fraction of cells that changed since the
previous frame (activity). At most `limit` cells are measured (4096 by default: about 15 ms of
LZ76 on this CPU), so the app keeps its frame rate. Going back in time (step back, undo, reset)
drops the points from the abandoned future, as the statistics panel does.
"""

from __future__ import annotations

import weakref
from collections import deque
from typing import Any

import numpy as np

from alife.instruments.compression import zlib_ratio
from alife.instruments.entropy import block_entropy, cell_entropy
from alife.instruments.lambda_ import rule_lambda
from alife.instruments.lz76 import lz76_normalised

NAMES = ("lz76_norm", "zlib", "entropy", "block_entropy", "activity")
#: what the plots call them
LABELS = {"lz76_norm": "LZ76 (normalised)", "zlib": "zlib ratio", "entropy": "cell entropy",
          "block_entropy": "2x2 block entropy", "activity": "cells changed"}
_FEEDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def feed_for(controller: Any) -> MeasuresFeed:
    """The feed that belongs to `controller` (made on first use)."""
    feed = _FEEDS.get(controller)
    if feed is None:
        feed = _FEEDS[controller] = MeasuresFeed()
    return feed


def applies(controller: Any) -> bool:
    """Measures need discrete cell states."""
    return int(controller.num_states) >= 2


class MeasuresFeed:
    def __init__(self, every: int = 10, frames: int = 16, window: int = 32,
                 limit: int = 4096, capacity: int = 2000) -> None:
        self.every, self.window, self.limit, self.capacity = every, window, limit, capacity
        self._ring: deque[np.ndarray] = deque(maxlen=frames)
        self._gen: list[float] = []
        self._values: dict[str, list[float]] = {n: [] for n in NAMES}
        self._seen = (-1, -1)  # (world_serial, view_version)
        self._new = 0
        self._lambda: tuple[Any, Any, float] | None = None

    def __len__(self) -> int:
        return len(self._gen)

    def clear(self) -> None:
        self._ring.clear()
        self._gen.clear()
        for v in self._values.values():
            v.clear()
        self._new = 0

    def update(self, controller: Any) -> bool:
        """Take the shown frame if it is new; True when a point was added."""
        serial, version = controller.world_serial, controller.view_version
        if (serial, version) == self._seen:
            return False
        if serial != self._seen[0]:
            self.clear()
        self._seen = (serial, version)
        generation = int(controller.generation)
        if self._gen and generation < self._gen[-1]:
            keep = int(np.searchsorted(np.asarray(self._gen), generation))
            del self._gen[keep:]
            for v in self._values.values():
                del v[keep:]
            self._ring.clear()
        view = np.asarray(controller.view_image())
        if view.dtype != np.uint8:
            return False
        grid = view[..., 0]
        spacetime = _is_spacetime(controller.rule)
        if not spacetime:
            self._ring.append(self._crop(grid))
        self._new += 1
        if self._new < self.every and self._gen:
            return False
        self._new = 0
        diagram = self._diagram(grid, spacetime)
        if diagram is None:
            return False
        self._append(generation, measure(diagram))
        return True

    def _crop(self, grid: np.ndarray) -> np.ndarray:
        h, w = grid.shape
        s = self.window
        top, left = max(0, (h - s) // 2), max(0, (w - s) // 2)
        return grid[top:top + s, left:left + s].copy()

    def _diagram(self, grid: np.ndarray, spacetime: bool) -> np.ndarray | None:
        if spacetime:
            rows = max(2, self.limit // max(grid.shape[1], 1))
            return grid[-rows:, : self.limit // 2]
        # a HashLife picture changes size as the camera and the pattern move: stack like frames
        frames = [f for f in self._ring if f.shape == self._ring[-1].shape]
        if len(frames) < 2:
            return None
        per = frames[-1].size
        return np.stack(frames[-max(2, self.limit // max(per, 1)):])

    def _append(self, generation: int, values: dict[str, float]) -> None:
        self._gen.append(float(generation))
        for name in NAMES:
            self._values[name].append(values[name])
        if len(self._gen) > self.capacity:  # thin the older half, as the metrics log does
            half = len(self._gen) // 2
            idx = list(range(0, half, 2)) + list(range(half, len(self._gen)))
            self._gen = [self._gen[i] for i in idx]
            self._values = {k: [v[i] for i in idx] for k, v in self._values.items()}

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self._gen, np.float64), np.asarray(self._values[name], np.float64)

    def latest(self) -> dict[str, float]:
        return {n: v[-1] for n, v in self._values.items() if v}

    def rule_lambda(self, controller: Any) -> float:
        """Langton's lambda of the current rule table (cached per rule and params)."""
        rule, params = controller.rule, controller.params
        if self._lambda is None or self._lambda[0] is not rule or self._lambda[1] is not params:
            self._lambda = (rule, params, rule_lambda(rule, params))
        return self._lambda[2]


def _is_spacetime(rule: Any) -> bool:
    from alife.core.rule import SpaceTime  # here: the Measures panel module imports no JAX

    return isinstance(rule, SpaceTime)


def measure(diagram: np.ndarray) -> dict[str, float]:
    """The live measures of a small `[T, ...]` uint8 diagram."""
    d = np.asarray(diagram)
    k = max(2, int(d.max()) + 1)
    changed = float(np.mean(d[1:] != d[:-1])) if d.shape[0] > 1 else 0.0
    block = tuple(min(2, n) for n in d.shape)
    return {"lz76_norm": lz76_normalised(d, alphabet=k), "zlib": zlib_ratio(d),
            "entropy": cell_entropy(d), "block_entropy": block_entropy(d, block),
            "activity": changed}
