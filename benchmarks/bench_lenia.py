"""Benchmark: Lenia steps/s, ours against CAX 0.3.3's Lenia (and a plain NumPy loop), in the
same process.

One kernel: Orbium as `start: orbium` runs it (Chan's JavaScript definition: R=13, mu=0.15,
sigma=0.017, dt=0.1, exponential kernel core, Gaussian growth, one ring) on a torus, N steps
under one jitted scan; compile time is excluded and each figure is the median of 5 timed runs,
ours and CAX interleaved (the machine is shared and noisy). CAX is built as specs/anchors.md says
(one kernel r=1, b=[1], growth mean 0.15, std 0.017, R=13, T=10, state_scale=1) with its
exponential kernel core so that the two worlds are the same; the script also prints the largest
difference between the two after the timed steps (an independent check of the dynamics; float32
rounding grows over long runs of this chaotic-edge system).

Several kernels (`--multi`, issue 19 item 6): Chan's three-channel, fifteen-kernel species
`233-C53H3V` (R=20, polynomial core and growth) at each size: ours (`ExpandedLeniaRule`, all
kernels in one batched rFFT) against CAX's `Lenia` with the same model (channels, kernels,
relative radii, rings; its weights given as Chan's h divided by each channel's sum, which is
what his code does) and against the baseline stated here: the same step in plain NumPy
(float32 `numpy.fft.rfft2`/`irfft2` batched over kernels, as a reference implementation in
the style of Chan's `LeniaNDKC.py` would run it on a CPU). Ratios are ours / theirs in steps per
second.

Flow Lenia (`--flow`, `--flow-only`): `scenes/lenia/flow_one_species.yaml` at 256^2 (or
`--flow-sizes`) against the same step in plain float32 NumPy (`flow_baseline.py` states it).

Usage: python benchmarks/bench_lenia.py [--quick] [--sizes 128 512] [--multi [--multi-sizes
256 1024]] [--flow [--flow-sizes 256]]
"""

from __future__ import annotations

import argparse
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np

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
        growth_params=GrowthParams(mean=jnp.array([0.15]), std=jnp.array([0.017])))
    system = Lenia((size, size), 1, R=13, T=10, state_scale=1.0,
                   kernel_fn=get_kernel_fn(exponential_kernel_core), rule_params=rule_params)
    state = start[..., None]

    def go():
        return system(state, num_steps=steps).block_until_ready()

    return go


def multi_ours(size: int, steps: int, code: str = "233-C53H3V"):
    from alife.rules.lenia import make_rule

    rule = make_rule(width=size, height=size, start=code)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    key = jax.random.PRNGKey(1)

    def go():
        return run(rule, key, state, params, steps).cells.block_until_ready()

    return go, rule, state.cells


def multi_cax(rule, steps: int, start: jax.Array):
    from cax.cs.lenia import GrowthParams, KernelParams, Lenia, LeniaRuleParams
    from cax.cs.lenia.kernel import get_kernel_fn, polynomial_kernel_core

    ks = rule.kernels
    peaks = np.full((len(ks), max(rule.rings)), np.nan, np.float32)  # CAX counts non-NaN rings
    for i, k in enumerate(ks):
        peaks[i, :len(k["peaks"])] = k["peaks"]
    total = np.zeros(rule.channels)
    for k in ks:
        total[k["target"]] += k["weight"]
    weight = np.array([k["weight"] / total[k["target"]] for k in ks], np.float32)

    def polynomial_growth(u, g):
        return 2 * jnp.maximum(0.0, 1 - (u - g.mean) ** 2 / (9 * g.std**2)) ** 4 - 1

    def column(key):
        return jnp.asarray([k[key] for k in ks], jnp.float32)

    rule_params = LeniaRuleParams(
        channel_source=jnp.array(rule.sources), channel_target=jnp.array(rule.targets),
        weight=jnp.asarray(weight), kernel_params=KernelParams(r=column("relative"),
                                                               b=jnp.asarray(peaks)),
        growth_params=GrowthParams(mean=column("mu"), std=column("sigma")))
    system = Lenia(rule.shape, rule.channels, R=rule.radius, T=round(1 / rule.dt),
                   state_scale=1.0, kernel_fn=get_kernel_fn(polynomial_kernel_core),
                   growth_fn=polynomial_growth, rule_params=rule_params)
    state = jnp.moveaxis(start, 0, -1)

    def go():
        return jnp.moveaxis(system(state, num_steps=steps), -1, 0).block_until_ready()

    return go


def multi_numpy(rule, params, steps: int, start: jax.Array):
    """The baseline: the same step in float32 NumPy, kernels batched in one rfft2 call."""
    kernels = np.asarray(rule.kernels_fft(params), np.float32)
    sources, targets = np.asarray(rule.sources), np.asarray(rule.targets)
    mu = np.asarray(params.mu, np.float32)[:, None, None]
    sigma = np.asarray(params.sigma, np.float32)[:, None, None]
    weight = np.asarray(params.weight, np.float32)
    dt = np.float32(params.dt)
    cells0 = np.asarray(start, np.float32)

    def go():
        a = cells0.copy()
        for _ in range(steps):
            u = np.fft.irfft2(np.fft.rfft2(a)[sources] * kernels, s=a.shape[1:]).astype(np.float32)
            g = 2 * np.maximum(0, 1 - (u - mu) ** 2 / (9 * sigma**2)) ** 4 - 1
            d = np.zeros_like(a)
            for c in range(a.shape[0]):
                on = targets == c
                if on.any():
                    d[c] = np.tensordot(weight[on], g[on], axes=1) / weight[on].sum()
            a = np.clip(a + dt * d, 0, 1)
        return a

    return go


def multi(sizes: list[int], quick: bool, repeats: int) -> None:
    print("several kernels: Chan's 233-C53H3V, 3 channels, 15 kernels, R=20")
    print(f"{'size':>6} {'steps':>6} {'ours steps/s':>13} {'CAX steps/s':>12} {'ratio':>6} "
          f"{'NumPy steps/s':>14} {'ratio':>6} {'max |diff| CAX':>15}")
    for size in sizes:
        steps = max(5, int((1.6e6 if not quick else 1.6e5) / (size * size)))
        go_ours, rule, start = multi_ours(size, steps)
        params = rule.default_params()
        go_np = multi_numpy(rule, params, max(2, steps // 10), start)
        (t_np,) = timed([go_np], max(1, repeats // 2))
        np_rate = max(2, steps // 10) / t_np
        try:
            go_cax = multi_cax(rule, steps, start)
            t_ours, t_cax = timed([go_ours, go_cax], repeats)
            diff = float(jnp.max(jnp.abs(go_ours() - go_cax())))
            cax_rate, ratio, diff_text = (f"{steps / t_cax:12.1f}", f"{t_cax / t_ours:6.2f}",
                                          f"{diff:15.1e}")
        except ImportError:
            (t_ours,) = timed([go_ours], repeats)
            cax_rate, ratio, diff_text = f"{'n/a':>12}", f"{'n/a':>6}", f"{'n/a':>15}"
        ours_rate = steps / t_ours
        print(f"{size:>6} {steps:>6} {ours_rate:13.1f} {cax_rate} {ratio} {np_rate:14.2f} "
              f"{ours_rate / np_rate:6.1f} {diff_text}")
    print("ratio = ours / theirs in steps per second (higher is better for us)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[128, 512])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per figure (median)")
    parser.add_argument("--multi", action="store_true",
                        help="also time Lenia with several kernels and channels")
    parser.add_argument("--multi-sizes", type=int, nargs="+", default=[256, 1024])
    parser.add_argument("--multi-only", action="store_true", help="only the several-kernel part")
    parser.add_argument("--flow", action="store_true", help="also time Flow Lenia")
    parser.add_argument("--flow-sizes", type=int, nargs="+", default=[256])
    parser.add_argument("--flow-only", action="store_true", help="only the Flow Lenia part")
    args = parser.parse_args()
    if args.flow_only:
        from flow_baseline import flow

        flow(args.flow_sizes, args.quick, args.repeats)
        return
    if args.multi_only:
        multi(args.multi_sizes, args.quick, args.repeats)
        return
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
    if args.multi:
        multi(args.multi_sizes, args.quick, args.repeats)
    if args.flow:
        from flow_baseline import flow

        flow(args.flow_sizes, args.quick, args.repeats)


if __name__ == "__main__":
    main()
