"""Benchmark: seconds from loading a Life scene to its first step being done, compile included.

Each measurement runs in a fresh Python process (nothing compiled or cached; JAX's persistent
compilation cache is switched off), which imports alife, loads `scenes/life/gosper_glider_gun.yaml`
through the scene loader (`alife.scene.io.load_scene`), jits `rule.step`, runs one step and
blocks until it is ready, then also computes the first `view` (what the app draws). It prints the
import time separately: the app pays it once at start-up, before any scene. Target: load + first
step under 2 s. If the scene loader is missing, the rule is built directly (and the script says
so). Median of 3 fresh processes (1 with --quick).

Usage: python benchmarks/bench_first_step.py [--quick] [--scene scenes/life/gosper_glider_gun.yaml]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import jax
import alife.families  # noqa: F401
t1 = time.perf_counter()
scene = sys.argv[1]
try:
    from alife.scene.io import load_scene
    world = load_scene(scene)
    rule, params, state, how = world.rule, world.params, world.state, "load_scene"
except ImportError:
    from alife.rules.life import LifeRule
    rule = LifeRule("B3/S23", width=128, height=96, topology="plane", density=0.3)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    how = "LifeRule directly (no scene loader)"
jax.block_until_ready(state)
t2 = time.perf_counter()
step = jax.jit(rule.step)
state = jax.block_until_ready(step(jax.random.PRNGKey(1), state, params))
t3 = time.perf_counter()
view = jax.block_until_ready(jax.jit(rule.view)(state, params))
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "step": t3 - t2, "view": t4 - t3,
                  "how": how, "packed": bool(getattr(rule, "packed", False)),
                  "rule": rule.describe()}))
"""


def measure(scene: str) -> dict:
    env = dict(os.environ, JAX_ENABLE_COMPILATION_CACHE="false")
    out = subprocess.run([sys.executable, "-c", CHILD, scene], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one process instead of three")
    parser.add_argument("--scene", default="scenes/life/gosper_glider_gun.yaml")
    args = parser.parse_args()
    runs = [measure(args.scene) for _ in range(1 if args.quick else 3)]
    first = runs[0]
    print(f"scene {args.scene} via {first['how']}: {first['rule']} (packed={first['packed']})")

    def med(*keys: str) -> float:
        return statistics.median(sum(r[k] for k in keys) for r in runs)

    print(f"import jax + alife: {med('import'):.2f} s (once per app start)")
    print(f"load scene: {med('load'):.2f} s; first jitted step incl. compile: {med('step'):.2f} s;"
          f" first view: {med('view'):.2f} s")
    total = med("load", "step")
    print(f"load + first step: {total:.2f} s (target < 2 s: {'met' if total < 2 else 'MISSED'}); "
          f"+ first view: {med('load', 'step', 'view'):.2f} s; from a cold process: "
          f"{med('import', 'load', 'step', 'view'):.2f} s ({len(runs)} fresh processes, median)")


if __name__ == "__main__":
    main()
