"""Benchmark: Lenia Orbium steps/s, ours against CAX 0.3.3's Lenia, in the same process.

Both run the same world (Orbium, R=13, mu=0.15, sigma=0.015, dt=0.1, exponential kernel core, one
ring) on a torus, N steps under one jitted scan; compile time is excluded and each figure is the
median of 5 timed runs, ours and CAX interleaved (the machine is shared and noisy). CAX is built
as specs/anchors.md says (one kernel r=1, b=[1], growth mean 0.15, std 0.015, R=13, T=10,
state_scale=1) with its exponential kernel core so that the two worlds are the same; the script
also prints the largest difference between the two after the timed steps (an independent check
of the dynamics; float32 rounding grows over long runs of this chaotic-edge system).

Usage: python benchmarks/bench_lenia.py [--quick] [--sizes 128 512]
"""

from __future__ import annotations

import argparse
import statistics
import time

import jax
import jax.numpy as jnp

from alife.core.rollout import run
from alife.rules.lenia import LeniaRule


def timed(fns: list, repeats: int = 3) -> list[float]:
    """Median seconds of each `fn()` (each blocks until its result is ready).

    The functions run interleaved (a, b, a, b, ...) so that load from other processes on a
    shared machine hits both alike; the first call of each (the compile) is not timed.
    """
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, out in zip(fns, times, strict=True):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def ours(size: int, steps: int):
    rule = LeniaRule(width=size, height=size, start="orbium")
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    key = jax.random.PRNGKey(1)

    def go():
        return run(rule, key, state, params, steps).cells.block_until_ready()

    return go, state.cells


def cax(size: int, steps: int, start: jax.Array):
    from cax.cs.lenia import GrowthParams, KernelParams, Lenia, LeniaRuleParams
    from cax.cs.lenia.kernel import exponential_kernel_core, get_kernel_fn

    rule_params = LeniaRuleParams(
        channel_source=jnp.array([0]), channel_target=jnp.array([0]), weight=jnp.array([1.0]),
        kernel_params=KernelParams(r=jnp.array([1.0]), b=jnp.array([[1.0]])),
        growth_params=GrowthParams(mean=jnp.array([0.15]), std=jnp.array([0.015])))
    system = Lenia((size, size), 1, R=13, T=10, state_scale=1.0,
                   kernel_fn=get_kernel_fn(exponential_kernel_core), rule_params=rule_params)
    state = start[..., None]

    def go():
        return system(state, num_steps=steps).block_until_ready()

    return go


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[128, 512])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per figure (median)")
    args = parser.parse_args()
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}; Orbium R=13, torus")
    print(f"{'size':>6} {'steps':>6} {'ours steps/s':>13} {'CAX steps/s':>12} {'ratio':>6} "
          f"{'ours cells/s':>13} {'max |diff|':>10}")
    for size in args.sizes:
        steps = max(10, int((2.56e7 if not args.quick else 2.56e6) / (size * size)))
        go_ours, start = ours(size, steps)
        try:
            go_cax = cax(size, steps, start)
            t_ours, t_cax = timed([go_ours, go_cax], args.repeats)
            diff = float(jnp.max(jnp.abs(go_ours() - go_cax()[..., 0])))
            cax_rate, ratio = f"{steps / t_cax:12.0f}", f"{t_cax / t_ours:6.2f}"
            diff_text = f"{diff:10.1e}"
        except ImportError:
            (t_ours,) = timed([go_ours], args.repeats)
            cax_rate, ratio, diff_text = f"{'n/a':>12}", f"{'n/a':>6}", f"{'n/a':>10}"
        print(f"{size:>6} {steps:>6} {steps / t_ours:13.0f} {cax_rate} {ratio} "
              f"{steps * size * size / t_ours:13.2e} {diff_text}")
    print("ratio = ours / CAX in steps per second (higher is better for us)")


if __name__ == "__main__":
    main()
