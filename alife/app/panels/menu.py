"""The main menu bar: File, Edit, Run, View and Help menus (each item names its shortcut)."""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app import unsaved
from alife.app.measures_feed import applies as measures_apply
from alife.app.panels import widgets


def draw_menu(app: Any, window: Any) -> float:
    """Draw the menu bar; returns its height in pixels."""
    del window
    c = app.controller
    height = 0.0
    if not imgui.begin_main_menu_bar():
        return height
    height = imgui.get_window_height()
    file_open = imgui.begin_menu("File")
    widgets.note_rect(app, "menu_File")
    if file_open:
        if imgui.menu_item("New (empty world)", "", False)[0]:
            unsaved.request(app, "new")  # asks first if changes would be lost
        widgets.note_rect(app, "menu_New")
        if imgui.menu_item("Open...", "Ctrl+O", False)[0]:
            app.focus_request = "open"
        widgets.note_rect(app, "menu_Open")
        if imgui.menu_item("Library...", "L", app.shown.get("Library", False))[0]:
            from alife.app.panels import library

            library.show(app)  # shipped scenes, your folders, Golly's patterns
        widgets.note_rect(app, "menu_Library")
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
            app.want_quit = True  # the window asks first if changes would be lost
        widgets.note_rect(app, "menu_Quit")
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
            c.request_step()
        if imgui.menu_item("Step back", "B", False, len(c.rewind) > 1)[0]:
            c.step_back()
        if imgui.menu_item("Faster", "+", False)[0]:
            c.faster()
        if imgui.menu_item("Slower", "-", False)[0]:
            c.slower()
        if imgui.menu_item("As fast as possible", "", c.speed.fastest)[0]:
            c.set_fastest(not c.speed.fastest)
        imgui.separator()
        if imgui.menu_item("Run with HashLife", "", c.world.universe is not None,
                           c.world.origin is not None)[0]:
            app.note(c.switch_to_hashlife() or c.message)
        if imgui.menu_item("Reset", "R", False)[0]:
            c.reset()
        if imgui.menu_item("Clear", "", False, c.can_edit)[0]:
            c.clear()
        if imgui.menu_item(f"Random fill ({app.density:.2f})", "", False, c.can_edit)[0]:
            c.random_fill(app.density)
        imgui.end_menu()
    view_open = imgui.begin_menu("View")
    widgets.note_rect(app, "menu_View")  # tests open the menu there
    if view_open:
        if imgui.menu_item("Fit", "F", False)[0]:
            app.want_fit = True
        app.grid_lines = imgui.menu_item("Grid lines", "", app.grid_lines)[1]
        panes = [("About", ""), ("Legend", "K"), ("Statistics", "T"), ("Plots", "G"),
                 ("Help", "H")]
        if c.can_inspect:
            panes.insert(1, ("Inspector", ""))
        if measures_apply(c):
            panes.insert(panes.index(("Plots", "G")), ("Measures", ""))
        if c.can_plot_kernels:  # a world of kernels (`KernelPlots`): the Kernel window
            panes.insert(panes.index(("Plots", "G")), ("Kernel", "J"))
        for name, key in panes:
            app.shown[name] = imgui.menu_item(name, key, app.shown.get(name, False))[1]
            widgets.note_rect(app, f"menu_{name}")
        imgui.end_menu()
    if imgui.begin_menu("Help"):
        if imgui.menu_item("Keys and mouse", "H / F1", False)[0]:
            app.shown["Help"] = True
        imgui.end_menu()
    imgui.end_main_menu_bar()
    return height
