"""LinkRenderer: lines between points of the world (messages between agents), ModernGL.

API:
    links = LinkRenderer(ctx)
    links.set_links(starts, ends, mask=None)
        starts, ends: [M, 2] (row, col) in continuous cell coordinates (as entity positions);
        mask: [M] bool, the links to draw (None: all). Non-finite links are dropped.
    links.draw(viewport, camera, colour=LINK_COLOUR, width=2.0)
        blends the lines over the bound framebuffer's `viewport` (same conventions as
        GridRenderer.draw / AgentRenderer.draw); call it after the grid and the discs
    links.count -> drawn links;  links.release()
    rule_links(rule) -> the rule's `links(state, params) -> (starts, ends, mask)` hook, or None

Each link is one instanced quad (`alife/shaders/links.vert`), so lines keep their width on any
GL 3.3 driver (core profiles may not draw wide GL lines). Rules with a `links` hook (the agents
family's messages, JaxLife, Lu et al. 2024) get them drawn by the app (a "message lines" view
setting) and by `alife.render.frames` (scene `view: {message_lines: true}`).
"""

from __future__ import annotations

from typing import Any

import moderngl
import numpy as np

from alife.render.camera import Camera
from alife.render.shaders import load_program

LINK_COLOUR = (1.0, 0.9, 0.25, 0.9)
#: (along, across) corners of a link's quad, a triangle strip
_CORNERS = np.array([0, -1, 1, -1, 0, 1, 1, 1], dtype="f4")


def rule_links(rule: Any) -> Any:
    """The rule's optional `links(state, params)` hook, or None."""
    hook = getattr(rule, "links", None)
    return hook if callable(hook) else None


class LinkRenderer:
    """Instanced line quads: a static corner buffer and per-link (start, end) buffers."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.program = load_program(ctx, "links")
        self.corners = ctx.buffer(_CORNERS.tobytes())
        self.instances = None
        self.vao = None
        self.count = 0
        self._capacity = 0

    def set_links(self, starts: np.ndarray, ends: np.ndarray,
                  mask: np.ndarray | None = None) -> None:
        """Upload the links to draw (see the module docstring)."""
        a = np.asarray(starts, np.float32).reshape(-1, 2)
        b = np.asarray(ends, np.float32).reshape(-1, 2)
        if a.shape != b.shape:
            raise ValueError(f"starts and ends must both be [M, 2], got {a.shape} and {b.shape}")
        keep = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
        if mask is not None:
            keep &= np.asarray(mask, bool).reshape(-1)
        data = np.concatenate([a[keep], b[keep]], axis=1).astype("f4")
        n = data.shape[0]
        if n > self._capacity:
            for obj in (self.vao, self.instances):
                if obj is not None:
                    obj.release()
            self._capacity = max(n, 2 * self._capacity, 64)
            self.instances = self.ctx.buffer(reserve=self._capacity * 4 * 4, dynamic=True)
            self.vao = self.ctx.vertex_array(self.program, [
                (self.corners, "2f", "in_corner"),
                (self.instances, "2f 2f/i", "in_a", "in_b"),
            ])
        if n:
            self.instances.write(data.tobytes())
        self.count = n

    def draw(self, viewport: tuple[int, int, int, int], camera: Camera,
             colour: tuple[float, float, float, float] = LINK_COLOUR, width: float = 2.0) -> None:
        """Blend the lines over the bound framebuffer's `viewport` (GL convention, y up)."""
        if self.count == 0 or self.vao is None:
            return
        x, y, w, h = (int(v) for v in viewport)
        ctx = self.ctx
        ctx.viewport = (x, y, w, h)
        ctx.enable(moderngl.BLEND)
        ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        values = {"u_viewport": (float(x), float(y), float(w), float(h)),
                  "u_origin": camera.origin((w, h)), "u_zoom": float(camera.zoom),
                  "u_width": float(width), "u_colour": tuple(float(v) for v in colour)}
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
