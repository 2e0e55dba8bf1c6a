"""The family descriptor: everything the rest of alife needs to know about a rule family.

Each family package (`alife/rules/<name>/`, or a third-party package) exports one `Family`
(conventionally `FAMILY`). The registry (`alife.families`) collects the built-in ones and those
other packages install through the entry-point group `alife.families`. Code outside the family
reads the descriptor and tests the rule's capabilities (`alife.core.rule`); it never switches on
a family's name.

Fields:
- `name`, `factory` (config kwargs -> Rule), `summary` (one line for `alife list`), `example`
  (a small config the conformance test and `alife list` build).
- `trainer`: `(world, *, settings, target, start_params) -> Trainer` (`alife.core.trainer`), or
  None. The family imports its training code lazily inside it, so a headless run never loads
  optax.
- `fitness`: named fitness functions for evolution (`alife.core.fitness.FitnessEntry`).
- `read_rule_text`: `(text, height, width) -> config | None`: the config a pattern file's rule
  line (or a typed rule) means for this family, None when the text is not this family's. A hook
  that also takes a keyword `folder` gets the pattern file's folder (where rule files the text
  names are looked up first: Golly's `.rule` files).
- `blocks`: the optional scene blocks the family accepts beyond the common `evolution:` (e.g.
  "training"), each with its block class (`alife.core.config`): the scene loader refuses a block
  the family does not declare, and checks a declared block's keys and values with its class
  (unknown keys refused with a suggestion).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alife.core.fitness import FitnessEntry
    from alife.core.rule import Rule
    from alife.core.trainer import Trainer

TrainerBuilder = Callable[..., "Trainer"]
RuleTextReader = Callable[[str | None, int, int], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Family:
    """One rule family, as the registry and every route see it (module docstring)."""

    name: str
    factory: Callable[..., Rule]
    summary: str
    example: Mapping[str, Any] = field(default_factory=dict)
    trainer: TrainerBuilder | None = None
    fitness: Mapping[str, FitnessEntry] = field(default_factory=dict)
    read_rule_text: RuleTextReader | None = None
    blocks: Mapping[str, type] = field(default_factory=dict)
    #: where the family came from: "built-in" or the distribution that installed it
    origin: str = "built-in"

    def __post_init__(self) -> None:
        if not self.name or not self.name.replace("_", "").isalnum():
            raise ValueError(f"family name {self.name!r}: expected letters, digits and _")
        if not callable(self.factory):
            raise ValueError(f"family {self.name!r}: factory must be callable")
