"""`alife run` of rule-table patterns on the multi-state HashLife universe
(`alife.rules.ruletable.hashlife`), beside the two-state route of `run_hashlife`.

A pattern whose rule is a rule table (a Golly `.rule` / `.table` / `.tree` found as the grid
route finds it, or one of the built-in JvN29 / Nobili32 / Hutton32) goes to HashLife when

- `--engine hashlife` asks for it, or
- `--engine auto` (the default) and the pattern is wider or taller than the grid engine opens
  (`pattern_world.MAX_MARGIN` cells a side: Golly's Self-Rep machines, up to 7.5 million cells
  wide).

Everything else about the run (steps up to 2^62, `--metrics`, `--out` .mc/.rle/.png, the summary
line) is `run_hashlife`'s; this module decides the route and opens the universe
(`alife.rules.ruletable.hashlife_open` on an `alife.scene.hashlife_patterns` source) and writes
it.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def pattern(path: Path):
    """The pattern at `path` (read once for the route check and the run)."""
    from alife.scene.hashlife_patterns import source

    return source(path).pattern


def wants_table(args: argparse.Namespace, path: Path, text: str) -> bool:
    """Whether this run goes to the multi-state universe (module docstring)."""
    from alife.rules.ruletable.hashlife_open import opens_on_hashlife
    from alife.scene.hashlife_patterns import is_pattern_file, source

    del text  # the source reads the rule itself (a macrocell's #R, a pattern's header)
    if not is_pattern_file(path):
        return False
    return opens_on_hashlife(source(path), args.rule or None,
                             force=getattr(args, "engine", "auto") == "hashlife")


def load(args: argparse.Namespace, path: Path):
    """(universe, name) of a pattern on the multi-state route."""
    from alife.rules.ruletable.hashlife_open import read_universe, universe_once
    from alife.scene.hashlife_patterns import forget, source

    src = source(path)
    try:
        if src.is_macrocell and not args.rule:
            universe, name, _ = universe_once(src, take=True)
        else:
            universe, name, _ = read_universe(src, rule=args.rule)
    finally:
        forget()
    return universe, name


def is_table_universe(universe: object) -> bool:
    from alife.rules.ruletable.hashlife import Universe

    return isinstance(universe, Universe)
