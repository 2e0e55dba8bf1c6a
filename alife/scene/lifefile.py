"""The Life 1.05 and Life 1.06 pattern formats (`.lif`, `.life`), read only.

Life 1.05 (Alan Hensel's; Golly's `Patterns/Life/Breeders/breeder.lif`): a `#Life 1.05` first
line, `#D` description lines, `#N` for Conway's rule or `#R` with a rule (`23/3` is
survival/birth, as in Golly; `B3/S23` works too), then blocks: `#P x y` puts the top-left of the
rows that follow at (x, y), y downward (a bare `#P` is 0 0), and each row is `.` (dead) or `*`
(alive; `O` and `o` are taken too). Life 1.06: a `#Life 1.06` first line, then one live cell a line
as `x y`. Both are two-state. The Pattern's `position` is the top-left of the cells' bounding box
in those coordinates, as `#CXRLE Pos` gives it for RLE.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError
from alife.scene.patterns import Pattern, check_size, read_text

#: a row of cells in a Life 1.05 block
_ROW = re.compile(r"[.*Oo]*")
#: at most this many live cells listed in a Life 1.06 file (a grid can hold no more)
MAX_LISTED = 1 << 24


def parse_life(text: str, where: str = "<lif>") -> Pattern:
    """A Pattern from Life 1.05 or 1.06 text; AlifeError naming `where:line` when malformed."""
    lines = text.splitlines()
    header = lines[0].strip() if lines else ""
    if header.lower().startswith("#life 1.05"):
        return _parse_105(lines, where)
    if header.lower().startswith("#life 1.06"):
        return _parse_106(lines, where)
    raise AlifeError(f"first line is {header[:40]!r}; expected '#Life 1.05' or '#Life 1.06'",
                     where=f"{where}:1")


def _integers(body: str, count: int, where: str, what: str) -> list[int]:
    parts = body.split()
    if not parts and count == 2 and what.startswith("#P"):
        return [0, 0]
    try:
        values = [int(p) for p in parts[:count]]
    except ValueError:
        values = []
    if len(values) != count or len(parts) != count:
        raise AlifeError(f"{what} {body.strip()[:40]!r}; expected {count} whole numbers",
                         where=where)
    if any(abs(v) > 1 << 62 for v in values):
        raise AlifeError(f"{what} {body.strip()[:40]!r} is out of range; expected |x|, |y| "
                         "below 2^62", where=where)
    return values


def _parse_105(lines: list[str], where: str) -> Pattern:
    rule: str | None = None
    comments: list[str] = []
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    x0 = y0 = 0
    row = 0
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        at = f"{where}:{number}"
        if line.startswith("#"):
            tag, body = line[:2].upper(), line[2:]
            if tag == "#D" or tag == "#C":
                comments.append(body[1:] if body.startswith(" ") else body)
            elif tag == "#N":
                rule = "B3/S23"
            elif tag == "#R":
                rule = body.strip() or None
            elif tag == "#P":
                x0, y0 = _integers(body, 2, at, "#P position")
                row = 0
            continue
        if not _ROW.fullmatch(line):
            bad = re.search(r"[^.*Oo]", line)
            column = bad.start() + 1 if bad else 1
            raise AlifeError(f"unexpected character {line[column - 1]!r} in column {column}; "
                             "expected '.' (dead) or '*' (alive)", where=at)
        live = np.flatnonzero(np.frombuffer(line.encode("ascii"), np.uint8) != ord("."))
        xs.append(x0 + live.astype(np.int64))
        ys.append(np.full(live.size, y0 + row, np.int64))
        row += 1
    return _pattern(xs, ys, rule, comments, where)


def _parse_106(lines: list[str], where: str) -> Pattern:
    rule: str | None = None
    comments: list[str] = []
    xs: list[int] = []
    ys: list[int] = []
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        if not line:
            continue
        at = f"{where}:{number}"
        if line.startswith("#"):
            tag, body = line[:2].upper(), line[2:]
            if tag == "#R":
                rule = body.strip() or None
            elif tag == "#N":
                rule = "B3/S23"
            else:
                comments.append(line[1:].lstrip("DC ").rstrip())
            continue
        x, y = _integers(line, 2, at, "cell")
        xs.append(x)
        ys.append(y)
        if len(xs) > MAX_LISTED:
            raise AlifeError(f"lists over {MAX_LISTED:,} live cells; expected fewer", where=at)
    return _pattern([np.array(xs, np.int64)], [np.array(ys, np.int64)], rule, comments, where)


def _pattern(xs: list[np.ndarray], ys: list[np.ndarray], rule: str | None,
             comments: list[str], where: str) -> Pattern:
    x = np.concatenate(xs) if xs else np.zeros(0, np.int64)
    y = np.concatenate(ys) if ys else np.zeros(0, np.int64)
    if x.size == 0:
        return Pattern(np.zeros((0, 0), np.uint8), rule=rule, comments=comments)
    left, top = int(x.min()), int(y.min())
    width, height = int(x.max()) - left + 1, int(y.max()) - top + 1
    check_size(width, height, where)
    cells = np.zeros((height, width), np.uint8)
    cells[y - top, x - left] = 1
    return Pattern(cells, rule=rule, comments=comments, position=(left, top))


def read_life(path: str | Path) -> Pattern:
    """Read a `.lif` / `.life` file."""
    path = Path(path)
    return parse_life(read_text(path), where=str(path))
