"""`alife.core.types.param`: ranges and defaults declared once, read back by name."""

from __future__ import annotations

import dataclasses

import jax
import pytest

from alife.core.types import param, param_defaults, param_specs, pytree_dataclass
from alife.rules.agents.rule import AgentsRule
from alife.rules.biomaker.config import BASE, BiomakerParams


@pytree_dataclass
class _Params:
    rate: jax.Array = param(0.0, 1.0, "a rate", default=0.25)
    count: jax.Array = param(1.0, 9.0, "a count", integer=True)
    table: jax.Array = None


def test_defaults_are_read_back_in_field_order_and_reach_the_slider_specs():
    assert param_defaults(_Params) == {"rate": 0.25}
    specs = {s.name: s for s in param_specs(_Params(0.5, 3.0, None))}
    assert specs["rate"].default == 0.25 and specs["count"].default is None
    with pytest.raises(ValueError, match="outside the range"):
        param(0.0, 1.0, "too big", default=2.0)


def test_shipped_rules_state_each_default_once():
    params = AgentsRule(width=16, height=16, agents=4, start=2, robots=1).default_params()
    for spec in param_specs(params):
        assert float(getattr(params, spec.name)) == pytest.approx(spec.default)
    sliders = [f.name for f in dataclasses.fields(BiomakerParams) if "low" in f.metadata]
    assert list(BASE) == sliders  # every Biomaker slider declares its default
