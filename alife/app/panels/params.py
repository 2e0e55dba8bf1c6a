"""Params panel: one slider per `rule.param_specs()`; moving one never recompiles the step
(params are arrays passed to the compiled step).

Fine control, for params as touchy as Lenia's mu and sigma: a slider whose range spans orders of
magnitude (low > 0, high / low >= LOG_RATIO) is logarithmic; beside each slider a drag box moves
the value by 1/10,000 of the range per pixel (Shift: x10, Alt: x0.1, as ImGui drags do); a
Ctrl+click on the slider or a double-click on the box types an exact value.
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets
from alife.app.panels.base import Panel

LOG_RATIO = 20.0
DRAG_FRACTION = 1e-4  # of the range, per pixel dragged


def _has_params(controller: Any) -> bool:
    return bool(controller.param_specs())


def slider_setup(spec: Any) -> tuple[bool, float]:
    """(logarithmic slider?, drag speed per pixel) for a float param spec."""
    low, high = float(spec.low), float(spec.high)
    logarithmic = low > 0 and high / low >= LOG_RATIO
    return logarithmic, (high - low) * DRAG_FRACTION


def draw(app: Any) -> None:
    c = app.controller
    values = c.param_values()
    for spec in c.param_specs():
        value = values[spec.name]
        if spec.integer:
            imgui.set_next_item_width(-110)
            changed, new = imgui.slider_int(spec.name, int(round(value)), int(spec.low),
                                            int(spec.high))
            widgets.note_rect(app, f"param_{spec.name}")
        else:
            logarithmic, speed = slider_setup(spec)
            flags = imgui.SliderFlags_.always_clamp
            if logarithmic:
                flags |= imgui.SliderFlags_.logarithmic
            imgui.set_next_item_width(-180)
            changed, new = imgui.slider_float(f"##{spec.name}", value, float(spec.low),
                                              float(spec.high), "%.5g", flags)
            widgets.note_rect(app, f"param_{spec.name}")
            widgets.tip((spec.doc + "\n" if spec.doc else "") + "Ctrl+click: type a value")
            imgui.same_line()
            imgui.set_next_item_width(64)
            fine, dragged = imgui.drag_float(f"##fine_{spec.name}", new, speed, float(spec.low),
                                             float(spec.high), "%.4g",
                                             imgui.SliderFlags_.always_clamp)
            widgets.note_rect(app, f"fine_{spec.name}")
            widgets.tip("drag: fine (Alt finer, Shift coarser); double-click: type a value")
            if fine:
                changed, new = True, dragged
            imgui.same_line()
            imgui.text(spec.name)
        if spec.doc and spec.integer:
            widgets.tip(spec.doc)
        if changed:
            c.set_param(spec.name, new)


PANEL = Panel("Params", draw, applies=_has_params)
