"""Host-side editing helpers on cell grids (NumPy): brush masks, pattern transforms, selections.

All functions are pure and work on `[H, W]` arrays in (row, col) order. `wrap=True` places what
falls off one edge on the opposite edge (a torus, as most worlds are); `wrap=False` clips.
Rotation counts quarter turns clockwise, as Golly's "Rotate Clockwise" does; a flip is applied
before the rotation (left-right mirror, then top-bottom mirror).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Rect:
    """A rectangle of cells: rows [top, bottom) and columns [left, right)."""

    top: int
    left: int
    bottom: int
    right: int

    @staticmethod
    def from_corners(a: tuple[int, int], b: tuple[int, int]) -> Rect:
        """The rectangle spanning two (row, col) corner cells, both included."""
        return Rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]) + 1, max(a[1], b[1]) + 1)

    def clip(self, shape: tuple[int, int]) -> Rect:
        h, w = shape
        return Rect(max(0, min(self.top, h)), max(0, min(self.left, w)),
                    max(0, min(self.bottom, h)), max(0, min(self.right, w)))

    @property
    def height(self) -> int:
        return max(0, self.bottom - self.top)

    @property
    def width(self) -> int:
        return max(0, self.right - self.left)

    @property
    def empty(self) -> bool:
        return self.height == 0 or self.width == 0


def brush_offsets(radius: int, round_tip: bool = True) -> np.ndarray:
    """(dy, dx) offsets of the cells a brush of `radius` covers: `[K, 2]` int.

    Radius 0 is one cell; a round tip keeps offsets with dy^2 + dx^2 <= (radius + 0.5)^2.
    """
    r = max(int(radius), 0)
    dy, dx = np.mgrid[-r:r + 1, -r:r + 1]
    keep = (dy * dy + dx * dx <= (r + 0.5) ** 2) if round_tip else np.ones_like(dy, bool)
    return np.stack([dy[keep], dx[keep]], axis=1)


def line_cells(a: tuple[int, int], b: tuple[int, int]) -> np.ndarray:
    """Cells on the segment from `a` to `b` (both included), no gaps: `[N, 2]` int."""
    n = max(abs(b[0] - a[0]), abs(b[1] - a[1])) + 1
    t = np.linspace(0.0, 1.0, n)
    rows = np.rint(a[0] + t * (b[0] - a[0])).astype(np.int64)
    cols = np.rint(a[1] + t * (b[1] - a[1])).astype(np.int64)
    return np.stack([rows, cols], axis=1)


def stroke_mask(shape: tuple[int, int], a: tuple[int, int], b: tuple[int, int], radius: int,
                round_tip: bool = True, wrap: bool = True) -> np.ndarray:
    """Boolean `[H, W]` mask of a brush dragged from cell `a` to cell `b`."""
    h, w = shape
    points = line_cells(a, b)
    cells = (points[:, None, :] + brush_offsets(radius, round_tip)[None, :, :]).reshape(-1, 2)
    if wrap:
        rows, cols = cells[:, 0] % h, cells[:, 1] % w
    else:
        keep = (cells[:, 0] >= 0) & (cells[:, 0] < h) & (cells[:, 1] >= 0) & (cells[:, 1] < w)
        rows, cols = cells[keep, 0], cells[keep, 1]
    mask = np.zeros(shape, bool)
    mask[rows, cols] = True
    return mask


def transform(pattern: np.ndarray, rotate: int = 0, flip_x: bool = False,
              flip_y: bool = False) -> np.ndarray:
    """Mirror (left-right, then top-bottom), then rotate by `rotate` quarter turns clockwise."""
    out = np.asarray(pattern)
    if flip_x:
        out = out[:, ::-1]
    if flip_y:
        out = out[::-1, :]
    return np.ascontiguousarray(np.rot90(out, k=-(rotate % 4)))


def place(grid: np.ndarray, pattern: np.ndarray, top_left: tuple[int, int], mode: str = "or",
          wrap: bool = True) -> np.ndarray:
    """A copy of `grid` with `pattern` written with its top-left cell at `top_left`.

    mode "copy" writes every pattern cell (zeros too); "or" writes only its non-zero cells
    (Golly's default paste mode); "xor" toggles (discrete grids: non-zero becomes 0, 0 becomes
    the pattern value).
    """
    if mode not in ("copy", "or", "xor"):
        raise ValueError(f"unknown paste mode {mode!r}")
    out = np.array(grid, copy=True)
    h, w = out.shape
    ph, pw = pattern.shape
    rows = top_left[0] + np.arange(ph)
    cols = top_left[1] + np.arange(pw)
    if wrap:
        rr, cc = np.meshgrid(rows % h, cols % w, indexing="ij")
        src = pattern
    else:
        r_ok = (rows >= 0) & (rows < h)
        c_ok = (cols >= 0) & (cols < w)
        rr, cc = np.meshgrid(rows[r_ok], cols[c_ok], indexing="ij")
        src = pattern[np.ix_(r_ok, c_ok)]
    src = src.astype(out.dtype, copy=False)
    if mode == "copy":
        out[rr, cc] = src
    elif mode == "or":
        keep = src != 0
        out[rr[keep], cc[keep]] = src[keep]
    else:
        keep = src != 0
        old = out[rr[keep], cc[keep]]
        out[rr[keep], cc[keep]] = np.where(old != 0, 0, src[keep])
    return out


def extract(grid: np.ndarray, rect: Rect) -> np.ndarray:
    """The cells inside `rect` (clipped to the grid), as a new array."""
    r = rect.clip(grid.shape)
    return np.array(grid[r.top:r.bottom, r.left:r.right], copy=True)


def fill(grid: np.ndarray, rect: Rect, value: float = 0) -> np.ndarray:
    """A copy of `grid` with the cells inside `rect` set to `value`."""
    out = np.array(grid, copy=True)
    r = rect.clip(grid.shape)
    out[r.top:r.bottom, r.left:r.right] = value
    return out


def resize_centered(grid: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """`grid` cropped or zero-padded about its centre to `shape` (for world-size changes)."""
    out = np.zeros(shape, grid.dtype)
    h, w = grid.shape
    nh, nw = shape
    ch, cw = min(h, nh), min(w, nw)
    sy, sx = (h - ch) // 2, (w - cw) // 2
    dy, dx = (nh - ch) // 2, (nw - cw) // 2
    out[dy:dy + ch, dx:dx + cw] = grid[sy:sy + ch, sx:sx + cw]
    return out
