"""Benchmark: elementary CA cell updates per second, ours against CAX 0.3.3's `Elementary`.

Rule 110 on a periodic row of 2^20 cells from a random start (density 0.5). Ours goes through
the public path (`ElementaryRule` + `alife.core.rollout.run`; the bit-packed kernel is picked
by itself, and every step also writes its row into the space-time history ring, here
`--history` rows deep); CAX as specs/anchors.md says (`Elementary(wolfram_code=...)` on a
float32 (W, 1) state, `num_steps=n`). Compile time is excluded; median of 3 timed runs. The
script checks that both reach the same row after the CAX steps. Target: >= 1000x.

Usage: python benchmarks/bench_elementary.py [--quick] [--log2-width 20] [--rule 110]
"""

from __future__ import annotations

import argparse

import jax
import jax.numpy as jnp
import numpy as np
from timing import timed

from alife.core.rollout import run
from alife.rules.elementary import ElementaryRule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    parser.add_argument("--log2-width", type=int, default=20)
    parser.add_argument("--rule", type=int, default=110)
    parser.add_argument("--history", type=int, default=64)
    args = parser.parse_args()
    width = 1 << args.log2_width
    ours_steps = max(10, int((2e10 if not args.quick else 2e9) / width))
    cax_steps = max(2, int((1e8 if not args.quick else 5e7) / width / 10))

    rule = ElementaryRule(rule=args.rule, width=width, start="random", history=args.history)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    key = jax.random.PRNGKey(1)

    def go_ours(n: int = ours_steps):
        return jax.block_until_ready(run(rule, key, state, params, n))

    print(f"jax {jax.__version__} on {jax.devices()[0].platform}; rule {args.rule}, {width} "
          f"cells, periodic, history {args.history}; ours {ours_steps} steps, CAX {cax_steps}")
    t_ours = timed(go_ours)
    rate = ours_steps * width / t_ours
    print(f"ours (packed={rule.packed}): {rate:.2e} cell updates/s")
    try:
        from cax.cs.elementary import Elementary
        from flax import nnx
    except ImportError:
        print("CAX not installed: no anchor, no ratio")
        return
    system = Elementary(wolfram_code=Elementary.wolfram_code_from_rule_number(args.rule),
                        rngs=nnx.Rngs(0))
    start = rule.cells(state)[-1].astype(jnp.float32)[:, None]

    def go_cax():
        return system(start, num_steps=cax_steps).block_until_ready()

    t_cax = timed(go_cax)
    cax_rate = cax_steps * width / t_cax
    ours_row = np.asarray(rule.cells(go_ours(cax_steps))[-1])
    same = np.array_equal(ours_row, np.asarray(go_cax())[:, 0] > 0.5)
    print(f"CAX Elementary: {cax_rate:.2e} cell updates/s")
    print(f"ratio ours / CAX: {rate / cax_rate:.0f}x (target >= 1000x); same row after "
          f"{cax_steps} steps: {same}")


if __name__ == "__main__":
    main()
