"""Rule-table pattern files opened on the multi-state HashLife universe
(`alife.rules.ruletable.hashlife`), for `alife run` and the app.

- Macrocell files (`.mc`, `.mc.gz`, inside a `.zip`) go straight into the quadtree
  (`alife.rules.ruletable.hashlife_macrocell`).
- Other pattern files (`.rle`, `.rle.gz`, ...) are read by the pattern readers into a grid (at
  most `patterns.MAX_CELLS` cells: the widest of Golly's, JvN-loop-replicator, is 1,048,753 x 151)
  and their non-zero cells placed with `set_cells` (a pattern with no `#CXRLE Pos` is centred on
  the origin, as Golly places it).
- The rule is looked up as the grid route does: the pattern's folder first (an archive's own
  rule files for a member of one), then the rule library's search path.
- `opens_on_hashlife`: whether a pattern goes to the universe rather than the grid engine (a rule
  table, and wider or taller than the grid engine opens, or asked for).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError
from alife.rules.ruletable.hashlife import Universe
from alife.rules.ruletable.hashlife_macrocell import parse_macrocell
from alife.scene.patterns import Pattern

#: an RLE header line (`alife.scene.rle` reads the same)
_RLE_HEADER = re.compile(r"x\s*=\s*(\d+)\s*,\s*y\s*=\s*(\d+)\s*(?:,\s*rule\s*=\s*(.*?))?\s*$",
                         re.IGNORECASE)
#: suffixes of the pattern files this route reads (besides archives and their members)
SUFFIXES = (".rle", ".cells", ".mc", ".rle.gz", ".mc.gz", ".cells.gz")


def is_macrocell(path: str | Path) -> bool:
    """Whether the file (or archive member) is a macrocell file by its name."""
    name = Path(path).name.lower()
    return name.endswith((".mc", ".mc.gz"))


def _bytes(path: Path) -> tuple[bytes, str, Path]:
    """(bytes, where, rules folder) of a pattern file or archive member, gzip unpacked."""
    from alife.core import archive
    from alife.scene.readers import packed_bytes

    data, name, where = packed_bytes(path)
    if name.lower().endswith(".gz"):
        data = archive.gunzip(data, where)
    return data, where, rules_folder(path)


def rules_folder(path: str | Path) -> Path:
    """Where a pattern's rule is looked up first: its folder, or an archive's rule files."""
    from alife.core import archive

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


def read_universe(path: str | Path, rule: str | None = None, max_nodes: int | None = None,
                  pattern: Pattern | None = None) -> tuple[Universe, str, list[str]]:
    """(universe at the file's generation, pattern name, comments) of a rule-table pattern;
    `rule` overrides the file's rule (not for a macrocell file, which carries its own);
    `pattern`: the file already read (not a macrocell)."""
    path = Path(path).expanduser()
    extra = {"max_nodes": max_nodes} if max_nodes else {}
    if pattern is None or is_macrocell(path):
        data, where, folder = _bytes(path)
    else:
        data, where, folder = b"", str(path), rules_folder(path)
    inner = where.rsplit("/", 1)[-1]
    stem = inner.split(".")[0]
    if is_macrocell(inner):
        if rule:
            raise AlifeError("a macrocell file carries its rule (#R); drop --rule", where=where)
        universe, comments = parse_macrocell(
            _text(data), where, lambda name: _universe(name, folder, where, extra))
        return universe, stem, comments
    if pattern is None:
        from alife.scene.readers import parse_bytes

        plain = inner[:-3] if inner.lower().endswith(".gz") else inner  # unpacked already
        pattern = parse_bytes(data, plain, where)
    name = rule or pattern.rule
    if not name:
        raise AlifeError("the pattern names no rule; expected a header 'rule = NAME' or --rule",
                         where=where)
    universe = _universe(name, folder, where, extra)
    if pattern.cells.size and int(pattern.cells.max()) >= universe.n_states:
        raise AlifeError(f"the pattern has state {int(pattern.cells.max())}; rule {name} has "
                         f"states 0..{universe.n_states - 1}", where=where)
    ys, xs = np.nonzero(pattern.cells)
    h, w = pattern.cells.shape
    x0, y0 = pattern.position if pattern.position is not None else (-(w // 2), -(h // 2))
    universe.set_cells(xs + x0, ys + y0, pattern.cells[ys, xs])
    universe.generation = pattern.generation or 0
    return universe, pattern.name or stem, list(pattern.comments)


def _universe(name: str, folder: Path | None, where: str, extra: dict) -> Universe:
    try:
        return Universe.for_rule(name, folder, **extra)
    except AlifeError as exc:
        raise AlifeError(f"rule {name!r}: {exc.detail}", where=where) from None




# ---- which engine opens a pattern -----------------------------------------------------------
@lru_cache(maxsize=1)
def _pattern(path: str) -> Pattern:
    from alife.scene.patterns import read_pattern

    return read_pattern(path)


def pattern_once(path: str | Path) -> Pattern:
    """The pattern file read once (the route check and the run share it; the last one kept)."""
    return _pattern(str(path))


@lru_cache(maxsize=1)
def _macrocell(path: str) -> tuple[Universe, str, list[str]]:
    return read_universe(path)


def macrocell_once(path: str | Path, fresh: bool = False) -> tuple[Universe, str, list[str]]:
    """A macrocell file's universe, read once for the route check; `fresh`: the caller takes
    it to run (later calls read the file again)."""
    found = _macrocell(str(path))
    if fresh:
        _macrocell.cache_clear()
    return found


def forget() -> None:
    """Drop the patterns read for the route check (a large grid need not stay in memory)."""
    _pattern.cache_clear()
    _macrocell.cache_clear()


def _rle_header(path: Path) -> tuple[int, int, str | None] | None:
    """(width, height, rule) from a plain `.rle` file's header line, read from its first
    64 KiB only (so the route check does not decode the body), or None."""
    if path.suffix.lower() != ".rle" or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16).decode("latin-1")
    except OSError:
        return None
    for line in head.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _RLE_HEADER.match(line)
        if match is None:
            return None
        return int(match.group(1)), int(match.group(2)), match.group(3) or None
    return None


def rule_name(path: str | Path) -> str | None:
    """The rule a pattern file names (a macrocell's `#R`, a pattern's header), or None."""
    path = Path(path)
    if is_macrocell(path):
        from alife.scene.macrocell_grid import header_rule

        return header_rule(path)
    header = _rle_header(path)
    if header is not None:
        return header[2]
    return pattern_once(path).rule


def is_table_rule(text: str | None, path: str | Path) -> bool:
    """Whether rule text `text` names a rule table the library finds for a pattern at `path`
    (not a Life-like, Generations or Larger-than-Life rule; no bounded-grid suffix)."""
    from alife.rules.life.rulestring import parse_rule
    from alife.rules.ruletable.library import load_rule, split_rule_text

    if not text:
        return False
    try:
        parse_rule(text)
        return False
    except AlifeError:
        pass
    try:
        name, suffix = split_rule_text(text)
        if suffix is not None:
            return False
        load_rule(name, rules_folder(path))
    except AlifeError:
        return False
    return True


def is_pattern_file(path: str | Path) -> bool:
    """Whether `path` names a pattern file this route could read (by its name)."""
    from alife.core import archive

    name = str(path).lower()
    return name.endswith(SUFFIXES) or archive.split_member(path) is not None \
        or archive.is_archive(path)


def opens_on_hashlife(path: str | Path, rule: str | None = None, force: bool = False) -> bool:
    """Whether the pattern at `path` runs on the multi-state universe: its rule (`rule`
    overrides a non-macrocell file's) is a rule table, and `force`, or the pattern is wider or
    taller than the grid engine opens (`pattern_world.MAX_MARGIN`). A malformed file whose
    rule is a table raises its AlifeError."""
    from alife.scene.pattern_world import MAX_MARGIN

    if not is_pattern_file(path):
        return False
    try:
        text = (rule if rule and not is_macrocell(path) else rule_name(path))
    except AlifeError:
        return False
    if not is_table_rule(text, path):
        return False
    if force:
        return True
    if is_macrocell(path):
        box = macrocell_once(path)[0].bounding_box()
        width, height = (0, 0) if box is None else (box[2] - box[0] + 1, box[3] - box[1] + 1)
    else:
        header = _rle_header(Path(path))
        width, height = header[:2] if header is not None else pattern_once(path).cells.shape[::-1]
    return max(width, height) > MAX_MARGIN
