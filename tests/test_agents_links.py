"""The agents family's app views: message links and the inspector's observation view.

`links` is checked against a brute-force NumPy reference on a small world with hand-set
positions, gates and deaths: every (sender -> receiving agent) pair within the view radius and
every (sender -> robot) pair, from live senders with an open gate only, with finite ends.
`inspect` is checked for the terrain window (shape, values read straight from the terrain) and
the nearest agents (signed torus offsets).
"""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.rules.agents import terrain
from alife.rules.agents.rule import AgentsRule

H, W, N, R, RADIUS = 24, 32, 12, 3, 6.0


@pytest.fixture(scope="module")
def world():
    rule = AgentsRule(width=W, height=H, agents=N, start=N, robots=R, brain="small",
                      view_agents=N, view_robots=R, view_radius=RADIUS, log_size=64)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(3), params)
    rng = np.random.default_rng(7)
    pos = rng.uniform(0, 1, (N, 2)) * (H, W)
    pos[:4] = [[1.2, 1.3], [22.9, 31.1], [3.0, 5.5], [12.2, 16.7]]  # 0-1 across the corner
    gate = rng.uniform(-1, 1, N)
    gate[[0, 5]] = 0.7
    alive = np.ones(N, bool)
    alive[5] = False                                     # dead, though its gate is open
    last = np.asarray(state.agents.last).copy()
    last[:, 6] = gate
    agents = dataclasses.replace(state.agents, position=jnp.asarray(pos, jnp.float32),
                                 alive=jnp.asarray(alive), last=jnp.asarray(last, jnp.float32))
    robots = dataclasses.replace(state.robots, position=jnp.asarray(
        [[2.0, 30.0], [12.0, 12.0], [20.0, 4.0]], jnp.float32))
    state = dataclasses.replace(state, agents=agents, robots=robots)
    return rule, params, state, pos.astype(np.float32), gate, alive


def _wrap(d: np.ndarray) -> np.ndarray:
    size = np.asarray([H, W], np.float64)
    return d - size * np.round(d / size)


def _pairs(starts, ends, mask):
    def key(p):
        return tuple(round(float(v), 3) for v in p)

    return sorted((key(s), key(e)) for s, e, m in zip(starts, ends, mask, strict=True) if m)


def test_links_match_a_brute_force_reference(world):
    rule, params, state, pos, gate, alive = world
    starts, ends, mask = (np.asarray(v) for v in jax.jit(rule.links)(state, params))
    assert starts.shape == ends.shape == (N * (N + R), 2) and mask.shape == (N * (N + R),)
    assert np.isfinite(starts).all() and np.isfinite(ends).all()
    senders = alive & (gate > 0)
    expected = []
    for i in np.flatnonzero(senders):
        for j in np.flatnonzero(alive):
            d = _wrap(pos[j].astype(np.float64) - pos[i])
            if j != i and np.hypot(*d) <= RADIUS:
                expected.append((pos[i], pos[i] + d))
        for r, bot in enumerate(np.asarray(state.robots.position)):
            d = _wrap(bot.astype(np.float64) - pos[i])
            if np.hypot(*d) <= RADIUS and bool(state.robots.alive[r]):
                expected.append((pos[i], pos[i] + d))
    exp = _pairs([e[0] for e in expected], [e[1] for e in expected], [True] * len(expected))
    assert _pairs(starts, ends, mask) == exp
    assert len(exp) >= 3  # the fixture has real links (0 -> 1 across the corner among them)
    # every drawn line starts at a live sender with an open gate
    assert all(np.isclose(pos[senders], s).all(axis=1).any() for s in starts[mask])
    assert not any(np.allclose(s, pos[5]) for s in starts[mask])  # the dead one sends nothing
    # across the torus edge, the line leaves the grid instead of crossing the world
    across = [e for s, e in _pairs(starts, ends, mask) if np.allclose(s, pos[0], atol=1e-3)]
    assert any(e[0] < 0 and e[1] < 0 for e in across)


def test_links_are_empty_when_no_gate_is_open(world):
    rule, params, state, *_ = world
    closed = dataclasses.replace(state.agents, last=state.agents.last.at[:, 6].set(-0.5))
    _, _, mask = rule.links(dataclasses.replace(state, agents=closed), params)
    assert not bool(np.asarray(mask).any())


def test_inspect_has_the_observation_view(world):
    rule, params, state, pos, _, alive = world
    row, col = (int(v) for v in np.floor(pos[3]))
    info = rule.inspect(state, params, row, col)
    assert info["kind"] == "agent" and info["slot"] == 3
    seen = info["observation"]
    grid = np.asarray(seen["window"])
    assert grid.shape == (9, 9) and seen["window_property"] == "energy"
    energy = np.asarray(state.terrain.cells[terrain.ENERGY]) / terrain.CAPS[terrain.ENERGY]
    rows, cols = (np.arange(row - 4, row + 5) % H), (np.arange(col - 4, col + 5) % W)
    np.testing.assert_allclose(grid, energy[np.ix_(rows, cols)], atol=1e-3)
    assert grid[4, 4] == pytest.approx(energy[row, col], abs=1e-3)  # itself at the centre
    d = _wrap(pos.astype(np.float64) - pos[3])
    dist = np.hypot(d[:, 0], d[:, 1])
    near = [j for j in np.argsort(dist) if j != 3 and alive[j] and dist[j] <= RADIUS][:6]
    assert seen["nearest"]["columns"] == ["slot", "d_row", "d_col", "distance"]
    assert [r[0] for r in seen["nearest"]["rows"]] == near
    for slot, dr, dc, dd in seen["nearest"]["rows"]:
        assert (dr, dc, dd) == pytest.approx((d[slot, 0], d[slot, 1], dist[slot]), abs=0.01)
