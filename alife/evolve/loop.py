"""A headless evolution run: the training loop (`alife.train.loop.run_training`) plus what
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
from PIL import Image, ImageDraw

from alife.core.fileio import atomic_write
from alife.train.logs import MetricsLog
from alife.train.loop import run_training

SERIES = (("fitness", (120, 120, 220)), ("mean", (190, 190, 190)), ("best_ever", (0, 0, 0)))


def plot_fitness(path: str | Path, rows: list[dict[str, Any]], title: str = "fitness",
                 size: tuple[int, int] = (640, 360)) -> None:
    """Best (blue), mean (grey) and best-so-far (black) fitness against generation, as PNG."""
    w, h = size
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    left, right, top, bottom = 70, w - 15, 25, h - 35
    draw.rectangle([left, top, right, bottom], outline="black")
    draw.text((left, 5), title, fill="black")
    values = [r[k] for r in rows for k, _ in SERIES if np.isfinite(r[k]) and r[k] > -1e29]
    if rows and values:
        s0, s1 = rows[0]["step"], max(rows[-1]["step"], rows[0]["step"] + 1)
        lo, hi = min(values), max(values)
        hi = hi if hi > lo else lo + 1.0

        def xy(s: float, v: float) -> tuple[float, float]:
            return (left + (s - s0) / (s1 - s0) * (right - left),
                    bottom - (v - lo) / (hi - lo) * (bottom - top))

        for name, colour in SERIES:
            pts = [xy(r["step"], r[name]) for r in rows if r[name] > -1e29]
            if len(pts) >= 2:
                draw.line(pts, fill=colour, width=2 if name == "best_ever" else 1)
        for frac in (0.0, 0.5, 1.0):
            v = lo + frac * (hi - lo)
            draw.text((4, xy(s0, v)[1] - 6), f"{v:.4g}", fill="black")
        draw.text((left, bottom + 8), str(s0), fill="black")
        draw.text((right - 40, bottom + 8), str(s1), fill="black")
        draw.text((right - 260, bottom + 20), "best  mean  best so far", fill="black")
    atomic_write(path, lambda f: img.save(f, format="PNG"))


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
    everything = MetricsLog(out, list(runner.fields)).rows()
    title = f"{runner.world.name}: {runner.settings['fitness']} ({runner.strategy.name})"
    plot_fitness(out / "fitness.png", everything, title=title)
    save_best_scene(runner, out)
    from alife.evolve.report import write_report

    write_report(runner, out, everything)
    return rows
