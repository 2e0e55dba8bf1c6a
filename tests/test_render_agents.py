"""AgentRenderer on real GL: discs land on their cells, hidden agents stay hidden, discs blend
over the grid and keep a visible size when zoomed out."""

import numpy as np

from alife.render.agents import AgentRenderer
from alife.render.camera import Camera
from alife.render.grid import GridRenderer
from alife.render.offscreen import OffscreenTarget
from alife.scene import palettes


def render(ctx, positions, colours, camera, size, radius=0.45):
    grid, agents = GridRenderer(ctx), AgentRenderer(ctx)
    target = OffscreenTarget(ctx, *size)
    try:
        grid.set_view(np.zeros((16, 20), np.uint8), "binary")
        agents.set_agents(positions, colours, radius)
        target.use()
        grid.draw(target.viewport, camera, grid_lines=False)
        agents.draw(target.viewport, camera)
        return target.read()
    finally:
        for obj in (grid, agents, target):
            obj.release()


def test_discs_on_their_cells(gl_ctx):
    cam = Camera().fit((16, 20), (200, 160))   # zoom 10, no margins
    positions = np.array([[2, 3], [8, 10], [12, 15]])
    colours = np.array([[255, 0, 0, 255], [0, 200, 255, 255], [0, 255, 0, 0]], np.uint8)
    img = render(gl_ctx, positions, colours, cam, (200, 160))
    assert tuple(img[25, 35]) == (255, 0, 0)           # centre of cell (2, 3)
    assert tuple(img[85, 105]) == (0, 200, 255)        # centre of cell (8, 10)
    assert tuple(img[125, 155]) == palettes.DEAD       # alpha 0: hidden
    assert tuple(img[20, 30]) == palettes.DEAD         # cell corner: outside the disc (r 4.5)
    red = np.all(img == (255, 0, 0), axis=2)
    rows, cols = np.nonzero(red)
    assert 20 <= rows.min() and rows.max() < 30 and 30 <= cols.min() and cols.max() < 40
    assert abs(red.sum() - np.pi * 3.0 ** 2) < np.pi * 4.5 ** 2   # a disc, not the whole cell


def test_float_positions_and_minimum_size(gl_ctx):
    cam = Camera(centre=(8.0, 10.0), zoom=0.5)          # far out: a disc would be 0.2 px
    img = render(gl_ctx, np.array([[8.0, 10.0]], np.float32),
                 np.array([[1.0, 1.0, 1.0]], np.float32), cam, (40, 40))
    assert img[18:23, 18:23].max() == 255, "the agent stays visible when zoomed out"
