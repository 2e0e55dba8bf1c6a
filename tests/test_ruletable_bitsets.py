"""Rule tables run as bitsets over their transitions (alife.rules.ruletable.bitsets), the route
for tables too intricate for a tree (Golly's AnimatedPixelArt), against the independent
first-match reference of tests/test_ruletable.py and the tree route.

- Random tables of every neighbourhood and symmetry: the bitset lookup's next state equals the
  first-match reference (turning and mirroring the neighbourhood as a picture) on random
  neighbourhoods, including ones no transition matches (the state stays).
- The JAX step on every topology equals the cell-by-cell reference step.
- A table past the tree's work bound loads as bitsets and runs on the grid, its steps equal to
  the tree it would have compiled to.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest
from test_ruletable import (
    CASES,
    TOPOLOGIES,
    _random_cells,
    _reference_step,
    random_table,
    reference_next,
    table_rule,
)

from alife.core.topology import Topology
from alife.rules.ruletable import RuleTableRule, bitsets, library
from alife.rules.ruletable.bitsets import BitsetTable
from alife.rules.ruletable.compile import from_table
from alife.rules.ruletable.ruleformat import parse_rule_file


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ALIFE_RULES", raising=False)


@pytest.mark.parametrize("neigh,symmetry", CASES)
def test_bitsets_match_the_first_match_reference(neigh, symmetry):
    rng = np.random.default_rng(abs(hash(("bits", neigh, symmetry))) % 2**32)
    for n_states in (2, 5):
        text = table_rule("R", random_table(rng, neigh, symmetry, n_states, lines=40))
        table = parse_rule_file(text, "R.rule").table
        packed = bitsets.from_table(table)
        for _ in range(120):
            cells = _random_cells(rng, neigh, n_states)
            assert packed.next_state(cells) == reference_next(table, cells), (text, cells)


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_the_bitset_step_equals_the_reference_step(topology):
    rng = np.random.default_rng(5)
    text = table_rule("R", random_table(rng, "Moore", "rotate4reflect", 4, lines=60))
    packed = bitsets.from_table(parse_rule_file(text, "R.rule").table)
    assert packed.words > 1  # the transitions span several 32-bit words
    grid = rng.integers(0, 4, (8, 8)).astype(np.uint8)
    kind = Topology.parse(topology)
    got = bitsets.step(jnp.asarray(grid), jnp.asarray(packed.lookup()), packed.offsets, 4,
                       packed.words, kind)
    np.testing.assert_array_equal(np.asarray(got), _reference_step(grid, packed, topology))


def test_a_table_past_the_work_bound_runs_as_bitsets(tmp_path, monkeypatch):
    rng = np.random.default_rng(11)
    text = table_rule("Busy", random_table(rng, "Moore", "none", 6, lines=50))
    (tmp_path / "Busy.rule").write_text(text)
    tree = from_table(parse_rule_file(text, "Busy.rule").table)
    monkeypatch.setattr(library, "TREE_WORK", 8)  # any real table is over this
    library._read.cache_clear()
    loaded = library.load_rule("Busy", tmp_path)
    library._read.cache_clear()
    assert isinstance(loaded.compiled, BitsetTable)
    rule = RuleTableRule("Busy", 24, 16, folder=str(tmp_path))
    params = rule.default_params()
    cells = rng.integers(0, 6, (16, 24)).astype(np.uint8)
    state = rule.with_cells(rule.init(None, params), jnp.asarray(cells))
    for _ in range(4):
        state = rule.step(None, state, params)
        cells = _reference_step(cells, tree, "torus")
        np.testing.assert_array_equal(np.asarray(state.cells), cells)
    assert 0.0 <= rule.langton_lambda(params) <= 1.0
