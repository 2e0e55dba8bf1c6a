"""Golly's macrocell files (`.mc`, two-state or multi-state) read into a dense grid (a Pattern),
for the rules that run on a fixed grid (rule tables, JvN, WireWorld's `primes.mc`).

The format, as Golly's Help (File Formats, "Macrocell format") gives it: a first line starting
`[M2]`; `#R rule`, `#G generation` and other `#` comment lines; then a quadtree, children before
parents, one node per line, numbered from 1 (0 stands for an empty square of any size):

- two-state leaves are 8x8 rasters (`.` dead, `*` alive, `$` ends a row; trailing dead cells and
  rows left out), e.g. `$$..*$...*$.***$$$$` (a glider);
- multi-state leaves are `1 nw ne sw se`: a 2x2 square of states;
- inner nodes are `k nw ne sw se`: a 2^k square from four children of size 2^(k-1), given by
  number (k >= 4 above raster leaves, k >= 2 above 2x2 leaves).

The last node is the root; the top-left cell of its south-east child is at (x = 0, y = 1). The
grid is the bounding box of the cells that are not 0; its top-left corner becomes the Pattern's
`position`. A pattern whose bounding box is over `patterns.MAX_CELLS` cells is refused with its
size (the HashLife route, `alife.rules.life.macrocell`, runs two-state Life-like patterns of any
size). Two-state Life-like `.mc` files still go to HashLife in `alife run` (`--engine`).
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError
from alife.core.macrocell_text import comment_text, parse_generation, raster_rows
from alife.scene.patterns import Pattern, check_size

#: largest node level accepted (a square of 2^62 cells on a side)
MAX_LEVEL = 62
#: nodes at or below this level are kept as small arrays; larger ones are placed recursively
BLOCK_LEVEL = 4
#: the most nodes a file may define
MAX_NODES = 1 << 24
#: how much of a file `header_rule` reads
HEAD_BYTES = 1 << 16


def parse_macrocell(text: str, where: str = "<mc>") -> Pattern:
    """A macrocell file's text as a dense Pattern (module docstring)."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("[M2]"):
        raise AlifeError("a macrocell file starts with a line '[M2] ...'", where=f"{where}:1")
    rule: str | None = None
    generation: int | None = None
    comments: list[str] = []
    levels: list[int] = [0]
    kids: list[tuple[int, int, int, int] | None] = [None]
    leaves: dict[int, np.ndarray] = {}
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        at = f"{where}:{number}"
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#R"):
                rule = line[2:].strip() or None
            elif line.startswith("#G"):
                generation = parse_generation(line, at)
            else:
                comments.append(comment_text(line))
            continue
        if len(levels) > MAX_NODES:
            raise AlifeError(f"over {MAX_NODES} nodes; expected a smaller file", where=at)
        if line[0] in ".*$":
            leaves[len(levels)] = _raster(line, at)
            levels.append(3)
            kids.append(None)
            continue
        level, children = _node_line(line, at)
        if level == 1:
            leaves[len(levels)] = _two_by_two(children, at)
            levels.append(1)
            kids.append(None)
            continue
        for child in children:
            if not 0 <= child < len(levels):
                raise AlifeError(f"node {child} is not defined before this line", where=at)
            if child and levels[child] != level - 1:
                raise AlifeError(f"node {child} has level {levels[child]}; a level-{level} node "
                                 f"needs level-{level - 1} children", where=at)
        levels.append(level)
        kids.append(children)  # type: ignore[arg-type]
    if len(levels) == 1:
        raise AlifeError("no nodes: a macrocell file ends with its quadtree", where=where)
    cells, x0, y0 = _dense(levels, kids, leaves, where)
    return Pattern(cells, rule=rule, comments=comments, position=(x0, y0),
                   generation=generation)


def _node_line(line: str, at: str) -> tuple[int, tuple[int, int, int, int]]:
    parts = line.split()
    try:
        values = [int(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 5 or min(values) < 0:
        raise AlifeError(f"a node line is 'level nw ne sw se' (five whole numbers); got "
                         f"{line[:60]!r}", where=at)
    level = values[0]
    if not 1 <= level <= MAX_LEVEL:
        raise AlifeError(f"a node's level is 1..{MAX_LEVEL}; got {level}", where=at)
    return level, (values[1], values[2], values[3], values[4])


def _two_by_two(states: tuple[int, int, int, int], at: str) -> np.ndarray:
    if max(states) > 255:
        raise AlifeError(f"a cell state is 0..255; got {max(states)}", where=at)
    return np.array(states, np.uint8).reshape(2, 2)


def _raster(line: str, at: str) -> np.ndarray:
    return np.array(raster_rows(line, at), np.uint8)


def _dense(levels: list[int], kids: list, leaves: dict[int, np.ndarray],
           where: str) -> tuple[np.ndarray, int, int]:
    """(cells of the bounding box, x and y of its top-left cell in Golly's coordinates)."""
    count = len(levels)
    # bounding box of the non-zero cells of each node, relative to its top-left: (y0, x0, y1, x1)
    box: list[tuple[int, int, int, int] | None] = [None] * count
    for i in range(1, count):
        if i in leaves:
            ys, xs = np.nonzero(leaves[i])
            box[i] = (int(ys.min()), int(xs.min()), int(ys.max()) + 1,
                      int(xs.max()) + 1) if ys.size else None
            continue
        half = 1 << (levels[i] - 1)
        found = None
        for child, (dy, dx) in zip(kids[i], ((0, 0), (0, half), (half, 0), (half, half)),
                                   strict=True):
            b = box[child] if child else None
            if b is None:
                continue
            b = (b[0] + dy, b[1] + dx, b[2] + dy, b[3] + dx)
            found = b if found is None else (min(found[0], b[0]), min(found[1], b[1]),
                                             max(found[2], b[2]), max(found[3], b[3]))
        box[i] = found
    root = count - 1
    half = 1 << (levels[root] - 1)
    if box[root] is None:
        return np.zeros((0, 0), np.uint8), -half, 1 - half
    y0, x0, y1, x1 = box[root]  # type: ignore[misc]
    check_size(x1 - x0, y1 - y0, where)
    out = np.zeros((y1 - y0, x1 - x0), np.uint8)
    blocks: dict[int, np.ndarray] = {}

    def block(node: int) -> np.ndarray:
        found = blocks.get(node)
        if found is None:
            if node in leaves:
                found = leaves[node]
            else:
                side = 1 << levels[node]
                h = side // 2
                found = np.zeros((side, side), np.uint8)
                for child, (dy, dx) in zip(kids[node], ((0, 0), (0, h), (h, 0), (h, h)),
                                           strict=True):
                    if child:
                        found[dy:dy + h, dx:dx + h] = block(child)
            blocks[node] = found
        return found

    stack = [(root, -y0, -x0)]  # node and its top-left in `out`'s coordinates
    while stack:
        node, top, left = stack.pop()
        if box[node] is None:
            continue
        if levels[node] <= BLOCK_LEVEL or node in leaves:
            b = block(node)
            side = b.shape[0]
            ys, xs = max(0, -top), max(0, -left)
            ye, xe = min(side, out.shape[0] - top), min(side, out.shape[1] - left)
            if ye > ys and xe > xs:
                region = out[top + ys:top + ye, left + xs:left + xe]
                np.maximum(region, b[ys:ye, xs:xe], out=region)
            continue
        h = 1 << (levels[node] - 1)
        for child, (dy, dx) in zip(kids[node], ((0, 0), (0, h), (h, 0), (h, h)), strict=True):
            if child:
                stack.append((child, top + dy, left + dx))
    return out, x0 - half, y0 - half + 1



def header_rule(path: str | Path) -> str | None:
    """The `#R` rule of a macrocell file (plain, `.gz` or in an archive), read from its first
    lines only, or None when it names none (Golly then assumes B3/S23)."""
    from alife.scene.readers import packed_bytes

    data, name, _ = packed_bytes(path)
    if name.lower().endswith(".gz"):
        try:
            data = zlib.decompressobj(wbits=31).decompress(data, HEAD_BYTES)
        except zlib.error:
            return None  # the full read says what is wrong
    for line in data[:HEAD_BYTES].decode("latin-1").splitlines()[1:]:
        if not line.startswith("#"):
            break
        if line.startswith("#R"):
            return line[2:].strip() or None
    return None
