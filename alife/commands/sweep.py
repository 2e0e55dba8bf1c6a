"""`alife sweep SWEEP.yaml [--workers N] [--ray ADDRESS] [--quiet]`: many evolution runs.

Configs x seeds from the sweep file (see `alife.evolve.sweep`), each `alife evolve` in its own
process and folder; finished runs are skipped and interrupted ones resumed when the sweep runs
again. `--ray ADDRESS` sends the runs to a Ray cluster (`pip install 'alife[ray]'`; `auto` or
`ray://host:10001`) instead of local worker processes. Prints and writes `summary.csv`.
"""

from __future__ import annotations

import argparse

from alife.core.errors import AlifeError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sweep", help="sweep file (.yaml): scene, seeds, configs")
    parser.add_argument("--workers", type=int, default=None,
                        help="parallel local processes (default: the file's workers)")
    parser.add_argument("--ray", default=None, metavar="ADDRESS",
                        help="run on a Ray cluster instead of local processes")
    parser.add_argument("--quiet", action="store_true", help="do not print the summary")


def main(args: argparse.Namespace) -> int:
    from alife.evolve.sweep import load_sweep, run_local, run_ray, write_summary

    runs, out, workers = load_sweep(args.sweep)
    if args.workers is not None:
        if args.workers < 1:
            raise AlifeError(f"--workers {args.workers}; expected >= 1")
        workers = args.workers
    rows = run_ray(runs, args.ray) if args.ray else run_local(runs, workers)
    table = write_summary(out, rows)
    if not args.quiet:
        print(table)
        print(f"summary in {out / 'summary.csv'}")
    return 0 if all(r["status"] == "done" for r in rows) else 1
