"""Statistics panel (right-hand column): each of the rule's `metrics` over generations, drawn by
the app's one plotting component (`alife.app.panels.plot_view`): each plot at least
`MIN_PLOT_HEIGHT` pixels tall (the column scrolls when there are many), labelled y ticks, log
scale, the last N generations or all, hover read-out, event counts summed, CSV export. "Larger"
opens the same plots in the Plots window (`alife.app.panels.plots`, key G)."""

from __future__ import annotations

from typing import Any

from alife.app.panels import plot_view, widgets
from alife.app.panels.base import Panel


def draw(app: Any) -> None:
    from alife.app.panels import plots

    if widgets.button(app, "Larger: Plots window (G)", "stats_to_plots"):
        plots.open_tab(app, "Statistics")
    plot_view.draw_group(app, plot_view.statistics_group(app.controller), compact=True)


PANEL = Panel("Statistics", draw, kind="right", default_open=True, key="T")
