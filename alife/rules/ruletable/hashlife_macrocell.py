"""Golly's macrocell format for the multi-state HashLife universe
(`alife.rules.ruletable.hashlife`): text read straight into the quadtree, node by node (never
through a dense array: Codd's Goucher replicator, 7,562,569 x 819 cells, opens in a second),
and written back.

The format (Golly's Help, "Macrocell format"): `[M2]` first, `#R rule`, `#G generation`, other
`#` lines kept as comments, then nodes children first, numbered from 1 (0 is an empty square of
any size): `1 nw ne sw se` a 2x2 leaf of states, `k nw ne sw se` an inner node of level k, and
in two-state files 8x8 raster leaves (`.`, `*`, `$`). The last node is the root; the top-left
cell of its south-east child is at (0, 1). Files are found and unpacked by
`alife.scene.hashlife_patterns`.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from alife.core.errors import AlifeError
from alife.core.macrocell_text import parse_header, raster_rows
from alife.rules.ruletable.hashlife import MAX_LEVEL, Universe

#: the most nodes a macrocell file may define
MAX_FILE_NODES = 1 << 24


def parse_macrocell(text: str, where: str, universe_for: Callable[[str], Universe]
                    ) -> tuple[Universe, list[str]]:
    """(universe at the file's generation, comment lines) of macrocell text; `universe_for`
    makes the empty universe for the file's rule name."""
    lines = text.splitlines()
    rule, generation, comments, body = parse_header(lines, where)
    universe = universe_for(rule or "B3/S23")
    n = universe.n_states
    nodes, levels = [0], [0]
    for number, raw in enumerate(lines[body:], start=body + 1):
        line = raw.strip()
        if not line:
            continue
        at = f"{where}:{number}"
        if len(nodes) > MAX_FILE_NODES:
            raise AlifeError(f"over {MAX_FILE_NODES} nodes; expected a smaller file", where=at)
        if line[0] in ".*$":
            nodes.append(_raster(universe, line, at))
            levels.append(3)
            continue
        parts = line.split()
        try:
            values = [int(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 5:
            raise AlifeError(f"a node line is 'level nw ne sw se' (five integers); got "
                             f"{line[:60]!r}", where=at)
        level, kids = values[0], values[1:]
        if level == 1:
            if any(not 0 <= s < n for s in kids):
                raise AlifeError(f"leaf states lie in 0..{n - 1} for rule {universe.rule_text};"
                                 f" got {line!r}", where=at)
            nodes.append(universe.leaf(*kids))
        else:
            if not 2 <= level <= MAX_LEVEL:
                raise AlifeError(f"a node's level is 1..{MAX_LEVEL}; got {level}", where=at)
            ids = []
            for child in kids:
                if not 0 <= child < len(nodes):
                    raise AlifeError(f"node {child} is not defined before this line", where=at)
                if child and levels[child] != level - 1:
                    raise AlifeError(f"node {child} has level {levels[child]}; a level-{level}"
                                     f" node needs level-{level - 1} children", where=at)
                ids.append(nodes[child] if child else universe.empty(level - 1))
            nodes.append(universe.join(*ids))
        levels.append(level)
    if len(nodes) == 1:
        raise AlifeError("no nodes: a macrocell file ends with its quadtree", where=where)
    root = nodes[-1]
    while universe.level(root) < 3:
        root = universe.expand(root)  # Golly's root keeps its corner: only tiny files differ
    universe.root = root
    universe.generation = generation
    return universe, comments


def _raster(universe: Universe, line: str, at: str) -> int:
    """An 8x8 two-state raster leaf (`.`, `*`, `$`) as a level-3 node."""
    grid = raster_rows(line, at)

    def block(x: int, y: int, size: int) -> int:
        if size == 2:
            return universe.leaf(grid[y][x], grid[y][x + 1], grid[y + 1][x], grid[y + 1][x + 1])
        h = size // 2
        return universe.join(block(x, y, h), block(x + h, y, h), block(x, y + h, h),
                             block(x + h, y + h, h))

    return block(0, 0, 8)


def macrocell_text(universe: Universe, comments: list[str] | None = None) -> str:
    """The universe as multi-state macrocell text (`1 a b c d` leaves)."""
    from alife import __version__

    out = [f"[M2] (alife {__version__})", f"#R {universe.rule_text}"]
    if universe.generation:
        out.append(f"#G {universe.generation}")
    out += [f"#C {c}" for c in comments or []]
    numbers: dict[int, int] = {}
    root = universe.root
    stack: list[tuple[int, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            if node not in numbers:
                kids = universe.children(node)
                if universe.level(node) == 1:
                    refs = list(kids)
                else:
                    refs = [numbers[k] if universe.population(k) else 0 for k in kids]
                out.append(" ".join(str(v) for v in [universe.level(node), *refs]))
                numbers[node] = len(numbers) + 1
            continue
        if node in numbers or (universe.population(node) == 0 and node != root):
            continue
        stack.append((node, True))
        if universe.level(node) > 1:
            stack += [(k, False) for k in reversed(universe.children(node))]
    return "\n".join(out) + "\n"


def write_macrocell(path: str | Path, universe: Universe,
                    comments: list[str] | None = None) -> None:
    """Write `.mc` (or gzip-compressed `.mc.gz`) atomically."""
    from alife.core.fileio import atomic_write_bytes

    data = macrocell_text(universe, comments).encode()
    if Path(path).name.lower().endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    atomic_write_bytes(path, data)
