"""Found creatures: what `alife evolve` saves when its fitness can cut a creature out of a world
(`FitnessEntry.creature`, e.g. Lenia's `lenia_glider`).

After a run, the best genome is rolled out again from the start its best generation saw (with
`common_keys`, the one every candidate of that generation saw), then from up to `TRIES - 1` other
random starts until the family's check passes; the creature is cut out of the final state and
saved in two places:

- `<run folder>/found/`, and
- the found-creatures folder (`found_dir()`: `$ALIFE_FOUND_DIR`, else
  `$XDG_DATA_HOME/alife/found`, else `~/.local/share/alife/found`), which the app's Library
  lists under "My folders",

as three files named by the creature's code: `<code>.yaml` (a scene whose `init` places the
cells at the centre of a world with the evolved numbers; `alife view <code>.yaml` opens it),
`<code>.npz` (the cells, a 2-D `cells` array) and `<code>.json` (a creature library in the
family's format holding its one entry: for Lenia `{"species": [entry]}`, as
`assets/lenia/species.json`). Every file is written atomically and the scene is loaded back
before the paths are returned.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # the app's Library imports `found_dir` without JAX
    from alife.core.fitness import Creature

#: random starts tried for a creature that passes the family's check
TRIES = 6
ENV = "ALIFE_FOUND_DIR"


def found_dir() -> Path:
    """The found-creatures folder (module docstring); not created here."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "alife" / "found"


def creature_hook(runner: Any) -> Any:
    """The run's fitness's `creature` hook, or None."""
    from alife.evolve.fitness import fitness_entry

    return fitness_entry(runner.settings["fitness"], runner.world.rule).creature


def find_creature(runner: Any, tries: int = TRIES) -> tuple[Creature | None, int]:
    """(the best genome's creature, the try that found it): the first that passes the family's
    check, else the last one cut out (None if none could be)."""
    import jax
    import jax.numpy as jnp

    hook = creature_hook(runner)
    if hook is None:
        return None, -1
    task = runner.task
    vector = jnp.asarray(runner.best_vector)
    generation = max(runner.best_generation, 0)
    roll = jax.jit(task.rollout)
    params = runner.params()
    found: Creature | None = None
    used = -1
    for attempt in range(tries):
        key = task.candidate_key(runner.eval_key(generation), 0) if attempt == 0 else \
            jax.random.fold_in(runner.key, 2**30 + attempt)
        _, final, _ = roll(vector, key)
        creature = hook(runner.world, params, final)
        if creature is not None:
            found, used = creature, attempt
            if creature.passes:
                break
    return found, used


def scene_tree(creature: Creature, family: str, description: str) -> dict[str, Any]:
    """The scene that opens `creature` (its cells from `<code>.npz`)."""
    return {"version": 1, "name": creature.name, "description": description, "seed": 0,
            "rule": {"family": family, "config": creature.config},
            "init": {"npz": {"file": f"{creature.code}.npz"}},
            "view": {"zoom": 6, "colormap": "viridis"},
            "run": {"steps": 1000, "steps_per_frame": 1}}


def save_creature(creature: Creature, folder: str | Path, family: str,
                  description: str) -> Path:
    """Write `<code>.npz`, `<code>.json` and `<code>.yaml` into `folder`; returns the scene's
    path (loaded back first)."""
    from alife.core.fileio import atomic_write_text, make_folder, save_tree
    from alife.scene.dump import dump_yaml
    from alife.scene.io import load_scene

    folder = make_folder(folder)
    save_tree(folder / f"{creature.code}.npz", {"cells": np.asarray(creature.cells, np.float32)})
    library = {"description": "creatures found by alife evolve", "species": [creature.entry]}
    atomic_write_text(folder / f"{creature.code}.json", json.dumps(library, indent=1) + "\n")
    path = folder / f"{creature.code}.yaml"
    atomic_write_text(path, dump_yaml(scene_tree(creature, family, description)))
    load_scene(path)
    return path


def save_found(runner: Any, out: str | Path, command: str = "",
               library: str | Path | None = None) -> list[Path]:
    """Find the best genome's creature and save it into `out/found` and the found-creatures
    folder (`library`, default `found_dir()`); the scenes written (none when the fitness has no
    creature hook or nothing could be cut out)."""
    creature, attempt = find_creature(runner)
    if creature is None:
        return []
    run = (f"`{command}`, " if command else "") + (
        f"{runner.strategy.name} x {runner.population}, {runner.step} generations, seed "
        f"{runner.settings['seed']}; best fitness {float(runner.best_fitness):.4g} "
        f"(generation {runner.best_generation + 1})")
    start = "its best generation's start" if attempt == 0 else f"random start {attempt}"
    text = (f"Found by alife evolve from a random start ({run}); cut out of the world after "
            f"{runner.task.steps} steps from {start}. It {creature.note}. Library entry: "
            f"{creature.code}.json (the family's creature library format).")
    family = runner.world.rule.family
    paths = [save_creature(creature, Path(out) / "found", family, text)]
    paths.append(save_creature(creature, found_dir() if library is None else library, family,
                               text))
    return paths
