"""Benchmark: dataset generation, samples/s, batched on the engine vs one sample at a time.

LifeGPT's setting: B3/S23 on a 32x32 torus, Bernoulli(0.5) starts, (state, next state) pairs
written as LifeGPT text lines. Ours: `alife.instruments.dataset.generate` (vmap over sample keys,
batches of `--batch`) + `dataset_lifegpt.to_text`. Anchor: the same samples one at a time, the
way a plain script makes them (per sample: start state, `rollout.run` one step, copy to host,
format the line). Both produce identical text (checked). Compile time is excluded; medians of 3.

Usage: python benchmarks/bench_dataset.py [--quick] [--count 8192] [--batch 1024]
"""

from __future__ import annotations

import argparse

import jax
import numpy as np
from timing import timed

from alife.core import rollout
from alife.instruments import dataset, dataset_lifegpt
from alife.rules.life import LifeRule


def one_at_a_time(rule: LifeRule, params, seed: int, n: int) -> str:
    lines = []
    for i in range(n):
        key = dataset.sample_keys(seed, i, 1)[0]
        cells = rule.random_cells(jax.random.fold_in(key, 1), 0.5)
        state = rule.with_cells(rule.init(key, params), cells)
        nxt = rollout.run(rule, key, state, params, 1)
        x = np.asarray(rule.cells(state)).astype(np.uint8)[None]
        y = np.asarray(rule.cells(nxt)).astype(np.uint8)[None]
        lines.append(dataset_lifegpt.to_text(x, y))
    return "".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int, default=8192)
    parser.add_argument("--batch", type=int, default=1024)
    args = parser.parse_args()
    count = 1024 if args.quick else args.count
    slow_count = 64 if args.quick else 256
    rule = LifeRule("B3/S23", 32, 32, "torus")
    params = rule.default_params()
    spec = dataset.Spec(count=count, batch=args.batch, density=0.5)

    def batched() -> str:
        arrays = dataset.generate(rule, params, spec, 0, count)
        return dataset_lifegpt.to_text(arrays["x"], arrays["y"])

    check = dataset_lifegpt.to_text(**{k: v[:slow_count] for k, v in
                                       dataset.generate(rule, params, spec, 0, slow_count).items()})
    assert check == one_at_a_time(rule, params, 0, slow_count), "the two paths disagree"
    ours = count / timed(batched)
    anchor = slow_count / timed(lambda: one_at_a_time(rule, params, 0, slow_count))
    print(f"LifeGPT pairs 32x32, text lines: batched {ours:.3g} samples/s ({count} samples, "
          f"batch {args.batch}); one at a time {anchor:.3g} samples/s ({slow_count} samples); "
          f"ratio {ours / anchor:.1f}x (CPU shared: figures are noisy)")


if __name__ == "__main__":
    main()
