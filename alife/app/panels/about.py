"""About panel: the scene's name and description (as Golly shows a pattern's comments).

It sits at the top of the right-hand column whenever the world has a description (a scene's
`description:`, a pattern file's comment lines); "Hide" puts it away (View menu brings it back).
A long description is shown in a scrolling box of at most `MAX_LINES` lines ("more" shows it
all), so the panels under it (Inspector, Statistics) stay on screen.
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets
from alife.app.panels.base import Panel

MAX_LINES = 6  # a longer description scrolls in a box of this many lines (or "more")


def _has_description(controller: Any) -> bool:
    return bool(controller.world.description)


def draw(app: Any) -> None:
    world = app.controller.world
    imgui.text(world.name)
    imgui.same_line()
    if widgets.button(app, "Hide##about", "about_hide"):
        app.shown["About"] = False
    widgets.dim_text(app.controller.rule_label, wrap=True)
    text = world.description.strip()
    width = imgui.get_content_region_avail().x
    height = imgui.calc_text_size(text, wrap_width=width).y
    limit = MAX_LINES * imgui.get_text_line_height_with_spacing()
    expanded = app.shown.get("About:more", False)
    if height > limit and not expanded:
        imgui.begin_child("##about_text", imgui.ImVec2(0, limit))
        imgui.push_text_wrap_pos(0.0)
        imgui.text(text)
        imgui.pop_text_wrap_pos()
        imgui.end_child()
        widgets.note_rect(app, "about_text")
        if widgets.button(app, "more##about", "about_more"):
            app.shown["About:more"] = True
    else:
        imgui.push_text_wrap_pos(0.0)
        imgui.text(text)
        imgui.pop_text_wrap_pos()
        widgets.note_rect(app, "about_text")
        if height > limit and widgets.button(app, "less##about", "about_more"):
            app.shown["About:more"] = False
    if world.path is not None:
        widgets.dim_text(str(world.path), wrap=True)


PANEL = Panel("About", draw, applies=_has_description, kind="right", default_open=True)
