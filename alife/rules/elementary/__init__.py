"""Wolfram 1-D cellular automata (family "elementary"): elementary rules 0-255, k colours and
radius r, totalistic codes, with a bit-packed fast path for 2-colour radius-1 rules.

Modules: `codes` (rule numbers / codes <-> tables, typed rule strings), `bitpacked` (32 cells per
uint32 word, k=2 r=1), `generic` (any k, r, elementary or totalistic), `rule` (`ElementaryRule`,
registered as "elementary").
"""

from alife.core.family import Family
from alife.rules.elementary.rule import ElementaryParams, ElementaryRule, ElementaryState

__all__ = ["FAMILY", "ElementaryParams", "ElementaryRule", "ElementaryState"]

FAMILY = Family(
    name="elementary",
    factory=ElementaryRule,
    summary="Wolfram 1-D CA: elementary rules 0-255, k colours / radius r, totalistic codes; "
            "scrolling space-time view",
    example={"rule": 110, "width": 64, "history": 32, "start": "random"},
    read_rule_text=ElementaryRule.config_from_text,
)
