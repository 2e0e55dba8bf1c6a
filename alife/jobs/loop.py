"""The one headless job driver: `run_job` drives anything with the Trainer protocol.

    rows = run_job(job, total, checkpoint=path, resume=True, log=MetricsLog(...))

`alife train`, `alife evolve` (through `run_training`) and `alife run` (`alife.jobs.run.RunJob`)
all go through it: iterate until `job.step == total`, one progress bar (`alife.core.progress`),
timed checkpoints, and a last checkpoint at the end or on Ctrl-C (any exception). Every table is
written before the checkpoint that covers it (the driver's `log` first; a job that keeps tables of
its own, `job.logs`, writes them inside `save_checkpoint` before its state), so a kill at any
instant loses nothing: on `resume` the job loads its checkpoint, the log keeps only the rows up to
the job's `step`, and the run computes the rest again exactly.

`run_training` is the folder layout of training and evolution runs: `checkpoint.npz`,
`metrics.jsonl`, `metrics.csv`, `loss.png`, `weights.npz` in `out` (plus a copy of the weights
at `weights_path` when given).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from alife.core.progress import progress
from alife.jobs.logs import MetricsLog, plot_loss


def _postfix(row: dict[str, Any], shown: list[str]) -> dict[str, str]:
    return {k: f"{row[k]:.3e}" if k == "loss" else f"{row[k]:.4g}" for k in shown if k in row}


def run_job(job: Any, total: int, *, checkpoint: str | Path | None = None,
            checkpoint_every_s: float = 180.0, resume: bool = False,
            log: MetricsLog | None = None, quiet: bool = False, desc: str = "",
            unit: str = "it") -> list[dict[str, Any]]:
    """Iterate `job` until `job.step >= total`; returns the rows made in this call.

    `resume` loads `checkpoint` when it exists (else the job starts as it is). `log` gets every
    row `iterate()` returns; a job's own tables (`job.logs`, objects with `flush()`) are written by
    its `save_checkpoint`, or by the driver at the same moments when there is no checkpoint.
    The bar counts `job.step` from where the job stood when it was handed over, and shows the
    job's `progress_fields` (default: `fields[1]`).
    """
    first = job.step
    resumed = bool(resume and checkpoint is not None and Path(checkpoint).exists())
    if resumed:
        job.load_checkpoint(checkpoint)
    if log is not None:
        log.restart(job.step if resumed else None)

    def save() -> None:
        if log is not None:   # first: a kill before the checkpoint leaves the log ahead of it
            log.flush()
        if checkpoint is not None:
            job.save_checkpoint(checkpoint)   # writes the job's own tables before its state
        else:
            for table in getattr(job, "logs", ()):
                table.flush()

    shown = list(getattr(job, "progress_fields", job.fields[1:2]))
    rows: list[dict[str, Any]] = []
    last_save = time.monotonic()
    with progress(total - first, desc=desc, quiet=quiet, unit=unit) as bar:
        bar.update(job.step - first)
        try:
            while job.step < total:
                row = job.iterate()
                rows.append(row)
                if log is not None:
                    log.append([row])
                bar.update(job.step - first - bar.n)
                if shown:
                    bar.set_postfix(_postfix(row, shown), refresh=False)
                if checkpoint is not None and \
                        time.monotonic() - last_save >= checkpoint_every_s:
                    save()
                    last_save = time.monotonic()
        finally:   # the end, Ctrl-C or an error: the last finished iteration is kept
            save()
    return rows


def run_training(trainer: Any, out: str | Path, total: int, *, resume: bool = False,
                 checkpoint_every_s: float = 180.0, weights_path: str | Path | None = None,
                 quiet: bool = False, title: str = "loss", plot: bool = True,
                 unit: str = "it") -> list[dict[str, Any]]:
    """Train until `trainer.step == total` with the files of a training run in `out`.

    `plot=False` skips the loss plot (evolution draws its own fitness plot).
    """
    out = Path(out)
    log = MetricsLog.in_folder(out, list(trainer.fields))
    rows = run_job(trainer, total, checkpoint=out / "checkpoint.npz",
                   checkpoint_every_s=checkpoint_every_s, resume=resume, log=log, quiet=quiet,
                   unit=unit)
    trainer.save_weights(out / "weights.npz")
    if weights_path is not None:
        trainer.save_weights(weights_path)
    if plot:
        everything = log.rows()
        plot_loss(out / "loss.png", [r["step"] for r in everything],
                  [r["loss"] for r in everything], title=title)
    return rows
