"""Benchmark: Growing-NCA inference steps/s on one 16-channel grid, ours against CAX 0.3.3.

Ours: `NCARule.step` under `alife.core.rollout.run` (one jitted scan). CAX: the notebook-40
model (`CaxGrowingNCA` in `bench_nca_train.py`) called with `num_steps=N` (its jitted scan).
Same weights shape (16 channels, 128 hidden, random first layer, zero last layer: the work per
step does not depend on the values) and a random start so that the alive masks are not trivial.
Compile excluded; the two are timed in alternation (the machine is shared), median of 5 rounds,
in wall seconds and in CPU seconds of this process (both cores count; per CPU-second figures
swing less with the load of other users than wall figures). The load average is printed.
Target (issue 20): ours >= 10x CAX's steps/s at 256^2.

Usage: python benchmarks/bench_nca_inference.py [--sizes 64 256] [--steps 100] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import jax

from alife.core.rollout import run
from alife.rules.nca import NCARule, NCAState


def start(size: int) -> jax.Array:
    return jax.random.uniform(jax.random.PRNGKey(0), (size, size, 16))


def ours(size: int, steps: int):
    rule = NCARule(width=size, height=size)
    params = rule.default_params()
    state = NCAState(start(size), jax.numpy.int32(0))
    key = jax.random.PRNGKey(1)
    return lambda: run(rule, key, state, params, steps).x.block_until_ready()


def cax(size: int, steps: int):
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_nca_train import CaxGrowingNCA
    from flax import nnx

    cs = CaxGrowingNCA(nnx.Rngs(0))
    state = start(size)
    return lambda: cs(state, num_steps=steps).block_until_ready()


def interleaved(fns: dict, rounds: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds per call of each function, timed in alternation (the machine
    is shared: alternating keeps load changes from favouring one side)."""
    for fn in fns.values():
        fn()  # compile
    walls: dict[str, list[float]] = {name: [] for name in fns}
    cpus: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            walls[name].append(time.perf_counter() - t0)
            cpus[name].append(time.process_time() - c0)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name]))
            for name in fns}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[64, 256])
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    print(f"Growing NCA inference, one 16-channel grid, {a.steps} steps, jax {jax.__version__}, "
          f"load average {os.getloadavg()[0]:.1f}")
    for size in a.sizes:
        t = interleaved({"ours": ours(size, a.steps), "cax": cax(size, a.steps)}, a.rounds)
        o, c = a.steps / t["ours"][0], a.steps / t["cax"][0]
        oc, cc = a.steps / t["ours"][1], a.steps / t["cax"][1]
        print(f"{size:4d}^2  ours {o:9.1f} steps/s ({oc:8.1f} per CPU-s)   CAX {c:8.1f} steps/s "
              f"({cc:7.1f} per CPU-s)   ratio {o / c:5.2f}x wall, {oc / cc:5.2f}x CPU "
              f"(target >= 10x)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
