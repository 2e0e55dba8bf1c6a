"""Statistics panel: each of the rule's `metrics` over generations, plotted live with ImPlot
(axes auto-fit every frame, as ImPlot needs for live data). The plot IDs use "###" so a title
showing the latest value does not make a new plot every frame."""

from __future__ import annotations

from typing import Any

import numpy as np
from imgui_bundle import imgui, implot

from alife.app.panels.base import Panel


def draw(app: Any) -> None:
    log = app.controller.metrics_log
    names = log.names()
    if len(log) < 1 or not names:
        imgui.text("no data yet: press Play")
        return
    spacing = imgui.get_style().item_spacing.y
    avail = imgui.get_content_region_avail().y
    height = max(110.0, (avail - spacing * (len(names) - 1)) / len(names) - 1)
    fit = implot.AxisFlags_.auto_fit
    for name in names:
        gens, values = log.series(name)
        last = values[-1]
        if implot.begin_plot(f"{name}: {last:.6g}###{name}", imgui.ImVec2(-1, height),
                             implot.Flags_.no_legend | implot.Flags_.no_menus):
            implot.setup_axes("generation", "", fit, fit)
            implot.plot_line(name, np.ascontiguousarray(gens), np.ascontiguousarray(values))
            implot.end_plot()


PANEL = Panel("Statistics", draw, kind="right", default_open=True, key="T")
