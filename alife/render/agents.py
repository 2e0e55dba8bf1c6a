"""AgentRenderer: entities drawn over the grid, one instanced quad each (ModernGL).

API:
    a = AgentRenderer(ctx)
    a.set_agents(positions, colours, radius=0.45, shapes=None)
        positions: [N, 2] (row, col) in cell coordinates; integer positions mean the cell, and
        are drawn at the cell's centre (+0.5). colours: [N, 3|4] uint8 or float in [0, 1];
        alpha 0 hides an agent (dead slots of a fixed-size agent array). radius: in cells.
        shapes: [N] indices into `SHAPES` (disc, square, diamond, triangle), or None (discs).
    a.draw(viewport, camera)    same viewport/camera conventions as GridRenderer.draw; blends over
                                what is drawn (call it after the grid and the message lines)
    a.count -> N;  a.release()
    shape_indices(kinds, entity_kinds) -> [N] shape indices of entity `kinds` (an `EntityWorld`'s
        `entity_kinds()`, see `alife.core.rule`; a kind past the end takes the last one's shape)

Size: an entity is `radius` cells across its half-width, so it grows and shrinks with the zoom,
but never below `MIN_RADIUS_PX` screen pixels: zoomed out on a 128x128 world, agents stay
readable shapes (8 px across) rather than 2-3 px dots. Each shape has a dark rim, so entities
piled on one another still read one by one.

Rules with entities (`alife.core.rule.EntityWorld`, JaxLife-style agents, Lu et al. 2024) get
their live entities drawn with this, over the grid: by `alife.render.frames` (`alife render`) and
by the app's window (`alife.app.worldview`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from alife.core.rule import ENTITY_SHAPES
from alife.render.camera import Camera
from alife.render.instanced import InstancedQuads

#: the shapes the fragment shader draws, by index (the same order as `alife.core.rule`)
SHAPES = ENTITY_SHAPES
#: the smallest half-width of an entity on screen, in framebuffer pixels
MIN_RADIUS_PX = 4.0
_CORNERS = np.array([-1, -1, 1, -1, -1, 1, 1, 1], dtype="f4")  # a triangle strip


def shape_indices(kinds: np.ndarray, entity_kinds: Sequence[Any]) -> np.ndarray:
    """[N] float32 shape indices for entity `kinds` ([N] ints) given each kind's
    `EntityKind` (a kind past the end, or below 0, takes the nearest declared one)."""
    table = np.array([SHAPES.index(k.shape) if k.shape in SHAPES else 0 for k in entity_kinds]
                     or [0], np.float32)
    index = np.clip(np.asarray(kinds, np.int64).reshape(-1), 0, len(table) - 1)
    return table[index]


class AgentRenderer:
    """Instanced shapes: per-agent position, colour and shape (`InstancedQuads`, agents shader)."""

    def __init__(self, ctx: Any) -> None:
        self.quads = InstancedQuads(ctx, "agents", _CORNERS, "2f 4f 1f/i",
                                    ("in_pos", "in_col", "in_shape"))
        self.radius = 0.45

    @property
    def count(self) -> int:
        return self.quads.count

    def set_agents(self, positions: np.ndarray, colours: np.ndarray, radius: float = 0.45,
                   shapes: np.ndarray | None = None) -> None:
        """Upload agent positions (row, col), colours and shapes (see module docstring)."""
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
        if shapes is None:
            shape = np.zeros((pos.shape[0], 1), np.float32)
        else:
            shape = np.asarray(shapes, np.float32).reshape(-1, 1)
            if shape.shape[0] != pos.shape[0]:
                raise ValueError(f"shapes must be [N] for N={pos.shape[0]}, got {shape.shape}")
            shape = np.clip(np.nan_to_num(shape), 0, len(SHAPES) - 1)
        self.quads.upload(np.concatenate([centred, np.clip(col, 0.0, 1.0), shape], axis=1))
        self.radius = float(radius)

    def radius_px(self, camera: Camera) -> float:
        """The half-width the entities are drawn with at `camera`'s zoom (framebuffer pixels)."""
        return max(self.radius * float(camera.zoom), MIN_RADIUS_PX)

    def draw(self, viewport: tuple[int, int, int, int], camera: Camera) -> None:
        """Blend the shapes over the bound framebuffer's `viewport` (GL convention, y up)."""
        self.quads.draw(viewport, camera, u_radius=self.radius_px(camera))

    def clear(self) -> None:
        """Draw nothing until the next upload."""
        self.quads.clear()

    def release(self) -> None:
        self.quads.release()
