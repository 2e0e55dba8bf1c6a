"""The bounding box of a HashLife quadtree, shared by the two-state and multi-state universes:
each side's first or last occupied column/row found by descending only into non-empty children,
memoised per (node, side), so a huge sparse pattern costs its distinct nodes, not its area.

A universe that mixes in `QuadtreeBox` provides `root`, `origin_y` (Golly's y of the root's
centre), `_kids`, `_level`, `_pop` and `_leaf_line(leaf, side)`: whether the leaf's (west, east)
columns (side 0 or 1) or (north, south) rows (side 2 or 3) hold a live cell.
"""

from __future__ import annotations

from typing import Any


class QuadtreeBox:
    """`bounding_box()` of a HashLife universe (module docstring)."""

    root: int
    origin_y: int
    _kids: Any
    _level: Any
    _pop: Any

    def bounding_box(self) -> tuple[int, int, int, int] | None:
        """(x_min, y_min, x_max, y_max) of the non-zero cells, inclusive; None when empty."""
        if self._pop[self.root] == 0:
            return None
        memo: dict[tuple[int, int], int] = {}
        half = 1 << (self._level[self.root] - 1)
        x0 = self._edge(self.root, 0, memo) - half
        x1 = self._edge(self.root, 1, memo) - half
        y0 = self._edge(self.root, 2, memo) - half + self.origin_y
        y1 = self._edge(self.root, 3, memo) - half + self.origin_y
        return x0, y0, x1, y1

    def _edge(self, node: int, side: int, memo: dict[tuple[int, int], int]) -> int:
        """The first (side 0: min x, 2: min y) or last (1: max x, 3: max y) occupied column/row
        of a non-empty node, relative to its top-left corner."""
        key = (node, side)
        found = memo.get(key)
        if found is not None:
            return found
        if self._level[node] == 1:
            near_live, far_live = self._leaf_line(node, side)  # type: ignore[attr-defined]
            result = (0 if near_live else 1) if side % 2 == 0 else (1 if far_live else 0)
        else:
            half = 1 << (self._level[node] - 1)
            nw, ne, sw, se = self._kids[node]
            # (near pair, far pair) along the axis: west/east for x, north/south for y
            near, far = ((nw, sw), (ne, se)) if side < 2 else ((nw, ne), (sw, se))
            pick = [n for n in near if self._pop[n]], [n for n in far if self._pop[n]]
            if side % 2 == 0:
                if pick[0]:
                    result = min(self._edge(n, side, memo) for n in pick[0])
                else:
                    result = half + min(self._edge(n, side, memo) for n in pick[1])
            elif pick[1]:
                result = half + max(self._edge(n, side, memo) for n in pick[1])
            else:
                result = max(self._edge(n, side, memo) for n in pick[0])
        memo[key] = result
        return result
