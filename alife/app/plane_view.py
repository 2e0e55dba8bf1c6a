"""The window's view of Golly's unbounded plane: the camera across window moves, following the
pattern, fitting it, and telling HashLife what the camera sees.

The camera works in the cells of the world's window (`alife.render.camera`). On the unbounded
plane the window moves (`world.origin` changes: `alife.app.controller_plane`), so each frame
and before each mouse event the camera is shifted by the change (`Canvas.follow_origin`): the
user keeps looking at the same plane cells. While `AppState.follow_pattern` is on (a new world,
Fit) the camera also keeps the pattern in view: when its centre drifts more than a quarter of
the canvas from the middle, the camera re-centres on it. A pan by hand turns following off.

HashLife worlds draw only what is seen: each frame the visible plane rectangle and the cells
per screen pixel go to `Controller.hashlife_look`; its picture has `view_scale` cells per texel,
so it is drawn with a camera scaled by that much (`draw_camera`).
"""

from __future__ import annotations

from typing import Any

from alife.render.camera import Camera

#: HashLife patterns can be millions of cells wide: the smallest zoom there (pixels per cell)
HASHLIFE_MIN_ZOOM = 2.0 ** -48
#: the camera re-centres on a followed pattern whose centre is this far (of the canvas) out
FOLLOW_SLACK = 0.25


def pattern_box(controller: Any) -> tuple[float, float, float, float] | None:
    """(top, left, bottom, right) of the live cells in window cells (half-open), or None."""
    run = controller.world.universe
    if run is not None:
        if run.box is None:
            return None
        x0, y0 = controller.world.origin
        bx0, by0, bx1, by1 = run.box
        return by0 - y0, bx0 - x0, by1 - y0 + 1, bx1 - x0 + 1
    if controller.world.origin is None:
        return None
    box = controller.plane_box
    if box is None:
        return None
    return box.top, box.left, box.bottom + 1, box.right + 1


def fit(canvas: Any, controller: Any, app: Any) -> None:
    """Fit the world to the canvas: the whole grid, or on the plane the pattern."""
    camera = canvas.camera
    camera.min_zoom = HASHLIFE_MIN_ZOOM if controller.world.universe is not None \
        else Camera.min_zoom
    box = pattern_box(controller)
    if box is None or controller.world.origin is None:
        canvas.fit(controller.shape)
        return
    top, left, bottom, right = box
    pad = 4
    camera.fit((int(bottom - top) + 2 * pad, int(right - left) + 2 * pad), canvas.size_fb())
    camera.centre = ((top + bottom) / 2.0, (left + right) / 2.0)
    app.follow_pattern = True


def before_draw(canvas: Any, controller: Any, app: Any) -> None:
    """Each frame: the camera across window moves, following, and HashLife's picture."""
    canvas.follow_origin(controller)
    if controller.world.origin is None:
        return
    camera = canvas.camera
    size = canvas.size_fb()
    if app.follow_pattern:
        box = pattern_box(controller)
        if box is not None:
            top, left, bottom, right = box
            mid = ((top + bottom) / 2.0, (left + right) / 2.0)
            reach_r = FOLLOW_SLACK * size[1] / camera.zoom
            reach_c = FOLLOW_SLACK * size[0] / camera.zoom
            if abs(mid[0] - camera.centre[0]) > reach_r or abs(mid[1] - camera.centre[1]) > reach_c:
                camera.centre = mid
    if controller.world.universe is not None:
        row0, col0, row1, col1 = camera.visible_cells(size)
        x0, y0 = controller.world.origin
        controller.hashlife_look(x0 + col0, y0 + row0, col1 - col0, row1 - row0, 1.0 / camera.zoom)
        canvas.follow_origin(controller)  # the picture's corner may have moved


def draw_camera(camera: Camera, scale: int) -> Camera:
    """The camera to draw a view with `scale` cells per texel (HashLife zoomed out)."""
    if scale <= 1:
        return camera
    return Camera(centre=(camera.centre[0] / scale, camera.centre[1] / scale),
                  zoom=camera.zoom * scale, min_zoom=camera.min_zoom * scale,
                  max_zoom=max(camera.max_zoom, camera.zoom * scale))
