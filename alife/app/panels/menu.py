"""The main menu bar: File, Edit, Run, View and Help menus (each item names its shortcut)."""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui


def draw_menu(app: Any, window: Any) -> float:
    """Draw the menu bar; returns its height in pixels."""
    del window
    c = app.controller
    height = 0.0
    if not imgui.begin_main_menu_bar():
        return height
    height = imgui.get_window_height()
    if imgui.begin_menu("File"):
        if imgui.menu_item("Open...", "Ctrl+O", False)[0]:
            app.focus_request = "open"
        if imgui.menu_item("Save", "Ctrl+S", False)[0]:
            app.save()
        if imgui.menu_item("Save As...", "Ctrl+Shift+S", False)[0]:
            app.focus_request = "save"
        if imgui.menu_item("Export world image (PNG)", "", False)[0]:
            app.write_request("export", app.export_path)
        if imgui.menu_item("Screenshot (whole window)", "", False)[0]:
            app.write_request("screenshot", app.screenshot_path)
        imgui.separator()
        if imgui.menu_item("Quit", "Ctrl+Q", False)[0]:
            app.want_quit = True
        imgui.end_menu()
    if imgui.begin_menu("Edit"):
        if imgui.menu_item("Undo", "Ctrl+Z", False, c.history.can_undo)[0]:
            c.undo()
        if imgui.menu_item("Redo", "Ctrl+Y", False, c.history.can_redo)[0]:
            c.redo()
        imgui.separator()
        has_sel = c.selection is not None
        if imgui.menu_item("Cut", "Ctrl+X", False, has_sel)[0]:
            c.cut_selection()
        if imgui.menu_item("Copy", "Ctrl+C", False, has_sel)[0]:
            c.copy_selection()
        if imgui.menu_item("Paste", "Ctrl+V", False, c.clipboard is not None)[0]:
            c.start_paste()
        if imgui.menu_item("Clear selection", "Delete", False, has_sel)[0]:
            c.clear_selection()
        if imgui.menu_item("Select all", "Ctrl+A", False)[0]:
            c.select_all()
        imgui.end_menu()
    if imgui.begin_menu("Run"):
        if imgui.menu_item("Pause" if c.playing else "Play", "Space", False)[0]:
            c.toggle_play()
        if imgui.menu_item("Step", "N", False)[0]:
            c.step_once()
        if imgui.menu_item("Step back", "B", False, len(c.rewind) > 1)[0]:
            c.step_back()
        if imgui.menu_item("Faster", "+", False)[0]:
            c.faster()
        if imgui.menu_item("Slower", "-", False)[0]:
            c.slower()
        if imgui.menu_item("As fast as possible", "", c.speed.fastest)[0]:
            c.set_fastest(not c.speed.fastest)
        imgui.separator()
        if imgui.menu_item("Reset", "R", False)[0]:
            c.reset()
        if imgui.menu_item("Clear", "", False, c.can_edit)[0]:
            c.clear()
        if imgui.menu_item(f"Random fill ({app.density:.2f})", "", False, c.can_edit)[0]:
            c.random_fill(app.density)
        imgui.end_menu()
    if imgui.begin_menu("View"):
        if imgui.menu_item("Fit", "F", False)[0]:
            app.want_fit = True
        app.grid_lines = imgui.menu_item("Grid lines", "", app.grid_lines)[1]
        panes = [("About", ""), ("Statistics", "T"), ("Help", "H")]
        if c.can_inspect:
            panes.insert(1, ("Inspector", ""))
        for name, key in panes:
            app.shown[name] = imgui.menu_item(name, key, app.shown.get(name, False))[1]
        imgui.end_menu()
    if imgui.begin_menu("Help"):
        if imgui.menu_item("Keys and mouse", "H / F1", False)[0]:
            app.shown["Help"] = True
        imgui.end_menu()
    imgui.end_main_menu_bar()
    return height
