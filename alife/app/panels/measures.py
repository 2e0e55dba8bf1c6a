"""Measures panel (right-hand column): live complexity measures of the running world
(alife.instruments), plus Langton's lambda of the rule, drawn by the app's one plotting component
(`alife.app.panels.plot_view`; the Plots window shows them larger, in its Measures tab). The
numbers come from `alife.app.measures_feed`, computed on the host with NumPy every few shown
frames from the controller's current view; this panel never imports JAX. Shown for discrete
rules only; View > Measures shows or hides it."""

from __future__ import annotations

from typing import Any

from alife.app.measures_feed import LABELS, applies
from alife.app.panels import plot_view, register_panel, widgets
from alife.app.panels.base import Panel

__all__ = ["LABELS", "PANEL", "draw"]


def draw(app: Any) -> None:
    from alife.app.panels import plots

    if widgets.button(app, "Larger: Plots window (G)", "measures_to_plots"):
        plots.open_tab(app, "Measures")
    plot_view.draw_group(app, plot_view.measures_group(app.controller), compact=True)


PANEL = Panel("Measures", draw, applies=applies, kind="right", default_open=True)
register_panel(PANEL)
