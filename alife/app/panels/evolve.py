"""Evolve panel: interactive evolution of the running world, and headless evolution as a job.

Interactive (Biomaker's interactive mode, Picbreeder-style): "New round" shows N mutants of the
world's params / weights / B/S tables run side by side (vmapped, in
`alife.app.evolve_session`); click a thumbnail to make it the parent of the next round; Undo
goes back a round, Reroll draws other mutants, Play keeps the candidates running, Deploy opens
the selected candidate as the main world. Each thumbnail's caption shows a metric (Biomaker: its
reproductions). Headless: "Run evolution" runs the scene's `evolution:` block as the
controller's "evolution" job with a live fitness plot; "Use best" swaps its best params in.

The panel draws and forwards clicks; all JAX work is in the controller-side session module,
imported lazily (the controller has loaded JAX already). Thumbnails are drawn as rectangles
(no GL texture needed).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from imgui_bundle import imgui, implot

from alife.app.panels import register_panel, widgets
from alife.app.panels.base import Panel

THUMB = 48  # px per thumbnail side
CELLS = 24  # at most this many cells a side per thumbnail (draw lists stay small: 8 x 576 rects)
COLUMNS = 4


@dataclasses.dataclass
class EvolveUI:
    n: int = 8
    steps: int = 100
    sigma: float = 0.0  # 0: the genome kind's default
    playing: bool = False
    per_frame: int = 2
    error: str = ""


_UIS: dict[int, EvolveUI] = {}


def _session_module() -> Any:
    from alife.app import evolve_session

    return evolve_session


def _applies(controller: Any) -> bool:
    """Every world with a genome: sliders, or weights and tables without sliders."""
    return bool(controller.param_specs()) or bool(_session_module().can_evolve(controller))


def new_round(app: Any) -> None:
    ui = _UIS.setdefault(id(app), EvolveUI())
    ui.error = _session_module().open_session(app.controller, ui.n, ui.steps,
                                              ui.sigma or None) or ""


def _draw_thumbnail(app: Any, i: int, rgb: np.ndarray, caption: str, selected: bool) -> bool:
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


def _draw_round(app: Any, ui: EvolveUI, session: Any) -> None:
    widgets.dim_text(f"round {session.depth}, {session.genome.describe()}", wrap=True)
    sel = session.selected
    imgui.begin_disabled(sel is None)
    if widgets.button(app, "Pick as parent", "evolve_pick"):
        session.pick(sel)
    imgui.same_line()
    if widgets.button(app, "Deploy", "evolve_deploy"):
        session.deploy(sel)
    imgui.end_disabled()
    imgui.same_line()
    if widgets.button(app, "Undo", "evolve_undo"):
        session.undo()
    imgui.same_line()
    if widgets.button(app, "Reroll", "evolve_reroll"):
        session.reroll_round()
    imgui.same_line()
    _, ui.playing = imgui.checkbox("play", ui.playing)
    if ui.playing:
        session.advance(ui.per_frame)
    thumbs, captions = session.thumbnails(CELLS), session.captions()
    for i, (rgb, caption) in enumerate(zip(thumbs, captions, strict=True)):
        if i % COLUMNS:
            imgui.same_line()
        imgui.begin_group()
        if _draw_thumbnail(app, i, rgb, caption, session.selected == i):
            session.selected = i
        imgui.text(caption.split(" ")[-1])
        imgui.end_group()


def _draw_job(app: Any) -> None:
    sm, c = _session_module(), app.controller
    if "evolution" not in c.world.extra:
        widgets.dim_text("headless evolution needs the scene's evolution: block", wrap=True)
        return
    job = c.jobs.get(sm.JOB)
    if not c.jobs.active(sm.JOB):
        if widgets.button(app, "Run evolution", "evolve_job_start"):
            app.note(sm.start_job(c))
    elif widgets.button(app, "Stop", "evolve_job_stop"):
        c.jobs.stop(sm.JOB)
    if job is None:
        return
    widgets.dim_text(f"{job.state}: generation {job.step} / {job.total}")
    if job.error is not None:
        widgets.error_text(f"evolution failed: {job.error}")
    if widgets.button(app, "Use best", "evolve_job_use"):
        c.jobs.use_latest(sm.JOB)
    steps, best, mean = sm.fitness_history(c)
    if len(steps) >= 2 and implot.begin_plot(f"fitness: {max(best):.4g}##evolve_fitness",
                                             imgui.ImVec2(-1, 140), implot.Flags_.no_menus):
        fit = implot.AxisFlags_.auto_fit
        implot.setup_axes("generation", "", fit, fit)
        x = np.asarray(steps, np.float64)
        implot.plot_line("best", x, np.asarray(best, np.float64))
        implot.plot_line("mean", x, np.asarray(mean, np.float64))
        implot.end_plot()


def draw(app: Any) -> None:
    ui = _UIS.setdefault(id(app), EvolveUI())
    session = _session_module().session_of(app.controller)
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
    if session is not None:
        _draw_round(app, ui, session)
    if imgui.tree_node_ex("headless##evolve", 0):
        _draw_job(app)
        imgui.tree_pop()


PANEL = Panel("Evolve", draw, applies=_applies, kind="sidebar", default_open=False)
register_panel(PANEL, before="Edit")
