"""The app on Golly's unbounded plane, through the real event loop offscreen: a window that follows
the pattern (alife.app.controller_plane) and HashLife worlds (alife.app.controller_hashlife).

Truth: our headless HashLife (tests/test_hashlife.py checks it against bgolly) at the same
generation, bgolly itself where quick, and the cells before an edit for undo."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pygame
import pytest

from alife.rules.life.hashlife import Universe
from alife.rules.life.hashlife_view import QuadtreeView, align
from alife.rules.life.macrocell import read_macrocell
from alife.scene.pattern_world import world_from_pattern
from tests.app_driver import CTRL, click, frames, frames_until, key

pytestmark = pytest.mark.gl

GOLLY_HASHLIFE = Path("/usr/share/golly/Patterns/HashLife")
#: every pattern of the folder: 24 macrocell files and one gzipped RLE
MACROCELLS = sorted(p.name for p in GOLLY_HASHLIFE.iterdir()
                    if p.name.endswith((".mc", ".mc.gz", ".rle.gz"))) \
    if GOLLY_HASHLIFE.is_dir() else []
BGOLLY = shutil.which("bgolly")


def _glider(tmp_path: Path, at: str = "") -> Path:
    path = tmp_path / "glider.rle"
    path.write_text(f"{at}x = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n")
    return path


def _plane_cells(controller) -> set[tuple[int, int]]:
    ys, xs = np.nonzero(controller.cells())
    x0, y0 = controller.world.origin
    return set(zip((xs + x0).tolist(), (ys + y0).tolist(), strict=True))


def test_a_glider_flies_a_hundred_thousand_cells_in_the_app(make_app, tmp_path):
    """4 x 10^5 generations at 2^13 steps per frame: the window re-centres on the device and
    never grows; the cells equal HashLife's; the camera follows; the status bar gives the box
    in plane coordinates."""
    from alife.app.panels import status

    path = _glider(tmp_path)
    app = make_app(world_from_pattern(path))
    c = app.controller
    frames(app, 2)
    start = _plane_cells(c)
    c.speed.exponent = 13
    key(app, pygame.K_SPACE, frames_after=1)
    frames_until(app, lambda: c.generation >= 400_000, timeout=120)
    key(app, pygame.K_SPACE, frames_after=1)
    c.sync()
    generation = c.generation
    assert generation >= 400_000 and max(c.shape) <= 128
    universe = Universe.for_rule("B3/S23")
    universe.set_cells(np.array([x for x, _ in start]), np.array([y for _, y in start]))
    universe.advance(generation)
    xs, ys = universe.cells()
    expected = set(zip(xs.tolist(), ys.tolist(), strict=True))
    assert _plane_cells(c) == expected and min(x for x, _ in expected) >= 99_999
    frames(app, 2)
    box = c.plane_box
    x, y = app.canvas.camera.cell_to_screen(box.top, box.left, app.canvas.size_fb())
    width, height = app.canvas.size_fb()
    assert 0 <= x < width and 0 <= y < height  # the view followed the glider
    bx, by = min(x for x, _ in expected), min(y for _, y in expected)
    assert f"box 3 x 3 at ({bx}, {by})" in status.parts(app.state)


def test_drawing_outside_the_window_grows_it_and_undo_takes_it_back(make_app, tmp_path):
    app = make_app(world_from_pattern(_glider(tmp_path)))
    c = app.controller
    frames(app, 2)
    shape, origin, before = c.shape, c.world.origin, _plane_cells(c)
    app.canvas.camera.zoom = 1.0
    app.canvas.camera.centre = (48.0, 48.0)
    frames(app, 1)
    app.state.tool = "draw"
    from tests.app_driver import cell_pos

    row, col = -150, -200  # outside the 96 x 96 window
    target = (origin[0] + col, origin[1] + row)
    click(app, cell_pos(app, row, col))
    assert target in _plane_cells(c) and before <= _plane_cells(c)
    assert c.shape[0] > shape[0] and c.shape[1] > shape[1]
    key(app, pygame.K_z, CTRL)
    assert c.shape == shape and c.world.origin == origin and _plane_cells(c) == before


def test_undo_across_a_re_centre(make_app, tmp_path):
    """A run that moved the window: undo goes back to the start (cells, window, origin),
    redo to the end."""
    app = make_app(world_from_pattern(_glider(tmp_path)))
    c = app.controller
    frames(app, 2)
    start_origin, start_cells = c.world.origin, _plane_cells(c)
    c.speed.exponent = 10
    key(app, pygame.K_SPACE, frames_after=1)
    frames_until(app, lambda: c.generation >= 4096)
    key(app, pygame.K_SPACE, frames_after=1)
    end_origin, end_cells, end_generation = c.world.origin, _plane_cells(c), c.generation
    assert end_origin != start_origin
    key(app, pygame.K_z, CTRL)
    assert c.generation == 0 and c.world.origin == start_origin
    assert _plane_cells(c) == start_cells
    key(app, pygame.K_y, CTRL)
    assert (c.generation, c.world.origin, _plane_cells(c)) == (end_generation, end_origin,
                                                              end_cells)


def test_the_quadtree_picture_is_the_cells_pooled():
    """Zoomed out, a pixel is 1 where any cell of its square lives (Golly's drawing)."""
    rng = np.random.default_rng(5)
    cells = (rng.random((80, 120)) < 0.1).astype(np.uint8)
    universe = Universe.for_rule("B3/S23")
    ys, xs = np.nonzero(cells)
    universe.set_cells(xs - 37, ys - 21)
    view = QuadtreeView(universe)
    assert np.array_equal(view.render(-37, -21, 120, 80, 0), cells)
    assert align(universe, -38, -22, 2) == (-40, -23)  # Golly's y: the root's centre at 1
    pooled = view.render(-40, -23, 128, 88, 2)
    padded = np.zeros((88, 128), np.uint8)
    padded[2:82, 3:123] = cells
    expected = padded.reshape(22, 4, 32, 4).max(axis=(1, 3))
    assert np.array_equal(pooled, expected)


def _bgolly_population(path: Path, generations: int) -> int:
    out = subprocess.run([BGOLLY, "-h", "-m", str(generations), str(path)], capture_output=True,
                         text=True, timeout=120, check=True).stdout.strip().splitlines()
    return int(out[-1].split(":")[1].replace(",", ""))


@pytest.mark.skipif(not MACROCELLS, reason="Golly's Patterns/HashLife folder is not installed")
@pytest.mark.parametrize("name", MACROCELLS)
def test_every_golly_hashlife_pattern_opens_and_steps_in_the_app(make_app, tmp_path, name):
    """Golly's HashLife collection opens in the app (HashLife world, not dimmed in the
    Library); one step of 2^4 (N) gives our headless HashLife's population and, for the
    quick ones, bgolly's."""
    from alife.app.library import openable, pattern_entry

    path = GOLLY_HASHLIFE / name
    app = make_app(world_from_pattern(_glider(tmp_path)))
    c = app.controller
    assert openable(pattern_entry(path, path.name, "golly", GOLLY_HASHLIFE))[0]
    assert c.open(path) is None
    if name.endswith(".rle.gz"):  # an RLE: the grid engine's window onto the plane
        from alife.scene.patterns import read_pattern

        assert c.world.origin is not None
        pattern = read_pattern(path)
        universe = Universe.for_rule(pattern.rule or "B3/S23")
        ys, xs = np.nonzero(pattern.cells)
        universe.set_cells(xs, ys)
        universe.advance(16)
        c.advance(16)
        frames(app, 2)
        assert c.generation == 16 and c.population() == universe.population()
        return
    if c.world.universe is None:  # wolfram22.mc: Wolfram's rule 22 (#R W22), a 1-D rule that
        assert name == "wolfram22.mc"  # the grid route runs (no Life-like HashLife rule)
        key(app, pygame.K_n, frames_after=2)
        assert c.generation == 1
        return
    frames(app, 2)
    assert app.controller.view_image().size > 0
    c.speed.exponent = 4
    key(app, pygame.K_n, frames_after=2)
    c.sync()
    universe, _ = read_macrocell(path)
    start = universe.generation
    universe.advance(16)
    assert c.generation == start + 16
    assert c.world.universe.population == universe.population()
    if BGOLLY is not None and start == 0:
        assert universe.population() == _bgolly_population(path, 16)


def test_a_b0_rule_steps_on_the_plane_in_the_app(make_app, tmp_path):
    """B03/S23 (B0 without S8, Golly's emulation: alife.rules.life.b0) opened from a pattern
    file: N steps it on the plane window; populations equal bgolly's; undo goes back."""
    if BGOLLY is None:
        pytest.skip("bgolly not installed (apt install golly)")
    from tests.bgolly_driver import bgolly_populations

    path = tmp_path / "b0.rle"
    path.write_text("x = 3, y = 3, rule = B03/S23\nbo$2bo$3o!\n")
    theirs = bgolly_populations([BGOLLY, "-m", "6", "-i", "1", str(path)], 6)
    app = make_app(world_from_pattern(path))
    c = app.controller
    frames(app, 2)
    assert c.world.origin is not None
    start = _plane_cells(c)
    ours = [len(start)]
    for _ in range(6):
        key(app, pygame.K_n, frames_after=1)
        c.sync()
        ours.append(len(_plane_cells(c)))
    assert ours == theirs
    for _ in range(6):
        key(app, pygame.K_z, CTRL)
    assert c.generation == 0 and _plane_cells(c) == start


def test_a_hashlife_run_is_undoable(make_app, tmp_path):
    """Golly's way: undo after a HashLife run goes back to where it started (generation and
    cells), redo to where it ended; then undo twice more undoes the switch to HashLife."""
    app = make_app(world_from_pattern(_glider(tmp_path)))
    c = app.controller
    frames(app, 2)
    grid_cells = _plane_cells(c)
    assert c.switch_to_hashlife() is None
    run = c.world.universe

    def cells() -> set[tuple[int, int]]:
        xs, ys = run.universe.cells()
        return set(zip(xs.tolist(), ys.tolist(), strict=True))

    start = cells()
    c.speed.exponent = 10
    key(app, pygame.K_SPACE, frames_after=1)
    frames_until(app, lambda: c.generation >= 4096, timeout=60)
    key(app, pygame.K_SPACE, frames_after=1)
    c.hashlife_wait()
    end, end_generation = cells(), c.generation
    assert end != start and end_generation >= 4096
    key(app, pygame.K_z, CTRL)
    assert c.world.universe is run and c.generation == 0 and cells() == start
    assert c.metrics["population"] == 5
    key(app, pygame.K_y, CTRL)
    assert c.generation == end_generation and cells() == end
    key(app, pygame.K_z, CTRL)
    key(app, pygame.K_z, CTRL)
    assert c.world.universe is None and _plane_cells(c) == grid_cells
