"""Mirek Wojtowicz's MCell pattern format (`.mcl`), read as Golly reads it.

Golly's WireWorld collection is MCell files. The lines that matter (others are ignored):

- `#MCell 4.00` (the first line), `#D text` (the description: comments);
- `#GOLLY rule` (Golly's extension, e.g. `#GOLLY WireWorld`) or `#RULE rule`: the first of the
  two names the rule. MCell's own `#RULE 1,0,0,...` rule-table strings mean nothing outside
  MCell, except the two Golly translates: Life (`B3/S23`) and HistoricalLife (`LifeHistory`);
- `#BOARD WxH` and `#WRAP 0|1`: a bounded grid, a plane (`0`) or a torus (`1`): the rule gets
  Golly's suffix `:PW,H` or `:TW,H`. Golly writes the cells from the board's top-left corner and
  then moves the pattern to the middle of the board by `((W + 1 - w) / 2, (H + 1 - h) / 2)` for a
  `w` x `h` pattern (rounded toward zero, as MCell places it); the position comes back as the
  Pattern's `position` (Golly's coordinates, the board's middle at 0), so the grid gets them
  where Golly has them;
- `#L data`: the cells, run-length encoded like RLE: a count, then `.` (dead), `A`..`X` (states
  1..24, `a`..`j` before a letter add 24 each) or `$` (next row). A `#L` line continues the
  rows of the line before it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError
from alife.scene.patterns import Pattern, check_size, read_text

#: MCell's rule-table strings Golly turns into its own rules
GOLLY_RULES = {"1,0,1,0,0,0,1,0,0,0,0,0,0,2,2,1,1,2,2,2,2,2,0,2,2,2,1,2,2,2,2,2": "LifeHistory",
               "1,0,0,0,0,0,1,0,0,0,0,0,0,0,0,1,1": "B3/S23"}


def parse_mcell(text: str, where: str = "<mcell>") -> Pattern:
    """MCell text as a Pattern (module docstring); AlifeError naming `where:line`."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#MCell"):
        raise AlifeError("expected '#MCell' on the first line", where=f"{where}:1")
    rule = None
    board: tuple[int, int] | None = None
    wrap = 0
    comments: list[str] = []
    cells: dict[tuple[int, int], int] = {}
    x = y = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if line.startswith("#L "):
            x, y = _cells(line[3:], cells, x, y, f"{where}:{number}")
        elif line.startswith("#D"):
            comments.append(line[3:] if line.startswith("#D ") else line[2:].strip())
        elif line.startswith("#BOARD "):
            parts = line[7:].strip().lower().split("x")
            if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
                raise AlifeError(f"bad board {line[7:].strip()!r}; expected '#BOARD WxH'",
                                 where=f"{where}:{number}")
            board = (int(parts[0]), int(parts[1]))
            check_size(board[0], board[1], f"{where}:{number}")
        elif line.startswith("#WRAP "):
            wrap = 1 if line[6:].strip() == "1" else 0
        elif rule is None and (line.startswith("#GOLLY") or line.startswith("#RULE")):
            text_ = line[6:] if line.startswith("#GOLLY") else line[5:]
            words = text_.split()
            if words:
                rule = words[0]
                for prefix, name in GOLLY_RULES.items():
                    if rule.startswith(prefix):
                        rule = name
    if not cells:
        grid = np.zeros((0, 0), np.uint8)
        left = top = 0
    else:
        keys = np.array(list(cells), np.int64)
        top, left = int(keys[:, 0].min()), int(keys[:, 1].min())
        h, w = int(keys[:, 0].max()) - top + 1, int(keys[:, 1].max()) - left + 1
        check_size(w, h, where)
        grid = np.zeros((h, w), np.uint8)
        grid[keys[:, 0] - top, keys[:, 1] - left] = np.fromiter(cells.values(), np.uint8)
    position = None
    if board is not None:
        bw, bh = board
        h, w = grid.shape
        shift_x, shift_y = int((bw + 1 - w) / 2), int((bh + 1 - h) / 2)
        if shift_x <= 0 and shift_y <= 0:
            shift_x = shift_y = 0
        position = (-(bw // 2) + left + shift_x, -(bh // 2) + top + shift_y)
        rule = f"{rule or 'B3/S23'}:{'T' if wrap else 'P'}{bw},{bh}"
    return Pattern(grid, rule=rule, comments=comments, position=position)


def _cells(data: str, cells: dict[tuple[int, int], int], x: int, y: int,
           where: str) -> tuple[int, int]:
    count = 0
    i = 0
    while i < len(data):
        c = data[i]
        if c.isdigit():
            count = count * 10 + int(c)
            if count > 10**9:
                raise AlifeError("run count too large", where=where)
        elif c > " ":
            n = count or 1
            if c == ".":
                x += n
            elif c == "$":
                x = 0
                y += n
            else:
                state = 0
                if "a" <= c <= "j":
                    state = 24 * (ord(c) - ord("a") + 1)
                    i += 1
                    c = data[i] if i < len(data) else ""
                if not ("A" <= c <= "X"):
                    raise AlifeError(f"unexpected {c or 'end of line'!r} in the cells; expected "
                                     "a count, '.', '$', A..X or a..j and a letter", where=where)
                state += ord(c) - ord("A") + 1
                if state > 255:
                    raise AlifeError(f"state {state} is over 255", where=where)
                if len(cells) + n > (1 << 26):
                    raise AlifeError("too many cells", where=where)
                for k in range(n):
                    cells[(y, x + k)] = state
                x += n
            count = 0
        i += 1
    return x, y


def read_mcell(path: str | Path) -> Pattern:
    """Read an `.mcl` file (module docstring)."""
    path = Path(path)
    return parse_mcell(read_text(path), where=str(path))
