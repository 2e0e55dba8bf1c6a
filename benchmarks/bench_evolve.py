"""Benchmark: evolution's population evaluation, strategy overhead, device scaling, and ES vs
gradients for a small Growing NCA.

1. Population evaluation, world-steps/s: Lenia 128^2 x 64 candidates x 200 steps (the
   `lenia_mover` task), ours (`EvolutionRunner.evaluate`: sharded `shard_map` + `lax.map` over
   vmapped chunks of `runner.micro` candidates) vs the anchor, a Python loop over candidates
   calling the same jitted single-candidate evaluation, timed in alternation, as wall time and
   as CPU time (the load of a shared machine moves the first far more than the second); the
   same at 32^2 (R=6), where batching pays on a CPU, and for Biomaker Petri dishes (36x72,
   8 x 100 steps). Each line says the load average before and after and the largest difference
   between the two paths' fitness values.
2. Strategy overhead: one jitted `ask` + `tell` per strategy at population 64, for 4 genes (Lenia
   sliders) and 1,064 (the small NCA), against one population evaluation.
3. Scaling: the Lenia evaluation in subprocesses with 1, 2 and 4 forced host devices
   (`--xla_force_host_platform_device_count`; on 2 cores, more than 2 devices cannot help).
4. `--nca SECONDS`: the shipped `scenes/evolve/nca_es.yaml` task (8 channels, 32 hidden, 24^2
   grid, 14 px lizard) trained for the same wall time by PGPE and by the gradient trainer
   (`alife.rules.nca.training`, growing experiment, batch 8, Adam 2e-3); both scored by the task's
   fitness (RGBA MSE after 48 steps from the seed).

Compile time is excluded (one untimed call); figures are medians of `--repeats` (default 5).
The machine is shared and noisy: compare ratios from one run.

Usage: python benchmarks/bench_evolve.py [--quick] [--repeats 5] [--nca 120] [--no-scaling]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _runner(scene: str, overrides: list[str]):
    from alife.evolve.runner import EvolutionRunner
    from alife.scene.io import load_scene

    return EvolutionRunner(load_scene(ROOT / scene, overrides))


def population(scene: str, overrides: list[str], repeats: int) -> dict[str, float]:
    """World-steps/s of one population evaluation: ours vs a Python loop over candidates.

    The two are timed in alternation (loop first in even rounds, ours first in odd ones), so a
    change in the machine's load hits both; medians of wall time and of this process's CPU time
    (user + system, all threads), with the 1-minute load average before and after."""
    import statistics

    import jax
    import numpy as np

    r = _runner(scene, overrides)
    s = r.strategy
    if r.es_state is not None:
        pop, _ = s.es.ask(jax.random.PRNGKey(1), r.es_state, s.params)
    else:  # a GA: its first population, as `iterate` builds it
        noise = jax.random.normal(jax.random.PRNGKey(1), (r.population, r.start_vector.size))
        pop = r.start_vector + s.std_init * np.asarray(noise)
    vectors, key = np.asarray(pop), r.eval_key(0)
    single = jax.jit(lambda v, k: r.task.evaluate_one(v, k, r.world.params, r.world.state))
    keys = [r.task.candidate_key(key, i) for i in range(len(vectors))]

    def loop() -> np.ndarray:
        return np.asarray(jax.block_until_ready([single(v, k) for v, k in
                                                 zip(vectors, keys, strict=True)]))

    def ours() -> np.ndarray:
        return r.evaluate(vectors, key)

    same = float(np.max(np.abs(ours() - loop())))  # also the compiles
    load0 = os.getloadavg()[0]
    wall: dict[str, list[float]] = {"ours": [], "loop": []}
    cpu: dict[str, list[float]] = {"ours": [], "loop": []}
    for i in range(repeats):
        order = (("loop", loop), ("ours", ours)) if i % 2 == 0 else \
            (("ours", ours), ("loop", loop))
        for name, fn in order:
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
    steps = len(vectors) * r.task.steps
    med = statistics.median
    return {"ours": steps / med(wall["ours"]), "anchor": steps / med(wall["loop"]),
            "ours_cpu": steps / med(cpu["ours"]), "anchor_cpu": steps / med(cpu["loop"]),
            "eval_s": med(wall["ours"]), "devices": jax.device_count(), "micro": r.micro,
            "max_diff": same, "load": (load0, os.getloadavg()[0])}


def report(name: str, res: dict[str, float]) -> None:
    print(f"{name}, world-steps/s (medians, alternating; micro-batch {res['micro']}; load "
          f"{res['load'][0]:.1f} -> {res['load'][1]:.1f} on {os.cpu_count()} cores):")
    print(f"  wall: ours {res['ours']:.4g}, Python loop over candidates {res['anchor']:.4g}, "
          f"ratio {res['ours'] / res['anchor']:.2f}x (one evaluation {res['eval_s']:.2f} s)")
    print(f"  per CPU-second: ours {res['ours_cpu']:.4g}, loop {res['anchor_cpu']:.4g}, ratio "
          f"{res['ours_cpu'] / res['anchor_cpu']:.2f}x; largest fitness difference "
          f"{res['max_diff']:.3g}")


def overhead(repeats: int) -> None:
    """Milliseconds of one jitted ask + tell per strategy."""
    import jax
    import jax.numpy as jnp
    from timing import timed

    from alife.evolve.strategies import make_strategy

    print("strategy overhead (ask + tell, population 64), ms:")
    for dim, kind in ((4, "sliders"), (1064, "weights")):
        row = []
        for name in ("pgpe", "openes", "cma_es", "snes", "ga"):
            s = make_strategy(name, 64, dim, kind, {})
            key = jax.random.PRNGKey(0)
            if s.population_based:
                state = s.es.init(key, jnp.zeros((64, dim)), jnp.zeros(64), s.params)
            else:
                state = s.es.init(key, jnp.zeros(dim), s.params)
            fit = jnp.arange(64, dtype=jnp.float32)

            def once(state=state, s=s, key=key, fit=fit) -> None:
                pop, st = s.es.ask(key, state, s.params)
                st, _ = s.es.tell(key, pop, fit, st, s.params)
                jax.block_until_ready(st)

            row.append(f"{s.name} {1e3 * timed(once, repeats):.2f}")
        print(f"  {dim:5d} genes: " + ", ".join(row))


def scaling(quick: bool) -> None:
    print("scaling with forced host devices (Lenia population evaluation):")
    for n in (1, 2, 4):
        env = {**os.environ, "XLA_FLAGS": f"--xla_force_host_platform_device_count={n}"}
        cmd = [sys.executable, __file__, "--only-population", "--repeats", "1"] + \
            (["--quick"] if quick else [])
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT / "benchmarks",
                             timeout=1800)
        line = [x for x in out.stdout.splitlines() if x.startswith("{")]
        if out.returncode or not line:
            print(f"  {n} devices: failed\n{out.stderr[-2000:]}")
            continue
        res = json.loads(line[-1])
        print(f"  {res['devices']} devices: {res['ours']:.4g} world-steps/s")


def nca(seconds: float) -> None:
    """ES vs the gradient trainer on the small NCA task, equal wall time, the task's fitness."""
    import jax

    from alife.rules.nca.training import trainer_from_world
    from alife.scene.io import load_scene

    r = _runner("scenes/evolve/nca_es.yaml", [])
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        r.iterate()
    es_gens = r.step
    world = load_scene(ROOT / "scenes/evolve/nca_es.yaml")
    block = {"experiment": "growing", "target": r.settings["target"], "target_size": 14,
             "padding": 5, "batch": 8, "pool_size": 8, "steps": [48, 49], "lr": 2e-3,
             "iterations": 10**6}
    g = trainer_from_world(world, settings=block)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        g.iterate()
    score = jax.jit(lambda v, k: r.task.evaluate_one(v, k))
    keys = [jax.random.PRNGKey(i) for i in range(8)]

    def mse(params) -> float:
        vec = r.task.genome.encode(params)
        return -sum(float(score(vec, k)) for k in keys) / len(keys)

    start = mse(world.params)
    print(f"NCA 24^2, 14 px lizard, {seconds:g} s each (MSE after 48 steps, mean of 8 keys; "
          f"untrained {start:.4f}):")
    print(f"  PGPE x {r.population}: {es_gens} generations, MSE {mse(r.params()):.4f}")
    print(f"  gradient (Adam, batch 8): {g.step} iterations, MSE {mse(g.params()):.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="32^2 Lenia, 16 x 50 steps")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--nca", type=float, default=0.0, metavar="SECONDS")
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--only-population", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    size, pop, steps = (64, 16, 50) if args.quick else (128, 64, 200)
    lenia = [f"rule.config.width={size}", f"rule.config.height={size}",
             f"evolution.population={pop}", f"evolution.steps={steps}",
             "evolution.record_every=10"]
    if args.only_population:
        print(json.dumps(population("scenes/evolve/lenia_mover.yaml", lenia, args.repeats)))
        return
    report(f"Lenia {size}^2 x {pop} candidates x {steps} steps",
           population("scenes/evolve/lenia_mover.yaml", lenia, args.repeats))
    small = 32 if not args.quick else 16
    report(f"Lenia {small}^2 x {pop} candidates x {steps} steps (where batching pays on a CPU)",
           population("scenes/evolve/lenia_mover.yaml",
                      lenia + [f"rule.config.width={small}", f"rule.config.height={small}",
                               "rule.config.radius=6"], args.repeats))
    bm_pop, bm_steps = (4, 30) if args.quick else (8, 100)
    report(f"Biomaker Petri 36x72 x {bm_pop} x {bm_steps} steps",
           population("scenes/evolve/biomaker_petri.yaml",
                      [f"evolution.population={bm_pop}", f"evolution.steps={bm_steps}"],
                      args.repeats))
    overhead(args.repeats)
    if not args.no_scaling:
        scaling(args.quick)
    if args.nca:
        nca(args.nca)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
