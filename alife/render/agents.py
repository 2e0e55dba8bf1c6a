"""AgentRenderer: agents drawn as discs over the grid, one instanced quad each (ModernGL).

API:
    a = AgentRenderer(ctx)
    a.set_agents(positions, colours, radius=0.45)
        positions: [N, 2] (row, col) in cell coordinates; integer positions mean the cell, and
        are drawn at the cell's centre (+0.5). colours: [N, 3|4] uint8 or float in [0, 1];
        alpha 0 hides an agent (dead slots of a fixed-size agent array). radius: in cells.
    a.draw(viewport, camera)    same viewport/camera conventions as GridRenderer.draw; blends over
                                what is drawn (call it after the grid); discs stay >= 1.5 px
    a.count -> N;  a.release()

Rules with entities (`alife.core.rule.EntityWorld`, JaxLife-style agents, Lu et al. 2024) get
their live entities drawn with this, over the grid: by `alife.render.frames` (`alife render`) and
by the app's window (`alife.app.worldview`).
"""

from __future__ import annotations

from typing import Any

import moderngl
import numpy as np

from alife.render.camera import Camera
from alife.render.shaders import load_program

MIN_RADIUS_PX = 1.5
_CORNERS = np.array([-1, -1, 1, -1, -1, 1, 1, 1], dtype="f4")  # a triangle strip


class AgentRenderer:
    """Instanced discs: a static corner buffer, per-agent position and colour buffers."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.program = load_program(ctx, "agents")
        self.corners = ctx.buffer(_CORNERS.tobytes())
        self.instances = None
        self.vao = None
        self.count = 0
        self.radius = 0.45
        self._capacity = 0

    def set_agents(self, positions: np.ndarray, colours: np.ndarray, radius: float = 0.45) -> None:
        """Upload agent positions (row, col) and colours (see module docstring)."""
        pos = np.asarray(positions)
        if pos.ndim != 2 or pos.shape[1] != 2:
            raise ValueError(f"positions must be [N, 2] (row, col), got shape {pos.shape}")
        centred = pos.astype(np.float32) + (0.5 if np.issubdtype(pos.dtype, np.integer) else 0.0)
        col = np.asarray(colours)
        if col.shape[0] != pos.shape[0] or col.ndim != 2 or col.shape[1] not in (3, 4):
            raise ValueError(f"colours must be [N, 3|4] for N={pos.shape[0]}, got {col.shape}")
        col = col.astype(np.float32) / 255.0 if col.dtype == np.uint8 else col.astype(np.float32)
        if col.shape[1] == 3:
            col = np.concatenate([col, np.ones((col.shape[0], 1), np.float32)], axis=1)
        data = np.concatenate([centred, np.clip(col, 0.0, 1.0)], axis=1).astype("f4")
        n = data.shape[0]
        if n > self._capacity:
            for obj in (self.vao, self.instances):
                if obj is not None:
                    obj.release()
            self._capacity = max(n, 2 * self._capacity, 64)
            self.instances = self.ctx.buffer(reserve=self._capacity * 6 * 4, dynamic=True)
            self.vao = self.ctx.vertex_array(self.program, [
                (self.corners, "2f", "in_corner"),
                (self.instances, "2f 4f/i", "in_pos", "in_col"),
            ])
        if n:
            self.instances.write(data.tobytes())
        self.count = n
        self.radius = float(radius)

    def draw(self, viewport: tuple[int, int, int, int], camera: Camera) -> None:
        """Blend the discs over the bound framebuffer's `viewport` (GL convention, y up)."""
        if self.count == 0 or self.vao is None:
            return
        x, y, w, h = (int(v) for v in viewport)
        ctx = self.ctx
        ctx.viewport = (x, y, w, h)
        ctx.enable(moderngl.BLEND)
        ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        values = {"u_viewport": (float(x), float(y), float(w), float(h)),
                  "u_origin": camera.origin((w, h)), "u_zoom": float(camera.zoom),
                  "u_radius": max(self.radius * float(camera.zoom), MIN_RADIUS_PX)}
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
