"""Benchmark: JaxLife-style agent worlds, world steps/s and compile time.

Anchor (specs/jaxlife.md, measured on this 2-core CPU): the reference JaxLife code at its
defaults (128 agent slots, 32 robots, 128x128 terrain) runs 0.26 world steps/s after a 243 s
compile; it is not installable here, so the figure is printed as the stated anchor. Its slow
part is a world-sized diff per agent; ours scatter-adds over the touched cells and finds
neighbours on a coarse grid, so cost grows about linearly with the number of agents.

Prints, for the reference defaults and for 128, 512 and 2048 agent slots on a 256x256 terrain:
compile seconds (trace + XLA, once per config; wall and CPU time, since other processes on a
shared machine inflate wall time), world steps/s (median of timed runs of a jitted
chunk of steps, `alife.core.rollout.run`), live agents at the end, the State's size and the
process's peak resident memory. The machine is shared: figures are noisy.

Usage: python benchmarks/bench_agents.py [--quick] [--steps 50]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import jax
import numpy as np

from alife.core.rollout import _advance, run
from alife.rules.agents import AgentsRule

ANCHOR_RATE, ANCHOR_COMPILE = 0.26, 243.0


def _cpu() -> float:
    """CPU seconds this process has used (user + system): unlike wall time, not inflated when
    other processes share the cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(config: dict, steps: int, repeats: int) -> dict:
    rule = AgentsRule(**config)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    jax.block_until_ready(state)
    key = jax.random.PRNGKey(1)
    t0, cpu0 = time.perf_counter(), _cpu()
    _advance.lower(rule, key, state, params, np.int32(steps)).compile()
    compile_s, compile_cpu = time.perf_counter() - t0, _cpu() - cpu0
    warm = run(rule, key, state, params, steps)          # first run (cached executable)
    jax.block_until_ready(warm)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = run(rule, key, warm, params, steps)
        jax.block_until_ready(out)
        times.append(time.perf_counter() - t0)
    nbytes = sum(np.asarray(x).nbytes for x in jax.tree_util.tree_leaves(state))
    return {"compile_s": compile_s, "compile_cpu": compile_cpu,
            "rate": steps / statistics.median(times),
            "alive": int(out.agents.alive.sum()), "state_mb": nbytes / 2**20,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="defaults only, fewer steps")
    parser.add_argument("--steps", type=int, default=50, help="steps per timed run")
    args = parser.parse_args()
    steps = 20 if args.quick else args.steps
    cases = [("reference defaults 128 slots, 128^2", {})]
    if not args.quick:
        cases += [(f"{n} slots, 256^2", {"width": 256, "height": 256, "agents": n,
                                         "start": n // 4}) for n in (128, 512, 2048)]
    print(f"anchor: reference JaxLife {ANCHOR_RATE} steps/s after a {ANCHOR_COMPILE:.0f} s "
          f"compile (128 slots, 32 robots, 128^2; stated, not run here)")
    for name, config in cases:
        r = measure(config, steps, repeats=3)
        print(f"{name}: {r['rate']:.1f} steps/s ({r['rate'] / ANCHOR_RATE:.0f}x the anchor), "
              f"compile {r['compile_s']:.1f} s wall / {r['compile_cpu']:.1f} s CPU "
              f"({ANCHOR_COMPILE / r['compile_s']:.0f}x faster), "
              f"{r['alive']} alive at the end, state {r['state_mb']:.0f} MB, "
              f"peak RSS {r['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
