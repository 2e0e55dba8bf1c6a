"""Biomaker rule: growth from a seed, reproduction into free program slots, editing, inspector,
scenes (save mid-run with the program pool, load, continue) and the headless CLI."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.cli import main
from alife.core.errors import AlifeError
from alife.core.rollout import run
from alife.core.types import replace_params
from alife.rules.biomaker import BiomakerRule, mutators
from alife.rules.biomaker.agents import Decisions
from alife.rules.biomaker.config import BiomakerParams
from alife.rules.biomaker.programs import NG, REPRO
from alife.rules.biomaker.reproduction import Pool, reproduce
from alife.rules.biomaker.world import (
    AIR,
    EARTH,
    FLOWER,
    FLOWER_SEXUAL,
    LEAF,
    ROOT,
    UNSPECIALIZED,
    VOID,
    landing_rows,
)
from alife.scene.io import load_scene, save_scene, scene_text

SCENES = Path(__file__).resolve().parents[1] / "scenes" / "biomaker"
#: scene overrides that give the same config as `small_rule()` (one compile serves both)
SMALL = ["rule.config.width=36", "rule.config.height=24", "rule.config.net=minimal",
         "rule.config.pool=8", "rule.config.seeds=1"]


def small_rule(**kw) -> BiomakerRule:
    config = {"preset": "persistence", "width": 36, "height": 24, "net": "minimal", "pool": 8}
    return BiomakerRule(**{**config, **kw})


def test_config_round_trip_and_errors():
    rule = small_rule(width="petri", height=72)
    assert rule.shape == (72, 36)
    assert BiomakerRule(**rule.config()) == rule
    assert BiomakerRule(width="landscape").shape == (72, 128)
    for bad in ({"preset": "nope"}, {"width": "huge"}, {"net": "big"}, {"mutator": "x"}):
        with pytest.raises(AlifeError):
            small_rule(**bad)
    assert small_rule().program_size == 4 * 183
    assert small_rule(net="extended").program_size == 4 * 4058
    assert len(BiomakerRule.state_names) == BiomakerRule.num_states


def test_default_world_layout():
    rule = small_rule()
    params = rule.default_params()
    s = rule.init(jax.random.PRNGKey(0), params)
    t = np.asarray(s.types)
    assert np.all(t[0] == 4) and np.all(t[-1] == 3)          # SUN on top, IMMOVABLE below
    assert np.sum(t == UNSPECIALIZED) == 2 and t[11, 18] == UNSPECIALIZED == t[12, 18]
    st = np.asarray(s.st)
    assert st[11, 18, 2] == pytest.approx(4 * 0.01 + 0.02)
    assert st[5, 5, 3] == pytest.approx(2.0) and st[15, 5, 2] == pytest.approx(2.0)
    assert st[20, 5, 0] > 0                                  # integrity settled at init


def test_seed_specialises_roots_below_leaves_above():
    rule = small_rule()
    params = rule.default_params()
    s = run(rule, jax.random.PRNGKey(0), rule.init(jax.random.PRNGKey(0), params), params, 150)
    t = np.asarray(s.types)
    rows = np.broadcast_to(np.arange(24)[:, None], t.shape)
    assert np.sum(t == ROOT) >= 5 and np.sum(t == LEAF) >= 5
    assert np.mean(rows[t == ROOT] >= 12) > 0.9               # roots in the earth
    assert np.mean(rows[t == LEAF] <= 11) > 0.9               # leaves in the air
    assert rows[t == ROOT].mean() > rows[t == LEAF].mean() + 4


@pytest.mark.slow
def test_seed_flowers_and_reproduces():
    rule = small_rule(width=48, height=36)
    params = rule.default_params()
    s = run(rule, jax.random.PRNGKey(0), rule.init(jax.random.PRNGKey(0), params), params, 2000)
    m = rule.metrics(s, params)
    assert int(m["reproductions_total"]) >= 1 and int(m["programs"]) >= 2


REPRODUCE = jax.jit(reproduce, static_argnums=(7, 8))


def _flower_world(pool_used: int):
    """A 12 x 40 world, one rich FLOWER (id 0) at column 5; `pool_used` slots alive."""
    rule = BiomakerRule(preset="persistence", width=40, height=12, net="minimal", pool=4, seeds=0)
    params = rule.default_params()
    params = params.__class__(**{**params.__dict__, "mutation_sd": jnp.float32(0.1)})
    s = rule.init(jax.random.PRNGKey(0), params)
    types, st, ids = s.types.at[5, 5].set(FLOWER), s.st.at[5, 5, 2:4].set(3.0), s.ids
    for slot in range(1, pool_used):
        types, ids = types.at[10, slot].set(ROOT), ids.at[10, slot].set(slot)
        st = st.at[10, slot, 2:4].set(1.0)
    glob = jnp.zeros((12, 40, NG)).at[5, 5, REPRO].set(1.0)
    dec = Decisions(jnp.zeros((12, 40, 8)), jnp.zeros((12, 40, 8, 2)), glob)
    return rule, params, types, st, ids, s.programs, dec


def test_reproduction_mutates_into_a_free_slot():
    rule, params, types, st, ids, programs, dec = _flower_world(pool_used=2)
    pool = Pool(programs, jnp.zeros((1, 1)), jnp.zeros(4, bool))
    t, s, i, pool, born = REPRODUCE(jax.random.PRNGKey(3), types, st, ids, pool, dec, params,
                                    False, False)
    t, s, i = np.asarray(t), np.asarray(s), np.asarray(i)
    assert int(born) == 1 and t[5, 5] == VOID
    seed = np.argwhere(t == UNSPECIALIZED)
    assert len(seed) == 2 and seed[0][1] == seed[1][1]
    col = seed[0][1]
    assert 15 <= abs(col - 5) <= 35
    assert np.all(i[t == UNSPECIALIZED] == 2)                # first slot with no living agent
    np.testing.assert_allclose(s[t == UNSPECIALIZED][:, 2:4], 1.0)   # (3 - 1) / 2 each
    changed = np.asarray(pool.programs[2] != programs[0])
    assert 0.1 < changed.mean() < 0.3                        # fraction 0.2 of the parameters
    np.testing.assert_array_equal(np.asarray(pool.programs[:2]), np.asarray(programs[:2]))


def test_reproduction_without_a_free_slot_is_cancelled():
    rule, params, types, st, ids, programs, dec = _flower_world(pool_used=4)
    pool = Pool(programs, jnp.zeros((1, 1)), jnp.zeros(4, bool))
    t, _, _, _, born = REPRODUCE(jax.random.PRNGKey(3), types, st, ids, pool, dec, params,
                                 False, False)
    assert int(born) == 0 and int(t[5, 5]) == FLOWER


def test_mutators():
    key = jax.random.PRNGKey(0)
    p = jnp.zeros(10000)
    out = jax.jit(mutators.basic)(key, p, jnp.float32(0.2), jnp.float32(1e-3))
    frac = float(jnp.mean(out != 0))
    assert 0.18 < frac < 0.22 and 0.5e-3 < float(jnp.std(out[out != 0])) < 2e-3
    child, sd = jax.jit(mutators.adaptive)(key, p, jnp.full(10000, 20.0), jnp.float32(1.0))
    assert float(sd.max()) <= 10.0 and float(sd.min()) >= 1e-5
    a, b = jnp.zeros(5000), jnp.ones(5000)
    mixed = np.asarray(jax.jit(mutators.crossover)(key, a, b))
    switches = np.sum(mixed[1:] != mixed[:-1])
    assert 0 < mixed.mean() < 1 and switches < 5000 / 64 * 2    # contiguous segments


def test_paint_erase_materials_and_plants():
    rule = small_rule()
    params = rule.default_params()
    s = run(rule, jax.random.PRNGKey(0), rule.init(jax.random.PRNGKey(0), params), params, 60)
    mask = jnp.zeros(rule.shape, bool).at[:, 10:26].set(True)
    erased = rule.paint(s, params, mask, jnp.asarray(ROOT))  # an agent type erases plants
    t = np.asarray(erased.types)
    assert not np.any((t >= UNSPECIALIZED) & (t <= 10))
    assert np.all(t[np.asarray(s.types) == EARTH] == EARTH)   # materials untouched
    removed = rule.remove_entities(s, params, mask)
    np.testing.assert_array_equal(np.asarray(removed.types), t)
    earth = rule.paint(s, params, mask, jnp.asarray(EARTH))
    assert np.all(np.asarray(earth.types)[:, 10:26] == EARTH)
    assert float(earth.st[3, 12, 2]) == pytest.approx(2.0)
    void = rule.paint(s, params, mask, jnp.asarray(-1))
    assert np.all(np.asarray(void.types)[:, 10:26] == VOID)


def test_place_seed_and_inspect():
    rule = small_rule(seeds=0)
    params = rule.default_params()
    s = rule.init(jax.random.PRNGKey(0), params)
    s = rule.place_seed(s, params, 7, 3)
    assert int(landing_rows(s.types)[8]) == 11                # the highest AIR above EARTH
    assert int(s.types[10, 7]) == AIR and int(s.types[13, 7]) == EARTH
    assert int(s.types[11, 7]) == UNSPECIALIZED == int(s.types[12, 7])
    assert int(s.ids[12, 7]) == 3
    info = rule.inspect(s, params, 11, 7)
    assert info["type"] == "unspecialized" and info["id"] == 3
    assert info["program_params"] == rule.program_size and info["program_cells"] == 2
    assert info["earth_nutrient"] == pytest.approx(0.06)
    assert rule.inspect(s, params, 3, 3)["type"] == "air"
    m = rule.metrics(s, params)
    assert int(m["agents"]) == 2 and int(m["programs"]) == 1
    assert int(rule.population(s)) == 2



def test_place_plants_a_seed_or_says_why():
    rule = small_rule(seeds=0)
    params = rule.default_params()
    s = rule.init(jax.random.PRNGKey(0), params)
    choices = rule.place_choices(params)
    assert len(choices) == rule.pool and choices[3] == "seed: program 3"
    placed = rule.place(s, params, 0, 7, 3)  # the row does not matter: seeds land on soil
    same = rule.place_seed(s, params, 7, 3)
    for a, b in zip(jax.tree_util.tree_leaves(placed), jax.tree_util.tree_leaves(same),
                    strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    barren = rule.paint(s, params, jnp.zeros(rule.shape, bool).at[:, 7].set(True),
                        jnp.asarray(AIR))
    with pytest.raises(AlifeError, match="no fertile soil in column 7"):
        rule.place(barren, params, 0, 7, 3)
    with pytest.raises(AlifeError, match="seed program"):
        rule.place(s, params, 0, 7, rule.pool)

def test_view_and_overlay():
    rule = small_rule()
    params = rule.default_params()
    s = rule.init(jax.random.PRNGKey(0), params)
    v = np.asarray(rule.view(s, params))
    assert v.shape == (24, 36, 3) and v.dtype == np.uint8
    assert not np.array_equal(v[5, 5], v[20, 5])
    over = params.__class__(**{**params.__dict__, "overlay": jnp.float32(2.0)})
    assert not np.array_equal(np.asarray(rule.view(s, over)), v)


def test_scene_saved_mid_run_continues_with_its_program_pool(tmp_path):
    world = load_scene(SCENES / "persistence.yaml", SMALL)
    world = world.with_state(run(world.rule, world.key, world.state, world.params, 20))
    marked = world.state.programs.at[3, :5].set(7.0)          # a pool the defaults cannot make
    world = world.with_state(world.state.__class__(
        **{**world.state.__dict__, "programs": marked}))
    saved = save_scene(world, tmp_path / "mid.yaml")
    loaded = load_scene(tmp_path / "mid.yaml")
    for a, b in zip(jax.tree_util.tree_leaves(loaded.state), jax.tree_util.tree_leaves(saved.state),
                    strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert float(loaded.state.programs[3, 0]) == 7.0
    a = run(world.rule, world.key, world.state, world.params, 10)
    b = run(loaded.rule, loaded.key, loaded.state, loaded.params, 10)
    np.testing.assert_array_equal(np.asarray(a.types), np.asarray(b.types))


def test_an_edited_program_bank_goes_to_a_params_sidecar(tmp_path):
    world = load_scene(SCENES / "persistence.yaml", SMALL)
    bank = world.params.programs.at[0, 0].set(3.5)
    world = dataclasses.replace(world, params=replace_params(world.params, programs=bank,
                                                             spawn_cost=0.5))
    save_scene(world, tmp_path / "bank.yaml")
    text = (tmp_path / "bank.yaml").read_text()
    assert (tmp_path / "bank.params.npz").is_file() and "bank.params.npz" in text
    back = load_scene(tmp_path / "bank.yaml")
    assert float(back.params.programs[0, 0]) == 3.5 and float(back.params.spawn_cost) == 0.5
    np.testing.assert_array_equal(np.asarray(back.state.programs),    # the live pool as it was
                                  np.asarray(world.state.programs))
    fresh = load_scene(tmp_path / "bank.yaml", ["init.default={}"])
    assert float(fresh.state.programs[0, 0]) == 3.5         # a fresh start plants the bank


def test_every_scene_loads_and_is_canonical():
    for path in sorted(SCENES.glob("*.yaml")):
        assert scene_text(load_scene(path), path) == path.read_text(encoding="utf-8")
        small = ["rule.config.width=36", "rule.config.net=minimal", "rule.config.pool=4"]
        if "params" in load_scene(path).source["rule"]:  # a shipped bank fixes net and pool
            small = small[:1]
        world = load_scene(path, small)
        assert isinstance(world.params, BiomakerParams)
        assert int(world.rule.metrics(world.state, world.params)["agents"]) >= 2


def test_headless_run_writes_metrics(tmp_path):
    out = tmp_path / "m.csv"
    args = ["run", str(SCENES / "persistence.yaml"), "--steps", "30", "--metrics", str(out),
            "--every", "10", "--out", str(tmp_path / "end.npz"), "--quiet"]
    for o in SMALL:
        args += ["--set", o]
    assert main(args) == 0
    rows = list(csv.DictReader(out.open()))
    assert [int(r["generation"]) for r in rows] == [0, 10, 20, 30]
    assert {"agents", "roots", "leaves", "flowers", "energy", "programs",
            "reproductions_total"} <= set(rows[0])
    assert int(rows[-1]["agents"]) > 2
    back = load_scene(SCENES / "persistence.yaml", SMALL + [f"init.npz.file={tmp_path}/end.npz"])
    assert back.generation == 30 and back.state.programs.shape == (8, 4 * 183)
    assert int(back.rule.metrics(back.state, back.params)["agents"]) == int(rows[-1]["agents"])


@pytest.mark.slow
def test_persistence_world_alive_after_10000_steps():
    world = load_scene(SCENES / "persistence.yaml")
    assert world.rule.seeds == 3 and world.rule.shape == (72, 128)
    state = run(world.rule, world.key, world.state, world.params, 10000)
    m = world.rule.metrics(state, world.params)
    assert int(m["agents"]) > 50 and int(m["roots"]) > 0 and int(m["leaves"]) > 0


def _sexual_world(adaptive: bool):
    rule, params, types, st, ids, programs, dec = _flower_world(pool_used=1)
    types = types.at[5, 5].set(FLOWER_SEXUAL).at[5, 30].set(FLOWER_SEXUAL)
    st = st.at[5, 30, 2:4].set(3.0).at[5, 5, 4].set(1.0).at[5, 30, 4].set(-1.0)  # two sexes
    ids = ids.at[5, 30].set(1)
    programs = programs.at[0].set(0.0).at[1].set(1.0)
    glob = dec.glob.at[5, 30, REPRO].set(1.0)
    dec = dec._replace(glob=glob)
    sigma = jnp.full(programs.shape, 1e-3) if adaptive else jnp.zeros((1, 1))
    return params, types, st, ids, Pool(programs, sigma, jnp.zeros(4, bool)), dec


def test_sexual_flowers_cross_over_into_a_free_slot():
    params, types, st, ids, pool, dec = _sexual_world(adaptive=False)
    t, s, i, out, born = REPRODUCE(jax.random.PRNGKey(1), types, st, ids, pool, dec, params,
                                   False, True)
    t, s, i = np.asarray(t), np.asarray(s), np.asarray(i)
    assert int(born) == 1 and t[5, 5] == VOID and t[5, 30] == VOID
    assert np.all(i[t == UNSPECIALIZED] == 2)
    np.testing.assert_allclose(s[t == UNSPECIALIZED][:, 2:4], 2.0)   # (2 + 2) / 2 each
    child = np.asarray(out.programs[2])
    near0, near1 = np.abs(child) < 0.5, np.abs(child - 1) < 0.5
    assert np.all(near0 | near1) and 0.05 < near1.mean() < 0.95      # segments of both parents


def test_adaptive_mutator_gives_the_child_its_own_sigma():
    rule, params, types, st, ids, programs, dec = _flower_world(pool_used=2)
    pool = Pool(programs, jnp.full(programs.shape, 1e-2), jnp.zeros(4, bool))
    _, _, _, out, born = REPRODUCE(jax.random.PRNGKey(3), types, st, ids, pool, dec, params,
                                   True, False)
    assert int(born) == 1
    sigma = np.asarray(out.sigma[2])
    assert not np.allclose(sigma, 1e-2) and np.all((sigma > 5e-3) & (sigma < 2e-2))
    np.testing.assert_array_equal(np.asarray(out.sigma[:2]), np.float32(1e-2))
    adaptive = small_rule(mutator="adaptive")
    start = adaptive.init(jax.random.PRNGKey(0), adaptive.default_params())
    assert start.sigma.shape == (8, 4 * 183) and float(start.sigma[0, 0]) == pytest.approx(1e-3)
