"""Benchmark: HashLife, ours (alife.rules.life.hashlife, pure Python) against Golly's bgolly -h.

Each case runs one pattern to one generation in a fresh universe (a cold memo, as a user's
`alife run` has) and times reading plus the whole advance in CPU seconds of this process (so a
busy machine skews the ratio less); bgolly runs the same file to the same
generation as a subprocess, timed in CPU seconds of the child (its start-up included, a few ms).
Both populations are printed and must agree. Cases: the Gosper gun (regular: the memo makes
10^9 generations cheap), Golly's `Patterns/HashLife` files (irregular growth, where a
pure-Python node table pays per distinct block) and two of its breeders (quadratic growth).

Usage: python benchmarks/bench_hashlife.py [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import numpy as np
from timing import child_cpu

from alife.rules.life.hashlife import Universe
from alife.rules.life.macrocell import read_macrocell
from alife.scene.patterns import read_pattern

ROOT = Path(__file__).resolve().parents[1]
GOLLY = Path("/usr/share/golly/Patterns/HashLife")
CASES = [
    (ROOT / "assets/patterns/gosper_glider_gun.rle", 10**9),
    (ROOT / "assets/patterns/gosper_glider_gun.rle", 10**15),
    (GOLLY / "ruler.mc", 2**20),
    (GOLLY / "totalperiodic.mc", 2**14),
    (GOLLY / "metapixel-galaxy.mc.gz", 2**12),
    (GOLLY.parent / "Life/Breeders/switch-engine-breeder.rle", 2**20),  # quadratic growth
    (GOLLY.parent / "Life/Breeders/LWSS-breeder.rle", 2**16),
]


def ours(path: Path, generations: int) -> tuple[float, int]:
    started = time.process_time()
    if path.suffix == ".rle":
        pattern = read_pattern(path)
        universe = Universe.for_rule(pattern.rule or "B3/S23")
        ys, xs = np.nonzero(pattern.cells)
        universe.set_cells(xs, ys)
    else:
        universe, _ = read_macrocell(path)
    start = universe.generation
    universe.advance(generations)
    assert universe.generation == start + generations
    return time.process_time() - started, universe.population()


def golly(path: Path, generations: int) -> tuple[float, int]:
    """bgolly's CPU seconds per run and its final population."""
    argv = ["bgolly", "-h", "-m", str(generations), str(path)]
    seconds, out = child_cpu(argv, min_seconds=0.3)
    return seconds, int(out.strip().splitlines()[-1].split(":")[1].replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first three cases only")
    args = parser.parse_args()
    have_golly = shutil.which("bgolly") is not None
    print(f"{'pattern':28} {'generations':>12} {'ours cpu s':>10} {'bgolly cpu s':>12} "
          f"{'ratio':>7}  population")
    for path, generations in CASES[:3] if args.quick else CASES:
        if not path.exists():
            print(f"{path.name:28} (not installed: Golly's pattern collection)")
            continue
        mc_generation = 0
        if path.suffix != ".rle":
            mc_generation = read_macrocell(path)[0].generation
        target = generations - mc_generation if mc_generation < generations else generations
        seconds, population = ours(path, target)
        if have_golly:
            golly_s, golly_pop = golly(path, mc_generation + target)
            check = "equal" if golly_pop == population else f"DIFFERS: bgolly {golly_pop}"
            ratio = f"{golly_s / seconds:.3f}" if seconds > 0 else "-"
            print(f"{path.name:28} {generations:>12.3g} {seconds:>10.2f} {golly_s:>12.2f} "
                  f"{ratio:>7}  {population} ({check})")
        else:
            print(f"{path.name:28} {generations:>12.3g} {seconds:>10.2f} {'-':>12} {'-':>7}  "
                  f"{population} (bgolly not installed: no anchor)")
    print("ratio = bgolly CPU s / ours s (>1: we are faster)")


if __name__ == "__main__":
    main()
