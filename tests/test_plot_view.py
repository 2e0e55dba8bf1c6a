"""The app's one plotting component (`alife.app.panels.plot_view`) without a window: ticks that
never overlap, guarded axis ranges, the generation window, log scale, event counts summed
(exactly from a family's running total, or estimated from sampled points), and the CSV of what
is shown, written atomically where the user asked."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from alife.app.panels import plot_view as pv
from alife.app.state import PlotsUI


@pytest.mark.parametrize("lo, hi, pixels, log", [
    (0.0, 1.0, 90, False), (0.0, 1.0, 600, False), (-3.2, 7.9, 120, False),
    (33.5, 66.5, 90, False), (0.0055, 0.0121, 90, False), (12000, 12100, 250, False),
    (0.0, 1.23456e7, 300, False), (1e-9, 3e-9, 100, False),
    (0.0123, 0.0456, 100, True), (0.5, 3.0, 120, True), (1e-4, 10.0, 200, True),
    (1e-6, 1e6, 90, True), (2.1, 2.6, 150, True),
])
def test_ticks_are_round_labelled_and_never_overlap(lo, hi, pixels, log):
    values, labels = pv.nice_ticks(lo, hi, pixels, log)
    assert len(values) >= 2 and len(labels) == len(values)
    assert all(lo <= v <= hi for v in values) and all(labels) and len(set(labels)) == len(labels)
    f = (lambda v: math.log10(v)) if log else (lambda v: v)
    px = [(f(v) - f(lo)) / (f(hi) - f(lo)) * pixels for v in values]
    assert min(np.diff(px)) >= pv.MIN_TICK_SPACING - 1e-6  # labels 15 px tall: no overlap
    for v, text in zip(values, labels, strict=True):
        assert math.isclose(float(text), v, rel_tol=0.02, abs_tol=1e-12), (v, text)


def test_no_ticks_for_a_broken_range():
    assert pv.nice_ticks(1.0, 1.0, 100) == ([], [])
    assert pv.nice_ticks(float("nan"), 1.0, 100) == ([], [])
    assert pv.nice_ticks(0.0, 1.0, 0) == ([], [])


def test_y_limits_are_guarded():
    assert pv.y_limits([], False) is None
    assert pv.y_limits([np.array([np.nan, np.inf, -np.inf])], False) is None
    assert pv.y_limits([np.array([-1.0, 0.0])], True) is None  # nothing to show in log scale
    lo, hi = pv.y_limits([np.array([0.0, 0.0, 0.0])], False)  # a constant: a range around it
    assert lo < 0.0 < hi and hi - lo >= 1.0
    lo, hi = pv.y_limits([np.array([5.0])], True)
    assert 0 < lo < 5.0 < hi and hi / lo < 10
    lo, hi = pv.y_limits([np.array([1.0, np.nan, 3.0, np.inf])], False)
    assert 0.8 < lo < 1.0 and 3.0 < hi < 3.2
    lo, hi = pv.y_limits([np.array([0.0, 1e-3, 2e-3])], True)  # the 0 is left out, not 1e-306
    assert lo > 5e-4 and hi < 3e-3


def _series(x, y, event=False, total=None):
    return pv.Series("m", "m", np.asarray(x, float), np.asarray(y, float), event,
                     None if total is None else np.asarray(total, float))


def test_window_and_log_change_what_is_shown():
    s = _series(np.arange(50), np.r_[0.0, np.arange(1, 50) * 2.0])
    ui = PlotsUI()
    x, y, _ = pv.shown(s, ui, log=False)
    assert len(x) == 50
    ui.window = 10
    x, y, _ = pv.shown(s, ui, log=False)
    assert x.tolist() == list(range(39, 50)) and y.tolist() == (np.arange(39, 50) * 2.0).tolist()
    ui.window = 0
    x, y, _ = pv.shown(s, ui, log=True)
    assert x[0] == 1 and (y > 0).all()  # the 0 at generation 0 cannot be shown on a log axis
    s = _series([0, 1, 2, 3], [1.0, np.nan, np.inf, 4.0])
    x, y, _ = pv.shown(s, ui, log=False)
    assert x.tolist() == [0, 3] and y.tolist() == [1.0, 4.0]


def test_event_counts_summed():
    rng = np.random.default_rng(0)
    per_step = (rng.random(300) < 0.05).astype(float)
    gens = np.arange(1, 301, dtype=float)
    ui = PlotsUI()
    # every step sampled: running total and moving sum are exact
    s = _series(gens, per_step, event=True)
    ui.events = 2
    _, total, estimated = pv.shown(s, ui, False)
    assert not estimated and np.array_equal(total, np.cumsum(per_step))
    ui.events, ui.event_window = 1, 50
    _, moving, estimated = pv.shown(s, ui, False)
    want = [per_step[max(0, i - 49):i + 1].sum() for i in range(300)]
    assert not estimated and np.allclose(moving, want)
    ui.events = 0
    assert np.array_equal(pv.shown(s, ui, False)[1], per_step)
    # one point every 4 steps (4 steps a frame): the family's own total keeps it exact...
    every = slice(3, None, 4)
    exact = _series(gens[every], per_step[every], event=True, total=np.cumsum(per_step)[every])
    ui.events = 2
    _, total, estimated = pv.shown(exact, ui, False)
    assert not estimated and np.array_equal(total, np.cumsum(per_step)[every])
    ui.events, ui.event_window = 1, 48  # a whole number of frames: the window's start is seen
    _, moving, _ = pv.shown(exact, ui, False)
    want = np.array([per_step[max(0, i - 47):i + 1].sum() for i in range(300)])[every]
    seen = gens[every] - 48 >= gens[every][0]
    assert np.allclose(moving[seen], want[seen])
    # ...else each point stands for the steps since the last one, and says it is an estimate
    guess = _series(gens[every], per_step[every], event=True)
    ui.events = 2
    _, total, estimated = pv.shown(guess, ui, False)
    steps = np.r_[1.0, np.full(len(gens[every]) - 1, 4.0)]  # the first point: its own step
    assert estimated and np.array_equal(total, np.cumsum(per_step[every] * steps))
    assert pv.series_label(guess, ui) == "m (running total)"


def _app(tmp_path: Path, scene: Path | None, folder: str = ""):
    notes: list[str] = []
    ui = PlotsUI(folder=folder)
    world = SimpleNamespace(path=scene)
    controller = SimpleNamespace(world=world, generation=42)
    return SimpleNamespace(plots_ui=ui, controller=controller, note=notes.append, notes=notes)


def test_csv_is_what_is_shown(tmp_path):
    x = np.arange(0, 20, 2, dtype=float)
    group = pv.Group("statistics", "Statistics", [
        pv.Plot("a", "a", [pv.Series("a", "a", x, x * 0.5)]),
        pv.Plot("b", "b", [pv.Series("b", "b", x, np.where(x > 5, x, 0.0), event=True)])])
    scene = tmp_path / "scenes" / "my world.yaml"
    scene.parent.mkdir()
    app = _app(tmp_path, scene)
    app.plots_ui.window, app.plots_ui.events = 8, 0
    app.plots_ui.log["statistics"] = True
    path = pv.export_csv(app, group)
    assert path == scene.parent / "my world_statistics_g42.csv"  # next to the scene
    assert str(path) in app.notes[-1]  # the status bar says where
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["generation", "a", "b"]
    want_x = [x_ for x_ in x if x_ >= 18 - 8]
    assert [float(r[0]) for r in rows[1:]] == want_x
    assert [float(r[1]) for r in rows[1:]] == [v * 0.5 for v in want_x]
    assert [float(r[2]) for r in rows[1:]] == want_x  # all > 0 in this window
    # a folder the user picked (made if missing); a second export does not overwrite
    app = _app(tmp_path, scene, folder=str(tmp_path / "out" / "csv"))
    first, second = pv.export_csv(app, group), pv.export_csv(app, group)
    assert first.parent == tmp_path / "out" / "csv" and first != second and second.exists()
    assert not list((tmp_path / "out" / "csv").glob("*.tmp*"))
    # nothing to write, or a folder that cannot be made: said in the status bar
    empty = pv.Group("loss", "Training loss", [])
    assert pv.export_csv(app, empty) is None and "nothing" in app.notes[-1]
    (tmp_path / "blocker").write_text("a file")
    app = _app(tmp_path, scene, folder=str(tmp_path / "blocker" / "sub"))
    assert pv.export_csv(app, group) is None and "not written" in app.notes[-1]


def test_event_metrics_come_from_the_rule_not_its_name():
    from alife.core.rule import EventCounts

    class Plain:
        pass

    class Counting(EventCounts):
        event_metrics = ("births",)
        event_totals = {"births": "births_total"}

    assert pv.event_info(Plain()) == (set(), {})
    assert pv.event_info(Counting()) == ({"births"}, {"births": "births_total"})

    from alife.app.metrics_log import MetricsLog

    log = MetricsLog()
    for g in range(1, 6):
        log.append(g, {"births": g % 2, "births_total": (g + 1) // 2, "alive": 10})
    group = pv.statistics_group(SimpleNamespace(metrics_log=log, rule=Counting()))
    births = next(p for p in group.plots if p.key == "births").series[0]
    assert births.event and births.total.tolist() == [1, 1, 2, 2, 3]
    assert not next(p for p in group.plots if p.key == "alive").series[0].event
    assert group.has_events


def test_loss_and_fitness_groups():
    job = SimpleNamespace(state="running", losses=lambda: ([], []))
    group = pv.loss_group(job)
    assert not group.plots and group.empty == "compiling..." and group.log_default
    job = SimpleNamespace(state="paused", losses=lambda: ([1, 2, 3], [0.5, 0.25, 0.125]))
    group = pv.loss_group(job)
    (series,) = group.plots[0].series
    assert series.x.tolist() == [1, 2, 3] and group.x_label == "iteration"
    evolution = SimpleNamespace(fitness_history=lambda: ([0, 1], [2.0, 3.0], [1.0, 1.5]))
    group = pv.fitness_group(evolution)
    assert [s.label for s in group.plots[0].series] == ["best", "mean"]
    text, rows, count = pv.csv_text(group, PlotsUI())
    assert text.splitlines() == ["generation,best,mean", "0,2,1", "1,3,1.5"]
    assert (rows, count) == (2, 2)


def test_plots_and_legend_keys_collide_with_none_and_are_in_the_help():
    from collections import Counter

    from alife.app import keys

    bound = Counter((key, ctrl) for _, key, ctrl, _, action in keys.BINDINGS if action)
    assert [k for k, n in bound.items() if n > 1] == []
    rows = dict(keys.help_rows())
    assert "Plots" in rows["G"] and "legend" in rows["K"]
