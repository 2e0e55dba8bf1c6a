"""Benchmark: one Growing-NCA training iteration, ours against CAX 0.3.3's notebook model.

The paper's configuration: 72x72 grid (40 px target padded by 16), 16 channels, 128 hidden, batch
8 from a pool, fwd + bwd + optimiser update. CAX is built as in its notebook 40
(`benchmarks/_cax_nca.py`: depthwise ConvPerceive + NCAUpdate with 1x1 convolutions); ours is
`alife.train.nca_step.make_train_step` (pad + slice perception, matmul update, rematerialised
scan). Both run 64 steps per sample (CAX's anchor figure, ~50 s on our 2-core CI machine); ours
is also timed at the paper's uniform [64, 96) steps. Compile time is excluded; CAX's iteration is
slow, so it is timed `--cax-repeats` times (default 1) and ours the median of 3.

Usage: python benchmarks/bench_nca_train.py [--size 72] [--batch 8] [--steps 64] [--no-cax]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp

from alife.rules.nca_model import init_weights
from alife.train.nca_step import NCATrainConfig, init_pool, make_optimizer, make_train_step


def ours(size: int, batch: int, lo: int, hi: int, repeats: int) -> float:
    cfg = NCATrainConfig(height=size, width=size, batch=batch, min_steps=lo, max_steps=hi,
                         pool_size=64)
    opt = make_optimizer(cfg)
    weights = init_weights(jax.random.PRNGKey(0))
    state = [weights, opt.init(weights), init_pool(cfg)]
    target = jnp.zeros((size, size, 4)).at[16:-16, 16:-16].set(0.5)
    step = make_train_step(cfg, opt)

    def go(i: int) -> None:
        w, o, p, loss = step(*state, jax.random.PRNGKey(i), target)
        loss.block_until_ready()
        state[:] = [w, o, p]

    go(0)  # compile
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        go(i + 1)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cax(size: int, batch: int, steps: int, repeats: int) -> float:
    sys.path.insert(0, str(Path(__file__).parent))
    from _cax_nca import make_cax_training

    target = jnp.zeros((size, size, 4)).at[16:-16, 16:-16].set(0.5)
    cs, opt, pool, train_step = make_cax_training(size, batch, steps, 64, target)
    loss, pool = train_step(cs, opt, pool, jax.random.PRNGKey(0))  # compile
    loss.block_until_ready()
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        loss, pool = train_step(cs, opt, pool, jax.random.PRNGKey(i + 1))
        loss.block_until_ready()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=72)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--steps", type=int, default=64)
    ap.add_argument("--cax-repeats", type=int, default=1)
    ap.add_argument("--no-cax", action="store_true")
    a = ap.parse_args()
    print(f"Growing NCA training iteration, {a.size}x{a.size}, batch {a.batch}, "
          f"jax {jax.__version__} on {jax.devices()[0].platform}")
    t_fixed = ours(a.size, a.batch, a.steps, a.steps + 1, 3)
    print(f"ours, {a.steps} steps:          {t_fixed:8.3f} s")
    t_paper = ours(a.size, a.batch, 64, 96, 3)
    print(f"ours, steps U[64, 96):     {t_paper:8.3f} s")
    if a.no_cax:
        return
    t_cax = cax(a.size, a.batch, a.steps, a.cax_repeats)
    print(f"CAX notebook, {a.steps} steps:  {t_cax:8.3f} s")
    print(f"ratio ours/CAX at {a.steps} steps: {t_fixed / t_cax:.3f}x (target <= 0.1x)")


if __name__ == "__main__":
    main()
