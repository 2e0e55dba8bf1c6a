"""Tiles and the 5x5 templates derived from them (Hoffmann 2024, "Touching Loop Patterns with
Cellular Automata", arXiv:2410.13425).

A tile is a 3x3 pattern written row by row, rows separated by `/`: `0`, `1` are cared pixels and
`-` a pixel of the tile whose value does not matter. For every tile and every pixel p of it, the
tile is placed in a 5x5 window so that p falls on the window's centre: that is one template. A
template's centre value is p's value (-1 for `-`: any value); its care mask marks the tile's
cared pixels; it is *anchored* when p is the tile's own centre (the tile sits on the cell
itself). Every 3x3 window that contains a cell lies inside the 5x5 window around it, which is
why 5x5 templates suffice.

`TOUCHING_LOOPS`: the six path tiles whose centre is a path cell (1) with exactly two orthogonal
path neighbours: two straights and four corners. Their diagonal pixels may hold anything, so
loops may touch diagonally, and a 0-cell anywhere in such a tile's 3x3 footprint is covered.
Tiles of a bank may be rotated and reflected (`symmetric=True`); duplicates are dropped.
"""

from __future__ import annotations

import numpy as np

from alife.core.errors import AlifeError

TOUCHING_LOOPS = (
    "-0-/111/-0-",  # straight, horizontal
    "-1-/010/-1-",  # straight, vertical
    "-1-/011/-0-",  # corner: up and right
    "-1-/110/-0-",  # corner: up and left
    "-0-/011/-1-",  # corner: down and right
    "-0-/110/-1-",  # corner: down and left
)
BANKS = {"touching_loops": TOUCHING_LOOPS}


def parse_tile(text: str) -> tuple[np.ndarray, np.ndarray]:
    """`(values, care)`, both int8 [3, 3], from a tile's text (value -1 where `-`)."""
    rows = [r.strip() for r in str(text).split("/")]
    if len(rows) != 3 or any(len(r) != 3 for r in rows):
        raise AlifeError(f"tile {text!r}: expected 3 rows of 3 pixels like '-0-/111/-0-'",
                         where="tiles")
    bad = {c for r in rows for c in r} - set("01-")
    if bad:
        raise AlifeError(f"tile {text!r}: unknown pixel {sorted(bad)[0]!r}; expected 0, 1 or -",
                         where="tiles")
    values = np.array([[{"1": 1, "0": 0, "-": -1}[c] for c in r] for r in rows], np.int8)
    care = np.array([[0 if c == "-" else 1 for c in r] for r in rows], np.int8)
    if not care.any():
        raise AlifeError(f"tile {text!r} has no pixels", where="tiles")
    return values, care


def symmetries(values: np.ndarray, care: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The tile under the 8 rotations and reflections of the square."""
    out = []
    for flip in (False, True):
        v, c = (values[:, ::-1], care[:, ::-1]) if flip else (values, care)
        for k in range(4):
            out.append((np.rot90(v, k), np.rot90(c, k)))
    return out


def derive(tiles: list[str] | tuple[str, ...], symmetric: bool = False
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Templates of a tile bank: `values`, `care` int8 [K, 5, 5], `centre` int8 [K] (the value
    a matching cell takes; -1: any), `anchored` bool [K] (the tile sits centred on the cell)."""
    shapes = [parse_tile(t) for t in tiles]
    if symmetric:
        shapes = [s for v, c in shapes for s in symmetries(v, c)]
    seen: set[bytes] = set()
    values, cares, centres, anchors = [], [], [], []
    for v, c in shapes:
        for py, px in np.ndindex(3, 3):
            tv = np.zeros((5, 5), np.int8)
            tc = np.zeros((5, 5), np.int8)
            top, left = 2 - py, 2 - px  # the tile's pixel (py, px) lands on the centre (2, 2)
            tv[top:top + 3, left:left + 3] = np.maximum(v, 0)
            tc[top:top + 3, left:left + 3] = c
            key = tv.tobytes() + tc.tobytes() + bytes([int(py == 1 and px == 1)])
            if key in seen:
                continue
            seen.add(key)
            values.append(tv)
            cares.append(tc)
            centres.append(v[py, px])
            anchors.append(py == 1 and px == 1)
    return (np.stack(values), np.stack(cares), np.asarray(centres, np.int8),
            np.asarray(anchors, bool))
