"""The parts of Golly's macrocell text (`.mc`) every reader here shares: the header lines after
`[M2]` (`#R` rule, `#G` generation, other `#` lines as comments) and the 8x8 raster leaves of
two-state files (`.` dead, `*` alive, `$` ends a row). Who turns nodes into what (a two-state
quadtree, a multi-state one, a dense grid) is each reader's own.
"""

from __future__ import annotations

from typing import NamedTuple

from alife.core.errors import AlifeError

#: a raster leaf is this many cells on a side
RASTER_SIDE = 8


class Header(NamedTuple):
    """What the lines before the first node say."""

    rule: str | None  #: `#R`, None when absent (Golly then assumes B3/S23)
    generation: int  #: `#G`, 0 when absent
    comments: list[str]
    body: int  #: index into the lines of the first node line (len(lines) when none)


def parse_header(lines: list[str], where: str) -> Header:
    """The header of a macrocell file's lines; AlifeError naming `where:line` when the first
    line is not `[M2] ...` or `#G` is not a number."""
    if not lines or not lines[0].startswith("[M2]"):
        raise AlifeError("a macrocell file starts with a line '[M2] ...'", where=f"{where}:1")
    rule, generation, comments, body = None, 0, [], len(lines)
    for number, line in enumerate(lines[1:], start=2):
        if line.startswith("#R"):
            rule = line[2:].strip() or None
        elif line.startswith("#G"):
            generation = parse_generation(line, f"{where}:{number}")
        elif line.startswith("#"):
            comments.append(comment_text(line))
        elif line.strip():
            body = number - 1
            break
    return Header(rule, generation, comments, body)


def parse_generation(line: str, at: str) -> int:
    """The number of a `#G` line."""
    try:
        return int(line[2:].strip())
    except ValueError:
        raise AlifeError(f"#G wants a generation number; got {line[2:].strip()!r}",
                         where=at) from None


def comment_text(line: str) -> str:
    """A `#C` / `#D` / `#N` or other `#` line without its marker."""
    return line[2:].strip() if line[1:2] in "CDN" else line[1:].strip()


def raster_rows(line: str, at: str) -> list[list[int]]:
    """An 8x8 raster leaf as rows of 0/1; AlifeError on another character or a larger block."""
    grid = [[0] * RASTER_SIDE for _ in range(RASTER_SIDE)]
    row = col = 0
    for char in line:
        if char == "$":
            row, col = row + 1, 0
            continue
        if char not in ".*":
            raise AlifeError(f"a leaf line holds only '.', '*' and '$'; got {char!r}", where=at)
        if row >= RASTER_SIDE or col >= RASTER_SIDE:
            raise AlifeError("a leaf line holds an 8x8 block; this one is larger", where=at)
        grid[row][col] = 1 if char == "*" else 0
        col += 1
    return grid
