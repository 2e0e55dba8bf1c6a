"""A HashLife world's universe written as Golly's macrocell file: the two-state writer for Life-like
universes, the multi-state one for rule tables (both atomic: temp + rename)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write_universe(path: str | Path, universe: Any, comments: list[str]) -> None:
    """Write `universe` to `path` (`.mc` or `.mc.gz`); AlifeError or OSError when it cannot."""
    from alife.rules.life.hashlife import Universe
    from alife.rules.life.macrocell import write_macrocell as write_two_state
    from alife.rules.ruletable.hashlife_macrocell import write_macrocell as write_states

    write = write_two_state if isinstance(universe, Universe) else write_states
    write(path, universe, comments)
