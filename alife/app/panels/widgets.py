"""Small ImGui helpers the panels share: tooltips, error text, remembering widget rectangles."""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

ERROR_RGBA = (1.0, 0.45, 0.4, 1.0)
DIM_RGBA = (0.62, 0.65, 0.72, 1.0)


def tip(text: str) -> None:
    """A tooltip for the last widget."""
    if imgui.is_item_hovered():
        imgui.set_tooltip(text)


def note_rect(app: Any, name: str) -> None:
    """Remember the screen rectangle of the last widget (tests click there; hints point there)."""
    lo, hi = imgui.get_item_rect_min(), imgui.get_item_rect_max()
    app.widget_rects[name] = (lo.x, lo.y, hi.x, hi.y)


def error_text(text: str) -> None:
    if text:
        imgui.push_text_wrap_pos(0.0)
        imgui.text_colored(imgui.ImVec4(*ERROR_RGBA), text)
        imgui.pop_text_wrap_pos()


def dim_text(text: str, wrap: bool = False) -> None:
    if wrap:
        imgui.push_text_wrap_pos(0.0)
    imgui.text_colored(imgui.ImVec4(*DIM_RGBA), text)
    if wrap:
        imgui.pop_text_wrap_pos()


def button(app: Any, label: str, name: str | None = None, width: float = 0.0) -> bool:
    """A button whose rectangle is remembered under `name` (default: its label)."""
    clicked = imgui.button(label, imgui.ImVec2(width, 0.0))
    note_rect(app, name or label.split("##")[0])
    return clicked
