"""The family registry: the built-in families and the ones other packages install.

Every family is a package exporting one descriptor (`alife.core.family.Family`, named `FAMILY`).
The built-ins are listed here; a third-party package adds its own through the entry-point group
`alife.families` (the entry point names a `Family`, or a function returning one), so a family
written elsewhere works on every route with no edit in `alife/`. A plug-in that fails to load
is reported once on stderr and left out; it never stops the built-ins.

`families()`, `get(name)`, `create(name, **config)`, `build_trainer(world, ...)` and
`fitness_entries(rule)` are what the routes call.
"""

from __future__ import annotations

import importlib
import sys
from functools import lru_cache
from importlib import metadata
from typing import Any

from alife.core.errors import AlifeError, unknown_name
from alife.core.family import Family
from alife.core.fitness import FitnessEntry
from alife.core.rule import Rule
from alife.core.trainer import Trainer

BUILT_IN = ("agents", "biomaker", "elementary", "lenia", "life", "nca", "ruletable",
            "templates", "vitca")
ENTRY_POINT_GROUP = "alife.families"


def _built_in(name: str) -> Family:
    family = importlib.import_module(f"alife.rules.{name}").FAMILY
    if not isinstance(family, Family) or family.name != name:
        raise RuntimeError(f"alife.rules.{name}.FAMILY is not the {name!r} descriptor")
    return family


def _plug_in(entry: metadata.EntryPoint) -> Family | None:
    """The descriptor an entry point names (a Family or a function returning one), or None
    after a one-line warning when it cannot be loaded."""
    origin = getattr(entry.dist, "name", None) or entry.value
    try:
        found = entry.load()
        family = found() if callable(found) and not isinstance(found, Family) else found
        if not isinstance(family, Family):
            raise TypeError(f"{entry.value} is a {type(family).__name__}, not a Family")
    except Exception as exc:  # noqa: BLE001  (someone else's package: report, carry on)
        print(f"alife: plug-in family {entry.name!r} from {origin} not loaded: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return None
    if family.origin == "built-in":
        family = Family(**{**family.__dict__, "origin": str(origin)})
    return family


@lru_cache(maxsize=1)
def _registry() -> dict[str, Family]:
    found = {name: _built_in(name) for name in BUILT_IN}
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        family = _plug_in(entry)
        if family is None:
            continue
        if family.name in found:
            print(f"alife: plug-in family {family.name!r} from {family.origin} not loaded: "
                  f"the name is taken by the {found[family.name].origin} family",
                  file=sys.stderr)
            continue
        found[family.name] = family
    found.update(_REGISTERED)
    return dict(sorted(found.items()))


_REGISTERED: dict[str, Family] = {}


def register(family: Family) -> None:
    """Add a family from code (a notebook, a test) without packaging it; replaces one of the
    same name that was registered this way."""
    if family.name in _registry() and family.name not in _REGISTERED:
        raise AlifeError(f"the family name {family.name!r} is taken")
    _REGISTERED[family.name] = family
    refresh()


def unregister(name: str) -> None:
    """Remove a family added with `register`."""
    _REGISTERED.pop(name, None)
    refresh()


def refresh() -> None:
    """Forget what was found (after installing a plug-in in the same process)."""
    _registry.cache_clear()


def families() -> dict[str, Family]:
    """Every family, built-in and installed, by name."""
    return dict(_registry())


def get(name: str, where: str = "rule.family") -> Family:
    """The family called `name`; an unknown name is an AlifeError naming the nearest one."""
    known = _registry()
    if name not in known:
        raise AlifeError(unknown_name("rule family", name, known), where=where)
    return known[name]


def create(name: str, **config: Any) -> Rule:
    """Build a rule of family `name` from its config; bad names or config raise AlifeError."""
    family = get(name)
    try:
        return family.factory(**config)
    except AlifeError:
        raise
    except TypeError as exc:
        raise AlifeError(f"bad config for rule family {name!r}: {exc}") from None


def family_of(rule: Rule) -> Family:
    """The descriptor of `rule`'s family."""
    return get(rule.family)


def trainer_families() -> list[str]:
    """Families that declare a trainer."""
    return [n for n, f in _registry().items() if f.trainer is not None]


def build_trainer(world: Any, *, settings: dict[str, Any] | None = None, target: Any = None,
                  start_params: Any = None) -> Trainer:
    """The trainer for `world`'s rule family (AlifeError if the family declares none).

    `settings` replaces the scene's block (`training:`), `target` (an array) replaces the
    block's target file, `start_params` (rule Params) starts from those weights instead of fresh
    ones: the app's job panel uses them; `alife train` passes none.
    """
    family = family_of(world.rule)
    if family.trainer is None:
        raise AlifeError(f"the {family.name!r} family has no trainer; families with one: "
                         f"{', '.join(trainer_families())}", where="rule.family")
    return family.trainer(world, settings=settings, target=target, start_params=start_params)


def fitness_entries(rule: Rule | None = None) -> dict[str, FitnessEntry]:
    """Named fitness functions the families declare (only `rule`'s family's, when given);
    `alife.evolve.fitness` adds the generic ones."""
    chosen = [family_of(rule)] if rule is not None else list(_registry().values())
    found: dict[str, FitnessEntry] = {}
    for family in chosen:
        found.update(family.fitness)
    return found
