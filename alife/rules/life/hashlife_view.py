"""Drawing a HashLife universe (alife.rules.life.hashlife) at any zoom, as Golly draws it.

`QuadtreeView(universe).render(x0, y0, width, height, shift)` fills a uint8 array with one pixel
per 2^shift x 2^shift square of cells of the plane rectangle [x0, x0 + width) x [y0, y0 +
height): 1 where any cell of the square is alive. So a zoomed-out view of a metapixel pattern
shows where its cells are without listing them.

Cost: the walk goes down the quadtree only where a node overlaps the rectangle, to nodes whose
picture is at most `TILE` pixels on a side; each such node's picture is built once from its
children's (memoised by node id, so repeated blocks cost nothing more) and copied in. The memo
is dropped when the universe's node table is rebuilt (`Universe.epoch` changes) or holds more
than `MAX_TILE_BYTES`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: the largest memoised picture, in pixels per side (a power of two)
TILE = 256
#: bytes of memoised pictures kept before the memo is dropped
MAX_TILE_BYTES = 256 << 20

_LEAF_PICTURES = [np.array([[n & 1, (n >> 1) & 1], [(n >> 2) & 1, (n >> 3) & 1]], np.uint8)
                  for n in range(16)]
_ONE = np.ones((1, 1), np.uint8)
_ZERO = np.zeros((1, 1), np.uint8)


def align(universe: Any, x: int, y: int, shift: int) -> tuple[int, int]:
    """The corner at or up-left of (x, y) that `QuadtreeView.render` takes at `shift`."""
    step = 1 << shift
    oy = universe.origin_y
    return x // step * step, (y - oy) // step * step + oy


class QuadtreeView:
    """Pictures of one universe's quadtree (see the module docstring)."""

    def __init__(self, universe: Any) -> None:
        self.universe = universe
        self._tiles: dict[tuple[int, int], np.ndarray] = {}
        self._bytes = 0
        self._epoch = universe.epoch

    def render(self, x0: int, y0: int, width: int, height: int, shift: int) -> np.ndarray:
        """uint8 [ceil(height / 2^shift), ceil(width / 2^shift)]: 1 where a square of the plane
        rectangle holds a live cell. `x0` and `y0 - universe.origin_y` are multiples of 2^shift
        (`align`), so every pixel is a square of the quadtree."""
        u = self.universe
        if x0 % (1 << shift) or (y0 - u.origin_y) % (1 << shift):
            raise ValueError(f"({x0}, {y0}) is not on the 2^{shift} grid of the quadtree")
        if u.epoch != self._epoch or self._bytes > MAX_TILE_BYTES:
            self._tiles.clear()
            self._bytes = 0
            self._epoch = u.epoch
        step = 1 << shift
        out = np.zeros((-(-height // step), -(-width // step)), np.uint8)
        root = u.root
        level = u.level(root)
        half = 1 << (level - 1)
        # the universe's own coordinates are centred on the root, y shifted by origin_y
        self._blit(root, level, -half - x0, -half - (y0 - u.origin_y), out, shift)
        return out

    def _blit(self, node: int, level: int, nx: int, ny: int, out: np.ndarray,
              shift: int) -> None:
        """Copy `node` (its top-left at (nx, ny) cells from the rectangle's corner) into `out`."""
        u = self.universe
        if u.population(node) == 0:
            return
        size = 1 << level
        rows, cols = out.shape
        step = 1 << shift
        if nx >= cols * step or ny >= rows * step or nx + size <= 0 or ny + size <= 0:
            return
        if size <= TILE << shift:
            picture = self._picture(node, level, shift)
            px, py = nx >> shift, ny >> shift  # floor: a node smaller than a pixel lies in one
            h, w = picture.shape
            top, left = max(py, 0), max(px, 0)
            bottom, right = min(py + h, rows), min(px + w, cols)
            if top < bottom and left < right:
                part = picture[top - py:bottom - py, left - px:right - px]
                np.maximum(out[top:bottom, left:right], part, out=out[top:bottom, left:right])
            return
        half = size >> 1
        nw, ne, sw, se = u.children(node)
        self._blit(nw, level - 1, nx, ny, out, shift)
        self._blit(ne, level - 1, nx + half, ny, out, shift)
        self._blit(sw, level - 1, nx, ny + half, out, shift)
        self._blit(se, level - 1, nx + half, ny + half, out, shift)

    def _picture(self, node: int, level: int, shift: int) -> np.ndarray:
        """The node's picture: [2^(level - shift)] square, or 1 x 1 when the node is no larger
        than a pixel."""
        u = self.universe
        if level <= shift:
            return _ONE if u.population(node) else _ZERO
        if level == 1:
            return _LEAF_PICTURES[node]
        key = (node, shift)
        found = self._tiles.get(key)
        if found is not None:
            return found
        side = 1 << (level - shift)
        if u.population(node) == 0:
            picture = np.zeros((side, side), np.uint8)
        else:
            nw, ne, sw, se = u.children(node)
            parts = [self._picture(k, level - 1, shift) for k in (nw, ne, sw, se)]
            picture = np.block([[parts[0], parts[1]], [parts[2], parts[3]]])
        self._tiles[key] = picture
        self._bytes += picture.nbytes
        return picture
