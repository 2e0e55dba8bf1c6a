"""Which families the instruments work on, chosen by capability (never by a family's name).

`alife measure` and `alife dataset` run many rules of one family batched over params: they need
a family whose rules take typed rule text (`RuleText`) on a grid of discrete states
(`GridEditing`, `num_states >= 2`); space-time windows also need a 1-D rule (`SpaceTime`). A
family qualifies when its descriptor's example rule has those capabilities, so a plug-in family
with them works too.

`batch_config` is the config such a command builds: 1-D space-time rules get `width`, one row of
`history`, a `boundary` and a random start; 2-D rules a `side` x `side` grid with a `topology`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alife.core.errors import AlifeError
from alife.core.rule import GridEditing, Rule, RuleText, SpaceTime
from alife.families import create, families


def example(name: str) -> Rule | None:
    """The example rule of family `name` (None when it cannot be built)."""
    family = families().get(name)
    if family is None:
        return None
    try:
        return create(name, **dict(family.example))
    except Exception:  # noqa: BLE001  (a plug-in's example: leave the family out)
        return None


def measurable(rule: Any) -> bool:
    """Rule text on a grid of discrete states: what batched measures and datasets need."""
    return isinstance(rule, GridEditing) and isinstance(rule, RuleText) and rule.num_states >= 2


def windowed(rule: Any) -> bool:
    """Measurable and 1-D (a space-time diagram): what dataset windows need."""
    return measurable(rule) and isinstance(rule, SpaceTime)


def families_where(test: Callable[[Any], bool]) -> list[str]:
    """Names of the families whose example rule passes `test`, sorted."""
    return [name for name in sorted(families()) if test(example(name))]


def choose(name: str, test: Callable[[Any], bool], flag: str = "--family") -> Rule:
    """The example rule of family `name` when it passes `test`; otherwise an AlifeError naming
    the families that do."""
    rule = example(name)
    if rule is None or not test(rule):
        raise AlifeError(f"{name!r}; expected one of {', '.join(families_where(test))}",
                         where=flag)
    return rule


def batch_config(rule: Any, width: int, side: int, boundary: str = "periodic",
                 topology: str = "torus") -> dict[str, Any]:
    """The config a command builds for `rule`'s family (module docstring)."""
    if isinstance(rule, SpaceTime):
        return {"width": width, "history": 1, "start": "random", "boundary": boundary}
    return {"width": side, "height": side, "topology": topology}
