"""Benchmark: `alife measure` throughput, rules/s, batched over params vs one rule at a time.

All 256 elementary rules (width 224, bit-packed; 256 transient + 128 measured steps; 4 random
starts, each with a damaged twin) as `alife measure --family elementary --all` runs them: one
`batch_runs` call vmapped over the rule tables (chunks of 64), then the host measures (LZ76,
zlib, lzma, entropies, damage, class). Anchor: the same runs one rule per call (batch of one),
as a loop over rules would do. Splits engine time from host-measure time. Compile time is excluded.
Finding on our 2-core CPU: vmapping over rule tables is not faster than a loop (XLA:CPU's batched
table gathers), and the engine is a small part of the table's time; the host measures dominate.

Usage: python benchmarks/bench_measure.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import jax

from alife.families import create
from alife.instruments.spacetime import batch_runs
from alife.instruments.table import _stack, measure_rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="64 rules, 16 one at a time")
    args = parser.parse_args()
    n = 64 if args.quick else 256
    single = 16 if args.quick else 32
    rule = create("elementary", rule=0, width=224, history=1, start="random")
    params = [rule.apply_rule_text(str(i), rule.default_params())[1] for i in range(n)]
    keys = jax.random.split(jax.random.PRNGKey(1), 4)
    starts = _stack([rule.with_cells(rule.init(k, params[0]), rule.random_cells(k, 0.5))
                     for k in keys])
    key = jax.random.PRNGKey(0)

    def engine(batch: list, chunk: int) -> float:
        t0 = time.perf_counter()
        batch_runs(rule, key, starts, _stack(batch), 128, 256, chunk=chunk)
        return time.perf_counter() - t0

    engine(params[:64], 64)  # compile both shapes first
    engine(params[:1], 1)
    batched = engine(params, 64)
    one = sum(engine([p], 1) for p in params[:single])
    t0 = time.perf_counter()
    measure_rules("elementary", [str(i) for i in range(n)],
                  {"width": 224, "history": 1, "start": "random"})
    whole = time.perf_counter() - t0
    print(f"engine, {n} rules batched: {n / batched:.3g} rules/s; one at a time: "
          f"{single / one:.3g} rules/s; ratio {(n / batched) / (single / one):.1f}x")
    print(f"whole table (engine + host measures, compile cached): {whole:.1f} s, "
          f"{n / whole:.3g} rules/s (CPU shared: figures are noisy)")


if __name__ == "__main__":
    main()
