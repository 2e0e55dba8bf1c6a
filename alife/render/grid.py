"""GridRenderer: draws a rule's `view` array as a grid of cells with ModernGL.

API:
    r = GridRenderer(ctx)
    r.set_view(array, look, num_states=2, colormap="viridis", channel=None, palette=None)
        array: [H, W, C] (or [H, W]) uint8 or float32 in [0, 1]; bool/int become uint8.
        Uploads into a texture that is reused until the size, channel count or dtype changes
        (uint8 -> R8/RG8/RGB8/RGBA8, float32 -> R32F..; one-channel textures are swizzled "RRR1"
        so an `imgui.image` of `r.texture` is grey, not red). `channel=k` shows channel k of a
        multi-channel view through the colour map; `palette` (["#rrggbb", ...]) overrides the
        colours (per state, or colour-map anchors). Looks: see `alife.scene.palettes`.
    r.draw(viewport, camera, grid_lines=True)
        viewport: (x, y, w, h) in framebuffer pixels, GL convention (y from the bottom, as
        `ctx.viewport`). Fills the viewport: cells where the camera puts them, OUTSIDE colour
        around the grid; crisp squares at whole zooms (texelFetch, no filtering); 1-px grid lines
        (every 10th stronger) when `grid_lines` and zoom >= GRID_MIN_ZOOM; below zoom 1 each
        pixel averages up to `r.max_samples`^2 (default 4x4) cells instead of aliasing.
    r.grid_shape -> (H, W) of the last view;  r.texture -> the view's moderngl.Texture
    r.release()

The rule's `view` is the only thing read from the engine; an elementary rule's space-time history
arrives already ordered (newest row at the bottom), so drawing it again each frame scrolls it.

Cost: each pixel does one texel fetch (+ one LUT fetch) per sample; each (samples, grid lines)
combination is its own compiled program variant (no dynamic loops or uniform branches, which
llvmpipe runs slowly). On a GPU that is nothing; on Mesa llvmpipe with 2 busy CPU cores a
1280x800 frame took ~11 ms (zoom 3), ~15 ms (with grid lines), ~41 ms (1024^2 at zoom 0.78,
2x2 samples), ~92 ms (2048^2, 3x3 samples): see `benchmarks/bench_render.py`; lower
`max_samples` there for speed.
"""

from __future__ import annotations

import math
from typing import Any

import moderngl
import numpy as np

from alife.render.camera import Camera
from alife.render.shaders import load_program
from alife.scene import palettes

GRID_MIN_ZOOM = 4.0  # as Golly by default (grid lines from 1:4 up)
MAX_SAMPLES = 4


class GridRenderer:
    """View texture, LUT texture and `grid` program variants; draws into the bound framebuffer."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self._programs: dict[tuple[int, bool], tuple[Any, Any]] = {}  # (samples, lines) -> pair
        self.texture: Any = None
        self._tex_key: tuple | None = None
        self.lut_texture = ctx.texture((256, 1), 4, np.zeros((1, 256, 4), np.uint8).tobytes())
        self.lut_texture.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self._lut_key: tuple | None = None
        self.mode = palettes.MODE_LUT
        self.index_scale = 255.0
        self.look = "binary"
        self.grid_shape: tuple[int, int] = (0, 0)
        #: most samples per axis per pixel when zoomed out (1 = fastest, aliased; see module doc)
        self.max_samples = MAX_SAMPLES

    # ---- upload --------------------------------------------------------------------------
    def set_view(self, array: np.ndarray, look: str, num_states: int = 2,
                 colormap: str = "viridis", channel: int | None = None,
                 palette: list[str] | None = None) -> None:
        """Upload a view (see module docstring); cheap when the size is unchanged."""
        view = palettes.pick_channel(palettes.as_view(array), channel)
        if view.shape[2] > 4:  # a raw multi-channel state: its first four channels (NCA: RGBA)
            view = np.ascontiguousarray(view[:, :, :4])
        mode, eff = palettes.resolve(look, view.shape[2], channel)
        self._upload(np.ascontiguousarray(view))
        lut_key = (eff, int(num_states), colormap, tuple(palette or ()))
        if mode == palettes.MODE_LUT and lut_key != self._lut_key:
            table = palettes.lut(eff, num_states, colormap, palette)
            rgba = np.concatenate([table, np.full((256, 1), 255, np.uint8)], axis=1)
            self.lut_texture.write(rgba.tobytes())
            self._lut_key = lut_key
        self.mode = mode
        self.look = eff
        self.index_scale = palettes.index_scale(eff, view.dtype, num_states)

    def _upload(self, view: np.ndarray) -> None:
        h, w, c = view.shape
        dtype = "f1" if view.dtype == np.uint8 else "f4"  # f1 = normalised uint8
        key = (w, h, c, dtype)
        if key != self._tex_key:
            if self.texture is not None:
                self.texture.release()
            self.texture = self.ctx.texture((w, h), c, dtype=dtype, alignment=1)
            self.texture.filter = (moderngl.NEAREST, moderngl.NEAREST)
            self.texture.repeat_x = self.texture.repeat_y = False
            if c == 1:
                self.texture.swizzle = "RRR1"
            self._tex_key = key
        self.texture.write(view)
        self.grid_shape = (h, w)

    # ---- draw ----------------------------------------------------------------------------
    def draw(self, viewport: tuple[int, int, int, int], camera: Camera,
             grid_lines: bool = True) -> None:
        """Fill `viewport` (GL convention, y up) of the bound framebuffer with the grid."""
        if self.texture is None:
            raise RuntimeError("GridRenderer.draw before set_view")
        x, y, w, h = (int(v) for v in viewport)
        if w <= 0 or h <= 0:
            return
        ctx = self.ctx
        ctx.viewport = (x, y, w, h)
        ctx.disable(ctx.BLEND | ctx.DEPTH_TEST | ctx.CULL_FACE)
        ox, oy = camera.origin((w, h))
        zoom = float(camera.zoom)
        samples = 1 if zoom >= 1.0 else min(self.max_samples, math.ceil(1.0 / zoom - 1e-6))
        lines = bool(grid_lines and zoom >= GRID_MIN_ZOOM)
        u, vao = self._program(samples, lines)
        self._set(u, "u_cells", 0)
        self._set(u, "u_lut", 1)
        self._set(u, "u_grid", (self.grid_shape[1], self.grid_shape[0]))
        self._set(u, "u_viewport", (float(x), float(y), float(w), float(h)))
        self._set(u, "u_origin", (ox, oy))
        self._set(u, "u_zoom", zoom)
        self._set(u, "u_mode", int(self.mode))
        self._set(u, "u_index_scale", float(self.index_scale))
        self._set(u, "u_channel", 0)
        self._set(u, "u_outside", tuple(c / 255.0 for c in palettes.OUTSIDE))
        self._set(u, "u_grid_rgb", tuple(c / 255.0 for c in palettes.GRID))
        self._set(u, "u_grid_alpha", (palettes.GRID_ALPHA, palettes.GRID_MAJOR_ALPHA))
        self.texture.use(0)
        self.lut_texture.use(1)
        box = self._grid_box((x, y, w, h), (ox, oy), zoom)
        if box is not None:  # the grid leaves part of the viewport empty: clear it, shade less
            ctx.scissor = (x, y, w, h)
            ctx.clear(*(c / 255.0 for c in palettes.OUTSIDE))
            ctx.scissor = box
        vao.render(mode=ctx.TRIANGLES, vertices=3)
        ctx.scissor = None

    def _grid_box(self, viewport: tuple[int, int, int, int], origin: tuple[float, float],
                  zoom: float) -> tuple[int, int, int, int] | None:
        """The scissor box (GL convention) holding every pixel that shows a cell, with one pixel
        more on each side for the last grid line and partly covered pixels; None when that is
        the whole viewport. Pixels outside it would all be the OUTSIDE colour: on llvmpipe
        shading them costs as much as shading cells."""
        x, y, w, h = viewport
        (ox, oy), (rows, cols) = origin, self.grid_shape
        left = max(0, math.floor(ox) - 1)
        right = min(w, math.ceil(ox + cols * zoom) + 1)
        top = max(0, math.floor(oy) - 1)
        bottom = min(h, math.ceil(oy + rows * zoom) + 1)
        if left == 0 and top == 0 and right == w and bottom == h:
            return None
        if right <= left or bottom <= top:
            return (x, y, 0, 0)
        return (x + left, y + h - bottom, right - left, bottom - top)

    def _program(self, samples: int, lines: bool) -> tuple[Any, Any]:
        """The (program, vertex array) variant for `samples` per axis and grid lines on/off."""
        key = (samples, lines)
        if key not in self._programs:
            program = load_program(self.ctx, "grid",
                                   {"SAMPLES": samples, "GRID_LINES": int(lines)})
            self._programs[key] = (program, self.ctx.vertex_array(program, []))
        return self._programs[key]

    @staticmethod
    def _set(program: Any, name: str, value: Any) -> None:
        if name in program:  # the GLSL compiler drops unused uniforms
            program[name].value = value

    def release(self) -> None:
        """Free every GL object this renderer made."""
        for program, vao in self._programs.values():
            vao.release()
            program.release()
        self._programs.clear()
        for obj in (self.texture, self.lut_texture):
            if obj is not None:
                obj.release()
        self.texture = None
