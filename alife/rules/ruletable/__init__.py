"""Rule tables: Golly's `.rule` files (`@TABLE`, `@TREE`, `@COLORS`) run on the JAX engine.

Modules: `ruleformat` (the parser), `compile` (tables into decision trees, dense tables),
`library` (finding a rule by name: next to the pattern, the user's rules folder, the rules alife
ships in `assets/rules`, Golly's Rules folder), `kernels` (the step: gathers over the grid) and
`rule` (`RuleTableRule`, registered as family "ruletable"). See docs/rule-tables.md.
"""

from alife.core.family import Family
from alife.rules.ruletable.rule import RuleTableParams, RuleTableRule, RuleTableState

__all__ = ["FAMILY", "RuleTableParams", "RuleTableRule", "RuleTableState"]

FAMILY = Family(
    name="ruletable",
    factory=RuleTableRule,
    summary="Golly rule tables and trees (.rule: @TABLE, @TREE): WireWorld, Langton's loops, "
            "Codd, Byl, Evoloop, Turmites, ... by name",
    example={"rule": "WireWorld", "width": 32, "height": 32, "density": 0.3},
    read_rule_text=RuleTableRule.config_from_text,
)
