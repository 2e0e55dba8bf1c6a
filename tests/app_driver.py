"""Driving the real app from tests: post pygame events into its own event loop, run frames.

Shared by every test of the app window (`make_app` in conftest builds the app under
`SDL_VIDEODRIVER=offscreen`). ImGui takes at most one change of a key or button per frame from its
input queue ("trickling"), so each input is followed by enough frames for it to catch up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pygame

CTRL = pygame.KMOD_LCTRL
SHIFT = pygame.KMOD_LSHIFT


def post(kind: int, **attrs: Any) -> None:
    pygame.event.post(pygame.event.Event(kind, **attrs))


def frames(app: Any, n: int = 1) -> None:
    for _ in range(n):
        app.frame()


def frames_until(app: Any, cond: Callable[[], bool], timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        frames(app)
        time.sleep(0.02)


def key(app: Any, k: int, mod: int = 0, frames_after: int = 3) -> None:
    """Press and release key `k` with modifiers `mod`; the modifiers are released after it, as
    SDL reports them (Shift first, then Ctrl)."""
    post(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)
    post(pygame.KEYUP, key=k, mod=mod, unicode="", scancode=0)
    if mod & SHIFT:
        mod &= ~SHIFT
        post(pygame.KEYUP, key=pygame.K_LSHIFT, mod=mod, unicode="", scancode=0)
    if mod & CTRL:
        post(pygame.KEYUP, key=pygame.K_LCTRL, mod=0, unicode="", scancode=0)
    frames(app, frames_after)


def move(app: Any, pos: tuple[int, int], buttons: tuple[int, int, int] = (0, 0, 0),
         rel: tuple[int, int] = (0, 0)) -> None:
    post(pygame.MOUSEMOTION, pos=pos, rel=rel, buttons=buttons, touch=False)
    frames(app)


def click(app: Any, pos: tuple[int, int], button: int = 1) -> None:
    move(app, pos)
    post(pygame.MOUSEBUTTONDOWN, pos=pos, button=button, touch=False)
    frames(app)
    post(pygame.MOUSEBUTTONUP, pos=pos, button=button, touch=False)
    frames(app)


def centre(app: Any, name: str) -> tuple[int, int]:
    """Window position of the centre of the widget the app noted as `name`."""
    x0, y0, x1, y1 = app.state.widget_rects[name]
    return (int((x0 + x1) / 2), int((y0 + y1) / 2))


def click_widget(app: Any, name: str) -> None:
    click(app, centre(app, name))


def screen_pos(app: Any, row: float, col: float) -> tuple[int, int]:
    """Window position of the continuous cell point (row, col)."""
    canvas = app.canvas
    x, y = canvas.camera.cell_to_screen(row, col, canvas.size_fb())
    return (int(canvas.rect[0] + x / canvas.scale), int(canvas.rect[1] + y / canvas.scale))


def cell_pos(app: Any, row: float, col: float) -> tuple[int, int]:
    """Window position of the centre of cell (row, col)."""
    return screen_pos(app, row + 0.5, col + 0.5)


def type_into(app: Any, field: str, text: str, frames_after: int = 4) -> None:
    """Click a text field (it selects all on focus), type `text`, press Enter."""
    click(app, centre(app, field))
    post(pygame.TEXTINPUT, text=text)
    frames(app)
    key(app, pygame.K_RETURN, frames_after=frames_after)


def drag(app: Any, a: tuple[float, float], b: tuple[float, float], steps: int = 6) -> None:
    """Press on cell `a`, move in `steps` steps to cell `b`, release."""
    start = cell_pos(app, *a)
    move(app, start)
    post(pygame.MOUSEBUTTONDOWN, pos=start, button=1, touch=False)
    frames(app)
    for i in range(1, steps + 1):
        r = a[0] + (b[0] - a[0]) * i / steps
        c = a[1] + (b[1] - a[1]) * i / steps
        move(app, cell_pos(app, r, c), buttons=(1, 0, 0), rel=(1, 1))
    post(pygame.MOUSEBUTTONUP, pos=cell_pos(app, *b), button=1, touch=False)
    frames(app)
