"""2-D camera over a cell grid: centre (in cell coordinates) and zoom (screen pixels per cell).

API (`Camera`):
    Camera(centre=(row, col), zoom=px_per_cell)
    .fit(grid_hw, viewport_wh)                 centre the grid; largest zoom showing all of it
                                               (a whole number when >= 1, so pixels stay crisp)
    .zoom_at(screen_xy, factor, viewport)      zoom by `factor`, keeping the cell under the cursor
    .step_zoom(screen_xy, steps, viewport)     wheel zoom: `steps` notches along ZOOM_LEVELS
                                               (whole numbers from 1 up: cells stay crisp)
    .pan(dx_px, dy_px)                         move the picture by a mouse drag of (dx, dy) pixels
    .screen_to_cell(x, y, viewport) -> (row: float, col: float)
    .cell_to_screen(row, col, viewport) -> (x: float, y: float)
    .origin(viewport) -> (x, y)                screen position of the top-left corner of cell (0, 0)
    .visible_cells(viewport) -> (row0, col0, row1, col1)   the cell rectangle on screen (clipped
                                               to nothing: may extend past the grid)

Conventions. Cell (r, c) covers the square [r, r+1) x [c, c+1) in continuous cell coordinates;
cell (0, 0) is the top-left of the array. Screen coordinates are pixels from the viewport's top-left
corner, x right, y down (mouse coordinates; subtract the viewport's origin first). `viewport` is
(w, h) or (x, y, w, h); only its size is used. At a whole-number zoom the origin snaps to a whole
pixel, so every cell is exactly `zoom` pixels wide (crisp pixels); `GridRenderer.draw` uses the
same `origin`, so a picked cell is the drawn cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_ZOOM = 1.0 / 64.0
MAX_ZOOM = 256.0
#: zoom levels for wheel notches: powers of two below 1, whole numbers (about x1.25-1.5) above
ZOOM_LEVELS = (1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0,
               10.0, 12.0, 16.0, 20.0, 24.0, 32.0, 40.0, 48.0, 64.0, 80.0, 96.0, 128.0, 160.0,
               192.0, 256.0)


def _size(viewport: Sequence[float]) -> tuple[float, float]:
    if len(viewport) == 4:
        return float(viewport[2]), float(viewport[3])
    if len(viewport) == 2:
        return float(viewport[0]), float(viewport[1])
    raise ValueError(f"viewport must be (w, h) or (x, y, w, h), got {tuple(viewport)}")


def is_whole(zoom: float) -> bool:
    """True if `zoom` is (numerically) a whole number of pixels per cell."""
    return zoom >= 1.0 and abs(zoom - round(zoom)) < 1e-6


@dataclass
class Camera:
    """Where the view looks (`centre`, as (row, col) cell coordinates) and how close (`zoom`)."""

    centre: tuple[float, float] = (0.0, 0.0)
    zoom: float = 1.0
    min_zoom: float = MIN_ZOOM
    max_zoom: float = MAX_ZOOM

    # ---- placement ---------------------------------------------------------------------------
    def origin(self, viewport: Sequence[float]) -> tuple[float, float]:
        """Screen (x, y) of the top-left corner of cell (0, 0); whole pixels at whole zooms."""
        w, h = _size(viewport)
        x = w / 2.0 - self.centre[1] * self.zoom
        y = h / 2.0 - self.centre[0] * self.zoom
        if is_whole(self.zoom):
            x, y = math.floor(x + 0.5), math.floor(y + 0.5)
        return float(x), float(y)

    def screen_to_cell(self, x: float, y: float, viewport: Sequence[float]) -> tuple[float, float]:
        """Continuous (row, col) under screen point (x, y); `floor` it to pick a cell."""
        ox, oy = self.origin(viewport)
        return (y - oy) / self.zoom, (x - ox) / self.zoom

    def cell_to_screen(self, row: float, col: float,
                       viewport: Sequence[float]) -> tuple[float, float]:
        """Screen (x, y) of continuous cell point (row, col) (a cell's corner at integer values)."""
        ox, oy = self.origin(viewport)
        return ox + col * self.zoom, oy + row * self.zoom

    def visible_cells(self, viewport: Sequence[float]) -> tuple[int, int, int, int]:
        """(row0, col0, row1, col1): cells at least partly on screen, half-open on the far side."""
        w, h = _size(viewport)
        r0, c0 = self.screen_to_cell(0.0, 0.0, viewport)
        r1, c1 = self.screen_to_cell(w, h, viewport)
        return math.floor(r0), math.floor(c0), math.ceil(r1), math.ceil(c1)

    # ---- moves -------------------------------------------------------------------------------
    def fit(self, grid_hw: Sequence[int], viewport_wh: Sequence[float]) -> Camera:
        """Centre the whole grid in the viewport at the largest zoom that shows all of it.

        The zoom is rounded down to a whole number when it is at least 1 (crisp square cells).
        Returns self, so `Camera().fit(...)` reads naturally.
        """
        rows, cols = int(grid_hw[0]), int(grid_hw[1])
        w, h = _size(viewport_wh)
        zoom = min(w / max(cols, 1), h / max(rows, 1))
        if zoom >= 1.0:
            zoom = float(math.floor(zoom + 1e-9))
        self.zoom = min(max(zoom, self.min_zoom), self.max_zoom)
        self.centre = (rows / 2.0, cols / 2.0)
        return self

    def zoom_at(self, screen_xy: Sequence[float], factor: float,
                viewport: Sequence[float]) -> None:
        """Multiply the zoom by `factor`, keeping the cell point under `screen_xy` in place.

        At whole zooms the point may move by under half a pixel (the origin snaps to pixels).
        """
        x, y = float(screen_xy[0]), float(screen_xy[1])
        w, h = _size(viewport)
        row, col = self.screen_to_cell(x, y, viewport)
        zoom = min(max(self.zoom * float(factor), self.min_zoom), self.max_zoom)
        if abs(zoom - round(zoom)) < 1e-6 * max(zoom, 1.0):
            zoom = float(round(zoom))
        self.zoom = zoom
        self.centre = (row - (y - h / 2.0) / zoom, col - (x - w / 2.0) / zoom)

    def step_zoom(self, screen_xy: Sequence[float], steps: int,
                  viewport: Sequence[float]) -> None:
        """Zoom `steps` notches (positive: in) along ZOOM_LEVELS about the cursor.

        From a zoom between two levels, the first notch goes to the next level in that
        direction, so any zoom returns to crisp whole numbers after one notch.
        """
        steps = int(steps)
        if steps == 0:
            return
        levels = [z for z in ZOOM_LEVELS if self.min_zoom <= z <= self.max_zoom]
        eps = 1e-9 * max(self.zoom, 1.0)
        if steps > 0:
            above = [i for i, z in enumerate(levels) if z > self.zoom + eps]
            index = above[0] + steps - 1 if above else len(levels) - 1
        else:
            below = [i for i, z in enumerate(levels) if z < self.zoom - eps]
            index = below[-1] + steps + 1 if below else 0
        target = levels[min(max(index, 0), len(levels) - 1)]
        self.zoom_at(screen_xy, target / self.zoom, viewport)
        self.zoom = target  # exact, whatever rounding the factor went through

    def pan(self, dx_px: float, dy_px: float) -> None:
        """Move the picture with the mouse: content follows a drag of (dx, dy) screen pixels."""
        self.centre = (self.centre[0] - dy_px / self.zoom, self.centre[1] - dx_px / self.zoom)
