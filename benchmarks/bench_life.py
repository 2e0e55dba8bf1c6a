"""Benchmark: Life-like cell updates per second, ours against CAX 0.3.3's `Life`, same process.

Both run the same random soup (density 0.3) on a 1024x1024 torus: ours through the public path
(`LifeRule` + `alife.core.rollout.run`, which picks the bit-packed kernel by itself), CAX as
specs/anchors.md says (`Life(birth, survival)` on a float32 (H, W, 1) state, `num_steps=n`).
Each rule runs N steps under one jitted scan; compile time is excluded and each figure is the
median of 3 timed runs. The script also checks that both reach the same grid after the CAX
steps (an independent check of the dynamics). Targets: >= 300x for B3/S23, >= 100x for others.

Usage: python benchmarks/bench_life.py [--quick] [--size 1024] [--rules B3/S23 B36/S23]
"""

from __future__ import annotations

import argparse

import jax
import numpy as np
from timing import timed

from alife.core.rollout import run
from alife.rules.life import LifeRule


def ours(text: str, size: int, steps: int):
    rule = LifeRule(text, width=size, height=size, topology="torus", density=0.3)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    key = jax.random.PRNGKey(1)

    def go(n: int = steps):
        final = run(rule, key, state, params, n)
        return jax.block_until_ready(final)

    return rule, go, np.asarray(rule.cells(state))


def cax(text: str, start: np.ndarray, steps: int):
    from cax.cs.life import Life
    from flax import nnx

    birth, survival = Life.birth_survival_from_string(text)
    system = Life(birth=birth, survival=survival, rngs=nnx.Rngs(0))
    state = jax.numpy.asarray(start, jax.numpy.float32)[..., None]

    def go():
        return system(state, num_steps=steps).block_until_ready()

    return go


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--rules", nargs="+", default=["B3/S23", "B36/S23"])
    args = parser.parse_args()
    size = args.size
    cells = size * size
    ours_steps = max(10, int((1e10 if not args.quick else 1e9) / cells))
    cax_steps = max(2, int((5e8 if not args.quick else 1e8) / cells / 10))
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}; {size}x{size} torus, "
          f"soup density 0.3; ours {ours_steps} steps, CAX {cax_steps} steps per timing")
    print(f"{'rule':>10} {'packed':>6} {'ours cells/s':>13} {'CAX cells/s':>12} {'ratio':>7} "
          f"{'same grid':>9}")
    for text in args.rules:
        rule, go_ours, start = ours(text, size, ours_steps)
        t_ours = timed(go_ours)
        rate = ours_steps * cells / t_ours
        try:
            go_cax = cax(text, start, cax_steps)
            t_cax = timed(go_cax)
            cax_rate = cax_steps * cells / t_cax
            same = np.array_equal(np.asarray(rule.cells(go_ours(cax_steps))),
                                  np.asarray(go_cax())[..., 0] > 0.5)
            cax_text, ratio, same_text = f"{cax_rate:12.2e}", f"{rate / cax_rate:7.0f}", str(same)
        except ImportError:
            cax_text, ratio, same_text = f"{'n/a':>12}", f"{'n/a':>7}", "n/a"
        print(f"{text:>10} {str(rule.packed):>6} {rate:13.2e} {cax_text} {ratio} "
              f"{same_text:>9}")
    print("ratio = ours / CAX in cell updates per second (targets: >= 300 for B3/S23, "
          ">= 100 for other B/S rules)")


if __name__ == "__main__":
    main()
