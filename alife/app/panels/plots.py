"""The Plots window: every live plot of the world, large, in its own resizable window.

Tabs: Statistics (the rule's metrics), Measures (live complexity measures, discrete rules),
Training loss (while a training job has run) and Fitness (a headless evolution job), all drawn
by the one plotting component (`alife.app.panels.plot_view`) with its toolbar: log scale, the
last N generations or all, event counts summed, CSV export. Plots share the window's height
(never below `plot_view.MIN_PLOT_HEIGHT`: with many metrics the tab scrolls). "Enlarge" fills
the app's work area with it (and follows the app window's size) and "Restore" puts it back;
the window is an ordinary ImGui window, moved and resized by its title bar and corners, apart
from the right-hand column, and kept inside the app window when that shrinks.
The CSV folder field says where exports go ("" writes next to the scene).
Opened from View > Plots or the G key (`alife.app.keys`).
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import plot_view, register_panel, widgets
from alife.app.panels.base import Panel

NAME = "Plots"


def groups(app: Any) -> list[tuple[str, Any]]:
    """(tab title, a function giving its `plot_view.Group`) for what this world has."""
    from alife.app.measures_feed import applies as measures_apply

    c = app.controller
    out: list[tuple[str, Any]] = [("Statistics", lambda: plot_view.statistics_group(c))]
    if measures_apply(c):
        out.append(("Measures", lambda: plot_view.measures_group(c)))
    if c.jobs.can_train() and c.jobs.get("training") is not None:
        out.append(("Training loss", lambda: plot_view.loss_group(c.jobs.get("training"))))
    if c.evolution.available() and c.evolution.job() is not None:
        out.append(("Fitness", lambda: plot_view.fitness_group(c.evolution)))
    return out


def open_tab(app: Any, tab: str = "") -> None:
    """Show the Plots window (and bring tab `tab` forward)."""
    app.shown[NAME] = True
    app.plots_ui.tab = tab


def _enlarge(app: Any) -> None:
    ui = app.plots_ui
    if widgets.button(app, "Restore" if ui.big else "Enlarge", "plots_enlarge"):
        if ui.big:
            pos, size = ui.restore or ((380.0, 80.0), (760.0, 600.0))
            imgui.set_window_pos(imgui.ImVec2(*pos))
            imgui.set_window_size(imgui.ImVec2(*size))
        else:
            p, s = imgui.get_window_pos(), imgui.get_window_size()
            ui.restore = ((p.x, p.y), (s.x, s.y))
        ui.big = not ui.big
        _keep_in_sight(app)  # enlarged: the whole work area, now and after resizes
    widgets.tip("fill the app's window with the plots (Restore puts it back)")


def _folder(app: Any) -> None:
    ui = app.plots_ui
    imgui.same_line()
    imgui.set_next_item_width(max(120.0, imgui.get_content_region_avail().x - 50))
    _, ui.folder = imgui.input_text_with_hint("##csv_folder", "CSV folder (empty: next to the "
                                              "scene)", ui.folder)
    widgets.note_rect(app, "plots_folder")
    if imgui.is_item_hovered():
        imgui.set_tooltip(f"CSV exports go to {plot_view.export_folder(app)}")
    if app.native_dialogs:
        imgui.same_line()
        if widgets.button(app, "...##csv_folder", "plots_folder_browse", 30):
            from imgui_bundle import portable_file_dialogs as pfd

            picked = pfd.select_folder("CSV folder", str(plot_view.export_folder(app))).result()
            if picked:
                ui.folder = picked


def _keep_in_sight(app: Any) -> None:
    """Keep the window inside the app's work area (menu bar to status bar) when the app window
    shrinks; enlarged, it follows the work area's size."""
    vp = imgui.get_main_viewport()
    status = imgui.get_frame_height() + 2 * imgui.get_style().window_padding.y
    x0, y0 = vp.work_pos.x, vp.work_pos.y
    width, height = vp.work_size.x, vp.work_size.y - status
    pos, size = imgui.get_window_pos(), imgui.get_window_size()
    if app.plots_ui.big:
        want_size, want_pos = (width, height), (x0, y0)
    else:
        want_size = (min(size.x, width), min(size.y, height))
        want_pos = (min(max(pos.x, x0), x0 + width - want_size[0]),
                    min(max(pos.y, y0), y0 + height - want_size[1]))
    if abs(want_size[0] - size.x) > 0.5 or abs(want_size[1] - size.y) > 0.5:
        imgui.set_window_size(imgui.ImVec2(*want_size))
    if abs(want_pos[0] - pos.x) > 0.5 or abs(want_pos[1] - pos.y) > 0.5:
        imgui.set_window_pos(imgui.ImVec2(*want_pos))


def draw(app: Any) -> None:
    ui = app.plots_ui
    _keep_in_sight(app)
    _enlarge(app)
    _folder(app)
    tabs = groups(app)
    if not imgui.begin_tab_bar("##plots_tabs"):
        return
    for title, make in tabs:
        flags = imgui.TabItemFlags_.set_selected if ui.tab == title else 0
        selected = imgui.begin_tab_item_simple(title, flags)
        lo, hi = imgui.get_item_rect_min(), imgui.get_item_rect_max()
        app.widget_rects[f"plots_tab_{title}"] = (lo.x, lo.y, hi.x, hi.y)
        if selected:
            group = make()
            app.__dict__["plots_shown"] = group  # what the window shows now (tests read it)
            _draw_tab(app, group)
            imgui.end_tab_item()
    ui.tab = ""
    imgui.end_tab_bar()


def _draw_tab(app: Any, group: Any) -> None:
    for note in group.notes:
        widgets.dim_text(note)
    plot_view.draw_toolbar(app, group, where="plots")
    if not group.plots:
        widgets.dim_text(group.empty)
        return
    imgui.begin_child(f"##plots_{group.key}", imgui.ImVec2(0, 0))
    n = len(group.plots)
    spacing = imgui.get_style().item_spacing.y
    avail = imgui.get_content_region_avail().y
    height = max(plot_view.MIN_PLOT_HEIGHT, (avail - spacing * (n - 1)) / n - 1)
    for plot in group.plots:
        plot_view.draw_plot(app, group, plot, height, where="plots")
    imgui.end_child()


PANEL = Panel(NAME, draw, kind="window", default_open=False, key="G")
register_panel(PANEL)
