"""About panel: the scene's name and description (as Golly shows a pattern's comments).

It sits at the top of the right-hand column whenever the world has a description (a scene's
`description:`, a pattern file's comment lines); "Hide" puts it away (View menu brings it back).
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets
from alife.app.panels.base import Panel


def _has_description(controller: Any) -> bool:
    return bool(controller.world.description)


def draw(app: Any) -> None:
    world = app.controller.world
    imgui.text(world.name)
    imgui.same_line()
    if widgets.button(app, "Hide##about", "about_hide"):
        app.shown["About"] = False
    widgets.dim_text(app.controller.rule_label, wrap=True)
    imgui.push_text_wrap_pos(0.0)
    imgui.text(world.description.strip())
    imgui.pop_text_wrap_pos()
    if world.path is not None:
        widgets.dim_text(str(world.path))


PANEL = Panel("About", draw, applies=_has_description, kind="right", default_open=True)
