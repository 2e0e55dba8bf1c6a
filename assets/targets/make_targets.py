"""Render emoji targets for Growing NCA training from Debian's Noto Color Emoji font.

Usage: `python assets/targets/make_targets.py [--size 40] [--name lizard]` (needs
`apt-get install fonts-noto-color-emoji`). Pillow draws the CBDT colour bitmap at its native
size 109 (`embedded_color=True`), the image is cropped to the glyph, fitted into a square of
`size` px with antialiasing (Lanczos on premultiplied RGBA), and written as a straight-alpha PNG
`<name>_<size>.png` beside this script. Training premultiplies RGB by alpha when it loads it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"
EMOJI = {"lizard": "\U0001F98E", "butterfly": "\U0001F98B", "mushroom": "\U0001F344"}


def render_emoji(char: str, size: int) -> Image.Image:
    """The emoji as a straight-alpha RGBA image of `size` x `size` px."""
    font = ImageFont.truetype(FONT, 109)
    canvas = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((16, 16), char, font=font, embedded_color=True)
    canvas = canvas.crop(canvas.getbbox())
    rgba = np.asarray(canvas, np.float32) / 255.0
    rgba[..., :3] *= rgba[..., 3:]  # premultiply before resampling (no dark fringes)
    h, w = rgba.shape[:2]
    side = max(h, w)
    square = np.zeros((side, side, 4), np.float32)
    square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = rgba
    channels = [Image.fromarray(square[..., c], mode="F").resize((size, size), Image.LANCZOS)
                for c in range(4)]
    out = np.clip(np.stack([np.asarray(c) for c in channels], -1), 0.0, 1.0)
    alpha = out[..., 3:]
    out[..., :3] = np.where(alpha > 1e-6, out[..., :3] / np.maximum(alpha, 1e-6), 0.0)
    out = np.clip(out, 0.0, 1.0)
    return Image.fromarray(np.round(out * 255).astype(np.uint8), "RGBA")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="lizard", choices=sorted(EMOJI))
    parser.add_argument("--size", type=int, default=40)
    args = parser.parse_args()
    path = Path(__file__).with_name(f"{args.name}_{args.size}.png")
    render_emoji(EMOJI[args.name], args.size).save(path)
    print(path)


if __name__ == "__main__":
    main()
