"""Soak: each family's shipped scene run headless for a wall time, RSS sampled, slope fitted.

    python benchmarks/soak.py                             # every family, 2 minutes each
    python benchmarks/soak.py --family agents --minutes 30
    python benchmarks/soak.py --family life lenia --minutes 1 --every 2
    python benchmarks/soak.py --family agents --minutes 10 --outputs --checkpoint-every 30

Not a test and not a timing: a memory check. Each family runs in a fresh subprocess (this script
with `--child`) that opens the scene with `alife.scene.open.open_world` and advances it chunk by
chunk through `alife.scene.runner.advance` (the engine path `alife run` uses), printing the steps
done after each chunk. With `--outputs` the child is `alife run`'s job instead
(`alife.jobs.run.RunJob`: a metrics row per chunk, the lineage table when the family keeps one,
unless `--no-lineage`, and a checkpoint every `--checkpoint-every` seconds, in a temp folder).

The parent reads the child's RSS from `/proc/PID/status` every `--every` seconds, prints each
sample, and ends with a table per family: steps done, RSS at the start of the timed run / at the
end / the maximum, and the slope of RSS over time in MB per hour over the samples after the
warm-up (`--warmup`, a fraction of the run): least squares, and Theil-Sen (the median pairwise
slope, which one sample caught mid-chunk or just after a trim does not tilt). Linux only.
`--from FILE` prints the table again from a saved output (the sample lines).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from alife.core.memory import resident_mb

ROOT = Path(__file__).resolve().parent.parent

#: one shipped scene per family (the families' defaults or their first example)
SCENES = {
    "agents": "scenes/agents/default.yaml",
    "biomaker": "scenes/biomaker/petri.yaml",
    "elementary": "scenes/elementary/rule110.yaml",
    "lenia": "scenes/lenia/orbium.yaml",
    "life": "scenes/life/gosper_glider_gun.yaml",
    "nca": "scenes/nca/lizard.yaml",
    "templates": "scenes/templates/touching_loops.yaml",
    "vitca": "scenes/vitca/digits.yaml",
}


def slope_mb_per_hour(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of `(seconds, MB)` samples, in MB per hour (0 with < 2 samples)."""
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_m = sum(m for _, m in samples) / n
    var = sum((t - mean_t) ** 2 for t, _ in samples)
    if var == 0:
        return 0.0
    cov = sum((t - mean_t) * (m - mean_m) for t, m in samples)
    return cov / var * 3600.0


def robust_slope_mb_per_hour(samples: list[tuple[float, float]]) -> float:
    """Theil-Sen slope (the median of the pairwise slopes) in MB per hour: one sample taken in
    the middle of a chunk's transient buffers, or just after a trim, does not tilt it."""
    slopes = sorted((m2 - m1) / (t2 - t1) for i, (t1, m1) in enumerate(samples)
                    for t2, m2 in samples[i + 1:] if t2 > t1)
    if not slopes:
        return 0.0
    mid = len(slopes) // 2
    median = slopes[mid] if len(slopes) % 2 else (slopes[mid - 1] + slopes[mid]) / 2
    return median * 3600.0


def child(scene: str, seconds: float, chunk: int) -> int:
    """Run `scene` for `seconds` of wall time after its first (compiling) chunk; prints
    `ready` after the first chunk, then `steps N` after each chunk."""
    import jax

    from alife.scene.open import open_world
    from alife.scene.runner import advance

    world = open_world(scene)
    world = advance(world, chunk)
    jax.block_until_ready(world.state)
    print("ready", flush=True)
    done, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        world = advance(world, chunk)
        jax.block_until_ready(world.state)
        done += chunk
        print(f"steps {done}", flush=True)
    return 0


def child_outputs(scene: str, seconds: float, chunk: int, checkpoint_every: float,
                  lineage: bool) -> int:
    """As `child`, through `alife run`'s job with its tables and timed checkpoints."""
    import tempfile

    import jax

    from alife.core.rule import LineageLog
    from alife.jobs.run import RunJob
    from alife.scene.open import open_world

    world = open_world(scene)
    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        out = Path(folder)
        keeps = lineage and isinstance(world.rule, LineageLog)
        job = RunJob(world, 2 ** 31 - 1 - world.generation, every=chunk,
                     metrics=out / "metrics.csv", lineage=out / "lineage.csv" if keeps else None)
        job.iterate()
        jax.block_until_ready(job.world.state)
        print("ready", flush=True)
        end = time.monotonic() + seconds
        saved = time.monotonic()
        while time.monotonic() < end:
            job.iterate()
            if time.monotonic() - saved >= checkpoint_every:
                job.save_checkpoint(out / "checkpoint.npz")
                saved = time.monotonic()
            print(f"steps {job.ran - chunk}", flush=True)
    return 0


@dataclass
class Soak:
    """One family's run as the parent saw it."""

    family: str
    steps: int = 0
    ready: float | None = None   # monotonic time the child finished compiling
    samples: list[tuple[float, float]] = field(default_factory=list)   # (s since ready, MB)
    error: str = ""


def _read(proc: subprocess.Popen[str], soak: Soak) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("steps "):
            soak.steps = int(line.split()[1])
        elif line.strip() == "ready":
            soak.ready = time.monotonic()


def soak_family(family: str, scene: str, seconds: float, every: float, chunk: int,
                echo: bool, outputs: list[str] | None = None) -> Soak:
    """Run one family in a fresh subprocess for `seconds` (after compiling), sampling RSS;
    `outputs`: the child's extra arguments for the job path (`--outputs ...`)."""
    soak = Soak(family)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", scene,
               "--seconds", str(seconds), "--chunk", str(chunk)] + (outputs or [])
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    reader = threading.Thread(target=_read, args=(proc, soak), daemon=True)
    reader.start()
    limit = time.monotonic() + seconds + 900.0   # compile time plus a margin
    while proc.poll() is None and time.monotonic() < limit:
        time.sleep(every)
        mb = resident_mb(proc.pid)
        if mb is None or soak.ready is None:
            continue
        at = time.monotonic() - soak.ready
        soak.samples.append((at, mb))
        if echo:
            print(f"  {family:<10} {at:7.0f} s  {soak.steps:>9} steps  {mb:8.1f} MB", flush=True)
    if proc.poll() is None:
        proc.kill()
        soak.error = "killed: did not finish in time"
    proc.wait()
    reader.join(timeout=5)
    if proc.returncode and not soak.error:
        assert proc.stderr is not None
        lines = proc.stderr.read().strip().splitlines()
        soak.error = f"exit {proc.returncode}: {lines[-1] if lines else ''}"[:200]
    return soak


def table(soaks: list[Soak], warmup: float, seconds: float) -> str:
    """The summary: one row per family."""
    head = (f"{'family':<11}{'steps':>10}{'steps/s':>9}{'RSS start':>11}{'RSS end':>9}"
            f"{'RSS max':>9}{'samples':>9}{'MB/hour':>9}{'Theil-Sen':>11}")
    rows = [head, "-" * len(head)]
    for s in soaks:
        if not s.samples:
            rows.append(f"{s.family:<11} no samples {s.error}")
            continue
        fitted = [(t, m) for t, m in s.samples if t >= warmup * seconds]
        mbs = [m for _, m in s.samples]
        rate = s.steps / max(s.samples[-1][0], 1e-9)
        rows.append(f"{s.family:<11}{s.steps:>10}{rate:>9.1f}{mbs[0]:>11.1f}{mbs[-1]:>9.1f}"
                    f"{max(mbs):>9.1f}{len(fitted):>9}{slope_mb_per_hour(fitted):>9.1f}"
                    f"{robust_slope_mb_per_hour(fitted):>11.1f}"
                    + (f"  {s.error}" if s.error else ""))
    return "\n".join(rows)


def from_output(path: str) -> tuple[list[Soak], float]:
    """The soaks in a saved output (its sample lines) and the longest run's seconds."""
    soaks: dict[str, Soak] = {}
    for line in Path(path).read_text().splitlines():
        parts = line.split()
        if line.startswith("  ") and len(parts) == 7 and parts[2] == "s" and parts[6] == "MB":
            soak = soaks.setdefault(parts[0], Soak(parts[0]))
            soak.samples.append((float(parts[1]), float(parts[5])))
            soak.steps = int(parts[3])
    seconds = max((s.samples[-1][0] for s in soaks.values() if s.samples), default=0.0)
    return list(soaks.values()), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", nargs="+", choices=sorted(SCENES), default=sorted(SCENES))
    parser.add_argument("--minutes", type=float, default=2.0,
                        help="wall time per family after compiling (default 2)")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between RSS samples")
    parser.add_argument("--warmup", type=float, default=0.25,
                        help="fraction of the run left out of the slope fit (default 0.25)")
    parser.add_argument("--chunk", type=int, default=100, help="steps per jitted chunk")
    parser.add_argument("--quiet", action="store_true", help="only the table, no samples")
    parser.add_argument("--outputs", action="store_true",
                        help="run alife run's job: metrics, lineage and timed checkpoints")
    parser.add_argument("--checkpoint-every", type=float, default=60.0, metavar="S",
                        help="with --outputs: seconds between checkpoints (default 60)")
    parser.add_argument("--no-lineage", action="store_true",
                        help="with --outputs: no lineage table")
    parser.add_argument("--from", dest="saved", metavar="FILE",
                        help="print the table again from a saved output's sample lines")
    parser.add_argument("--child", metavar="SCENE", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child and args.outputs:
        return child_outputs(args.child, args.seconds, args.chunk, args.checkpoint_every,
                             not args.no_lineage)
    if args.child:
        return child(args.child, args.seconds, args.chunk)
    if args.saved:
        soaks, seconds = from_output(args.saved)
        print(table(soaks, args.warmup, seconds))
        return 0
    seconds = args.minutes * 60.0
    outputs = None
    if args.outputs:
        outputs = ["--outputs", "--checkpoint-every", str(args.checkpoint_every)]
        outputs += ["--no-lineage"] if args.no_lineage else []
    path = (f"alife run's job (metrics, {'no ' if args.no_lineage else ''}lineage, a checkpoint "
            f"every {args.checkpoint_every:g} s)" if args.outputs else "runner.advance")
    print(f"soak: {seconds:.0f} s per family through {path}, RSS every {args.every:g} s, "
          f"chunks of {args.chunk} steps, slope after the first {args.warmup:.0%}; "
          f"MALLOC_ARENA_MAX={os.environ.get('MALLOC_ARENA_MAX', 'unset')}", flush=True)
    soaks = []
    for family in args.family:
        soaks.append(soak_family(family, SCENES[family], seconds, args.every, args.chunk,
                                 not args.quiet, outputs))
    print(table(soaks, args.warmup, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
