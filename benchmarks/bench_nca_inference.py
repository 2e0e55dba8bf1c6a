"""Benchmark: Growing-NCA inference steps/s on one 16-channel grid, ours against CAX 0.3.3.

Ours: `NCARule.step` under `alife.core.rollout.run` (one jitted scan). CAX: the notebook-40
model (`CaxGrowingNCA` in `bench_nca_train.py`) called with `num_steps=N` (its jitted scan).
Same weights shape (16 channels, 128 hidden, random first layer, zero last layer: the work per
step does not depend on the values) and a random start so that the alive masks are not trivial.
Compile excluded; median of 3. Target: ours >= 1.5x CAX's steps/s.

Usage: python benchmarks/bench_nca_inference.py [--sizes 64 256] [--steps 100]
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


def timed(fn, repeats: int = 3) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def start(size: int) -> jax.Array:
    return jax.random.uniform(jax.random.PRNGKey(0), (size, size, 16))


def ours(size: int, steps: int) -> float:
    rule = NCARule(width=size, height=size)
    params = rule.default_params()
    state = NCAState(start(size), jax.numpy.int32(0))
    key = jax.random.PRNGKey(1)
    return steps / timed(lambda: run(rule, key, state, params, steps).x.block_until_ready())


def cax(size: int, steps: int) -> float:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_nca_train import CaxGrowingNCA
    from flax import nnx

    cs = CaxGrowingNCA(nnx.Rngs(0))
    state = start(size)
    return steps / timed(lambda: cs(state, num_steps=steps).block_until_ready())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[64, 256])
    ap.add_argument("--steps", type=int, default=100)
    a = ap.parse_args()
    print(f"Growing NCA inference, one 16-channel grid, {a.steps} steps, jax {jax.__version__}")
    for size in a.sizes:
        o, c = ours(size, a.steps), cax(size, a.steps)
        print(f"{size:4d}^2  ours {o:9.1f} steps/s   CAX {c:9.1f} steps/s   "
              f"ratio {o / c:5.2f}x (target >= 1.5x)")


if __name__ == "__main__":
    main()
