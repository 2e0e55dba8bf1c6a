"""Patterns: a grid of cell states with the metadata pattern files carry, and one front door.

`read_pattern(path)` and `write_pattern(path, pattern)` pick the format by extension: `.rle` is
Golly's run-length encoding (`alife.scene.rle`), `.cells` is LifeWiki's plaintext
(`alife.scene.plaintext`), `.mcl` is MCell's format (`alife.scene.mcell`, read only),
`.lif`/`.life` are Life 1.05 and 1.06 (`alife.scene.lifefile`, read only), `.mc` is
Golly's macrocell format read into a dense grid (`alife.scene.macrocell_grid`, read only;
two-state and multi-state). Read only, too: any of these gzip-compressed (`.rle.gz`, `.mc.gz`),
and Golly's zip archives (`x.zip` its first pattern, `x.zip/member.rle` a given one;
`alife.core.archive`: the rule library looks up a rule named by a pattern inside an archive
in the archive's own rule files first). Cells
are state numbers (0 dead, 1 alive, up to 255 for multi-state rules), `[H, W]` uint8, row 0 at
the top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError

#: refuse to allocate a grid larger than this many cells (a typo or hostile header); a world
#: cannot hold more (`alife.scene.limits.MAX_CELLS`)
MAX_CELLS = 2**28
#: largest pattern file read (Golly's biggest published patterns are a few MiB of RLE)
MAX_PATTERN_BYTES = 32 << 20


@dataclass(eq=False)
class Pattern:
    """A pattern as read from or written to a file.

    - `cells`: `[H, W]` uint8 state numbers.
    - `rule`: the rule text as written in the file (`B3/S23:T64,64`, `345/3/6`), or None.
    - `name`, `author`: from `#N` / `#O` (RLE) or `!Name:` / `!Author:` (plaintext).
    - `comments`: other comment lines, in order, without the `#C ` / `!` marker.
    - `position`: (x, y) of the top-left cell from `#CXRLE Pos=x,y` (or `#P x y`), or None.
    - `generation`: from `#CXRLE Gen=g`, or None.
    """

    cells: np.ndarray
    rule: str | None = None
    name: str | None = None
    comments: list[str] = field(default_factory=list)
    author: str | None = None
    position: tuple[int, int] | None = None
    generation: int | None = None

    def __post_init__(self) -> None:
        cells = np.asarray(self.cells)
        if cells.ndim != 2:
            raise AlifeError(f"pattern cells must be a 2-D grid; got shape {cells.shape}")
        if cells.size and (cells.min() < 0 or cells.max() > 255):
            raise AlifeError("pattern cell states must lie in 0..255")
        self.cells = cells.astype(np.uint8, copy=False)

    @property
    def shape(self) -> tuple[int, int]:
        """(H, W) of the cell grid."""
        return self.cells.shape  # type: ignore[return-value]

    @property
    def num_states(self) -> int:
        """The number of states the cells need (at least 2)."""
        return max(2, int(self.cells.max()) + 1) if self.cells.size else 2

    def __eq__(self, other: object) -> bool:
        """Same cells (shape and states) and the same metadata."""
        if not isinstance(other, Pattern):
            return NotImplemented
        meta = ("rule", "name", "comments", "author", "position", "generation")
        return self.same_cells(other) and all(
            getattr(self, k) == getattr(other, k) for k in meta)

    __hash__ = None  # type: ignore[assignment]  (mutable, like a list)

    def same_cells(self, other: Pattern) -> bool:
        """True if both patterns hold the same grid (shape and states)."""
        return self.cells.shape == other.cells.shape and bool(np.all(self.cells == other.cells))


def check_size(width: int, height: int, where: str) -> None:
    """Refuse grids over MAX_CELLS cells before anything is allocated."""
    if width * height > MAX_CELLS:
        raise AlifeError(
            f"pattern of {width} x {height} cells is too large; expected at most "
            f"{MAX_CELLS:.0e} cells", where=where)


FORMATS = (".rle", ".cells", ".mcl")
#: what `read_pattern` reads besides FORMATS
READ_ONLY = (".mc", ".lif", ".life", ".rle.gz", ".mc.gz", ".cells.gz", ".zip")


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise AlifeError(f"unknown pattern format {suffix or '(no extension)'!r}; expected one "
                         f"of {list(FORMATS + READ_ONLY)}", where=str(path))
    return suffix


def is_packed(path: str | Path) -> bool:
    """Whether `read_pattern` reads `path` through `alife.scene.readers` (a macrocell file, a
    gzip-compressed pattern, a zip archive or a member of one)."""
    from alife.core.archive import split_member

    name = Path(path).name.lower()
    return name.endswith((".mc", ".gz")) or split_member(path) is not None


def read_pattern(path: str | Path) -> Pattern:
    """Read a pattern file (module docstring); AlifeError naming the file and line if it is
    malformed."""
    path = Path(path)
    if is_packed(path):
        from alife.scene.readers import read_packed

        return read_packed(path)
    if path.suffix.lower() in (".lif", ".life"):
        from alife.scene.lifefile import read_life

        return read_life(path)
    if _format(path) == ".rle":
        from alife.scene.rle import read_rle

        return read_rle(path)
    if _format(path) == ".mcl":
        from alife.scene.mcell import read_mcell

        return read_mcell(path)
    from alife.scene.plaintext import read_cells

    return read_cells(path)


def write_pattern(path: str | Path, pattern: Pattern) -> None:
    """Write a pattern as `.rle` or `.cells` (by extension), atomically."""
    path = Path(path)
    if _format(path) == ".mcl":
        raise AlifeError("MCell files are read, not written; expected .rle or .cells",
                         where=str(path))
    if _format(path) == ".rle":
        from alife.scene.rle import write_rle

        write_rle(path, pattern)
        return
    from alife.scene.plaintext import write_cells

    write_cells(path, pattern)


def read_text(path: Path) -> str:
    """A pattern file's text: UTF-8, or Latin-1 for old files; AlifeError if unreadable, not a
    regular file (a FIFO, a device, a folder) or over MAX_PATTERN_BYTES."""
    from alife.core.safeio import read_regular

    data = read_regular(path, MAX_PATTERN_BYTES, "a pattern file (.rle or .cells)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.removeprefix("\ufeff")
