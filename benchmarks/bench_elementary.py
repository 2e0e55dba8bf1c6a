"""Benchmark: elementary CA cell updates per second, ours against CAX 0.3.3's `Elementary`.

Rule 110 on a periodic row of 2^20 cells from a random start (density 0.5). Ours goes through
the public path (`ElementaryRule` + `alife.core.rollout.run`; the bit-packed kernel is picked
by itself, and every step also writes its row into the space-time history ring, here
`--history` rows deep); CAX as specs/anchors.md says (`Elementary(wolfram_code=...)` on a
float32 (W, 1) state, `num_steps=n`). Compile time is excluded; median of 3 timed runs. The
script checks that both reach the same row after the CAX steps. Targets: >= 1000x, and >= 1e11
cell updates per CPU-second (issue 20; ours is printed per wall and per CPU-second, the load
average beside it). `--loop` also times the rule stepped once per loop iteration (`rule.step`
in a `fori_loop`: the engine's path before `FastAdvance`), for a before/after in one run.

Usage: python benchmarks/bench_elementary.py [--quick] [--log2-width 20] [--rule 110] [--loop]
"""

from __future__ import annotations

import argparse
import os
import statistics

import jax
import jax.numpy as jnp
import numpy as np
from timing import timed, wall_and_cpu

from alife.core.rollout import run
from alife.rules.elementary import ElementaryRule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    parser.add_argument("--log2-width", type=int, default=20)
    parser.add_argument("--rule", type=int, default=110)
    parser.add_argument("--history", type=int, default=64)
    parser.add_argument("--loop", action="store_true", help="also time the one-step loop")
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
    go_ours()  # compile
    loop = jax.jit(lambda s, n: jax.lax.fori_loop(0, n, lambda _, x: rule.step(key, x, params),
                                                  s))
    if args.loop:
        jax.block_until_ready(loop(state, ours_steps))  # compile
    runs: dict[str, list] = {"ours": [], "loop": []}
    for _ in range(3):  # alternated, medians
        runs["ours"].append(wall_and_cpu(go_ours))
        if args.loop:
            runs["loop"].append(wall_and_cpu(
                lambda: jax.block_until_ready(loop(state, ours_steps))))
    for name, label in (("ours", f"ours (packed={rule.packed})"), ("loop", "one-step loop")):
        if runs[name]:
            wall = statistics.median(r[0] for r in runs[name])
            cpu = statistics.median(r[1] for r in runs[name])
            print(f"{label}: {ours_steps * width / wall:.2e} cell updates/s, "
                  f"{ours_steps * width / cpu:.2e} per CPU-second")
    print(f"load average {os.getloadavg()[0]:.2f}")
    rate = ours_steps * width / statistics.median(r[0] for r in runs["ours"])
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
