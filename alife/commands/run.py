"""`alife run`: run a scene, a pattern file or a bare rule headless and write the final state.

    alife run scenes/life/gosper_glider_gun.yaml --steps 300 --out gun.rle
    alife run --rule 'B3/S23:T256,256' --pattern glider.rle --steps 100 --out end.rle
    alife run scenes/lenia/orbium.yaml --set rule.params.mu=0.16 --metrics m.csv --every 10

Steps default to the scene's `run.steps` (100 without one). The output format comes from the
extension (`.npz` state, `.rle`/`.cells` pattern, `.png` picture); `--metrics` writes the
rule's metrics every K steps as CSV. The run is a job (`alife.jobs.run.RunJob`) on the driver
that also runs training and evolution (`alife.jobs.loop.run_job`): jitted chunks, a progress
bar, `--checkpoint` every `--checkpoint-every-s` seconds with the tables written before the state,
and a last checkpoint at the end or on Ctrl-C. This module checks the arguments and builds it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from alife.commands import argtypes
from alife.core.errors import AlifeError

DEFAULT_STEPS = 100


#: integers that become jitted arguments fit an int32 (alife.core.argcheck)
_count = argtypes.integer(0)
#: HashLife steps are Python ints: any count up to 2^62 generations
_hashlife_count = argtypes.integer(0, 1 << 62)
_positive = argtypes.integer(1)
#: the largest --zoom for a PNG (pixels per cell)
MAX_ZOOM = 64


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scene", nargs="?", metavar="SCENE",
                        help="a scene (.yaml) or a pattern file (.rle, .cells, .lif, .mc ...)")
    parser.add_argument("--pattern", metavar="FILE", help="a pattern file to run (no scene)")
    parser.add_argument("--rule", metavar="RULE",
                        help="rule string for a pattern or on its own, e.g. 'B3/S23:T256,256'")
    parser.add_argument("--steps", type=_hashlife_count, metavar="N",
                        help="generations to run (default: the scene's run.steps)")
    parser.add_argument("--engine", choices=("auto", "grid", "hashlife"), default="auto",
                        help="auto (default): a two-state Life-like pattern file without a "
                             "bounded-grid suffix runs with HashLife on the unbounded plane, and "
                             "so does a rule-table pattern too wide for the grid (multi-state "
                             "HashLife); hashlife: any of those patterns; "
                             "grid: the grid engine (a pattern without a suffix in a window that "
                             "follows it over the unbounded plane)")
    parser.add_argument("--out", metavar="FILE",
                        help="write the final state: .npz, .rle, .cells or .png")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="override a scene key, e.g. rule.config.width=512")
    parser.add_argument("--seed", type=argtypes.seed, metavar="S",
                        help="override the scene's seed")
    parser.add_argument("--metrics", metavar="FILE.csv", help="write metrics as CSV")
    parser.add_argument("--every", type=_positive, metavar="K",
                        help="metrics interval in steps (default: about 100 rows)")
    parser.add_argument("--zoom", type=argtypes.integer(1, MAX_ZOOM), default=1, metavar="Z",
                        help="pixels per cell for .png output (default 1)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
    parser.add_argument("--checkpoint", metavar="FILE.npz",
                        help="save state and key here every --checkpoint-every-s and at the end")
    parser.add_argument("--checkpoint-every-s", type=argtypes.number(0.0, 1e9), default=300.0,
                        metavar="S",
                        help="seconds between checkpoints (default 300)")
    parser.add_argument("--resume", action="store_true",
                        help="continue from --checkpoint if it exists (same scene and --steps "
                             "give the uninterrupted result: keys are fold_in(key, generation))")
    parser.add_argument("--lineage", metavar="FILE.csv",
                        help="births and deaths as a table, one row per id (families that "
                             "keep a LineageLog, e.g. agents)")


def load_world(args: argparse.Namespace):
    """The World named by SCENE / --pattern / --rule, with --set and --seed applied."""
    from alife.scene.open import open_world

    overrides = list(args.overrides)
    if args.seed is not None:
        overrides.append(f"seed={args.seed}")
    if args.scene and args.pattern:
        raise AlifeError("give a SCENE or --pattern, not both")
    source = args.pattern or args.scene
    if source is None and not args.rule:
        raise AlifeError("nothing to run; expected a SCENE (.yaml), a pattern file, or "
                         "--rule RULE")
    return open_world(source, overrides, rule=args.rule)


def main(args: argparse.Namespace) -> int:
    from alife.core.rule import LineageLog
    from alife.jobs.loop import run_job
    from alife.jobs.run import RunJob, scalar
    from alife.scene import export

    if args.every is not None and not args.metrics:
        raise AlifeError("--every goes with --metrics FILE.csv")
    from alife.commands import run_hashlife

    if run_hashlife.wants_hashlife(args):
        return run_hashlife.run(args, DEFAULT_STEPS)
    if args.steps is not None:  # a grid run's step count becomes a jitted int32
        from alife.core.argcheck import INT32_MAX, check_int

        check_int(args.steps, "--steps", 0, INT32_MAX)
    if args.out:
        export.check_writable(args.out)
    metrics_path = Path(args.metrics) if args.metrics else None
    if metrics_path is not None:
        if metrics_path.suffix.lower() != ".csv":
            got = metrics_path.suffix or "no extension"
            raise AlifeError(f"metrics files are CSV; got {got!r}", where=str(metrics_path))
        try:  # the same folder checks as a state file's, naming the metrics file
            export.check_writable(metrics_path.with_suffix(".npz"))
        except AlifeError as exc:
            raise AlifeError(exc.detail, where=str(metrics_path)) from None

    world = load_world(args)
    steps = args.steps if args.steps is not None else int(world.run.get("steps", DEFAULT_STEPS))
    every = args.every or (max(1, steps // 100) if metrics_path is not None else None)
    checkpoint = Path(args.checkpoint) if args.checkpoint else None
    if checkpoint is not None and checkpoint.suffix.lower() != ".npz":
        raise AlifeError("checkpoints are .npz files", where=str(checkpoint))
    if args.resume and checkpoint is None:
        raise AlifeError("--resume goes with --checkpoint FILE.npz")
    if checkpoint is not None and world.origin is not None:
        raise AlifeError("a pattern on the unbounded plane has a window that grows and moves; "
                         "checkpoints need a fixed grid: give the rule a bounded-grid suffix "
                         "(e.g. --rule 'B3/S23:T1024,1024')", where="--checkpoint")
    lineage_path = Path(args.lineage) if args.lineage else None
    if lineage_path is not None and not isinstance(world.rule, LineageLog):
        raise AlifeError(f"family {world.rule.family!r} has no lineage", where="--lineage")
    job = RunJob(world, steps, every=every, metrics=metrics_path, lineage=lineage_path)
    started = time.perf_counter()
    run_job(job, steps, checkpoint=checkpoint, checkpoint_every_s=args.checkpoint_every_s,
            resume=args.resume, quiet=args.quiet, desc=world.name, unit="step")
    world = job.world
    import jax

    jax.block_until_ready(world.state)
    seconds = time.perf_counter() - started
    if args.out:
        export.write_state(world, args.out, zoom=args.zoom)
    if not args.quiet:
        h, w = world.rule.shape
        rate = job.ran * h * w / seconds if seconds > 0 and job.ran else 0.0
        final = world.rule.metrics(world.state, world.params)
        shown = ", ".join(f"{k} {scalar(v):g}" for k, v in final.items())
        wrote = [p for p in (args.out, args.metrics) if p]
        print(f"{world.name}: {steps} steps in {seconds:.2f} s ({rate:.3g} cell-updates/s, "
              f"compile included); {shown}" + (f"; wrote {', '.join(wrote)}" if wrote else ""),
              file=sys.stdout)
    return 0
