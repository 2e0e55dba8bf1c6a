"""Cells in and out of the multi-state HashLife universe (`alife.rules.ruletable.hashlife`):
building the quadtree from sparse (x, y, state) cells, listing them back, the bounding box and a
dense picture of it. Coordinates are Golly's (y down; the universe's `origin_y` convention).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from alife.core.errors import AlifeError
from alife.core.quadtree_box import QuadtreeBox

#: the largest root level (as the engine)
MAX_LEVEL = 62
#: (dx, dy) of a leaf's four cells, nw ne sw se
_LEAF_CELLS = ((0, 0), (1, 0), (0, 1), (1, 1))


class CellsMixin(QuadtreeBox):
    """set_cells / cells / bounding_box / to_array of `hashlife.Universe`."""

    root: int
    origin_y: int
    n_states: int
    _kids: list[tuple[int, int, int, int]]
    _level: list[int]
    _pop: list[int]

    def leaf(self, nw: int, ne: int, sw: int, se: int) -> int: ...
    def join(self, nw: int, ne: int, sw: int, se: int) -> int: ...
    def empty(self, level: int) -> int: ...

    def set_cells(self, xs: np.ndarray, ys: np.ndarray, states: np.ndarray) -> None:
        """Replace the universe with cells of `states` at (xs, ys); state 0 cells are left out
        (generation unchanged)."""
        xs = np.asarray(xs, dtype=np.int64).ravel()
        ys = np.asarray(ys, dtype=np.int64).ravel() - self.origin_y
        states = np.asarray(states, dtype=np.int64).ravel()
        if not xs.size == ys.size == states.size:
            raise AlifeError(f"set_cells wants as many states as cells; got {xs.size} x, "
                             f"{ys.size} y, {states.size} states")
        n = self.n_states
        if states.size and (states.min() < 0 or states.max() >= n):
            raise AlifeError(f"cell states lie in 0..{n - 1} for this rule; got "
                             f"{int(states.min())}..{int(states.max())}")
        keep = states != 0
        xs, ys, states = xs[keep], ys[keep], states[keep]
        reach = int(max(np.abs(xs).max(initial=0), np.abs(ys).max(initial=0))) + 1
        level = 3
        while (1 << (level - 1)) < reach:
            level += 1
        if level > MAX_LEVEL:
            raise AlifeError("cells lie too far from the origin for HashLife")
        half = 1 << (level - 1)
        self.root = self._build(xs + half, ys + half, states, level)

    def _build(self, us: np.ndarray, vs: np.ndarray, states: np.ndarray, level: int) -> int:
        """Bottom-up construction from non-negative coordinates inside a 2^level square."""
        if us.size == 0:
            return self.empty(level)
        keys = ((vs >> 1) << 32) | (us >> 1)
        quadrant = (us & 1) + 2 * (vs & 1)
        order = np.lexsort((quadrant, keys))
        keys, quadrant, states = keys[order], quadrant[order], states[order]
        new = np.r_[True, keys[1:] != keys[:-1]]
        starts = np.flatnonzero(new)
        group = np.cumsum(new) - 1
        quads = np.zeros((starts.size, 4), dtype=np.int64)
        quads[group, quadrant] = states
        ids = np.fromiter((self.leaf(*row) for row in quads.tolist()), dtype=np.int64,
                          count=starts.size)
        bu, bv = keys[starts] & 0xFFFFFFFF, keys[starts] >> 32
        for lev in range(2, level + 1):
            quadrant = (bu & 1) + 2 * (bv & 1)
            parent = ((bv >> 1) << 32) | (bu >> 1)
            order = np.lexsort((quadrant, parent))
            parent, quadrant, ids = parent[order], quadrant[order], ids[order]
            new = np.r_[True, parent[1:] != parent[:-1]]
            starts = np.flatnonzero(new)
            quads = np.full((starts.size, 4), self.empty(lev - 1), dtype=np.int64)
            quads[np.cumsum(new) - 1, quadrant] = ids
            ids = np.fromiter((self.join(*row) for row in quads.tolist()), dtype=np.int64,
                              count=starts.size)
            bu, bv = parent[starts] & 0xFFFFFFFF, parent[starts] >> 32
        return int(ids[0])

    def cells(self, limit: int = 50_000_000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(xs, ys, states) of every non-zero cell; AlifeError past `limit` cells."""
        if self._pop[self.root] > limit:
            raise AlifeError(f"the pattern has {self._pop[self.root]} cells, more than {limit} "
                             "can be listed; write it as a macrocell (.mc) file")
        half = 1 << (self._level[self.root] - 1)
        xs: list[int] = []
        ys: list[int] = []
        ss: list[int] = []
        for x, y, leaf in self._leaf_walk(self.root, -half, -half):
            for s, (dx, dy) in zip(self._kids[leaf], _LEAF_CELLS, strict=True):
                if s:
                    xs.append(x + dx)
                    ys.append(y + dy + self.origin_y)
                    ss.append(s)
        return (np.asarray(xs, dtype=np.int64), np.asarray(ys, dtype=np.int64),
                np.asarray(ss, dtype=np.uint8))

    def cell(self, x: int, y: int) -> int:
        """The state of the cell at plane (x, y): a walk from the root down to its leaf,
        O(levels), no memo; 0 outside the root."""
        node, level = self.root, self._level[self.root]
        u, v = x + (1 << (level - 1)), y - self.origin_y + (1 << (level - 1))
        if not (0 <= u < 1 << level and 0 <= v < 1 << level):
            return 0
        kids, pop = self._kids, self._pop
        while pop[node]:
            level -= 1
            quadrant = ((u >> level) & 1) + 2 * ((v >> level) & 1)
            if level == 0:
                return int(kids[node][quadrant])
            node = kids[node][quadrant]
        return 0

    def _leaf_walk(self, node: int, x: int, y: int) -> Iterator[tuple[int, int, int]]:
        stack = [(node, x, y)]
        kids, level, pop = self._kids, self._level, self._pop
        while stack:
            node, x, y = stack.pop()
            if pop[node] == 0:
                continue
            if level[node] == 1:
                yield x, y, node
                continue
            half = 1 << (level[node] - 1)
            nw, ne, sw, se = kids[node]
            stack += [(se, x + half, y + half), (sw, x, y + half), (ne, x + half, y),
                      (nw, x, y)]

    def _leaf_line(self, leaf: int, side: int) -> tuple[bool, bool]:
        """(west, east) columns (side < 2) or (north, south) rows of a leaf: occupied or not."""
        nw, ne, sw, se = self._kids[leaf]
        return (bool(nw or sw), bool(ne or se)) if side < 2 else (bool(nw or ne), bool(sw or se))

    def to_array(self, max_cells: int = 1 << 26) -> tuple[np.ndarray, int, int]:
        """(states [H, W] uint8 over the bounding box, x of column 0, y of row 0)."""
        box = self.bounding_box()
        if box is None:
            return np.zeros((0, 0), dtype=np.uint8), 0, 0
        x0, y0, x1, y1 = box
        height, width = y1 - y0 + 1, x1 - x0 + 1
        if height * width > max_cells:
            raise AlifeError(f"the pattern's bounding box is {width} x {height} cells, too large "
                             f"for a grid; write it as a macrocell (.mc) file")
        xs, ys, ss = self.cells()
        grid = np.zeros((height, width), dtype=np.uint8)
        grid[ys - y0, xs - x0] = ss
        return grid, x0, y0
