"""The Kernel window (View > Kernel, key J) for worlds made of radial kernels and a growth
function (the `KernelPlots` capability of `alife.core.rule`; Lenia declares it).

For the kernel picked in the selector (worlds with several kernels): its radial profile (ring
heights times the core, against the distance in cells), its 2-D image (the normalised kernel on
the cells the world convolves with) and the growth function G(U) with mu and mu +- sigma
marked. Everything is computed on the host from the current params (`Controller.kernel_curves`),
so the plots follow every slider at once and nothing recompiles.

Below the selector: mu and sigma of the picked kernel alone (the Params panel's sliders set every
kernel at once), the scale (R) with "rescale the cells" (on: a new R zooms the cells by the same
factor, so a creature keeps its shape; `Reshaping`), and turning the cells by 90 degrees either
way or by a typed angle. Every change is an undoable edit (`Controller.apply_edit`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alife.app.panels import register_panel, widgets
from alife.app.panels.base import Panel

NAME = "Kernel"
#: what the window drew last (tests read it): the curves and the plots' names
LAST_DRAWN: dict[str, Any] = {}


def applies(controller: Any) -> bool:
    return bool(controller.can_plot_kernels)


def _spec(c: Any, name: str) -> Any:
    return next((s for s in c.param_specs() if s.name == name), None)


def _kernel_picker(app: Any) -> int:
    from imgui_bundle import imgui

    c, ui = app.controller, app.kernel_ui
    count = c.kernel_count()
    ui.index = min(max(int(ui.index), 0), max(count - 1, 0))
    if count > 1:
        imgui.set_next_item_width(120)
        _, ui.index = imgui.combo("kernel", ui.index, [f"kernel {k}" for k in range(count)])
        widgets.note_rect(app, "kernel_pick")
        widgets.tip("which kernel the plots and the mu / sigma sliders below show")
    return ui.index


def _growth_sliders(app: Any, index: int) -> None:
    """mu and sigma of kernel `index` alone."""
    from imgui_bundle import imgui

    from alife.app.panels.params import slider_setup

    c = app.controller
    for name in ("mu", "sigma"):
        spec = _spec(c, name)
        if spec is None:
            continue
        value = float(np.asarray(getattr(c.params, name)).reshape(-1)[index])
        logarithmic, _ = slider_setup(spec)
        flags = imgui.SliderFlags_.always_clamp
        if logarithmic:
            flags |= imgui.SliderFlags_.logarithmic
        imgui.set_next_item_width(-90)
        changed, new = imgui.slider_float(f"{name}##kernel", value, float(spec.low),
                                          float(spec.high), "%.5g", flags)
        widgets.note_rect(app, f"kernel_{name}")
        widgets.tip(f"{spec.doc} (this kernel only)\nCtrl+click: type a value")
        if changed:
            c.set_param_element(name, index, new)


def _scale_and_turn(app: Any) -> None:
    """R with the rescale switch, and the rotate buttons."""
    from imgui_bundle import imgui

    c, ui = app.controller, app.kernel_ui
    name = c.scale_param
    if name is None:
        return
    spec = _spec(c, name)
    value = c.scale_value()
    imgui.set_next_item_width(-150)
    low, high = (float(spec.low), float(spec.high)) if spec is not None else (1.0, 100.0)
    changed, new = imgui.slider_float(f"##kernel_{name}", value, low, high, "R = %.4g",
                                      imgui.SliderFlags_.always_clamp)
    widgets.note_rect(app, f"kernel_{name}")
    widgets.tip("kernel radius R in cells (Ctrl+click: type it)")
    if changed:
        c.set_param(name, new)
    imgui.same_line()
    _, c.rescale_with_scale = imgui.checkbox("rescale", c.rescale_with_scale)
    widgets.note_rect(app, "kernel_rescale")
    widgets.tip("on: changing R zooms the cells by the same factor, so a creature keeps its "
                "shape (here and in the Params panel)")
    imgui.text("type R:")
    imgui.same_line()
    imgui.set_next_item_width(80)
    entered, typed = imgui.input_float(f"##kernel_{name}_typed", ui.scale or value, 0.0, 0.0,
                                       "%.4g", imgui.InputTextFlags_.enter_returns_true)
    widgets.note_rect(app, f"kernel_{name}_typed")
    widgets.tip("type a new R and press Enter: one undoable edit (the cells are rescaled "
                "when 'rescale' is on)")
    ui.scale = typed if imgui.is_item_active() else value  # else it follows the world
    if entered and typed > 0:
        if c.rescale_with_scale:
            c.rescale(typed)
        else:
            c.set_param(name, typed)
        ui.scale = c.scale_value()
    if widgets.button(app, "Turn left 90", "kernel_rot_left"):
        c.rotate(90.0)
    imgui.same_line()
    if widgets.button(app, "Turn right 90", "kernel_rot_right"):
        c.rotate(-90.0)
    imgui.same_line()
    imgui.set_next_item_width(70)
    _, ui.angle = imgui.input_float("##kernel_angle", ui.angle, 0.0, 0.0, "%.4g")
    widgets.note_rect(app, "kernel_angle")
    widgets.tip("degrees, anticlockwise")
    imgui.same_line()
    if widgets.button(app, "Rotate", "kernel_rotate"):
        c.rotate(ui.angle)
    widgets.tip("turn the cells by the typed angle about the creature's centre (bilinear)")


def _axes(x: tuple[float, float], y: tuple[float, float], x_label: str, y_label: str) -> None:
    from imgui_bundle import implot

    flags = (implot.AxisFlags_.no_menus | implot.AxisFlags_.no_side_switch
             | implot.AxisFlags_.no_highlight)
    implot.setup_axes(x_label, y_label, flags, flags)
    implot.setup_axes_limits(x[0], x[1], y[0], y[1], implot.Cond_.always)


def _plot_flags() -> int:
    from imgui_bundle import implot

    return (implot.Flags_.no_menus | implot.Flags_.no_box_select | implot.Flags_.no_mouse_text)


def _note_plot(app: Any, name: str) -> None:
    from imgui_bundle import implot

    pos, size = implot.get_plot_pos(), implot.get_plot_size()
    app.widget_rects[name] = (pos.x, pos.y, pos.x + size.x, pos.y + size.y)


def _profile(app: Any, curves: Any, size: tuple[float, float]) -> None:
    from imgui_bundle import imgui, implot

    top = float(max(curves.profile.max(initial=0.0), 1e-6)) * 1.08
    if implot.begin_plot("radial profile##kernel", imgui.ImVec2(*size),
                         _plot_flags() | implot.Flags_.no_legend):
        _axes((0.0, curves.radius), (0.0, top), "distance (cells)", "K")
        implot.plot_line("K", np.ascontiguousarray(curves.distance),
                         np.ascontiguousarray(curves.profile))
        _note_plot(app, "kernel_profile")
        implot.end_plot()


def _image(app: Any, curves: Any, side: float) -> None:
    from imgui_bundle import imgui, implot

    image = np.ascontiguousarray(curves.image, np.float64)
    half = (image.shape[0] - 1) / 2 + 0.5
    if implot.begin_plot("2-D kernel##kernel", imgui.ImVec2(side, side),
                         _plot_flags() | implot.Flags_.no_legend | implot.Flags_.equal):
        _axes((-half, half), (-half, half), "", "")
        implot.push_colormap(implot.Colormap_.viridis)
        implot.plot_heatmap("##kernel_image", image, 0.0, float(max(image.max(), 1e-12)),
                            "", implot.Point(-half, -half), implot.Point(half, half))
        implot.pop_colormap()
        _note_plot(app, "kernel_image")
        implot.end_plot()


def _growth(app: Any, curves: Any, size: tuple[float, float]) -> None:
    from imgui_bundle import imgui, implot

    if implot.begin_plot(f"growth G(U), mu {curves.mu:.4g}, sigma {curves.sigma:.4g}##kernel",
                         imgui.ImVec2(*size), _plot_flags()):
        lo, hi = float(curves.u[0]), float(curves.u[-1])
        _axes((lo, hi), (-1.1, 1.1), "potential U", "G")
        implot.plot_line("G", np.ascontiguousarray(curves.u),
                         np.ascontiguousarray(curves.growth))
        implot.plot_line("##zero", np.array([lo, hi]), np.zeros(2))
        implot.plot_inf_lines("mu", np.array([curves.mu], np.float64))
        implot.plot_inf_lines("mu +- sigma", np.array([curves.mu - curves.sigma,
                                                       curves.mu + curves.sigma], np.float64))
        _note_plot(app, "kernel_growth")
        implot.end_plot()


def _keep_in_sight(app: Any) -> None:
    """560 x 720 at first, never larger than the app's work area (menu bar to status bar) and
    moved back inside it when the app window shrinks."""
    from imgui_bundle import imgui

    vp = imgui.get_main_viewport()
    status = imgui.get_frame_height() + 2 * imgui.get_style().window_padding.y
    x0, y0 = vp.work_pos.x, vp.work_pos.y
    width, height = vp.work_size.x, vp.work_size.y - status
    if not app.kernel_ui.sized:
        imgui.set_window_size(imgui.ImVec2(min(560.0, width), min(720.0, height - 40)))
        app.kernel_ui.sized = True
    pos, size = imgui.get_window_pos(), imgui.get_window_size()
    want_size = (min(size.x, width), min(size.y, height))
    want_pos = (min(max(pos.x, x0), x0 + width - want_size[0]),
                min(max(pos.y, y0), y0 + height - want_size[1]))
    if abs(want_size[0] - size.x) > 0.5 or abs(want_size[1] - size.y) > 0.5:
        imgui.set_window_size(imgui.ImVec2(*want_size))
    if abs(want_pos[0] - pos.x) > 0.5 or abs(want_pos[1] - pos.y) > 0.5:
        imgui.set_window_pos(imgui.ImVec2(*want_pos))


def draw(app: Any) -> None:
    from imgui_bundle import imgui

    c = app.controller
    _keep_in_sight(app)
    index = _kernel_picker(app)
    curves = c.kernel_curves(index)
    if curves is None:
        widgets.dim_text("this world has no kernels")
        return
    widgets.dim_text(curves.label)
    _growth_sliders(app, index)
    _scale_and_turn(app)
    LAST_DRAWN.clear()
    LAST_DRAWN.update(curves=curves, index=index, params=c.params)
    avail = imgui.get_content_region_avail()
    spacing = imgui.get_style().item_spacing
    width, height = max(avail.x, 200.0), max(avail.y, 320.0)
    row = max(150.0, (height - spacing.y) * 0.5)
    side = min(row, width * 0.45)
    if width - side - spacing.x >= 200.0:
        _profile(app, curves, (width - side - spacing.x, row))
        imgui.same_line()
        _image(app, curves, side)
    else:
        _profile(app, curves, (width, 150.0))
        _image(app, curves, min(width, 220.0))
    _growth(app, curves, (width, max(150.0, height - row - spacing.y)))


PANEL = Panel(NAME, draw, applies=applies, kind="window", default_open=False, key="J")
register_panel(PANEL)
