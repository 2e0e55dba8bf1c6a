"""World panel: the rule's static config (size, topology, ...) rebuilt through the registry,
and how the view is coloured (colour map, channel, grid lines).

Every plain value of `rule.config()` gets a field of its type; "Apply" rebuilds the rule with
`registry.create(family, **config)` (a new compile), keeping the cells centred and the params
whose shapes still fit. Changes are undoable like any edit.
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets
from alife.app.panels.base import Panel

COLORMAPS = ("viridis", "magma", "inferno", "plasma", "grey")


def draw(app: Any) -> None:
    c = app.controller
    if app.config_for is not c.rule:
        app.config_buffer, app.config_for = dict(c.config()), c.rule
    buf = app.config_buffer
    for name, value in list(buf.items()):
        imgui.set_next_item_width(-110)
        if name == "topology":
            choices = c.topology_choices()
            current = choices.index(value) if value in choices else 0
            _, index = imgui.combo(name, current, choices)
            buf[name] = choices[index]
        elif isinstance(value, bool):
            _, buf[name] = imgui.checkbox(name, value)
        elif isinstance(value, int):
            _, buf[name] = imgui.input_int(name, value, 16, 256)
        elif isinstance(value, float):
            _, buf[name] = imgui.input_float(name, value)
        elif isinstance(value, str):
            _, buf[name] = imgui.input_text(name, value)
        else:
            widgets.dim_text(f"{name}: {value}")
        widgets.note_rect(app, f"config_{name}")
    changes = {k: v for k, v in buf.items() if c.config().get(k) != v}
    if widgets.button(app, "Apply" if changes else "Apply##none", "config_apply") and changes:
        app.note(c.rebuild(**changes) or "rebuilt " + c.rule.describe())
        app.config_for = None
        app.want_fit = True
    imgui.same_line()
    widgets.dim_text(f"{len(changes)} change(s)" if changes else "no changes")

    imgui.separator_text("View")
    _, app.grid_lines = imgui.checkbox("grid lines", app.grid_lines)
    imgui.same_line()
    if c.has_links:
        _, app.message_lines = imgui.checkbox("message lines", app.message_lines)
        widgets.note_rect(app, "message_lines")
        widgets.tip("lines from each agent sending a message to those that receive it")
        imgui.same_line()
    if widgets.button(app, "Fit", "fit", 50):
        app.want_fit = True
    widgets.tip("f")
    imgui.set_next_item_width(-110)
    index = COLORMAPS.index(app.colormap) if app.colormap in COLORMAPS else 0
    _, index = imgui.combo("colour map", index, list(COLORMAPS))
    app.colormap = COLORMAPS[index]
    shown = c.display_image()  # a channel picked in the Channels panel: that one alone
    channels = shown.shape[2] if shown.ndim == 3 else 1
    if channels > 1:
        imgui.set_next_item_width(-110)
        _, app.channel = imgui.slider_int("channel", app.channel, -1, channels - 1,
                                          "%d (-1: all)")


PANEL = Panel("World", draw, default_open=False)
