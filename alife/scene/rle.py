"""Golly's run-length encoded pattern format (RLE): read all that Golly writes, write what it reads.

File layout: optional `#` lines (`#N name`, `#C`/`#c` comment, `#O author`, `#CXRLE Pos=x,y Gen=g`,
the older `#P x y` and `#r rule`), a header `x = W, y = H, rule = B3/S23:T64,64` (spaces optional,
rule optional), then the body: runs `<count><tag>` where the count (default 1) repeats the tag.
Tags: `b` / `.` dead (state 0), `o` alive (1), `A`..`X` states 1..24, and two-letter `pA`..`yO`
states 25..255 (`p`..`y` add 24 each); `$` ends a row (a count ends several), `!` ends the
pattern (anything after it is ignored; a missing `!` is accepted, as Golly does). Whitespace and
line breaks anywhere in the body are ignored; rows shorter than W are padded with state 0.

Writing follows Golly: `b`/`o` when every state is 0 or 1, `.`/`A`.. otherwise; trailing dead
cells of a row dropped, `$` runs merged, lines at most 70 columns, `!` at the end.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write_text
from alife.scene import rle_body
from alife.scene.patterns import Pattern, check_size, read_text

LINE_WIDTH = 70
_HEADER = re.compile(r"^x\s*=\s*(\d+)\s*,\s*y\s*=\s*(\d+)\s*(?:,\s*rule\s*=\s*(.*?))?\s*$",
                     re.IGNORECASE)
_POS = re.compile(r"Pos\s*=\s*(-?\d+)\s*,\s*(-?\d+)")
_GEN = re.compile(r"Gen\s*=\s*(\d+)")
_PREFIXES = "pqrstuvwxy"


def state_tag(state: int, multistate: bool) -> str:
    """The body letter(s) for one state: `b`/`o`, or `.`, `A`..`X`, `pA`..`yO`."""
    if not multistate:
        return "o" if state else "b"
    if state == 0:
        return "."
    if state <= 24:
        return chr(ord("A") + state - 1)
    high, low = divmod(state - 25, 24)
    return _PREFIXES[high] + chr(ord("A") + low)


# ---- reading --------------------------------------------------------------------------------
def decode_body(lines: list[tuple[int, str]], where: str, width: int | None = None,
                height: int | None = None) -> np.ndarray:
    """Decode an RLE body given as (line number, text) pairs. [H, W] uint8.

    With `width`/`height` (from the header) the grid has that size and a body that does not fit
    raises AlifeError; without them the grid is just large enough for the body. Vectorised
    (`alife.scene.rle_body`): tens of MiB decode in seconds.
    """
    return rle_body.decode(lines, where, width, height, check_size)


def parse_rle(text: str, where: str = "<rle>") -> Pattern:
    """Parse RLE text into a Pattern; AlifeError naming `where:line` and what was expected."""
    name = author = rule = None
    comments: list[str] = []
    position: tuple[int, int] | None = None
    generation: int | None = None
    header: tuple[int, int] | None = None
    body: list[tuple[int, str]] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if header is None:
            if not line:
                continue
            if line.startswith("#"):
                tag, _, rest = line[1:].partition(" ")
                rest = rest.strip()
                if tag == "N":
                    name = rest
                elif tag in ("C", "c"):
                    comments.append(rest)
                elif tag == "O":
                    author = rest
                elif tag == "CXRLE":
                    pos, gen = _POS.search(rest), _GEN.search(rest)
                    if pos:
                        position = (int(pos.group(1)), int(pos.group(2)))
                    if gen:
                        generation = int(gen.group(1))
                elif tag == "P" and re.fullmatch(r"-?\d+\s+-?\d+", rest):
                    x, y = rest.split()
                    position = (int(x), int(y))
                elif tag == "r" and rest:
                    rule = rest
                else:
                    comments.append(line)
                continue
            match = _HEADER.match(line)
            if not match:
                raise AlifeError(f"malformed header {line[:60]!r}; expected "
                                 "'x = W, y = H, rule = RULE'", where=f"{where}:{line_no}")
            width, height = int(match.group(1)), int(match.group(2))
            if match.group(3):
                rule = match.group(3)
            check_size(width, height, f"{where}:{line_no}")
            header = (width, height)
            continue
        if line.startswith("#"):
            comments.append(line[2:].strip() if line[1:2] in ("C", "c") else line)
            continue
        body.append((line_no, line))
        if "!" in line:
            break
    if header is None:
        raise AlifeError("no header line; expected 'x = W, y = H, rule = RULE' before the cells",
                         where=where)
    cells = decode_body(body, where, width=header[0], height=header[1])
    return Pattern(cells, rule=rule, name=name, comments=comments, author=author,
                   position=position, generation=generation)


def read_rle(path: str | Path) -> Pattern:
    """Read an `.rle` file (see the module docstring for what is accepted)."""
    path = Path(path)
    return parse_rle(read_text(path), where=str(path))


# ---- writing --------------------------------------------------------------------------------
def encode_body(cells: np.ndarray, multistate: bool | None = None) -> str:
    """The RLE body of a grid, wrapped at 70 columns and ending with `!`."""
    cells = np.asarray(cells)
    if multistate is None:
        multistate = bool(cells.size) and int(cells.max()) > 1
    tokens: list[str] = []
    pending_rows = 0
    for row in cells:
        nonzero = np.flatnonzero(row)
        if nonzero.size == 0:
            pending_rows += 1
            continue
        if pending_rows or tokens:
            # the end of the previous row plus any empty rows in between
            n = pending_rows + (1 if tokens else 0)
            tokens.append(f"{n if n > 1 else ''}$")
        pending_rows = 0
        row = row[: nonzero[-1] + 1]
        edges = np.flatnonzero(np.diff(row.astype(np.int32))) + 1
        starts = np.concatenate([[0], edges])
        ends = np.concatenate([edges, [row.size]])
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            n = e - s
            tokens.append(f"{n if n > 1 else ''}{state_tag(int(row[s]), multistate)}")
    tokens.append("!")
    lines: list[str] = []
    line = ""
    for token in tokens:
        if len(line) + len(token) > LINE_WIDTH:
            lines.append(line)
            line = ""
        line += token
    lines.append(line)
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_rle(pattern: Pattern, multistate: bool | None = None) -> str:
    """RLE text for a pattern: `#N`, `#O`, `#C`, `#CXRLE` lines, header, body."""
    out = []
    if pattern.name:
        out.append(f"#N {_one_line(pattern.name)}")
    if pattern.author:
        out.append(f"#O {_one_line(pattern.author)}")
    for comment in pattern.comments:
        out += [f"#C {part}".rstrip() for part in comment.splitlines() or [""]]
    if pattern.position is not None or pattern.generation is not None:
        x, y = pattern.position or (0, 0)
        out.append(f"#CXRLE Pos={x},{y}"
                   + (f" Gen={pattern.generation}" if pattern.generation is not None else ""))
    h, w = pattern.cells.shape
    out.append(f"x = {w}, y = {h}" + (f", rule = {pattern.rule}" if pattern.rule else ""))
    out.append(encode_body(pattern.cells, multistate))
    return "\n".join(out) + "\n"


def write_rle(path: str | Path, pattern: Pattern, multistate: bool | None = None) -> None:
    """Write a pattern as RLE, atomically."""
    atomic_write_text(path, format_rle(pattern, multistate))
