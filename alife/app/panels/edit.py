"""Edit panel: the mouse tool (draw / select / move / inspect / place / remove), what the place
tool puts down (the family's `place_choices`: agents, robots, seeds...), the brush, selections
and pasting.

Drawing: the brush paints cells in the chosen state (discrete rules) or level (continuous
rules); "damage" paints the value -1, which clears every channel under the brush. Pasting: load
an RLE or plaintext file, RLE text typed or taken from the clipboard, or the copied selection;
the pattern then follows the cursor (rotate R, flip X / Y, place with a click, Esc cancels).
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets
from alife.app.panels.base import Panel
from alife.app.panels.widgets import button, tip
from alife.app.state import TOOLS

PASTE_MODES = ("or", "copy", "xor")
TOOL_KEYS = {"draw": "D", "select": "S", "move": "M", "inspect": "I", "place": "P", "remove": "E"}


def draw(app: Any) -> None:
    c = app.controller
    grid = c.can_edit  # draw, select and move work on a cell grid (GridEditing)
    offered = {"draw": grid, "select": grid, "move": grid, "inspect": c.can_inspect,
               "place": c.can_place, "remove": c.can_remove}
    shown = [tool for tool in TOOLS if offered.get(tool, True)]
    if shown and app.tool not in shown:
        app.tool = shown[0]
    for i, tool in enumerate(shown):
        if i % 4:
            imgui.same_line()
        if imgui.radio_button(tool, app.tool == tool):
            app.tool = tool
        widgets.note_rect(app, f"tool_{tool}")
        tip(f"key {TOOL_KEYS[tool]}" + (": or Alt+click with any tool" if tool == "inspect"
                                        else ""))
    choices = c.place_choices
    if choices:
        imgui.set_next_item_width(-70)
        index = min(max(int(c.place_choice), 0), len(choices) - 1)
        _, c.place_choice = imgui.combo("place", index, list(choices))
        widgets.note_rect(app, "place_choice")
        tip("what the place tool (P) puts down on the clicked cell")
    if not c.can_edit:
        if c.can_remove:
            imgui.set_next_item_width(-70)
            _, c.brush_radius = imgui.slider_int("radius", c.brush_radius, 0, 64)
        return

    imgui.separator_text("Brush")
    imgui.set_next_item_width(-70)
    _, c.brush_radius = imgui.slider_int("radius", c.brush_radius, 0, 64)
    damage = c.brush_value < 0
    changed, damage = imgui.checkbox("damage", damage)
    tip("erase everything under the brush (value -1; for NCAs all channels)")
    if changed:
        c.brush_value = -1.0 if damage else 1.0
    if not damage:
        imgui.same_line()
        imgui.set_next_item_width(-70)
        _brush_state(app, c)
    if c.num_states >= 2:
        changed, toggle = imgui.checkbox("toggle", c.brush_mode == "toggle")
        widgets.note_rect(app, "brush_toggle")
        tip("Golly's default: a stroke that starts on a cell already in the brush's state "
            "erases (to state 0); off: always paint the brush's state")
        if changed:
            c.brush_mode = "toggle" if toggle else "paint"

    imgui.separator_text("Selection")
    sel = c.selection
    widgets.dim_text(f"{sel.width}x{sel.height} at x {sel.left}, y {sel.top}" if sel
                     else "none (select tool: drag on the grid)")
    if button(app, "Copy", "copy", 52):
        c.copy_selection()
    tip("Ctrl+C")
    imgui.same_line()
    if button(app, "Cut", "cut", 52):
        c.cut_selection()
    tip("Ctrl+X")
    imgui.same_line()
    if button(app, "Clear", "clear_selection", 52):
        c.clear_selection()
    tip("Delete")
    imgui.same_line()
    if button(app, "Outside", "clear_outside", 62):
        c.clear_outside()
    tip("clear everything outside the selection")
    imgui.same_line()
    if button(app, "All", "select_all", 36):
        c.select_all()
    tip("Ctrl+A")

    imgui.separator_text("Paste")
    if button(app, "Paste clipboard", "paste"):
        if not c.start_paste():
            app.note(c.message)
    tip("Ctrl+V: the copied cells, then click to place")
    imgui.same_line()
    if button(app, "RLE from system clipboard", "paste_system"):
        app.note(c.load_pattern_text(imgui.get_clipboard_text() or ""))
    imgui.set_next_item_width(-60)
    _, app.pattern_path = imgui.input_text("##pattern", app.pattern_path)
    widgets.note_rect(app, "pattern_path")
    tip("an .rle or .cells file")
    imgui.same_line()
    if button(app, "Load", "pattern_load"):
        app.note(c.load_pattern_file(app.pattern_path))
    _, app.rle_text = imgui.input_text_multiline("##rle", app.rle_text,
                                                 imgui.ImVec2(-1, 54))
    widgets.note_rect(app, "rle_text")
    if button(app, "Paste RLE text", "paste_rle"):
        app.note(c.load_pattern_text(app.rle_text))
    imgui.same_line()
    imgui.set_next_item_width(70)
    changed, index = imgui.combo("mode", PASTE_MODES.index(c.paste_mode), list(PASTE_MODES))
    if changed:
        c.paste_mode = PASTE_MODES[index]
    pending = c.pending_paste()
    if pending is not None:
        widgets.dim_text(f"placing {pending.shape[0]}x{pending.shape[1]}: click on the grid")
        if button(app, "Rotate", "rotate", 60):
            c.paste_rotate = (c.paste_rotate + 1) % 4
        imgui.same_line()
        if button(app, "Flip X", "flip_x", 60):
            c.paste_flip_x = not c.paste_flip_x
        imgui.same_line()
        if button(app, "Flip Y", "flip_y", 60):
            c.paste_flip_y = not c.paste_flip_y
        imgui.same_line()
        if button(app, "Cancel", "paste_cancel", 60):
            c.cancel_paste()


def _brush_state(app: Any, c: Any) -> None:
    """The brush's state: named states (`NamedStates`) in a list, else a number / level."""
    names = c.state_names
    if c.num_states >= 2 and names:
        index = min(max(int(c.brush_value), 0), len(names) - 1)
        _, index = imgui.combo("state", index, list(names))
        widgets.note_rect(app, "brush_state")
        c.brush_value = float(index)
    elif c.num_states >= 2:
        _, value = imgui.slider_int("state", int(c.brush_value), 0, c.num_states - 1)
        c.brush_value = float(value)
    else:
        _, c.brush_value = imgui.slider_float("level", float(c.brush_value), 0.0, 1.0)


def _applies(controller: Any) -> bool:
    return (controller.can_edit or controller.can_inspect or controller.can_remove
            or controller.can_place)


PANEL = Panel("Edit", draw, applies=_applies)
