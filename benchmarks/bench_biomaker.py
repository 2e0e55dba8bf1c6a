"""Benchmark: Biomaker steps/s at 72x128 persistence with the extended net, and cost vs width.

The anchor is the reference Biomaker CA code (Randazzo & Mordvintsev 2023,
google-research/self-organising-systems, `self_organising_systems.biomakerca`): the
"persistence" world at height 72, landscape (72x128), `BasicAgentLogic(minimal_net=False)`
(the extended net), 128 programs, `BasicMutator(sd=1e-3, change_perc=0.2)`, one jitted
`step_env(..., do_reproduction=True, mutate_programs=True)` per step as in its
`run_configuration` notebook (asexual reproduction only; HEAD also wants a `sexual_mutator`
argument, given as its other notebooks do: `CrossOverSexualMutator(mutator, n_frequencies=64)`).
It is not a dependency of alife and is not on PyPI: give a checkout with `--reference DIR` or
`ALIFE_BIOMAKER_REF=DIR` (the folder holding `self_organising_systems/`; it needs `evojax` beside
jax and flax: `--reference-python` / `ALIFE_REF_PYTHON` names an interpreter that has it, e.g. a
separate virtualenv) and the script runs it in a child process between two sets of our timed
runs. Without one it prints the anchor as a quoted figure, saying so and where it comes from.

Our figure: steps/s of `rollout.run` (one jitted fori_loop) from a world that has grown for
1500 steps (300 with --quick; plants with several hundred agent cells), median of the timed runs
after the compile; compile time is the first call (1 step) timed separately, as wall time and as
this process's CPU time (compiling is single-threaded, so the CPU time is what it would take on an
idle machine). The reference's figure: median of `--ref-repeats` runs of `--ref-steps` steps after
its first (compiling) step, timed from its start (its nets run on every cell, so its cost does
not grow with the plants: specs/anchors.md). The machine is shared: figures are noisy, compare
the ratio of one run.

Usage: python benchmarks/bench_biomaker.py [--quick] [--widths 36 128 512 2048]
           [--reference DIR] [--reference-python PY] [--ref-steps 10] [--ref-repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import reference as ref

#: the anchor as quoted when the reference cannot be run here (see QUOTED)
QUOTED_RATE, QUOTED_COMPILE = 2.7, 10.4
QUOTED = (f"{QUOTED_RATE} steps/s, first call {QUOTED_COMPILE} s: the reference code run side by "
          f"side on this 2-core CPU, {ref.ANCHORS} ('The reference codes, run here side by side', "
          "turn 3, undated there), self-organising-systems HEAD, persistence 72x128 landscape, "
          "BasicAgentLogic(minimal_net=False), step_env with reproduction and mutation, one "
          "jitted call per step; run by this script on 2026-12-07 (load ~4): 2.53 steps/s, first "
          "call 16.1 s, 61x behind ours (benchmarks/README.md)")
ENV = "ALIFE_BIOMAKER_REF"


def measure(width: int, steps: int, grow: int, net: str = "extended",
            repeats: int = 3) -> dict:
    """Our figures at 72 x `width`; `retime(n)` adds n more timed runs to `times`."""
    import jax

    from alife.core.rollout import run
    from alife.rules.biomaker import BiomakerRule

    rule = BiomakerRule(preset="persistence", width=width, height=72, net=net,
                        seeds=max(1, round(3 * width / 128)))
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    state = rule.init(key, params)
    t0, c0 = time.perf_counter(), time.process_time()
    jax.block_until_ready(run(rule, key, state, params, 1))
    compile_s, compile_cpu = time.perf_counter() - t0, time.process_time() - c0
    state = jax.block_until_ready(run(rule, key, state, params, grow))
    fig: dict = {"compile_s": compile_s, "compile_cpu": compile_cpu, "times": [], "cpu": [],
                 "agents": int(rule.metrics(state, params)["agents"]), "cap": rule.agent_cap,
                 "steps": steps, "width": width}

    def retime(n: int) -> None:
        for _ in range(n):
            t0, c0 = time.perf_counter(), time.process_time()
            jax.block_until_ready(run(rule, key, state, params, steps))
            fig["times"].append(time.perf_counter() - t0)
            fig["cpu"].append(time.process_time() - c0)

    retime(repeats)
    fig["retime"] = retime
    return fig


def rate(fig: dict, what: str = "times") -> float:
    """Steps per second (`what="times"`) or per CPU-second (`what="cpu"`), from the median."""
    return fig["steps"] / statistics.median(fig[what])


def reference_only(path: str, steps: int, repeats: int) -> None:
    """Child mode: run the reference code from the checkout at `path`, print one JSON line."""
    sys.path.insert(0, path)
    import jax
    import jax.random as jr
    from jax import vmap
    from self_organising_systems.biomakerca import environments as evm
    from self_organising_systems.biomakerca.agent_logic import BasicAgentLogic
    from self_organising_systems.biomakerca.mutators import BasicMutator, CrossOverSexualMutator
    from self_organising_systems.biomakerca.step_maker import step_env

    env, config = evm.get_env_and_config("persistence", width_type="landscape", h=72)
    logic = BasicAgentLogic(config, minimal_net=False)
    mutator = BasicMutator(sd=1e-3, change_perc=0.2)
    # HEAD's step_env calls sexual_mutator.mutate whenever programs mutate, even with sexual
    # reproduction off (its default): pass the one its rain/sexual notebooks use
    sexual = CrossOverSexualMutator(mutator, n_frequencies=64)
    key = jr.PRNGKey(43)
    ku, key = jr.split(key)
    programs = vmap(logic.initialize)(jr.split(ku, 128))
    ku, key = jr.split(key)
    programs = vmap(mutator.initialize)(jr.split(ku, programs.shape[0]), programs)

    def step(key, env, programs):
        key, ku = jr.split(key)
        env, programs = step_env(ku, env, config, logic, programs, do_reproduction=True,
                                 mutate_programs=True, mutator=mutator, sexual_mutator=sexual)
        return key, env, programs

    t0, c0 = time.perf_counter(), time.process_time()
    key, env, programs = jax.block_until_ready(step(key, env, programs))
    compile_s, compile_cpu = time.perf_counter() - t0, time.process_time() - c0
    times, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(steps):
            key, env, programs = step(key, env, programs)
        jax.block_until_ready(env)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    agents = int(config.etd.is_agent_fn(env.type_grid).sum())
    ref.emit({"rate": steps / statistics.median(times), "times": times, "steps": steps,
              "cpu_rate": steps / statistics.median(cpu),
              "compile_s": compile_s, "compile_cpu": compile_cpu, "agents": agents,
              "shape": list(env.type_grid.shape), "params": int(programs.shape[1]),
              "jax": jax.__version__})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps")
    parser.add_argument("--widths", type=int, nargs="*", default=[36, 128, 512, 2048])
    parser.add_argument("--reference", metavar="DIR",
                        help=f"a self-organising-systems checkout (default ${ENV})")
    parser.add_argument("--reference-python", metavar="PY",
                        help="interpreter for the reference (default $ALIFE_REF_PYTHON, else "
                             "this one)")
    parser.add_argument("--ref-steps", type=int, default=10, help="reference steps per timed run")
    parser.add_argument("--ref-repeats", type=int, default=3)
    parser.add_argument("--reference-only", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference_only:
        reference_only(args.reference_only, args.ref_steps, args.ref_repeats)
        return
    steps, grow = (200, 300) if args.quick else (1000, 1500)

    main_fig = measure(128, steps, grow)
    checkout = ref.checkout(args.reference, ENV)
    theirs, why = None, f"no checkout given (--reference DIR or ${ENV})"
    if checkout is not None:
        python = ref.reference_python(args.reference_python)
        print(f"running the reference code from {checkout} under {python} ...", flush=True)
        theirs, why = ref.run_child(
            python, __file__, ["--reference-only", str(checkout), "--ref-steps",
                               str(args.ref_steps), "--ref-repeats", str(args.ref_repeats)],
            timeout=1800)
        main_fig["retime"](3)  # ours again after theirs: both sides see the same load
    ours = rate(main_fig)
    print("Biomaker 72x128 persistence, extended net (3 seeds, grown "
          f"{grow} steps, {main_fig['agents']} agent cells, cap {main_fig['cap']}):")
    print(f"  ours:   {ours:8.1f} steps/s   compile {main_fig['compile_s']:.1f} s wall, "
          f"{main_fig['compile_cpu']:.1f} s CPU time (median of {len(main_fig['times'])} runs of "
          f"{steps} steps{', before and after the reference' if theirs else ''})")
    print(f"  ours per CPU-second: {rate(main_fig, 'cpu'):.1f} steps")
    if theirs:
        print(f"  reference code (run here, jax {theirs['jax']}, {theirs['shape'][0]}x"
              f"{theirs['shape'][1]}, {theirs['params']} params per program): "
              f"{theirs['rate']:.3g} steps/s, {theirs['cpu_rate']:.3g} per CPU-second   first call "
              f"{theirs['compile_s']:.1f} s wall, "
              f"{theirs['compile_cpu']:.1f} s CPU (median of {len(theirs['times'])} runs of "
              f"{theirs['steps']} steps; {theirs['agents']} agent cells at the end)")
        print(f"  ratio:  {ours / theirs['rate']:.0f}x faster in wall time, "
              f"{rate(main_fig, 'cpu') / theirs['cpu_rate']:.0f}x in CPU time; first call "
              f"{main_fig['compile_s']:.1f} s against {theirs['compile_s']:.1f} s wall, "
              f"{main_fig['compile_cpu']:.1f} s against {theirs['compile_cpu']:.1f} s CPU")
    else:
        print(f"  reference code NOT RUN here ({why}); quoted anchor: {QUOTED}")
        print(f"  ratio against the quoted anchor: {ours / QUOTED_RATE:.0f}x faster; first call "
              f"{main_fig['compile_s']:.1f} s against {QUOTED_COMPILE} s")
    print("\ncost vs width (height 72, extended net, seeds ~ 3 per 128 columns):")
    print(f"  {'width':>6} {'steps/s':>9} {'cell-upd/s':>11} {'agents':>7} {'cap':>6} "
          f"{'compile s':>9}")
    for width in args.widths:
        n = max(20, steps * 128 // max(width, 128))
        fig = main_fig if width == 128 else measure(width, n, grow)
        r = rate(fig)
        print(f"  {width:6d} {r:9.1f} {r * 72 * width:11.3g} "
              f"{fig['agents']:7d} {fig['cap']:6d} {fig['compile_s']:9.1f}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
