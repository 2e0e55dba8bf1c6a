"""`alife sweep SWEEP.yaml [--workers N] [--ray ADDRESS] [--quiet]`: many evolution runs.

Configs x seeds from the sweep file (see `alife.evolve.sweep`), each `alife evolve` in its own
process and folder; finished runs are skipped and interrupted ones resumed when the sweep runs
again. Every config is checked first (as `alife evolve` checks its arguments), so a bad one is
refused, naming it, before any run starts; a failed run's reason (its last stderr line) is
printed as it fails. `--ray ADDRESS` sends the runs to a Ray cluster
(`pip install 'alife[ray]'`; `auto` or `ray://host:10001`) instead of local worker processes.
Prints and writes `summary.csv`.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from alife.commands import argtypes
from alife.core.errors import AlifeError

if TYPE_CHECKING:
    from alife.evolve.sweep import Run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sweep", help="sweep file (.yaml): scene, seeds, configs")
    parser.add_argument("--workers", type=argtypes.integer(1, 4096), default=None,
                        help="parallel local processes (default: the file's workers)")
    parser.add_argument("--ray", default=None, metavar="ADDRESS",
                        help="run on a Ray cluster instead of local processes")
    parser.add_argument("--quiet", action="store_true", help="do not print the summary")


def _report(line: str) -> None:
    print(f"alife sweep: {line}", file=sys.stderr, flush=True)


def main(args: argparse.Namespace) -> int:
    from alife.evolve.sweep import load_sweep, run_local, run_ray, write_summary

    runs, out, workers = load_sweep(args.sweep)
    check_runs(runs, args.sweep)  # every config, before anything is launched
    if args.workers is not None:
        workers = args.workers
    if args.ray:
        rows = run_ray(runs, args.ray)
        for row in rows:
            if "reason" in row:
                _report(row["reason"])
    else:
        rows = run_local(runs, workers, _report)
    table = write_summary(out, rows)
    if not args.quiet:
        print(table)
        print(f"summary in {out / 'summary.csv'}")
    return 0 if all(r["status"] == "done" for r in rows) else 1


class _ArgParser(argparse.ArgumentParser):
    """The evolve parser, but a usage error is an AlifeError (the sweep names the config)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise AlifeError(message)


def check_run(run: Run) -> None:
    """Check one run's `alife evolve` arguments as `alife evolve` would, without running a
    generation: the flags, the scene with its `--set` lines (every block, the evolution block's
    keys and values), the runner (fitness, genome, strategy) and the resource budget."""
    from alife.commands import evolve

    parser = _ArgParser(prog="alife evolve")
    evolve.add_arguments(parser)
    args = parser.parse_args(run.command(resume=False)[4:])
    from alife.evolve.runner import EvolutionRunner
    from alife.scene.io import load_scene

    world = load_scene(args.scene, args.overrides)
    runner = EvolutionRunner(world, evolve._settings(world, args))
    evolve._budget(runner)


def check_runs(runs: list[Run], where: str) -> None:
    """Every config checked (`check_run` on its first seed's run) before anything is launched;
    a bad one is refused naming the sweep file and the config."""
    import alife.evolve.settings  # noqa: F401 - registers the evolution: block's check

    seen: set[str] = set()
    for run in runs:
        if run.config in seen:
            continue
        seen.add(run.config)
        try:
            check_run(run)
        except AlifeError as exc:
            raise exc.at(f"{where}: config {run.config!r}") from None
