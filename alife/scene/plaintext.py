"""LifeWiki's plaintext pattern format (`.cells`): one text row per grid row.

`!Name: Glider` names the pattern, `!Author: ...` its author, other lines starting with `!` are
comments. Cell rows use `.` for dead and `O` (also `*`) for alive; rows may be shorter than the
widest one (padded with dead cells), and an empty line inside the pattern is an empty row.
Two states only: writing a multi-state grid raises AlifeError (use RLE for those).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write_text
from alife.scene.patterns import Pattern, check_size, read_text

_BAD = re.compile(r"[^.O*]")


def parse_cells(text: str, where: str = "<cells>") -> Pattern:
    """Parse plaintext into a Pattern; AlifeError naming `where:line` on a bad character."""
    name = author = None
    comments: list[str] = []
    rows: list[str] = []
    pending_blank = 0
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("!"):
            body = line[1:]
            if body.lower().startswith("name:"):
                name = body[5:].strip()
            elif body.lower().startswith("author:"):
                author = body[7:].strip()
            else:
                comments.append(body)
            continue
        if not line:
            if rows:
                pending_blank += 1
            continue
        bad = _BAD.search(line)  # in C: megabytes of cells stay fast
        if bad:
            raise AlifeError(f"unexpected character {bad.group()!r} in column {bad.start() + 1}; "
                             "expected '.' (dead) or 'O' / '*' (alive)", where=f"{where}:{line_no}")
        rows += [""] * pending_blank
        pending_blank = 0
        rows.append(line)
    width = max((len(r) for r in rows), default=0)
    check_size(width, len(rows), where)
    cells = np.zeros((len(rows), width), np.uint8)
    for y, row in enumerate(rows):
        if row:
            cells[y, : len(row)] = np.frombuffer(row.encode("ascii"), np.uint8) != ord(".")
    return Pattern(cells, name=name, comments=comments, author=author)


def read_cells(path: str | Path) -> Pattern:
    """Read a `.cells` file."""
    path = Path(path)
    return parse_cells(read_text(path), where=str(path))


def format_cells(pattern: Pattern) -> str:
    """Plaintext for a two-state pattern: `!Name:`, `!Author:`, `!` comments, full-width rows."""
    if pattern.cells.size and int(pattern.cells.max()) > 1:
        raise AlifeError("plaintext .cells holds two states only; this pattern has states up to "
                         f"{int(pattern.cells.max())} (save it as .rle)")
    out = []
    if pattern.name:
        out.append(f"!Name: {' '.join(pattern.name.split())}")
    if pattern.author:
        out.append(f"!Author: {' '.join(pattern.author.split())}")
    for comment in pattern.comments:
        for part in comment.splitlines() or [""]:
            # a comment that itself reads "Name: ..." would come back as the name: mark it
            text = part.rstrip()
            if text.lower().startswith(("name:", "author:")):
                text = " " + text
            out.append(f"!{text}")
    table = np.array([ord("."), ord("O")], np.uint8)
    for row in pattern.cells:
        out.append(table[row].tobytes().decode("ascii"))
    return "\n".join(out) + "\n"


def write_cells(path: str | Path, pattern: Pattern) -> None:
    """Write a two-state pattern as plaintext, atomically."""
    atomic_write_text(path, format_cells(pattern))
