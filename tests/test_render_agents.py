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


# ---- shapes, size with zoom, translucent message lines (issue 16) ------------------------------
def _render_shapes(ctx, shapes, camera, size, positions=None, links=None):
    """Entities (white) of `shapes` on a dead grid, optional link lines under them (as the app
    and `alife render` draw: grid, lines, entities)."""
    from alife.render.links import LinkRenderer

    grid, agents, lines = GridRenderer(ctx), AgentRenderer(ctx), LinkRenderer(ctx)
    target = OffscreenTarget(ctx, *size)
    n = len(shapes)
    pos = positions if positions is not None else np.array([[8.0, 4.0 + 6.0 * i]
                                                            for i in range(n)], np.float32)
    try:
        grid.set_view(np.zeros((16, 24), np.uint8), "binary")
        agents.set_agents(pos, np.ones((n, 3), np.float32), 0.45, shapes=np.array(shapes))
        target.use()
        grid.draw(target.viewport, camera, grid_lines=False)
        if links is not None:
            lines.set_links(*links)
            lines.draw(target.viewport, camera)
        agents.draw(target.viewport, camera)
        return target.read()
    finally:
        for obj in (grid, agents, lines, target):
            obj.release()


def _blob(img, cx, cy, half):
    """The entity's pixels (fill or rim: not the background around it) in the box of `half` px
    around (cx, cy)."""
    box = img[cy - half:cy + half + 1, cx - half:cx + half + 1].astype(int)
    return np.abs(box - box[0, 0]).sum(axis=2) > 30


def test_shapes_are_told_apart_by_their_corners(gl_ctx):
    """Disc, square, diamond, triangle at zoom 20 (half-width 9 px): the square fills the
    corners of its box that the disc leaves empty; the diamond reaches further along the axes
    than the square but not into its corners; the triangle is wider at its base than its top."""
    from alife.core.rule import EntityKind
    from alife.render.agents import SHAPES, shape_indices

    cam = Camera().fit((16, 24), (480, 320))  # zoom 20
    assert cam.zoom == 20
    img = _render_shapes(gl_ctx, [0, 1, 2, 3], cam, (480, 320))
    r = 0.45 * 20
    centres = [(int(20 * (4.0 + 6.0 * i)), int(20 * 8.0)) for i in range(4)]
    disc, square, diamond, tri = (_blob(img, x, y, 14) for x, y in centres)

    def at(mask, dx, dy):  # the pixel whose centre is (dx, dy) px from the entity's centre
        return bool(mask[int(14 + dy - 0.5), int(14 + dx - 0.5)])

    for dx, dy in ((-7.5, -7.5), (7.5, 7.5), (7.5, -7.5)):  # inside a square's corner only
        assert at(square, dx, dy) and not at(disc, dx, dy) and not at(diamond, dx, dy)
    for dx, dy in ((10.5, 0.5), (0.5, -10.5)):  # along the axes: the diamond's tips only
        assert at(diamond, dx, dy) and not at(square, dx, dy) and not at(disc, dx, dy)
    top = tri[int(14 - 7.5 - 0.5)]
    bottom = tri[int(14 + 4.5 - 0.5)]
    assert bottom.sum() > 2 * max(top.sum(), 1)
    for mask in (disc, square, diamond, tri):  # each about the disc's area
        assert 0.6 * np.pi * r * r < mask.sum() < 1.6 * np.pi * (r + 1) ** 2
    kinds = (EntityKind("agent", "disc"), EntityKind("robot", "square"))
    shapes = [SHAPES[int(i)] for i in shape_indices(np.array([0, 1, 5, -1]), kinds)]
    assert shapes == ["disc", "square", "square", "disc"]  # past the end: the last kind


def test_size_follows_the_zoom_with_a_minimum(gl_ctx):
    """The same entity covers about 4x the pixels at twice the zoom, and stays at least
    2 * MIN_RADIUS_PX across when the zoom would make it a speck."""
    from alife.render.agents import MIN_RADIUS_PX

    areas = {}
    for zoom in (10.0, 20.0, 0.25):
        cam = Camera(centre=(8.0, 12.0), zoom=zoom)
        img = _render_shapes(gl_ctx, [0], cam, (160, 160),
                             positions=np.array([[8.0, 12.0]], np.float32))
        areas[zoom] = _blob(img, 80, 80, 40).sum()
    assert 3.0 < areas[20.0] / areas[10.0] < 5.0
    assert areas[0.25] >= np.pi * (MIN_RADIUS_PX - 0.5) ** 2
    assert areas[0.25] <= np.pi * (MIN_RADIUS_PX + 1.5) ** 2


def test_message_lines_are_translucent_and_run_under_entities(gl_ctx):
    """A link across the grid tints it (a blend of the dead colour and the line's yellow, not
    the opaque yellow); where it crosses an entity the entity's own colour shows."""
    from alife.render.links import LINK_COLOUR

    cam = Camera().fit((16, 24), (480, 320))
    starts = np.array([[8.025, 0.0]], np.float32)  # through the centre of pixel row 160
    ends = np.array([[8.025, 24.0]], np.float32)
    img = _render_shapes(gl_ctx, [0], cam, (480, 320), positions=np.array([[8.0, 12.0]],
                                                                         np.float32),
                         links=(starts, ends))
    on_line = img[160, 60].astype(float)  # the line's middle, far from the entity
    yellow = np.array(LINK_COLOUR[:3]) * 255
    dead = np.array(palettes.DEAD, float)
    want = dead + LINK_COLOUR[3] * (yellow - dead)
    assert np.abs(on_line - want).max() < 12, (on_line, want)
    assert np.abs(on_line - yellow).max() > 60  # not opaque
    assert tuple(img[160, 240]) == (255, 255, 255)  # the entity's centre, over the line
