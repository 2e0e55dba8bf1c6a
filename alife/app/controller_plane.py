"""The unbounded plane in the controller facade: the window's origin and bounding box, resizing
it between frames, and edits anywhere (an edit outside the window grows it first). Mixed into
`Controller`; the engine is `alife.core.plane`.

The window moves under the camera: the controller only changes `world.origin` (the plane
position of cell [0, 0]); the window's canvas shifts its camera by the change
(`alife.app.canvas.Canvas.follow_origin`), so what the user looks at stays put or, when the view
follows the pattern, stays on it. Undo and the rewind buffer keep the origin with each state.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alife.core import plane
from alife.core.errors import AlifeError

#: "not measured yet" for the window's bounding box
UNKNOWN: Any = object()


class PlaneMixin:
    """The plane window of `Controller` (see the module docstring)."""

    _plane_box: Any = UNKNOWN

    @property
    def on_plane(self) -> bool:
        """Whether the world is Golly's unbounded plane (a grid window or HashLife)."""
        return self.world.origin is not None or self.world.universe is not None

    @property
    def plane_box(self) -> plane.Box | None:
        """The live cells' bounding box in window cells (None when there are none)."""
        if self._plane_box is UNKNOWN:
            self._plane_box = plane.host_box(self.cells()) if self.can_edit else None
        return self._plane_box

    def _plane_collected(self, shift: Any, done: Any, box: Any) -> tuple[int, tuple[int, int]]:
        """(generations done, new origin) from a plane frame's outputs."""
        dy, dx = (int(v) for v in np.asarray(shift))
        x0, y0 = self.world.origin
        return int(done), (x0 - dx, y0 - dy)

    def _plane_refit(self) -> None:
        """Grow or shrink the window between frames when the pattern needs it."""
        if self.world.origin is None:
            return
        box = self.plane_box
        if not plane.needs_refit(self.rule, box):
            return
        try:
            rule, state, origin = plane.refit(self.rule, self.params, self.state,
                                              self.world.origin, box)
        except AlifeError as exc:
            self.playing = False
            self.message = str(exc)
            return
        self._set(rule, self.params, state, self.world.key, origin=origin, push=False)

    def plane_reach(self, top: int, left: int, bottom: int, right: int) -> tuple[int, int]:
        """Make the window hold window cells [top..bottom] x [left..right] (which may lie
        outside it) with room around them; returns (rows, cols) to add to window coordinates
        given before the call (the window may have moved)."""
        if self.world.origin is None:
            return 0, 0
        old = self.world.origin
        include = plane.Box(top, bottom, left, right)
        try:
            rule, state, origin = plane.refit(self.rule, self.params, self.state, old,
                                              self.plane_box, include=include)
        except AlifeError as exc:
            self.message = str(exc)
            return 0, 0
        if rule is self.rule and origin == old:
            return 0, 0
        self._set(rule, self.params, state, self.world.key, origin=origin, push=False)
        return old[1] - origin[1], old[0] - origin[0]

    def plane_start(self) -> tuple[Any, tuple[int, int] | None]:
        """(rule, origin) of the window the world started in (the scene's `rule.config` size
        and `run.plane`), for Reset; the current rule and origin off the plane."""
        origin = self.world.origin
        start = (self.world.source.get("run") or {}).get("plane")
        config = (self.world.source.get("rule") or {}).get("config") or {}
        if origin is None or start is None:
            return self.rule, origin
        height, width = config.get("height"), config.get("width")
        rule = None
        if isinstance(height, int) and isinstance(width, int):
            rule = self.rule.plane_window(height, width)
        return (rule or self.rule), (int(start[0]), int(start[1]))

    def plane_xy(self, row: int, col: int) -> tuple[int, int]:
        """The plane (x, y) of window cell (row, col); (col, row) on a bounded grid."""
        origin = self.world.origin
        return (col, row) if origin is None else (origin[0] + col, origin[1] + row)

    def extent_text(self) -> str:
        """The pattern's bounding box in plane coordinates for the status bar ("" off the
        plane): "box 3 x 3 at (999, 999)"."""
        if self.world.universe is not None:
            box = self.world.universe.box
            if box is None:
                return "empty"
            return f"box {box[2] - box[0] + 1:,} x {box[3] - box[1] + 1:,} at ({box[0]}, {box[1]})"
        if self.world.origin is None:
            return ""
        box = self.plane_box
        if box is None:
            return "empty"
        x, y = self.plane_xy(box.top, box.left)
        return f"box {box.width:,} x {box.height:,} at ({x}, {y})"
