"""GridRenderer on real GL (Mesa llvmpipe via EGL): every look, camera placement, crisp pixels,
grid lines, zoomed-out averaging, texture reuse, and the elementary space-time view.

The reference for each picture is NumPy: the view coloured by `palettes.colorize` and blown up
by the camera's whole zoom (np.kron-style repetition), with the OUTSIDE colour around it.
"""

import numpy as np
import pytest

from alife.render.camera import Camera
from alife.render.grid import GRID_MIN_ZOOM, GridRenderer
from alife.render.offscreen import OffscreenTarget
from alife.scene import palettes


@pytest.fixture
def draw(gl_ctx):
    made = []

    def render(view, look, size, camera, grid_lines=False, **kw):
        renderer = GridRenderer(gl_ctx)
        target = OffscreenTarget(gl_ctx, *size)
        made.extend([renderer, target])
        renderer.set_view(view, look, **kw)
        target.use()
        target.clear((255, 0, 255))
        renderer.draw(target.viewport, camera, grid_lines=grid_lines)
        return target.read()

    yield render
    for obj in made:
        obj.release()


def expected_image(colours, camera, size):
    """NumPy reference: each screen pixel takes the colour of the cell under its centre."""
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w] + 0.5
    rows, cols = camera.screen_to_cell(xs, ys, size)
    rows, cols = np.floor(rows).astype(int), np.floor(cols).astype(int)
    inside = (rows >= 0) & (cols >= 0) & (rows < colours.shape[0]) & (cols < colours.shape[1])
    out = np.empty((h, w, 3), np.uint8)
    out[:] = palettes.OUTSIDE
    out[inside] = colours[rows[inside], cols[inside]]
    return out


def glider(h=9, w=12):
    grid = np.zeros((h, w), np.uint8)
    grid[1, 2] = grid[2, 3] = grid[3, 1] = grid[3, 2] = grid[3, 3] = 1
    return grid


def test_binary_look_pixels(draw):
    grid = glider()
    cam = Camera().fit(grid.shape, (100, 80))       # zoom 8, grid centred
    img = draw(grid, "binary", (100, 80), cam)
    assert np.array_equal(img, expected_image(palettes.colorize(grid, "binary"), cam, (100, 80)))
    x, y = cam.cell_to_screen(1.5, 2.5, (100, 80))  # centre of the glider's top cell
    assert tuple(img[int(y), int(x)]) == palettes.ALIVE
    assert tuple(img[0, 0]) == palettes.OUTSIDE     # letterbox around the grid
    # fit centres the 96x72 grid picture: equal OUTSIDE margins on opposite sides
    grid_px = ~np.all(img == palettes.OUTSIDE, axis=2)
    rows, cols = np.nonzero(grid_px)
    assert (rows.max() - rows.min() + 1, cols.max() - cols.min() + 1) == (72, 96)
    assert rows.min() == 80 - 1 - rows.max() and cols.min() == 100 - 1 - cols.max()


def test_crisp_square_cells_at_whole_zoom(draw):
    rng = np.random.default_rng(1)
    grid = (rng.random((10, 13)) < 0.5).astype(np.uint8)
    cam = Camera(centre=(5.0, 6.5), zoom=7.0)
    img = draw(grid, "binary", (91, 70), cam)
    # 13 x 7 = 91 and 10 x 7 = 70: exactly the grid, each cell a 7x7 block of one colour
    blocks = np.repeat(np.repeat(palettes.colorize(grid, "binary"), 7, axis=0), 7, axis=1)
    assert np.array_equal(img, blocks)


def test_states_gradient(draw):
    n = 6
    grid = np.arange(n, dtype=np.uint8).reshape(2, 3)
    cam = Camera().fit(grid.shape, (60, 40))
    img = draw(grid, "states", (60, 40), cam, num_states=n)
    assert np.array_equal(img, expected_image(palettes.colorize(grid, "states", n), cam, (60, 40)))
    centres = [img[int(y), int(x)] for x, y in
               (cam.cell_to_screen(r + 0.5, c + 0.5, (60, 40)) for r in range(2) for c in range(3))]
    luma = [float(np.dot(c, [0.2126, 0.7152, 0.0722])) for c in centres]
    assert luma[1] > luma[2] > luma[3] > luma[4] > luma[5] > luma[0]


@pytest.mark.parametrize("colormap", palettes.COLORMAPS)
def test_colormap_look_float_and_uint8(draw, colormap):
    values = np.linspace(0.0, 1.0, 16, dtype=np.float32).reshape(4, 4)
    cam = Camera().fit(values.shape, (32, 32))
    img = draw(values, "colormap", (32, 32), cam, colormap=colormap)
    ref = expected_image(palettes.colorize(values, "colormap", colormap=colormap), cam, (32, 32))
    assert np.abs(img.astype(int) - ref).max() <= 1  # float rounding on the GPU
    as_bytes = np.rint(values * 255).astype(np.uint8)
    img8 = draw(as_bytes, "colormap", (32, 32), cam, colormap=colormap)
    ref8 = expected_image(palettes.colorize(as_bytes, "colormap", colormap=colormap), cam, (32, 32))
    assert np.array_equal(img8, ref8)
    assert tuple(img8[1, 1]) == tuple(palettes.colormap_lut(colormap)[0])


def test_rgba_look_composites_over_white(draw):
    view = np.zeros((2, 2, 4), np.float32)
    view[0, 0] = (0.2, 0.1, 0.0, 0.5)   # premultiplied: over white -> (0.7, 0.6, 0.5)
    view[1, 1] = (0.0, 0.4, 0.8, 1.0)
    cam = Camera().fit((2, 2), (20, 20))
    img = draw(view, "rgba", (20, 20), cam)
    assert np.abs(img[5, 5].astype(int) - [178, 153, 128]).max() <= 1
    assert tuple(img[5, 15]) == (255, 255, 255)     # alpha 0: white paper
    assert np.abs(img[15, 15].astype(int) - [0, 102, 204]).max() <= 1
    ref = expected_image(palettes.colorize(view, "rgba"), cam, (20, 20))
    assert np.abs(img.astype(int) - ref).max() <= 1


def test_rgb_look_uint8(draw):
    view = np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [10, 20, 30]]], np.uint8)
    cam = Camera().fit((2, 2), (8, 8))
    img = draw(view, "rgb", (8, 8), cam)
    assert np.array_equal(img, np.repeat(np.repeat(view, 4, 0), 4, 1))


def test_channel_picker(draw):
    rng = np.random.default_rng(2)
    view = rng.random((5, 6, 4)).astype(np.float32)
    cam = Camera().fit((5, 6), (60, 50))
    img = draw(view, "rgba", (60, 50), cam, colormap="inferno", channel=3)
    colours = palettes.colormap_lut("inferno")[np.floor(view[:, :, 3] * 255 + 0.5).astype(int)]
    assert np.abs(img.astype(int) - expected_image(colours, cam, (60, 50))).max() <= 1
    # many channels (e.g. an NCA's hidden state): pick one beyond the first four
    wide = rng.random((5, 6, 16)).astype(np.float32)
    img16 = draw(wide, "colormap", (60, 50), cam, colormap="grey", channel=11)
    grey = np.floor(wide[:, :, 11] * 255 + 0.5).astype(np.uint8)
    ref = expected_image(np.repeat(grey[:, :, None], 3, axis=2), cam, (60, 50))
    assert np.abs(img16.astype(int) - ref).max() <= 1
    # no channel picked: a raw 16-channel state shows its first four channels (RGBA for an NCA)
    raw = draw(wide, "rgba", (60, 50), cam)
    first4 = expected_image(palettes.colorize(wide[:, :, :4], "rgba"), cam, (60, 50))
    assert np.abs(raw.astype(int) - first4).max() <= 1


def test_zoom_at_cursor_lands_cell_on_expected_pixel(draw):
    grid = np.zeros((32, 32), np.uint8)
    size = (256, 256)
    cam = Camera().fit(grid.shape, size)            # zoom 8
    cursor = (101.0, 67.0)
    row, col = (int(v) for v in np.floor(cam.screen_to_cell(*cursor, size)))
    grid[row, col] = 1
    cam.zoom_at(cursor, 2.0, size)                  # zoom 16 about the cursor
    img = draw(grid, "binary", size, cam)
    assert tuple(img[int(cursor[1]), int(cursor[0])]) == palettes.ALIVE
    x0, y0 = cam.cell_to_screen(row, col, size)     # the marked cell is exactly 16x16 there
    block = img[int(y0):int(y0) + 16, int(x0):int(x0) + 16]
    assert np.all(block == palettes.ALIVE)
    assert (img == palettes.ALIVE).all(axis=2).sum() == 16 * 16


def test_grid_lines_only_when_zoomed_in(draw):
    grid = np.zeros((8, 8), np.uint8)
    grid[2, 3] = 1
    zoomed = Camera(centre=(4.0, 4.0), zoom=10.0)
    img = draw(grid, "binary", (80, 80), zoomed, grid_lines=True)
    plain = draw(grid, "binary", (80, 80), zoomed, grid_lines=False)
    x0, y0 = (int(v) for v in zoomed.cell_to_screen(2, 3, (80, 80)))
    # the cell's top-left edge pixels are lines; its interior is the plain cell colour
    assert not np.array_equal(img[y0, x0 + 5], plain[y0, x0 + 5])
    assert not np.array_equal(img[y0 + 5, x0], plain[y0 + 5, x0])
    inner = np.s_[y0 + 1:y0 + 10, x0 + 1:x0 + 10]
    assert np.array_equal(img[inner], plain[inner])
    lines = np.any(img != plain, axis=2)
    assert lines[y0, :].mean() > 0.9 and lines[:, x0].mean() > 0.9
    assert lines[y0 + 5, x0 + 1:x0 + 10].sum() == 0
    # every 10th line (the grid's edge at cell 0) is stronger than an ordinary one
    ex, ey = (int(v) for v in zoomed.cell_to_screen(0, 0, (80, 80)))
    assert np.abs(img[ey + 5, ex].astype(int) - plain[ey + 5, ex]).sum() > \
        np.abs(img[y0 + 5, x0].astype(int) - plain[y0 + 5, x0]).sum()
    # zoomed out below the threshold: identical with or without grid lines
    far = Camera(centre=(4.0, 4.0), zoom=GRID_MIN_ZOOM - 1)
    assert np.array_equal(draw(grid, "binary", (80, 80), far, grid_lines=True),
                          draw(grid, "binary", (80, 80), far, grid_lines=False))


def test_zoomed_out_averages_cells(draw):
    # a 64x64 checkerboard at zoom 1/4: each pixel covers 4x4 cells, half alive -> the mean
    grid = (np.indices((64, 64)).sum(0) % 2).astype(np.uint8)
    cam = Camera(centre=(32.0, 32.0), zoom=0.25)
    img = draw(grid, "binary", (16, 16), cam)
    mean = (np.array(palettes.DEAD) + np.array(palettes.ALIVE)) / 2
    assert np.abs(img.astype(float) - mean).max() <= 1.0


def test_texture_is_reused_until_the_size_changes(gl_ctx):
    renderer = GridRenderer(gl_ctx)
    try:
        renderer.set_view(np.zeros((10, 12), np.uint8), "binary")
        first = renderer.texture
        renderer.set_view(np.ones((10, 12, 1), np.uint8), "binary")
        assert renderer.texture is first and renderer.texture.swizzle == "RRR1"
        assert renderer.texture.dtype == "f1"
        renderer.set_view(np.zeros((11, 12), np.uint8), "binary")
        assert renderer.texture is not first and renderer.grid_shape == (11, 12)
        renderer.set_view(np.zeros((11, 12, 4), np.float32), "rgba")
        assert renderer.texture.components == 4 and renderer.texture.dtype == "f4"
    finally:
        renderer.release()


def test_viewport_offset_draws_only_inside(gl_ctx):
    grid = np.ones((4, 4), np.uint8)
    renderer = GridRenderer(gl_ctx)
    target = OffscreenTarget(gl_ctx, 50, 40)
    try:
        renderer.set_view(grid, "binary")
        target.use()
        target.clear((255, 0, 255))
        cam = Camera().fit((4, 4), (20, 20))
        renderer.draw((10, 5, 20, 20), cam, grid_lines=False)  # GL: 5 px up from the bottom
        img = target.read()
        painted = ~np.all(img == (255, 0, 255), axis=2)
        rows, cols = np.nonzero(painted)
        assert (rows.min(), rows.max(), cols.min(), cols.max()) == (15, 34, 10, 29)
        assert np.all(img[15:35, 10:30] == palettes.ALIVE)
    finally:
        target.release()
        renderer.release()


def rule90_history(width, steps):
    """Independent reference: rule 90 (XOR of both neighbours) from one live cell, periodic."""
    row = np.zeros(width, np.uint8)
    row[width // 2] = 1
    rows = [row]
    for _ in range(steps):
        row = np.roll(row, 1) ^ np.roll(row, -1)
        rows.append(row)
    return np.array(rows)


def test_spacetime_view_of_an_elementary_rule(draw):
    import jax

    from alife.core.rollout import run
    from alife.families import create

    width, history, steps = 33, 16, 20
    rule = create("elementary", rule=90, width=width, history=history, start="single")
    params = rule.default_params()
    state = run(rule, jax.random.PRNGKey(0), rule.init(jax.random.PRNGKey(0), params), params,
                steps)
    view = np.asarray(rule.view(state, params))
    assert rule.look == "spacetime" and view.shape == (history, width, 1)
    cam = Camera().fit((history, width), (width * 4, history * 4))
    img = draw(view, rule.look, (width * 4, history * 4), cam, num_states=rule.num_states)
    newest_last = rule90_history(width, steps)[-history:]   # newest row at the bottom
    colours = palettes.colorize(newest_last, "spacetime", 2)
    assert np.array_equal(img, np.repeat(np.repeat(colours, 4, 0), 4, 1))


def test_explicit_palette(draw):
    grid = np.array([[0, 1, 2]], np.uint8)
    cam = Camera().fit(grid.shape, (30, 10))
    img = draw(grid, "states", (30, 10), cam, num_states=3,
               palette=["#102030", "#ffffff", "#ff0000"])
    assert [tuple(img[5, x]) for x in (5, 15, 25)] == [(16, 32, 48), (255, 255, 255), (255, 0, 0)]


@pytest.mark.parametrize("zoom", [GRID_MIN_ZOOM, 4.5, 5.0, 6.0, 6.3, 7.3, 9.0, 12.7, 16.0])
def test_grid_lines_at_every_zoom_none_dropped(draw, zoom):
    """Each of the W+1 column lines and H+1 row lines is exactly one pixel wide, at the pixel that
    holds its position (NumPy: floor(origin + k * zoom)), whole zoom or not."""
    rows, cols = 12, 17
    grid = np.zeros((rows, cols), np.uint8)
    size = (int(cols * zoom) + 20, int(rows * zoom) + 20)
    cam = Camera(centre=(rows / 2.0, cols / 2.0), zoom=zoom)
    img = draw(grid, "binary", size, cam, grid_lines=True)
    plain = draw(grid, "binary", size, cam, grid_lines=False)
    changed = np.any(img != plain, axis=2)
    ox, oy = cam.origin(size)
    mid_row = int(oy + (rows // 2 + 0.5) * zoom)   # a pixel row through the middle of a cell row
    mid_col = int(ox + (cols // 2 + 0.5) * zoom)
    want_x = sorted({int(np.floor(ox + k * zoom)) for k in range(cols + 1)})
    want_y = sorted({int(np.floor(oy + k * zoom)) for k in range(rows + 1)})
    assert np.nonzero(changed[mid_row])[0].tolist() == want_x
    assert np.nonzero(changed[:, mid_col])[0].tolist() == want_y
