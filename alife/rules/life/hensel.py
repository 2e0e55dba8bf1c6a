"""Hensel notation: the 51 Moore neighbourhood configurations up to rotation and reflection.

Isotropic non-totalistic rules (LifeWiki, "Isotropic non-totalistic rule"; notation by Alan
Hensel) name each arrangement of n live neighbours by a letter. The table below is built in code:
we enumerate the 256 configurations of the 8 Moore neighbours, group them into orbits of the
dihedral group D4 (4 rotations x reflection), and name each orbit from one representative
configuration per (count, letter), written down from the published chart.

A configuration is an 8-bit mask: bit i is set when neighbour `DIRS[i]` is alive, with
`DIRS = N, NE, E, SE, S, SW, W, NW` (clockwise from north; y grows downward, so N is dy=-1).
Counts 0..8 have 1, 2, 6, 10, 13, 10, 6, 2, 1 letters: 51 orbits in all.
"""

from __future__ import annotations

from functools import lru_cache

DIRS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
#: (dy, dx) of each neighbour in DIRS order.
OFFSETS = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))
#: letters per neighbour count, in chart order.
LETTERS = ("", "ce", "cekain", "cekainyqjr", "cekainyqjrtwz", "cekainyqjr", "cekain", "ce", "")

# One representative per (count, letter): the live neighbours, by compass direction.
_REPRESENTATIVES: dict[int, dict[str, str]] = {
    1: {"c": "NW", "e": "N"},
    2: {"c": "NE NW", "e": "N W", "k": "E NW", "a": "N NW", "i": "N S", "n": "SE NW"},
    3: {"c": "NE SW NW", "e": "N E W", "k": "E S NW", "a": "N W NW", "i": "N NE NW",
        "n": "NE E NW", "y": "NE S NW", "q": "N SE NW", "j": "N E NW", "r": "N S NW"},
    4: {"c": "NE SE SW NW", "e": "N E S W", "k": "NE S W NW", "a": "N NE E NW",
        "i": "NE E W NW", "n": "N NE SW NW", "y": "NE E SW NW", "q": "N SE W NW",
        "j": "N E S NW", "r": "N E W NW", "t": "N NE S NW", "w": "N E SE NW", "z": "N SE S NW"},
    5: {"c": "N E SE S W", "e": "NE SE S SW NW", "k": "N NE SE SW W", "a": "NE E SE S SW",
        "i": "E SE S SW W", "n": "N SE S SW W", "y": "N E SE SW W", "q": "NE E S SW W",
        "j": "NE SE S SW W", "r": "NE E SE SW W"},
    6: {"c": "N E SE S SW W", "e": "NE E SE S SW NW", "k": "N NE SE S SW W",
        "a": "NE E SE S SW W", "i": "NE E SE SW W NW", "n": "N NE E S SW W"},
    7: {"c": "N NE E SE S SW W", "e": "NE E SE S SW W NW"},
}


def mask_of(directions: str) -> int:
    """The 8-bit mask of a space-separated list of compass directions."""
    return sum(1 << DIRS.index(d) for d in directions.split())


def _rotate(mask: int) -> int:
    """Rotate a configuration by 90 degrees clockwise (N -> E)."""
    return ((mask << 2) | (mask >> 6)) & 0xFF


def _mirror(mask: int) -> int:
    """Mirror left-right (E <-> W, NE <-> NW, SE <-> SW)."""
    return sum(1 << ((8 - i) % 8) for i in range(8) if mask >> i & 1)


def orbit(mask: int) -> frozenset[int]:
    """All images of a configuration under the 8 symmetries of the square."""
    out = set()
    for _ in range(4):
        mask = _rotate(mask)
        out.add(mask)
        out.add(_mirror(mask))
    return frozenset(out)


@lru_cache(maxsize=1)
def classes() -> dict[tuple[int, str], frozenset[int]]:
    """(count, letter) -> the set of 8-bit masks in that orbit; letter '' for counts 0 and 8."""
    table: dict[tuple[int, str], frozenset[int]] = {(0, ""): frozenset({0}),
                                                    (8, ""): frozenset({255})}
    for count, reps in _REPRESENTATIVES.items():
        for letter in LETTERS[count]:
            table[(count, letter)] = orbit(mask_of(reps[letter]))
    return table


def masks_for(count: int, letters: str | None = None) -> frozenset[int]:
    """Masks with `count` live neighbours restricted to `letters` (None = every letter)."""
    if letters is None:
        letters = LETTERS[count] or ""
        if not letters:
            return classes()[(count, "")]
    return frozenset().union(*(classes()[(count, ch)] for ch in letters))


def describe(masks: frozenset[int] | set[int]) -> str:
    """Hensel digits+letters for a set of masks (a union of whole orbits), e.g. '2-a3'.

    Golly's canonical form: a count with every letter present is the bare digit; otherwise the
    letters are listed alphabetically, positively when at most (L+1)/2 of the L letters are
    present (so 7 of 13 stays positive), else as '-' and the absent letters.
    """
    parts = []
    for count in range(9):
        if count in (0, 8):
            if classes()[(count, "")] <= masks:
                parts.append(str(count))
            continue
        present = sorted(ch for ch in LETTERS[count] if classes()[(count, ch)] <= masks)
        if not present:
            continue
        absent = sorted(ch for ch in LETTERS[count] if ch not in present)
        if not absent:
            parts.append(str(count))
        elif 2 * len(present) <= len(LETTERS[count]) + 1:
            parts.append(f"{count}{''.join(present)}")
        else:
            parts.append(f"{count}-{''.join(absent)}")
    return "".join(parts)


def is_totalistic(masks: frozenset[int] | set[int]) -> bool:
    """True when the set holds, for each count, all of its configurations or none."""
    for count in range(9):
        full = masks_for(count)
        inter = full & set(masks)
        if inter and inter != full:
            return False
    return True


def counts_of(masks: frozenset[int] | set[int]) -> frozenset[int]:
    """The neighbour counts present in a totalistic mask set."""
    return frozenset(bin(m).count("1") for m in masks)
