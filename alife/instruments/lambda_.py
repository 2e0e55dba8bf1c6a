"""Langton's lambda of a rule table: the fraction of transitions to a non-quiescent state.

Langton, "Computation at the edge of chaos", Physica D 42 (1990). The quiescent state is 0.
Each family with a finite rule table computes its own value (the `RuleTable` capability,
`alife.core.rule`): the elementary family over its k^(2r+1) table entries (totalistic codes
weighted by how many neighbourhoods give each sum), the life family from its birth/survival
tables (Conway's Life: 0.2734, Langton's published value).

`rule_lambda(rule, params)` returns NaN for rules without a finite table (continuous, neural,
template-matching families).
"""

from __future__ import annotations

from typing import Any


def rule_lambda(rule: Any, params: Any) -> float:
    """lambda of a rule's current params (NaN when the rule has no rule table)."""
    from alife.core.rule import RuleTable  # here: the app's Measures panel imports no JAX

    if isinstance(rule, RuleTable):
        return float(rule.langton_lambda(params))
    return float("nan")
