"""Agents family (JaxLife): neighbour search, terrain effects, energy accounting, reproduction,
re-seeding, lineage, determinism and resume, tools. Small worlds and the small brain."""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife import families as registry
from alife.core.errors import AlifeError
from alife.core.fileio import load_tree, save_tree
from alife.core.rollout import run
from alife.core.types import replace_params
from alife.rules.agents import AgentsRule, actions, neighbours, reproduction, terrain

CONFIG = registry.families()["agents"].example   # shares compiles with the conformance test


@pytest.fixture(scope="module")
def rule() -> AgentsRule:
    return AgentsRule(**CONFIG)


def _brute(query, exclude, pos, alive, k, radius, h, w):
    size = np.asarray([h, w], np.float64)
    out = []
    for q in range(len(query)):
        d = pos - query[q]
        d = d - size * np.round(d / size)
        dist = np.hypot(d[:, 0], d[:, 1])
        ok = alive & (dist <= radius) & (np.arange(len(pos)) != exclude[q])
        order = [i for i in np.argsort(dist, kind="stable") if ok[i]][:k]
        out.append((order, d[order]))
    return out


def test_grid_neighbours_match_a_brute_force_reference():
    rng = np.random.default_rng(0)
    h, w, n, k, radius = 48, 64, 300, 6, 5.0
    pos = (rng.random((n, 2)) * [h, w]).astype(np.float32)
    alive = rng.random(n) < 0.8
    table = neighbours.build(jnp.asarray(pos), jnp.asarray(alive), h, w, radius, 64)
    assert int(neighbours.bucket_counts(jnp.asarray(pos), jnp.asarray(alive), h, w,
                                        radius).max()) <= 64  # no overflow: exact
    found = neighbours.query(table, jnp.asarray(pos), jnp.arange(n), jnp.asarray(pos), k,
                             radius, h, w)
    expected = _brute(pos.astype(np.float64), np.arange(n), pos.astype(np.float64), alive, k,
                      radius, h, w)
    index, valid = np.asarray(found.index), np.asarray(found.valid)
    offset = np.asarray(found.offset)
    for q, (order, deltas) in enumerate(expected):
        assert list(index[q][valid[q]]) == order
        np.testing.assert_allclose(offset[q][valid[q]], deltas, atol=1e-4)  # signed offsets
    assert valid.sum() > n  # the test sees real neighbours
    brute = neighbours.brute(jnp.asarray(pos), jnp.arange(n), jnp.asarray(pos),
                             jnp.asarray(alive), k, radius, h, w)
    np.testing.assert_array_equal(np.asarray(brute.index), index)


def test_eating_and_terraforming_by_scatter_add_equal_a_dense_reference():
    rng = np.random.default_rng(1)
    h, w, n = 6, 5, 40   # many agents share cells
    cells = (rng.random((8, h, w)) * np.asarray(terrain.CAPS)[:, None, None]).astype(np.float32)
    row, col = rng.integers(0, h, n), rng.integers(0, w, n)
    want = (rng.random(n) < 0.7).astype(np.float32)
    deltas = rng.uniform(-1, 1, (n, 5)).astype(np.float32)
    gained, eaten = actions.eat(jnp.asarray(cells), jnp.asarray(row), jnp.asarray(col),
                                jnp.asarray(want), jnp.asarray(0.2))
    shaped = actions.terraform(jnp.asarray(cells), jnp.asarray(row), jnp.asarray(col),
                               jnp.asarray(deltas), jnp.asarray(0.1))
    # dense reference: one world-sized diff per agent, summed (what the reference code does)
    energy = cells[terrain.ENERGY].astype(np.float64)
    ask = np.zeros((n, h, w))
    for i in range(n):
        ask[i, row[i], col[i]] = 0.2 * energy[row[i], col[i]] * want[i]
    total = ask.sum(0)
    scale = np.where(total > energy, energy / np.maximum(total, 1e-12), 1.0)
    expected_gain = np.asarray([ask[i, row[i], col[i]] * scale[row[i], col[i]] for i in range(n)])
    np.testing.assert_allclose(np.asarray(gained), expected_gain, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(eaten[terrain.ENERGY]),
                               np.maximum(energy - (ask * scale).sum(0), 0), rtol=1e-5,
                               atol=1e-5)
    diff = np.zeros((n, 8, h, w))
    for i in range(n):
        for j, p in enumerate(terrain.TERRAFORMED):
            diff[i, p, row[i], col[i]] += 0.1 * deltas[i, j]
    dense = np.clip(cells + diff.sum(0), 0, np.asarray(terrain.CAPS)[:, None, None])
    np.testing.assert_allclose(np.asarray(shaped), dense, rtol=1e-5, atol=1e-5)


def _quiet(rule: AgentsRule, **extra):
    """Params with no births, no terraforming and a terrain that does not regrow; hits move
    energy between agents without loss (hit_steal 1) and strongly (hit_decay 0)."""
    values = dict(reproduce_cost=1e6, hit_steal=1.0, hit_decay=0.0, terraform_step=0.0,
                  regrow_offset=0.0, relax=0.0, weather_speed=0.0, initial_energy=100.0)
    return replace_params(rule.default_params(), **{**values, **extra})


def test_energy_accounting_over_one_step(rule):
    params = _quiet(rule)
    state = rule.init(jax.random.PRNGKey(2), params)
    cells = state.terrain.cells.at[terrain.GAIN].set(0.0)
    state = dataclasses.replace(state, terrain=dataclasses.replace(state.terrain, cells=cells))
    after = run(rule, jax.random.PRNGKey(3), state, params, 1)
    a0, a1 = state.agents, after.agents
    alive = np.asarray(a0.alive)
    assert np.array_equal(alive, np.asarray(a1.alive)) and int(after.births) == 0
    # the costs, recomputed from the actions the agents took (kept as `last`)
    last = np.asarray(a1.last, np.float64)
    row = np.floor(np.asarray(a0.position)[:, 0]).astype(int) % rule.height
    col = np.floor(np.asarray(a0.position)[:, 1]).astype(int) % rule.width
    c = np.asarray(state.terrain.cells, np.float64)
    cost = (0.5 * c[terrain.MOVE, row, col] * (abs(last[:, 0]) + abs(last[:, 1]))
            + 0.25 * c[terrain.PUSH, row, col] * abs(last[:, 2])
            + 0.0 * c[terrain.MESSAGE, row, col] * np.maximum(last[:, 6], 0)
            + 0.4 * abs(last[:, 5]) + 0.001 * abs(last[:, 7:12]).sum(1)
            + 0.25 + np.asarray(a0.age) / 256.0) * alive
    np.testing.assert_allclose(float(after.spent_step), cost.sum(), rtol=1e-4)
    change = np.asarray(a1.energy, np.float64) - np.asarray(a0.energy)
    eaten = float(after.eaten)
    hits = np.abs(last[:, 5]) * alive
    assert hits.max() > 0.01   # hits happened, so the sum below checks they conserve energy
    np.testing.assert_allclose(change.sum(), eaten - cost.sum(), rtol=1e-4, atol=1e-3)
    # what the agents ate is what the terrain lost
    lost = c[terrain.ENERGY].sum() - float(np.asarray(after.terrain.cells[terrain.ENERGY]).sum())
    np.testing.assert_allclose(lost, eaten, rtol=1e-4, atol=1e-3)
    assert float(after.spent) == pytest.approx(float(after.spent_step))
    # without stealing, hits only destroy energy: gifts (negative hits) come out of the giver
    pos = np.asarray(a0.position)
    gap = pos[:, None] - pos[None]
    gap -= np.asarray(rule.shape) * np.round(gap / np.asarray(rule.shape))
    near = (np.hypot(gap[..., 0], gap[..., 1]) <= rule.view_radius) & alive[None] & alive[:, None]
    np.fill_diagonal(near, False)
    assert ((last[:, 5] < -0.01) & near.any(1)).any()   # someone gave energy to a neighbour
    stingy = run(rule, jax.random.PRNGKey(3), state, _quiet(rule, hit_steal=0.0), 1)
    change = float(np.sum(np.asarray(stingy.agents.energy, np.float64) - np.asarray(a0.energy)))
    seen = _brute(pos.astype(np.float64), np.arange(len(pos)), pos.astype(np.float64), alive,
                  rule.view_agents, rule.view_radius, *rule.shape)
    taken = np.asarray([last[i, 5] * len(seen[i][0]) for i in range(len(pos))]) * alive
    lost = np.maximum(taken, 0).sum()         # what positive hits destroy (no stealing)
    np.testing.assert_allclose(change, float(stingy.eaten) - float(stingy.spent_step) - lost,
                               rtol=1e-4, atol=1e-3)


def test_reproduction_fills_free_slots_and_copies_the_right_parent(rule):
    params = replace_params(rule.default_params(), mutation_std=0.01)
    state = rule.init(jax.random.PRNGKey(4), params)
    agents = state.agents
    n = rule.capacity
    alive = np.zeros(n, bool)
    alive[[1, 4, 6]] = True
    energy = np.where(alive, 60.0, 0.0).astype(np.float32)
    energy[6] = 0.5                                      # too poor to reproduce
    agents = dataclasses.replace(agents, alive=jnp.asarray(alive), energy=jnp.asarray(energy),
                                 lineage=jnp.arange(n, dtype=jnp.int32) + 100)
    cells = state.terrain.cells.at[terrain.REPRODUCE].set(0.5)
    wants = jnp.asarray(alive)
    births = jax.jit(reproduction.reproduce, static_argnums=(1, 8))
    born, slot, granted, paid, next_id = births(
        jax.random.PRNGKey(5), rule.spec, agents, cells, wants, jnp.asarray(500), jnp.asarray(7),
        params, rule.max_births)
    granted, slot = np.asarray(granted), np.asarray(slot)
    assert granted.sum() == 2 and int(next_id) == 502
    children = sorted(slot[granted].tolist())
    assert children == [0, 2]                              # the first free slots
    cost = 32.0 * 0.5 * 3 / n
    assert float(paid) == pytest.approx(2 * cost, rel=1e-5)
    b_alive, b_energy = np.asarray(born.alive), np.asarray(born.energy)
    assert b_alive[[0, 1, 2, 4, 6]].all() and b_alive.sum() == 5
    np.testing.assert_allclose(b_energy[[1, 4]], 60.0 - cost, rtol=1e-5)
    np.testing.assert_allclose(b_energy[children], 32.0)
    leaves = jax.tree_util.tree_leaves(born.genome)
    parents = [int(born.parent[c]) - 100 for c in children]
    assert sorted(parents) == [1, 4]
    for child, parent in zip(children, parents, strict=True):
        other = 5 - parent                                # the other parent (1 <-> 4)
        diff = np.concatenate([np.ravel(x[child] - x[parent]) for x in leaves])
        far = np.concatenate([np.ravel(x[child] - x[other]) for x in leaves])
        assert abs(diff.std() - 0.01) < 0.001 and abs(diff.mean()) < 0.001
        assert np.abs(far).mean() > 10 * np.abs(diff).mean()
        np.testing.assert_allclose(np.asarray(born.position[child]),
                                   np.asarray(agents.position[parent]))
        idd = np.asarray(born.idvec[child] - agents.idvec[parent])
        assert np.all(np.abs(idd) <= 1.0 + 1e-6) and np.abs(idd).sum() > 0
        assert int(born.depth[child]) == int(agents.depth[parent]) + 1
        assert int(born.birth[child]) == 7 and float(born.h[child].sum()) == 0.0
    # with parent_pays_child the child's energy comes out of its parent
    paying = replace_params(params, parent_pays_child=1.0)
    born2, slot2, granted2, paid2, _ = births(
        jax.random.PRNGKey(5), rule.spec, agents, cells, wants, jnp.asarray(500),
        jnp.asarray(7), paying, rule.max_births)
    assert float(paid2) == pytest.approx(float(paid))
    np.testing.assert_allclose(np.asarray(born2.energy)[[1, 4]], 60.0 - cost - 32.0, rtol=1e-5)
    total = float(np.asarray(born2.energy)[np.asarray(born2.alive)].sum())
    assert total == pytest.approx(120.5 - 2 * cost, rel=1e-5)      # only the cost is spent
    # one key per leaf: two leaves of the same shape get different noise
    kernels = [x for x in leaves if x.shape[1:] == (16, 16)]
    noise = [np.asarray(x[children[0]] - x[parents[0]]) for x in kernels[:2]]
    assert not np.allclose(noise[0], noise[1])


def test_reseed_when_all_die_and_lineage_log(rule):
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(6), params)
    dead = dataclasses.replace(state.agents, energy=jnp.full((rule.capacity,), -100.0, jnp.float32))
    state = dataclasses.replace(state, agents=dead)
    after = run(rule, jax.random.PRNGKey(7), state, params, 1)
    assert int(after.agents.alive.sum()) == rule.start and int(after.deaths) == rule.start
    ids = np.asarray(after.agents.lineage)[np.asarray(after.agents.alive)]
    assert ids.min() >= rule.start                        # fresh founders, new ids
    events = rule.lineage_events(state, after)
    assert sum(e["death"] != "" for e in events) == rule.start
    assert sorted(e["id"] for e in events if "birth" in e) == sorted(ids.tolist())
    first = rule.lineage_events(None, state)
    assert [e["id"] for e in first] == list(range(rule.start))


def test_deterministic_and_resume_from_a_file_gives_the_same_run(rule, tmp_path):
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(8), params)
    key = jax.random.PRNGKey(9)
    whole = run(rule, key, state, params, 6)
    half = run(rule, key, state, params, 3)
    save_tree(tmp_path / "half.npz", half)
    resumed = run(rule, key, load_tree(tmp_path / "half.npz", half), params, 3)
    for a, b in zip(jax.tree_util.tree_leaves(whole), jax.tree_util.tree_leaves(resumed),
                    strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    metrics = rule.metrics(whole, params)
    assert int(metrics["generation"]) == 6 and int(metrics["population"]) > 0


def test_inspect_place_and_remove(rule):
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(10), params)
    state = rule.remove_entities(state, params, jnp.ones(rule.shape, bool))
    assert not bool(state.agents.alive.any()) and not bool(state.robots.alive.any())
    assert rule.inspect(state, params, 5, 5) == {}
    assert rule.place_choices(params) == ("agent", "robot")
    state = rule.place(state, params, 5, 7, 0)
    state = rule.place(state, params, 20, 20, 1)
    info = rule.inspect(state, params, 5, 8)
    assert info["kind"] == "agent" and info["slot"] == 0 and info["parent"] == -1
    assert info["energy"] == pytest.approx(32.0) and "terrain_under" in info["observation"]
    robot = rule.inspect(state, params, 19, 20)
    assert robot["kind"] == "robot" and robot["slot"] == 0
    ents = rule.entities(state, params)
    assert int(ents.count()) == 2 and ents.position.shape == (rule.capacity + rule.num_robots, 2)
    mask = jnp.zeros(rule.shape, bool).at[5, 7].set(True)
    gone = rule.remove_entities(state, params, mask)
    assert int(gone.agents.alive.sum()) == 0 and int(gone.robots.alive.sum()) == 1
    assert any(e["death"] != "" for e in rule.lineage_events(state, gone))


def test_place_says_why_when_every_slot_is_taken(rule):
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(11), params)
    full = dataclasses.replace(state, robots=dataclasses.replace(
        state.robots, alive=jnp.ones_like(state.robots.alive)))
    with pytest.raises(AlifeError, match="every robot slot is taken"):
        rule.place(full, params, 3, 3, 1)
    full = dataclasses.replace(state, agents=dataclasses.replace(
        state.agents, alive=jnp.ones_like(state.agents.alive)))
    with pytest.raises(AlifeError, match="every agent slot is taken"):
        rule.place(full, params, 3, 3, 0)
    with pytest.raises(AlifeError, match="place choice 2"):
        rule.place(state, params, 3, 3, 2)
