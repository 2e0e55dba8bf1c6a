"""What the app's plots (`alife.app.panels.plot_view`) show, as pure functions of the data: the
`Series` / `Plot` / `Group` records, the groups of each source (statistics, measures, training
loss, evolution's fitness), event counts summed or totalled (`shown`), and the CSV text of
exactly what is shown (`csv_text`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


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
