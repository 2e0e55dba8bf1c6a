"""Keyboard shortcuts: one table that both the key handler and the help panel read.

Keys reach this handler only when ImGui does not want the keyboard (no text field focused).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

Action = Callable[[Any], None]


def _fit(app: Any) -> None:
    app.want_fit = True


def _toggle(name: str) -> Action:
    def act(app: Any) -> None:
        app.shown[name] = not app.shown.get(name, False)

    return act


def _tool(name: str) -> Action:
    def act(app: Any) -> None:
        app.tool = name

    return act


def _paste(app: Any) -> None:
    if not app.controller.start_paste():
        app.note(app.controller.message)


def _rotate(app: Any) -> None:
    c = app.controller
    c.paste_rotate = (c.paste_rotate + 1) % 4


def _flip(axis: str) -> Action:
    def act(app: Any) -> None:
        c = app.controller
        if axis == "x":
            c.paste_flip_x = not c.paste_flip_x
        else:
            c.paste_flip_y = not c.paste_flip_y

    return act


def _zoom(factor: float) -> Action:
    def act(app: Any) -> None:
        app.view_request = ("zoom", factor)

    return act


def _pan(dx: int, dy: int) -> Action:
    def act(app: Any) -> None:
        app.view_request = ("pan", (dx, dy))

    return act


def _escape(app: Any) -> None:
    c = app.controller
    if c.paste_pattern is not None:
        c.cancel_paste()
    else:
        c.selection = None


def _focus(name: str) -> Action:
    def act(app: Any) -> None:
        app.shown[name] = True
        app.focus_request = name

    return act


#: (shortcut as shown, pygame key, needs Ctrl, description, action)
BINDINGS: list[tuple[str, int, bool, str, Action]] = [
    ("Space", pygame.K_SPACE, False, "play / pause", lambda a: a.controller.toggle_play()),
    ("N", pygame.K_n, False, "step one generation", lambda a: a.controller.request_step()),
    ("B", pygame.K_b, False, "step back (rewind buffer)", lambda a: a.controller.step_back()),
    ("+ / =", pygame.K_PLUS, False, "faster", lambda a: a.controller.faster()),
    ("", pygame.K_EQUALS, False, "", lambda a: a.controller.faster()),
    ("", pygame.K_KP_PLUS, False, "", lambda a: a.controller.faster()),
    ("-", pygame.K_MINUS, False, "slower", lambda a: a.controller.slower()),
    ("", pygame.K_KP_MINUS, False, "", lambda a: a.controller.slower()),
    ("F", pygame.K_f, False, "fit the world in the view", _fit),
    ("] / [", pygame.K_RIGHTBRACKET, False, "zoom in / out (about the centre)", _zoom(2.0)),
    ("", pygame.K_LEFTBRACKET, False, "", _zoom(0.5)),
    ("Arrows", pygame.K_LEFT, False, "move the view", _pan(1, 0)),
    ("", pygame.K_RIGHT, False, "", _pan(-1, 0)),
    ("", pygame.K_UP, False, "", _pan(0, 1)),
    ("", pygame.K_DOWN, False, "", _pan(0, -1)),
    ("R", pygame.K_r, False, "reset to the scene's start (rotate while pasting)", None),
    ("D / S / M / I", pygame.K_d, False, "tool: draw / select / move / inspect", _tool("draw")),
    ("", pygame.K_s, False, "", _tool("select")),
    ("", pygame.K_m, False, "", _tool("move")),
    ("", pygame.K_i, False, "", _tool("inspect")),
    ("P / E", pygame.K_p, False, "tool: place / remove entities (families that have them)",
     _tool("place")),
    ("", pygame.K_e, False, "", _tool("remove")),
    ("X / Y", pygame.K_x, False, "flip the pattern being pasted", _flip("x")),
    ("", pygame.K_y, False, "", _flip("y")),
    ("Esc", pygame.K_ESCAPE, False, "cancel paste / drop the selection", _escape),
    ("Delete", pygame.K_DELETE, False, "clear the selection",
     lambda a: a.controller.clear_selection()),
    ("Ctrl+Z", pygame.K_z, True, "undo", lambda a: a.controller.undo()),
    ("Ctrl+Y", pygame.K_y, True, "redo", lambda a: a.controller.redo()),
    ("Ctrl+C", pygame.K_c, True, "copy the selection", lambda a: a.controller.copy_selection()),
    ("Ctrl+X", pygame.K_x, True, "cut the selection", lambda a: a.controller.cut_selection()),
    ("Ctrl+V", pygame.K_v, True, "paste (then click to place)", _paste),
    ("Ctrl+A", pygame.K_a, True, "select all", lambda a: a.controller.select_all()),
    ("Ctrl+O", pygame.K_o, True, "open a scene or pattern (Files panel)", _focus("open")),
    ("Ctrl+S", pygame.K_s, True, "save the world's own scene file (else Save As)",
     lambda a: a.save()),
    ("Ctrl+Shift+S", pygame.K_s, True, "save as: type a new path (Files panel)", None),
    ("Ctrl+Q", pygame.K_q, True, "quit (autosaves)", lambda a: setattr(a, "want_quit", True)),
    ("H / F1", pygame.K_h, False, "show or hide this help", _toggle("Help")),
    ("", pygame.K_F1, False, "", _toggle("Help")),
    ("T", pygame.K_t, False, "show or hide the statistics", _toggle("Statistics")),
    ("L", pygame.K_l, False, "show or hide the Library (shipped scenes, your folders, Golly's "
     "patterns; click one to open it)", _toggle("Library")),
    ("G", pygame.K_g, False, "show or hide the Plots window (every plot, large; CSV export)",
     _toggle("Plots")),
    ("K", pygame.K_k, False, "show or hide the colour key (legend)", _toggle("Legend")),
    ("J", pygame.K_j, False, "show or hide the Kernel window (worlds of kernels, e.g. Lenia: "
     "kernel and growth plots, rescale, rotate)", _toggle("Kernel")),
]

MOUSE_HELP: list[tuple[str, str]] = [
    ("Left drag", "draw with the brush / select a rectangle / move / inspect (by tool); "
                  "a stroke that starts on a cell in the brush's state erases (toggle mode)"),
    ("Alt+click", "inspect a cell (families with an inspector), whatever the tool"),
    ("Right or middle drag", "move the view (any tool)"),
    ("Wheel", "zoom about the cursor"),
    ("Click while pasting", "place the pattern (R rotates, X / Y flip, Esc cancels)"),
    ("Drop a file", "open a .yaml scene or an .rle / .cells pattern"),
]


def _reset_or_rotate(app: Any) -> None:
    if app.controller.paste_pattern is not None:
        _rotate(app)
    else:
        app.controller.reset()


def help_rows() -> list[tuple[str, str]]:
    """(shortcut, description) rows for the help panel."""
    return [(shown, text) for shown, _, _, text, _ in BINDINGS if shown]


def handle_key(event: Any, app: Any) -> bool:
    """Run the action bound to a KEYDOWN event; True if one ran."""
    ctrl = bool(event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META))
    if event.key == pygame.K_s and ctrl and event.mod & pygame.KMOD_SHIFT:
        _focus("save")(app)
        return True
    if event.key == pygame.K_r and not ctrl:
        _reset_or_rotate(app)
        return True
    if event.key in (pygame.K_x, pygame.K_y) and not ctrl \
            and app.controller.paste_pattern is None:
        return False
    for _, key, needs_ctrl, _, action in BINDINGS:
        if key == event.key and needs_ctrl == ctrl and action is not None:
            action(app)
            return True
    return False
