"""Two-state B0 rules on the unbounded plane (`alife.rules.life.b0`, Golly's emulation).

Truth: (1) a NumPy step of the rule itself on a torus big enough that nothing wraps, where the
whole background flips as it would on the infinite plane: the window holds the world at even
generations and its complement at odd ones (B0 without Smax), or its complement always (B0 with
Smax; the pattern as given is that complement too, as Golly takes it); (2) bgolly's population at
every generation of the same pattern (its emulation is Golly's: the counts are of the stored
form)."""

from __future__ import annotations

import shutil

import jax
import numpy as np
import pytest

from alife.core import plane
from alife.rules.life.rulestring import parse_rule
from alife.scene.pattern_world import world_from_pattern
from tests.bgolly_driver import bgolly_populations

KEY = jax.random.PRNGKey(0)
MOORE = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]
#: B0 without Smax, B0 with Smax (AntiLife: Life in negative), von Neumann, hexagonal
RULES = ["B03/S23", "B03/S238", "B0123478/S01234678", "B02/S1V", "B0/S2H"]
NEIGHBOURS = {"moore": MOORE, "vonneumann": [(-1, 0), (1, 0), (0, -1), (0, 1)],
              "hex": [(-1, -1), (-1, 0), (0, -1), (0, 1), (1, 0), (1, 1)]}
SOUP = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1], [1, 0, 0, 1, 0], [0, 1, 1, 0, 1]])


def _numpy_step(cells: np.ndarray, birth: frozenset, survive: frozenset,
                offsets: list[tuple[int, int]]) -> np.ndarray:
    count = sum(np.roll(cells, (-dy, -dx), axis=(0, 1)) for dy, dx in offsets)
    born = np.isin(count, sorted(birth)) & (cells == 0)
    kept = np.isin(count, sorted(survive)) & (cells == 1)
    return (born | kept).astype(np.uint8)


def _world(tmp_path, rule: str):
    path = tmp_path / "soup.rle"
    rows = "$".join("".join("o" if c else "b" for c in row) for row in SOUP)
    path.write_text(f"x = 5, y = 4, rule = {rule}\n{rows}!\n")
    return world_from_pattern(path)


def _plane_cells(rule, state, origin) -> dict[tuple[int, int], int]:
    cells = np.asarray(rule.cells(state))
    ys, xs = np.nonzero(cells)
    return {(int(x) + origin[0], int(y) + origin[1]) for y, x in zip(ys, xs, strict=True)}


@pytest.mark.parametrize("rule_text", RULES)
def test_the_window_holds_the_world_or_its_complement(tmp_path, rule_text):
    world = _world(tmp_path, rule_text)
    assert world.origin is not None and world.rule.config()["unbounded"] is True
    spec = parse_rule(rule_text)
    offsets = NEIGHBOURS[spec.neighbourhood]
    smax = len(offsets) in spec.survive
    side, at = 160, 60
    big = np.zeros((side, side), np.uint8)
    big[at:at + 4, at:at + 5] = SOUP
    if smax:  # as in Golly, the cells given are the complement of a live background
        big ^= 1
    rule, state, origin = world.rule, world.state, world.origin
    start = _plane_cells(rule, state, origin)
    left = min(x for x, _ in start) - at
    top = min(y for _, y in start) - at
    for generation in range(1, 41):
        rule, state, origin = plane.advance(rule, KEY, state, world.params, origin, 1)
        big = _numpy_step(big, spec.birth, spec.survive, offsets)
        stored = big ^ 1 if (smax or generation % 2 == 1) else big
        assert stored[0].sum() == 0 and stored[-1].sum() == 0, "the pattern reached the edge"
        ys, xs = np.nonzero(stored)
        want = {(int(x) + left, int(y) + top) for y, x in zip(ys, xs, strict=True)}
        assert _plane_cells(rule, state, origin) == want, f"generation {generation}"


@pytest.mark.parametrize("rule_text", ["B03/S23", "B0123478/S01234678", "B0124-k/S1c25"])
def test_populations_equal_bgollys(tmp_path, rule_text):
    if shutil.which("bgolly") is None:
        pytest.skip("bgolly not installed (apt install golly)")
    world = _world(tmp_path, rule_text)
    steps = 120
    theirs = bgolly_populations(["bgolly", "-m", str(steps), "-i", "1",
                                 str(tmp_path / "soup.rle")], steps)
    rule, state, origin = world.rule, world.state, world.origin
    ours = [len(_plane_cells(rule, state, origin))]
    for _ in range(steps):
        rule, state, origin = plane.advance(rule, KEY, state, world.params, origin, 1)
        ours.append(len(_plane_cells(rule, state, origin)))
    assert ours == theirs


def test_a_b0_plane_scene_saves_and_loads(tmp_path):
    from alife.scene import load_scene, save_scene

    world = _world(tmp_path, "B03/S23")
    rule, state, origin = plane.advance(world.rule, KEY, world.state, world.params,
                                        world.origin, 7)
    world.rule, world.state, world.origin = rule, state, origin
    save_scene(world, tmp_path / "b0.yaml", include_state=True)
    back = load_scene(tmp_path / "b0.yaml")
    assert back.rule.config().get("unbounded") is True
    ahead = plane.advance(rule, KEY, state, world.params, origin, 5)
    again = plane.advance(back.rule, KEY, back.state, back.params, back.origin, 5)
    assert _plane_cells(*ahead) == _plane_cells(*again)


def test_unbounded_needs_the_plane():
    from alife.core.errors import AlifeError
    from alife.rules.life.rule import LifeRule

    with pytest.raises(AlifeError, match="unbounded"):
        LifeRule("B03/S23", 64, 64, "torus", unbounded=True)


def test_alife_run_takes_a_b0_pattern_to_the_plane(tmp_path):
    _world(tmp_path, "B03/S23")
    from alife.cli import main

    assert main(["run", str(tmp_path / "soup.rle"), "--steps", "3", "--quiet",
                 "--out", str(tmp_path / "end.rle")]) == 0
    written = (tmp_path / "end.rle").read_text()
    assert "#CXRLE Pos=" in written and "rule = B03/S23\n" in written  # plane, not a torus


def test_a_b0_plane_scene_without_unbounded_is_refused(tmp_path):
    """A hand-written scene with `run.plane` and a B0 rule but no `unbounded: true` would run
    real B0 on a bounded window: refused, naming the key."""
    import yaml

    from alife.core.errors import AlifeError
    from alife.scene import load_scene, save_scene

    world = _world(tmp_path, "B03/S23")
    save_scene(world, tmp_path / "b0.yaml", include_state=True)
    tree = yaml.safe_load((tmp_path / "b0.yaml").read_text())
    del tree["rule"]["config"]["unbounded"]
    (tmp_path / "b0.yaml").write_text(yaml.safe_dump(tree))
    with pytest.raises(AlifeError, match="unbounded: True"):
        load_scene(tmp_path / "b0.yaml")
