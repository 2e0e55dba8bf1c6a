"""Measurement: how often the touching-loops scene forms loops, over many seeds.

Each seed is the shipped scene (`scenes/templates/touching_loops.yaml`: 20x20, zero border,
noise 0.05, a 50% soup) with its `seed:` replaced, stepped with the engine's own key rule
(`rollout.step_key`), so seed S here is what `alife run SCENE --set seed=S` runs. All seeds run
at once (vmapped), `--chunk` steps per jitted call. Per step we follow the paper's loop
definition (Hoffmann 2024: every path cell has exactly two orthogonal path neighbours, at least
one path cell); at the end of each chunk, whether every cell matches a template
(`unsatisfied == 0`: the fixed point, where the loops cover the grid and nothing changes again).

Per seed it prints: `fixed` (the step the final, stable loop pattern was reached, or `-`),
`first` (the first step with a loop pattern), `broke` (loop patterns that formed and broke again
because some 0-cell was left uncovered), and the end state (unsatisfied cells, path cells). Then
the rate: seeds that reached the fixed point within `--steps`.

Usage: python benchmarks/templates_convergence.py [--seeds 24] [--first 0 | --list 5,16]
       [--steps 20000] [--chunk 500] [--set rule.config.noise=0.05 ...] [--scene PATH] [--show]
       [--quick]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.rollout import step_key
from alife.rules.templates.rule import orthogonal_neighbours
from alife.scene.io import load_scene

SCENE = Path(__file__).resolve().parents[1] / "scenes" / "templates" / "touching_loops.yaml"


def worlds(scene: Path, seeds: list[int], overrides: list[str]):
    """The scene once per seed: (rule, params, stacked states, stacked run keys)."""
    ws = [load_scene(scene, [*overrides, f"seed={s}"]) for s in seeds]
    stack = jax.tree_util.tree_map(lambda *xs: jnp.stack(xs), *[w.state for w in ws])
    keys = jnp.stack([w.key for w in ws])
    return ws[0].rule, ws[0].params, stack, keys


def make_chunk(rule, params, steps: int):
    """A jitted chunk of `steps` steps over a batch, tracking loop episodes step by step."""

    def is_loop(cells):
        path = cells == 1
        return jnp.any(path) & ~jnp.any(path & (orthogonal_neighbours(cells) != 2))

    def one(key, state, track):
        def body(_, carry):
            s, (first, since, broke) = carry
            s = rule.step(step_key(key, s.generation), s, params)
            loop, g = is_loop(s.cells), s.generation
            first = jnp.where(loop & (first < 0), g, first)
            broke = broke + (~loop & (since >= 0)).astype(jnp.int32)
            since = jnp.where(loop, jnp.where(since < 0, g, since), -1)
            return s, (first, since, broke)

        s, track = jax.lax.fori_loop(0, steps, body, (state, track))
        unsat = jnp.sum(rule.unsatisfied(s.cells, params)).astype(jnp.int32)
        return s, track, unsat

    return jax.jit(jax.vmap(one))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", type=Path, default=SCENE)
    parser.add_argument("--seeds", type=int, default=24)
    parser.add_argument("--first", type=int, default=0, help="the first seed")
    parser.add_argument("--list", help="these seeds instead, e.g. 5,16,46")
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="scene overrides, e.g. rule.config.noise=0.1")
    parser.add_argument("--show", action="store_true",
                        help="print the end grid of each seed that did not converge")
    parser.add_argument("--quick", action="store_true", help="4 seeds, 1,000 steps")
    args = parser.parse_args()
    if args.quick:
        args.seeds, args.steps, args.chunk = 4, 1_000, 250
    seeds = ([int(s) for s in args.list.split(",")] if args.list
             else list(range(args.first, args.first + args.seeds)))
    rule, params, states, keys = worlds(args.scene, seeds, args.set)
    print(f"{args.scene.name} {' '.join(args.set)}: {rule.describe()}, noise "
          f"{float(params.noise):.3g}, {len(seeds)} seeds x {args.steps:,} steps "
          f"({jax.default_backend()})", flush=True)
    chunk = make_chunk(rule, params, args.chunk)
    n = len(seeds)
    track = (jnp.full(n, -1, jnp.int32), jnp.full(n, -1, jnp.int32), jnp.zeros(n, jnp.int32))
    fixed = np.full(n, -1)
    t0 = time.perf_counter()
    done = 0
    while done < args.steps:
        states, track, unsat = chunk(keys, states, track)
        done += args.chunk
        unsat, since = np.asarray(unsat), np.asarray(track[1])
        newly = (unsat == 0) & (fixed < 0)
        fixed[newly] = since[newly]  # a fixed point holds a loop pattern since it formed
        if fixed.min() >= 0:
            break
    seconds = time.perf_counter() - t0
    first, _, broke = (np.asarray(a) for a in track)
    cells = np.asarray(states.cells)
    print(f"{'seed':>5} {'fixed':>7} {'first':>7} {'broke':>6} {'unsat':>6} {'path':>5}")
    for i, s in enumerate(seeds):
        print(f"{s:>5} {fixed[i] if fixed[i] >= 0 else '-':>7} "
              f"{first[i] if first[i] >= 0 else '-':>7} {broke[i]:>6} {unsat[i]:>6} "
              f"{int(cells[i].sum()):>5}")
    ok = fixed >= 0
    if args.show:
        for i in np.flatnonzero(~ok):
            bad = np.asarray(rule.unsatisfied(jnp.asarray(cells[i]), params)) > 0
            print(f"seed {seeds[i]} ('#' path, '.' empty, 'X'/'o' unmatched path/empty):")
            for row, brow in zip(cells[i], bad, strict=True):
                print("  " + "".join("Xo"[1 - c] if b else "#."[1 - c]
                                     for c, b in zip(row, brow, strict=True)))
    times = np.sort(fixed[ok])
    median = f", median {int(np.median(times)):,} steps" if ok.any() else ""
    print(f"converged (every cell matched) within {done:,} steps: {int(ok.sum())} of {n} "
          f"({ok.mean():.0%}){median}; seeds that formed loops and broke them again: "
          f"{int((broke > 0).sum())}; {seconds:.0f} s")


if __name__ == "__main__":
    main()
