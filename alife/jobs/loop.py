"""The generic headless training loop: progress bar, timed checkpoints, logs, final weights.

Works with any trainer that has `step` (iterations done), `fields` (log columns, "step" and "loss"
first), `iterate() -> row`, `save_checkpoint(path)`, `load_checkpoint(path)` and
`save_weights(path)`. Files in `out`: `checkpoint.npz`, `metrics.jsonl`, `metrics.csv`,
`loss.png`, `weights.npz` (plus a copy of the weights at `weights_path` when given).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from alife.train.logs import MetricsLog, plot_loss


def run_training(trainer: Any, out: str | Path, total: int, *, resume: bool = False,
                 checkpoint_every_s: float = 180.0, weights_path: str | Path | None = None,
                 quiet: bool = False, title: str = "loss", plot: bool = True,
                 unit: str = "it") -> list[dict[str, Any]]:
    """Train until `trainer.step == total`; returns the rows logged in this call.

    The bar shows the trainer's `progress_fields` (default: its headline field, `fields[1]`);
    `plot=False` skips the loss plot (evolution draws its own fitness plot).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ckpt_path = out / "checkpoint.npz"
    log = MetricsLog(out, list(trainer.fields))
    if resume and ckpt_path.exists():
        trainer.load_checkpoint(ckpt_path)
        log.truncate_after(trainer.step + 1)
    elif not resume:
        log.truncate_after(0)
    rows: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    last_save = time.monotonic()
    shown = list(getattr(trainer, "progress_fields", trainer.fields[1:2]))
    bar = tqdm(total=total, initial=trainer.step, disable=quiet, unit=unit, dynamic_ncols=True)
    try:
        while trainer.step < total:
            row = trainer.iterate()
            rows.append(row)
            pending.append(row)
            bar.update(1)
            bar.set_postfix({k: f"{row[k]:.3e}" if k == "loss" else f"{row[k]:.4g}"
                             for k in shown})
            if time.monotonic() - last_save >= checkpoint_every_s:
                # log first: a kill between the two leaves rows the resume truncates and redoes
                log.append(pending)
                pending = []
                trainer.save_checkpoint(ckpt_path)
                last_save = time.monotonic()
    finally:
        bar.close()
        log.append(pending)
        trainer.save_checkpoint(ckpt_path)
    trainer.save_weights(out / "weights.npz")
    if weights_path is not None:
        trainer.save_weights(weights_path)
    if not plot:
        return rows
    everything = log.rows()
    plot_loss(out / "loss.png", [r["step"] for r in everything], [r["loss"] for r in everything],
              title=title)
    return rows
