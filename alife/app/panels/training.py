"""Training panel (Growing NCA): train the running world's network in the background, live.

Pick a target (the scene's image, any PNG path, or what is on the canvas now), the experiment
and the main hyperparameters, then Start / Pause / Resume / Stop the controller's training job
(`controller.jobs`, a background thread: the app keeps running). The panel builds no trainer and
never assigns the world itself. The loss is plotted live with ImPlot (log scale).
"Use latest weights" swaps the newest weights into the running world (same Params structure: no
recompile; the world's fire-rate slider is kept); "Save model with scene" does that and saves the
world as a scene (the weights go to its `.params.npz` sidecar) with the panel's settings as its
`training:` block. Applies to rules of family "nca"; a sidebar section after Params
(the module registers itself when `alife.app.panels` imports it).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
from imgui_bundle import imgui, implot

from alife.app.panels import register_panel, widgets
from alife.app.panels.base import Panel

TARGETS = ("scene image", "PNG file", "canvas")
TARGET_KINDS = ("scene", "png", "canvas")  # what `controller.jobs.start_training` takes
EXPERIMENTS = ("growing", "persistent", "regenerating")


@dataclasses.dataclass
class TrainingUI:
    """The panel's settings and its job, kept per app window."""

    target_kind: int = 0
    png_path: str = ""
    experiment: int = 2
    target_size: int = 24
    padding: int = 8
    batch: int = 8
    pool_size: int = 256
    min_steps: int = 48
    max_steps: int = 64
    lr: float = 2e-3
    iterations: int = 4000
    from_world: bool = False
    save_path: str = "nca_trained.yaml"
    error: str = ""
    loaded_from: Any = None  # the world the settings were last filled from


_UIS: dict[int, TrainingUI] = {}


def ui_for(app: Any) -> TrainingUI:
    """The panel state of `app` (created on first use, filled from the scene's training block)."""
    ui = _UIS.setdefault(id(app), TrainingUI())
    world = app.controller.world
    if ui.loaded_from != world.path:
        ui.loaded_from = world.path
        block = world.extra.get("training") or {}
        for key in ("target_size", "padding", "batch", "pool_size", "iterations", "lr"):
            if key in block:
                setattr(ui, key, type(getattr(ui, key))(block[key]))
        if "experiment" in block and block["experiment"] in EXPERIMENTS:
            ui.experiment = EXPERIMENTS.index(block["experiment"])
        if "steps" in block:
            ui.min_steps, ui.max_steps = (int(v) for v in block["steps"])
    return ui


def _applies(controller: Any) -> bool:
    return getattr(controller.rule, "family", "") == "nca"


def _scene_target(controller: Any) -> str | None:
    """The scene's target image (absolute), if its training block names one."""
    world = controller.world
    block = world.extra.get("training") or {}
    if block.get("target") and world.path is not None:
        return str((Path(world.path).parent / block["target"]).resolve())
    return None


def settings_block(ui: TrainingUI, target: str | None) -> dict[str, Any]:
    """The panel's settings as a scene `training:` block."""
    block = {"experiment": EXPERIMENTS[ui.experiment], "target_size": ui.target_size,
             "padding": ui.padding, "batch": ui.batch, "pool_size": ui.pool_size,
             "steps": [ui.min_steps, ui.max_steps], "iterations": ui.iterations, "lr": ui.lr,
             "lr_after": ui.lr / 10}
    if target:
        block["target"] = target
    return block


def start(app: Any) -> None:
    """Start the controller's training job from the panel settings (errors go to `ui.error`)."""
    ui, c = ui_for(app), app.controller
    target = _scene_target(c) if ui.target_kind == 0 else None
    if ui.target_kind == 0 and target is None:
        ui.error = "the scene names no target image; pick a PNG file or the canvas"
        return
    ui.error = c.jobs.start_training(settings_block(ui, target), TARGET_KINDS[ui.target_kind],
                                     ui.png_path, ui.from_world) or ""


def use_latest(app: Any) -> bool:
    """Swap the job's newest weights into the running world (keeps its fire rate)."""
    return app.controller.jobs.use_latest(keep=("fire_rate",))


def save_model(app: Any, path: str) -> str | None:
    """Use the latest weights, then Save As the world with a training block (the status line
    says where it went; replacing another file asks first)."""
    ui, c = ui_for(app), app.controller
    use_latest(app)
    target = _scene_target(c) if ui.target_kind == 0 else (
        str(Path(ui.png_path).expanduser().resolve()) if ui.target_kind == 1 else None)
    c.set_extra_block("training", settings_block(ui, target))
    app.save_as(path)  # replacing another existing file asks first, as Save As does
    return None


def _draw_settings(app: Any, ui: TrainingUI) -> None:
    imgui.set_next_item_width(-110)
    _, ui.target_kind = imgui.combo("target", ui.target_kind, list(TARGETS))
    widgets.note_rect(app, "train_target")
    if ui.target_kind == 1:
        imgui.set_next_item_width(-110)
        _, ui.png_path = imgui.input_text("PNG path", ui.png_path)
        widgets.note_rect(app, "train_png")
    elif ui.target_kind == 2:
        widgets.dim_text("the cells with alpha > 0.1, cropped")
    imgui.set_next_item_width(-110)
    _, ui.experiment = imgui.combo("experiment", ui.experiment, list(EXPERIMENTS))
    for name, low in (("target_size", 4), ("padding", 1), ("batch", 1), ("pool_size", 1),
                      ("min_steps", 1), ("max_steps", 2), ("iterations", 1)):
        imgui.set_next_item_width(-110)
        changed, value = imgui.input_int(name, getattr(ui, name))
        if changed:
            setattr(ui, name, max(low, value))
    imgui.set_next_item_width(-110)
    changed, lr = imgui.input_float("lr", ui.lr, 0.0, 0.0, "%.1e")
    if changed and lr > 0:
        ui.lr = lr
    _, ui.from_world = imgui.checkbox("start from the world's weights", ui.from_world)


def _draw_plot(job: Any) -> None:
    steps, losses = job.losses()
    if len(steps) < 2:
        widgets.dim_text("compiling..." if job.state == "running" else "no losses yet")
        return
    if implot.begin_plot(f"loss: {losses[-1]:.3e}##train_loss", imgui.ImVec2(-1, 140),
                         implot.Flags_.no_legend | implot.Flags_.no_menus):
        fit = implot.AxisFlags_.auto_fit
        implot.setup_axes("iteration", "", fit, fit)
        implot.setup_axis_scale(implot.ImAxis_.y1, implot.Scale_.log10)
        implot.plot_line("loss", np.asarray(steps, np.float64),
                         np.asarray(losses, np.float64))
        implot.end_plot()


def draw(app: Any) -> None:
    ui, jobs = ui_for(app), app.controller.jobs
    job = jobs.get("training")
    active = jobs.active("training")
    if not active:
        if widgets.button(app, "Start training", "train_start"):
            start(app)
    else:
        if job.state == "running" and widgets.button(app, "Pause", "train_pause"):
            jobs.pause("training")
        elif job.state == "paused" and widgets.button(app, "Resume", "train_resume"):
            jobs.resume("training")
        imgui.same_line()
        if widgets.button(app, "Stop", "train_stop"):
            jobs.stop("training")
    widgets.error_text(ui.error)
    if job is not None:
        widgets.dim_text(f"{job.state}: iteration {job.step} / {job.total}, "
                         f"{job.seconds:.0f} s")
        if job.error is not None:
            widgets.error_text(f"training failed: {job.error}")
        if widgets.button(app, "Use latest weights", "train_use"):
            use_latest(app)
        imgui.set_next_item_width(-110)
        _, ui.save_path = imgui.input_text("scene path", ui.save_path)
        widgets.note_rect(app, "train_save_path")
        if widgets.button(app, "Save model with scene", "train_save"):
            ui.error = save_model(app, ui.save_path) or ""
        _draw_plot(job)
    flags = imgui.TreeNodeFlags_.default_open if job is None else 0
    if imgui.tree_node_ex("settings##training", flags):
        imgui.begin_disabled(active)
        _draw_settings(app, ui)
        imgui.end_disabled()
        imgui.tree_pop()


PANEL = Panel("Training", draw, applies=_applies, kind="sidebar", default_open=True)
register_panel(PANEL, before="Edit")
