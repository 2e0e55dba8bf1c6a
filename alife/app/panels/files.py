"""Files panel: open a scene or pattern; Save (the world's own scene file) and Save As (a typed
path or the native dialog where zenity/kdialog exists; replacing another file asks first); recent
scenes; the world alone to a PNG or a GIF/MP4 recording (no panels, no margin), and a screenshot
of the whole window. Opening over unsaved changes asks first (`alife.app.unsaved`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from imgui_bundle import imgui

from alife.app import autosave, unsaved
from alife.app.panels import widgets
from alife.app.panels.base import Panel
from alife.app.panels.widgets import button, tip

_FIELD = imgui.InputTextFlags_.enter_returns_true | imgui.InputTextFlags_.auto_select_all
OPEN_FILTERS = ["Scenes and patterns", "*.yaml *.yml *.rle *.cells *.mc *.lif *.life *.gz *.zip",
                "All files", "*"]


def native_open() -> str:
    """The native open dialog (blocks); "" when cancelled or when there is no dialog tool."""
    from imgui_bundle import portable_file_dialogs as pfd

    files = pfd.open_file("Open a scene or pattern", str(Path.cwd()), OPEN_FILTERS).result()
    return files[0] if files else ""


def native_save(default: str) -> str:
    from imgui_bundle import portable_file_dialogs as pfd

    return pfd.save_file("Save the scene", default or str(Path.cwd()),
                         ["Scenes", "*.yaml"]).result() or ""


def draw(app: Any) -> None:
    c = app.controller
    if app.focus_request == "open":  # Ctrl+O: the native dialog if there is one, else the field
        app.focus_request = None
        picked = native_open() if app.native_dialogs else ""
        if picked:
            app.open_path = picked
            unsaved.open_file(app, picked)
        else:
            imgui.set_keyboard_focus_here()
    imgui.set_next_item_width(-110)
    entered, app.open_path = imgui.input_text("##open", app.open_path, _FIELD)
    widgets.note_rect(app, "open_path")
    tip("a scene .yaml, or a pattern .rle / .cells (Enter opens)")
    imgui.same_line()
    if button(app, "Open", "open", 48) or entered:
        unsaved.open_file(app, app.open_path)
    if app.native_dialogs:
        imgui.same_line()
        if button(app, "...##open", "open_browse", 30):
            picked = native_open()
            if picked:
                app.open_path = picked
                unsaved.open_file(app, picked)
    own = c.own_file
    if button(app, "Save", "save", 48):
        app.save()
    tip(f"Ctrl+S: write {own}" if own else "Ctrl+S: this world has no scene file yet (Save As)")
    imgui.same_line()
    widgets.dim_text((own.name if own else "(no scene file)")
                     + (" - unsaved changes" if c.dirty else ""))
    if app.focus_request == "save":
        imgui.set_keyboard_focus_here()
        app.focus_request = None
    imgui.set_next_item_width(-110)
    entered, app.save_path = imgui.input_text("##save", app.save_path, _FIELD)
    widgets.note_rect(app, "save_path")
    tip("Save As: a new scene .yaml (arrays go to an .npz beside it); asks before replacing "
        "another file")
    imgui.same_line()
    if button(app, "Save as", "save_as", 60) or entered:
        app.save_as(app.save_path)
    if app.native_dialogs:
        imgui.same_line()
        if button(app, "...##save", "save_browse", 30):
            picked = native_save(app.save_path)
            if picked:
                app.save_path = picked
                app.save_as(picked)

    recent = autosave.recent()
    opened = bool(recent) and imgui.tree_node("Recent")
    if recent:
        widgets.note_rect(app, "recent")
    if opened:
        for i, path in enumerate(recent):
            if imgui.selectable(Path(path).name + f"##{path}", False)[0]:
                unsaved.open_file(app, path)
            widgets.note_rect(app, f"recent_{i}")
            tip(path)
        imgui.tree_pop()

    imgui.separator_text("Capture")
    imgui.set_next_item_width(-110)
    _, app.export_path = imgui.input_text("##export", app.export_path)
    widgets.note_rect(app, "export_path")
    tip("the world alone at the view's zoom: no panels, no margin (for papers)")
    imgui.same_line()
    if button(app, "World PNG", "export_png"):
        app.write_request("export", app.export_path)
    imgui.set_next_item_width(-110)
    _, app.screenshot_path = imgui.input_text("##shot", app.screenshot_path)
    imgui.same_line()
    if button(app, "Screenshot", "screenshot"):
        app.write_request("screenshot", app.screenshot_path)
    tip("the whole window, panels included")
    imgui.set_next_item_width(-180)
    _, app.record_path = imgui.input_text("##rec", app.record_path)
    widgets.note_rect(app, "record_path")
    tip("frames of the world alone (at the view's zoom, no margin) to .gif or .mp4")
    imgui.same_line()
    imgui.set_next_item_width(60)
    _, app.record_frames = imgui.input_int("##nrec", app.record_frames, 0, 0)
    imgui.same_line()
    if app.recording:
        widgets.dim_text(app.recording)
    elif button(app, "Record", "record"):
        app.write_request("record", app.record_path)


PANEL = Panel("Files", draw)
