"""Benchmark: Growing-NCA inference steps/s on one 16-channel grid, ours against CAX 0.3.3.

Ours: `NCARule.step` under `alife.core.rollout.run` (one jitted scan). CAX: the notebook-40
model (`CaxGrowingNCA` in `bench_nca_train.py`) called with `num_steps=N` (its jitted scan).
Same weights shape (16 channels, 128 hidden, random first layer, zero last layer: the work per
step does not depend on the values) and a random start so that the alive masks are not trivial.
Compile excluded; the two are timed in alternation (the machine is shared), median of 5 rounds.
Target: ours >= 1.5x CAX's steps/s.

Usage: python benchmarks/bench_nca_inference.py [--sizes 64 256] [--steps 100] [--rounds 5]
"""

from __future__ import annotations

import argparse
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


def interleaved(fns: dict, rounds: int) -> dict[str, float]:
    """Median seconds per call of each function, timed in alternation (the machine is shared:
    alternating keeps load changes from favouring one side)."""
    for fn in fns.values():
        fn()  # compile
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[64, 256])
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    print(f"Growing NCA inference, one 16-channel grid, {a.steps} steps, jax {jax.__version__}")
    for size in a.sizes:
        t = interleaved({"ours": ours(size, a.steps), "cax": cax(size, a.steps)}, a.rounds)
        o, c = a.steps / t["ours"], a.steps / t["cax"]
        print(f"{size:4d}^2  ours {o:9.1f} steps/s   CAX {c:9.1f} steps/s   "
              f"ratio {o / c:5.2f}x (target >= 1.5x)")


if __name__ == "__main__":
    main()
