"""HashLife's outer loop, shared by the two-state and the multi-state universes: any number of
generations as a sum of powers of two, each one HashLife step of 2^j generations on a root grown
until the pattern sits in its central quarter (so nothing leaves the part that is computed).

A universe that mixes in `PowerSteps` provides `root`, `generation`, `_level`, `expand(node)`,
`_in_core(node)`, `_advance(node, j)` (the centre of `node` after 2^j generations),
`node_count`, `max_nodes` and `collect()`.
"""

from __future__ import annotations

import sys
from typing import Any

from alife.core.errors import AlifeError

#: the largest root level (2^62 cells on a side is far beyond anything a step reaches)
MAX_LEVEL = 62


class PowerSteps:
    """`advance(n)` and `step_power(j)` for a HashLife universe (module docstring)."""

    root: int
    generation: int
    _level: Any
    max_nodes: int

    def advance(self, generations: int) -> None:
        """Step the universe `generations` (any non-negative int) forward."""
        if generations < 0:
            raise AlifeError(f"generations must be >= 0; got {generations}")
        j = 0
        while generations >> j:
            if (generations >> j) & 1:
                self.step_power(j)
            j += 1

    def step_power(self, j: int) -> None:
        """Step 2^j generations in one HashLife step (the node table is rebuilt after it when
        it passed `max_nodes`)."""
        root = self.root
        while self._level[root] < j + 3 or not self._in_core(root):  # type: ignore[attr-defined]
            if self._level[root] >= MAX_LEVEL:
                raise AlifeError("the pattern grew past HashLife's largest universe")
            root = self.expand(root)  # type: ignore[attr-defined]
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, 20 * MAX_LEVEL + 1000))
        try:
            self.root = self._advance(root, j)  # type: ignore[attr-defined]
        finally:
            sys.setrecursionlimit(old_limit)
        self.generation += 1 << j
        if self.node_count > self.max_nodes:  # type: ignore[attr-defined]
            self.collect()  # type: ignore[attr-defined]
