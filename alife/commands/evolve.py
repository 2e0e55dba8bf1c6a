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
landscape); with `--resume` and no more generations it deploys a finished run. See docs/evolve.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import time
from pathlib import Path

from alife.core.errors import AlifeError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scene", help="scene file (.yaml) with an evolution: block")
    parser.add_argument("--strategy", default=None,
                        help="pgpe, openes, cma_es, sep_cma_es, snes, xnes or ga")
    parser.add_argument("--population", type=int, default=None, help="candidates per generation")
    parser.add_argument("--generations", type=int, default=None,
                        help="evolve until this many generations")
    parser.add_argument("--out", default=None, help="folder for checkpoint, logs, report")
    parser.add_argument("--resume", action="store_true", help="continue from DIR/checkpoint.npz")
    parser.add_argument("--seed", type=int, default=None, help="the run's PRNG seed")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE", help="override a scene key (repeatable)")
    parser.add_argument("--checkpoint-every", type=float, default=None, metavar="SECONDS",
                        help="seconds between checkpoints (default: the block's, 120)")
    parser.add_argument("--host-devices", type=int, default=None, metavar="N",
                        help="split the CPU into N devices (testing sharding)")
    parser.add_argument("--coordinator", default=None, metavar="HOST:PORT",
                        help="multi-host: process 0's address")
    parser.add_argument("--num-processes", type=int, default=None, help="multi-host: processes")
    parser.add_argument("--process-id", type=int, default=None, help="multi-host: this process")
    parser.add_argument("--deploy", default=None, metavar="TARGET.yaml",
                        help="after the run, put the best genome into a copy of this scene")
    parser.add_argument("--deploy-out", default=None, metavar="OUT.yaml",
                        help="where --deploy saves the scene (default DIR/deployed.yaml)")
    parser.add_argument("--deploy-set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a key of the --deploy target (repeatable)")
    parser.add_argument("--deploy-note", default="", metavar="TEXT",
                        help="text appended to the deployed scene's description")


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


def main(args: argparse.Namespace) -> int:
    deploy_to = getattr(args, "deploy", None)
    if getattr(args, "deploy_out", None) and not deploy_to:
        raise AlifeError("--deploy-out needs --deploy TARGET.yaml")
    if args.host_devices is not None:
        if args.host_devices < 1:
            raise AlifeError(f"--host-devices {args.host_devices}; expected >= 1")
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
    runner = EvolutionRunner(world, _settings(world, args))
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
    return 0
