"""Rules Golly runs with algorithms of its own, built here as rule trees: von Neumann's
`JvN29`, Nobili's `Nobili32` and Hutton's `Hutton32` (Golly's JvN algorithm).

`builtin_rule(name)` gives the rule (a `library.LoadedRule`) for one of these names, in any
letter case and with Golly's older aliases (`JvN-29`, `JvN-32`, `modJvN-32`), or None for any
other name. Tabulating one takes seconds (29^5 or 32^5 neighbourhoods evaluated in NumPy,
`tabulate.py`: 3 s for JvN29, 7 s for Nobili32, 8 s for Hutton32 at load 7 on 2 cores), so the tree
is kept in the user's cache (`$XDG_CACHE_HOME/alife/rules`, default `~/.cache/alife/rules`) under
a name that carries a digest of the generating modules' source: a changed definition is
tabulated again, and an unreadable or damaged cache file is simply ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from alife.core.fileio import atomic_write_bytes
from alife.rules.ruletable import hutton, jvn, tabulate
from alife.rules.ruletable.compile import Compiled
from alife.rules.ruletable.ruleformat import TREE_ORDER
from alife.rules.ruletable.tabulate import NextState, compile_function

if TYPE_CHECKING:
    from alife.rules.ruletable.library import LoadedRule

#: canonical name -> (states, next-state function)
RULES: dict[str, tuple[int, NextState]] = {
    "JvN29": (29, jvn.next_state),
    "Nobili32": (32, jvn.nobili_next_state),
    "Hutton32": (32, hutton.next_state),
}
#: every accepted spelling (lower case) -> canonical name
ALIASES = {"jvn29": "JvN29", "jvn-29": "JvN29", "nobili32": "Nobili32", "jvn-32": "Nobili32",
           "hutton32": "Hutton32", "modjvn-32": "Hutton32"}


def canonical(name: str) -> str | None:
    """The canonical name of a built-in rule, or None."""
    return ALIASES.get(name.lower())


def cache_path(name: str) -> Path:
    """Where the tree of built-in rule `name` is cached (module docstring)."""
    digest = hashlib.sha256()
    for module in (jvn, hutton, tabulate):
        digest.update(Path(module.__file__ or "").read_bytes())
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alife" / "rules" / f"{name}-{digest.hexdigest()[:16]}.npz"


def _load(path: Path, n_states: int) -> Compiled | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            depths, values = data["depths"], data["values"]
    except (OSError, ValueError, KeyError):
        return None
    if depths.ndim != 1 or values.shape != (depths.size, n_states) or depths.size == 0:
        return None
    if depths[-1] != 5 or not np.all((depths >= 1) & (depths <= 5)):
        return None
    below = np.where(depths[:, None] == 1, n_states, np.arange(depths.size)[:, None])
    if values.min() < 0 or np.any(values >= below):  # children come before their parents
        return None
    inner = depths > 1
    if np.any(depths[values[inner]] != depths[inner, None] - 1):  # one level down each step
        return None
    nodes = tuple((int(d), tuple(int(v) for v in row)) for d, row in zip(depths, values,
                                                                           strict=True))
    return Compiled(n_states, TREE_ORDER[4], nodes)


def _save(path: Path, tree: Compiled) -> None:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, depths=np.array([d for d, _ in tree.nodes], np.int8),
                        values=np.array([v for _, v in tree.nodes], np.int32))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, buffer.getvalue())
    except OSError:
        pass  # a read-only home: tabulate again next time


@lru_cache(maxsize=len(RULES))
def compiled(name: str) -> Compiled:
    """The rule tree of built-in rule `name` (canonical): from the cache, else tabulated."""
    n_states, function = RULES[name]
    path = cache_path(name)
    tree = _load(path, n_states)
    if tree is None:
        tree = compile_function(function, n_states)
        _save(path, tree)
    return tree


def builtin_rule(name: str) -> LoadedRule | None:
    """The built-in rule called `name` (module docstring), or None."""
    from alife.rules.ruletable.library import LoadedRule

    found = canonical(name)
    if found is None:
        return None
    tree = compiled(found)
    n = tree.n_states
    return LoadedRule(found, Path(f"<built-in {found}>"), tree, jvn.COLOURS[:n], jvn.NAMES[:n],
                      "vonNeumann")
