"""Registry of rule families: `register("life", factory)`; `create("life", **config)`.

Adding a family is one module plus one line in `alife/rules/__init__.py`. A rule *instance*
(HighLife, rule 110, a trained lizard) is a scene file, not code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from alife.core.errors import AlifeError
from alife.core.rule import Rule


@dataclass(frozen=True)
class Family:
    """One registered family: its name, a factory taking the config kwargs, a one-line summary."""

    name: str
    factory: Callable[..., Rule]
    summary: str
    example: dict[str, Any]


_FAMILIES: dict[str, Family] = {}


def register(name: str, factory: Callable[..., Rule], summary: str = "",
             example: dict[str, Any] | None = None) -> None:
    """Register a family. `example` is a small config the conformance test builds it with."""
    _FAMILIES[name] = Family(name, factory, summary, dict(example or {}))


def families() -> dict[str, Family]:
    """All registered families, by name (imports the built-in families first)."""
    import alife.rules  # noqa: F401  (registers the built-in families)

    return dict(_FAMILIES)


def create(name: str, **config: Any) -> Rule:
    """Build a rule of family `name` from its config; bad names or config raise AlifeError."""
    known = families()
    if name not in known:
        raise AlifeError(f"unknown rule family {name!r}; expected one of {sorted(known)}")
    try:
        return known[name].factory(**config)
    except AlifeError:
        raise
    except TypeError as exc:
        raise AlifeError(f"bad config for rule family {name!r}: {exc}") from None
