"""Record frames of the grid view to an animated GIF or an MP4 (imageio + ffmpeg).

GIF frames are reduced to a 256-colour palette as they arrive (one byte a pixel), so a few
hundred frames stay small in memory; MP4 frames stream to ffmpeg (sizes cropped to even numbers,
as H.264 needs).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError

FPS = 30


class Recorder:
    def __init__(self, path: str | Path, frames: int) -> None:
        self.path = Path(path).expanduser()
        self.total = int(frames)
        self.count = 0
        suffix = self.path.suffix.lower()
        if suffix not in (".gif", ".mp4"):
            raise AlifeError(f"cannot record to {suffix or 'no extension'}; expected .gif or .mp4",
                             where=str(self.path))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._gif: list = []
        self._writer = None
        if suffix == ".mp4":
            import imageio.v2 as imageio

            self._writer = imageio.get_writer(str(self.path), fps=FPS, codec="libx264",
                                              quality=8, macro_block_size=1)

    @property
    def done(self) -> bool:
        return self.count >= self.total

    def add(self, frame: np.ndarray) -> None:
        """Add one `[H, W, 3]` uint8 frame; finishes the file after the last one."""
        if self.done:
            return
        if self._writer is not None:
            h, w = frame.shape[0] // 2 * 2, frame.shape[1] // 2 * 2
            self._writer.append_data(np.ascontiguousarray(frame[:h, :w]))
        else:
            from PIL import Image

            self._gif.append(Image.fromarray(frame).quantize(256, dither=Image.Dither.NONE))
        self.count += 1
        if self.done:
            self.close()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        elif self._gif:
            first, rest = self._gif[0], self._gif[1:]
            first.save(self.path, save_all=True, append_images=rest, duration=1000 // FPS,
                       loop=0)
            self._gif = []
