"""Channels panel (sidebar) for worlds whose cells have several channels (the `CellChannels`
capability of `alife.core.rule`; multi-channel Lenia declares it).

"all" shows every channel added up in its colour (the family's: red, green, blue for up to
three, evenly spaced hues beyond; each can be changed with its swatch); picking a channel shows
that channel alone through the colour map (World panel) and makes the brush paint that channel
only. Each row shows the channel's mass. Showing and colours are display settings, not edits;
painting is an undoable edit like any brush stroke.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alife.app.panels import register_panel, widgets
from alife.app.panels.base import Panel

NAME = "Channels"


def applies(controller: Any) -> bool:
    return controller.cell_channels >= 2


def draw(app: Any) -> None:
    from imgui_bundle import imgui

    c = app.controller
    picked = c.cell_channel
    if imgui.radio_button("all##channel", picked < 0):
        c.set_cell_channel(-1)
        app.channel = -1  # the World panel's pick of a view channel would not fit
    widgets.note_rect(app, "channel_all")
    widgets.tip("every channel in its colour; the brush paints the world's own edit channel")
    colours = c.channel_colours()
    masses = np.asarray(c.channel_levels()).reshape(c.cell_channels, -1).sum(axis=1)
    flags = imgui.ColorEditFlags_.no_inputs | imgui.ColorEditFlags_.no_label
    for k in range(c.cell_channels):
        changed, rgb = imgui.color_edit3(f"##channel_colour_{k}",
                                         [float(v) for v in colours[k]], flags)
        widgets.note_rect(app, f"channel_colour_{k}")
        widgets.tip(f"the colour channel {k} is shown in with 'all'")
        if changed:
            c.set_channel_colour(k, tuple(rgb))
        imgui.same_line()
        if imgui.radio_button(f"channel {k}##channel", picked == k):
            c.set_cell_channel(k)
            app.channel = -1
        widgets.note_rect(app, f"channel_{k}")
        widgets.tip(f"show channel {k} alone (colour map); the brush paints channel {k} only")
        imgui.same_line()
        widgets.dim_text(f"mass {masses[k]:.1f}")
    if picked >= 0:
        widgets.dim_text(f"the brush paints channel {picked}", wrap=True)


PANEL = Panel(NAME, draw, applies=applies)
register_panel(PANEL, before="World")
