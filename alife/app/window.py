"""The desktop app: a pygame OpenGL 3.3 core window, the main loop, events, layout and capture.

Each frame: pygame events (to ImGui first; to the canvas and the key table only when ImGui does
not want the mouse / keyboard), the ImGui frame (menu bar, left sidebar of panels, floating
panels, status bar), one controller tick (the simulation), the world (grid and entities, see
`alife.app.worldview`) drawn into the canvas area, ImGui drawn over it, then the buffer swap.
`App.frame()` is one such iteration, so tests drive the very same loop by posting pygame events
between frames.

Sizes are read from the window every frame (`alife.app.display`), never from pygame's display
surface, which keeps its first size after a resize: resizing or maximising lays the panels out
anew, and a world that was fitted to the canvas is fitted again.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from alife.app import autosave, display, docked, keys, modals, plane_view, unsaved
from alife.app.canvas import Canvas
from alife.app.controller import Controller
from alife.app.state import AppState
from alife.app.worldview import WorldView
from alife.core.errors import AlifeError
from alife.scene.palettes import DISCRETE_LOOKS
from alife.scene.world import World

SIDEBAR_WIDTH = 350.0
RIGHT_WIDTH = 330.0
IDLE_AFTER = 2.0  # seconds without input while paused before the loop slows to IDLE_FPS
IDLE_FPS = 15
FONT_SIZE = 15.0


def _font_path() -> str | None:
    import imgui_bundle

    path = Path(imgui_bundle.__file__).parent / "assets" / "fonts" / "DroidSans.ttf"
    return str(path) if path.exists() else None



def window_context() -> Any:
    """The ModernGL context of the pygame window just opened (current on this thread).

    Made through moderngl's default loader, which finds the current context whatever made it
    (EGL under SDL's offscreen, Wayland and KMS drivers, GLX on X11). `create_context()` would
    instead detect through GLX once this process holds another ModernGL context (e.g. an offscreen
    EGL render before the window), and GLX sees no current context under EGL drivers.
    """
    import moderngl

    moderngl.init_context()
    ctx = moderngl.get_context()
    if ctx.version_code < 330:
        raise RuntimeError(f"OpenGL {ctx.version_code / 100:.1f} for the window; expected 3.3+")
    return ctx


class App:
    """The live app around one Controller. `run()` loops until quit (or N frames)."""

    def __init__(self, world: World, size: tuple[int, int] = (1280, 800), vsync: bool = True,
                 autosave_enabled: bool = True, offer_recovery: bool = True,
                 max_fps: float = 0.0, background_compile: bool = True) -> None:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame
        from imgui_bundle import imgui, implot

        from alife.app.imgui.platform import PygamePlatform
        from alife.app.imgui.renderer import ImGuiRenderer

        self.pg = pygame
        pygame.display.init()
        gl = pygame
        gl.display.gl_set_attribute(gl.GL_CONTEXT_MAJOR_VERSION, 3)
        gl.display.gl_set_attribute(gl.GL_CONTEXT_MINOR_VERSION, 3)
        gl.display.gl_set_attribute(gl.GL_CONTEXT_PROFILE_MASK, gl.GL_CONTEXT_PROFILE_CORE)
        gl.display.gl_set_attribute(gl.GL_CONTEXT_FORWARD_COMPATIBLE_FLAG, True)
        gl.display.gl_set_attribute(gl.GL_DOUBLEBUFFER, 1)
        flags = pygame.OPENGL | pygame.DOUBLEBUF | pygame.RESIZABLE
        try:
            pygame.display.set_mode(size, flags, vsync=1 if vsync else 0)
        except pygame.error:
            pygame.display.set_mode(size, flags)
        self.ctx = window_context()
        self._imgui_ctx = imgui.create_context()
        self._implot_ctx = implot.create_context()
        io = imgui.get_io()
        io.set_ini_filename("")
        io.config_error_recovery = True  # a failing panel must not take the app down
        io.config_error_recovery_enable_assert = False
        font = _font_path()
        if font:
            io.fonts.add_font_from_file_ttf(font, FONT_SIZE)
        _style()
        self.platform = PygamePlatform()
        self.imgui_renderer = ImGuiRenderer(self.ctx)
        self.view = WorldView(self.ctx)
        self.controller = Controller(world)
        # a step compiling (10-70 s for agents and Biomaker) must not freeze the window
        self.controller.background_compile = background_compile
        self.state = AppState(self.controller)
        self.state.imgui_renderer = self.imgui_renderer  # the Library's thumbnails use it
        self.state.shown = {"Legend": True, "Statistics": True, "Measures": True, "Help": False,
                            "About": bool(world.description)}
        self.canvas = Canvas()
        self.state.camera = self.canvas.camera
        self.autosaver = autosave.Autosaver() if autosave_enabled else None
        if offer_recovery:
            self.state.recovery = autosave.pending_recovery(opened=world.path)
        self.max_fps = max_fps
        self.frames = 0
        self._clock = pygame.time.Clock()
        self._last_frame = time.perf_counter()
        self._last_activity = self._last_frame
        self._frame_seconds = 0.0
        self._first_fit = True
        self._world_serial = -1
        self._fitted: tuple | None = None  # (canvas size, camera) right after the last fit
        self._held: list = []  # events left for the next frame (see `_split_after_move`)
        self._close_menus = False  # Escape was pressed with a menu open
        self._set_title()

    # ---- the loop ------------------------------------------------------------------------------
    def run(self, frames: int | None = None, screenshot: str | None = None) -> int:
        """Run until quit, or exactly `frames` frames; then save `screenshot` if given."""
        try:
            while not self.state.want_quit:
                if frames is not None and self.frames >= frames:
                    break
                last = frames is not None and self.frames == frames - 1
                self.frame(screenshot if last else None)
        finally:
            self.close()
        return 0

    def frame(self, screenshot: str | None = None) -> None:
        """One iteration of the main loop (events, UI, simulation, drawing, swap)."""
        from imgui_bundle import imgui

        pg = self.pg
        now = time.perf_counter()
        dt = max(now - self._last_frame, 1e-4)
        self._frame_seconds, self._last_frame = dt, now
        events = self._held + pg.event.get()
        events, self._held = _split_after_move(pg, events)
        for event in events:
            self._event(event)
        if events or self.controller.playing or self.view.recorder is not None:
            self._last_activity = now
        idle = now - self._last_activity > IDLE_AFTER
        window_size = display.window_size()
        fb_size = display.drawable_size(window_size)
        self.platform.new_frame(window_size, fb_size, dt)
        imgui.new_frame()
        if self._close_menus:
            self._close_menus = False
            imgui.internal.close_popups_except_modals()
        self.canvas.scale = fb_size[0] / max(window_size[0], 1)
        self._layout(window_size)
        self.canvas.refresh_hover(self.state, imgui.get_io().want_capture_mouse)
        self.controller.tick(self._frame_seconds)
        self.state.frames_per_second = self.controller.frames_per_second
        self._draw_world(window_size, fb_size)
        imgui.render()
        self.ctx.screen.use()
        self.ctx.viewport = (0, 0, *fb_size)
        self.imgui_renderer.render(imgui.get_draw_data())
        request = screenshot or self.state.screenshot_request
        if request:
            self.state.screenshot_request = None
            self.state.note(self.save_screenshot(request, fb_size))
        if self.state.export_request:
            path, self.state.export_request = self.state.export_request, None
            try:
                self.state.note(self.view.export_png(path, self.canvas.camera.zoom,
                                                     self.state.grid_lines))
            except (AlifeError, OSError) as exc:
                self.state.note(str(exc))
        pg.display.flip()
        if self.autosaver is not None and self.state.recovery is None:  # keep an unanswered one
            self.autosaver.maybe_save(self.controller.world)
        unsaved.check_quit(self.state)  # quitting over unsaved changes asks first
        self.frames += 1
        if self.max_fps or idle:  # paused and untouched for a while: spare the CPU
            self._clock.tick(IDLE_FPS if idle else self.max_fps)

    def _event(self, event: Any) -> None:
        from imgui_bundle import imgui

        pg = self.pg
        self.platform.process_event(event)
        io = imgui.get_io()
        if event.type in (pg.KEYDOWN, pg.KEYUP):
            self.canvas.mods = int(getattr(event, "mod", 0))
        if event.type == pg.QUIT:
            self.state.want_quit = True
        elif event.type == pg.DROPFILE:  # asks first if changes would be lost
            unsaved.open_file(self.state, event.file)
        elif event.type == pg.KEYDOWN:
            if event.key == pg.K_ESCAPE and imgui.is_popup_open(
                    "", imgui.PopupFlags_.any_popup_id):
                self._close_menus = True  # Escape closes an open menu (next frame), only that
            elif not (io.want_capture_keyboard or io.want_text_input):
                keys.handle_key(event, self.state)
        elif event.type == pg.WINDOWLEAVE:
            self.canvas.mouse = (-1, -1)  # no cell under a mouse that left the window
        elif event.type in (pg.MOUSEMOTION, pg.MOUSEBUTTONDOWN, pg.MOUSEBUTTONUP, pg.MOUSEWHEEL):
            self.canvas.handle(event, self.state, io.want_capture_mouse)
        # VIDEORESIZE / WINDOWRESIZED / WINDOWSIZECHANGED need nothing more: every frame reads
        # the window's size afresh and lays everything out for it

    # ---- layout --------------------------------------------------------------------------------
    def _layout(self, window_size: tuple[int, int]) -> None:
        from imgui_bundle import imgui

        from alife.app.panels import panels_for, status
        from alife.app.panels.menu import draw_menu

        w, h = window_size
        app = self.state
        menu_h = draw_menu(app, self)
        status_h = imgui.get_frame_height() + 2 * imgui.get_style().window_padding.y
        fixed = (imgui.WindowFlags_.no_move | imgui.WindowFlags_.no_collapse
                 | imgui.WindowFlags_.no_title_bar)
        imgui.set_next_window_pos(imgui.ImVec2(0, menu_h))
        imgui.set_next_window_size(imgui.ImVec2(SIDEBAR_WIDTH, 0), imgui.Cond_.first_use_ever)
        # in a small window the columns give way, so the world keeps at least a third of it
        imgui.set_next_window_size_constraints(imgui.ImVec2(200, h - menu_h - status_h),
                                               imgui.ImVec2(max(200, w * 0.38),
                                                            h - menu_h - status_h))
        docked.begin("Sidebar", fixed)
        sidebar_w = imgui.get_window_width()
        applicable = panels_for(self.controller)
        for panel in applicable:
            if panel.kind != "sidebar":
                continue
            if panel.name == "Files" and app.focus_request in ("open", "save", "export"):
                imgui.set_next_item_open(True)
            flags = imgui.TreeNodeFlags_.default_open if panel.default_open else 0
            opened = imgui.collapsing_header(panel.name, flags)
            lo, hi = imgui.get_item_rect_min(), imgui.get_item_rect_max()
            app.widget_rects[f"panel_{panel.name}"] = (lo.x, lo.y, hi.x, hi.y)  # tests click it
            if opened:
                imgui.push_id(panel.name)
                _draw_panel(panel, app)
                imgui.pop_id()
        imgui.end()

        right = [p for p in applicable
                 if p.kind == "right" and app.shown.get(p.name, p.default_open)]
        right_w = 0.0
        if right:
            imgui.set_next_window_pos(imgui.ImVec2(w, menu_h), 0, imgui.ImVec2(1.0, 0.0))
            imgui.set_next_window_size(imgui.ImVec2(RIGHT_WIDTH, 0), imgui.Cond_.first_use_ever)
            imgui.set_next_window_size_constraints(imgui.ImVec2(180, h - menu_h - status_h),
                                                   imgui.ImVec2(max(180, w * 0.27),
                                                                h - menu_h - status_h))
            docked.begin("Right", fixed)
            right_w = imgui.get_window_width()
            for panel in right:
                imgui.separator_text(panel.name)
                imgui.push_id(panel.name)
                _draw_panel(panel, app)
                imgui.pop_id()
            imgui.end()

        for panel in applicable:
            if panel.kind != "window" or not app.shown.get(panel.name, panel.default_open):
                continue
            _place_window(panel.name, w, h, sidebar_w, menu_h, status_h)
            expanded, still_open = imgui.begin(panel.name, True)
            if expanded:
                _draw_panel(panel, app)
            imgui.end()
            # closed by its X, or by the panel itself (the Library after opening a file)
            app.shown[panel.name] = bool(still_open) and app.shown.get(panel.name, True)

        imgui.set_next_window_pos(imgui.ImVec2(0, h - status_h))
        imgui.set_next_window_size(imgui.ImVec2(w, status_h))
        docked.begin("Status", fixed | imgui.WindowFlags_.no_resize
                      | imgui.WindowFlags_.no_scrollbar)
        status.draw(app)
        imgui.end()
        modals.draw(app)

        if self._world_serial != self.controller.world_serial:  # a new scene: its view block
            self._world_serial = self.controller.world_serial
            self._new_world_view()
        rect = (int(sidebar_w), int(menu_h), max(1, int(w - sidebar_w - right_w)),
                max(1, int(h - menu_h - status_h)))
        if rect[2:] != self.canvas.rect[2:] and self._fitted is not None \
                and self._fitted == (self.canvas.rect[2:], self._camera_key()):
            app.want_fit = True  # resized while fitted: fill the new canvas
        self.canvas.rect = rect
        if app.view_request is not None:
            kind, arg = app.view_request
            app.view_request = None
            size = self.canvas.size_fb()
            if kind == "zoom":
                self.canvas.camera.zoom_at((size[0] / 2, size[1] / 2), arg, size)
            else:
                step = 0.1 * min(size)
                self.canvas.camera.pan(arg[0] * step, arg[1] * step)
        if app.want_fit:
            plane_view.fit(self.canvas, self.controller, app)
            zoom = self.controller.world.view.get("zoom")
            fitted = self.canvas.camera.zoom
            if self._first_fit and isinstance(zoom, (int, float)) and 0 < zoom <= fitted:
                self.canvas.camera.zoom = float(zoom)  # the scene's own zoom, if all shows
            self._first_fit = False
            app.want_fit = False
            self._fitted = (self.canvas.rect[2:], self._camera_key())
        self._follow()
        self.canvas.draw_overlays(app)
        self._handle_record_request()
        self._set_title()

    def _camera_key(self) -> tuple:
        cam = self.canvas.camera
        return (tuple(cam.centre), cam.zoom)

    def _new_world_view(self) -> None:
        """A new world: its scene's view block, with grid lines off for continuous looks."""
        app, c = self.state, self.controller
        view = c.world.view
        app.colormap = str(view.get("colormap", app.colormap))
        channel = view.get("channel")
        app.channel = int(channel) if isinstance(channel, int) else -1
        discrete = c.look in DISCRETE_LOOKS and app.channel < 0
        app.grid_lines = bool(view.get("grid_lines", discrete))
        app.message_lines = bool(view.get("message_lines", False))
        app.inspected = None
        app.follow = False
        app.want_fit = True  # however it was opened (Files, Library, drop, restore): fit it
        if c.world.description:
            app.shown["About"] = True

    def _follow(self) -> None:
        """Keep the followed entity (the inspected cell's "slot") at the canvas's centre."""
        app = self.state
        if not app.follow or app.inspected is None:
            return
        info = self.controller.inspect_cell(*app.inspected) or {}
        slot = app.follow_slot if app.follow_slot is not None else info.get("slot")
        pos = self.controller.entity_position(int(slot)) if isinstance(slot, int) else None
        if pos is None:
            app.follow = False
            app.note("the followed entity is gone")
            return
        app.follow_slot = int(slot)
        self.canvas.camera.centre = pos

    def _set_title(self) -> None:
        c = self.controller
        mark = "* " if c.dirty else ""  # unsaved changes
        title = f"{mark}{c.world.name} - {c.rule_label} \u2014 alife"
        if title != getattr(self, "_title", None):
            self.pg.display.set_caption(title)
            self._title = title

    # ---- drawing and capture -------------------------------------------------------------------
    def _draw_world(self, window_size: tuple[int, int], fb_size: tuple[int, int]) -> None:
        from alife.scene import palettes

        c, app = self.controller, self.state
        plane_view.before_draw(self.canvas, c, app)  # after the tick: the window may have moved
        self.view.update(c, app)
        self.ctx.screen.use()
        self.ctx.viewport = (0, 0, *fb_size)
        self.ctx.clear(*docked.background(palettes.OUTSIDE))  # the docked panels' background
        self.view.draw(self.canvas.gl_viewport(window_size[1]),
                       plane_view.draw_camera(self.canvas.camera, c.view_scale),
                       app.grid_lines and c.view_scale == 1)
        if self.view.recorder is not None:
            done = self.view.record_frame(app.grid_lines)
            rec = self.view.recorder
            app.recording = f"{rec.path.name}: {rec.count}/{rec.total}" if rec else ""
            if done:
                app.note(done)
            self.ctx.screen.use()
            self.ctx.viewport = (0, 0, *fb_size)

    def _handle_record_request(self) -> None:
        request, self.state.record_request = self.state.record_request, None
        if request is None or self.view.recorder is not None:
            return
        try:
            self.view.start_recording(*request, zoom=self.canvas.camera.zoom)
        except AlifeError as exc:
            self.state.note(str(exc))

    def save_screenshot(self, path: str, fb_size: tuple[int, int]) -> str:
        """The whole window (UI included) to a PNG; returns a status message."""
        from PIL import Image

        data = self.ctx.screen.read(viewport=(0, 0, *fb_size), components=3, alignment=1)
        image = np.frombuffer(data, np.uint8).reshape(fb_size[1], fb_size[0], 3)[::-1]
        target = Path(path).expanduser()
        target.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.ascontiguousarray(image)).save(target)
        return f"screenshot saved to {target}"

    def close(self) -> None:
        from imgui_bundle import imgui, implot

        if self.autosaver is not None and self.state.recovery is None:
            autosave.discard_recovery()  # a clean quit: nothing to recover next time
        from alife.app.panels import library

        library.close(self.state)  # its thumbnail worker and textures
        self.view.release()
        self.imgui_renderer.release()
        implot.destroy_context(self._implot_ctx)
        imgui.destroy_context(self._imgui_ctx)
        self.ctx.release()
        self.pg.display.quit()


def _split_after_move(pg: Any, events: list) -> tuple[list, list]:
    """(events for this frame, events held for the next): a mouse button that follows a move in
    the same frame waits one frame, so ImGui first learns where the mouse is and says rightly
    whether a panel or the canvas gets the click (a fast move-and-click from a panel onto the
    grid was lost otherwise; ImGui trickles its own input queue the same way)."""
    moved = False
    for i, event in enumerate(events):
        if event.type == pg.MOUSEMOTION:
            moved = True
        elif event.type in (pg.MOUSEBUTTONDOWN, pg.MOUSEBUTTONUP) and moved:
            return events[:i], events[i:]
    return events, []


def _draw_panel(panel: Any, app: AppState) -> None:
    """Draw one panel; an exception in it becomes a status-bar message, not a crash (ImGui's
    error recovery closes whatever the panel left open)."""
    try:
        panel.draw(app)
    except Exception as exc:  # noqa: BLE001
        app.note(f"{panel.name} panel failed: {type(exc).__name__}: {exc}")


def _place_window(name: str, w: float, h: float, sidebar_w: float, menu_h: float,
                  status_h: float) -> None:
    from imgui_bundle import imgui

    first = imgui.Cond_.first_use_ever
    if name == "Help":  # over the right-hand column, so the world stays in sight
        imgui.set_next_window_pos(imgui.ImVec2(max(sidebar_w, w - 540), menu_h + 30), first)
        imgui.set_next_window_size(imgui.ImVec2(520, 560), first)
    elif name == "Plots":  # tall, over part of the world; resizable, Enlarge fills the window
        imgui.set_next_window_pos(imgui.ImVec2(sidebar_w + 16, menu_h + 16), first)
        imgui.set_next_window_size(imgui.ImVec2(max(360, min(640, 0.55 * (w - sidebar_w))),
                                                max(300, h - menu_h - status_h - 32)), first)
    elif name == "Library":  # large, beside the sidebar; at most the world's area
        avail_w, avail_h = w - sidebar_w - 24, h - menu_h - status_h - 24
        imgui.set_next_window_pos(imgui.ImVec2(sidebar_w + 12, menu_h + 12), first)
        imgui.set_next_window_size(imgui.ImVec2(max(300, min(720, avail_w)),
                                                max(240, min(820, avail_h))), first)
    else:
        imgui.set_next_window_pos(imgui.ImVec2(sidebar_w + 60, menu_h + 60), first)
        imgui.set_next_window_size(imgui.ImVec2(420, 360), first)


def _style() -> None:
    from imgui_bundle import imgui

    imgui.style_colors_dark()
    style = imgui.get_style()
    style.window_rounding = 4.0
    style.frame_rounding = 3.0
    style.grab_rounding = 3.0
    style.window_border_size = 1.0
    style.item_spacing = imgui.ImVec2(6, 5)
    style.frame_padding = imgui.ImVec2(6, 3)
