"""Rule tables against Golly itself (`bgolly`, RuleLoader) and against published facts.

- Random rule tables of every neighbourhood and symmetry Golly offers (bound and unbound
  variables, first-match order), random soups on a torus: the population at every generation and
  the final grid equal bgolly's.
- Patterns from Golly's own collection (Loops, WireWorld, Turmites, Self-Rep, Other-Rules,
  Patersons-Worms, Margolus) opened through alife's pattern route (`world_from_pattern`, rules
  found by name) and run: the population at every generation equals bgolly's. Golly's universe
  is unbounded; ours is a torus around the pattern, so each run checks, before every chunk of
  steps, that nothing is near enough to the edge to wrap within the chunk.
- Langton's loop (Langton 1984, Physica D 10: 135-144): the loop reproduces in 151 steps (the
  daughter, cut off from its parent, is cell for cell the loop we started from), and the colony
  grows (populations and separate loops at multiples of 151, populations equal bgolly's).

bgolly comes with Golly (Debian: apt-get install golly); without it these tests skip, saying
so, except in CI where it is installed and its absence is a failure. The default suite runs a
few patterns; `pytest -m slow` runs every available pattern.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from bgolly_driver import bgolly_populations
from test_ruletable import random_table, table_rule

from alife.rules.ruletable import library
from alife.rules.ruletable.ruleformat import SYMMETRIES
from alife.scene.pattern_world import world_from_pattern
from alife.scene.patterns import Pattern
from alife.scene.rle import format_rle, read_rle

BGOLLY = shutil.which("bgolly")
PATTERNS = Path("/usr/share/golly/Patterns")
LANGTON = PATTERNS / "Loops" / "Langtons-Loops.rle"


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ALIFE_RULES", raising=False)


@pytest.fixture
def bgolly():
    if BGOLLY is None:
        if os.environ.get("CI"):
            pytest.fail("bgolly (Debian package golly) is missing in CI")
        pytest.skip("bgolly not installed (apt-get install golly)")
    return BGOLLY


def golly_rules() -> Path:
    folder = library.golly_folder()
    if folder is None:
        if os.environ.get("CI"):
            pytest.fail("Golly's Rules folder is missing in CI")
        pytest.skip("Golly's Rules folder is not installed (apt-get install golly)")
    return folder


def golly_run(bgolly: str, pattern: Path, generations: int, rules: Path,
              out: Path | None = None) -> list[int]:
    """bgolly's population at generations 0..`generations` (and the final pattern in `out`)."""
    args = [bgolly, "-a", "RuleLoader", "-s", f"{rules}/", "-m", str(generations), "-i", "1"]
    args += ["-o", str(out)] if out else []
    return bgolly_populations(args + [str(pattern)], generations, timeout=120)


@functools.partial(jax.jit, static_argnames=("rule", "steps"))
def _run(rule, state, params, steps):
    def body(s, _):
        s = rule.step(None, s, params)
        return s, jnp.sum(s.cells != 0, dtype=jnp.int32)

    return jax.lax.scan(body, state, None, length=steps)


def our_run(pattern: Path, generations: int, margin: int, chunk: int = 20,
            keep: list[int] = ()) -> tuple[list[int], dict[int, np.ndarray]]:
    """Our populations at generations 0..`generations` through the pattern route, and the grid
    at the generations in `keep`; refuses a run that could have wrapped round the torus."""
    world = world_from_pattern(pattern, margin=margin)
    rule, params, state = world.rule, world.params, world.state
    fixed = rule.suffix is not None  # Golly's bounded grids are the grid itself
    pops = [int(jnp.sum(state.cells != 0))]
    grids = {0: np.asarray(state.cells)} if 0 in keep else {}
    done = 0
    while done < generations:
        steps = min(chunk, generations - done)
        if not fixed:
            cells = np.asarray(state.cells)
            band = np.ones(cells.shape, bool)
            band[steps + 1:-steps - 1, steps + 1:-steps - 1] = False
            assert not cells[band].any(), (f"{pattern.name}: generation {done} is within "
                                           f"{steps + 1} cells of the edge; raise the margin")
        state, more = _run(rule, state, params, steps)
        pops += [int(p) for p in np.asarray(more)]
        done += steps
        if done in keep:
            grids[done] = np.asarray(state.cells)
    return pops, grids


# ---- random rule tables ------------------------------------------------------------------------
def _trim(cells: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(cells)
    return cells[ys.min():ys.max() + 1, xs.min():xs.max() + 1] if ys.size else cells[:0, :0]


CASES = [(neigh, sym) for neigh, syms in SYMMETRIES.items() for sym in syms]
DEFAULT_CASES = {("vonNeumann", "rotate4reflect"), ("Moore", "rotate8"),
                 ("hexagonal", "rotate6reflect"), ("oneDimensional", "reflect")}


@pytest.mark.parametrize("neigh,symmetry", [
    pytest.param(n, s, marks=() if (n, s) in DEFAULT_CASES else pytest.mark.slow)
    for n, s in CASES])
def test_random_tables_equal_golly(bgolly, tmp_path, neigh, symmetry):
    rng = np.random.default_rng(abs(hash((neigh, symmetry, "golly"))) % 2**32)
    width, height, generations = 24, 20, 30
    for trial in range(1 if (neigh, symmetry) in DEFAULT_CASES else 2):
        name = f"Rand{trial}"
        n_states = (3, 5)[trial]
        (tmp_path / f"{name}.rule").write_text(
            table_rule(name, random_table(rng, neigh, symmetry, n_states, 40, quiescent=True)))
        soup = rng.integers(0, n_states, (height, width)).astype(np.uint8)
        soup[rng.random(soup.shape) < 0.4] = 0
        pattern = Pattern(soup, rule=f"{name}:T{width},{height}",
                          position=(-(width // 2), -(height // 2)))
        path = tmp_path / f"{name}.rle"
        path.write_text(format_rle(pattern, multistate=True))
        golly = golly_run(bgolly, path, generations, tmp_path, tmp_path / "out.rle")
        ours, grids = our_run(path, generations, margin=0, keep=[generations])
        assert ours == golly, (neigh, symmetry, trial)
        theirs = read_rle(tmp_path / "out.rle").cells
        np.testing.assert_array_equal(_trim(grids[generations]), _trim(theirs))


def test_plane_edges_equal_golly(bgolly, tmp_path):
    """A bounded plane (`:P`): state 0 beyond the edges, as Golly has it."""
    rng = np.random.default_rng(8)
    (tmp_path / "Edge.rule").write_text(
        table_rule("Edge", random_table(rng, "Moore", "none", 4, 60, quiescent=True)))
    soup = rng.integers(0, 4, (16, 16)).astype(np.uint8)
    path = tmp_path / "edge.rle"
    path.write_text(format_rle(Pattern(soup, rule="Edge:P16,16", position=(-8, -8)), True))
    assert our_run(path, 40, margin=0)[0] == golly_run(bgolly, path, 40, tmp_path)


# ---- Golly's collection --------------------------------------------------------------------------
#: (pattern under Golly's Patterns/, generations, margin); the first few run by default
COLLECTION = [
    ("WireWorld/gate-XOR.mcl", 300, 0),
    ("Self-Rep/Codd/signals-demo.rle", 200, 60),
    ("Turmites/LangtonsAnt_LLRR.rle", 400, 40),
    ("Other-Rules/Langtons-Ant.rle", 300, 60),
    ("Loops/Byl-Loop.rle", 500, 120),
    ("Loops/Chou-Reggia-Loop-1.rle", 400, 100),
    ("Loops/Chou-Reggia-Loop-2.rle", 400, 120),
    ("Loops/Evoloop.rle", 400, 100),
    ("Loops/SDSR-Loop.rle", 500, 80),
    ("Loops/Perrier-Loop.rle", 500, 80),
    ("Loops/Perrier-Parenthesis-Checker.rle", 300, 60),
    ("Loops/Tempesti-Loop.rle", 500, 120),
    ("WireWorld/gate-AND.mcl", 300, 0),
    ("WireWorld/gate-OR.mcl", 300, 0),
    ("WireWorld/gate-NOT.mcl", 300, 0),
    ("WireWorld/clocks.mcl", 300, 0),
    ("WireWorld/flip-flop.mcl", 300, 0),
    ("WireWorld/memory-cell.mcl", 300, 0),
    ("WireWorld/circuit.mcl", 300, 0),
    ("WireWorld/unary-multiplier.mcl", 300, 0),
    ("WireWorld/NylesHeise.mcl", 300, 0),
    ("WireWorld/NickGardner.mcl", 300, 0),
    ("Turmites/AlienCounter.rle", 500, 60),
    ("Turmites/ComputerArt.rle", 500, 60),
    ("Turmites/Extinction.rle", 500, 60),
    ("Turmites/FibonacciSpiral.rle", 500, 60),
    ("Turmites/Highway2074575.rle", 500, 60),
    ("Turmites/Perfectionist.rle", 500, 60),
    ("Turmites/TriangularAnt_period92.rle", 500, 60),
    ("Turmites/TriangularLangtonsAnt.rle", 500, 60),
    ("Turmites/WormTrails.rle", 500, 60),
    ("Self-Rep/Codd/clocking-on-demo.rle", 300, 60),
    ("Self-Rep/Codd/coders-demo.rle", 300, 60),
    ("Self-Rep/Codd/gates-demo.rle", 300, 60),
    ("Self-Rep/Codd/sheathing-problems.rle", 300, 60),
    ("Self-Rep/Codd/tape-reader-demo.rle", 300, 60),
    ("Self-Rep/Devore/crossover.rle", 300, 60),
    ("Self-Rep/Devore/discriminator.rle", 300, 60),
    ("Self-Rep/Banks/Banks-I-demo.rle", 300, 60),
    ("Self-Rep/Banks/Banks-II-demo.rle", 300, 60),
    ("Self-Rep/Banks/Banks-III-demo.rle", 300, 60),
    ("Self-Rep/Banks/Banks-IV-demo.rle", 300, 60),
    ("Other-Rules/HPP-demo-small.rle", 300, 60),
    ("Other-Rules/golly-ants.rle", 300, 60),
    ("Other-Rules/life-on-the-edge.rle", 100, 60),
    ("Other-Rules/life-on-the-slope.rle", 100, 60),
    ("Other-Rules/Ed-rep.rle", 60, 60),
    ("Patersons-Worms/worm-1040512.rle", 500, 60),
    ("Patersons-Worms/worm-1042015.rle", 500, 60),
    ("Patersons-Worms/worm-1042020.rle", 500, 60),
    ("Patersons-Worms/worm-1252121.rle", 500, 60),
    ("Patersons-Worms/worm-1525115.rle", 500, 60),
    ("Margolus/BBM.rle", 200, 60),
    ("Margolus/HPP.rle", 200, 0),
    ("Margolus/CrittersOscillators.rle", 200, 0),
    ("Margolus/TripATron.rle", 200, 0),
    ("Margolus/Sand-Test.rle", 200, 60),
    ("Margolus/TMGas.rle", 200, 60),
    ("Margolus/TripATron_BlockAligned.rle", 200, 0),
    ("Margolus/HPP_large.rle", 100, 0),
    ("Margolus/CrittersCircle.rle", 100, 0),
    ("Margolus/DLA.rle", 60, 40),
    ("Margolus/Sand.rle", 60, 40),
    ("Margolus/TMGas_largeWithHole.rle", 60, 40),
    ("Other-Rules/HPP-demo.rle", 60, 40),
    ("Loops/Evoloop-finite.rle", 60, 40),
    ("Self-Rep/Codd/construction-arm-demo.rle", 200, 60),
    ("Self-Rep/Codd/crossover-unidir-demo.rle", 200, 60),
    ("Self-Rep/Codd/echo-discriminator.rle", 200, 60),
    ("Self-Rep/Codd/echo-switch-demo.rle", 60, 40),
    ("Self-Rep/Codd/extend-coder-demo.rle", 200, 60),
    ("Self-Rep/Codd/repeater-emitter-demo.rle", 200, 60),
    ("Self-Rep/Codd/sensing-demo.rle", 200, 60),
    ("Self-Rep/Codd/sheathing-demo.rle", 200, 60),
    ("Self-Rep/Devore/Devore-body.rle", 60, 40),
]
DEFAULT = 3


@pytest.mark.parametrize("name,generations,margin", [
    pytest.param(*case, marks=() if i < DEFAULT else pytest.mark.slow, id=case[0])
    for i, case in enumerate(COLLECTION)])
def test_golly_collection_populations_equal_bgolly(bgolly, name, generations, margin):
    rules = golly_rules()
    path = PATTERNS / name
    if not path.is_file():
        pytest.skip(f"{path} is not installed")
    golly = golly_run(bgolly, path, generations, rules)
    ours, _ = our_run(path, generations, margin)
    assert ours == golly


# ---- Langton's loop ------------------------------------------------------------------------
def _langton(tmp_path: Path) -> Path:
    """Langton's initial loop: Golly's Langtons-Loops.rle, or the copy alife ships."""
    del tmp_path
    return LANGTON if LANGTON.is_file() else (Path(__file__).resolve().parents[1] / "assets"
                                               / "patterns" / "ruletable"
                                               / "langtons-loops.rle")


def test_langtons_loop_reproduces_in_151_steps(tmp_path):
    """Langton 1984: a loop makes a copy of itself in 151 steps. At generation 151 the grid
    holds two separate structures, and one is exactly the loop we started from, 11 cells east
    of it (the parent has already begun its next arm)."""
    from scipy import ndimage

    path = _langton(tmp_path)
    start = read_rle(path).cells
    _, grids = our_run(path, 151, margin=160, chunk=151, keep=[0, 151])
    before, after = grids[0], grids[151]
    _, parts = ndimage.label(after != 0, structure=np.ones((3, 3)))
    assert parts == 2
    ys, xs = np.nonzero(before)
    top, left = ys.min(), xs.min()
    h, w = start.shape
    np.testing.assert_array_equal(after[top:top + h, left + 11:left + 11 + w], start)
    assert (after != 0).sum() == 171


def test_langtons_colony_grows_as_golly_grows_it(bgolly, tmp_path):
    """Every 151 steps the colony's separate structures and population grow; the populations
    equal bgolly's at every generation."""
    from scipy import ndimage

    path = _langton(tmp_path)
    generations = 604
    keep = [151 * k for k in range(1, 5)]
    ours, grids = our_run(path, generations, margin=230, chunk=151, keep=keep)
    assert ours == golly_run(bgolly, path, generations, golly_rules())
    parts = [ndimage.label(grids[g] != 0, structure=np.ones((3, 3)))[1] for g in keep]
    assert parts == [2, 4, 8, 15]  # loops and their growing arms, generation 151, 302, ...
    assert [ours[g] for g in keep] == [171, 343, 680, 1252]
