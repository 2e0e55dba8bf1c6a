"""Time series of a rule's `metrics` for the statistics panel: one point per shown frame.

Points are keyed by generation. Going back in time (step back, undo, reset) drops the points
from the abandoned future, so the plot always shows the history that led to the current state.
The log keeps at most `capacity` points, thinning the older half by two when full (so a long
run still spans its whole history at a coarser resolution).
"""

from __future__ import annotations

import numpy as np


class MetricsLog:
    def __init__(self, capacity: int = 4000) -> None:
        self.capacity = capacity
        self._gen: list[float] = []
        self._values: dict[str, list[float]] = {}

    def __len__(self) -> int:
        return len(self._gen)

    def clear(self) -> None:
        self._gen.clear()
        self._values.clear()

    def append(self, generation: int, metrics: dict[str, float]) -> None:
        if self._gen and generation <= self._gen[-1]:
            self.truncate(generation)
        names = [k for k in metrics if k != "generation"]
        if set(names) != set(self._values):
            self.clear()
            self._values = {k: [] for k in names}
        self._gen.append(float(generation))
        for k in names:
            self._values[k].append(float(metrics[k]))
        if len(self._gen) > self.capacity:
            self._thin()

    def truncate(self, generation: int) -> None:
        """Forget every point at or after `generation`."""
        keep = int(np.searchsorted(np.asarray(self._gen), generation, side="left"))
        del self._gen[keep:]
        for v in self._values.values():
            del v[keep:]

    def _thin(self) -> None:
        half = len(self._gen) // 2
        idx = list(range(0, half, 2)) + list(range(half, len(self._gen)))
        self._gen = [self._gen[i] for i in idx]
        self._values = {k: [v[i] for i in idx] for k, v in self._values.items()}

    def names(self) -> list[str]:
        return list(self._values)

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(generations, values) as float64 arrays."""
        return np.asarray(self._gen, np.float64), np.asarray(self._values[name], np.float64)
