"""The window's sizes, read fresh every frame: window pixels and GL drawable pixels.

pygame's display surface keeps the size the window was created with when an OpenGL window is
resized or maximised (verified with pygame 2.6 / SDL 2.28: `get_surface().get_size()` stays put
while `get_window_size()` follows), so the app never reads it. The drawable (framebuffer) size is
asked from SDL itself (`SDL_GL_GetDrawableSize` in the SDL library pygame loaded; it differs from
the window size on HiDPI screens); where that library cannot be found, it is the window size.
"""

from __future__ import annotations

import ctypes
import glob
import os
from typing import Any

_sdl: Any = None
_looked = False


def _sdl_library() -> Any:
    """pygame's own SDL2 library through ctypes, or None."""
    global _sdl, _looked
    if _looked:
        return _sdl
    _looked = True
    import pygame

    here = os.path.dirname(pygame.__file__)
    candidates = (glob.glob(os.path.join(here, "..", "pygame.libs", "libSDL2-2*.so*"))
                  + glob.glob(os.path.join(here, ".dylibs", "libSDL2-2*.dylib"))
                  + glob.glob(os.path.join(here, "SDL2.dll")))
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
            lib.SDL_GL_GetCurrentWindow.restype = ctypes.c_void_p
            lib.SDL_GL_GetDrawableSize.argtypes = [ctypes.c_void_p,
                                                   ctypes.POINTER(ctypes.c_int),
                                                   ctypes.POINTER(ctypes.c_int)]
            _sdl = lib
            break
        except (OSError, AttributeError):
            continue
    return _sdl


def window_size() -> tuple[int, int]:
    """The window's size in window (mouse) pixels."""
    import pygame

    w, h = pygame.display.get_window_size()
    return max(int(w), 1), max(int(h), 1)


def drawable_size(window: tuple[int, int]) -> tuple[int, int]:
    """The GL drawable's size in framebuffer pixels (`window` when SDL cannot say)."""
    lib = _sdl_library()
    if lib is not None:
        handle = lib.SDL_GL_GetCurrentWindow()
        if handle:
            w, h = ctypes.c_int(0), ctypes.c_int(0)
            lib.SDL_GL_GetDrawableSize(handle, ctypes.byref(w), ctypes.byref(h))
            if w.value > 0 and h.value > 0:
                return int(w.value), int(h.value)
    return window
