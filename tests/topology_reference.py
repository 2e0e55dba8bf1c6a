"""An independent, cell-by-cell statement of the bounded-grid topologies (Golly's help pages).

Tests compare `alife.core.topology.pad` and every family's neighbourhoods against this.
"""

from __future__ import annotations


def cell_beyond(kind: str, twist: str, h: int, w: int, y: int, x: int) -> tuple[int, int] | None:
    """The grid cell found at (y, x), which may lie outside the grid; None where it is dead."""
    if 0 <= y < h and 0 <= x < w:
        return y, x
    if kind == "plane":
        return None
    if kind == "torus":
        return y % h, x % w
    if kind == "sphere":  # top edge = left edge, bottom edge = right edge
        if y < 0 and 0 <= x < w:
            return x, -y - 1
        if y >= h and 0 <= x < w:
            return x, w - 1 - (y - h)
        if x < 0 and 0 <= y < h:
            return -x - 1, y
        if x >= w and 0 <= y < h:
            return h - 1 - (x - w), y
        corners = {(-1, -1): (0, 0), (-1, w): (0, w - 1), (h, -1): (h - 1, 0),
                   (h, w): (h - 1, w - 1)}
        return corners.get((y, x))
    flip_x = kind == "cross" or (kind == "klein" and twist == "x")
    flip_y = kind == "cross" or (kind == "klein" and twist == "y")
    if not 0 <= y < h:
        y %= h
        if flip_x:
            x = w - 1 - x
    if not 0 <= x < w:
        x %= w
        if flip_y:
            y = h - 1 - y
    return y, x
