"""A headless evolution run: the training loop (`alife.jobs.loop.run_training`) plus what
evolution adds at the end.

Files in `out`: `checkpoint.npz` (every `checkpoint_every_s` and at exit), `metrics.csv`,
`metrics.jsonl`, `weights.npz` (the best genome as rule Params), `fitness.png` (best, mean and
best-so-far per generation), `best.yaml` (a scene that runs the best genome; large params in
`best.params.npz` beside it) and `report.html` (self-contained: plot, settings, best params and
the best world's final frame inlined).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np

from alife.jobs.logs import LinePlot, MetricsLog
from alife.jobs.loop import run_training

SERIES = (("fitness", (120, 120, 220)), ("mean", (190, 190, 190)), ("best_ever", (0, 0, 0)))


def plot_fitness(path: str | Path, rows: list[dict[str, Any]], title: str = "fitness",
                 size: tuple[int, int] = (640, 360)) -> None:
    """Best (blue), mean (grey) and best-so-far (black) fitness against generation, as PNG."""
    values = [r[k] for r in rows for k, _ in SERIES if np.isfinite(r[k]) and r[k] > -1e29]
    if not (rows and values):
        LinePlot(title, (0, 1), (0, 1), size, left=70).save(path)
        return
    plot = LinePlot(title, (rows[0]["step"], rows[-1]["step"]), (min(values), max(values)),
                    size, left=70)
    for name, colour in SERIES:
        pts = [(r["step"], r[name]) for r in rows if r[name] > -1e29]
        if len(pts) >= 2:
            plot.line(pts, fill=colour, width=2 if name == "best_ever" else 1)
    plot.axes(lambda v: f"{v:.4g}")
    _, right, _, bottom = plot.box
    plot.draw.text((right - 260, bottom + 20), "best  mean  best so far", fill="black")
    plot.save(path)


def best_world(runner: Any) -> Any:
    """The run's world with the best genome's params (start state unchanged)."""
    return dataclasses.replace(runner.world, params=runner.params())


def save_best_scene(runner: Any, out: Path) -> Path:
    """`out/best.yaml`: the scene with the best params (its evolution block kept)."""
    from alife.scene.io import save_scene

    world = best_world(runner)
    world = dataclasses.replace(world, name=f"{runner.world.name} (evolved)")
    path = out / "best.yaml"
    save_scene(world, path)
    return path


def run_evolution(runner: Any, out: str | Path, total: int, *, resume: bool = False,
                  checkpoint_every_s: float = 120.0, quiet: bool = False,
                  write: bool = True) -> list[dict[str, Any]]:
    """Evolve until `runner.step == total`, then write the plot, best scene and report.

    `write=False` (processes other than 0 of a multi-host run) only iterates: one process owns
    the files; the others load the same checkpoint when resuming.
    """
    out = Path(out)
    if not write:
        if resume and (out / "checkpoint.npz").exists():
            runner.load_checkpoint(out / "checkpoint.npz")
        rows = []
        while runner.step < total:
            rows.append(runner.iterate())
        return rows
    rows = run_training(runner, out, total, resume=resume, checkpoint_every_s=checkpoint_every_s,
                        quiet=quiet, plot=False, unit="gen")
    everything = MetricsLog.in_folder(out, list(runner.fields)).read()
    title = f"{runner.world.name}: {runner.settings['fitness']} ({runner.strategy.name})"
    plot_fitness(out / "fitness.png", everything, title=title)
    save_best_scene(runner, out)
    from alife.evolve.report import write_report

    write_report(runner, out, everything)
    return rows
