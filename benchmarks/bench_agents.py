"""Benchmark: JaxLife-style agent worlds, world steps/s and compile time.

Anchor: the reference JaxLife code (github.com/luchris429/JaxLife, Lu et al. 2024) at the
defaults of its `src/main.py` (128 agent slots, 32 robots, 128x128 terrain, LSTM brains). It is
not a dependency of alife and not a package: give a checkout with `--reference DIR` or
`ALIFE_JAXLIFE_REF=DIR` (the folder holding `src/`; it needs only jax, flax and numpy), and the
script runs it in a child process between two sets of our timed runs: `World(config)` with the
config that main.py builds from its own argparse defaults (read from main.py's syntax tree, not
copied), `world.initialize(PRNGKey(seed))`, then `jit(lax.scan(world.step, ..., n))` as main.py
does with n = `--ref-steps`. Two shims, both outside its code: `jax.tree_map` (removed from
current jax) is aliased to `jax.tree_util.tree_map`; and jax's QR (`jnp.linalg.qr`, which its
orthogonal-initialised genomes call at reproduction) is wrapped in
`jax.custom_batching.sequential_vmap`, so a batch of QRs runs as a loop of single LAPACK calls.
Without it the step deadlocks on this 2-core CPU: two batched LAPACK QR calls run at once, each
waits inside XLA's 2-thread CPU pool for work queued behind the other (seen with gdb; each QR
is the same LAPACK call either way, and the QRs are a small part of a step). Its first call
compiles; its second retraces (the state's step counter `t` starts as a Python int and comes back
an array), and both are reported, wall and CPU time. Without a checkout the anchor is printed as a
quoted figure, saying so and where it comes from.

Ours: its slow part is a world-sized diff per agent; ours scatter-adds over the touched cells and
finds neighbours on a coarse grid, so cost grows about linearly with the number of agents.
Prints, for the reference defaults and for 128, 512 and 2048 agent slots on a 256x256 terrain:
compile seconds (trace + XLA, once per config; wall and CPU time, since other processes on a
shared machine inflate wall time), world steps/s (median of timed runs of a jitted
chunk of steps, `alife.core.rollout.run`), live agents at the end, the State's size and the
process's peak resident memory. The machine is shared: figures are noisy, compare the ratio of
one run.

Usage: python benchmarks/bench_agents.py [--quick] [--steps 50] [--reference DIR]
           [--reference-python PY] [--ref-steps 8] [--ref-repeats 3]
"""

from __future__ import annotations

import argparse
import ast
import resource
import statistics
import sys
import time
from pathlib import Path

import reference as ref

#: the anchor as quoted when the reference cannot be run here
QUOTED_RATE, QUOTED_COMPILE, QUOTED_RETRACE = 1.6, 28.0, 29.0
QUOTED = (f"{QUOTED_RATE} steps/s, compile {QUOTED_COMPILE:.0f} s plus a {QUOTED_RETRACE:.0f} s "
          f"retrace: the reference code run side by side on this 2-core CPU, {ref.ANCHORS} ('The "
          "reference codes, run here side by side', turn 3, undated there), luchris429/JaxLife "
          "src/main.py defaults (128 slots, 32 robots, 128^2, lstm_brain); run by this script on "
          "2026-12-07 (load ~4, its QR made sequential): 0.317 steps/s, compile 57 s plus a 44 s "
          "retrace, 120x behind ours (benchmarks/README.md)")
ENV = "ALIFE_JAXLIFE_REF"


def _cpu() -> float:
    """CPU seconds this process has used (user + system): unlike wall time, not inflated when
    other processes share the cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(config: dict, steps: int, repeats: int) -> dict:
    """Our figures for `AgentsRule(**config)`; `retime(n)` adds n more timed runs.

    Runs donate the State (`rollout.run(donate=True)`): each timed run goes on from the last,
    in place, as a long run does. Memory: the State's size, XLA's peak for one call (arguments
    + outputs - donated + temporaries, `compiled.memory_analysis()`) and the process's peak
    resident memory so far (ru_maxrss: it includes the cases measured before)."""
    import jax
    import numpy as np

    from alife.core.rollout import _advance_donated, run
    from alife.rules.agents import AgentsRule

    rule = AgentsRule(**config)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    jax.block_until_ready(state)
    nbytes = sum(np.asarray(x).nbytes for x in jax.tree_util.tree_leaves(state))
    key = jax.random.PRNGKey(1)
    t0, cpu0 = time.perf_counter(), _cpu()
    compiled = _advance_donated.lower(rule, key, state, params, np.int32(steps)).compile()
    compile_s, compile_cpu = time.perf_counter() - t0, _cpu() - cpu0
    mem = compiled.memory_analysis()
    xla_peak = (mem.argument_size_in_bytes + mem.output_size_in_bytes
                - mem.alias_size_in_bytes + mem.temp_size_in_bytes)
    current = jax.block_until_ready(run(rule, key, state, params, steps, donate=True))
    del state                                            # donated: its buffers are gone
    fig: dict = {"compile_s": compile_s, "compile_cpu": compile_cpu, "times": [], "cpu": [],
                 "steps": steps, "state_mb": nbytes / 2**20, "xla_peak_mb": xla_peak / 2**20,
                 "temp_mb": mem.temp_size_in_bytes / 2**20}

    def retime(n: int) -> None:
        nonlocal current
        for _ in range(n):
            t0, c0 = time.perf_counter(), _cpu()
            current = jax.block_until_ready(run(rule, key, current, params, steps, donate=True))
            fig["times"].append(time.perf_counter() - t0)
            fig["cpu"].append(_cpu() - c0)
            fig["alive"] = int(current.agents.alive.sum())
        fig["rate"] = steps / statistics.median(fig["times"])
        fig["cpu_rate"] = steps / statistics.median(fig["cpu"])
        fig["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    retime(repeats)
    fig["retime"] = retime
    return fig


def main_py_config(src: Path) -> dict:
    """The config JaxLife's `src/main.py` builds from its argparse defaults: its `parser`
    statements and its `config = {...}` literal, taken from main.py's syntax tree and evaluated
    with `args = parser.parse_args([])` (main.py itself is not run: it imports wandb)."""
    tree = ast.parse((src / "main.py").read_text())
    ns: dict = {"argparse": argparse}
    for node in tree.body:
        text = ast.unparse(node)
        if text.startswith(("parser = ", "parser.add_argument(")):
            exec(compile(ast.Module([node], []), "main.py", "exec"), ns)
    args = ns["parser"].parse_args([])
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and \
                getattr(node.targets[0], "id", None) == "config":
            return eval(compile(ast.Expression(node.value), "main.py", "eval"), {"args": args})
    raise RuntimeError("no `config = {...}` in main.py")


def reference_only(path: str, steps: int, repeats: int) -> None:
    """Child mode: run JaxLife from the checkout at `path`, print one JSON line."""
    src = Path(path) / "src"
    sys.path.insert(0, str(src))
    import jax
    from jax._src.numpy import linalg as jnp_linalg

    if not hasattr(jax, "tree_map"):   # removed from jax; the reference still calls it
        jax.tree_map = jax.tree_util.tree_map
    qr = jnp_linalg.qr
    one_at_a_time = jax.custom_batching.sequential_vmap(lambda a: qr(a))

    def sequential_qr(a, mode="reduced", **kw):   # see the module docstring: batched QR deadlocks
        return one_at_a_time(a) if mode == "reduced" and not kw else qr(a, mode=mode, **kw)

    jnp_linalg.qr = sequential_qr
    from world.world import World

    config = main_py_config(src)
    world = World(config)
    state = world.initialize(jax.random.PRNGKey(config["INIT_RNG"]))
    scan = jax.jit(lambda s: jax.lax.scan(world.step, s, None, steps))
    calls = []
    for _ in range(2):   # compile, then the retrace
        t0, c0 = time.perf_counter(), _cpu()
        state = jax.block_until_ready(scan(state)[0])
        calls.append((time.perf_counter() - t0, _cpu() - c0))
    times, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), _cpu()
        state = jax.block_until_ready(scan(state)[0])
        times.append(time.perf_counter() - t0)
        cpu.append(_cpu() - c0)
    ref.emit({"rate": steps / statistics.median(times), "times": times, "steps": steps,
              "cpu_rate": steps / statistics.median(cpu),
              "compile_s": calls[0][0], "compile_cpu": calls[0][1], "second_s": calls[1][0],
              "second_cpu": calls[1][1], "alive": int(state.agent_states.alive.sum()),
              "agents": config["NUM_AGENTS"], "bots": config["NUM_BOTS"],
              "map": config["MAP_SIZE"], "brain": config["BRAIN"], "jax": jax.__version__})


def run_reference(args: argparse.Namespace) -> tuple[dict | None, str]:
    checkout = ref.checkout(args.reference, ENV)
    if checkout is None:
        return None, f"no checkout given (--reference DIR or ${ENV})"
    python = ref.reference_python(args.reference_python)
    print(f"running the reference code from {checkout} under {python} ...", flush=True)
    return ref.run_child(python, __file__, ["--reference-only", str(checkout), "--ref-steps",
                                            str(args.ref_steps), "--ref-repeats",
                                            str(args.ref_repeats)], timeout=3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="defaults only, fewer steps")
    parser.add_argument("--steps", type=int, default=50, help="steps per timed run")
    parser.add_argument("--reference", metavar="DIR",
                        help=f"a JaxLife checkout (default ${ENV})")
    parser.add_argument("--reference-python", metavar="PY",
                        help="interpreter for the reference (default $ALIFE_REF_PYTHON, else "
                             "this one)")
    parser.add_argument("--ref-steps", type=int, default=8,
                        help="reference steps per jitted scan (main.py uses 512)")
    parser.add_argument("--ref-repeats", type=int, default=3)
    parser.add_argument("--reference-only", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference_only:
        reference_only(args.reference_only, args.ref_steps, args.ref_repeats)
        return
    steps = 20 if args.quick else args.steps
    ours = measure({}, steps, repeats=3)
    theirs, why = run_reference(args)
    if theirs:
        ours["retime"](3)   # ours again after theirs: both sides see the same load
        print(f"reference JaxLife (run here, jax {theirs['jax']}, sequential QR; "
              f"{theirs['agents']} slots, {theirs['bots']} robots, {theirs['map']}^2, "
              f"{theirs['brain']}): {theirs['rate']:.3g} steps/s, {theirs['cpu_rate']:.3g} per "
              f"CPU-second (median of {len(theirs['times'])} scans of {theirs['steps']} steps), "
              "first call "
              f"{theirs['compile_s']:.0f} s wall / {theirs['compile_cpu']:.0f} s CPU, second "
              f"call (retrace) {theirs['second_s']:.0f} s / {theirs['second_cpu']:.0f} s, "
              f"{theirs['alive']} alive at the end")
        anchor_rate, anchor_compile = theirs["rate"], theirs["compile_s"]
        print(f"ours at the reference defaults: {ours['rate']:.1f} steps/s, "
              f"{ours['cpu_rate']:.1f} per CPU-second; ratio {ours['rate'] / theirs['rate']:.0f}x "
              f"in wall time, {ours['cpu_rate'] / theirs['cpu_rate']:.0f}x in CPU time; compile "
              f"{ours['compile_s']:.1f} s against {theirs['compile_s']:.0f} s wall, "
              f"{ours['compile_cpu']:.1f} s against {theirs['compile_cpu']:.0f} s CPU")
    else:
        print(f"reference JaxLife NOT RUN here ({why}); quoted anchor: {QUOTED}")
        anchor_rate, anchor_compile = QUOTED_RATE, QUOTED_COMPILE
    cases = [("reference defaults 128 slots, 128^2", {}, ours)]
    if not args.quick:
        cases += [(f"{n} slots, 256^2", {"width": 256, "height": 256, "agents": n,
                                         "start": n // 4}, None) for n in (128, 512, 2048)]
    what = "the reference run here" if theirs else "the quoted anchor"
    for name, config, fig in cases:
        r = fig or measure(config, steps, repeats=3)
        print(f"{name}: {r['rate']:.1f} steps/s, {r['cpu_rate']:.1f} per CPU-second "
              f"({r['rate'] / anchor_rate:.0f}x {what}; median "
              f"of {len(r['times'])} runs of {steps} steps), "
              f"compile {r['compile_s']:.1f} s wall / {r['compile_cpu']:.1f} s CPU "
              f"(anchor's {anchor_compile:.0f} s), "
              f"{r['alive']} alive at the end, state {r['state_mb']:.0f} MB, XLA peak "
              f"{r['xla_peak_mb']:.0f} MB ({r['xla_peak_mb'] / r['state_mb']:.2f}x the state; "
              f"temporaries {r['temp_mb']:.0f} MB), process peak RSS so far "
              f"{r['peak_mb']:.0f} MB ({r['peak_mb'] / r['state_mb']:.2f}x)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
