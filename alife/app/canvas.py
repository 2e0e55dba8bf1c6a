"""The grid area of the window: mouse gestures (pan, wheel zoom, brush, selection, paste) and
the overlays drawn over the grid (selection box, paste preview, brush outline).

Coordinates: pygame mouse positions are window pixels; the camera works in framebuffer pixels
(they differ on HiDPI screens), relative to the canvas's top-left corner.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pygame
from imgui_bundle import imgui

from alife.render.camera import Camera

SELECT_RGBA = (90, 170, 255, 255)
PASTE_RGBA = (120, 255, 160, 150)
BRUSH_RGBA = (255, 255, 255, 140)
INSPECT_RGBA = (255, 200, 60, 255)
MAX_PREVIEW_CELLS = 20000


class Canvas:
    """Where the grid is drawn (`rect`: x, y, w, h in window pixels); how the mouse acts on it."""

    def __init__(self) -> None:
        self.camera = Camera()
        self.rect = (0, 0, 1, 1)
        self.scale = 1.0  # framebuffer pixels per window pixel
        self._drag: str | None = None
        self._anchor: tuple[int, int] | None = None
        self.mouse = (0, 0)  # last mouse position seen in an event (window pixels)
        #: modifier keys as of the last key event handled (not SDL's state now: events may be
        #: handled a frame late, after the key was released)
        self.mods = 0
        #: (world serial, origin) of the unbounded plane's window last seen
        self._origin_seen: tuple[int, Any] | None = None

    # ---- geometry ------------------------------------------------------------------------------
    def size_fb(self) -> tuple[float, float]:
        return self.rect[2] * self.scale, self.rect[3] * self.scale

    def gl_viewport(self, window_h: int) -> tuple[int, int, int, int]:
        """The canvas as a GL viewport (framebuffer pixels, y up)."""
        x, y, w, h = self.rect
        s = self.scale
        return (round(x * s), round((window_h - y - h) * s), round(w * s), round(h * s))

    def inside(self, pos: tuple[int, int]) -> bool:
        x, y, w, h = self.rect
        return x <= pos[0] < x + w and y <= pos[1] < y + h

    def cell(self, pos: tuple[float, float]) -> tuple[int, int]:
        x, y = (pos[0] - self.rect[0]) * self.scale, (pos[1] - self.rect[1]) * self.scale
        row, col = self.camera.screen_to_cell(x, y, self.size_fb())
        return math.floor(row), math.floor(col)

    def fit(self, shape: tuple[int, int]) -> None:
        self.camera.fit(shape, self.size_fb())

    def follow_origin(self, controller: Any) -> None:
        """On the unbounded plane, shift the camera by how far the world's window moved, so
        it shows the same plane cells (`alife.app.plane_view`)."""
        seen, origin = self._origin_seen, controller.world.origin
        self._origin_seen = (controller.world_serial, origin)
        if seen is None or seen[0] != controller.world_serial or origin is None \
                or seen[1] is None or seen[1] == origin:
            return
        row, col = self.camera.centre
        self.camera.centre = (row + seen[1][1] - origin[1], col + seen[1][0] - origin[0])

    def refresh_hover(self, app: Any, want_mouse: bool) -> None:
        """The cell under the last mouse position, once ImGui knows whether a panel is under it
        (a single move from a panel onto the grid otherwise left the status bar blank)."""
        if self._drag is None:
            inside = self.inside(self.mouse) and not want_mouse
            app.hovered = self.cell(self.mouse) if inside else None

    # ---- events --------------------------------------------------------------------------------
    def handle(self, event: Any, app: Any, want_mouse: bool) -> None:
        c = app.controller
        self.follow_origin(c)  # an edit may have moved the plane's window since the last event
        if hasattr(event, "pos"):
            self.mouse = tuple(event.pos)
        if event.type == pygame.MOUSEMOTION:
            if self.inside(event.pos) and not want_mouse:
                app.hovered = self.cell(event.pos)
            elif self._drag is None:
                app.hovered = None
            self._motion(event, app)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 2, 3):
            if want_mouse or not self.inside(event.pos):
                return
            cell = self.cell(event.pos)
            inspect = app.tool == "inspect" or bool(self.mods & pygame.KMOD_ALT)
            if event.button in (2, 3) or app.tool == "move":
                self._drag = "pan"
                app.follow = False  # moving the view by hand stops following
                app.follow_pattern = False
            elif inspect and event.button == 1:
                app.inspected = cell  # the Inspector panel shows it (Alt+click: any tool)
                app.follow_slot = None
                app.shown["Inspector"] = True
            elif c.paste_pattern is not None:
                c.paste_at(*cell)
            elif app.tool == "draw":
                self._drag = "draw"
                c.begin_stroke(*cell)
            elif app.tool == "select":
                self._drag = "select"
                self._anchor = cell
                c.select(cell, cell)
            elif app.tool == "place":
                app.warn(c.place_at(*cell), event.pos)  # "cannot place ...: why", by the mouse
            elif app.tool == "remove":
                self._drag = "remove"
                self._anchor = cell
                app.warn(c.remove_at(cell, cell, first=True), event.pos)
        elif event.type == pygame.MOUSEBUTTONUP:
            if self._drag == "draw":
                c.end_stroke()
            self._drag = None
        elif event.type == pygame.MOUSEWHEEL and not want_mouse:
            pos = self.mouse
            if self.inside(pos) and event.y:
                x = (pos[0] - self.rect[0]) * self.scale
                y = (pos[1] - self.rect[1]) * self.scale
                self.camera.zoom_at((x, y), 1.25 ** event.y, self.size_fb())

    def _motion(self, event: Any, app: Any) -> None:
        c = app.controller
        if self._drag == "pan":
            self.camera.pan(event.rel[0] * self.scale, event.rel[1] * self.scale)
        elif self._drag == "draw":
            c.continue_stroke(*self.cell(event.pos))
        elif self._drag == "remove" and self._anchor is not None:
            cell = self.cell(event.pos)
            c.remove_at(self._anchor, cell, first=False)
            self._anchor = cell
        elif self._drag == "select" and self._anchor is not None:
            c.select(self._anchor, self.cell(event.pos))

    # ---- overlays ------------------------------------------------------------------------------
    def _to_window(self, row: float, col: float) -> imgui.ImVec2:
        x, y = self.camera.cell_to_screen(row, col, self.size_fb())
        return imgui.ImVec2(self.rect[0] + x / self.scale, self.rect[1] + y / self.scale)

    def draw_overlays(self, app: Any) -> None:
        """Selection box, paste preview and brush outline, over the grid, under the panels."""
        c = app.controller
        dl = imgui.get_background_draw_list()
        lo = imgui.ImVec2(self.rect[0], self.rect[1])
        dl.push_clip_rect(lo, imgui.ImVec2(lo.x + self.rect[2], lo.y + self.rect[3]))
        if c.selection is not None:
            s = c.selection
            dl.add_rect_filled(self._to_window(s.top, s.left), self._to_window(s.bottom, s.right),
                               imgui.IM_COL32(*SELECT_RGBA[:3], 40))
            dl.add_rect(self._to_window(s.top, s.left), self._to_window(s.bottom, s.right),
                        imgui.IM_COL32(*SELECT_RGBA), 0.0, 2.0)
        pattern = c.pending_paste()
        if pattern is not None and app.hovered is not None:
            top = app.hovered[0] - pattern.shape[0] // 2
            left = app.hovered[1] - pattern.shape[1] // 2
            colour = imgui.IM_COL32(*PASTE_RGBA)
            rows, cols = np.nonzero(pattern)
            if len(rows) <= MAX_PREVIEW_CELLS:
                for r, col in zip(rows.tolist(), cols.tolist(), strict=True):
                    dl.add_rect_filled(self._to_window(top + r, left + col),
                                       self._to_window(top + r + 1, left + col + 1), colour)
            dl.add_rect(self._to_window(top, left),
                        self._to_window(top + pattern.shape[0], left + pattern.shape[1]),
                        imgui.IM_COL32(*PASTE_RGBA[:3], 255), 0.0, 1.5)
        if app.inspected is not None and c.can_inspect:
            r, col = app.inspected
            dl.add_rect(self._to_window(r, col), self._to_window(r + 1, col + 1),
                        imgui.IM_COL32(*INSPECT_RGBA), 0.0, 2.0)
        if pattern is None and app.tool in ("draw", "remove") and app.hovered is not None \
                and self.camera.zoom >= 2:
            r, col = app.hovered
            rad = c.brush_radius
            dl.add_rect(self._to_window(r - rad, col - rad),
                        self._to_window(r + rad + 1, col + rad + 1),
                        imgui.IM_COL32(*BRUSH_RGBA), 0.0, 1.0)
        dl.pop_clip_rect()
