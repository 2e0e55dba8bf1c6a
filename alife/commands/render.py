"""`alife render SCENE --steps N --out out.png|out.gif|out.mp4`: draw a run offscreen, no window.

    alife render SCENE [--steps N] --out FILE [--every K] [--size WxH] [--fps F]
                 [--set key=value ...] [--quiet]

SCENE is a scene (.yaml) or a pattern file (.rle, .cells). Frames go through the app's
GridRenderer in an EGL context (`alife.render.frames`). `.png` is the final frame; `.gif`
(Pillow) and `.mp4` (H.264 through imageio-ffmpeg) hold a frame every K steps (generation 0,
K, 2K, ... and the last). Every file is written atomically (temp file, then rename).
`--set` overrides a param (`mu=0.15`, `params.mu=0.15`) or a view setting (`view.look=states`,
`colormap=magma`, `grid_lines=false`, `zoom=4`, `channel=3`); values are YAML scalars.
No EGL/GL: one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write_bytes

FORMATS = (".png", ".gif", ".mp4")
VIEW_KEYS = ("look", "colormap", "channel", "grid_lines", "zoom", "num_states")
PATTERN_SUFFIXES = (".rle", ".cells")
MAX_GIF_FPS = 50  # browsers slow GIF frames shorter than 20 ms down to 100 ms


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scene", help="scene (.yaml) or pattern file (.rle, .cells)")
    parser.add_argument("--steps", type=int, default=None,
                        help="generations to run (default: the scene's run.steps, else 100)")
    parser.add_argument("--out", required=True, help="output file: .png, .gif or .mp4")
    parser.add_argument("--every", type=int, default=1,
                        help="GIF/MP4: one frame every K generations (default 1)")
    parser.add_argument("--size", default=None, metavar="WxH",
                        help="image size in pixels (default: the grid at a whole zoom, <= 768)")
    parser.add_argument("--fps", type=float, default=15.0, help="GIF/MP4 frame rate (default 15)")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                        help="override a param or a view setting (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")


# ---- arguments ------------------------------------------------------------------------------
def parse_size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    parts = text.lower().split("x")
    try:
        w, h = (int(p) for p in parts)
    except ValueError:
        raise AlifeError(f"--size {text!r} is not WxH; expected e.g. --size 640x480") from None
    if not (1 <= w <= 8192 and 1 <= h <= 8192):
        raise AlifeError(f"--size {text!r} out of range; expected 1..8192 on each side")
    return w, h


def apply_sets(world: Any, sets: list[str]) -> Any:
    """World with `--set key=value` overrides applied to its params or view settings."""
    import yaml

    from alife.core.types import replace_params

    if not sets:
        return world
    names = [f.name for f in dataclasses.fields(world.params)]
    view = dict(world.view or {})
    params = world.params
    for item in sets:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise AlifeError(f"--set {item!r} is not key=value; expected e.g. --set mu=0.15")
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            value = raw
        section, dot, name = key.rpartition(".")
        if dot and section not in ("params", "view"):
            raise AlifeError(f"--set {key!r}: unknown section {section!r}; "
                             "expected params.NAME or view.NAME")
        if (section == "view" or (not dot and name in VIEW_KEYS)) and name in VIEW_KEYS:
            view[name] = value
        elif section != "view" and name in names:
            try:
                params = replace_params(params, **{name: value})
            except (TypeError, ValueError) as exc:
                raise AlifeError(f"--set {key}={raw}: {exc}") from None
        else:
            raise AlifeError(f"--set {key!r}: no such param or view setting; expected one of "
                             f"{sorted(names) + [f'view.{k}' for k in VIEW_KEYS]}")
    return dataclasses.replace(world, params=params, view=view)


# ---- loading --------------------------------------------------------------------------------
def load_world(path: Path) -> Any:
    """A World from a scene file or a pattern file (through `alife.scene.io` when present)."""
    if not path.is_file():
        raise AlifeError("file not found; expected a scene (.yaml) or pattern (.rle, .cells)",
                         where=str(path))
    try:
        from alife.scene import io as scene_io
    except ImportError:
        scene_io = None
    suffix = path.suffix.lower()
    if suffix in PATTERN_SUFFIXES:
        if scene_io is not None and hasattr(scene_io, "world_from_pattern"):
            return scene_io.world_from_pattern(path)
        return _pattern_world(path)
    if scene_io is None or not hasattr(scene_io, "load_scene"):
        raise AlifeError("scene files need alife.scene.io, which this build lacks", where=str(path))
    return scene_io.load_scene(path)


def _pattern_world(path: Path) -> Any:
    """Fallback: a Life-like world holding the pattern, centred with a margin around it."""
    import jax

    from alife.core.registry import create
    from alife.scene.patterns import read_pattern
    from alife.scene.world import World

    pattern = read_pattern(path)
    h, w = pattern.shape
    margin = max(8, max(h, w) // 2)
    rule_text = (pattern.rule or "B3/S23").split(":")[0]
    rule = create("life", rule=rule_text, width=w + 2 * margin, height=h + 2 * margin)
    params = rule.default_params()
    cells = np.zeros(rule.shape, np.int32)
    cells[margin:margin + h, margin:margin + w] = pattern.cells
    state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), jax.numpy.asarray(cells))
    return World(rule=rule, params=params, state=state, key=jax.random.PRNGKey(1),
                 name=pattern.name or path.stem, path=path)


# ---- writing --------------------------------------------------------------------------------
def encode_png(frame: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(frame, "RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def encode_gif(frames: list[np.ndarray], fps: float) -> bytes:
    from PIL import Image

    images = [Image.fromarray(f, "RGB") for f in frames]
    duration = max(1000.0 / min(fps, MAX_GIF_FPS), 20.0)
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:],
                   duration=int(round(duration)), loop=0, disposal=1)
    return buffer.getvalue()


def write_mp4(path: Path, frames: Any, size: tuple[int, int], fps: float) -> int:
    """Stream frames into an H.264 MP4 (sides padded to even); atomic. Returns the frame count."""
    import imageio_ffmpeg

    from alife.render.palettes import OUTSIDE

    w, h = size
    ew, eh = w + w % 2, h + h % 2
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".mp4", dir=path.parent)
    os.close(fd)
    count = 0
    try:
        writer = imageio_ffmpeg.write_frames(tmp, (ew, eh), fps=fps, codec="libx264",
                                             pix_fmt_out="yuv420p", macro_block_size=1,
                                             quality=None,
                                             output_params=["-crf", "18", "-preset", "medium"],
                                             ffmpeg_log_level="error")
        writer.send(None)
        for frame in frames:
            if (ew, eh) != (w, h):
                padded = np.empty((eh, ew, 3), np.uint8)
                padded[:] = OUTSIDE
                padded[:h, :w] = frame
                frame = padded
            writer.send(np.ascontiguousarray(frame))
            count += 1
        writer.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return count


def main(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise AlifeError(f"--out {args.out!r}: unknown format; expected one of {list(FORMATS)}")
    if args.every < 1:
        raise AlifeError(f"--every {args.every}: expected a positive number of steps")
    if not args.fps > 0:
        raise AlifeError(f"--fps {args.fps}: expected a positive frame rate")
    size = parse_size(args.size)
    world = apply_sets(load_world(Path(args.scene)), args.sets)
    steps = args.steps if args.steps is not None else int((world.run or {}).get("steps", 100))
    if steps < 0:
        raise AlifeError(f"--steps {steps}: expected 0 or more")

    from alife.render.context import headless_context
    from alife.render.frames import iter_frames

    ctx = headless_context()  # GLUnavailable (an AlifeError) -> one line, exit 2
    every = None if suffix == ".png" else args.every
    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(total=steps, unit="gen", desc="alife render", file=sys.stderr, leave=False)

    def progress(done: int) -> None:
        if bar is not None:
            bar.n = done
            bar.refresh()

    frames = iter_frames(world, steps, every, size, ctx=ctx, on_step=progress)
    try:
        if suffix == ".mp4":
            first = next(frames)
            shape = (first.shape[1], first.shape[0])

            def chain():
                yield first
                yield from frames

            count = write_mp4(out, chain(), shape, args.fps)
        else:
            images = list(frames)
            shape = (images[0].shape[1], images[0].shape[0])
            count = len(images)
            data = encode_png(images[-1]) if suffix == ".png" else encode_gif(images, args.fps)
            atomic_write_bytes(out, data)
    finally:
        if bar is not None:
            bar.close()
        ctx.release()
    if not args.quiet:
        print(f"wrote {out} ({shape[0]}x{shape[1]}, {count} frame{'s' * (count != 1)}, "
              f"generation {world.generation + steps})")
    return 0
