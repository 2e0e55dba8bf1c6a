"""Robots of the agents family compute Rule 110 on the terrain bit tape (JaxLife, Lu et al.
2024, section 3.4), checked cell for cell against the elementary family; and each of the seven
robot operations against its formula."""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.rollout import run
from alife.core.types import replace_params
from alife.rules.agents import AgentsRule
from alife.rules.agents.robots import RULE110, operate
from alife.rules.agents.terrain import BIT
from alife.rules.elementary import ElementaryRule

WIDTH, STEPS, SUBSTEPS, TOP = 32, 6, 4, 4


def _row_of_robots(rule: AgentsRule, params, bits: np.ndarray):
    state = rule.init(jax.random.PRNGKey(0), params)
    n = rule.num_robots
    memory = np.zeros((n, 16), np.float32)
    memory[:, 0] = 1.0          # move one row down per sub-step (robot_speed = one cell)
    memory[:, 12] = -1.0        # write the memory bit to the terrain under it
    memory[:, 13] = 1.0         # keep the result as memory
    memory[:, 15] = 2.0 * bits - 1.0
    program = np.zeros((n, 16), np.float32)
    program[:, 6] = 1.0         # operation 6: the lookup table
    program[:, 7:15] = RULE110
    position = np.stack([np.full(n, TOP + 0.5), np.arange(n) + 0.5], axis=1)
    robots = dataclasses.replace(state.robots, position=jnp.asarray(position, jnp.float32),
                                 memory=jnp.asarray(memory), program=jnp.asarray(program))
    cells = state.terrain.cells.at[BIT].set(0.0)
    land = dataclasses.replace(state.terrain, cells=cells)
    return dataclasses.replace(state, robots=robots, terrain=land)


@pytest.mark.slow  # 18 s; every robot operation: test_each_operation_matches_its_formula
def test_robots_in_a_row_write_rule_110_on_the_bit_tape():
    rule = AgentsRule(width=WIDTH, height=32, agents=4, start=0, robots=WIDTH, brain="small",
                      view_agents=2, robot_substeps=SUBSTEPS, view_radius=2.0, perlin_res=2,
                      log_size=16)
    params = replace_params(rule.default_params(), robot_speed=rule.cell_size, reseed=0.0)
    bits = (np.random.default_rng(3).random(WIDTH) < 0.5).astype(np.float32)
    state = _row_of_robots(rule, params, bits)
    state = run(rule, jax.random.PRNGKey(1), state, params, STEPS)
    rows = STEPS * SUBSTEPS
    tape = np.asarray(state.terrain.cells[BIT])[TOP:TOP + rows].astype(np.int32)

    wolfram = ElementaryRule(rule=110, width=WIDTH, history=rows, boundary="periodic")
    w_params = wolfram.default_params()
    start = wolfram.init(jax.random.PRNGKey(0), w_params)
    diagram = np.zeros((rows, WIDTH), np.int32)
    diagram[-1] = bits
    start = wolfram.with_cells(start, jnp.asarray(diagram))
    expected = np.asarray(wolfram.cells(run(wolfram, jax.random.PRNGKey(0), start, w_params,
                                            rows - 1)))
    assert expected[1:].any() and not (expected[1:] == expected[:-1]).all()  # not trivial
    np.testing.assert_array_equal(tape, expected)
    # the robots moved down together and stay alive
    assert np.allclose(np.asarray(state.robots.position)[:, 0], TOP + 0.5 + rows)


def test_each_operation_matches_its_formula():
    rng = np.random.default_rng(0)
    mem, m1, m2 = (rng.uniform(-1, 1, 16).astype(np.float32) for _ in range(3))
    table = np.asarray(RULE110, np.float32)
    ops = [np.asarray(operate(jnp.asarray(i), jnp.asarray(table), jnp.asarray(mem),
                              jnp.asarray(m1), jnp.asarray(m2))) for i in range(7)]
    np.testing.assert_allclose(ops[0], m1)
    np.testing.assert_allclose(ops[1], mem)
    np.testing.assert_allclose(ops[2], mem * m1, rtol=1e-6)
    np.testing.assert_allclose(ops[3], mem * m1 + m2, rtol=1e-6)
    xor = (round(float(mem[-1])) != 0) != (round(float(m1[-1])) != 0)
    blend = (2.0 * xor - 1.0) * mem * m1 + (1 - m1) * mem
    blend[-1] = mem[-1]
    np.testing.assert_allclose(ops[4], blend, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ops[5], 1 - m1 * m2, rtol=1e-6)
    index = 4 * (m1[-1] > 0) + 2 * (mem[-1] > 0) + (m2[-1] > 0)
    np.testing.assert_allclose(ops[6][:-1], mem[:-1])
    assert ops[6][-1] == table[index]
