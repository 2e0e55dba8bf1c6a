"""`alife render SCENE --steps N --out out.png|out.gif|out.mp4`: draw a run offscreen, no window.

    alife render SCENE [--steps N] --out FILE [--every K] [--size WxH] [--fps F]
                 [--set key=value ...] [--quiet]

SCENE is a scene (.yaml) or a pattern file (.rle, .cells). Frames go through the app's
GridRenderer in an EGL context (`alife.render.frames`). `.png` is the final frame; `.gif`
(Pillow) and `.mp4` (H.264 through imageio-ffmpeg) hold a frame every K steps (generation 0,
K, 2K, ... and the last). Every file is written atomically (temp file, then rename).
`--set key.path=value` overrides scene keys as `alife run` does (`rule.params.mu=0.15`,
`view.colormap=magma`, `view.grid_lines=false`, `view.zoom=4`), for pattern files too.
No EGL/GL: one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from alife.commands import argtypes
from alife.core.errors import AlifeError

FORMATS = (".png", ".gif", ".mp4")
MAX_GIF_FPS = 50  # browsers slow GIF frames shorter than 20 ms down to 100 ms


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scene", help="scene (.yaml) or pattern file (.rle, .cells)")
    parser.add_argument("--steps", type=argtypes.integer(0), default=None,
                        help="generations to run (default: the scene's run.steps, else 100)")
    parser.add_argument("--out", required=True, help="output file: .png, .gif or .mp4")
    parser.add_argument("--every", type=argtypes.integer(1), default=1,
                        help="GIF/MP4: one frame every K generations (default 1)")
    parser.add_argument("--size", default=None, metavar="WxH",
                        help="image size in pixels (default: the grid at a whole zoom, <= 768)")
    parser.add_argument("--fps", type=argtypes.number(high=1000, above=0), default=15.0,
                        help="GIF/MP4 frame rate (default 15)")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                        help="override a scene key, e.g. view.colormap=magma (repeatable)")
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


def load_world(path: Path, sets: list[str]) -> Any:
    """A World from a scene or a pattern file, with `--set` overrides (`alife.scene.open`)."""
    from alife.scene.open import open_world

    return open_world(path, sets)


# ---- writing --------------------------------------------------------------------------------
def encode_png(frame: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(frame, "RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def encode_gif(frames: Any, fps: float) -> tuple[bytes, tuple[int, int], int]:
    """(GIF bytes, (width, height), frame count); each frame goes to 256 colours as it arrives
    (one byte a pixel held, not three), the conversion Pillow's GIF writer would do anyway."""
    from PIL import Image

    images = [Image.fromarray(f, "RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=256)
              for f in frames]
    duration = max(1000.0 / min(fps, MAX_GIF_FPS), 20.0)
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:],
                   duration=int(round(duration)), loop=0, disposal=1)
    return buffer.getvalue(), images[0].size, len(images)


def write_mp4(path: Path, frames: Any, size: tuple[int, int], fps: float) -> int:
    """Stream frames into an H.264 MP4 (sides padded to even); atomic. Returns the frame count."""
    import imageio_ffmpeg

    from alife.scene.palettes import OUTSIDE

    w, h = size
    ew, eh = w + w % 2, h + h % 2
    from alife.core.fileio import make_folder, write_error

    make_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".mp4", dir=path.parent)
    except OSError as exc:
        raise write_error(exc, path) from None
    os.close(fd)
    count = 0
    try:
        writer = imageio_ffmpeg.write_frames(tmp, (ew, eh), fps=fps, codec="libx264",
                                             pix_fmt_out="yuv420p", macro_block_size=1,
                                             quality=None,
                                             output_params=["-crf", "18", "-preset", "medium"],
                                             ffmpeg_log_level="fatal")
        with warnings.catch_warnings():  # ffmpeg is fork+exec'd at once: JAX's threads are safe
            warnings.filterwarnings("ignore", message="os.fork", category=RuntimeWarning)
            writer.send(None)
        for frame in frames:
            if (ew, eh) != (w, h):
                padded = np.empty((eh, ew, 3), np.uint8)
                padded[:] = OUTSIDE
                padded[:h, :w] = frame
                frame = padded
            writer.send(np.ascontiguousarray(frame))
            count += 1
        writer.close()  # imageio-ffmpeg does not check ffmpeg's exit status: check the file
        if not _mp4_complete(tmp):
            raise OSError(errno.ENOSPC if _disk_full(path.parent) else errno.EIO,
                          "ffmpeg did not finish the file")
        os.replace(tmp, path)
    except OSError as exc:  # ffmpeg gone (a full disk: its pipe breaks), or the rename failed
        if exc.errno in (None, errno.EPIPE, errno.ENOSPC) and _disk_full(path.parent):
            exc = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        raise write_error(exc, path) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return count


def _mp4_complete(path: str | Path) -> bool:
    """Whether an MP4's top-level boxes (ftyp, mdat, moov, ...) cover the file exactly: ffmpeg
    writes `moov` last, so a file cut short (disk full, ffmpeg killed) fails this."""
    import struct

    seen, offset = set(), 0
    with open(path, "rb") as f:
        total = os.fstat(f.fileno()).st_size
        while offset < total:
            f.seek(offset)
            head = f.read(16)
            if len(head) < 8:
                return False
            size, kind = struct.unpack(">I4s", head[:8])
            if size == 1 and len(head) == 16:
                size = struct.unpack(">Q", head[8:])[0]
            elif size == 0:
                size = total - offset
            if size < 8:
                return False
            seen.add(kind)
            offset += size
    return offset == total and {b"ftyp", b"moov", b"mdat"} <= seen


def _disk_full(folder: Path) -> bool:
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def _readable(path: Path) -> None:
    """Give a finished output the usual permissions (temp files are created 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(path, 0o666 & ~umask)
    except OSError:
        pass


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
    if args.steps is not None and args.steps < 0:
        raise AlifeError(f"--steps {args.steps}: expected 0 or more")

    from alife.render.context import headless_context
    from alife.render.frames import iter_frames

    ctx = headless_context()  # first, so no GL fails fast: one line, exit 2 (an AlifeError)
    try:
        world = load_world(Path(args.scene), args.sets)
    except BaseException:
        ctx.release()
        raise
    steps = args.steps if args.steps is not None else int((world.run or {}).get("steps", 100))
    every = None if suffix == ".png" else args.every
    from alife.core.progress import progress as progress_bar

    bar_context = progress_bar(total=steps, desc="alife render", quiet=args.quiet, unit="gen")
    bar = bar_context.__enter__()  # closed in the `finally` below, with the GL context

    def progress(done: int) -> None:
        bar.update(done - bar.n)

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
            if suffix == ".png":
                final = list(frames)[-1]
                data, shape, count = encode_png(final), (final.shape[1], final.shape[0]), 1
            else:
                data, shape, count = encode_gif(frames, args.fps)
            from alife.core.fileio import atomic_write_bytes

            atomic_write_bytes(out, data)
    finally:
        bar_context.__exit__(None, None, None)
        ctx.release()
    _readable(out)
    if not args.quiet:
        print(f"wrote {out} ({shape[0]}x{shape[1]}, {count} frame{'s' * (count != 1)}, "
              f"generation {world.generation + steps})")
    return 0
