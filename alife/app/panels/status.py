"""Status bar: generation, population or mass, steps/s, frames/s, speed, the cell under the
cursor as x, y (column, row) and its state (by name where the family names its states), and the
last message (errors included).

A step compiling in the background (`Controller.compiling`) is said first, with its elapsed
time ("compiling agents step... 12 s"). Notes expire: a message shows for `NOTE_SECONDS` after
it was set (undo and redo replace it at once), so "restored" or "the followed entity is gone"
do not outlive their truth; hovering the bar lists the recent ones. A tool that cannot act
(`AppState.warn`: place with every slot taken, remove with nothing under the brush) also says
why beside the mouse for `TOAST_SECONDS`.
"""

from __future__ import annotations

import time
from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets

NOTE_SECONDS = 8.0
TOAST_SECONDS = 4.0
COMPILE_RGBA = (1.0, 0.78, 0.3, 1.0)


def draw(app: Any) -> None:
    c = app.controller
    compiling = c.compiling
    if compiling:
        imgui.text_colored(imgui.ImVec4(*COMPILE_RGBA), compiling)
        widgets.note_rect(app, "status_compiling")
        imgui.same_line()
        imgui.text("   |   ")
        imgui.same_line()
    imgui.text("   |   ".join(parts(app)))
    text = current_note(c)
    if text:
        imgui.same_line()
        widgets.dim_text("   " + text[:160])
        widgets.note_rect(app, "status_note")
    if imgui.is_window_hovered() and app.log:
        imgui.set_tooltip("recent notes:\n" + "\n".join(m[:160] for m in app.log[-8:]))
    _draw_toast(app)
    if compiling:
        _banner(f"{compiling} (only the first run of this world's step; the window stays live)")


def _banner(text: str) -> None:
    """A line over the top of the window's middle (the world's area) while a step compiles."""
    io = imgui.get_io()
    size = imgui.calc_text_size(text)
    pad = 8.0
    x = max(4.0, (io.display_size.x - size.x) / 2 - pad)
    y = 3 * imgui.get_frame_height()
    dl = imgui.get_foreground_draw_list()
    dl.add_rect_filled(imgui.ImVec2(x, y), imgui.ImVec2(x + size.x + 2 * pad, y + size.y + 2 * pad),
                       imgui.IM_COL32(30, 26, 10, 230), 4.0)
    dl.add_text(imgui.ImVec2(x + pad, y + pad), imgui.IM_COL32(255, 205, 90, 255), text)


def _draw_toast(app: Any) -> None:
    """A tool's "cannot ..." beside the mouse (`AppState.warn`) for TOAST_SECONDS."""
    toast = getattr(app, "toast", None)
    if toast is None:
        return
    text, since, pos = toast
    if time.monotonic() - since > TOAST_SECONDS or text != app.controller.message:
        app.toast = None
        return
    io = imgui.get_io()
    if pos is None:
        pos = (io.display_size.x / 2, io.display_size.y / 2)
    size = imgui.calc_text_size(text)
    pad = 6.0
    x = min(max(4.0, pos[0] + 16), io.display_size.x - size.x - 2 * pad - 4)
    y = min(max(4.0, pos[1] + 16), io.display_size.y - size.y - 2 * pad - 40)
    dl = imgui.get_foreground_draw_list()
    dl.add_rect_filled(imgui.ImVec2(x, y), imgui.ImVec2(x + size.x + 2 * pad, y + size.y + 2 * pad),
                       imgui.IM_COL32(40, 20, 20, 235), 4.0)
    dl.add_rect(imgui.ImVec2(x, y), imgui.ImVec2(x + size.x + 2 * pad, y + size.y + 2 * pad),
                imgui.IM_COL32(255, 115, 100, 255), 4.0)
    dl.add_text(imgui.ImVec2(x + pad, y + pad), imgui.IM_COL32(255, 225, 215, 255), text)
    app.widget_rects["toast"] = (x, y, x + size.x + 2 * pad, y + size.y + 2 * pad)


def current_note(controller: Any, now: float | None = None) -> str:
    """The message the bar shows now: the controller's last one, unless it has expired."""
    text = controller.message
    if not text:
        return ""
    since = getattr(controller, "message_time", None)
    now = time.monotonic() if now is None else now
    if since is not None and now - since > NOTE_SECONDS:
        return ""
    return text


def parts(app: Any) -> list[str]:
    """The status bar's fields, left to right."""
    c = app.controller
    label, pop = c.population_field()
    fields = [
        ("RUNNING" if c.playing else "paused"),
        f"gen {c.generation:,}",
        f"{label} {pop:,.6g}" if label == "mass" else f"{label} {int(pop):,}",
        f"{c.steps_per_second:,.0f} steps/s",
        f"{app.frames_per_second:.0f} fps",
        c.speed.label(),
    ]
    extent = c.extent_text()  # the unbounded plane: the pattern's box in plane coordinates
    if extent:
        fields.insert(3, extent)
    if app.camera is not None:
        z = app.camera.zoom
        fields.append(f"zoom {z:.3g}:1" if z >= 1 else f"zoom 1:{1 / z:.3g}")
    if app.hovered is not None and c.on_plane:
        x, y = c.plane_xy(*app.hovered)
        value = c.cell_value(*app.hovered)
        shown = "" if value is None else f" = {c.state_name(value)}"
        fields.append(f"x {x}, y {y}{shown}")  # plane coordinates, as Golly shows them
    elif app.hovered is not None:
        r, col = app.hovered
        h, w = c.shape
        if 0 <= r < h and 0 <= col < w:
            value = c.cell_value(r, col)
            shown = "" if value is None else f" = {c.state_name(value)}"
            fields.append(f"x {col}, y {r}{shown}")  # column, row: as Golly and image tools
    return fields
