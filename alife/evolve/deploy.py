"""Deploying an evolution run's best genome into another scene (`alife evolve --deploy`).

The best genome vector is decoded with the run's genome layout onto a copy of the target
scene's params (`Genome.decode`: genes outside the genome keep the target's values), and the
copy is saved through the project's scene writer (`alife.scene.io.save_scene`: atomic, large
params in a `<stem>.params.npz` sidecar). This is how the spec's Petri-dish meta-evolution
(Randazzo & Mordvintsev 2023) ships its winner: evolved in a 72 x 36 dish, deployed into a
72 x 128 landscape with in-world mutation on. Any family works as long as the target's params
have the same fields and shapes the genome covers (same family, net and pool for Biomaker).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np

from alife.core.errors import AlifeError
from alife.evolve.genome import build_genome


def deployed_world(runner: Any, target: Any) -> Any:
    """`target` (a World) with the run's best genome decoded onto its params."""
    import jax.numpy as jnp

    src = runner.task.genome
    if target.rule.family != runner.world.rule.family:
        raise AlifeError(f"cannot deploy a {runner.world.rule.family} genome into a "
                         f"{target.rule.family} scene", where=str(target.path))
    block = runner.settings.get("genome")
    genome = build_genome(target.rule, target.params, block)
    layout = [(g.name, g.shape, g.rows, g.low, g.high) for g in src.genes]
    if genome.kind != src.kind or \
            [(g.name, g.shape, g.rows, g.low, g.high) for g in genome.genes] != layout:
        raise AlifeError(f"the target's genome ({genome.describe()}) does not match the run's "
                         f"({src.describe()}): same family, net and params shapes needed",
                         where=str(target.path))
    params = genome.decode(jnp.asarray(runner.best_vector), target.params)
    world = dataclasses.replace(target, params=params)
    # the start state is rebuilt from the new params (Biomaker's seed runs program row 0)
    from alife.scene.initial import reset_state

    return dataclasses.replace(world, state=reset_state(world))


def deploy_description(runner: Any, target: Any, command: str, before: float,
                       seconds: float | None, note: str = "") -> str:
    """The deployed scene's description: the target's own, then how the winner was made."""
    s = runner.settings
    text = (f"Deployed evolution winner: `{command}` ({runner.strategy.name}, population "
            f"{runner.population}, {runner.step} generations, {s['steps']} steps per "
            f"evaluation; {runner.task.genome.describe()}) in "
            f"{runner.world.path.name if runner.world.path else runner.world.name}. "
            f"Fitness {s['fitness']}: {before:.4g} for the scene's own genome, "
            f"{float(runner.best_fitness):.4g} for the best (generation "
            f"{runner.best_generation + 1})")
    text += f"; {seconds:.0f} s wall time." if seconds is not None else "."
    head = target.description.strip()
    parts = [p for p in (head, text, note.strip()) if p]
    return " ".join(parts)


def start_fitness(runner: Any) -> float:
    """The fitness of the run's start genome under generation 0's evaluation key."""
    vec = np.asarray(runner.start_vector, np.float32)[None]
    return float(runner.evaluate(vec, runner.eval_key(0))[0])


def deploy(runner: Any, target_path: str | Path, out_path: str | Path,
           overrides: list[str] | tuple[str, ...] = (), command: str = "",
           seconds: float | None = None, note: str = "", before: float | None = None) -> Path:
    """Write `out_path`: the scene at `target_path` (with `--set` `overrides`) running the
    run's best genome; returns the path written."""
    from alife.scene.io import load_scene, save_scene

    target = load_scene(target_path, list(overrides))
    world = deployed_world(runner, target)
    before = start_fitness(runner) if before is None else before
    name = f"{target.name}: evolved program ({runner.world.name})"
    desc = deploy_description(runner, target, command, before, seconds, note)
    world = dataclasses.replace(world, name=name, description=desc)
    out = Path(out_path)
    save_scene(world, out, include_state=False)
    return out
