"""Controls panel: play/pause, step, step back, speed, reset, clear, random fill, undo/redo."""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets
from alife.app.panels.widgets import button, tip


def draw(app: Any) -> None:
    c = app.controller
    if button(app, "Pause" if c.playing else "Play", "play", 70):
        c.toggle_play()
    tip("space")
    imgui.same_line()
    if button(app, "Step", "step", 60):
        c.request_step()
    tip("n: one generation")
    imgui.same_line()
    if button(app, "Back", "back", 60):
        c.step_back()
    tip(f"b: step back ({len(c.rewind)} frames, {c.rewind.nbytes / 2**20:.0f} MiB remembered)")
    imgui.same_line()
    if button(app, "Reset", "reset", 60):
        c.reset()
    tip("r: back to the scene's start")

    imgui.separator_text("Speed")
    if button(app, "-", "slower", 26):
        c.slower()
    tip("- : slower")
    imgui.same_line()
    if button(app, "+", "faster", 26):
        c.faster()
    tip("+ : faster")
    imgui.same_line()
    changed, fastest = imgui.checkbox("max", c.speed.fastest)
    if changed:
        c.set_fastest(fastest)
    tip("as fast as possible while the UI keeps >= 30 frames/s")
    imgui.same_line()
    widgets.dim_text(c.speed.label())
    imgui.set_next_item_width(140)
    changed, base = imgui.slider_int("base", c.speed.base, 2, 10)
    if changed:
        c.speed.base = base
    imgui.same_line()
    imgui.set_next_item_width(90)
    changed, exp = imgui.input_int("exp", c.speed.exponent)
    if changed:
        c.speed.exponent = max(c.speed.min_exponent, min(exp, c.speed.max_exponent))

    imgui.separator_text("World")
    imgui.begin_disabled(not c.can_edit)  # no cell grid to clear or fill
    if button(app, "Clear", "clear", 60):
        c.clear()
    imgui.same_line()
    if button(app, "Random", "random", 70):
        c.random_fill(app.density)
    imgui.same_line()
    imgui.set_next_item_width(-1)
    _, app.density = imgui.slider_float("##density", app.density, 0.0, 1.0, "density %.2f")
    imgui.end_disabled()
    if button(app, "Undo", "undo", 60) and c.history.can_undo:
        c.undo()
    tip("Ctrl+Z")
    imgui.same_line()
    if button(app, "Redo", "redo", 60) and c.history.can_redo:
        c.redo()
    tip("Ctrl+Y")
    undo, redo = c.history.labels()
    imgui.same_line()
    widgets.dim_text(f"{len(undo)} / {len(redo)}" + (f"  last: {undo[-1]}" if undo else ""))


from alife.app.panels.base import Panel  # noqa: E402

PANEL = Panel("Controls", draw)
