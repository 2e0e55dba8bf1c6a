"""Multi-state HashLife (`alife.rules.ruletable.hashlife`) against independent truth.

- Random soups of WireWorld (reference written from its published definition in NumPy),
  Langton's loops, JvN29 and random quiescent tables of the hexagonal and Moore neighbourhoods
  (reference: a dense NumPy step on a grid large enough that nothing reaches its edge, walking
  the compiled tree for every cell at once) equal the universe cell for cell every generation.
- Stepping 2^k generations in one HashLife step equals 2^k single steps.
- Macrocell files round-trip; bad files and rules that do not keep empty space empty are
  refused with one line.
- Golly's 13 Self-Rep patterns too wide for the grid engine: populations equal bgolly's at
  every generation 0..50 and at checkpoints every 256 generations to 1024 (2 patterns in the
  default suite, the rest under `-m slow`).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from bgolly_driver import bgolly_populations
from test_ruletable import random_table, table_rule

from alife.cli import main
from alife.core.errors import AlifeError
from alife.rules.ruletable.hashlife import Universe
from alife.rules.ruletable.hashlife_macrocell import macrocell_text, write_macrocell
from alife.rules.ruletable.library import load_rule
from alife.scene.hashlife_patterns import PatternSource

BGOLLY = shutil.which("bgolly")


def read_universe(path):
    """A pattern file's multi-state universe, name and comments (the route's reader)."""
    from alife.rules.ruletable.hashlife_open import read_universe as read

    return read(PatternSource(path))

SELF_REP = Path("/usr/share/golly/Patterns/Self-Rep")
#: Golly's patterns too wide for the grid engine -> (generations stepped one by one, checkpoint
#: interval, last checkpoint)
GIANT = {
    "Self-Rep/Banks/Banks-IV-constructor.rle.gz": (20, 64, 128),
    "Self-Rep/Codd/Goucher-replicator.mc.gz": (50, 256, 1024),
    "Self-Rep/Codd/golly-constructor.rle.gz": (50, 256, 1024),
    "Self-Rep/Devore/Devore-rep.rle": (50, 256, 1024),
    "Self-Rep/JvN/JvN-loop-replicator.rle.gz": (10, 64, 128),
    "Self-Rep/JvN/N-compressed-replicator.rle": (50, 256, 1024),
    "Self-Rep/JvN/NP-mutation.rle.gz": (50, 256, 1024),
    "Self-Rep/JvN/NP-replicator.rle.gz": (50, 256, 1024),
    "Self-Rep/JvN/codon4-auto-retract.rle": (50, 256, 1024),
    "Self-Rep/JvN/codon5-auto-retract.rle": (50, 256, 1024),
    "Self-Rep/JvN/sphinx.mc.gz": (50, 256, 1024),
    "Self-Rep/JvN/sphinx-midpoint.mc.gz": (50, 256, 1024),
    "Self-Rep/JvN/sphinx-spark.mc.gz": (50, 256, 1024),
}
DEFAULT = {"Self-Rep/JvN/codon4-auto-retract.rle", "Self-Rep/JvN/sphinx.mc.gz"}


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ALIFE_RULES", raising=False)


# ---- references ---------------------------------------------------------------------------
def wireworld_step(grid: np.ndarray) -> np.ndarray:
    """WireWorld (Silverman 1987): head 1 -> tail 2 -> wire 3 -> head when 1 or 2 of its 8
    neighbours are heads; empty 0 stays. Zero outside the grid."""
    heads = np.pad(grid == 1, 1).astype(np.int64)
    h, w = grid.shape
    count = sum(heads[1 + dy:1 + dy + h, 1 + dx:1 + dx + w]
                for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0))
    out = grid.copy()
    out[grid == 1] = 2
    out[grid == 2] = 3
    out[(grid == 3) & ((count == 1) | (count == 2))] = 1
    return out


def tree_step(compiled, grid: np.ndarray) -> np.ndarray:
    """One generation of a compiled rule on a dense grid, zero outside (every cell at once)."""
    flat = compiled.flat.astype(np.int64)
    h, w = grid.shape
    pad = np.pad(grid, 1).astype(np.int64)
    node = np.full(grid.shape, compiled.root, np.int64)
    for dy, dx in compiled.offsets:
        node = flat[node + pad[1 + dy:1 + dy + h, 1 + dx:1 + dx + w]]
    return node.astype(np.uint8)


def soup(n_states: int, seed: int, side: int = 16, grid: int = 112) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.zeros((grid, grid), np.uint8)
    cells = rng.integers(1, n_states, (side, side)) * (rng.random((side, side)) < 0.5)
    start = (grid - side) // 2
    out[start:start + side, start:start + side] = cells
    return out


def placed(universe: Universe, shape: tuple[int, int], origin: int) -> np.ndarray:
    """The universe's cells on a dense grid whose (0, 0) is plane cell (-origin, -origin)."""
    out = np.zeros(shape, np.uint8)
    xs, ys, states = universe.cells()
    out[ys + origin, xs + origin] = states
    return out


def universe_of(rule, grid: np.ndarray, origin: int) -> Universe:
    universe = Universe.for_loaded(rule)
    ys, xs = np.nonzero(grid)
    universe.set_cells(xs - origin, ys - origin, grid[ys, xs])
    return universe


def _random_rule(tmp_path: Path, neigh: str, seed: int):
    text = random_table(np.random.default_rng(seed), neigh, "rotate4" if neigh == "Moore"
                        else "rotate6", 4, lines=20, quiescent=True)
    name = f"Random{neigh}{seed}"
    (tmp_path / f"{name}.rule").write_text(table_rule(name, text))
    return load_rule(name, tmp_path)


CASES = ["WireWorld", "Langtons-Loops", "JvN29", "hexagonal", "Moore"]


@pytest.mark.parametrize("case", CASES)
def test_soups_equal_a_dense_numpy_reference_every_generation(case, tmp_path):
    rule = (_random_rule(tmp_path, case, 7) if case in ("hexagonal", "Moore")
            else load_rule(case))
    grid = soup(rule.n_states, seed=3)
    origin = grid.shape[0] // 2
    universe = universe_of(rule, grid, origin)
    for generation in range(1, 41):
        grid = (wireworld_step(grid) if case == "WireWorld"
                else tree_step(rule.compiled, grid))
        assert not grid[0].any() and not grid[-1].any()  # the reference's edge stayed clear
        universe.advance(1)
        assert np.array_equal(placed(universe, grid.shape, origin), grid), generation
        assert universe.population() == np.count_nonzero(grid)
    box = universe.bounding_box()
    ys, xs = np.nonzero(grid)
    if box is not None:
        assert box == (xs.min() - origin, ys.min() - origin, xs.max() - origin,
                       ys.max() - origin)


@pytest.mark.parametrize("case", ["Langtons-Loops", "JvN29"])
def test_a_power_of_two_step_equals_single_steps(case):
    rule = load_rule(case)
    grid = soup(rule.n_states, seed=5, side=24, grid=64)
    for k in range(6):
        one = universe_of(rule, grid, 32)
        many = universe_of(rule, grid, 32)
        one.step_power(k)
        for _ in range(1 << k):
            many.advance(1)
        assert one.generation == many.generation == 1 << k
        a, b = one.to_array(), many.to_array()
        assert np.array_equal(a[0], b[0]) and a[1:] == b[1:], k


def test_a_rule_compiled_as_bitsets_steps_as_its_tree():
    """Tables too intricate for a tree run as bitsets (`bitsets.py`); the universe looks their
    next states up per neighbourhood and agrees with the tree of the same table."""
    from alife.rules.ruletable import bitsets
    from alife.rules.ruletable.compile import from_table
    from alife.rules.ruletable.ruleformat import parse_rule_file

    text = random_table(np.random.default_rng(13), "Moore", "rotate4", 4, lines=20,
                        quiescent=True)
    table = parse_rule_file(table_rule("Bits", text), "Bits.rule", expect_name="Bits").table
    grid = soup(4, seed=6, side=12, grid=40)
    ys, xs = np.nonzero(grid)
    results = []
    for compiled in (from_table(table), bitsets.from_table(table, "Bits.rule")):
        universe = Universe(compiled, "Bits")
        universe.set_cells(xs - 20, ys - 20, grid[ys, xs])
        universe.advance(12)
        results.append(universe.to_array())
    assert np.array_equal(results[0][0], results[1][0]) and results[0][1:] == results[1][1:]
    assert results[0][0].size


def test_a_small_node_budget_rebuilds_the_table_and_changes_nothing():
    rule = load_rule("Langtons-Loops")
    grid = soup(rule.n_states, seed=4, side=20, grid=48)
    tight = Universe.for_loaded(rule, max_nodes=3000)
    ys, xs = np.nonzero(grid)
    tight.set_cells(xs - 24, ys - 24, grid[ys, xs])
    roomy = universe_of(rule, grid, 24)
    for _ in range(6):
        tight.advance(37)
        roomy.advance(37)
    assert tight.epoch > 0 and tight.node_count < roomy.node_count
    a, b = tight.to_array(), roomy.to_array()
    assert np.array_equal(a[0], b[0]) and a[1:] == b[1:]


def test_macrocell_round_trip(tmp_path):
    rule = load_rule("Langtons-Loops")
    universe = universe_of(rule, soup(rule.n_states, seed=2), 56)
    universe.advance(100)
    path = tmp_path / "loops.mc.gz"
    write_macrocell(path, universe, comments=["made by a test"])
    again, name, comments = read_universe(path)
    assert name == "loops" and comments == ["made by a test"]
    assert again.generation == 100 and again.rule_text == "Langtons-Loops"
    assert again.bounding_box() == universe.bounding_box()
    a, b = again.to_array(), universe.to_array()
    assert np.array_equal(a[0], b[0]) and a[1:] == b[1:]
    text = macrocell_text(universe)
    assert text.startswith("[M2]") and "\n1 " in text  # 2x2 leaves of states


def test_the_picture_is_the_states_in_the_rule_colours_pooled_by_the_largest():
    from alife.rules.ruletable.hashlife_view import StateQuadtreeView

    rule = load_rule("Langtons-Loops")
    grid = soup(rule.n_states, seed=9, side=40, grid=40)
    universe = universe_of(rule, grid, 17)
    view = StateQuadtreeView(universe)
    colours = np.asarray(rule.colours, np.uint8)
    assert np.array_equal(view.render(-17, -17, 40, 40, 0), colours[grid])
    x0, y0 = -20, -19  # on the 4-cell grid (Golly's y: the root's centre at 1)
    pooled = view.states(x0, y0, 48, 48, 2)
    padded = np.zeros((48, 48), np.uint8)
    padded[2:42, 3:43] = grid
    assert np.array_equal(pooled, padded.reshape(12, 4, 12, 4).max(axis=(1, 3)))


def test_golly_reads_our_macrocell_and_continues_it_cell_for_cell(tmp_path):
    """A soup of Langton's loops written as a multi-state .mc at generation 300: bgolly opens
    it and runs to 400 with the same cells as ours (bgolly's RLE has no position: the
    bounding boxes are compared)."""
    if BGOLLY is None:
        pytest.skip("bgolly not installed (apt-get install golly)")
    from alife.rules.ruletable.library import golly_folder
    from alife.scene.patterns import read_pattern

    rules = golly_folder()
    if rules is None:
        pytest.skip("Golly's Rules folder is not installed")
    rule = load_rule("Langtons-Loops")
    universe = universe_of(rule, soup(rule.n_states, seed=21, side=24), 56)
    universe.advance(300)
    path = tmp_path / "soup.mc"
    write_macrocell(path, universe)
    out = tmp_path / "golly.rle"
    done = subprocess.run([BGOLLY, "-a", "RuleLoader", "-s", f"{rules}/", "-m", "400", "-i",
                           "100", "-o", str(out), str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    universe.advance(100)
    ours = universe.to_array()[0]
    assert ours.size and np.array_equal(read_pattern(out).cells, ours)


def test_rule_that_fills_empty_space_is_refused(tmp_path):
    (tmp_path / "Grow.rule").write_text(table_rule("Grow", "n_states:2\nneighborhood:vonNeumann"
                                                   "\nsymmetries:none\n0,0,0,0,0,1"))
    with pytest.raises(AlifeError, match="empty neighbourhood empty"):
        Universe.for_loaded(load_rule("Grow", tmp_path))


@pytest.mark.parametrize("body,message", [
    ("1 0 9 0 0", "leaf states lie in 0..7"),
    ("1 0 1 0 0\n3 1 0 0 0", "node 1 has level 1"),
    ("2 5 0 0 0", "node 5 is not defined"),
    ("1 2 x", "five integers"),
])
def test_bad_macrocell_lines_are_refused_with_the_line(tmp_path, capsys, body, message):
    path = tmp_path / "bad.mc"
    path.write_text(f"[M2] (test)\n#R Langtons-Loops\n{body}\n")
    assert main(["run", str(path), "--engine", "hashlife", "--steps", "1"]) == 2
    err = capsys.readouterr().err
    assert message in err and "bad.mc:" in err and "Traceback" not in err


# ---- Golly's giant Self-Rep patterns against bgolly ----------------------------------------
def _bgolly(path: Path, rule: str, last: int, every: int) -> list[int]:
    """bgolly's populations at 0, every, 2 * every, ... last (a file's #G dropped: bgolly's
    -m counts from it)."""
    algorithm = (["-a", "JvN"] if rule in ("JvN29", "Nobili32", "Hutton32")
                 else ["-a", "RuleLoader", "-s", "/usr/share/golly/Rules/"])
    done = subprocess.run([BGOLLY, *algorithm, "-m", str(last), "-i", str(every), str(path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return [int(line.split(": ")[1].replace(",", "")) for line in done.stdout.splitlines()
            if re.fullmatch(r"[\d,]+: [\d,]+", line)]


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=() if n in DEFAULT else pytest.mark.slow, id=n) for n in GIANT])
def test_giant_self_rep_patterns_equal_bgolly(name, tmp_path):
    if BGOLLY is None:
        if os.environ.get("CI"):
            pytest.fail("bgolly (Debian package golly) is missing in CI")
        pytest.skip("bgolly not installed (apt-get install golly)")
    path = SELF_REP.parent / name
    if not path.is_file():
        pytest.skip(f"{path} is not installed")
    singles, every, last = GIANT[name]
    universe, _, _ = read_universe(path)
    golly_path = path
    if universe.generation:  # bgolly's -m counts from the file's #G: give it generation 0
        text = gzip.decompress(path.read_bytes()).decode() if path.suffix == ".gz" \
            else path.read_text()
        golly_path = tmp_path / "start.mc"
        golly_path.write_text(re.sub(r"(?m)^#G.*\n", "", text))
    rule = universe.rule_text
    ours = [universe.population()]
    for _ in range(singles):
        universe.advance(1)
        ours.append(universe.population())
    algorithm = (["-a", "JvN"] if rule in ("JvN29", "Nobili32", "Hutton32")
                 else ["-a", "RuleLoader", "-s", "/usr/share/golly/Rules/"])
    golly = bgolly_populations([BGOLLY, *algorithm, "-m", str(singles), "-i", "1",
                                str(golly_path)], singles)
    assert ours == golly
    universe, _, _ = read_universe(path)
    checkpoints = [universe.population()]
    for _ in range(last // every):
        universe.advance(every)
        checkpoints.append(universe.population())
    assert checkpoints == _bgolly(golly_path, rule, last, every)


def test_alife_run_sends_a_giant_pattern_to_hashlife(tmp_path, capsys):
    """`alife run` of a pattern 37,888 cells wide: HashLife, the population bgolly gives,
    the result written as a macrocell that reads back the same."""
    path = SELF_REP / "JvN" / "codon4-auto-retract.rle"
    if not path.is_file():
        pytest.skip(f"{path} is not installed")
    out = tmp_path / "codon4.mc"
    assert main(["run", str(path), "--steps", "1024", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "HashLife" in said and "generation 1024," in said
    universe, _, _ = read_universe(out)
    assert universe.generation == 1024 and universe.rule_text == "Nobili32"
    assert f"population {universe.population()}," in said
    if BGOLLY is not None:
        assert universe.population() == _bgolly(path, "Nobili32", 1024, 1024)[-1]


@pytest.mark.slow
def test_a_long_run_of_a_jvn_tape_machine_equals_bgolly():
    """codon5-auto-retract (44,266 cells wide) to generation 2^20 in one HashLife step."""
    path = SELF_REP / "JvN" / "codon5-auto-retract.rle"
    if BGOLLY is None or not path.is_file():
        pytest.skip("bgolly or Golly's Patterns not installed")
    universe, _, _ = read_universe(path)
    universe.advance(1 << 20)
    assert universe.population() == _bgolly(path, "Nobili32", 1 << 20, 1 << 20)[-1]
