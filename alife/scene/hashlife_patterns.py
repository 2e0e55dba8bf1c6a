"""Pattern files as the multi-state HashLife route reads them (`alife.rules.ruletable.hashlife_open`
builds the universe; this module only finds, unpacks and reads files, and imports no rule code).

`source(path)` gives a `PatternSource`: where the file is, the folder its rule is looked up in
first (the pattern's folder, or an archive's own rule files for a member of one), its text when
it is a macrocell file (`.mc`, `.mc.gz`, inside a `.zip`: read node by node into the quadtree,
never through a grid), its Pattern otherwise (`.rle`, `.rle.gz`, ...: the pattern readers' grid,
at most `patterns.MAX_CELLS` cells), its rule name and, for a plain `.rle`, its size from the
header line alone. The last source is kept (`forget` drops it) so the route check and the run
read a file once.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any

from alife.core import archive
from alife.scene.pattern_world import MAX_MARGIN
from alife.scene.patterns import Pattern

#: suffixes of the pattern files this route reads (besides archives and their members)
SUFFIXES = (".rle", ".cells", ".mc", ".rle.gz", ".mc.gz", ".cells.gz")
#: an RLE header line (`alife.scene.rle` reads the same)
_RLE_HEADER = re.compile(r"x\s*=\s*(\d+)\s*,\s*y\s*=\s*(\d+)\s*(?:,\s*rule\s*=\s*(.*?))?\s*$",
                         re.IGNORECASE)
_LAST: list[PatternSource] = []


def is_macrocell(path: str | Path) -> bool:
    """Whether the file (or archive member) is a macrocell file by its name."""
    return Path(path).name.lower().endswith((".mc", ".mc.gz"))


def is_pattern_file(path: str | Path) -> bool:
    """Whether `path` names a pattern file this route could read (by its name)."""
    name = str(path).lower()
    return name.endswith(SUFFIXES) or archive.split_member(path) is not None \
        or archive.is_archive(path)


def rules_folder(path: str | Path) -> Path:
    """Where a pattern's rule is looked up first: its folder, or an archive's rule files."""
    path = Path(path).expanduser()
    inside = archive.split_member(path)
    if inside is not None or archive.is_archive(path):
        return archive.archive_rules(inside[0] if inside is not None else path)
    return path.parent


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class PatternSource:
    """One pattern file for the HashLife route (module docstring)."""

    #: the widest pattern the grid engine opens (`pattern_world.MAX_MARGIN` cells a side)
    grid_side = MAX_MARGIN

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.is_macrocell = is_macrocell(self.path)
        #: what the multi-state route keeps here (a macrocell file's universe, read once)
        self.cache: dict[str, Any] = {}

    @cached_property
    def folder(self) -> Path:
        return rules_folder(self.path)

    @cached_property
    def _packed(self) -> tuple[bytes, str]:
        from alife.scene.readers import packed_bytes

        data, name, where = packed_bytes(self.path)
        if name.lower().endswith(".gz"):
            data = archive.gunzip(data, where)
        return data, where

    @property
    def where(self) -> str:
        return self._packed[1] if "_packed" in self.__dict__ else str(self.path)

    @property
    def stem(self) -> str:
        return self.where.rsplit("/", 1)[-1].split(".")[0]

    def text(self) -> str:
        """The (unpacked) file's text: a macrocell file's quadtree."""
        return _text(self._packed[0])

    @cached_property
    def pattern(self) -> Pattern:
        """The pattern the readers make of a non-macrocell file."""
        from alife.scene.patterns import read_pattern

        return read_pattern(self.path)

    @cached_property
    def _header(self) -> tuple[int, int, str | None] | None:
        """(width, height, rule) from a plain `.rle` file's header line (its first 64 KiB)."""
        if self.path.suffix.lower() != ".rle" or not self.path.is_file():
            return None
        try:
            with self.path.open("rb") as handle:
                head = handle.read(1 << 16).decode("latin-1")
        except OSError:
            return None
        for line in head.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                match = _RLE_HEADER.match(line)
                if match is None:
                    return None
                return int(match.group(1)), int(match.group(2)), match.group(3) or None
        return None

    def rule(self) -> str | None:
        """The rule the file names (a macrocell's `#R`, a pattern's header), or None."""
        if self.is_macrocell:
            from alife.scene.macrocell_grid import header_rule

            return header_rule(self.path)
        if self._header is not None:
            return self._header[2]
        return self.pattern.rule

    def size(self) -> tuple[int, int] | None:
        """(width, height) of a non-macrocell pattern (None for a macrocell file)."""
        if self.is_macrocell:
            return None
        if self._header is not None:
            return self._header[0], self._header[1]
        height, width = self.pattern.cells.shape
        return width, height


def source(path: str | Path) -> PatternSource:
    """The PatternSource of `path` (the last one is kept: module docstring)."""
    path = Path(path).expanduser()
    if _LAST and _LAST[0].path == path:
        return _LAST[0]
    _LAST[:] = [PatternSource(path)]
    return _LAST[0]


def forget() -> None:
    """Drop the kept source (a large grid need not stay in memory)."""
    _LAST.clear()
