"""Camera maths: fit centres the grid, zoom keeps the cursor's cell put, pan follows the mouse."""

import math

import pytest

from alife.render.camera import ZOOM_LEVELS, Camera


def test_fit_centres_grid_at_whole_zoom():
    cam = Camera().fit((30, 50), (640, 480))
    assert cam.zoom == 12.0  # min(640/50, 480/30) = 12.8 -> 12
    x0, y0 = cam.cell_to_screen(0, 0, (640, 480))
    x1, y1 = cam.cell_to_screen(30, 50, (640, 480))
    assert (x1 - x0, y1 - y0) == (600.0, 360.0)
    assert (x0, 640 - x1) == (20.0, 20.0)   # equal margins left and right
    assert (y0, 480 - y1) == (60.0, 60.0)   # and top and bottom


def test_fit_zooms_out_below_one_for_big_grids():
    cam = Camera().fit((2048, 1024), (512, 512))
    assert cam.zoom == pytest.approx(0.25)
    assert cam.screen_to_cell(256, 256, (512, 512)) == pytest.approx((1024.0, 512.0))


def test_origin_snaps_to_pixels_at_whole_zoom():
    cam = Camera(centre=(10.3, 7.71), zoom=5.0)
    ox, oy = cam.origin((101, 77))
    assert ox == int(ox) and oy == int(oy)
    assert abs(ox - (50.5 - 7.71 * 5)) <= 0.5 and abs(oy - (38.5 - 10.3 * 5)) <= 0.5


@pytest.mark.parametrize("factor", [2.0, 0.5, 1.25, 3.0])
def test_zoom_at_keeps_point_under_cursor(factor):
    viewport = (0, 0, 320, 200)
    cam = Camera().fit((40, 64), viewport[2:])
    cursor = (203.0, 71.0)
    row, col = cam.screen_to_cell(*cursor, viewport)
    cam.zoom_at(cursor, factor, viewport)
    x, y = cam.cell_to_screen(row, col, viewport)
    assert abs(x - cursor[0]) <= 0.5 and abs(y - cursor[1]) <= 0.5
    assert cam.zoom == pytest.approx(5.0 * factor)


def test_zoom_is_clamped():
    cam = Camera(zoom=200.0)
    cam.zoom_at((0, 0), 10.0, (100, 100))
    assert cam.zoom == cam.max_zoom
    cam.zoom_at((0, 0), 1e-9, (100, 100))
    assert cam.zoom == cam.min_zoom


def test_pan_moves_content_with_the_mouse():
    cam = Camera(centre=(16.0, 16.0), zoom=4.0)
    before = cam.cell_to_screen(3, 5, (128, 128))
    cam.pan(12, -8)
    after = cam.cell_to_screen(3, 5, (128, 128))
    assert (after[0] - before[0], after[1] - before[1]) == (12.0, -8.0)


def test_screen_cell_round_trip_and_visible_cells():
    cam = Camera(centre=(8.25, 4.5), zoom=2.5)
    for x, y in [(0, 0), (13.5, 7.25), (99, 63)]:
        r, c = cam.screen_to_cell(x, y, (100, 64))
        assert cam.cell_to_screen(r, c, (100, 64)) == pytest.approx((x, y))
    r0, c0, r1, c1 = cam.visible_cells((100, 64))
    assert (r0, c0) == (math.floor(8.25 - 12.8), math.floor(4.5 - 20))
    assert (r1, c1) == (math.ceil(8.25 + 12.8), math.ceil(4.5 + 20))


def test_step_zoom_walks_whole_levels_about_the_cursor():
    viewport = (400, 300)
    cam = Camera().fit((30, 40), viewport)          # zoom 10
    cursor = (123.0, 77.0)
    cam.step_zoom(cursor, 1, viewport)
    assert cam.zoom == 12.0
    row, col = cam.screen_to_cell(*cursor, viewport)
    cam.step_zoom(cursor, 2, viewport)
    assert cam.zoom == 20.0
    x, y = cam.cell_to_screen(row, col, viewport)   # each step keeps the point within 1/2 px
    assert abs(x - cursor[0]) <= 0.5 and abs(y - cursor[1]) <= 0.5
    cam.step_zoom(cursor, -3, viewport)
    assert cam.zoom == 10.0
    cam.zoom = 7.3                                   # between levels: one notch snaps
    cam.step_zoom(cursor, 1, viewport)
    assert cam.zoom == 8.0
    cam.zoom = 7.3
    cam.step_zoom(cursor, -1, viewport)
    assert cam.zoom == 6.0
    cam.step_zoom(cursor, -100, viewport)
    assert cam.zoom == ZOOM_LEVELS[0]
    cam.step_zoom(cursor, 100, viewport)
    assert cam.zoom == ZOOM_LEVELS[-1]
    assert all(z == int(z) for z in ZOOM_LEVELS if z >= 1)
