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
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

#: the smallest height of a plot's frame (title, plot area and x tick labels), in pixels
MIN_PLOT_HEIGHT = 150.0
#: the smallest height of a plot's data area (what tests check)
MIN_PLOT_AREA = 90.0
#: the least distance between two labelled y ticks, in pixels (the font is 15 px)
TICK_SPACING = 36.0
#: the closest two labelled ticks may come where the wider spacing leaves fewer than two
MIN_TICK_SPACING = 20.0
WINDOWS = (0, 100, 1000, 10000, 100000)  # the window presets (0: all)
EVENT_MODES = ("per step", "moving sum", "running total")


@dataclass
class Series:
    """One line: `y` against `x` (float64 arrays of one length)."""

    key: str
    label: str
    x: np.ndarray
    y: np.ndarray
    event: bool = False  # counts one step's events
    total: np.ndarray | None = None  # the family's exact running total at the same x


@dataclass
class Plot:
    key: str
    title: str
    series: list[Series]


@dataclass
class Group:
    """Plots of one source: `key` names its settings and its CSV file."""

    key: str
    title: str
    plots: list[Plot]
    x_label: str = "generation"
    log_default: bool = False
    empty: str = "no data yet: press Play"
    notes: list[str] = field(default_factory=list)

    @property
    def has_events(self) -> bool:
        return any(s.event for p in self.plots for s in p.series)


# ---- the groups ---------------------------------------------------------------------------------
def event_info(rule: Any) -> tuple[set[str], dict[str, str]]:
    """(event metric names, event metric -> its running-total metric) the rule declares."""
    from alife.core.rule import EventCounts

    if not isinstance(rule, EventCounts):
        return set(), {}
    return set(rule.event_metrics), dict(rule.event_totals)


def statistics_group(controller: Any) -> Group:
    """The rule's metrics over generations (one plot each)."""
    log = controller.metrics_log
    events, totals = event_info(controller.rule)
    names = log.names() if len(log) else []
    plots = []
    for name in names:
        x, y = log.series(name)
        total = log.series(totals[name])[1] if totals.get(name) in names else None
        plots.append(Plot(name, name, [Series(name, name, x, y, name in events, total)]))
    return Group("statistics", "Statistics", plots)


def measures_group(controller: Any) -> Group:
    """The live complexity measures (`alife.app.measures_feed`), updated from this frame."""
    from alife.app.measures_feed import LABELS, NAMES, feed_for

    feed = feed_for(controller)
    feed.update(controller)
    plots = []
    if len(feed):
        for name in NAMES:
            x, y = feed.series(name)
            plots.append(Plot(name, LABELS[name], [Series(name, LABELS[name], x, y)]))
    lam = feed.rule_lambda(controller)
    note = f"Langton's lambda: {lam:.4f}" if math.isfinite(lam) else "lambda: no rule table"
    return Group("measures", "Measures", plots, notes=[note])


def loss_group(job: Any) -> Group:
    """A training job's loss over iterations (log scale by default)."""
    steps, losses = job.losses() if job is not None else ([], [])
    x, y = np.asarray(steps, np.float64), np.asarray(losses, np.float64)
    plots = [Plot("loss", "loss", [Series("loss", "loss", x, y)])] if len(x) else []
    empty = "compiling..." if job is not None and job.state == "running" else "no losses yet"
    return Group("loss", "Training loss", plots, x_label="iteration", log_default=True,
                 empty=empty)


def fitness_group(evolution: Any) -> Group:
    """A headless evolution job's best and mean fitness over generations (one plot)."""
    steps, best, mean = evolution.fitness_history()
    x = np.asarray(steps, np.float64)
    plots = []
    if len(x):
        plots = [Plot("fitness", "fitness", [
            Series("best", "best", x, np.asarray(best, np.float64)),
            Series("mean", "mean", x, np.asarray(mean, np.float64))])]
    return Group("fitness", "Fitness", plots, empty="no generation finished yet")


# ---- what a plot shows (pure: the CSV export writes exactly this) -------------------------------
def running_total(series: Series) -> tuple[np.ndarray, bool]:
    """(the running total of an event series at its points, whether it is estimated)."""
    if series.total is not None and len(series.total) == len(series.y):
        return np.asarray(series.total, np.float64), False
    x, y = series.x, np.nan_to_num(series.y, nan=0.0, posinf=0.0, neginf=0.0)
    gaps = np.diff(x, prepend=x[0] - 1.0) if len(x) else x
    gaps = np.where(gaps > 0, gaps, 1.0)
    return np.cumsum(y * gaps), bool(np.any(gaps > 1.0))


def moving_sum(series: Series, window: int) -> tuple[np.ndarray, bool]:
    """(the events of the last `window` generations at each point, whether estimated)."""
    total, estimated = running_total(series)
    if not len(total):
        return total, estimated
    x = series.x
    y0 = float(np.nan_to_num(series.y[0]))
    before = np.concatenate([[x[0] - 1.0], x])  # the total before the first point's step
    at = np.concatenate([[total[0] - y0], total])
    return total - np.interp(x - float(window), before, at), estimated


def series_label(series: Series, ui: Any) -> str:
    """The label of what is shown: an event series says how it is summed."""
    if not series.event or ui.events == 0:
        return series.label
    if ui.events == 1:
        return f"{series.label} (sum of last {int(ui.event_window)})"
    return f"{series.label} (running total)"


def shown(series: Series, ui: Any, log: bool) -> tuple[np.ndarray, np.ndarray, bool]:
    """(x, y, estimated): the points a plot shows of `series` under settings `ui`: event
    counts summed as `ui.events` says, the last `ui.window` generations (0: all), finite values
    only (and positive ones on a log scale)."""
    x = np.asarray(series.x, np.float64)
    y = np.asarray(series.y, np.float64)
    estimated = False
    if series.event and ui.events == 1:
        y, estimated = moving_sum(series, max(1, int(ui.event_window)))
    elif series.event and ui.events == 2:
        y, estimated = running_total(series)
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    if n and int(ui.window) > 0:
        keep = x >= x[-1] - int(ui.window)
        x, y = x[keep], y[keep]
    keep = np.isfinite(x) & np.isfinite(y)
    if log:
        keep &= y > 0
    return x[keep], y[keep], estimated


def y_limits(values: list[np.ndarray], log: bool) -> tuple[float, float] | None:
    """Axis limits holding every finite value (positive ones on a log scale) with a margin;
    a constant series gets a range around its value; None when there is nothing to show."""
    parts = [np.asarray(v, np.float64).ravel() for v in values]
    every = np.concatenate(parts) if parts else np.zeros(0)
    every = every[np.isfinite(every)]
    if log:
        every = every[every > 0]
    if not every.size:
        return None
    lo, hi = float(every.min()), float(every.max())
    if log:
        lo_e, hi_e = math.log10(lo), math.log10(hi)
        if hi_e - lo_e < 1e-9:
            return lo / 2.0, hi * 2.0
        pad = 0.05 * (hi_e - lo_e)
        return 10.0 ** (lo_e - pad), 10.0 ** (hi_e + pad)
    span = hi - lo
    if span <= 1e-12 * max(1.0, abs(hi), abs(lo)):
        half = max(abs(hi) * 0.1, 0.5)
        return lo - half, hi + half
    return lo - 0.05 * span, hi + 0.05 * span


def x_limits(xs: list[np.ndarray], window: int) -> tuple[float, float] | None:
    parts = [np.asarray(v, np.float64).ravel() for v in xs]
    every = np.concatenate(parts) if parts else np.zeros(0)
    every = every[np.isfinite(every)]
    if not every.size:
        return None
    lo, hi = float(every.min()), float(every.max())
    if window > 0:
        lo = max(min(lo, hi - window), hi - window)
    if hi - lo < 1.0:
        return lo - 0.5, hi + 0.5
    return lo, hi


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at least `raw`."""
    if not math.isfinite(raw) or raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= raw * (1 - 1e-9):
            return m * power
    return 10.0 * power


def format_tick(value: float, step: float) -> str:
    """A tick label with as many decimals as the step between ticks needs (compact notation
    for very large and very small values)."""
    if value == 0:
        return "0"
    if max(abs(value), abs(step)) >= 1e6 or abs(step) < 1e-4:
        return f"{value:.3g}"
    decimals = 0
    while decimals < 6 and abs(step * 10 ** decimals - round(step * 10 ** decimals)) > 1e-6:
        decimals += 1
    return f"{value:.{decimals}f}"


def nice_ticks(lo: float, hi: float, pixels: float, log: bool = False,
               spacing: float = TICK_SPACING, integer: bool = False,
               ) -> tuple[list[float], list[str]]:
    """(values, labels) of ticks at round values within [lo, hi], at least `spacing` pixels
    apart along an axis `pixels` long (on a log axis: decades, their 2s and 5s, or round values
    within a decade). Where that leaves fewer than two ticks, they may come closer (down to
    `MIN_TICK_SPACING`), so every axis has at least two labelled values when it can.
    `integer`: whole numbers only (generations, iterations)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo or pixels <= 0:
        return [], []
    best: list[float] = []
    for gap in (spacing, 0.75 * spacing, MIN_TICK_SPACING):
        values = _ticks_at(lo, hi, pixels, log and lo > 0, max(gap, MIN_TICK_SPACING),
                           integer)
        if len(values) > len(best):
            best = values
        if len(best) >= 2:
            break
    labels = [_log_label(v) if log and lo > 0 else format_tick(v, _step_of(best)) for v in best]
    return best, labels


def _ticks_at(lo: float, hi: float, pixels: float, log: bool, gap: float,
              integer: bool = False) -> list[float]:
    """Round values within [lo, hi] no closer than `gap` pixels."""
    if log:
        values = _log_ticks(lo, hi, max(2, int(pixels // gap)))
        position = _log_position(lo, hi, pixels)
    else:
        step = _nice_step(gap * (hi - lo) / pixels)
        if integer:
            step = max(1.0, round(step))
        first = math.ceil(lo / step - 1e-9)
        values = [float(f"{k * step:.12g}")
                  for k in range(first, int(math.floor(hi / step + 1e-9)) + 1)]
        values = [min(max(v, lo), hi) for v in values]  # rounding may step just outside
        position = _linear_position(lo, hi, pixels)
    kept: list[float] = []
    for v in values:  # the labels never overlap: drop any tick closer than `gap`
        if not kept or position(v) - position(kept[-1]) >= gap - 1e-6:
            kept.append(v)
    return kept


def _step_of(values: list[float]) -> float:
    diffs = np.diff(values) if len(values) > 1 else np.array([abs(values[0]) or 1.0])
    return float(np.min(np.abs(diffs))) if len(diffs) else 1.0


def _linear_position(lo: float, hi: float, pixels: float) -> Callable[[float], float]:
    return lambda v: (v - lo) / (hi - lo) * pixels


def _log_position(lo: float, hi: float, pixels: float) -> Callable[[float], float]:
    a, b = math.log10(lo), math.log10(hi)
    return lambda v: (math.log10(v) - a) / (b - a) * pixels


def _log_ticks(lo: float, hi: float, most: int) -> list[float]:
    a, b = math.log10(lo), math.log10(hi)
    decades = list(range(math.ceil(a - 1e-9), math.floor(b + 1e-9) + 1))
    if len(decades) >= 3:
        stride = max(1, math.ceil(len(decades) / most))
        return [10.0 ** k for k in decades[::stride]]
    candidates = sorted({m * 10.0 ** k for k in range(math.floor(a) - 1, math.ceil(b) + 1)
                         for m in (1.0, 2.0, 5.0)})
    within = [v for v in candidates if lo <= v <= hi]
    if len(within) >= 2:
        return within
    step = _nice_step((hi - lo) / max(most - 1, 1) / 2)  # less than a decade: round values
    first = math.ceil(lo / step - 1e-9)
    return [k * step for k in range(first, int(math.floor(hi / step + 1e-9)) + 1) if k > 0]


def _log_label(value: float) -> str:
    return f"{value:g}" if 1e-3 <= value < 1e5 else f"{value:.0e}"


# ---- CSV ----------------------------------------------------------------------------------------
def csv_text(group: Group, ui: Any) -> tuple[str, int, int]:
    """(CSV text, rows, series) of exactly what the group's plots show: one column per series,
    one row per generation (an empty cell where a series has no point)."""
    log = ui.log.get(group.key, group.log_default)
    columns: list[tuple[str, np.ndarray, np.ndarray]] = []
    for plot in group.plots:
        for series in plot.series:
            x, y, estimated = shown(series, ui, log)
            label = series_label(series, ui) + (" ~" if estimated else "")
            columns.append((label, x, y))
    xs = np.unique(np.concatenate([c[1] for c in columns])) if columns else np.zeros(0)
    header = [group.x_label] + [_csv_field(c[0]) for c in columns]
    lines = [",".join(header)]
    lookups = [dict(zip(c[1].tolist(), c[2].tolist(), strict=True)) for c in columns]
    for x in xs.tolist():
        cells = [_number(x)] + [_number(m[x]) if x in m else "" for m in lookups]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n", len(xs), len(columns)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 2 ** 53 else repr(value)


def _csv_field(text: str) -> str:
    return f'"{text}"' if any(ch in text for ch in ',"\n') else text


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
