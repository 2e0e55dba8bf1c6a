"""The shipped evolution tasks (scenes/evolve/): they load, round-trip, and do what they say."""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core import rollout
from alife.core.errors import AlifeError
from alife.evolve.runner import EvolutionRunner
from alife.evolve.task import Task
from alife.rules.nca.fitness import load_target_grid
from alife.scene.io import load_scene, scene_text

ROOT = Path(__file__).resolve().parents[1]
SCENES = sorted((ROOT / "scenes" / "evolve").glob("*.yaml"))
KINDS = {"lenia_mover": "sliders", "lenia_mover_evolved": "sliders", "life_soups": "tables",
         "nca_es": "weights", "biomaker_petri": "weights", "biomaker_landscape": "weights"}


@pytest.mark.parametrize("path", SCENES, ids=lambda p: p.stem)
def test_shipped_task_loads_round_trips_and_builds(path):
    world = load_scene(path)
    assert scene_text(world, path) == path.read_text(encoding="utf-8")
    task = Task(world, world.extra["evolution"])
    assert task.genome.kind == KINDS[path.stem]


def _track(world, steps: int, every: int):
    _, rec = rollout.run(world.rule, world.key, world.state, world.params, steps,
                         record_every=every)
    m = jax.vmap(lambda s: world.rule.metrics(s, world.params))(rec)
    return np.asarray(m["mass"]), np.asarray(m["centre_x"]), np.asarray(m["centre_y"])


def test_evolved_lenia_mover_is_a_persistent_glider_near_chans_orbium():
    world = load_scene(ROOT / "scenes/evolve/lenia_mover_evolved.yaml")
    m0 = float(world.rule.metrics(world.state, world.params)["mass"])
    mass, cx, cy = _track(world, 1000, 10)
    assert np.all((mass > 0.5 * m0) & (mass < 2 * m0))  # 5x the evolution's 200 steps
    wrap = lambda d: (d + 32) % 64 - 32  # noqa: E731
    travelled = np.hypot(wrap(np.diff(cx)).sum(), wrap(np.diff(cy)).sum())
    assert travelled > 100
    # Chan's Orbium: m=0.15, s=0.015 (the values evolution was not told)
    assert abs(float(world.params.mu) - 0.15) < 0.02
    assert abs(float(world.params.sigma) - 0.015) < 0.003
    # ...and the scene it started from dissolves: its fitness is below 1
    start = load_scene(ROOT / "scenes/evolve/lenia_mover.yaml")
    task = Task(start, start.extra["evolution"])
    assert float(task.evaluate_one(task.genome.encode(start.params), start.key)) < 1.0


def test_life_soups_runs_and_decodes_to_a_rule():
    world = load_scene(ROOT / "scenes/evolve/life_soups.yaml",
                       ["evolution.steps=120", "evolution.record_every=12",
                        "evolution.population=6"])
    runner = EvolutionRunner(world)
    rows = [runner.iterate() for _ in range(2)]
    assert 0.0 <= rows[-1]["mean"] <= rows[-1]["fitness"] <= 1.0
    text = world.rule.rule_text(runner.params())
    assert text.startswith("B") and "/S" in text and not text.startswith("B0")


def test_nca_target_fitness_is_minus_the_rgba_error_of_a_plain_rollout():
    world = load_scene(ROOT / "scenes/evolve/nca_es.yaml", ["evolution.population=4"])
    runner = EvolutionRunner(world)
    runner.iterate()
    params = runner.params()
    key = runner.eval_key(runner.best_generation)  # common keys: every candidate's key
    _, run_key = jax.random.split(key)
    final = rollout.run(world.rule, run_key, world.state, params, 48)
    target = load_target_grid(world, world.extra["evolution"])
    assert target.shape == (24, 24, 4) and target[..., 3].max() > 0.9
    mse = np.mean((np.asarray(final.x[..., :4]) - target) ** 2)
    assert runner.best_fitness == pytest.approx(-mse, rel=1e-5)


def test_biomaker_genome_is_the_seed_program_and_init_plants_it():
    world = load_scene(ROOT / "scenes/evolve/biomaker_petri.yaml")
    task = Task(world, world.extra["evolution"])
    d = world.params.programs.shape[1]
    assert task.genome.size == d
    vec = jnp.arange(d, dtype=jnp.float32) / d
    params = task.params(vec)
    np.testing.assert_array_equal(np.asarray(params.programs[0]), np.asarray(vec))
    np.testing.assert_array_equal(np.asarray(params.programs[1:]),
                                  np.asarray(world.params.programs[1:]))
    state = jax.jit(task.start)(jax.random.PRNGKey(0), world.state, params)
    np.testing.assert_array_equal(np.asarray(state.programs[0]), np.asarray(vec))
    seed = np.asarray(state.ids)[np.asarray(state.types) == 6]  # UNSPECIALIZED seed cells
    assert seed.size == 2 and np.all(seed == 0)


def test_a_biomaker_task_must_start_from_init():
    world = load_scene(ROOT / "scenes/evolve/biomaker_petri.yaml", ["evolution.start=scene"])
    with pytest.raises(AlifeError, match="start: init"):
        Task(world, world.extra["evolution"])


@pytest.mark.slow
def test_biomaker_petri_meta_evolution_runs():
    world = load_scene(ROOT / "scenes/evolve/biomaker_petri.yaml",
                       ["evolution.steps=60", "evolution.population=4"])
    runner = EvolutionRunner(world)
    rows = [runner.iterate() for _ in range(2)]
    assert all(np.isfinite(r["fitness"]) and r["fitness"] <= 100 * 60 for r in rows)


@pytest.mark.slow
def test_lenia_mover_evolution_finds_a_mover_again():
    world = load_scene(ROOT / "scenes/evolve/lenia_mover.yaml")
    runner = EvolutionRunner(world)
    for _ in range(runner.iterations):
        runner.iterate()
    assert runner.best_fitness > 50  # a glider: > 49 cells in 200 steps while keeping its mass
