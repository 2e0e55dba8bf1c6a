"""What the window draws of the world: the grid, entities (discs, squares...), exports.

`WorldView` owns the GL renderers the window uses for the world (a `GridRenderer` for the rule's
view, an `AgentRenderer` for entities of an `EntityWorld`, a `LinkRenderer` for a rule's message
lines when the "message lines" view setting is on), draws them into the canvas area of
the window, and renders the same picture into an offscreen target for exports: a PNG or the
frames of a GIF / MP4 hold only the world, at the canvas's zoom, with no panels and no margin
around the grid (for papers). The window's own screenshot (panels included) stays in
`alife.app.window`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from alife.app.recorder import Recorder
from alife.core.errors import AlifeError
from alife.render.camera import Camera
from alife.scene import palettes

#: the longest side of an exported image, in pixels (the zoom is lowered to fit)
MAX_EXPORT = 8192


def export_camera(grid_hw: tuple[int, int], zoom: float) -> tuple[Camera, tuple[int, int]]:
    """A camera showing the whole grid at `zoom` (lowered so no side exceeds MAX_EXPORT) and the
    image size `(width, height)` that holds exactly the grid: no margin."""
    rows, cols = max(int(grid_hw[0]), 1), max(int(grid_hw[1]), 1)
    zoom = min(float(zoom), MAX_EXPORT / max(rows, cols))
    if zoom >= 1:  # whole pixels per cell: crisp squares and an image exactly the grid's size
        zoom = float(np.floor(zoom + 1e-6))
    # zoomed out, the image is cropped to whole pixels inside the grid rather than padded
    width, height = max(1, int(cols * zoom + 1e-6)), max(1, int(rows * zoom + 1e-6))
    camera = Camera(centre=(height / 2.0 / zoom, width / 2.0 / zoom), zoom=zoom)
    return camera, (width, height)


class WorldView:
    """The world's renderers for one GL context (see the module docstring)."""

    def __init__(self, ctx: Any) -> None:
        from alife.render.agents import AgentRenderer
        from alife.render.grid import GridRenderer
        from alife.render.links import LinkRenderer

        self.ctx = ctx
        self.grid = GridRenderer(ctx)
        self.agents = AgentRenderer(ctx)
        self.links = LinkRenderer(ctx)
        self._links_shown: tuple | None = None
        self.recorder: Recorder | None = None
        self._shown_version = -1
        self._shown_look: tuple | None = None
        self._entities_version = -1
        self._target: Any = None

    # ---- the window ----------------------------------------------------------------------------
    def update(self, controller: Any, app: Any) -> None:
        """Upload the controller's current view (and entities) if they changed."""
        c = controller
        look = (c.look, c.num_states, app.colormap, app.channel)
        if c.view_version != self._shown_version or look != self._shown_look:
            channel = app.channel if app.channel >= 0 else None
            self.grid.set_view(c.display_image(), c.look, c.num_states, app.colormap, channel)
            self._shown_version, self._shown_look = c.view_version, look
        if c.view_version != self._entities_version:
            from alife.render.agents import shape_indices

            table = c.entity_table() if c.has_entities else None
            if table is None:
                self.agents.clear()
            else:
                self.agents.set_agents(table["position"], table["colour"],
                                       shapes=shape_indices(table["kind"], c.entity_kinds))
            self._entities_version = c.view_version
        want = (c.view_version, c.rule) if app.message_lines and c.has_links else None
        if want != self._links_shown:
            lines = c.entity_links() if want is not None else None
            if lines is None:
                self.links.clear()
            else:
                self.links.set_links(*lines)
            self._links_shown = want

    def draw(self, viewport: tuple[int, int, int, int], camera: Camera, grid_lines: bool) -> None:
        """The grid, then the (translucent) message lines and the entities over it, into
        `viewport` of the bound framebuffer: lines run under the entities, never hiding one."""
        self.grid.draw(viewport, camera, grid_lines)
        self.links.draw(viewport, camera)
        self.agents.draw(viewport, camera)

    # ---- exports -------------------------------------------------------------------------------
    def render_canvas(self, zoom: float, grid_lines: bool) -> np.ndarray:
        """The world alone at `zoom` as an `[H, W, 3]` uint8 image (what `update` uploaded)."""
        from alife.render.offscreen import OffscreenTarget

        camera, (width, height) = export_camera(self.grid.grid_shape, zoom)
        target = self._target
        if target is None or (target.width, target.height) != (width, height):
            if target is not None:
                target.release()
            target = self._target = OffscreenTarget(self.ctx, width, height)
        target.use()
        target.clear(palettes.OUTSIDE)
        self.draw(target.viewport, camera, grid_lines)
        self.ctx.screen.use()
        return target.read(3)

    def export_png(self, path: str | Path, zoom: float, grid_lines: bool) -> str:
        """Save the world alone (no panels, no margin) to a PNG; returns a status message."""
        from PIL import Image

        target = Path(path).expanduser()
        if target.suffix.lower() != ".png":
            raise AlifeError(f"canvas images are PNG files; got {target.suffix or 'no suffix'!r}",
                             where=str(target))
        image = self.render_canvas(zoom, grid_lines)
        target.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).save(target)
        return f"world image ({image.shape[1]}x{image.shape[0]}) saved to {target}"

    def start_recording(self, path: str, frames: int, zoom: float) -> None:
        """Record the next `frames` frames (world alone, at `zoom` throughout, so every frame
        has one size) to a GIF / MP4; AlifeError for another format."""
        if self.recorder is None:
            self.recorder = Recorder(path, frames)
            self._record_zoom = zoom

    def record_frame(self, grid_lines: bool) -> str | None:
        """Add this frame to the recording; returns a status message when it finished."""
        rec = self.recorder
        if rec is None:
            return None
        rec.add(self.render_canvas(self._record_zoom, grid_lines))
        if rec.done:
            self.recorder = None
            return f"recorded {rec.total} frames to {rec.path}"
        return None

    def release(self) -> None:
        if self.recorder is not None:
            self.recorder.close()
            self.recorder = None
        if self._target is not None:
            self._target.release()
        self.grid.release()
        self.agents.release()
        self.links.release()
