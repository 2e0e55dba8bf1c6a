"""Benchmark: Life B3/S23 against a bit-sliced C reference, per CPU second, same process.

The anchor is `life_bitsliced.c` (64 cells per uint64 word, the usual full-adder neighbour
count, ~35 word operations per 64 cells, one thread), compiled here with `cc -O3 -march=native`
(cached; without a compiler the C side is skipped and said so). Both start from the same random
soup (density 0.3) on a torus; the C program's own CPU clock times its stepping, and ours is
`LifeRule` + `alife.core.rollout.run` (the bit-packed kernel and its many-step path) timed with
this process's CPU clock. Runs alternate (ours, C, ours, C, ...) and each figure is the median
of `--repeats`; compile and packing are excluded. First both run `--check-steps` generations and
the grids are compared cell for cell (an independent truth check of our engine).

`--loop` also times our rule stepped one generation per loop iteration (`rule.step` in a
`fori_loop`: the engine's path before `FastAdvance`), for a before/after in one run.
`--traced` also times B3/S23 on a rule built as B36/S23 and switched to B3/S23 by its params
(as the app's rule box does): the loop with the traced table lookup, not the one compiled with
the rule's own tables.

Target: ours / C >= 0.8 in cell updates per CPU second at 1024^2.

Usage: python benchmarks/bench_life_c.py [--quick] [--size 1024] [--steps N] [--repeats 5]
       [--check-steps 100] [--loop] [--traced]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import jax
import numpy as np
from cbuild import build, compiler_version, run_kv
from timing import wall_and_cpu

from alife.core.rollout import run
from alife.rules.life import LifeRule

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "life_bitsliced.c"


class CLife:
    """The C reference run on a start grid written once to a temp file."""

    def __init__(self, exe: Path, start: np.ndarray, workdir: str) -> None:
        self.exe, self.shape = exe, start.shape
        self.src = os.path.join(workdir, "start.bin")
        self.dst = os.path.join(workdir, "end.bin")
        np.ascontiguousarray(start, np.uint8).tofile(self.src)

    def run(self, steps: int) -> dict[str, float]:
        h, w = self.shape
        return run_kv(self.exe, self.src, self.dst, h, w, steps)

    def final(self) -> np.ndarray:
        return np.fromfile(self.dst, np.uint8).reshape(self.shape)


def ours(size: int, loop: bool = False, traced: bool = False):
    """(rule, start cells, go(steps) -> final state): the public path, or the step loop, or
    the public path with B3/S23 as params of a rule built as B36/S23 (the traced lookup)."""
    rule = LifeRule("B36/S23" if traced else "B3/S23", width=size, height=size,
                    topology="torus", density=0.3)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    if traced:
        rule, params = rule.apply_rule_text("B3/S23", params)
    key = jax.random.PRNGKey(1)
    if loop:
        stepper = jax.jit(lambda s, n: jax.lax.fori_loop(
            0, n, lambda _, x: rule.step(key, x, params), s))

        def go(steps: int):
            return jax.block_until_ready(stepper(state, steps))
    else:
        def go(steps: int):
            return jax.block_until_ready(run(rule, key, state, params, steps))
    return rule, np.asarray(rule.cells(state)), go


def measure(size: int = 1024, steps: int | None = None, repeats: int = 5,
            check_steps: int = 100, loop: bool = False, traced: bool = False) -> dict:
    """Ours and the C reference: rates per CPU and wall second, the check, the load."""
    cells = size * size
    steps = steps or max(10, int(4e9 / cells))
    rule, start, go = ours(size)
    result: dict = {"size": size, "steps": steps, "load_before": os.getloadavg()[0],
                    "compiler": compiler_version()}
    go(steps)  # compile
    exe = build(SOURCE)
    with tempfile.TemporaryDirectory() as tmp:
        clife = CLife(exe, start, tmp) if exe else None
        if clife is not None:
            clife.run(check_steps)
            mine = np.asarray(rule.cells(go(check_steps)))
            result["check_steps"] = check_steps
            result["mismatches"] = int(np.sum(mine != clife.final()))
        timings: dict[str, list] = {"ours": [], "c": [], "loop": [], "traced": []}
        go_loop = ours(size, loop=True)[2] if loop else None
        if go_loop is not None:
            go_loop(steps)  # compile
        go_traced = None
        if traced:
            rule_t, start_t, go_traced = ours(size, traced=True)
            if clife is not None:  # the same start (same key and size): the same grid
                result["traced_mismatches"] = int(np.sum(
                    np.asarray(rule_t.cells(go_traced(check_steps))) != clife.final()))
            go_traced(steps)  # compile
        for _ in range(repeats):
            timings["ours"].append(wall_and_cpu(lambda: go(steps)))
            if clife is not None:
                r = clife.run(steps)
                timings["c"].append((r["wall_s"], r["cpu_s"]))
            if go_loop is not None:
                timings["loop"].append(wall_and_cpu(lambda: go_loop(steps)))
            if go_traced is not None:
                timings["traced"].append(wall_and_cpu(lambda: go_traced(steps)))
    for name, runs in timings.items():
        if runs:
            result[f"{name}_wall"] = steps * cells / statistics.median(r[0] for r in runs)
            result[f"{name}_cpu"] = steps * cells / statistics.median(r[1] for r in runs)
    result["load_after"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="256^2, fewer repeats (a smoke run)")
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--steps", type=int, default=0, help="steps per timing (default ~4e9 "
                        "cell updates)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--check-steps", type=int, default=100)
    parser.add_argument("--loop", action="store_true", help="also time the one-step loop")
    parser.add_argument("--traced", action="store_true", help="also time B3/S23 as params of a "
                        "rule built as B36/S23 (the traced table lookup)")
    args = parser.parse_args()
    size = 256 if args.quick else args.size
    if size < 64 or size % 64:
        print(f"--size {size}: expected a multiple of 64 (the C reference packs 64 cells a "
              "word)", file=sys.stderr)
        sys.exit(2)
    repeats = 3 if args.quick else max(1, args.repeats)
    steps = args.steps or (max(10, int(5e8 / size**2)) if args.quick else 0)
    try:
        r = measure(size, steps or None, repeats, args.check_steps, args.loop, args.traced)
    except (RuntimeError, subprocess.SubprocessError) as exc:
        print(f"C reference failed: {exc}", file=sys.stderr)
        sys.exit(2)
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}; Life B3/S23 {size}x{size} "
          f"torus, soup 0.3; {r['steps']} steps per timing, median of {repeats}; load average "
          f"{r['load_before']:.2f} -> {r['load_after']:.2f}; C: {r['compiler']}")
    print(f"{'':>26} {'per CPU-second':>15} {'per wall second':>16}")
    print(f"{'ours (LifeRule + run)':>26} {r['ours_cpu']:15.3e} {r['ours_wall']:16.3e}")
    if "loop_cpu" in r:
        print(f"{'ours, one-step loop':>26} {r['loop_cpu']:15.3e} {r['loop_wall']:16.3e}")
    if "traced_cpu" in r:
        print(f"{'ours, traced tables':>26} {r['traced_cpu']:15.3e} {r['traced_wall']:16.3e}")
    if "c_cpu" not in r:
        print("no C compiler (cc): the C reference is skipped; no ratio")
        return
    print(f"{'C bit-sliced, 1 thread':>26} {r['c_cpu']:15.3e} {r['c_wall']:16.3e}")
    print(f"same grid after {r['check_steps']} steps: {r['mismatches'] == 0} "
          f"({r['mismatches']} cells differ)")
    if "traced_mismatches" in r:
        print(f"traced tables, same grid: {r['traced_mismatches'] == 0} "
              f"({r['traced_mismatches']} cells differ); ratio traced / C per CPU-second: "
              f"{r['traced_cpu'] / r['c_cpu']:.2f}")
    print(f"ratio ours / C per CPU-second: {r['ours_cpu'] / r['c_cpu']:.2f} (target >= 0.8); "
          f"per wall second: {r['ours_wall'] / r['c_wall']:.2f}")
    if r["mismatches"] or r.get("traced_mismatches"):
        sys.exit(1)


if __name__ == "__main__":
    main()
