"""OffscreenTarget: a framebuffer to draw into without a window, read back as a NumPy image.

API:
    t = OffscreenTarget(ctx, width, height)
    t.use()                         bind it and set the viewport to the whole target
    t.clear(rgb=(0, 0, 0))          clear to a colour given as 0..255 ints
    t.viewport -> (0, 0, width, height)
    t.read(components=3) -> np.ndarray [height, width, 3|4] uint8, row 0 = the TOP of the image
    t.texture                       the colour attachment (a moderngl.Texture; e.g. for imgui.image)
    t.release()

Used by `alife render` (frames for PNG/GIF/MP4) and by tests that check pixels.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class OffscreenTarget:
    """An RGBA8 colour texture in a framebuffer of `width` x `height` pixels."""

    def __init__(self, ctx: Any, width: int, height: int) -> None:
        if width <= 0 or height <= 0:
            raise ValueError(f"offscreen size must be positive, got {width}x{height}")
        self.ctx = ctx
        self.width, self.height = int(width), int(height)
        self.texture = ctx.texture((self.width, self.height), 4)
        self.fbo = ctx.framebuffer(color_attachments=[self.texture])

    @property
    def viewport(self) -> tuple[int, int, int, int]:
        return (0, 0, self.width, self.height)

    def use(self) -> None:
        self.fbo.use()
        self.ctx.viewport = self.viewport

    def clear(self, rgb: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.fbo.clear(rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0, 1.0)

    def read(self, components: int = 3) -> np.ndarray:
        """The pixels as [H, W, components] uint8, top row first."""
        if components not in (3, 4):
            raise ValueError(f"components must be 3 or 4, got {components}")
        data = self.fbo.read(viewport=self.viewport, components=components, alignment=1)
        image = np.frombuffer(data, np.uint8).reshape(self.height, self.width, components)
        return np.ascontiguousarray(image[::-1])

    def release(self) -> None:
        self.fbo.release()
        self.texture.release()
