"""Flow Lenia timing for `bench_lenia.py --flow`: ours (`FlowLeniaRule`, one jitted scan) against
the baseline stated here, the same step in plain float32 NumPy.

The baseline does what ours does, vectorised the way one would write it in NumPy: potentials by
one batched `rfft2`/`irfft2` over the kernels, the Gaussian growth times h summed into each
channel's affinity, Sobel gradients by `np.roll`, alpha, and reintegration tracking as a scatter
of each cell's 3 x 3 shares with `np.bincount` (the fastest NumPy scatter-add); the reference
code's gather over a (2 reach + 1)^2 window would be 13x more work per cell. It leaves out
ours' one rounding fix (the largest share takes what the others leave), which changes only
the last bits. One species (no parameter map), the world of
`scenes/lenia/flow_one_species.yaml` at each size. Figures per wall second and per CPU second
of the process (both timed interleaved, ours then NumPy, median of `--repeats`).
"""

from __future__ import annotations

import statistics
import time

import jax
import numpy as np

from alife.core.rollout import run
from alife.rules.lenia import FlowLeniaRule
from alife.scene.io import load_scene


def world(size: int) -> tuple[FlowLeniaRule, object, object]:
    scene = load_scene("scenes/lenia/flow_one_species.yaml",
                       [f"rule.config.width={size}", f"rule.config.height={size}"])
    return scene.rule, scene.params, scene.state


def ours(rule, params, state, steps: int):
    key = jax.random.PRNGKey(0)
    run(rule, key, state, params, steps)  # compile

    def go():
        return run(rule, key, state, params, steps).cells.block_until_ready()

    return go


def _sobel(a: np.ndarray) -> np.ndarray:
    def at(dy: int, dx: int) -> np.ndarray:
        return np.roll(a, (-dy, -dx), axis=(-2, -1))

    rows = at(1, -1) + 2 * at(1, 0) + at(1, 1) - at(-1, -1) - 2 * at(-1, 0) - at(-1, 1)
    cols = at(-1, 1) + 2 * at(0, 1) + at(1, 1) - at(-1, -1) - 2 * at(0, -1) - at(1, -1)
    return np.stack([rows, cols], axis=1)


def _shares(d: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
    first = np.floor(d - s + 0.5)
    edges = first[None] + np.arange(3, dtype=np.float32).reshape((3,) + (1,) * d.ndim)
    overlap = np.clip(np.minimum(edges + 0.5, d + s) - np.maximum(edges - 0.5, d - s), 0, None)
    return first.astype(np.int64), (overlap / overlap.sum(axis=0)).astype(np.float32)


def numpy_step(rule, params, steps: int, start: np.ndarray):
    """The baseline: `steps` Flow Lenia steps in float32 NumPy (module docstring)."""
    kernels = np.asarray(rule.kernels_fft(params), np.float32)
    sources, targets = np.asarray(rule.sources), np.asarray(rule.targets)
    mu = np.asarray(params.mu[0], np.float32)[:, None, None]
    sigma = np.asarray(params.sigma[0], np.float32)[:, None, None]
    weight = np.asarray(params.weight[0], np.float32)[:, None, None]
    theta, n = float(params.theta), float(params.exponent)
    dt, s = np.float32(params.dt), float(params.spread)
    limit = max(float(params.reach) - s, 0.0)
    c, h, w = start.shape
    rows = np.arange(h)[:, None]
    cols = np.arange(w)[None, :]
    plane = (np.arange(c) * h * w)[:, None, None]

    def go():
        a = start.astype(np.float32).copy()
        for _ in range(steps):
            u = np.fft.irfft2(np.fft.rfft2(a)[sources] * kernels, s=(h, w)).astype(np.float32)
            g = weight * (2 * np.exp(-((u - mu) ** 2) / (2 * sigma**2)) - 1)
            affinity = np.stack([g[targets == k].sum(axis=0) for k in range(c)])
            total = a.sum(axis=0)
            alpha = np.clip((total / theta) ** n, 0, 1)[None, None]
            f = (1 - alpha) * _sobel(affinity) - alpha * _sobel(total[None])
            d = np.clip(dt * f, -limit, limit)
            fy, wy = _shares(d[:, 0], s)
            fx, wx = _shares(d[:, 1], s)
            new = np.zeros(c * h * w, np.float32)
            for i in range(3):
                for j in range(3):
                    dest = ((rows + fy + i) % h) * w + (cols + fx + j) % w + plane
                    new += np.bincount(dest.ravel(), (a * wy[i] * wx[j]).ravel(),
                                       minlength=c * h * w).astype(np.float32)
            a = new.reshape(c, h, w)
        return a

    return go


def timed_both(fns: list, repeats: int) -> list[tuple[float, float]]:
    """(median wall seconds, median CPU seconds of this process) of each `fn()`, interleaved,
    the first call of each (the compile) not timed. CPU seconds count every thread, so they
    compare work done on a machine shared with other jobs better than wall time does."""
    for fn in fns:
        fn()
    wall: list[list[float]] = [[] for _ in fns]
    cpu: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall[i].append(time.perf_counter() - w0)
            cpu[i].append(time.process_time() - c0)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu, strict=True)]


def flow(sizes: list[int], quick: bool, repeats: int) -> None:
    print("Flow Lenia: scenes/lenia/flow_one_species.yaml at each size (one species, 3 kernels)")
    print(f"{'size':>6} {'steps':>6} {'ours steps/s':>13} {'NumPy steps/s':>14} {'ratio':>6} "
          f"{'ours /CPU s':>12} {'NumPy /CPU s':>13} {'ratio':>6} {'mass drift':>11}")
    for size in sizes:
        rule, params, state = world(size)
        steps = max(5, int((6.4e6 if not quick else 6.4e5) / (size * size)))
        go_ours = ours(rule, params, state, steps)
        np_steps = max(2, steps // 10)
        go_np = numpy_step(rule, params, np_steps, np.asarray(state.cells))
        (w_ours, c_ours), (w_np, c_np) = timed_both([go_ours, go_np], repeats)
        final = np.asarray(go_ours(), np.float64)
        drift = abs(final.sum() / np.asarray(state.cells, np.float64).sum() - 1)
        rates = (steps / w_ours, np_steps / w_np, steps / c_ours, np_steps / c_np)
        print(f"{size:>6} {steps:>6} {rates[0]:13.1f} {rates[1]:14.2f} {rates[0] / rates[1]:6.1f} "
              f"{rates[2]:12.1f} {rates[3]:13.2f} {rates[2] / rates[3]:6.1f} {drift:11.1e}")
    print("steps/s per wall second and per CPU second of this process; ratio = ours / NumPy; "
          "mass drift = |total mass change| / mass after the timed steps")
