"""Evolution engine: genomes, fitness functions, strategies, the runner and its checkpoints."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core import rollout
from alife.core.errors import AlifeError
from alife.evolve.genome import build_genome
from alife.evolve.runner import EvolutionRunner
from alife.evolve.strategies import canonical_name
from alife.evolve.task import Task
from alife.scene.io import world_from_tree
from alife.scene.schema import Where

LIFE = {"version": 1, "name": "soup",
        "rule": {"family": "life", "config": {"rule": "B3/S23", "width": 24, "height": 24}},
        "init": {"random": {"density": 0.35}},
        "evolution": {"fitness": "life_longevity", "steps": 24, "record_every": 6,
                      "start": "random", "density": 0.35, "strategy": "ga", "population": 6,
                      "generations": 3}}
LENIA = {"version": 1, "name": "mover",
         "rule": {"family": "lenia", "config": {"width": 40, "height": 40, "start": "orbium"}},
         "evolution": {"fitness": "lenia_mover", "steps": 20, "record_every": 5,
                       "strategy": "pgpe", "population": 6, "generations": 2}}


def world(tree: dict, **evolution):
    tree = {**tree, "evolution": {**tree["evolution"], **evolution}}
    return world_from_tree(tree, Where("test"), Path("."))


# ---- genomes -------------------------------------------------------------------------------
def test_slider_genome_scales_by_slider_range_and_clips():
    w = world(LENIA)
    g = build_genome(w.rule, w.params, {})
    assert g.kind == "sliders" and [x.name for x in g.genes] == ["mu", "sigma", "dt", "radius"]
    vec = np.asarray(g.encode(w.params))
    mu = float(w.params.mu)
    assert vec[0] == pytest.approx((mu - 0.0) / 0.7)  # LeniaParams.mu's range: 0 .. 0.7
    back = g.decode(jnp.asarray(vec), w.params)
    assert float(back.mu) == pytest.approx(mu, rel=1e-6)
    wild = g.decode(jnp.asarray([-3.0, 5.0, 0.5, 0.0]), w.params)
    assert float(wild.mu) == 0.0 and float(wild.sigma) == pytest.approx(0.25)  # sigma's top
    assert float(wild.dt) == pytest.approx(0.505) and float(wild.radius) == pytest.approx(3.0)
    np.testing.assert_array_equal(np.asarray(wild.peaks), np.asarray(w.params.peaks))


def test_explicit_bounds_and_unknown_gene():
    w = world(LENIA)
    g = build_genome(w.rule, w.params, {"genes": {"mu": [0.1, 0.2], "peaks": [0, 1]}})
    assert g.size == 1 + w.params.peaks.size
    assert float(g.decode(jnp.ones(g.size), w.params).mu) == pytest.approx(0.2)
    with pytest.raises(AlifeError, match="unknown gene"):
        build_genome(w.rule, w.params, {"genes": ["nope"]})


def test_table_genome_is_the_bs_tables_and_keeps_b0_off():
    w = world(LIFE)
    g = build_genome(w.rule, w.params, {})
    assert g.kind == "tables" and g.size == 18
    vec = np.asarray(g.encode(w.params))
    assert vec[3] == 1 and vec[9 + 2] == 1 and vec[9 + 3] == 1 and vec.sum() == 3
    p = g.decode(jnp.ones(18) * 0.9, w.params)
    assert not bool(p.birth[0]) and bool(p.birth[1:].all()) and bool(p.survive.all())
    assert w.rule.rule_text(g.decode(jnp.asarray(vec), w.params)) == "B3/S23"


# ---- fitness ------------------------------------------------------------------------------
def _score(w, params=None, steps=None):
    task = Task(w, {**w.extra["evolution"], **({"steps": steps} if steps else {})})
    vec = task.genome.encode(params if params is not None else w.params)
    return float(task.evaluate_one(vec, jax.random.PRNGKey(0)))


def _scores(w, params: list, steps: int) -> list[float]:
    task = Task(w, {**w.extra["evolution"], "steps": steps})
    fn = jax.jit(task.evaluate_one)
    return [float(fn(task.genome.encode(p), jax.random.PRNGKey(0))) for p in params]


def test_lenia_mover_rewards_the_gliding_orbium_over_a_frozen_one():
    w = world(LENIA)
    p = w.params
    frozen = dataclasses.replace(p, dt=jnp.float32(0.01))
    dead = dataclasses.replace(p, mu=jnp.float32(0.5))
    moving, frozen, dead = _scores(w, [p, frozen, dead], steps=60)
    # Orbium glides ~0.6 cells per step at T=10 (37 cells in 60 steps), 10x slower at T=100
    assert moving > 20 and 1.0 < frozen < 6 and moving > 5 * frozen
    assert dead < 0.5


def test_life_fitness_matches_numpy_reference():
    w = world(LIFE, fitness="life_complexity", start="scene")
    task = Task(w, w.extra["evolution"])
    traj, final, params = task.rollout(task.genome.encode(w.params), jax.random.PRNGKey(0))
    grid = np.asarray(w.rule.cells(w.state)) != 0
    states = [grid]
    _, rec = rollout.run(w.rule, jax.random.PRNGKey(1), w.state, w.params, 24, record_every=6)
    for i in range(4):
        state = jax.tree_util.tree_map(lambda x, i=i: x[i], rec)
        states.append(np.asarray(w.rule.cells(state)) != 0)
    for i, s in enumerate(states):
        code = (s + 2 * np.roll(s, -1, 0) + 4 * np.roll(s, -1, 1) +
                8 * np.roll(s, (-1, -1), (0, 1))).astype(int)
        p = np.bincount(code.ravel(), minlength=16) / s.size
        ent = -sum(x * np.log2(x) for x in p if x > 0)
        assert float(traj["entropy"][i]) == pytest.approx(ent, abs=1e-5)
        assert float(traj["density"][i]) == pytest.approx(s.mean(), abs=1e-6)
        if i:
            assert float(traj["change"][i]) == pytest.approx((s != states[i - 1]).mean())
    empty = world(LIFE, start="scene", density=0.0)
    empty = empty.with_state(empty.rule.blank(empty.params))
    assert _score(empty) == 0.0  # nothing lives: no longevity


def test_unknown_names_are_user_errors():
    with pytest.raises(AlifeError, match="unknown fitness"):
        Task(world(LIFE), {**LIFE["evolution"], "fitness": "nope"})
    with pytest.raises(AlifeError, match="unknown strategy"):
        canonical_name("adamw")
    with pytest.raises(AlifeError, match="even"):
        EvolutionRunner(world(LENIA, population=5))


# ---- the runner ---------------------------------------------------------------------------
def test_vmapped_population_matches_one_by_one_evaluation():
    r = EvolutionRunner(world(LIFE, common_keys=False))
    vecs = np.asarray(jax.random.uniform(jax.random.PRNGKey(3), (5, r.task.genome.size)))
    key = jax.random.PRNGKey(7)
    batched = r.evaluate(vecs, key)
    one = [float(r.task.evaluate_one(jnp.asarray(v), jax.random.fold_in(key, i)))
           for i, v in enumerate(vecs)]
    np.testing.assert_allclose(batched, one, rtol=0, atol=0)
    assert len(set(np.round(batched, 6))) > 1


@pytest.mark.parametrize("strategy", ["pgpe", "openes", "cma_es", "snes", "ga"])
def test_every_strategy_runs_and_tracks_the_best(strategy):
    r = EvolutionRunner(world(LENIA, strategy=strategy, steps=10))
    rows = [r.iterate() for _ in range(2)]
    assert [x["step"] for x in rows] == [1, 2]
    assert all(np.isfinite(x["fitness"]) and x["fitness"] >= x["mean"] for x in rows)
    assert rows[-1]["best_ever"] == max(x["fitness"] for x in rows)
    assert float(r.task.evaluate_one(jnp.asarray(r.best_vector), r.eval_key(
        r.best_generation))) == pytest.approx(rows[-1]["best_ever"])


def test_ga_keeps_the_start_genome_in_its_first_population():
    r = EvolutionRunner(world(LIFE))
    start = r.evaluate(r.start_vector[None], r.eval_key(0))[0]
    r.iterate()
    assert r.best_fitness >= start


def test_checkpoint_resume_is_bit_identical(tmp_path):
    for strategy in ("pgpe", "ga"):
        tree = LENIA if strategy == "pgpe" else LIFE
        a = EvolutionRunner(world(tree, strategy=strategy, steps=10))
        rows_a = [a.iterate() for _ in range(3)]
        b = EvolutionRunner(world(tree, strategy=strategy, steps=10))
        b.iterate()
        b.save_checkpoint(tmp_path / f"{strategy}.npz")
        c = EvolutionRunner(world(tree, strategy=strategy, steps=10))
        c.load_checkpoint(tmp_path / f"{strategy}.npz")
        assert c.step == 1
        rows_c = [c.iterate() for _ in range(2)]
        for x, y in zip(rows_a[1:], rows_c, strict=True):
            assert (x["fitness"], x["mean"], x["best_ever"]) == \
                (y["fitness"], y["mean"], y["best_ever"])
        np.testing.assert_array_equal(a.best_vector, c.best_vector)
    with pytest.raises(AlifeError, match="checkpoint of a SimpleGA"):
        EvolutionRunner(world(LIFE, strategy="cma_es")).load_checkpoint(tmp_path / "ga.npz")


def test_distributed_flags_are_checked_before_jax_starts(monkeypatch):
    from alife.evolve.sharding import initialize_distributed

    monkeypatch.delenv("SLURM_JOB_ID", raising=False)
    assert initialize_distributed(None, None, None) is False
    with pytest.raises(AlifeError, match="need --coordinator"):
        initialize_distributed(None, 2, 1)
    with pytest.raises(AlifeError, match="needs --num-processes"):
        initialize_distributed("127.0.0.1:1234", None, 0)
    monkeypatch.setenv("SLURM_JOB_ID", "7")
    monkeypatch.setenv("SLURM_NTASKS", "1")  # a one-task SLURM job is a plain run
    assert initialize_distributed(None, None, None) is False


def test_the_best_so_far_is_evosax_state_and_checkpointed_once(tmp_path):
    r = EvolutionRunner(world(LENIA, strategy="pgpe", steps=10))
    np.testing.assert_array_equal(r.best_vector, r.start_vector)
    assert r.best_fitness == -np.inf and r.best_generation == -1
    rows = [r.iterate() for _ in range(2)]
    assert r.best_fitness == np.float32(-r.es_state.best_fitness) == rows[-1]["best_ever"]
    np.testing.assert_array_equal(r.best_vector, np.asarray(r.es_state.best_solution))
    r.save_checkpoint(tmp_path / "c.npz")
    names = set(np.load(tmp_path / "c.npz").files)
    assert "es/best_solution" in names and not any(n.startswith("best") for n in names)
