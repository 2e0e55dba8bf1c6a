"""InstancedQuads: one quad per instance, drawn with a shader program over the grid (ModernGL).

The shared machinery of the disc and line renderers: a static 4-corner triangle strip, a growable
per-instance buffer with its vertex array, and a blended draw in cell coordinates through the
same camera uniforms as `GridRenderer` (`u_viewport`, `u_origin`, `u_zoom`).

API:
    q = InstancedQuads(ctx, program_name, corners [8] float32, layout, attributes)
        layout: the per-instance buffer format, e.g. "2f 4f/i"; attributes: its input names
    q.upload(data [N, floats per instance])   q.count -> N;  q.clear(): draw nothing
    q.draw(viewport, camera, **uniforms)      blends over the bound framebuffer (GL, y up)
    q.release()
"""

from __future__ import annotations

from typing import Any

import moderngl
import numpy as np

from alife.render.camera import Camera
from alife.render.shaders import load_program


class InstancedQuads:
    """A shader program drawing one quad per instance from a growable instance buffer."""

    def __init__(self, ctx: Any, program: str, corners: np.ndarray, layout: str,
                 attributes: tuple[str, ...]) -> None:
        self.ctx = ctx
        self.program = load_program(ctx, program)
        self.corners = ctx.buffer(np.asarray(corners, "f4").tobytes())
        self.layout, self.attributes = layout, attributes
        self.instances = None
        self.vao = None
        self.count = 0
        self._capacity = 0

    def upload(self, data: np.ndarray) -> None:
        """Replace the instances with the rows of `data` ([N, floats per instance])."""
        data = np.ascontiguousarray(data, dtype="f4")
        n = data.shape[0]
        if n > self._capacity:
            for obj in (self.vao, self.instances):
                if obj is not None:
                    obj.release()
            self._capacity = max(n, 2 * self._capacity, 64)
            self.instances = self.ctx.buffer(reserve=self._capacity * data.shape[1] * 4,
                                             dynamic=True)
            self.vao = self.ctx.vertex_array(self.program, [
                (self.corners, "2f", "in_corner"),
                (self.instances, self.layout, *self.attributes),
            ])
        if n:
            self.instances.write(data.tobytes())
        self.count = n

    def clear(self) -> None:
        """Draw nothing until the next upload."""
        self.count = 0

    def draw(self, viewport: tuple[int, int, int, int], camera: Camera, **uniforms: Any) -> None:
        """Blend the instances over the bound framebuffer's `viewport` (GL convention, y up)."""
        if self.count == 0 or self.vao is None:
            return
        x, y, w, h = (int(v) for v in viewport)
        ctx = self.ctx
        ctx.viewport = (x, y, w, h)
        ctx.enable(moderngl.BLEND)
        ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        values = {"u_viewport": (float(x), float(y), float(w), float(h)),
                  "u_origin": camera.origin((w, h)), "u_zoom": float(camera.zoom), **uniforms}
        for name, value in values.items():
            if name in self.program:
                self.program[name].value = value
        self.vao.render(moderngl.TRIANGLE_STRIP, vertices=4, instances=self.count)
        ctx.disable(moderngl.BLEND)

    def release(self) -> None:
        for obj in (self.vao, self.instances, self.corners, self.program):
            if obj is not None:
                obj.release()
        self.vao = self.instances = None
