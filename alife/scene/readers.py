"""Pattern files that need unpacking or another reader before they are a Pattern: macrocell
files (`.mc`, into a dense grid), gzip-compressed patterns (`.rle.gz`, `.mc.gz`, `.cells.gz`)
and Golly's zip archives (`x.zip`, `x.zip/member`); `alife.scene.patterns.read_pattern`
sends them here. The bytes are read with the caps of `alife.core.archive` (a gzip bomb or a
hostile archive is one AlifeError), then parsed by the reader the (inner) name asks for.
"""

from __future__ import annotations

from pathlib import Path

from alife.core import archive
from alife.core.errors import AlifeError
from alife.scene.patterns import MAX_PATTERN_BYTES, Pattern

#: the largest plain macrocell file read (8x a pattern file's cap: macrocells are verbose)
MAX_MC_BYTES = 8 * MAX_PATTERN_BYTES
#: parsers by the name's (inner) suffix
PARSED = (".rle", ".cells", ".mcl", ".mc", ".lif", ".life")


def _text(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.removeprefix("\ufeff")


def parse_bytes(data: bytes, name: str, where: str) -> Pattern:
    """A pattern from a file's bytes; `name` (the file's or member's name) picks the reader."""
    low = name.lower()
    if low.endswith(".gz"):
        data, low = archive.gunzip(data, where), low[:-3]
    suffix = Path(low).suffix
    if suffix not in PARSED:
        raise AlifeError(f"unknown pattern format {suffix or '(no extension)'!r}; expected one "
                         f"of {', '.join(PARSED)} (also gzip-compressed)", where=where)
    text = _text(data)
    if suffix == ".rle":
        from alife.scene.rle import parse_rle

        return parse_rle(text, where)
    if suffix == ".cells":
        from alife.scene.plaintext import parse_cells

        return parse_cells(text, where)
    if suffix in (".lif", ".life"):
        from alife.scene.lifefile import parse_life

        return parse_life(text, where)
    if suffix == ".mcl":
        from alife.scene.mcell import parse_mcell

        return parse_mcell(text, where)
    from alife.scene.macrocell_grid import parse_macrocell

    return parse_macrocell(text, where)


def packed_bytes(path: str | Path) -> tuple[bytes, str, str]:
    """(bytes as stored, the file's or member's name, where) of a pattern file or archive
    member (not unpacked from gzip)."""
    path = Path(path)
    inside = archive.split_member(path)
    if inside is not None:
        data, member, _ = archive.read_member(path)
        return data, member, f"{inside[0]}/{member}"
    from alife.core.safeio import read_regular

    limit = archive.MAX_ARCHIVE_BYTES if path.name.lower().endswith(".gz") else MAX_MC_BYTES
    return read_regular(path, limit, "a pattern file"), path.name, str(path)


def read_packed(path: str | Path) -> Pattern:
    """A macrocell, gzip-compressed or archived pattern (module docstring)."""
    return parse_bytes(*packed_bytes(path))
