"""Benchmark: rule tables, ours (the `ruletable` family on the JAX grid engine) against Golly's
bgolly with its RuleLoader algorithm, on the same pattern files to the same generation.

Golly's RuleLoader runs a rule table on a generalised HashLife (ghashbase): its cost depends on
how regular the pattern is, not on an area. Ours steps every cell of a fixed torus (the pattern's
rule with a `:T n,n` suffix, `n` large enough that nothing reaches the edge in the run), so both
figures are given: generations per CPU second for each, our cell updates per CPU second, and the
ratio of CPU seconds to reach the same generation (> 1: we are faster). Populations must agree
with bgolly's (the unbounded universe and our torus hold the same cells when nothing wraps).

Ours is timed after one compiled warm-up call, in CPU seconds of this process (so a busy machine
skews the ratio less); bgolly runs as a child process, timed in its CPU seconds (start-up
included, a few ms; repeated until half a CPU second has passed, since a child's CPU time is
counted in 10 ms ticks). The dense / tree path our compiler picked is printed.

The second table is the multi-state HashLife universe (`alife.rules.ruletable.hashlife`, pure
Python) against bgolly's own HashLife (RuleLoader, or JvN for JvN29/Nobili32), one fresh universe
each (a cold memo, as a user's `alife run` has): reading plus the whole advance in CPU seconds,
generations per CPU second for both, the same ratio, on Langton's loops and on giant Self-Rep
machines the grid engine cannot open.

Usage: python benchmarks/bench_ruletable.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

import jax
import numpy as np
from timing import child_cpu

from alife.core.rollout import run
from alife.scene.pattern_world import world_from_pattern

GOLLY = Path("/usr/share/golly")
CASES = [  # (pattern, generations, torus side)
    ("Loops/Langtons-Loops.rle", 2000, 512),
    ("Loops/Byl-Loop.rle", 1000, 1024),
    ("Loops/Evoloop-finite.rle", 500, 1024),
    ("Turmites/ComputerArt.rle", 20000, 512),
    ("Loops/Chou-Reggia-Loop-1.rle", 1000, 256),
]
HASHLIFE_CASES = [  # (pattern, generations)
    ("Loops/Langtons-Loops.rle", 2**12),
    ("Self-Rep/JvN/sphinx.mc.gz", 2**12),
    ("Self-Rep/Devore/Devore-rep.rle", 2**12),
    ("Self-Rep/Codd/Goucher-replicator.mc.gz", 2**12),
]


def ours(path: Path, generations: int, side: int) -> tuple[float, int, str]:
    from alife.scene.patterns import read_pattern

    name = read_pattern(path).rule
    world = world_from_pattern(path, rule=f"{name}:T{side},{side}")
    rule, params, key = world.rule, world.params, world.key
    warm = run(rule, key, world.state, params, 8)  # compile (a different step count is fine:
    jax.block_until_ready(warm)                    # the count is a traced argument)
    started = time.process_time()
    final = jax.block_until_ready(run(rule, key, world.state, params, generations))
    seconds = time.process_time() - started
    population = int(np.count_nonzero(np.asarray(rule.cells(final))))
    path_kind = "dense" if rule.dense else "tree"  # the ruletable family's compiled lookup
    return seconds, population, path_kind


def golly(path: Path, generations: int) -> tuple[float, int]:
    """bgolly's CPU seconds per run and its final population."""
    argv = ["bgolly", "-a", "RuleLoader", "-s", str(GOLLY / "Rules") + "/", "-m",
            str(generations), str(path)]
    seconds, out = child_cpu(argv, min_seconds=0.5)
    return seconds, int(out.strip().splitlines()[-1].split(":")[1].replace(",", ""))


def hashlife_ours(path: Path, generations: int) -> tuple[float, int, str]:
    """(CPU seconds to read and advance, final population, rule) on the multi-state universe."""
    from alife.rules.ruletable.hashlife_open import read_universe
    from alife.scene.hashlife_patterns import PatternSource

    started = time.process_time()
    universe, _, _ = read_universe(PatternSource(path))
    universe.advance(generations)
    return time.process_time() - started, universe.population(), universe.rule_text


def hashlife_golly(path: Path, generations: int, rule: str) -> tuple[float, int]:
    algorithm = (["-a", "JvN"] if rule in ("JvN29", "Nobili32", "Hutton32")
                 else ["-a", "RuleLoader", "-s", str(GOLLY / "Rules") + "/"])
    argv = ["bgolly", *algorithm, "-m", str(generations), str(path)]
    seconds, out = child_cpu(argv, min_seconds=0.3)
    return seconds, int(out.strip().splitlines()[-1].split(":")[1].replace(",", ""))


def hashlife_table(quick: bool, have_golly: bool) -> None:
    print(f"\nmulti-state HashLife; load average {os.getloadavg()[0]:.1f}")
    print(f"{'pattern':40} {'gens':>6} {'ours gen/s':>11} {'bgolly gen/s':>12} {'ratio':>7}  "
          "population")
    for name, generations in HASHLIFE_CASES[:2] if quick else HASHLIFE_CASES:
        path = GOLLY / "Patterns" / name
        if not path.exists():
            print(f"{name:40} (not installed: Golly's pattern collection)")
            continue
        seconds, population, rule = hashlife_ours(path, generations)
        line = f"{name:40} {generations:>6} {generations / seconds:>11.0f}"
        if have_golly:
            golly_s, golly_pop = hashlife_golly(path, generations, rule)
            check = "equal" if golly_pop == population else f"DIFFERS: bgolly {golly_pop}"
            print(f"{line} {generations / golly_s:>12.0f} {golly_s / seconds:>7.3f}  "
                  f"{population} ({check})")
        else:
            print(f"{line} {'-':>12} {'-':>7}  {population} (bgolly not installed: no anchor)")
    print("ratio = bgolly CPU s / ours CPU s to the same generation (> 1: we are faster)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first two cases only")
    args = parser.parse_args()
    have_golly = shutil.which("bgolly") is not None
    print(f"jax {jax.__version__} on {jax.default_backend()}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'pattern':30} {'gens':>6} {'torus':>6} {'path':>5} {'ours gen/s':>11} "
          f"{'cell upd/s':>10} {'bgolly gen/s':>12} {'ratio':>7}  population")
    for name, generations, side in CASES[:2] if args.quick else CASES:
        path = GOLLY / "Patterns" / name
        if not path.exists():
            print(f"{name:30} (not installed: Golly's pattern collection)")
            continue
        seconds, population, kind = ours(path, generations, side)
        rate = generations / seconds
        line = (f"{name:30} {generations:>6} {side:>6} {kind:>5} {rate:>11.0f} "
                f"{rate * side * side:>10.2e}")
        if have_golly:
            golly_s, golly_pop = golly(path, generations)
            check = "equal" if golly_pop == population else f"DIFFERS: bgolly {golly_pop}"
            golly_rate = f"{generations / golly_s:.0f}" if golly_s > 0 else "-"
            print(f"{line} {golly_rate:>12} {golly_s / seconds:>7.2f}  {population} ({check})")
        else:
            print(f"{line} {'-':>12} {'-':>7}  {population} (bgolly not installed: no anchor)")
    print("ratio = bgolly CPU s / ours CPU s to the same generation (> 1: we are faster)")
    hashlife_table(args.quick, have_golly)


if __name__ == "__main__":
    main()
