"""Evolve panel: interactive evolution of the running world, and headless evolution as a job.

Interactive (Biomaker's interactive mode, Picbreeder-style): "New round" shows N mutants of the
world's params / weights / B/S tables run side by side (vmapped, in
`alife.app.evolve_session`); click a thumbnail to make it the parent of the next round; Undo
goes back a round, Reroll draws other mutants, Play keeps the candidates running, Deploy opens
the selected candidate as the main world. Each thumbnail's caption shows a metric (Biomaker: its
reproductions). Headless: "Run evolution" runs the scene's `evolution:` block as the
controller's "evolution" job with a live fitness plot; "Use best" swaps its best params in.

The panel draws and forwards clicks to the controller's `evolution` component
(`alife.app.evolution`), which does all JAX work; its settings live in the app's state
(`AppState.evolve_ui`), one per app window. Thumbnails are drawn as rectangles (no GL texture
needed).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from imgui_bundle import imgui, implot

from alife.app.panels import register_panel, widgets
from alife.app.panels.base import Panel
from alife.app.state import AppState, EvolveUI

THUMB = 48  # px per thumbnail side
CELLS = 24  # at most this many cells a side per thumbnail (draw lists stay small: 8 x 576 rects)
COLUMNS = 4


def _applies(controller: Any) -> bool:
    """Every world with a genome: sliders, or weights and tables without sliders."""
    return controller.evolution.available()


def new_round(app: AppState) -> None:
    ui = app.evolve_ui
    ui.error = app.controller.evolution.open(ui.n, ui.steps, ui.sigma or None) or ""


def _draw_thumbnail(app: AppState, i: int, rgb: np.ndarray, caption: str, selected: bool) -> bool:
    h, w = rgb.shape[:2]
    scale = THUMB / max(h, w)
    origin = imgui.get_cursor_screen_pos()
    clicked = imgui.invisible_button(f"##cand{i}", imgui.ImVec2(THUMB, THUMB))
    widgets.note_rect(app, f"evolve_candidate_{i}")
    widgets.tip(f"candidate {i + 1}: {caption}\nclick: make it the parent of the next round")
    dl = imgui.get_window_draw_list()
    for r in range(h):
        for c in range(w):
            red, green, blue = (int(x) for x in rgb[r, c])
            x0, y0 = origin.x + c * scale, origin.y + r * scale
            dl.add_rect_filled(imgui.ImVec2(x0, y0), imgui.ImVec2(x0 + scale, y0 + scale),
                               imgui.IM_COL32(red, green, blue, 255))
    if selected or imgui.is_item_hovered():
        dl.add_rect(origin, imgui.ImVec2(origin.x + THUMB, origin.y + THUMB),
                    imgui.IM_COL32(255, 200, 60, 255), 0.0, 2.0)
    return clicked


def _draw_round(app: AppState, ui: EvolveUI) -> None:
    evolution = app.controller.evolution
    widgets.dim_text(evolution.round_text(), wrap=True)
    imgui.begin_disabled(evolution.selected is None)
    if widgets.button(app, "Pick as parent", "evolve_pick"):
        evolution.pick()
    imgui.same_line()
    if widgets.button(app, "Deploy", "evolve_deploy"):
        evolution.deploy()
    imgui.end_disabled()
    imgui.same_line()
    if widgets.button(app, "Undo", "evolve_undo"):
        evolution.undo()
    imgui.same_line()
    if widgets.button(app, "Reroll", "evolve_reroll"):
        evolution.reroll()
    imgui.same_line()
    _, ui.playing = imgui.checkbox("play", ui.playing)
    if ui.playing:
        evolution.play(ui.per_frame)
    thumbs, captions = evolution.thumbnails(CELLS), evolution.captions()
    for i, (rgb, caption) in enumerate(zip(thumbs, captions, strict=True)):
        if i % COLUMNS:
            imgui.same_line()
        imgui.begin_group()
        if _draw_thumbnail(app, i, rgb, caption, evolution.selected == i):
            evolution.select(i)
        imgui.text(caption.split(" ")[-1])
        imgui.end_group()


def _draw_job(app: AppState) -> None:
    c = app.controller
    evolution = c.evolution
    if "evolution" not in c.world.extra:
        widgets.dim_text("headless evolution needs the scene's evolution: block", wrap=True)
        return
    job = evolution.job()
    if not evolution.job_active():
        if widgets.button(app, "Run evolution", "evolve_job_start"):
            app.note(evolution.start_job())
    elif widgets.button(app, "Stop", "evolve_job_stop"):
        evolution.stop_job()
    if job is None:
        return
    widgets.dim_text(f"{job.state}: generation {job.step} / {job.total}")
    if job.error is not None:
        widgets.error_text(f"evolution failed: {job.error}")
    if widgets.button(app, "Use best", "evolve_job_use"):
        evolution.use_best()
    steps, best, mean = evolution.fitness_history()
    if len(steps) >= 2 and implot.begin_plot(f"fitness: {max(best):.4g}##evolve_fitness",
                                             imgui.ImVec2(-1, 140), implot.Flags_.no_menus):
        fit = implot.AxisFlags_.auto_fit
        implot.setup_axes("generation", "", fit, fit)
        x = np.asarray(steps, np.float64)
        implot.plot_line("best", x, np.asarray(best, np.float64))
        implot.plot_line("mean", x, np.asarray(mean, np.float64))
        implot.end_plot()


def draw(app: AppState) -> None:
    ui = app.evolve_ui
    for name, low in (("n", 2), ("steps", 1)):
        imgui.set_next_item_width(-110)
        changed, value = imgui.input_int(f"{name}##evolve", getattr(ui, name))
        if changed:
            setattr(ui, name, max(low, value))
    imgui.set_next_item_width(-110)
    changed, sigma = imgui.input_float("mutation##evolve", ui.sigma, 0.0, 0.0, "%.3g")
    if changed:
        ui.sigma = max(0.0, sigma)
    widgets.tip("mutation size in genome space (0: default for the genome kind)")
    if widgets.button(app, "New round", "evolve_new"):
        new_round(app)
    widgets.error_text(ui.error)
    if app.controller.evolution.session is not None:
        _draw_round(app, ui)
    if imgui.tree_node_ex("headless##evolve", 0):
        _draw_job(app)
        imgui.tree_pop()


PANEL = Panel("Evolve", draw, applies=_applies, kind="sidebar", default_open=False)
register_panel(PANEL, before="Edit")
