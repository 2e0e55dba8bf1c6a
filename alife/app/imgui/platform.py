"""PygamePlatform: pygame events, window size and time -> Dear ImGui's IO (the platform backend).

API:
    p = PygamePlatform()                after `imgui.create_context()` and `pygame.init()`
    p.process_event(event) -> bool      feed one pygame event to ImGui; True when ImGui wants it
                                        (mouse over a window / widget active, keyboard focus,
                                        text input), so the app should not also act on it
    p.new_frame(window_size, framebuffer_size, dt)
                                        before `imgui.new_frame()`: display size (window
                                        coordinates = mouse coordinates), framebuffer scale,
                                        delta time in seconds; updates the mouse cursor shape
    p.clipboard                         text held when no system clipboard is reachable
    p.release()                         unhook the clipboard callbacks

Events handled: MOUSEMOTION (position), MOUSEBUTTONDOWN/UP (left, right, middle, X1, X2),
MOUSEWHEEL (precise x/y), KEYDOWN/KEYUP (named keys and Ctrl/Shift/Alt/Super modifiers),
TEXTINPUT (UTF-8 characters), WINDOWFOCUSGAINED/LOST, WINDOWLEAVE (mouse gone). The clipboard
goes through pygame.scrap (SDL's clipboard) when it works, else through `p.clipboard`.
"""

from __future__ import annotations

from typing import Any

import pygame
from imgui_bundle import imgui

NO_MOUSE = -3.4028234663852886e38  # -FLT_MAX: ImGui's "mouse not available"

# pygame button number -> ImGui mouse button (0 left, 1 right, 2 middle, 3/4 extra)
MOUSE_BUTTONS = {1: 0, 3: 1, 2: 2, 6: 3, 7: 4}


def _key_map() -> dict[int, Any]:
    k = imgui.Key
    table: dict[int, Any] = {
        pygame.K_TAB: k.tab, pygame.K_LEFT: k.left_arrow, pygame.K_RIGHT: k.right_arrow,
        pygame.K_UP: k.up_arrow, pygame.K_DOWN: k.down_arrow, pygame.K_PAGEUP: k.page_up,
        pygame.K_PAGEDOWN: k.page_down, pygame.K_HOME: k.home, pygame.K_END: k.end,
        pygame.K_INSERT: k.insert, pygame.K_DELETE: k.delete, pygame.K_BACKSPACE: k.backspace,
        pygame.K_SPACE: k.space, pygame.K_RETURN: k.enter, pygame.K_ESCAPE: k.escape,
        pygame.K_QUOTE: k.apostrophe, pygame.K_COMMA: k.comma, pygame.K_MINUS: k.minus,
        pygame.K_PERIOD: k.period, pygame.K_SLASH: k.slash, pygame.K_SEMICOLON: k.semicolon,
        pygame.K_EQUALS: k.equal, pygame.K_LEFTBRACKET: k.left_bracket,
        pygame.K_BACKSLASH: k.backslash, pygame.K_RIGHTBRACKET: k.right_bracket,
        pygame.K_BACKQUOTE: k.grave_accent, pygame.K_CAPSLOCK: k.caps_lock,
        pygame.K_SCROLLLOCK: k.scroll_lock, pygame.K_NUMLOCK: k.num_lock,
        pygame.K_PRINTSCREEN: k.print_screen, pygame.K_PAUSE: k.pause,
        pygame.K_KP_PERIOD: k.keypad_decimal, pygame.K_KP_DIVIDE: k.keypad_divide,
        pygame.K_KP_MULTIPLY: k.keypad_multiply, pygame.K_KP_MINUS: k.keypad_subtract,
        pygame.K_KP_PLUS: k.keypad_add, pygame.K_KP_ENTER: k.keypad_enter,
        pygame.K_KP_EQUALS: k.keypad_equal, pygame.K_LCTRL: k.left_ctrl,
        pygame.K_LSHIFT: k.left_shift, pygame.K_LALT: k.left_alt, pygame.K_LGUI: k.left_super,
        pygame.K_RCTRL: k.right_ctrl, pygame.K_RSHIFT: k.right_shift, pygame.K_RALT: k.right_alt,
        pygame.K_RGUI: k.right_super, pygame.K_MENU: k.menu,
    }
    for i in range(10):
        table[getattr(pygame, f"K_{i}")] = getattr(k, f"_{i}")
        table[getattr(pygame, f"K_KP_{i}")] = getattr(k, f"keypad{i}")
    for c in "abcdefghijklmnopqrstuvwxyz":
        table[getattr(pygame, f"K_{c}")] = getattr(k, c)
    for i in range(1, 13):
        table[getattr(pygame, f"K_F{i}")] = getattr(k, f"f{i}")
    return table


def _cursor_map() -> dict[Any, int]:
    c = imgui.MouseCursor_
    return {
        c.arrow: pygame.SYSTEM_CURSOR_ARROW, c.text_input: pygame.SYSTEM_CURSOR_IBEAM,
        c.resize_all: pygame.SYSTEM_CURSOR_SIZEALL, c.resize_ns: pygame.SYSTEM_CURSOR_SIZENS,
        c.resize_ew: pygame.SYSTEM_CURSOR_SIZEWE, c.resize_nesw: pygame.SYSTEM_CURSOR_SIZENESW,
        c.resize_nwse: pygame.SYSTEM_CURSOR_SIZENWSE, c.hand: pygame.SYSTEM_CURSOR_HAND,
        c.not_allowed: pygame.SYSTEM_CURSOR_NO, c.wait: pygame.SYSTEM_CURSOR_WAIT,
        c.progress: pygame.SYSTEM_CURSOR_WAITARROW,
    }


class PygamePlatform:
    """Translates pygame input into `imgui.get_io()` events (Dear ImGui's input queue)."""

    def __init__(self) -> None:
        if imgui.get_current_context() is None:
            raise RuntimeError("create an ImGui context (imgui.create_context()) first")
        self.keys = _key_map()
        self.cursors = _cursor_map()
        self.clipboard = ""
        self._cursor: Any = None
        io = imgui.get_io()
        io.backend_flags |= imgui.BackendFlags_.has_mouse_cursors.value
        platform_io = imgui.get_platform_io()
        platform_io.platform_get_clipboard_text_fn = self._get_clipboard
        platform_io.platform_set_clipboard_text_fn = self._set_clipboard

    # ---- clipboard ---------------------------------------------------------------------------
    def _get_clipboard(self, _ctx: Any = None) -> str:
        try:
            if pygame.display.get_init():
                text = pygame.scrap.get_text()
                if text:
                    return text
        except (pygame.error, AttributeError):
            pass
        return self.clipboard

    def _set_clipboard(self, _ctx: Any, text: str) -> None:
        self.clipboard = text
        try:
            if pygame.display.get_init():
                pygame.scrap.put_text(text)
        except (pygame.error, AttributeError):
            pass

    # ---- events ------------------------------------------------------------------------------
    def _modifiers(self, mod: int) -> None:
        io = imgui.get_io()
        io.add_key_event(imgui.Key.mod_ctrl, bool(mod & pygame.KMOD_CTRL))
        io.add_key_event(imgui.Key.mod_shift, bool(mod & pygame.KMOD_SHIFT))
        io.add_key_event(imgui.Key.mod_alt, bool(mod & pygame.KMOD_ALT))
        io.add_key_event(imgui.Key.mod_super, bool(mod & pygame.KMOD_GUI))

    def process_event(self, event: Any) -> bool:
        """Queue `event` for ImGui; True if ImGui wants it (the app should then ignore it)."""
        io = imgui.get_io()
        kind = event.type
        if kind == pygame.MOUSEMOTION:
            io.add_mouse_pos_event(float(event.pos[0]), float(event.pos[1]))
            return io.want_capture_mouse
        if kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            button = MOUSE_BUTTONS.get(event.button)
            if button is None:  # 4/5: legacy wheel clicks, MOUSEWHEEL carries the scroll
                return io.want_capture_mouse
            io.add_mouse_pos_event(float(event.pos[0]), float(event.pos[1]))
            io.add_mouse_button_event(button, kind == pygame.MOUSEBUTTONDOWN)
            return io.want_capture_mouse
        if kind == pygame.MOUSEWHEEL:
            dx = float(getattr(event, "precise_x", event.x))
            dy = float(getattr(event, "precise_y", event.y))
            if getattr(event, "flipped", False):
                dx, dy = -dx, -dy
            io.add_mouse_wheel_event(-dx, dy)
            return io.want_capture_mouse
        if kind in (pygame.KEYDOWN, pygame.KEYUP):
            self._modifiers(getattr(event, "mod", 0))
            key = self.keys.get(event.key)
            if key is not None:
                io.add_key_event(key, kind == pygame.KEYDOWN)
            return io.want_capture_keyboard
        if kind == pygame.TEXTINPUT:
            io.add_input_characters_utf8(event.text)
            return io.want_capture_keyboard or io.want_text_input
        if kind == pygame.WINDOWFOCUSGAINED:
            io.add_focus_event(True)
        elif kind == pygame.WINDOWFOCUSLOST:
            io.add_focus_event(False)
        elif kind == pygame.WINDOWLEAVE:
            io.add_mouse_pos_event(NO_MOUSE, NO_MOUSE)
        return False

    # ---- frames ------------------------------------------------------------------------------
    def new_frame(self, window_size: tuple[int, int], framebuffer_size: tuple[int, int],
                  dt: float) -> None:
        """Set display size, framebuffer scale and delta time; call before imgui.new_frame()."""
        io = imgui.get_io()
        w, h = max(int(window_size[0]), 1), max(int(window_size[1]), 1)
        io.display_size = (float(w), float(h))
        io.display_framebuffer_scale = (framebuffer_size[0] / w, framebuffer_size[1] / h)
        io.delta_time = max(float(dt), 1e-6)
        self._update_cursor()

    def _update_cursor(self) -> None:
        io = imgui.get_io()
        if io.config_flags & imgui.ConfigFlags_.no_mouse_cursor_change.value:
            return
        wanted = imgui.get_mouse_cursor()
        if wanted == self._cursor or not pygame.display.get_init():
            return
        self._cursor = wanted
        try:
            if wanted == imgui.MouseCursor_.none or io.mouse_draw_cursor:
                pygame.mouse.set_visible(False)
            else:
                pygame.mouse.set_visible(True)
                pygame.mouse.set_cursor(self.cursors.get(wanted, pygame.SYSTEM_CURSOR_ARROW))
        except pygame.error:
            pass

    def release(self) -> None:
        """Unhook our clipboard callbacks from ImGui (before destroying the ImGui context)."""
        if imgui.get_current_context() is not None:
            platform_io = imgui.get_platform_io()
            platform_io.platform_get_clipboard_text_fn = None
            platform_io.platform_set_clipboard_text_fn = None
