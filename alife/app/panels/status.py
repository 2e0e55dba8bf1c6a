"""Status bar: generation, population or mass, steps/s, frames/s, speed, the cell under the
cursor as x, y (column, row) and its state (by name where the family names its states), and the
last message (errors included)."""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets


def draw(app: Any) -> None:
    c = app.controller
    imgui.text("   |   ".join(parts(app)))
    if c.message:
        imgui.same_line()
        widgets.dim_text("   " + c.message[:160])


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
    if app.camera is not None:
        z = app.camera.zoom
        fields.append(f"zoom {z:.3g}:1" if z >= 1 else f"zoom 1:{1 / z:.3g}")
    if app.hovered is not None:
        r, col = app.hovered
        h, w = c.shape
        if 0 <= r < h and 0 <= col < w:
            value = c.cell_value(r, col)
            shown = "" if value is None else f" = {c.state_name(value)}"
            fields.append(f"x {col}, y {r}{shown}")  # column, row: as Golly and image tools
    return fields
