"""The `evolution:` block, declared with `alife.core.config` and split into its parts.

The block stays flat in scene files (every key of today's scenes still reads), and each key
belongs to one part, declared by the module that uses it:

- task (`TaskSettings`, here): fitness, steps, record_every, start, density, common_keys;
- run (`RunSettings`, here): population, generations, seed, micro_batch, checkpoint_every_s, out;
- strategy (`alife.evolve.strategies.StrategySettings`): strategy, std_init, lr, std_lr,
  crossover_rate;
- genome (`alife.evolve.genome.GenomeSettings`): the nested `genome:` block;
- fitness: the keys the chosen fitness declares (`FitnessEntry.settings`, e.g. `mass_low`).

`parse_evolution(block, rule)` checks them all; a key no part owns is refused with the nearest
valid one. `evolution_settings` flattens the parts back into the plain mapping the task, runner
and fitness builders read. Importing this module registers the block with the scene loader
(`alife.scene.blocks`), so loading a scene checks its `evolution:` block too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alife.core.config import (
    as_dict,
    block_keys,
    parse_block,
    path_keys,
    setting,
    to_plain,
    unknown_key,
)
from alife.core.errors import AlifeError
from alife.evolve.fitness import fitness_entries, fitness_entry
from alife.evolve.genome import GenomeSettings
from alife.evolve.strategies import StrategySettings
from alife.scene import blocks

STARTS = ("scene", "random", "init")


@dataclass(frozen=True)
class TaskSettings:
    """What one evaluation computes (see `alife.evolve.task`)."""

    fitness: str | None = setting(None, doc="a fitness name (`alife evolve --list`)")
    steps: int = setting(100, low=1, high=2**31 - 1, doc="world steps per evaluation")
    record_every: int = setting(10, low=1, high=2**31 - 1,
                                doc="fitness features are recorded every k steps")
    start: str = setting("scene", choices=STARTS, doc="the scene's start, a random soup, or "
                                                      "the rule's init from each candidate")
    density: float = setting(0.5, low=0, high=1, doc="soup density for start: random")
    common_keys: bool = setting(True, doc="every candidate of a generation sees the same keys")

    def validate(self, where: str) -> None:
        if self.fitness is None:
            raise AlifeError("the evolution: block needs a fitness", where=f"{where}.fitness")


@dataclass(frozen=True)
class RunSettings:
    """How the search runs (none of these change what one evaluation computes)."""

    population: int = setting(16, low=1, high=2**24, doc="candidates per generation")
    generations: int = setting(20, low=1, high=2**31 - 1, doc="generations to run")
    seed: int = setting(0, low=0, high=2**32 - 1, doc="the run's PRNG seed")
    micro_batch: int | None = setting(None, low=1, high=2**24, doc="candidates per vmapped chunk "
                                                       "(default: ceil(population / 8) on a GPU; "
                                                       "on a CPU sized to the cache)")
    checkpoint_every_s: float = setting(120.0, low=0, doc="seconds between checkpoints")
    out: str | None = setting(None, path="cwd",
                               doc="the run folder (relative to the working directory)")


#: the flat parts, in the order their keys are listed
PARTS: tuple[type, ...] = (TaskSettings, RunSettings, StrategySettings)


@dataclass(frozen=True)
class Evolution:
    """A parsed `evolution:` block: its parts, and the fitness's own settings."""

    task: TaskSettings
    run: RunSettings
    strategy: StrategySettings
    genome: GenomeSettings
    fitness: Any  # the fitness's settings block, or a dict when it declares none

    def flat(self) -> dict[str, Any]:
        """One plain mapping of every key (defaults filled; `genome` as the block gave it)."""
        fitness = self.fitness if isinstance(self.fitness, dict) else as_dict(self.fitness)
        return {**as_dict(self.task), **as_dict(self.run), **as_dict(self.strategy),
                "genome": to_plain(self.genome), **fitness}


def parse_evolution(block: Any, rule: Any = None, where: str = "evolution") -> Evolution:
    """Check an `evolution:` block for `rule` (module docstring). Without a rule the fitness's
    keys are not known: keys no other part owns are then kept unchecked."""
    if block is not None and not isinstance(block, dict):
        raise AlifeError("the evolution: block must be a mapping", where=where)
    block = dict(block or {})
    owned: dict[str, type] = {key: cls for cls in PARTS for key in block_keys(cls)}
    owned["genome"] = GenomeSettings
    name = block.get("fitness")
    entry = None if rule is None or name is None else fitness_entry(name, rule)
    fitness_cls = None if entry is None else entry.settings
    fitness_keys = block_keys(fitness_cls) if fitness_cls is not None else ()
    free = rule is None or (entry is not None and fitness_cls is None)
    if name is None and rule is not None:  # no fitness named: any of the rule's may own a key
        fitness_keys = tuple({k: None for e in fitness_entries(rule).values()
                              if e.settings is not None for k in block_keys(e.settings)})
    known = list(owned) + list(fitness_keys)
    unknown = [k for k in block if k not in known]
    if unknown and not free:
        raise unknown_key(unknown[0], known, where)
    rest = {k: v for k, v in block.items() if k not in owned}
    parts = {cls: parse_block(cls, {k: v for k, v in block.items() if owned.get(k) is cls},
                              where) for cls in PARTS}
    fitness = parse_block(fitness_cls, rest, where) if fitness_cls is not None else rest
    return Evolution(task=parts[TaskSettings], run=parts[RunSettings],
                     strategy=parts[StrategySettings],
                     genome=parse_block(GenomeSettings, block.get("genome"), f"{where}.genome"),
                     fitness=fitness)


def evolution_settings(block: Any, rule: Any = None) -> dict[str, Any]:
    """The block checked (`parse_evolution`) and flattened over the defaults."""
    return parse_evolution(block, rule).flat()


def check_scene_block(block: Any, rule: Any) -> None:
    """The scene loader's check of an `evolution:` block (`alife.scene.blocks`)."""
    parse_evolution(block, rule)


def evolution_paths(block: Any, rule: Any) -> dict[tuple[str, ...], str]:
    """The path-valued keys of an `evolution:` block for `rule` (`alife.scene.blocks`): those of
    its parts, its genome, and its fitness's settings (every fitness of the rule's when the
    block names none or one the rule does not have)."""
    found: dict[tuple[str, ...], str] = {}
    for cls in PARTS:
        found.update(path_keys(cls))
    found.update({("genome",) + key: base for key, base in path_keys(GenomeSettings).items()})
    name = block.get("fitness") if isinstance(block, dict) else None
    entries = fitness_entries(rule)
    chosen = [entries[name]] if name in entries else list(entries.values())
    for entry in chosen:
        if entry.settings is not None:
            found.update(path_keys(entry.settings))
    return found


blocks.register("evolution", check_scene_block, paths=evolution_paths)
