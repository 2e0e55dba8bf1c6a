"""Opening a rule-table pattern on the multi-state HashLife universe (`hashlife.py`), and whether
to: the one place `alife run` and the app decide it.

The file side comes from a pattern source (`alife.scene.hashlife_patterns.PatternSource`,
passed in: rules import nothing from scene): its path, rule folder, text or Pattern, rule name
and size. A pattern goes to the universe when its rule is a rule table (a `.rule` / `.table` /
`.tree` found as the grid route finds it, or a built-in JvN29 / Nobili32 / Hutton32; not a
Life-like, Generations or Larger-than-Life rule, no bounded-grid suffix) and it is forced
(`--engine hashlife`) or wider or taller than the grid engine opens (`source.grid_side`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alife.core.errors import AlifeError
from alife.rules.ruletable.hashlife import Universe
from alife.rules.ruletable.hashlife_macrocell import parse_macrocell


def is_table_rule(text: str | None, folder: Any = None) -> bool:
    """Whether rule text `text` names a rule table the library finds (module docstring)."""
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
        load_rule(name, folder)
    except AlifeError:
        return False
    return True


def _universe(name: str, folder: Any, where: str, extra: dict) -> Universe:
    try:
        return Universe.for_rule(name, folder, **extra)
    except AlifeError as exc:
        raise AlifeError(f"rule {name!r}: {exc.detail}", where=where) from None


def read_universe(src: Any, rule: str | None = None, max_nodes: int | None = None
                  ) -> tuple[Universe, str, list[str]]:
    """(universe at the file's generation, pattern name, comments) of a pattern source; `rule`
    overrides a pattern's rule (not a macrocell file's, which carries its own). A pattern with
    no `#CXRLE Pos` is centred on the origin, as Golly places it."""
    extra = {"max_nodes": max_nodes} if max_nodes else {}
    if src.is_macrocell:
        if rule:
            raise AlifeError("a macrocell file carries its rule (#R); drop --rule",
                             where=str(src.path))
        text, where = src.text(), src.where
        universe, comments = parse_macrocell(
            text, where, lambda name: _universe(name, src.folder, where, extra))
        return universe, src.stem, comments
    pattern, where = src.pattern, str(src.path)
    name = rule or pattern.rule
    if not name:
        raise AlifeError("the pattern names no rule; expected a header 'rule = NAME' or --rule",
                         where=where)
    universe = _universe(name, src.folder, where, extra)
    cells = pattern.cells
    if cells.size and int(cells.max()) >= universe.n_states:
        raise AlifeError(f"the pattern has state {int(cells.max())}; rule {name} has states "
                         f"0..{universe.n_states - 1}", where=where)
    ys, xs = np.nonzero(cells)
    h, w = cells.shape
    x0, y0 = pattern.position if pattern.position is not None else (-(w // 2), -(h // 2))
    universe.set_cells(xs + x0, ys + y0, cells[ys, xs])
    universe.generation = pattern.generation or 0
    return universe, pattern.name or src.stem, list(pattern.comments)


def universe_once(src: Any, take: bool = False) -> tuple[Universe, str, list[str]]:
    """A source's universe, read once for the route check and the run; `take`: the caller
    runs it (a later call reads the file again)."""
    found = src.cache.get("universe")
    if found is None:
        found = src.cache["universe"] = read_universe(src)
    if take:
        src.cache.pop("universe", None)
    return found


def opens_on_hashlife(src: Any, rule: str | None = None, force: bool = False) -> bool:
    """Whether the pattern runs on the multi-state universe (module docstring); a malformed
    file whose rule is a table raises its AlifeError."""
    try:
        text = rule if rule and not src.is_macrocell else src.rule()
    except AlifeError:
        return False
    if not is_table_rule(text, src.folder):
        return False
    if force:
        return True
    size = src.size()
    if size is None:  # a macrocell file: its bounding box
        box = universe_once(src)[0].bounding_box()
        size = (0, 0) if box is None else (box[2] - box[0] + 1, box[3] - box[1] + 1)
    return max(size) > src.grid_side
