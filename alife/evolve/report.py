"""A small self-contained HTML report of an evolution run (`out/report.html`).

Everything is inlined (PNG images as base64 data URIs, no scripts, no external files): the
fitness plot, the run's settings, the best fitness and params (slider genes by value), and the
start and final frames of the best genome's world after the task's steps, coloured as the app
colours them (`alife.scene.palettes.colorize`, NumPy only).
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

import jax
import numpy as np
from PIL import Image

from alife.core import rollout
from alife.core.fileio import atomic_write_text
from alife.scene.view import ViewSettings


def _png_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def frame_png(rule: Any, state: Any, params: Any, view: ViewSettings, scale: int = 4) -> bytes:
    """The world's view coloured like the app (its `ViewSettings`), scaled up, as PNG bytes."""
    rgb = view.for_rule(rule).colorize(rule.view(state, params))
    img = Image.fromarray(rgb)
    scale = max(1, min(scale, 512 // max(img.size)))
    img = img.resize((img.width * scale, img.height * scale), Image.NEAREST)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _gene_table(runner: Any) -> str:
    params = runner.params()
    rows = []
    for g in runner.task.genome.genes:
        value = np.asarray(getattr(params, g.name))
        text = np.array2string(value.astype(np.float32), precision=4, threshold=12) \
            if value.dtype != bool else np.array2string(value.astype(int), threshold=64)
        rows.append(f"<tr><td>{html.escape(g.name)}</td><td>{list(g.shape)}</td>"
                    f"<td><code>{html.escape(text)}</code></td></tr>")
    return "".join(rows)


def write_report(runner: Any, out: str | Path, rows: list[dict[str, Any]]) -> Path:
    """Write `out/report.html` for a finished (or stopped) run; returns its path."""
    out = Path(out)
    world, task = runner.world, runner.task
    params = runner.params()
    key = jax.random.split(jax.random.fold_in(runner.key, runner.step))[0]
    start = task.start(key)
    final = rollout.run(world.rule, key, start, params, task.steps)
    frames = "".join(
        f'<figure><img alt="{label}" src="{_png_uri(frame_png(world.rule, s, params, world.view))}"'
        f"><figcaption>{label}</figcaption></figure>"
        for label, s in (("start", start), (f"after {task.steps} steps", final)))
    plot = (out / "fitness.png").read_bytes() if (out / "fitness.png").exists() else b""
    settings = {k: v for k, v in runner.settings.items() if k != "out"}
    best = f"{float(runner.best_fitness):.6g}" if rows else "n/a"
    last = rows[-1] if rows else {}
    text = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(world.name)}: evolution</title>
<style>body{{font-family:sans-serif;max-width:900px;margin:2em auto}}
td,th{{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left}}
figure{{display:inline-block;margin:0 1em 0 0}}</style></head><body>
<h1>{html.escape(world.name)}: evolution report</h1>
<p>{html.escape(world.description or "")}</p>
<p>Fitness <b>{html.escape(str(runner.settings['fitness']))}</b> (maximised), strategy
<b>{html.escape(runner.strategy.name)}</b>, population {runner.population},
{runner.step} generations, {html.escape(task.genome.describe())}.
Best fitness so far: <b>{best}</b>; last generation: best {last.get('fitness', 'n/a')},
mean {last.get('mean', 'n/a')}.</p>
<img alt="fitness per generation" src="{_png_uri(plot) if plot else ''}">
<h2>Best genome</h2>
<table><tr><th>gene</th><th>shape</th><th>value</th></tr>{_gene_table(runner)}</table>
<p>Run it: <code>alife view best.yaml</code> (weights in <code>weights.npz</code>).</p>
{frames}
<h2>Settings</h2><pre>{html.escape(json.dumps(settings, indent=1, default=str))}</pre>
</body></html>
"""
    path = out / "report.html"
    atomic_write_text(path, text)
    del params
    return path
