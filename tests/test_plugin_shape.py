"""The plug-in shape holds (issue 14): code outside the families never asks a rule what it is by
name or by probing it. Read statically (AST) over every module in `alife/` except the families
(`alife/rules/`) and their registry (`alife/families.py`):

- no `getattr(x, ...)` / `hasattr(x, ...)` where `x`'s source text mentions a rule (`rule`,
  `self.rule`, `world.rule`, `template_rule`, ...): test a capability with `isinstance` or read
  an attribute `Rule` declares;
- no comparison or `in` test of `.family` or a variable named `family` against a string naming
  a built-in family (or a tuple, list or set of such strings): read the descriptor
  (`alife.families.family_of(rule)`) or test a capability.

Printing `rule.family` in a message is fine. Also: a rule that declares `StartDependsOnParams`
needs no empirical check of its start.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "alife"
BUILT_IN = {"life", "elementary", "lenia", "nca", "vitca", "biomaker", "agents", "templates"}
SKIPPED = (ROOT / "rules", ROOT / "families.py")


def _modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py")
                  if not any(p == s or s in p.parents for s in SKIPPED))


def _is_family(node: ast.AST) -> bool:
    """`x.family` or a variable named `family`."""
    return ((isinstance(node, ast.Attribute) and node.attr == "family")
            or (isinstance(node, ast.Name) and node.id == "family"))


def _names_family(node: ast.AST) -> bool:
    """A string naming a built-in family, or a tuple / list / set holding one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value in BUILT_IN
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_names_family(e) for e in node.elts)
    return False


def offences(source: str) -> list[tuple[int, str]]:
    """(line, source text) of every name switch and rule probe in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "hasattr") and node.args
                and not isinstance(node.args[0], ast.Call)  # family_of(rule): a descriptor
                and "rule" in ast.unparse(node.args[0]).lower()):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            switch = any(isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn)
                         for op in node.ops)
            if switch and any(map(_is_family, sides)) and any(map(_names_family, sides)):
                found.append((node.lineno, ast.unparse(node)))
    return found


def test_no_family_switches_or_rule_probes_outside_the_families():
    bad = [f"{path.relative_to(ROOT.parent)}:{line}: {text}"
           for path in _modules() for line, text in offences(path.read_text())]
    assert not bad, "switch on a capability instead:\n" + "\n".join(bad)


@pytest.mark.parametrize("source, count", [
    ('if rule.family == "elementary": pass', 1),
    ('ok = world.rule.family in ("life", "nca")', 1),
    ('ok = family not in ["vitca"]', 1),
    ('ok = "lenia" != self.rule.family', 1),
    ('x = getattr(rule, "num_states", 2)', 1),
    ('x = hasattr(self.controller.rule, "rule_text")', 1),
    ('x = getattr(template_rule, "k")', 1),
    ('print(f"family {rule.family!r}")', 0),
    ('ok = rule.family == name', 0),
    ('x = getattr(params, "table")', 0),
    ('x = getattr(family_of(rule), "trainer", None)', 0),
    ('ok = kind == "life"', 0),
])
def test_the_check_itself(source, count):
    assert len(offences(source)) == count


def test_declared_start_dependence_needs_no_check():
    import jax

    from alife.core.rule import StartDependsOnParams
    from alife.evolve.genome import build_genome, start_depends_on_genome
    from alife.rules.life import LifeRule

    class Declared(LifeRule, StartDependsOnParams):
        def init(self, key, params):
            raise AssertionError("the marker answers without running init")

    rule = Declared("B3/S23", 8, 8)
    params = rule.default_params()
    genome = build_genome(rule, params, {})
    assert start_depends_on_genome(rule, jax.random.PRNGKey(0), params, genome)
    plain = LifeRule("B3/S23", 8, 8)
    assert not start_depends_on_genome(plain, jax.random.PRNGKey(0), params, genome)
