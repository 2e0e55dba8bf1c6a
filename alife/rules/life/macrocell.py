"""Golly's macrocell format (`.mc`, `.mc.gz`) for two-state rules: read into and write from a
HashLife `Universe` (alife.rules.life.hashlife).

The format, as Golly's Help (File Formats) describes it: a first line starting `[M2]`; comment
lines starting `#` (`#R rule`, `#G generation`, others kept as comments); then the quadtree,
children before parents, one node per line, numbered from 1 in file order:

- a leaf is an 8x8 block in a small raster: `.` dead, `*` alive, `$` ends a row (trailing dead
  cells and trailing empty rows left out), e.g. a glider is `$$..*$...*$.***$$$$`;
- an inner node is `k nw ne sw se`: k = log2 of its side (>= 4), children by number, 0 = empty.

The last node is the root; the top-left cell of its south-east child is at (x = 0, y = 1).
Multi-state files (leaves written `1 a b c d`) are refused with a message.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from alife.core.errors import AlifeError
from alife.core.macrocell_text import parse_header, raster_rows
from alife.rules.life.hashlife import Universe

MAX_MACROCELL_BYTES = 256 << 20
LEAF_LEVEL = 3
LEAF_SIDE = 8


def is_macrocell(path: str | Path) -> bool:
    name = Path(path).name.lower()
    return name.endswith(".mc") or name.endswith(".mc.gz")


def _read_bytes(path: Path) -> str:
    from alife.core.safeio import read_regular

    data = read_regular(path, MAX_MACROCELL_BYTES, "a macrocell file (.mc or .mc.gz)")
    if path.name.lower().endswith(".gz"):
        unpack = zlib.decompressobj(wbits=31)
        try:
            data = unpack.decompress(data, MAX_MACROCELL_BYTES)
        except zlib.error as exc:
            raise AlifeError(f"not a readable gzip file ({exc})", where=str(path)) from None
        if unpack.unconsumed_tail:
            raise AlifeError(f"unpacks to more than {MAX_MACROCELL_BYTES >> 20} MiB",
                             where=str(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_macrocell(path: str | Path, max_nodes: int | None = None) -> tuple[Universe, list[str]]:
    """(universe at the file's generation, comment lines) from a two-state macrocell file."""
    path = Path(path)
    lines = _read_bytes(path).splitlines()
    named, generation, comments, body_start = parse_header(lines, str(path))
    rule = named or "B3/S23"
    try:
        universe = Universe.for_rule(rule, **({"max_nodes": max_nodes} if max_nodes else {}))
    except AlifeError as exc:
        raise AlifeError(f"rule {rule!r}: {exc.detail}", where=str(path)) from None
    nodes: list[int] = [0]  # index 0 stands for "empty"; real nodes from 1
    levels: list[int] = [0]
    for number, raw in enumerate(lines[body_start:], start=body_start + 1):
        line = raw.strip()
        if not line:
            continue
        where = f"{path}:{number}"
        if line[0] in ".*$":
            nodes.append(_leaf_node(universe, line, where))
            levels.append(LEAF_LEVEL)
            continue
        node, level = _inner_node(universe, line, nodes, levels, where)
        nodes.append(node)
        levels.append(level)
    if len(nodes) == 1:
        raise AlifeError("no nodes: a macrocell file ends with its quadtree", where=str(path))
    universe.root = nodes[-1] if nodes[-1] != 0 else universe.empty(levels[-1])
    universe.generation = generation
    return universe, comments


def _leaf_node(universe: Universe, line: str, where: str) -> int:
    return _block_node(universe, raster_rows(line, where), 0, 0, LEAF_LEVEL)


def _block_node(universe: Universe, grid: list[list[int]], x: int, y: int, level: int) -> int:
    """The node for the 2^level square of `grid` at (x, y)."""
    if level == 1:
        return grid[y][x] | grid[y][x + 1] << 1 | grid[y + 1][x] << 2 | grid[y + 1][x + 1] << 3
    half = 1 << (level - 1)
    return universe.join(_block_node(universe, grid, x, y, level - 1),
                         _block_node(universe, grid, x + half, y, level - 1),
                         _block_node(universe, grid, x, y + half, level - 1),
                         _block_node(universe, grid, x + half, y + half, level - 1))


def _inner_node(universe: Universe, line: str, nodes: list[int], levels: list[int],
                where: str) -> tuple[int, int]:
    parts = line.split()
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise AlifeError(f"a node line is 'level nw ne sw se' (five integers); got {line!r}",
                         where=where) from None
    if len(values) != 5:
        raise AlifeError(f"a node line is 'level nw ne sw se' (five integers); got {line!r}",
                         where=where)
    level, children = values[0], values[1:]
    if level == 1:
        raise AlifeError("multi-state macrocell files are not supported (only two-state)",
                         where=where)
    if not LEAF_LEVEL < level <= 62:
        raise AlifeError(f"a node's level is 4..62 in a two-state file; got {level}", where=where)
    kids = []
    for child in children:
        if not 0 <= child < len(nodes):
            raise AlifeError(f"node {child} is not defined before this line", where=where)
        if child and levels[child] != level - 1:
            raise AlifeError(f"node {child} has level {levels[child]}; a level-{level} node "
                             f"needs level-{level - 1} children", where=where)
        kids.append(nodes[child] if child else universe.empty(level - 1))
    return universe.join(*kids), level


def macrocell_text(universe: Universe, comments: list[str] | None = None) -> str:
    """The universe as macrocell text (root grown to at least level 4)."""
    from alife import __version__

    root = universe.root
    while universe.level(root) <= LEAF_LEVEL:
        root = universe.expand(root)
    out = [f"[M2] (alife {__version__})", f"#R {universe.rule_text}"]
    if universe.generation:
        out.append(f"#G {universe.generation}")
    out += [f"#C {c}" for c in comments or []]
    numbers: dict[int, int] = {}
    for node in _postorder(universe, root):
        if universe.level(node) == LEAF_LEVEL:
            out.append(_leaf_text(universe, node))
        else:
            kids = universe.children(node)
            refs = [numbers.get(k, 0) if universe.population(k) else 0 for k in kids]
            out.append(" ".join(str(v) for v in [universe.level(node), *refs]))
        numbers[node] = len(numbers) + 1
    return "\n".join(out) + "\n"


def _postorder(universe: Universe, root: int) -> list[int]:
    """Non-empty nodes of level >= 3 reachable from root, children first, each once."""
    seen: set[int] = set()
    order: list[int] = []
    stack: list[tuple[int, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen or universe.population(node) == 0:
            continue
        seen.add(node)
        stack.append((node, True))
        if universe.level(node) > LEAF_LEVEL:
            for kid in reversed(universe._kids[node]):  # type: ignore[arg-type]
                stack.append((kid, False))
    return order


def _leaf_text(universe: Universe, node: int) -> str:
    grid = [[0] * LEAF_SIDE for _ in range(LEAF_SIDE)]
    _fill(universe, node, grid, 0, 0)
    rows = ["".join(".*"[v] for v in row).rstrip(".") for row in grid]
    while rows and not rows[-1]:
        rows.pop()
    return "$".join(rows) + "$"


def _fill(universe: Universe, node: int, grid: list[list[int]], x: int, y: int) -> None:
    if universe.level(node) == 1:
        grid[y][x], grid[y][x + 1] = node & 1, (node >> 1) & 1
        grid[y + 1][x], grid[y + 1][x + 1] = (node >> 2) & 1, (node >> 3) & 1
        return
    half = 1 << (universe.level(node) - 1)
    nw, ne, sw, se = universe.children(node)
    for kid, dx, dy in ((nw, 0, 0), (ne, half, 0), (sw, 0, half), (se, half, half)):
        _fill(universe, kid, grid, x + dx, y + dy)


def write_macrocell(path: str | Path, universe: Universe,
                    comments: list[str] | None = None) -> None:
    """Write `.mc` (or gzip-compressed `.mc.gz`) atomically."""
    from alife.core.fileio import atomic_write_bytes

    data = macrocell_text(universe, comments).encode()
    if Path(path).name.lower().endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    atomic_write_bytes(path, data)
