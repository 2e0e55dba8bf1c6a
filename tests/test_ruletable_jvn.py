"""Von Neumann's 29-state CA (JvN29), Nobili32 and Hutton32 as rule trees, against the published
definitions (hand-checked transitions) and against Golly's own JvN algorithm (bgolly -a JvN).

Published facts checked cell by cell (Burks 1970, "Von Neumann's self-reproducing automata";
Golly's Help and Hutton's notes for the 32-state rules):

- an ordinary transmission state (OTS) carries an excitation one cell a step in its direction;
  two OTS pointing at each other do not excite each other;
- an excited special transmission state (STS) destroys an OTS it points at (back to the ground
  state U), and an excited OTS destroys an STS;
- the ground state hit by an excitation becomes sensitised (S), and the bits that follow make
  the construction states: 10000 OTS east, 10001 OTS north, 1001 OTS west, 1010 OTS south,
  1011 STS east, 1100 STS north, 1101 STS west, 1110 STS south, 1111 confluent;
- a confluent state is the AND of the OTS pointing at it, excited two steps later;
- Nobili32's crossing passes an excitation straight through;
- Hutton32 builds relative to the writing arrow (10000 forward, 10001 left, 1001 reverse,
  1010 right, ...), so the same bits from a south-pointing arm build turned cells.

Then Golly's JvN patterns run through the pattern route: the population at every generation
equals bgolly's (a few by default; every one under -m slow).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from bgolly_driver import bgolly_populations
from test_ruletable_golly import our_run

from alife.rules.ruletable import builtin, hutton, jvn
from alife.rules.ruletable.library import load_rule

BGOLLY = shutil.which("bgolly")
JVN = Path("/usr/share/golly/Patterns/Self-Rep/JvN")
U, S = 0, 1
OTS_E, OTS_N, OTS_W, OTS_S = 9, 10, 11, 12
X_E, X_N, X_W, X_S = 13, 14, 15, 16  # excited OTS
STS_E, STS_N, STS_W, STS_S = 17, 18, 19, 20
XS_E, XS_N, XS_W, XS_S = 21, 22, 23, 24  # excited STS
C = 25


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ALIFE_RULES", raising=False)


def cell(rule: str, c: int, n: int = U, e: int = U, s: int = U, w: int = U) -> int:
    """The next state through the compiled tree (what the kernel walks)."""
    return builtin.compiled(rule).next_state({"C": c, "N": n, "E": e, "S": s, "W": w})


def grid_steps(rule: str, rows: list[list[int]], steps: int) -> np.ndarray:
    """`steps` generations of a small grid (state 0 outside) by the next-state function."""
    fn = {"JvN29": jvn.next_state, "Nobili32": jvn.nobili_next_state,
          "Hutton32": hutton.next_state}[rule]
    g = np.array(rows, np.int64)
    for _ in range(steps):
        p = np.pad(g, 1)
        g = fn(p[1:-1, 1:-1], p[:-2, 1:-1], p[1:-1, 2:], p[2:, 1:-1], p[1:-1, :-2]).astype(np.int64)
    return g


RULES = ("JvN29", "Nobili32", "Hutton32")


@pytest.mark.parametrize("rule", RULES)
def test_an_ordinary_transmission_line_carries_an_excitation(rule):
    assert cell(rule, OTS_E, w=X_E) == X_E  # fed from behind
    assert cell(rule, OTS_E, n=X_S) == X_E  # or from a side
    assert cell(rule, X_E, e=OTS_E) == OTS_E  # and quiet again when nothing feeds it
    assert cell(rule, OTS_E, e=X_W) == OTS_E  # head to head: no excitation
    line = grid_steps(rule, [[X_E, OTS_E, OTS_E, OTS_E, 0]], 2)
    assert line.tolist() == [[OTS_E, OTS_E, X_E, OTS_E, 0]]


@pytest.mark.parametrize("rule", ("JvN29", "Nobili32"))
def test_special_and_ordinary_destroy_each_other(rule):
    assert cell(rule, OTS_E, w=XS_E) == U
    assert cell(rule, STS_E, w=X_E) == U
    assert cell(rule, C, w=XS_E) == U
    assert cell(rule, STS_E, w=XS_E) == XS_E


def _construct(rule: str, bits: str, arm: int = X_E, side: str = "w",
               zero: int | None = None) -> int:
    """Feed `bits` into a ground cell from an arrow on `side` (1: `arm`, an excited OTS; 0:
    `zero`, by default the same arrow quiet)."""
    zero = arm - 4 if zero is None else zero
    state = U
    for bit in bits:
        state = cell(rule, state, **{side: arm if bit == "1" else zero})
    return state


CONSTRUCTION = {"10000": OTS_E, "10001": OTS_N, "1001": OTS_W, "1010": OTS_S, "1011": STS_E,
                "1100": STS_N, "1101": STS_W, "1110": STS_S, "1111": C}


@pytest.mark.parametrize("rule", ("JvN29", "Nobili32"))
def test_the_sensitised_states_build_what_von_neumann_listed(rule):
    assert cell(rule, U, w=X_E) == S and cell(rule, U, w=XS_E) == S and cell(rule, U) == U
    assert [_construct(rule, "1" + "0" * k) for k in range(4)] == [1, 2, 4, 8]
    for bits, built in CONSTRUCTION.items():
        assert _construct(rule, bits) == built, bits
        assert _construct(rule, bits, arm=X_S, side="n") == built, bits  # absolute directions


def test_hutton32_builds_relative_to_the_writing_arm():
    """Hutton: the writing arm's end sends 1 as an excited OTS, 0 as an excited STS."""
    relative = {"10000": 0, "10001": 1, "1001": 2, "1010": 3}  # forward, left, reverse, right
    for arm, side, heading in ((X_E, "w", 0), (X_S, "n", 3), (X_W, "e", 2), (X_N, "s", 1)):
        zero = arm + 8
        for bits, turn in relative.items():
            assert _construct("Hutton32", bits, arm, side, zero) == OTS_E + (heading + turn) % 4
        assert _construct("Hutton32", "1011", arm, side, zero) == STS_E + heading  # forward
        assert _construct("Hutton32", "1111", arm, side, zero) == C
    assert cell("Hutton32", U, w=XS_E) == OTS_E  # an STS line builds forward OTS only


@pytest.mark.parametrize("rule", RULES)
def test_a_confluent_cell_is_an_and_with_two_steps_of_delay(rule):
    # two inputs (from west and north) into a confluent cell, an output to the east
    def run(west: int, north: int) -> list[int]:
        rows = [[0, north, 0], [west, C, OTS_E], [0, 0, 0]]
        out = []
        g = np.array(rows)
        for _ in range(4):
            g = grid_steps(rule, g.tolist(), 1)
            g[1, 0], g[0, 1] = west, north  # the inputs held
            out.append(int(g[1, 2]))
        return out

    assert run(X_E, X_S) == [OTS_E, OTS_E, X_E, X_E]  # both excited: out after two steps
    assert run(X_E, OTS_S) == [OTS_E] * 4  # one quiet input blocks it
    assert run(OTS_E, OTS_S) == [OTS_E] * 4


def test_nobilis_crossing_passes_each_signal_straight_on():
    # OTS in from the west (east-pointing) and the north (south-pointing); out east and south
    rows = [[0, OTS_S, 0], [X_E, C, OTS_E], [0, OTS_S, 0]]
    g = grid_steps("Nobili32", rows, 1)
    assert g[1, 1] == 29  # carrying an east-west signal
    g = grid_steps("Nobili32", g.tolist(), 1)
    assert g[1, 2] == X_E and g[2, 1] == OTS_S  # out east only
    # under JvN29 the same cell is a plain confluent one: no output without all inputs on
    g = grid_steps("JvN29", rows, 3)
    assert g[1, 2] == OTS_E and g[2, 1] == OTS_S


def test_builtin_rules_are_found_by_name():
    loaded = load_rule("jvn-29")  # Golly's old alias, any case
    assert loaded.name == "JvN29" and loaded.n_states == 29
    assert loaded.neighbourhood == "vonNeumann"
    assert load_rule("Hutton32").colours[C] == (0, 255, 128)  # Golly's colours
    assert load_rule("modJvN-32").name == "Hutton32" and load_rule("JvN-32").name == "Nobili32"


def test_tabulated_trees_are_cached_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    def majority(c, n, e, s, w):  # a small 3-state rule: the most common state around
        votes = np.stack([(np.stack([c, n, e, s, w]) == k).sum(0) for k in range(3)])
        return votes.argmax(0)

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setitem(builtin.RULES, "Majority3", (3, majority))
    builtin.compiled.cache_clear()
    tree = builtin.compiled("Majority3")
    assert builtin.cache_path("Majority3").is_file()
    for c, n, e, s, w in np.ndindex(3, 3, 3, 3, 3):  # every neighbourhood, through the tree
        expect = int(majority(*(np.array([v]) for v in (c, n, e, s, w)))[0])
        assert tree.next_state({"C": c, "N": n, "E": e, "S": s, "W": w}) == expect
    builtin.compiled.cache_clear()
    assert builtin.compiled("Majority3").nodes == tree.nodes  # read back from the cache
    builtin.cache_path("Majority3").write_bytes(b"not an npz")  # damaged: rebuilt
    builtin.compiled.cache_clear()
    assert builtin.compiled("Majority3").nodes == tree.nodes
    builtin.compiled.cache_clear()


# ---- against bgolly ---------------------------------------------------------------------------
def golly_jvn(pattern: Path, generations: int) -> list[int]:
    """bgolly's JvN algorithm: the population at generations 0..`generations`."""
    args = [BGOLLY, "-a", "JvN", "-m", str(generations), "-i", "1", str(pattern)]
    return bgolly_populations(args, generations, timeout=300)


#: (pattern, generations); the first few run by default. Patterns wider than a grid side
#: may be (Golly's N-compressed, NP, sphinx and tape-bearing replicators) are in
#: test_golly_collection.TOO_WIDE
JVN_CASES = [
    ("counter-demo.rle", 150),
    ("construction-arm-demo.rle", 120),
    ("golly-constructor.rle", 120),
    ("cell-coders-demo.rle", 300),
    ("read-arm-demo.rle", 300),
    ("Boustrophedon-replicator.rle", 300),
    ("Hutton-replicator.rle", 200),
    ("small-JvN-self-replicator.rle", 100),
    ("partial-constructor.mc.gz", 100),
    ("CY_Lee_computer.zip", 60),
]
DEFAULT = 3


@pytest.mark.parametrize("name,generations", [
    pytest.param(*case, marks=() if i < DEFAULT else pytest.mark.slow, id=case[0])
    for i, case in enumerate(JVN_CASES)])
def test_jvn_patterns_populations_equal_bgolly(name, generations):
    if BGOLLY is None:
        if os.environ.get("CI"):
            pytest.fail("bgolly (Debian package golly) is missing in CI")
        pytest.skip("bgolly not installed (apt-get install golly)")
    path = JVN / name
    if not path.is_file():
        pytest.skip(f"{path} is not installed")
    golly_path = path
    if path.suffix == ".zip":  # bgolly opens no archives: give it the member
        import zipfile

        from alife.core.archive import pattern_members

        member = pattern_members(path)[0]
        golly_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"jvn-{os.getpid()}-{member}"
        golly_path.write_bytes(zipfile.ZipFile(path).read(member))
        path = path / member
    try:
        golly = golly_jvn(golly_path, generations)
    finally:
        if golly_path != JVN / name:
            golly_path.unlink()
    ours, _ = our_run(path, generations, margin=generations + 8)
    assert ours == golly


#: (pattern, columns kept from its left edge, generations): the long tape-bearing replicators
#: are too wide for a grid, so their machine end is cut out and run here and in bgolly alike
CROPPED = [
    ("NP-replicator.rle.gz", 1500, 200),
    ("N-compressed-replicator.rle", 1500, 200),
    ("codon5-auto-retract.rle", 1200, 200),
    ("sphinx.mc.gz", 1500, 150),
    ("JvN-loop-replicator.rle.gz", 1500, 150),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,columns,generations", CROPPED, ids=[c[0] for c in CROPPED])
def test_cropped_replicators_equal_bgolly(tmp_path, name, columns, generations):
    """Nobili32's and JvN29's big machines (their left ends): bgolly's population at every
    generation."""
    if BGOLLY is None:
        if os.environ.get("CI"):
            pytest.fail("bgolly (Debian package golly) is missing in CI")
        pytest.skip("bgolly not installed (apt-get install golly)")
    if not (JVN / name).is_file():
        pytest.skip(f"{JVN / name} is not installed")
    from alife.scene.patterns import Pattern, read_pattern, write_pattern

    whole = read_pattern(JVN / name)
    part = tmp_path / "part.rle"
    write_pattern(part, Pattern(whole.cells[:, :columns], rule=whole.rule))
    assert int(np.count_nonzero(whole.cells[:, :columns])) > 1000  # a machine, not a blank
    golly = golly_jvn(part, generations)
    ours, _ = our_run(part, generations, margin=generations + 8)
    assert ours == golly
