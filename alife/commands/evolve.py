"""`alife evolve SCENE`: headless batch evolution of a scene's params or weights.

    alife evolve SCENE [--strategy NAME] [--population N] [--generations G] [--out DIR]
                       [--resume] [--seed S] [--quiet] [--set KEY=VALUE ...]
                       [--checkpoint-every SECONDS] [--host-devices N]
                       [--coordinator HOST:PORT --num-processes N --process-id I]
                       [--deploy TARGET.yaml --deploy-out OUT.yaml [--deploy-set KEY=VALUE ...]
                        [--deploy-note TEXT]]

The scene's `evolution:` block holds the task (fitness, steps, genome, strategy settings); the
flags override it. DIR (default: the block's `out`, else `runs/evolve/<scene name>`) gets the
checkpoint (every `checkpoint_every_s` seconds and at exit), metrics CSV/JSONL, `fitness.png`,
`weights.npz`, `best.yaml` and `report.html` (see `alife.evolve.loop`). `--resume` continues
from `DIR/checkpoint.npz` bit-identically. The population is sharded over every device;
`--host-devices N` splits the CPU into N devices (set before JAX starts). Multi-host: one process
per host with `--coordinator`, or none of the three flags under SLURM (JAX reads its
environment); process 0 writes the files. `--deploy` then writes OUT.yaml: a copy of the
target scene running the best genome (`alife.evolve.deploy`; e.g. a Petri-dish winner in a
landscape); with `--resume` and no more generations it deploys a finished run. A fitness that
cuts creatures out of worlds (Lenia's `lenia_glider`) has the best one saved as a scene and a
library entry in DIR/found and in `--found-dir` (default: the app Library's found-creatures
folder; `alife.evolve.found`). See docs/evolve.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import time
from pathlib import Path

from alife.commands import argtypes
from alife.core.errors import AlifeError

#: the most processes a multi-host run may name
MAX_PROCESSES = 65536


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scene", help="scene file (.yaml) with an evolution: block")
    parser.add_argument("--strategy", default=None,
                        help="pgpe, openes, cma_es, sep_cma_es, snes, xnes or ga")
    parser.add_argument("--population", type=argtypes.integer(1, 2**24), default=None,
                        help="candidates per generation")
    parser.add_argument("--generations", type=argtypes.integer(1), default=None,
                        help="evolve until this many generations")
    parser.add_argument("--out", default=None, help="folder for checkpoint, logs, report")
    parser.add_argument("--resume", action="store_true", help="continue from DIR/checkpoint.npz")
    parser.add_argument("--seed", type=argtypes.seed, default=None, help="the run's PRNG seed")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE", help="override a scene key (repeatable)")
    parser.add_argument("--checkpoint-every", type=argtypes.number(0, 10**9), default=None,
                        metavar="SECONDS",
                        help="seconds between checkpoints (default: the block's, 120)")
    parser.add_argument("--host-devices", type=argtypes.integer(1, 4096), default=None,
                        metavar="N", help="split the CPU into N devices (testing sharding)")
    parser.add_argument("--coordinator", type=argtypes.host_port, default=None,
                        metavar="HOST:PORT", help="multi-host: process 0's address")
    parser.add_argument("--num-processes", type=argtypes.integer(1, MAX_PROCESSES),
                        default=None, help="multi-host: processes")
    parser.add_argument("--process-id", type=argtypes.integer(0, MAX_PROCESSES - 1),
                        default=None, help="multi-host: this process")
    parser.add_argument("--deploy", default=None, metavar="TARGET.yaml",
                        help="after the run, put the best genome into a copy of this scene")
    parser.add_argument("--deploy-out", default=None, metavar="OUT.yaml",
                        help="where --deploy saves the scene (default DIR/deployed.yaml)")
    parser.add_argument("--deploy-set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a key of the --deploy target (repeatable)")
    parser.add_argument("--deploy-note", default="", metavar="TEXT",
                        help="text appended to the deployed scene's description")
    parser.add_argument("--found-dir", default=None, metavar="DIR",
                        help="where found creatures also go (default: the found-creatures "
                             "folder the app's Library lists; see alife.evolve.found)")


def _settings(world, args: argparse.Namespace) -> dict:
    block = world.extra.get("evolution")
    if block is None:
        raise AlifeError("the scene has no evolution: block", where=str(args.scene))
    settings = dict(block)
    for name in ("strategy", "population", "generations", "seed"):
        value = getattr(args, name)
        if value is not None:
            settings[name] = value
    return settings


def _command(args: argparse.Namespace) -> str:
    """The invocation as a shell line (for the deployed scene's description)."""
    words = ["alife", "evolve", str(args.scene)]
    for name in ("strategy", "population", "generations", "seed", "out"):
        value = getattr(args, name)
        if value is not None:
            words += [f"--{name}", str(value)]
    for item in args.overrides:
        words += ["--set", item]
    return shlex.join(words)


def _check_processes(args: argparse.Namespace) -> None:
    """The multi-host flags agree with each other (each was range-checked by argparse)."""
    n, i = args.num_processes, args.process_id
    if n is not None and i is not None and i >= n:
        raise AlifeError(f"{i}; expected a process id in 0..{n - 1} (--num-processes {n})",
                         where="--process-id")


def _budget(runner) -> None:
    """Refuse a run whose micro-batch of rollouts (features recorded over the steps, the states
    and params stepped) or whose population of genomes would not fit (`alife.core.budget`),
    from shapes only (`jax.eval_shape` of one candidate's rollout)."""
    import jax
    import numpy as np

    from alife.core import budget
    from alife.scene.limits import tree_bytes

    vector = jax.ShapeDtypeStruct(np.shape(runner.start_vector), np.float32)
    try:
        traj, final, params = jax.eval_shape(runner.task.rollout, vector, runner.key)
    except (TypeError, ValueError, MemoryError, OverflowError) as exc:
        text = " ".join(f"{type(exc).__name__}: {exc}".split())[:160]
        raise AlifeError(f"cannot plan one evaluation ({text})", where="evolution") from None
    one = tree_bytes(traj) + 4 * tree_bytes(final) + 2 * tree_bytes(params)
    devices = jax.local_device_count()
    rows = runner.micro * devices
    genomes = runner.population * int(np.size(runner.start_vector)) * 4 * 4
    key = "evolution.micro_batch" if runner.settings.get("micro_batch") else \
        "evolution.steps" if tree_bytes(traj) > tree_bytes(final) else "evolution.population"
    budget.require(key, float(one) * rows + genomes,
                   f"evaluating {rows:,} candidate(s) at once ({runner.micro} per device x "
                   f"{devices} device(s), {budget.size_text(one)} each)")


def main(args: argparse.Namespace) -> int:
    deploy_to = getattr(args, "deploy", None)
    if getattr(args, "deploy_out", None) and not deploy_to:
        raise AlifeError("--deploy-out needs --deploy TARGET.yaml")
    _check_processes(args)
    if args.host_devices is not None:
        from alife.core.budget import cpu_devices_ok

        cpu_devices_ok(args.host_devices)
        flag = f"--xla_force_host_platform_device_count={args.host_devices}"
        os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {flag}".strip()
    from alife.evolve.sharding import initialize_distributed

    initialize_distributed(args.coordinator, args.num_processes, args.process_id)
    import jax

    from alife.evolve.loop import run_evolution
    from alife.evolve.runner import EvolutionRunner
    from alife.scene.io import load_scene

    scene = Path(args.scene)
    world = load_scene(scene, args.overrides)
    try:
        runner = EvolutionRunner(world, _settings(world, args))
    except AlifeError as exc:  # a block's value the runner refused: name the scene too
        raise (exc if str(scene) in str(exc) else exc.at(str(scene))) from None
    _budget(runner)
    out = Path(args.out or runner.settings.get("out") or Path("runs") / "evolve" / scene.stem)
    if args.resume and not (out / "checkpoint.npz").exists():
        raise AlifeError("nothing to resume: no checkpoint.npz", where=str(out))
    every = args.checkpoint_every if args.checkpoint_every is not None else \
        float(runner.settings["checkpoint_every_s"])
    lead = jax.process_index() == 0
    quiet = args.quiet or not lead
    if not quiet:
        print(f"evolving {scene.name}: {runner.task.genome.describe()}, "
              f"{runner.strategy.name} x {runner.population}, {runner.iterations} generations "
              f"on {jax.device_count()} device(s) in {jax.process_count()} process(es)")
    if deploy_to:  # fail early on a bad target, before any generation runs
        from alife.evolve.deploy import deployed_world

        deployed_world(runner, load_scene(deploy_to, list(args.deploy_set)))
    t0 = time.perf_counter()
    run_evolution(runner, out, runner.iterations, resume=args.resume, checkpoint_every_s=every,
                  quiet=quiet, write=lead)
    seconds = time.perf_counter() - t0
    if deploy_to:
        from alife.evolve.deploy import deploy, start_fitness

        before = start_fitness(runner)  # every process evaluates (the population is sharded)
        if lead:
            target = deploy(runner, deploy_to, args.deploy_out or out / "deployed.yaml",
                            args.deploy_set, _command(args),
                            None if args.resume else seconds, args.deploy_note, before)
            if not quiet:
                print(f"deployed the best genome into {target}")
    if not quiet:
        print(f"best fitness {float(runner.best_fitness):.6g} after {runner.step} generations; "
              f"report {out / 'report.html'}, scene {out / 'best.yaml'}")
    if lead:
        from alife.evolve.found import save_found

        found = save_found(runner, out, _command(args), args.found_dir)
        if found and not quiet:
            print(f"found creature: {found[0]} (also {found[1]})")
    return 0
