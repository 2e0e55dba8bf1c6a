"""Life-like rules: Golly's rule strings (B/S, Hensel, Generations, Larger than Life).

Modules: `rulestring` (parser, `LifeSpec`), `hensel` (the 51 configuration letters), `kernels`
(range-1 generic JAX kernels), `ltl` (Larger than Life counts), `rule` (`LifeRule`, registered
as family "life"), and optionally `bitpacked` (the fast path for 2-state B/S rules).
"""

from alife.core.family import Family
from alife.rules.life.fitness import FITNESS
from alife.rules.life.rule import LifeParams, LifeRule, LifeState
from alife.rules.life.rulestring import Bounds, LifeSpec, parse_rule

__all__ = ["FAMILY", "Bounds", "LifeParams", "LifeRule", "LifeSpec", "LifeState", "parse_rule"]

FAMILY = Family(
    name="life",
    factory=LifeRule,
    summary="Life-like CA: B/S (Moore, V, H), Hensel letters, Generations, Larger than Life",
    example={"rule": "B3/S23", "width": 64, "height": 64, "density": 0.3},
    fitness=FITNESS,
    read_rule_text=LifeRule.config_from_text,
)
