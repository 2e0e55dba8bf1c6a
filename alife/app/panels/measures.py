"""Measures panel: live complexity measures of the running world (alife.instruments), plotted with
ImPlot, plus Langton's lambda of the rule. The numbers come from `alife.app.measures_feed`,
computed on the host with NumPy every few shown frames from the controller's current view; this
panel never imports JAX. Shown for discrete rules only."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from imgui_bundle import imgui, implot

from alife.app.measures_feed import NAMES, applies, feed_for
from alife.app.panels import register_panel
from alife.app.panels.base import Panel

LABELS = {"lz76_norm": "LZ76 (normalised)", "zlib": "zlib ratio", "entropy": "cell entropy",
          "block_entropy": "2x2 block entropy", "activity": "cells changed"}


def draw(app: Any) -> None:
    controller = app.controller
    feed = feed_for(controller)
    feed.update(controller)
    lam = feed.rule_lambda(controller)
    imgui.text(f"Langton's lambda: {lam:.4f}" if math.isfinite(lam) else "lambda: no rule table")
    if len(feed) < 1:
        imgui.text("no data yet: press Play")
        return
    height = 90.0  # compact: the right column scrolls, the Statistics panel keeps its room
    fit = implot.AxisFlags_.auto_fit
    for name in NAMES:
        gens, values = feed.series(name)
        if implot.begin_plot(f"{LABELS[name]}: {values[-1]:.3g}###m_{name}",
                             imgui.ImVec2(-1, height),
                             implot.Flags_.no_legend | implot.Flags_.no_menus):
            implot.setup_axes("generation", "", fit, fit)
            implot.plot_line(name, np.ascontiguousarray(gens), np.ascontiguousarray(values))
            implot.end_plot()


PANEL = Panel("Measures", draw, applies=applies, kind="right", default_open=True)
register_panel(PANEL)
