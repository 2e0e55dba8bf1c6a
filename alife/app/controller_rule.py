"""The rule and its params, as the app changes them: typed rule strings, slider params, config
rebuilds (size, topology) and the optional scene blocks a save writes. Mixed into
`alife.app.controller.Controller` (same object; `self` is the controller)."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.app import editing
from alife.app.controller_shape import ShapeMixin
from alife.core.errors import AlifeError
from alife.core.rule import Rule, can_edit, has_rule_text
from alife.core.types import ParamSpec, params_to_dict, replace_params


def same_structure(a: Any, b: Any) -> bool:
    """Whether two pytrees have the same structure, shapes and dtypes (one fits the other)."""
    la, ta = jax.tree_util.tree_flatten(a)
    lb, tb = jax.tree_util.tree_flatten(b)
    return ta == tb and all(np.shape(x) == np.shape(y) and jnp.result_type(x) == jnp.result_type(y)
                            for x, y in zip(la, lb, strict=True))


class RuleMixin(ShapeMixin):
    """Rule text, sliders, rebuilds of `Controller` (module docstring); kernels, scale, rotation
    and channels come with it (`ShapeMixin`: R slider and typed R rescale the cells)."""

    @property
    def rule_text(self) -> str:
        """The rule as typed ("" if the family has none); cached per (rule, params)."""
        cache = getattr(self, "_rule_text", None)
        if cache is None or cache[0] is not self.rule or cache[1] is not self.params:
            text = self.rule.rule_text(self.params) if has_rule_text(self.rule) else None
            cache = (self.rule, self.params, text or "")
            self._rule_text = cache
        return cache[2]

    def apply_rule_text(self, text: str) -> str | None:
        """Apply a typed rule string live; returns the error message (also in `rule_error`)."""
        if not has_rule_text(self.rule):
            self.rule_error = f"the {self.rule.family!r} family has no rule string"
            return self.rule_error
        try:
            rule, params = self.rule.apply_rule_text(text.strip(), self.params)
        except (AlifeError, ValueError, TypeError) as exc:  # a family bug must not end the app
            self.rule_error = str(exc)
            return self.rule_error
        self.rule_error = ""
        state = self.zoomed_for(rule, params)  # a typed R rescales the cells too
        if state is not None:
            self._edit(f"rule {text.strip()}", state, rule=rule, params=params)
            return None
        self._change_rule(rule, params, f"rule {text.strip()}")
        return None

    def _change_rule(self, rule: Rule, params: Any, label: str) -> None:
        state = self.state
        if rule is not self.rule:
            fresh = rule.init(self.world.key, params)
            if same_structure(fresh, state):
                pass  # the state still fits the new rule: keep it
            elif can_edit(rule) and can_edit(self.rule):  # carry the cells over, centred
                old = np.asarray(self.rule.cells(state))
                cells = editing.resize_centered(old, tuple(rule.shape))
                fresh_cells = rule.cells(fresh)
                state = rule.with_cells(fresh, jnp.asarray(cells, fresh_cells.dtype))
            else:  # no cell grid to carry over: the rebuilt world's own start
                state = fresh
        self._edit(label, state, rule=rule, params=params)

    def param_specs(self) -> list[ParamSpec]:
        cache = getattr(self, "_specs", None)
        if cache is None or cache[0] is not self.rule:
            cache = (self.rule, self.rule.param_specs())
            self._specs = cache
        return cache[1]

    def param_values(self) -> dict[str, float]:
        """Slider values (first element of each param); cached per params object."""
        cache = getattr(self, "_values", None)
        if cache is None or cache[0] is not self.params:
            values = params_to_dict(self.params)
            cache = (self.params, {s.name: float(np.asarray(values[s.name]).reshape(-1)[0])
                                   for s in self.param_specs()})
            self._values = cache
        return dict(cache[1])

    def set_extra_block(self, name: str, block: dict[str, Any]) -> None:
        """Set a top-level scene block (`training:`, `evolution:`) that a save writes out."""
        self.world = dataclasses.replace(self.world, extra={**self.world.extra, name: block})

    def set_param(self, name: str, value: float) -> None:
        """Change one slider param: no recompile (params are an argument of the step). An
        undoable edit; moving the same slider again continues it (one entry per drag, until
        another edit, an undo or a save). The scale param (Lenia's R) zooms the cells too
        while `rescale_with_scale` is on (`alife.app.controller_shape`)."""
        if self.rescales(name):
            self.set_scale(value)
            return
        params = replace_params(self.params, **{name: value})
        self.apply_edit(f"param {name}", params=params, join=self._param_edit == name)
        self._param_edit = name

    def config(self) -> dict[str, Any]:
        return dict(self.rule.config())

    @staticmethod
    def topology_choices() -> list[str]:
        """Topology names the world panel offers (`alife.core.topology`)."""
        from alife.core.topology import KINDS

        return [k for k in KINDS if k != "klein"] + ["klein-x", "klein-y"]

    def rebuild(self, **changes: Any) -> str | None:
        """Rebuild the rule with some config changed (size, topology...); error or None."""
        from alife.families import create

        config = {**self.rule.config(), **changes}
        try:
            rule = create(self.rule.family, **config)
        except (AlifeError, ValueError) as exc:
            return str(exc)
        params = rule.default_params()
        # keep every param (a scalar, a rule table, a tree of weights) whose shapes still fit
        keep = {f.name: getattr(self.params, f.name) for f in dataclasses.fields(params)
                if hasattr(self.params, f.name)
                and same_structure(getattr(self.params, f.name), getattr(params, f.name))}
        params = dataclasses.replace(params, **keep)
        self._change_rule(rule, params, "rebuild " + ", ".join(f"{k}={v}" for k, v in
                                                               changes.items()))
        return None
