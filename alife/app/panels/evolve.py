"""Evolve panel: interactive evolution of the running world, and headless evolution as a job.

Interactive (Biomaker's interactive mode, Picbreeder-style): "New round" shows N mutants of the
world's params / weights / B/S tables run side by side (vmapped, in
`alife.app.evolve_session`); click a thumbnail to select it (Pick as parent and Deploy act on
the selected one), double-click to make it the parent of the next round at once; Undo goes back
a round, Reroll draws other mutants, Play keeps the candidates running, Deploy opens the
selected candidate as the main world. The mutation size of each gene group is shown and set
here (its default beside it); the viability filter re-draws candidates that die or explode
within the preview and says how many it re-drew. Each caption shows the scene's fitness over
the preview (the family's first fitness without an `evolution:` block; else the world's size)
and, for rules with a rule text, the candidate's rule (B36/S23). Headless: "Run evolution" runs
the scene's `evolution:` block as the controller's "evolution" job with a live fitness plot;
"Use best" swaps its best params in.

The panel draws and forwards clicks to the controller's `evolution` component
(`alife.app.evolution`), which does all JAX work (rounds are computed on a worker thread, so
the app keeps drawing while the first compiles); its settings live in the app's state
(`AppState.evolve_ui`), one per app window. Thumbnails are drawn as rectangles (no GL texture
needed).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from imgui_bundle import imgui

from alife.app.panels import plot_view, register_panel, widgets
from alife.app.panels.base import Panel
from alife.app.state import AppState, EvolveUI

THUMB = 48  # px per thumbnail side, at least (larger when the sidebar is wider)
MAX_THUMB = 96
CELLS = 28  # at most this many cells a side per thumbnail (draw lists stay small: 8 x 784 rects)
COLUMNS = 4
CLICK_TIP = ("click: select it (Pick as parent and Deploy act on the selected candidate)\n"
             "double-click: make it the parent of the next round")
BAD_RGBA = (255, 90, 80, 255)


def _applies(controller: Any) -> bool:
    """Every world with a genome: sliders, or weights and tables without sliders."""
    return controller.evolution.available()


def new_round(app: AppState) -> None:
    ui = app.evolve_ui
    ui.error = app.controller.evolution.open(
        ui.n, ui.steps, ui.sigma or None, sizes=dict(ui.sizes), viable=ui.viable, low=ui.low,
        high=ui.high, from_start=ui.from_start, caption=ui.caption or None,
        background=True) or ""


def _draw_thumbnail(app: AppState, i: int, rgb: np.ndarray, row: dict[str, Any],
                    selected: bool, side: float) -> tuple[bool, bool]:
    """(clicked, double-clicked)."""
    h, w = rgb.shape[:2]
    scale = side / max(h, w)
    origin = imgui.get_cursor_screen_pos()
    clicked = imgui.invisible_button(f"##cand{i}", imgui.ImVec2(side, side))
    double = imgui.is_item_hovered() and imgui.is_mouse_double_clicked(0)
    widgets.note_rect(app, f"evolve_candidate_{i}")
    widgets.tip(f"{row['tip']}\n\n{CLICK_TIP}")
    dl = imgui.get_window_draw_list()
    for r in range(h):
        for c in range(w):
            red, green, blue = (int(x) for x in rgb[r, c])
            x0, y0 = origin.x + c * scale, origin.y + r * scale
            dl.add_rect_filled(imgui.ImVec2(x0, y0), imgui.ImVec2(x0 + scale, y0 + scale),
                               imgui.IM_COL32(red, green, blue, 255))
    corner = imgui.ImVec2(origin.x + side, origin.y + side)
    if not row["viable"]:
        dl.add_rect(origin, corner, imgui.IM_COL32(*BAD_RGBA), 0.0, 1.5)
    if selected or imgui.is_item_hovered():
        dl.add_rect(origin, corner, imgui.IM_COL32(255, 200, 60, 255), 0.0, 2.5)
    return clicked, double


def _draw_round(app: AppState, ui: EvolveUI) -> None:
    evolution = app.controller.evolution
    session = evolution.session
    widgets.dim_text(evolution.round_text(), wrap=True)
    widgets.dim_text(session.fitness_text(), wrap=True)
    busy = session.busy
    if busy:
        widgets.dim_text(session.busy_text(), wrap=True)
        widgets.note_rect(app, "evolve_busy")
    else:
        note = session.round_note()
        if note:
            widgets.dim_text(note, wrap=True)
            widgets.note_rect(app, "evolve_viable_note")
    widgets.error_text(session.error)
    imgui.begin_disabled(evolution.selected is None or busy)
    if widgets.button(app, "Pick as parent", "evolve_pick"):
        evolution.pick()
    widgets.tip("the selected candidate becomes the parent: the next round shows its mutants")
    imgui.same_line()
    if widgets.button(app, "Deploy", "evolve_deploy"):
        evolution.deploy()
    widgets.tip("open the selected candidate (its params and current state) as the world")
    imgui.end_disabled()
    imgui.same_line()
    imgui.begin_disabled(busy)
    if widgets.button(app, "Undo", "evolve_undo"):
        evolution.undo()
    imgui.same_line()
    if widgets.button(app, "Reroll", "evolve_reroll"):
        evolution.reroll()
    imgui.end_disabled()
    imgui.same_line()
    _, ui.playing = imgui.checkbox("play", ui.playing)
    if ui.playing and not busy:
        evolution.play(ui.per_frame)
        if session.play_text():
            widgets.dim_text(session.play_text())
    if session.candidates_shown():
        _draw_candidates(app, evolution)


def _draw_candidates(app: AppState, evolution: Any) -> None:
    spacing = imgui.get_style().item_spacing.x
    avail = imgui.get_content_region_avail().x
    side = float(min(MAX_THUMB, max(THUMB, (avail - spacing * (COLUMNS - 1)) // COLUMNS)))
    thumbs, rows = evolution.thumbnails(CELLS), evolution.caption_rows()
    for i, (rgb, row) in enumerate(zip(thumbs, rows, strict=True)):
        if i % COLUMNS:
            imgui.same_line()
        imgui.begin_group()
        clicked, double = _draw_thumbnail(app, i, rgb, row, evolution.selected == i, side)
        if clicked:
            evolution.select(i)
        if double and not evolution.session.busy:
            evolution.pick(i)
        _caption_line(row["value"] if row["viable"] else f"{row['value']} {row['why']}",
                      side, bad=not row["viable"])
        if row["rule"] and imgui.calc_text_size(row["rule"]).x <= side:  # B36/S23; a long
            _caption_line(row["rule"], side)  # one (Lenia's) is in the tooltip
        imgui.end_group()


def _caption_line(text: str, width: float, bad: bool = False) -> None:
    """One caption line, shortened with an ellipsis to the thumbnail's width."""
    if imgui.calc_text_size(text).x > width:  # the font has no ellipsis glyph
        while len(text) > 1 and imgui.calc_text_size(text + "..").x > width:
            text = text[:-1]
        text += ".."
    if bad:
        imgui.text_colored(imgui.ImVec4(*widgets.ERROR_RGBA), text)
    else:
        imgui.text(text)


def _draw_mutation(app: AppState, ui: EvolveUI) -> None:
    """Each gene group's mutation size (default beside it); 0 or Reset: the default."""
    groups = app.controller.evolution.mutation_groups()
    if not groups:
        return
    imgui.text("mutation per gene group")
    widgets.tip("how far a mutant moves from its parent, in each gene's own units: a slider's "
                "step, a weights group's standard deviation, a table entry's flip "
                "probability. Applies from the next New round.")
    for name, default, unit in groups[:16]:
        value = float(ui.sizes.get(name, default))
        imgui.set_next_item_width(90)
        changed, value = imgui.input_float(f"##mut_{name}", value, 0.0, 0.0, "%.4g")
        widgets.note_rect(app, f"evolve_mutation_{name}")
        if changed:
            if value > 0 and abs(value - default) > 1e-12 * max(1.0, abs(default)):
                ui.sizes[name] = float(value)
            else:
                ui.sizes.pop(name, None)
        imgui.same_line()
        text = f"{name} {unit}" + ("" if name in ui.sizes else " (default)")
        imgui.text(text)
        if name in ui.sizes:
            imgui.same_line()
            if widgets.button(app, f"default {default:.3g}##mut_{name}",
                              f"evolve_mutation_reset_{name}"):
                ui.sizes.pop(name, None)
    if len(groups) > 16:
        widgets.dim_text(f"... and {len(groups) - 16} more groups at their defaults")


def _draw_caption_choice(app: AppState, ui: EvolveUI) -> None:
    """What the captions show: the scene's fitness (default), another of the family's, or the
    world's size."""
    choices = app.controller.evolution.caption_choices()
    if len(choices) < 2:
        return
    current = ui.caption if ui.caption in choices else choices[0]
    imgui.set_next_item_width(-110)
    changed, index = imgui.combo("captions##evolve", choices.index(current), choices)
    widgets.note_rect(app, "evolve_caption")
    widgets.tip("what each candidate's caption shows (from the next New round): the scene's "
                "fitness (listed first), another fitness of the family, or the world's size")
    if changed:
        ui.caption = "" if index == 0 else choices[index]


def _draw_viability(app: AppState, ui: EvolveUI) -> None:
    _, ui.viable = imgui.checkbox("viability filter##evolve", ui.viable)
    widgets.note_rect(app, "evolve_viable")
    widgets.tip("re-draw candidates that die (their size falls under the low bound x the "
                "start's), explode (over the high bound x the start's, or x the parent's "
                "largest when the parent itself grows, as a seed does) or fill 90% of the "
                "grid within the preview; the round says how many were re-drawn")
    if ui.viable:
        imgui.same_line()
        imgui.set_next_item_width(55)
        changed, low = imgui.input_float("##evolve_low", ui.low, 0.0, 0.0, "%.3g")
        if changed:
            ui.low = min(max(0.0, low), 1.0)
        widgets.tip("dead: the size falls under this x the start's")
        imgui.same_line()
        imgui.set_next_item_width(55)
        changed, high = imgui.input_float("x .. x##evolve_high", ui.high, 0.0, 0.0, "%.3g")
        if changed:
            ui.high = max(1.0, high)
        widgets.tip("exploded: the size grows over this x the reference")
        _, ui.from_start = imgui.checkbox("against the start##evolve_from_start", ui.from_start)
        widgets.tip("measure 'exploded' against the start's size even when the parent itself "
                    "grows (off: a growing parent, e.g. a seed, sets the scale)")


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
    plot_view.draw_group(app, plot_view.fitness_group(evolution), compact=True)


def draw(app: AppState) -> None:
    ui = app.evolve_ui
    for name, low in (("n", 2), ("steps", 1)):
        imgui.set_next_item_width(-110)
        changed, value = imgui.input_int(f"{name}##evolve", getattr(ui, name))
        if changed:
            setattr(ui, name, max(low, value))
    _draw_mutation(app, ui)
    _draw_viability(app, ui)
    _draw_caption_choice(app, ui)
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
