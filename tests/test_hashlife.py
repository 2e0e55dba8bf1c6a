"""HashLife (alife.rules.life.hashlife) and macrocell files (rules.life.macrocell) against facts:
the JAX Life engine on a plane large enough that nothing reaches its edge, Golly's own bgolly on
patterns from Golly's collection, and the Gosper gun's glider count."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import jax
import numpy as np
import pytest

from alife import families as registry
from alife.cli import main
from alife.core import rollout
from alife.core.errors import AlifeError
from alife.rules.life.hashlife import Universe
from alife.rules.life.macrocell import read_macrocell, write_macrocell
from alife.scene.patterns import read_pattern

ROOT = Path(__file__).resolve().parents[1]
GUN = ROOT / "assets" / "patterns" / "gosper_glider_gun.rle"
GOLLY_HASHLIFE = Path("/usr/share/golly/Patterns/HashLife")
BGOLLY = shutil.which("bgolly")
needs_bgolly = pytest.mark.skipif(BGOLLY is None or not GOLLY_HASHLIFE.is_dir(),
                                  reason="Golly (bgolly and its Patterns) is not installed")


def _jax_plane(rule: str, cells: np.ndarray, steps: tuple[int, ...]) -> dict[int, np.ndarray]:
    """The JAX engine's Life on a dead-bordered plane of the same size as `cells`, at each of
    `steps` (one compiled single step, called repeatedly)."""
    h, w = cells.shape
    life = registry.create("life", rule=f"{rule}:P{w},{h}")
    params = life.default_params()
    state = life.init(jax.random.PRNGKey(0), params)
    state = life.paint(state, params, np.ones((h, w), bool), 0)
    state = life.paint(state, params, cells.astype(bool), 1)
    out = {}
    for n in range(1, max(steps) + 1):
        state = rollout.run(life, jax.random.PRNGKey(n), state, params, 1)
        if n in steps:
            out[n] = np.asarray(life.cells(state))
    return out


def _as_set(xs: np.ndarray, ys: np.ndarray) -> set[tuple[int, int]]:
    return set(zip(xs.tolist(), ys.tolist(), strict=True))


@pytest.mark.parametrize("rule", ["B3/S23", "B36/S23", "B2-a/S12"])
def test_hashlife_equals_the_jax_engine(rule):
    rng = np.random.default_rng(7)
    steps = (1, 6, 31, 64, 77)
    margin = 2 * max(steps) + 8  # light speed: nothing reaches the plane's edge
    soup = (rng.random((24, 24)) < 0.45).astype(np.uint8)
    side = 24 + 2 * margin
    plane = np.zeros((side, side), np.uint8)
    plane[margin:margin + 24, margin:margin + 24] = soup
    engine = _jax_plane(rule, plane, steps)
    for n in steps:
        expected = engine[n]
        universe = Universe.for_rule(rule)
        ys, xs = np.nonzero(plane)
        universe.set_cells(xs - margin, ys - margin)
        universe.advance(n)
        got_x, got_y = universe.cells()
        want_y, want_x = np.nonzero(expected)
        assert _as_set(got_x, got_y) == _as_set(want_x - margin, want_y - margin), (rule, n)
        assert universe.population() == int(expected.sum())
        assert universe.generation == n


def test_gosper_gun_emits_one_glider_per_30_generations():
    """The gun (36 cells) adds a 5-cell glider every 30 generations: population grows by 5 per
    period once the first glider is out, and the stream reaches ~g/4 cells from the gun."""
    universe = Universe.for_rule("B3/S23")
    ys, xs = np.nonzero(read_pattern(GUN).cells)
    universe.set_cells(xs, ys)
    universe.advance(300)
    base = universe.population()
    universe.advance(30 * 1000)
    assert universe.population() - base == 5 * 1000
    same_phase = 10**9 - 10**9 % 30
    universe.advance(same_phase - universe.generation)
    assert universe.population() == base + 5 * (same_phase - 300) // 30
    universe.advance(10**9 - same_phase)
    assert universe.generation == 10**9
    assert universe.population() == 166_666_713  # bgolly -h -m 1000000000 (Golly 3.3)
    x0, y0, x1, y1 = universe.bounding_box()
    assert abs((x1 - x0) - 10**9 // 4) < 100 and abs((y1 - y0) - 10**9 // 4) < 100


def test_b0_and_other_neighbourhoods_are_refused():
    with pytest.raises(AlifeError, match="B0"):
        Universe.for_rule("B03/S23")
    with pytest.raises(AlifeError, match="Moore"):
        Universe.for_rule("B2/S3V")
    with pytest.raises(AlifeError, match="Moore"):
        Universe.for_rule("B3/S23:T64,64")


def test_collect_keeps_the_pattern():
    universe = Universe.for_rule("B3/S23", max_nodes=3000)
    ys, xs = np.nonzero(read_pattern(GUN).cells)
    universe.set_cells(xs, ys)
    reference = Universe.for_rule("B3/S23")
    reference.set_cells(xs, ys)
    for n in (100, 1000, 4097):
        universe.advance(n)
        reference.advance(n)
        assert universe.node_count < 3000 * 2
        assert _as_set(*universe.cells()) == _as_set(*reference.cells())


def test_macrocell_round_trip(tmp_path):
    universe = Universe.for_rule("B36/S23")
    rng = np.random.default_rng(3)
    xs, ys = rng.integers(-300, 300, 500), rng.integers(-40, 900, 500)
    universe.set_cells(xs, ys)
    universe.generation = 12345
    for name in ("u.mc", "u.mc.gz"):
        write_macrocell(tmp_path / name, universe)
        back, _ = read_macrocell(tmp_path / name)
        assert back.rule_text == "B36/S23" and back.generation == 12345
        assert _as_set(*back.cells()) == _as_set(xs, ys)


@pytest.mark.parametrize("text, words", [
    ("nothing\n", "[M2]"),
    ("[M2]\n$$*$\n4 0 0 0 2\n", "node 2 is not defined"),
    ("[M2]\n$$*$\n5 0 0 0 1\n", "level 3"),
    ("[M2]\n1 0 1 2 3\n", "multi-state"),
    ("[M2]\n$$*x$\n", "'x'"),
    ("[M2]\n#R B03/S2\n$*$\n", "B0"),
    ("[M2]\n4 a b\n", "five integers"),
])
def test_bad_macrocell_files_name_the_line(tmp_path, text, words):
    path = tmp_path / "bad.mc"
    path.write_text(text)
    with pytest.raises(AlifeError, match=None) as caught:
        read_macrocell(path)
    assert words in str(caught.value) and "bad.mc" in str(caught.value)


def _bgolly(path: Path, generations: int, out: Path | None = None) -> int:
    args = [BGOLLY, "-h", "-m", str(generations), str(path)]
    if out is not None:
        args[1:1] = ["-o", str(out)]
    lines = subprocess.run(args, capture_output=True, text=True, timeout=120,
                           check=True).stdout.strip().splitlines()
    return int(lines[-1].split(":")[1].replace(",", ""))


@needs_bgolly
@pytest.mark.parametrize("name, generations", [
    ("ruler.mc", 5000), ("jagged.mc", 1000), ("totalperiodic.mc", 4096),
    ("broken-lines.mc", 3000)])
def test_golly_macrocells_match_bgolly(name, generations):
    universe, _ = read_macrocell(GOLLY_HASHLIFE / name)
    universe.advance(generations)
    assert universe.population() == _bgolly(GOLLY_HASHLIFE / name, generations)


@needs_bgolly
def test_cells_match_bgolly_up_to_translation(tmp_path):
    out = tmp_path / "golly.rle"
    expected_pop = _bgolly(GUN, 12345, out)
    universe = Universe.for_rule("B3/S23")
    ys, xs = np.nonzero(read_pattern(GUN).cells)
    universe.set_cells(xs, ys)
    universe.advance(12345)
    ours, _, _ = universe.to_array()
    theirs = read_pattern(out).cells
    assert universe.population() == expected_pop
    assert ours.shape == theirs.shape and np.array_equal(ours, theirs != 0)


def test_alife_run_uses_hashlife_for_unbounded_patterns(tmp_path, capsys):
    out = tmp_path / "gun.mc"
    assert main(["run", str(GUN), "--steps", "1000000000", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "HashLife" in said and "population 166666713" in said
    back, _ = read_macrocell(out)
    assert back.generation == 10**9 and back.population() == 166666713
    rle = tmp_path / "later.rle"
    assert main(["run", str(out), "--steps", "30", "--out", str(tmp_path / "x.mc.gz"),
                 "--quiet"]) == 0
    assert main(["run", str(GUN), "--steps", "60", "--out", str(rle), "--quiet"]) == 0
    pattern = read_pattern(rle)
    assert pattern.generation == 60 and int(pattern.cells.sum()) == 46  # bgolly -h -m 60


def test_alife_run_hashlife_refuses_grid_only_flags(tmp_path, capsys):
    code = main(["run", str(GUN), "--steps", "10", "--checkpoint", str(tmp_path / "c.npz")])
    assert code == 2 and "--engine grid" in capsys.readouterr().err
    assert main(["run", str(GUN), "--steps", "10", "--engine", "grid", "--quiet"]) == 0
