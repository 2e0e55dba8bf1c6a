"""Panels docked to the window's edges (sidebar, right column, status bar), drawn without their
own background rectangle: the frame's clear paints their colour instead.

On Mesa llvmpipe a blended rectangle the height of the window costs about 1 ms a frame, and these
panels cover most of it.

API:
    begin(name, flags)          imgui.begin for a docked panel, with a transparent WindowBg
    background(outside) -> rgb  the clear colour that looks as the panel's background did when
                                ImGui blended it over the OUTSIDE colour
"""

from __future__ import annotations


def begin(name: str, flags: int) -> None:
    """Begin a panel docked to the window's edge (sidebar, right column, status bar) without its
    background: the frame's clear paints it (`background`). Those panels are most of the
    window, and on Mesa llvmpipe a blended full-height rectangle each costs ~1 ms a frame."""
    from imgui_bundle import imgui

    imgui.push_style_color(imgui.Col_.window_bg.value, imgui.ImVec4(0.0, 0.0, 0.0, 0.0))
    imgui.begin(name, None, flags)
    imgui.pop_style_color()


def background(outside: tuple[int, int, int]) -> tuple[float, float, float]:
    """The colour a docked panel had when ImGui drew its background over the OUTSIDE clear."""
    from imgui_bundle import imgui

    bg = imgui.get_style().color_(imgui.Col_.window_bg.value)
    rgb = (bg.x, bg.y, bg.z)
    return tuple(bg.w * v + (1.0 - bg.w) * o / 255.0 for v, o in zip(rgb, outside, strict=True))
