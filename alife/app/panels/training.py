"""Training panel (Growing NCA): train the running world's network in the background, live.

Pick a target (the scene's image, any PNG path, or what is on the canvas now), the experiment
and the main hyperparameters, then Start / Pause / Resume / Stop a `alife.train.job.TrainingJob`
(a background thread: the app keeps running). The loss is plotted live with ImPlot (log scale).
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
EXPERIMENTS = ("growing", "persistent", "regenerating")
DEFAULT_TARGET = Path(__file__).resolve().parents[3] / "assets" / "targets" / "lizard_24.png"


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
    job: Any = None
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


def _scene_target(controller: Any) -> Path:
    world = controller.world
    block = world.extra.get("training") or {}
    if block.get("target") and world.path is not None:
        return Path(world.path).parent / block["target"]
    return DEFAULT_TARGET


def settings_block(ui: TrainingUI, target: str | None) -> dict[str, Any]:
    """The panel's settings as a scene `training:` block."""
    block = {"experiment": EXPERIMENTS[ui.experiment], "target_size": ui.target_size,
             "padding": ui.padding, "batch": ui.batch, "pool_size": ui.pool_size,
             "steps": [ui.min_steps, ui.max_steps], "iterations": ui.iterations, "lr": ui.lr,
             "lr_after": ui.lr / 10}
    if target:
        block["target"] = target
    return block


def _target(ui: TrainingUI, controller: Any) -> np.ndarray:
    from alife.train.nca import fit_target, load_target

    if ui.target_kind == 0:
        return load_target(_scene_target(controller), ui.target_size)
    if ui.target_kind == 1:
        return load_target(Path(ui.png_path).expanduser(), ui.target_size)
    rgba = np.asarray(controller.state.x[..., :4], np.float32)
    ys, xs = np.nonzero(rgba[..., 3] > 0.1)
    if len(ys) == 0:
        from alife.core.errors import AlifeError

        raise AlifeError("the canvas is empty: nothing to use as a target")
    crop = np.clip(rgba[ys.min():ys.max() + 1, xs.min():xs.max() + 1], 0.0, 1.0)
    return fit_target(crop, ui.target_size)


def start(app: Any) -> None:
    """Build a trainer from the panel settings and start a job (errors go to `ui.error`)."""
    from alife.core.errors import AlifeError
    from alife.rules.nca import NCARule
    from alife.train.job import TrainingJob
    from alife.train.nca import NCATrainer, training_settings

    ui, c = ui_for(app), app.controller
    ui.error = ""
    try:
        settings = training_settings(settings_block(ui, None))
        grid = ui.target_size + 2 * ui.padding
        rule = NCARule(width=grid, height=grid, channels=c.rule.channels, hidden=c.rule.hidden,
                       fire_rate=c.rule.fire_rate)
        trainer = NCATrainer(rule, settings, _target(ui, c))
        if ui.from_world:
            trainer.weights = c.params.weights
            trainer.opt_state = trainer.optimizer.init(trainer.weights)
    except (AlifeError, OSError, ValueError) as exc:
        ui.error = str(exc)
        return
    if ui.job is not None:
        ui.job.stop(wait=False)
    ui.job = TrainingJob(trainer)
    ui.job.start()


def use_latest(app: Any) -> bool:
    """Swap the job's newest weights into the running world (keeps its fire rate)."""
    ui, c = ui_for(app), app.controller
    if ui.job is None:
        return False
    fire = float(np.asarray(c.params.fire_rate))
    c.world = dataclasses.replace(c.world, params=ui.job.latest_params())
    c.set_param("fire_rate", fire)  # refreshes the view; params are arrays: no recompile
    c.message = f"weights of training iteration {ui.job.step}"
    return True


def save_model(app: Any, path: str) -> str | None:
    """Use the latest weights, then save the world as a scene with a training block."""
    ui, c = ui_for(app), app.controller
    use_latest(app)
    target = str(_scene_target(c).resolve()) if ui.target_kind == 0 else (
        str(Path(ui.png_path).expanduser().resolve()) if ui.target_kind == 1 else None)
    extra = dict(c.world.extra)
    extra["training"] = settings_block(ui, target)
    c.world = dataclasses.replace(c.world, extra=extra)
    return c.save(path)


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
    ui = ui_for(app)
    job = ui.job
    active = job is not None and job.state in ("running", "paused")
    if not active:
        if widgets.button(app, "Start training", "train_start"):
            start(app)
    else:
        if job.state == "running" and widgets.button(app, "Pause", "train_pause"):
            job.pause()
        elif job.state == "paused" and widgets.button(app, "Resume", "train_resume"):
            job.resume()
        imgui.same_line()
        if widgets.button(app, "Stop", "train_stop"):
            job.stop(wait=False)
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
