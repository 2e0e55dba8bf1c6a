"""Benchmark: Biomaker steps/s at 72x128 persistence with the extended net, and cost vs width.

The anchor is the reference Biomaker CA code (Randazzo & Mordvintsev 2023) on this 2-core CPU,
72x128 persistence world, extended net: 3-4.5 steps/s after a ~66 s compile (measured by the
spec's authors, see /work/shared/specs/biomaker.md; the reference is not installable here, so
that figure is printed as the stated anchor). Our figure: steps/s of `rollout.run` (one jitted
fori_loop) from a world that has grown for `--grow` steps (plants with several hundred agent
cells), median of 3 timed runs after the compile; compile time is the first call (1 step)
timed separately, as wall time and as this process's CPU time (compiling is single-threaded, so
the CPU time is what it would take on an idle machine). The machine is shared by several
engineers: figures are noisy.

Usage: python benchmarks/bench_biomaker.py [--quick] [--widths 36 128 512 2048]
"""

from __future__ import annotations

import argparse
import statistics
import time

import jax

from alife.core.rollout import run
from alife.rules.biomaker import BiomakerRule

ANCHOR_STEPS_PER_S = (3.0, 4.5)
ANCHOR_COMPILE_S = 66.0


def measure(width: int, steps: int, grow: int, net: str = "extended",
            repeats: int = 3) -> dict[str, float]:
    rule = BiomakerRule(preset="persistence", width=width, height=72, net=net,
                        seeds=max(1, round(3 * width / 128)))
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    state = rule.init(key, params)
    t0, c0 = time.perf_counter(), time.process_time()
    jax.block_until_ready(run(rule, key, state, params, 1))
    compile_s, compile_cpu = time.perf_counter() - t0, time.process_time() - c0
    state = jax.block_until_ready(run(rule, key, state, params, grow))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        jax.block_until_ready(run(rule, key, state, params, steps))
        times.append(time.perf_counter() - t0)
    rate = steps / statistics.median(times)
    agents = int(rule.metrics(state, params)["agents"])
    return {"compile_s": compile_s, "compile_cpu": compile_cpu, "steps_per_s": rate,
            "cells_per_s": rate * 72 * width, "agents": agents, "cap": rule.agent_cap}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps")
    parser.add_argument("--widths", type=int, nargs="*", default=[36, 128, 512, 2048])
    args = parser.parse_args()
    steps, grow = (200, 300) if args.quick else (1000, 1500)

    main_fig = measure(128, steps, grow)
    lo, hi = ANCHOR_STEPS_PER_S
    print("Biomaker 72x128 persistence, extended net (3 seeds, grown "
          f"{grow} steps, {main_fig['agents']} agent cells, cap {main_fig['cap']}):")
    fig = main_fig
    print(f"  ours:   {fig['steps_per_s']:8.1f} steps/s   compile {fig['compile_s']:.1f} s wall, "
          f"{fig['compile_cpu']:.1f} s CPU time (the wall figure grows with the machine's load)")
    print(f"  anchor: {lo:.1f}-{hi:.1f} steps/s   compile ~{ANCHOR_COMPILE_S:.0f} s "
          "(reference code, stated in specs/biomaker.md)")
    print(f"  ratio:  {main_fig['steps_per_s'] / hi:.0f}x-{main_fig['steps_per_s'] / lo:.0f}x "
          f"faster, compile {ANCHOR_COMPILE_S / main_fig['compile_s']:.1f}x faster")
    print("\ncost vs width (height 72, extended net, seeds ~ 3 per 128 columns):")
    print(f"  {'width':>6} {'steps/s':>9} {'cell-upd/s':>11} {'agents':>7} {'cap':>6} "
          f"{'compile s':>9}")
    for width in args.widths:
        n = max(20, steps * 128 // max(width, 128))
        fig = main_fig if width == 128 else measure(width, n, grow)
        print(f"  {width:6d} {fig['steps_per_s']:9.1f} {fig['cells_per_s']:11.3g} "
              f"{fig['agents']:7d} {fig['cap']:6d} {fig['compile_s']:9.1f}")


if __name__ == "__main__":
    main()
