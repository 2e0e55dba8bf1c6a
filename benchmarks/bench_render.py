"""Grid rendering throughput on this machine's GL (Mesa llvmpipe here, a GPU elsewhere).

Ours: `GridRenderer.set_view` (upload the raw uint8/float view) + `draw` (colour in the
fragment shader) into an offscreen target, timed with `ctx.finish()`. Anchor, in the same run:
the naive path a renderer without shaders takes, colouring on the CPU with NumPy
(`palettes.colorize`), uploading RGB and drawing it 1:1. Prints ms/frame for both and the ratio.

    /work/venv/bin/python benchmarks/bench_render.py [--sizes 256,1024,2048] [--repeat 10]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from alife.render.camera import Camera
from alife.render.context import headless_context
from alife.render.grid import GridRenderer
from alife.render.offscreen import OffscreenTarget
from alife.scene import palettes

SCREEN = (1280, 800)


def timed(fn, ctx, repeat: int, rounds: int = 3) -> float:
    """Best of `rounds` averages over `repeat` frames, in ms (the machine is shared)."""
    fn()
    ctx.finish()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        ctx.finish()
        best = min(best, (time.perf_counter() - start) / repeat * 1e3)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="256,1024,2048")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    ctx = headless_context()
    print(f"GL: {ctx.info['GL_RENDERER']}; screen {SCREEN[0]}x{SCREEN[1]}")
    target = OffscreenTarget(ctx, *SCREEN)
    ours, anchor = GridRenderer(ctx), GridRenderer(ctx)
    rng = np.random.default_rng(0)
    for n in (int(s) for s in args.sizes.split(",")):
        cases = [("life uint8", (rng.random((n, n)) < 0.3).astype(np.uint8), "binary"),
                 ("lenia float32", rng.random((n, n)).astype(np.float32), "colormap")]
        for name, view, look in cases:
            cam = Camera().fit((n, n), SCREEN)

            def ours_frame(view=view, look=look, cam=cam):
                ours.set_view(view, look)
                target.use()
                ours.draw(target.viewport, cam, grid_lines=True)

            def anchor_frame(view=view, look=look, cam=cam):
                anchor.set_view(palettes.colorize(view, look), "rgb")
                target.use()
                anchor.draw(target.viewport, cam, grid_lines=True)

            a, b = timed(ours_frame, ctx, args.repeat), timed(anchor_frame, ctx, args.repeat)
            print(f"{n:5d}^2 {name:14s} zoom {cam.zoom:6.3f}: ours {a:7.2f} ms/frame, "
                  f"numpy-colour anchor {b:7.2f} ms/frame, ratio {b / a:5.2f}x")
    for obj in (ours, anchor, target):
        obj.release()


if __name__ == "__main__":
    main()
