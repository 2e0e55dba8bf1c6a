"""LinkRenderer: lines between points of the world (messages between agents), ModernGL.

API:
    links = LinkRenderer(ctx)
    links.set_links(starts, ends, mask=None)
        starts, ends: [M, 2] (row, col) in continuous cell coordinates (as entity positions);
        mask: [M] bool, the links to draw (None: all). Non-finite links are dropped.
    links.draw(viewport, camera, colour=LINK_COLOUR, width=LINK_WIDTH)
        blends the lines over the bound framebuffer's `viewport` (same conventions as
        GridRenderer.draw / AgentRenderer.draw); call it after the grid and before the
        entities, so the lines run under them
    links.count -> drawn links;  links.release()
    rule_links(rule) -> the rule's `links(state, params) -> (starts, ends, mask)` when the rule
        declares the `Linked` capability (`alife.core.rule`), else None

Each link is one instanced quad (`shaders/links.vert`), so lines keep their width on any
GL 3.3 driver (core profiles may not draw wide GL lines). Lines are translucent (`LINK_COLOUR`
has alpha 0.45) and thin, and the renderers draw them under the entities: a busy message
network tints the terrain but never hides an agent. `Linked` rules (the agents
family's messages, JaxLife, Lu et al. 2024) get them drawn by the app (a "message lines" view
setting) and by `alife.render.frames` (scene `view: {message_lines: true}`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alife.core.rule import Linked
from alife.render.camera import Camera
from alife.render.instanced import InstancedQuads

LINK_COLOUR = (1.0, 0.9, 0.25, 0.45)
LINK_WIDTH = 1.5
#: (along, across) corners of a link's quad, a triangle strip
_CORNERS = np.array([0, -1, 1, -1, 0, 1, 1, 1], dtype="f4")


def rule_links(rule: Any) -> Any:
    """The rule's `links(state, params)` when it is `Linked` (`alife.core.rule`), else None."""
    return rule.links if isinstance(rule, Linked) else None


class LinkRenderer:
    """Instanced line quads: per-link (start, end) (`InstancedQuads` with the links shader)."""

    def __init__(self, ctx: Any) -> None:
        self.quads = InstancedQuads(ctx, "links", _CORNERS, "2f 2f/i", ("in_a", "in_b"))

    @property
    def count(self) -> int:
        return self.quads.count

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
        self.quads.upload(np.concatenate([a[keep], b[keep]], axis=1))

    def draw(self, viewport: tuple[int, int, int, int], camera: Camera,
             colour: tuple[float, float, float, float] = LINK_COLOUR,
             width: float = LINK_WIDTH) -> None:
        """Blend the lines over the bound framebuffer's `viewport` (GL convention, y up)."""
        self.quads.draw(viewport, camera, u_width=float(width),
                        u_colour=tuple(float(v) for v in colour))

    def clear(self) -> None:
        """Draw no lines until the next upload."""
        self.quads.clear()

    def release(self) -> None:
        self.quads.release()
