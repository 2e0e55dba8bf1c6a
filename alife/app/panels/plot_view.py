"""One plotting component for every live plot of the app: Statistics, Measures, the training loss,
evolution's fitness, and the Plots window that shows them all large (`alife.app.panels.plots`).

A `Group` is a set of `Plot`s (each one or more `Series` against generations or iterations)
from one source: `statistics_group(controller)` (the rule's metrics, `alife.app.metrics_log`),
`measures_group(controller)` (`alife.app.measures_feed`), `loss_group(job)` and
`fitness_group(evolution)`. `draw_group(app, group, height)` draws a toolbar (log scale, the
window of the last N generations or all, how event counts show, CSV export) and the plots, each
at least `MIN_PLOT_HEIGHT` pixels tall: a caller with many plots scrolls rather than squashing
them. What a plot shows is `shown(series, ui, log)`, a pure function of the data and the
settings (`AppState.plots_ui`, `alife.app.state.PlotsUI`), and the CSV export writes exactly that.

Axes are set here, never auto-fitted by ImPlot: `y_limits` guards empty, constant, NaN / inf and
non-positive (log scale) data, so no plot ever shows an empty 1e-306..1 axis (a log axis fitted
to nothing, as the loss plot once did after an undo); `nice_ticks` puts labelled ticks at round
values no closer than `TICK_SPACING` pixels, so labels never overlap and a log axis spanning less
than a decade still has labelled ticks. Hovering a plot shows the value of each series at the
cursor's generation (and keeps the read-out in `ui.hover`).

Event counts: a metric a rule declares in `EventCounts.event_metrics` (`alife.core.rule`) counts
one step's events (Biomaker's reproductions, agents' births), mostly 0 when plotted per step; it
is shown summed over the last `ui.event_window` generations or as a running total. The running
total is the family's own exact one where it declares it (`EventCounts.event_totals`), else
the sum of the sampled points, each standing for the steps since the previous one (the log keeps
one point per shown frame); such an estimate is marked "~".

This module is the entry point and draws (ImGui / ImPlot) and exports; the records, the groups
and what a plot shows are in `alife.app.panels.plot_series`, the axis limits and ticks in
`alife.app.panels.plot_ticks` (both re-exported here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from alife.app.panels.plot_series import (  # noqa: F401  (re-exported)
    Group,
    Plot,
    Series,
    csv_text,
    event_info,
    fitness_group,
    loss_group,
    measures_group,
    moving_sum,
    running_total,
    series_label,
    shown,
    statistics_group,
)
from alife.app.panels.plot_ticks import (  # noqa: F401  (re-exported)
    MIN_TICK_SPACING,
    TICK_SPACING,
    format_tick,
    nice_ticks,
    x_limits,
    y_limits,
)

#: the smallest height of a plot's frame (title, plot area and x tick labels), in pixels
MIN_PLOT_HEIGHT = 150.0
#: the smallest height of a plot's data area (what tests check)
MIN_PLOT_AREA = 90.0
WINDOWS = (0, 100, 1000, 10000, 100000)  # the window presets (0: all)
EVENT_MODES = ("per step", "moving sum", "running total")


# ---- CSV export -------------------------------------------------------------------------------
def export_folder(app: Any) -> Path:
    """Where CSV exports go: the folder the user typed, else the scene's folder, else here."""
    ui = app.plots_ui
    if ui.folder.strip():
        return Path(ui.folder.strip()).expanduser()
    path = app.controller.world.path
    return Path(path).expanduser().resolve().parent if path else Path.cwd()


def export_csv(app: Any, group: Group) -> Path | None:
    """Write what `group` shows to a new CSV file (atomically) and say where in the status bar;
    the path, or None when it could not be written."""
    from alife.core.errors import AlifeError
    from alife.core.fileio import atomic_write_text

    text, rows, count = csv_text(group, app.plots_ui)
    if not rows:
        app.note(f"{group.title}: nothing shown, nothing to export")
        return None
    world = app.controller.world
    stem = Path(world.path).stem if world.path else "world"
    folder = export_folder(app)
    base = f"{stem}_{group.key}_g{app.controller.generation}"
    target = folder / f"{base}.csv"
    k = 2
    while target.exists():
        target = folder / f"{base}_{k}.csv"
        k += 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, text)
    except (AlifeError, OSError) as exc:
        app.note(f"CSV not written: {exc}")
        return None
    app.note(f"{group.title}: {rows} rows x {count} series saved to {target}")
    return target


# ---- drawing ------------------------------------------------------------------------------------
def draw_toolbar(app: Any, group: Group, compact: bool = False, where: str = "plot") -> None:
    """Log scale, the generation window, how event counts show, and CSV export (their
    rectangles noted as `f"{where}_log_{group.key}"`, `..._window_...`, `..._csv_...`)."""
    from imgui_bundle import imgui

    from alife.app.panels import widgets

    ui = app.plots_ui
    key = group.key
    changed, log = imgui.checkbox(f"log y##{key}", ui.log.get(key, group.log_default))
    widgets.note_rect(app, f"{where}_log_{key}")
    if changed:
        ui.log[key] = log
    widgets.tip("a logarithmic y axis (non-positive values are not shown)")
    imgui.same_line()
    names = ["all" if w == 0 else f"last {w}" for w in WINDOWS]
    current = WINDOWS.index(ui.window) if ui.window in WINDOWS else len(WINDOWS)
    imgui.set_next_item_width(96)
    opened = imgui.begin_combo(f"##window_{key}", names[current] if current < len(names)
                               else f"last {ui.window}")
    widgets.note_rect(app, f"{where}_window_{key}")
    if opened:
        for i, name in enumerate(names):
            if imgui.selectable(name, i == current)[0]:
                ui.window = WINDOWS[i]
        imgui.end_combo()
    widgets.tip(f"show every {group.x_label}, or only the last N")
    if not compact:
        imgui.same_line()
        imgui.set_next_item_width(80)
        changed, n = imgui.input_int(f"N##window_n_{key}", int(ui.window), 0, 0)
        widgets.note_rect(app, f"{where}_window_n_{key}")
        if changed:
            ui.window = max(0, n)
        widgets.tip(f"the last N {group.x_label}s (0: all)")
    imgui.same_line()
    if widgets.button(app, f"CSV##{key}", f"{where}_csv_{key}"):
        export_csv(app, group)
    if imgui.is_item_hovered():  # (the folder is looked up only then)
        imgui.set_tooltip(f"save what these plots show to a CSV file in {export_folder(app)}")
    if group.has_events:
        imgui.set_next_item_width(130)
        _, ui.events = imgui.combo(f"counts##{key}", int(ui.events), list(EVENT_MODES))
        widgets.note_rect(app, f"{where}_events_{key}")
        widgets.tip("event counts (births, reproductions) per step are mostly 0: show them "
                    "summed over the last N generations, or as a running total")
        if ui.events == 1:
            imgui.same_line()
            imgui.set_next_item_width(80)
            changed, n = imgui.input_int(f"gens##events_{key}", int(ui.event_window), 0, 0)
            widgets.note_rect(app, f"{where}_event_window_{key}")
            if changed:
                ui.event_window = max(1, n)


def draw_group(app: Any, group: Group, height: float = MIN_PLOT_HEIGHT,
               toolbar: bool = True, compact: bool = False) -> None:
    """The toolbar and every plot of `group`, each `height` pixels tall (at least
    `MIN_PLOT_HEIGHT`)."""
    from alife.app.panels import widgets

    for note in group.notes:
        widgets.dim_text(note)
    if toolbar:
        draw_toolbar(app, group, compact)
    if not group.plots:
        widgets.dim_text(group.empty)
        return
    for plot in group.plots:
        draw_plot(app, group, plot, max(height, MIN_PLOT_HEIGHT))


_AREA: dict[int, tuple[float, float]] = {}  # ImGui id -> its data area (w, h) last frame
#: what each plot drew last, by its rectangle's name: x and y limits, log, y tick labels, points
LAST_DRAWN: dict[str, dict[str, Any]] = {}


def draw_plot(app: Any, group: Group, plot: Plot, height: float, where: str = "plot") -> None:
    """One plot: axes and ticks set here (`y_limits`, `nice_ticks`), a hover read-out. Its data
    area's screen rectangle is noted as `app.widget_rects[f"{where}_{group.key}_{plot.key}"]`."""
    from imgui_bundle import imgui, implot

    ui = app.plots_ui
    log = ui.log.get(group.key, group.log_default)
    data = [(s, *shown(s, ui, log)) for s in plot.series]
    pid = f"{group.key}_{plot.key}"
    ylim = y_limits([d[2] for d in data], log)
    xlim = x_limits([d[1] for d in data], int(ui.window))
    last = data[0][2][-1] if len(data) == 1 and len(data[0][2]) else None
    title = series_label(plot.series[0], ui) if len(plot.series) == 1 else plot.title
    if any(d[3] for d in data):
        title += " ~"
    if last is not None:
        title += f": {last:.6g}"
    flags = implot.Flags_.no_menus | implot.Flags_.no_box_select | implot.Flags_.no_mouse_text
    if len(plot.series) == 1:
        flags |= implot.Flags_.no_legend
    if not implot.begin_plot(f"{title}###{pid}", imgui.ImVec2(-1, height), flags):
        return
    uid = imgui.get_id(pid)  # the same plot in the right column and the Plots window differ
    area_w, area_h = _AREA.get(uid, (max(imgui.get_content_region_avail().x - 60, 60.0),
                                     height - 62.0))
    axis_flags = (implot.AxisFlags_.no_menus | implot.AxisFlags_.no_side_switch
                  | implot.AxisFlags_.no_highlight)
    implot.setup_axis(implot.ImAxis_.x1, None, axis_flags)
    implot.setup_axis(implot.ImAxis_.y1, None, axis_flags)
    if log and ylim is not None:
        implot.setup_axis_scale(implot.ImAxis_.y1, implot.Scale_.log10)
    if ylim is None or xlim is None:
        implot.setup_axes_limits(0.0, 1.0, 0.0, 1.0, implot.Cond_.always)
        implot.setup_axis_ticks(implot.ImAxis_.y1, [0.0, 1.0], ["", ""])
        implot.setup_axis_ticks(implot.ImAxis_.x1, [0.0, 1.0], ["", ""])
        implot.plot_text("no positive values (log scale)" if log and any(len(d[1]) for d in data)
                         else "no data in this window", 0.5, 0.5)
        _note_area(app, uid, f"{where}_{pid}")
        LAST_DRAWN[f"{where}_{pid}"] = {"x": None, "y": None, "log": log, "ticks": [], "n": 0}
        implot.end_plot()
        return
    implot.setup_axis_limits(implot.ImAxis_.x1, *xlim, implot.Cond_.always)
    implot.setup_axis_limits(implot.ImAxis_.y1, *ylim, implot.Cond_.always)
    yv, yl = nice_ticks(*ylim, area_h, log)
    if yv:
        implot.setup_axis_ticks(implot.ImAxis_.y1, yv, yl)
    widest = max(len(f"{int(abs(v))}") for v in xlim) + 1
    xv, xl = nice_ticks(*xlim, area_w, spacing=max(48.0, 9.0 * widest), integer=True)
    if xv:
        implot.setup_axis_ticks(implot.ImAxis_.x1, xv, xl)
    for series, x, y, _ in data:
        label = series_label(series, ui)
        if len(x) == 1:
            implot.plot_scatter(label, x, y)
        else:
            implot.plot_line(label, np.ascontiguousarray(x), np.ascontiguousarray(y))
    LAST_DRAWN[f"{where}_{pid}"] = {"x": xlim, "y": ylim, "log": log, "ticks": yl,
                                   "n": sum(len(d[1]) for d in data)}
    if implot.is_plot_hovered():
        _hover(app, group, data)
    _note_area(app, uid, f"{where}_{pid}")
    implot.end_plot()


def _note_area(app: Any, uid: int, name: str) -> None:
    """Remember the plot's data area (tests check its size; ticks use it next frame)."""
    from imgui_bundle import implot

    pos, size = implot.get_plot_pos(), implot.get_plot_size()
    _AREA[uid] = (float(size.x), float(size.y))
    app.widget_rects[name] = (pos.x, pos.y, pos.x + size.x, pos.y + size.y)


def _hover(app: Any, group: Group, data: list) -> None:
    """The value of each series at the cursor's generation, as a tooltip and a line."""
    from imgui_bundle import imgui, implot

    at = implot.get_plot_mouse_pos().x
    lines, mark = [], None
    for series, x, y, _ in data:
        if not len(x):
            continue
        i = int(np.clip(np.searchsorted(x, at), 1, len(x) - 1)) if len(x) > 1 else 0
        if len(x) > 1 and abs(x[i - 1] - at) <= abs(x[i] - at):
            i -= 1
        mark = float(x[i])
        lines.append(f"{series_label(series, app.plots_ui)}: {y[i]:.6g}")
    if mark is None:
        return
    text = f"{group.x_label} {mark:.0f}\n" + "\n".join(lines)
    implot.plot_inf_lines("##cursor", np.array([mark], np.float64))
    imgui.set_tooltip(text)
    app.plots_ui.hover = text
