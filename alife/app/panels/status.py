"""Status bar: generation, population or mass, steps/s, frames/s, speed, the cell under the
cursor and its state, and the last message (errors included)."""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets


def draw(app: Any) -> None:
    c = app.controller
    mass = c.num_states == 0
    pop = c.population()
    parts = [
        ("RUNNING" if c.playing else "paused"),
        f"gen {c.generation:,}",
        f"{'mass' if mass else 'population'} {pop:,.6g}" if mass else f"population {int(pop):,}",
        f"{c.steps_per_second:,.0f} steps/s",
        f"{app.frames_per_second:.0f} fps",
        c.speed.label(),
    ]
    if app.camera is not None:
        z = app.camera.zoom
        parts.append(f"zoom {z:.3g}:1" if z >= 1 else f"zoom 1:{1 / z:.3g}")
    if app.hovered is not None:
        r, col = app.hovered
        value = c.cell_value(r, col)
        if value is not None:
            shown = f"{value:.3g}" if mass else f"{int(value)}"
            parts.append(f"cell ({r}, {col}) = {shown}")
    imgui.text("   |   ".join(parts))
    if c.message:
        imgui.same_line()
        widgets.dim_text("   " + c.message[:160])
