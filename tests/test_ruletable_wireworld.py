"""WireWorld gates compute their truth tables (on the shipped WireWorld.rule).

WireWorld (Silverman 1987; Dewdney, Scientific American, January 1990): empty stays empty, an
electron head becomes a tail, a tail becomes conductor, and conductor becomes a head when one or
two of its eight neighbours are heads. The gates below were found by running every filling of a
3x3 or 4x4 junction between straight wires under that definition and keeping the smallest that
gives the table and leaves no electron behind; these tests run them again, every input
combination. An electron enters each input as a tail (`t`) with its head (`h`) to the east, and
we count the heads that reach the end of the output wire (`q`, the last conductor of the east
wire) in 40 steps: 1 for a true output, 0 for false.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.rules.ruletable import RuleTableRule

EMPTY, HEAD, TAIL, WIRE = 0, 1, 2, 3

DIODE = """
...............
.......##......
########.######
.......##......
...............
"""
#: inputs A (row 1) and B (row 3), output row 2; timing: both electrons start together
OR = """
...............
######.........
......#..######
######.##......
...............
"""
XOR = """
...............
#######........
......#########
#######........
...............
"""
A_AND_NOT_B = """
................
######..........
......##........
......###.######
######.#.#......
................
"""


def _grid(picture: str) -> np.ndarray:
    rows = picture.strip().splitlines()
    return np.array([[WIRE if c == "#" else EMPTY for c in row] for row in rows], np.uint8)


def _run(grid: np.ndarray, sources: list[tuple[int, str]], probe: tuple[int, int],
         steps: int = 40) -> tuple[int, int]:
    """Fire an electron into each (row, side) source: 'w' enters at the west end moving east,
    'e' at the east end moving west. Returns (heads seen at `probe`, heads left at the end)."""
    h, w = grid.shape
    cells = grid.copy()
    for row, side in sources:
        if side == "w":
            cells[row, 0], cells[row, 1] = TAIL, HEAD
        else:
            cells[row, w - 1], cells[row, w - 2] = TAIL, HEAD
    rule = RuleTableRule("WireWorld", w, h, topology="plane")
    params = rule.default_params()
    state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), jnp.asarray(cells))
    seen, left = _heads(rule, state, params, probe, steps)
    return int(seen), int(left)


@functools.partial(jax.jit, static_argnames=("rule", "probe", "steps"))
def _heads(rule, state, params, probe, steps):
    def body(s, _):
        s = rule.step(None, s, params)
        return s, s.cells[probe] == HEAD

    state, seen = jax.lax.scan(body, state, None, length=steps)
    return jnp.sum(seen), jnp.sum(state.cells == HEAD)


def test_diode_passes_east_and_blocks_west():
    grid = _grid(DIODE)
    w = grid.shape[1]
    assert _run(grid, [(2, "w")], (2, w - 1)) == (1, 0)  # west to east: through
    assert _run(grid, [(2, "e")], (2, 0)) == (0, 0)      # east to west: stopped
    plain = grid.copy()
    plain[[1, 3], 7:9] = EMPTY
    plain[2, 8] = WIRE
    assert _run(plain, [(2, "e")], (2, 0)) == (1, 0)     # a plain wire passes both ways


@pytest.mark.parametrize("name,picture,rows,out,table", [
    ("OR", OR, (1, 3), 2, (0, 1, 1, 1)),
    ("XOR", XOR, (1, 3), 2, (0, 1, 1, 0)),
    ("A AND NOT B", A_AND_NOT_B, (1, 4), 3, (0, 0, 1, 0)),
])
def test_gate_truth_tables(name, picture, rows, out, table):
    grid = _grid(picture)
    probe = (out, grid.shape[1] - 1)
    got = []
    for a, b in ((0, 0), (0, 1), (1, 0), (1, 1)):
        sources = [(rows[0], "w")] * a + [(rows[1], "w")] * b
        seen, left = _run(grid, sources, probe)
        assert left == 0, f"{name}: electrons still running after {a}{b}"
        got.append(seen)
    assert tuple(got) == table, name
