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

import numpy as np

from alife.render.camera import Camera
from alife.render.instanced import InstancedQuads

MIN_RADIUS_PX = 1.5
_CORNERS = np.array([-1, -1, 1, -1, -1, 1, 1, 1], dtype="f4")  # a triangle strip


class AgentRenderer:
    """Instanced discs: per-agent position and colour (`InstancedQuads` with the agents shader)."""

    def __init__(self, ctx: Any) -> None:
        self.quads = InstancedQuads(ctx, "agents", _CORNERS, "2f 4f/i", ("in_pos", "in_col"))
        self.radius = 0.45

    @property
    def count(self) -> int:
        return self.quads.count

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
        self.quads.upload(np.concatenate([centred, np.clip(col, 0.0, 1.0)], axis=1))
        self.radius = float(radius)

    def draw(self, viewport: tuple[int, int, int, int], camera: Camera) -> None:
        """Blend the discs over the bound framebuffer's `viewport` (GL convention, y up)."""
        self.quads.draw(viewport, camera,
                        u_radius=max(self.radius * float(camera.zoom), MIN_RADIUS_PX))

    def clear(self) -> None:
        """Draw no discs until the next upload."""
        self.quads.clear()

    def release(self) -> None:
        self.quads.release()
