"""Params panel: one slider per `rule.param_specs()`; moving one never recompiles the step
(params are arrays passed to the compiled step)."""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets
from alife.app.panels.base import Panel


def _has_params(controller: Any) -> bool:
    return bool(controller.param_specs())


def draw(app: Any) -> None:
    c = app.controller
    values = c.param_values()
    for spec in c.param_specs():
        imgui.set_next_item_width(-110)
        value = values[spec.name]
        if spec.integer:
            changed, new = imgui.slider_int(spec.name, int(round(value)), int(spec.low),
                                            int(spec.high))
        else:
            changed, new = imgui.slider_float(spec.name, value, float(spec.low), float(spec.high),
                                              "%.4g")
        widgets.note_rect(app, f"param_{spec.name}")
        if spec.doc:
            widgets.tip(spec.doc)
        if changed:
            c.set_param(spec.name, new)


PANEL = Panel("Params", draw, applies=_has_params)
