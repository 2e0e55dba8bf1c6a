"""Training panel: train the running world's network in the background, live.

Shown for every family whose descriptor declares a trainer (`controller.jobs.can_train()`).
Families whose trainer grows one target image (the `ImageTarget` capability, Growing NCA): pick
a target (the scene's image, any PNG path, or what is on the canvas now), the experiment and the
main hyperparameters. Other trainers (ViTCA's data set): edit the numbers of the scene's
`training:` block. Then Start / Pause / Resume / Stop the controller's training job
(`controller.jobs`, a background thread: the app keeps running). The panel builds no trainer and
never assigns the world itself. The loss is plotted live by the app's plotting component
(`alife.app.panels.plot_view`: log scale by default, ticks, hover, CSV).
"Use latest weights" swaps the newest weights into the running world (same Params structure: no
recompile; the world's fire-rate slider is kept); "Save model with scene" does that and saves the
world as a scene (the weights go to its `.params.npz` sidecar) with the panel's settings as its
`training:` block. The settings live in the app's state (`AppState.training_ui`), one per app
window. A sidebar section after Params (the module registers itself when `alife.app.panels`
imports it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from imgui_bundle import imgui

from alife.app.panels import plot_view, register_panel, widgets
from alife.app.panels.base import Panel
from alife.app.state import AppState, TrainingUI

TARGETS = ("scene image", "PNG file", "canvas")
TARGET_KINDS = ("scene", "png", "canvas")  # what `controller.jobs.start_training` takes
EXPERIMENTS = ("growing", "persistent", "regenerating")


def ui_for(app: AppState) -> TrainingUI:
    """The panel settings of `app` (its `training_ui`), filled from the scene's training block
    whenever the world's scene path changed since they were last filled."""
    ui = app.training_ui
    world = app.controller.world
    if ui.loaded_from != world.path:
        ui.loaded_from = world.path
        block = world.extra.get("training") or {}
        ui.block = dict(block)
        if app.controller.jobs.trains_to_image():
            _fill_image_settings(ui, block)
    return ui


def _fill_image_settings(ui: TrainingUI, block: dict[str, Any]) -> None:
    """The image-target fields from a scene's block (the Growing NCA trainer's keys)."""
    for key in ("target_size", "padding", "batch", "pool_size", "iterations", "lr"):
        if key in block:
            setattr(ui, key, type(getattr(ui, key))(block[key]))
    if "experiment" in block and block["experiment"] in EXPERIMENTS:
        ui.experiment = EXPERIMENTS.index(block["experiment"])
    steps = block.get("steps")
    if isinstance(steps, list | tuple) and len(steps) == 2:
        ui.min_steps, ui.max_steps = (int(v) for v in steps)


def _applies(controller: Any) -> bool:
    return bool(controller.jobs.can_train())


def _scene_target(controller: Any) -> str | None:
    """The scene's target image (absolute), if its training block names one."""
    world = controller.world
    block = world.extra.get("training") or {}
    if block.get("target") and world.path is not None:
        return str((Path(world.path).parent / block["target"]).resolve())
    return None


def settings_block(ui: TrainingUI, target: str | None) -> dict[str, Any]:
    """The panel's settings as a scene `training:` block (image-target trainers)."""
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
    if not c.jobs.trains_to_image():  # the trainer reads its own data: the block is all
        ui.error = c.jobs.start_training(dict(ui.block), "scene", "", ui.from_world) or ""
        return
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
    if c.jobs.trains_to_image():
        target = _scene_target(c) if ui.target_kind == 0 else (
            str(Path(ui.png_path).expanduser().resolve()) if ui.target_kind == 1 else None)
        c.set_extra_block("training", settings_block(ui, target))
    else:
        c.set_extra_block("training", dict(ui.block))
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


def _draw_block(ui: TrainingUI) -> None:
    """The numbers of the scene's `training:` block as inputs (other keys shown as text)."""
    if not ui.block:
        widgets.dim_text("the scene has no training: block; the trainer's defaults apply",
                         wrap=True)
    for key, value in list(ui.block.items()):
        imgui.set_next_item_width(-110)
        if isinstance(value, bool):
            _, ui.block[key] = imgui.checkbox(key, value)
        elif isinstance(value, int):
            changed, number = imgui.input_int(key, value)
            if changed:
                ui.block[key] = max(0, number)
        elif isinstance(value, float):
            changed, number = imgui.input_float(key, value, 0.0, 0.0, "%.3g")
            if changed:
                ui.block[key] = number
        else:
            widgets.dim_text(f"{key}: {value}")
    _, ui.from_world = imgui.checkbox("start from the world's weights", ui.from_world)


def _draw_plot(app: Any, job: Any) -> None:
    """The loss, drawn by the app's plotting component (log scale by default, y ticks, hover,
    CSV; larger in the Plots window's "Training loss" tab)."""
    plot_view.draw_group(app, plot_view.loss_group(job), compact=True)


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
        _draw_plot(app, job)
    flags = imgui.TreeNodeFlags_.default_open if job is None else 0
    if imgui.tree_node_ex("settings##training", flags):
        imgui.begin_disabled(active)
        if app.controller.jobs.trains_to_image():
            _draw_settings(app, ui)
        else:
            _draw_block(ui)
        imgui.end_disabled()
        imgui.tree_pop()


PANEL = Panel("Training", draw, applies=_applies, kind="sidebar", default_open=True)
register_panel(PANEL, before="Edit")
