"""Golly's bounded-grid suffix of a rule text (`B3/S23:T64,48`, `WireWorld:P60,60`), read and
written in one place for every family whose rules take it.

- `:T w,h` torus, `:P w,h` plane (dead cells outside), `:K w*,h` / `:K w,h*` Klein bottle (the
  starred size is the twisted edge), `:C w,h` cross-surface, `:S n` sphere (square).
- A missing height repeats the width (`:T64` is `:T64,64`). A zero size is Golly's infinite
  direction; grids here are finite, so it is refused. Golly's shifted tori (`:T64+1,48`) are not
  supported.

API:
    parse_grid_suffix(rule_text, suffix) -> GridSuffix     suffix without the colon
    GridSuffix.of(topology, width, height) -> GridSuffix | None   None for a topology with none
    suffix.topology() -> Topology;  suffix.text() -> ":T64,48"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from alife.core.errors import AlifeError
from alife.core.topology import Topology

_PATTERN = re.compile(r"([A-Za-z])(\d*)(\*?)(?:,(\d+)(\*?))?")
_KINDS = {"T": "torus", "P": "plane", "K": "klein", "C": "cross", "S": "sphere"}
_LETTERS = {name: letter for letter, name in _KINDS.items()}


@dataclass(frozen=True)
class GridSuffix:
    """A bounded-grid suffix: kind T/P/K/C/S, size, and for K which size is starred."""

    kind: str
    width: int
    height: int
    twist: str = "x"

    @classmethod
    def of(cls, topology: Topology, width: int, height: int) -> GridSuffix | None:
        """The suffix that rebuilds this grid, or None where Golly has no suffix for it."""
        letter = _LETTERS.get(topology.kind)
        if letter is None:
            return None
        return cls(letter, width, height, topology.twist if letter == "K" else "x")

    def topology(self) -> Topology:
        return Topology(_KINDS[self.kind], self.twist if self.kind == "K" else "x")

    def text(self) -> str:
        if self.kind == "S":
            return f":S{self.width}"
        if self.kind == "K":
            star_w, star_h = ("*", "") if self.twist == "x" else ("", "*")
            return f":K{self.width}{star_w},{self.height}{star_h}"
        return f":{self.kind}{self.width},{self.height}"


def _error(rule_text: str, detail: str) -> AlifeError:
    return AlifeError(f"bad rule {rule_text!r}: {detail}")


def parse_grid_suffix(rule_text: str, suffix: str) -> GridSuffix:
    """Golly's bounded-grid suffix (without the colon) of `rule_text`; AlifeError naming the
    rule and what was expected when it is malformed."""
    m = _PATTERN.fullmatch(suffix)
    if not m:
        raise _error(rule_text, f"bad bounded-grid suffix ':{suffix}'; expected ':T64,48', "
                                "':P64,48', ':K64*,48', ':C64,48' or ':S64' (shifted tori are "
                                "not supported)")
    kind = m.group(1).upper()
    if kind not in _KINDS:
        raise _error(rule_text, f"bad bounded-grid suffix: unknown grid type ':{m.group(1)}'; "
                                "expected T (torus), P (plane), K (Klein bottle), "
                                "C (cross-surface) or S (sphere)")
    if not m.group(2):
        raise _error(rule_text, f"':{suffix}' gives no grid size; expected e.g. ':{kind}64,48'")
    width = int(m.group(2))
    height = int(m.group(4)) if m.group(4) is not None else width
    star_w, star_h = bool(m.group(3)), bool(m.group(5))
    if width == 0 or height == 0:
        raise _error(rule_text, f"':{suffix}' has a zero (infinite) size; bounded grids here "
                                "are finite, expected sizes >= 1 (leave the suffix out for "
                                "an unbounded universe)")
    if kind == "K":
        if star_w == star_h:
            raise _error(rule_text, f"Klein bottle ':{suffix}' needs exactly one starred size "
                                    "(the twisted edge), e.g. ':K64*,48' or ':K64,48*'")
        return GridSuffix("K", width, height, "x" if star_w else "y")
    if star_w or star_h:
        raise _error(rule_text, f"'*' is only meaningful for Klein bottles (:K), not "
                                f"':{suffix}'")
    if kind == "S" and height != width:
        raise _error(rule_text, f"a sphere ':{suffix}' must be square; expected ':S{width}'")
    return GridSuffix(kind, width, height)
