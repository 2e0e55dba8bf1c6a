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
from array import array
from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write_text
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
    raises AlifeError; without them the grid is just large enough for the body.
    """
    runs = array("q")  # (row, col, length, state) flattened: 32 bytes a run, not ~100
    row = col = max_col = 0
    count = ""
    prefix = ""
    line_no = lines[0][0] if lines else 0
    limit_w = width if width is not None else None
    limit_h = height if height is not None else None

    def fail(message: str) -> AlifeError:
        return AlifeError(message, where=f"{where}:{line_no}")

    def take_count() -> int:
        if not count:
            return 1
        if len(count) > 12:
            raise fail(f"run count {count[:15]}... is too large")
        n = int(count)
        if n == 0:
            raise fail("run count 0; expected a count of at least 1")
        return n

    done = False
    for number, text in lines:
        line_no = number
        for ch in text:
            if ch.isspace():
                continue
            if ch.isdigit() and ch.isascii():
                if prefix:
                    raise fail(f"{prefix!r} must be followed by a letter A..X; got {ch!r}")
                count += ch
                continue
            if prefix:
                if not "A" <= ch <= "X":
                    raise fail(f"{prefix!r} must be followed by a letter A..X; got {ch!r}")
                state = (_PREFIXES.index(prefix) + 1) * 24 + ord(ch) - ord("A") + 1
                if state > 255:
                    raise fail(f"state {prefix + ch!r} = {state} is over 255")
                prefix = ""
            elif ch in _PREFIXES:
                prefix = ch
                continue
            elif ch in "b.":
                state = 0
            elif ch == "o":
                state = 1
            elif "A" <= ch <= "X":
                state = ord(ch) - ord("A") + 1
            elif ch == "$":
                row += take_count()
                col = 0
                count = ""
                if limit_h is not None and row > limit_h:
                    raise fail(f"the body has more than the {limit_h} rows the header says")
                if row > 10**9:
                    raise fail("the body has too many rows")
                continue
            elif ch == "!":
                done = True
                break
            else:
                raise fail(f"unexpected character {ch!r} in the body; expected run counts and "
                           "b o . A-X pA-yO $ !")
            n = take_count()
            count = ""
            if limit_h is not None and row >= limit_h:
                raise fail(f"the body has more than the {limit_h} rows the header says")
            if limit_w is not None and col + n > limit_w:
                raise fail(f"row {row + 1} is wider than the {limit_w} columns the header says")
            if col + n > 10**9:
                raise fail("a row of the body is too long")
            if state:
                runs.extend((row, col, n, state))
            col += n
            max_col = max(max_col, col)
        if done:
            break
    if prefix:
        raise fail(f"the body ends after {prefix!r}; expected a letter A..X")
    h = height if height is not None else (row + 1 if (col or runs) else row)
    if height is None and runs:
        h = max(h, runs[-4] + 1)
    w = width if width is not None else max_col
    check_size(w, h, where)
    grid = np.zeros((h, w), np.uint8)
    for i in range(0, len(runs), 4):
        r, c, n, s = runs[i : i + 4]
        grid[r, c : c + n] = s
    return grid


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
