"""`alife view [SCENE | PATTERN.rle | PATTERN.cells]`: open a world in the desktop app.

`--frames N` runs exactly N frames of the real app and exits (with `--screenshot out.png`, the
last frame is saved); `--size WxH` sets the window size. Without a display (no DISPLAY or
WAYLAND_DISPLAY on Linux, and SDL_VIDEODRIVER not "offscreen") it says so and points to
`alife render`, exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys

from alife.commands import argtypes
from alife.core.errors import AlifeError

DEFAULT_SCENE_SIZE = 256


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?",
                        help="a scene .yaml, or a pattern (.rle, .cells, .lif, .mc, .zip ...)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a scene key (e.g. rule.config.width=512)")
    parser.add_argument("--frames", type=argtypes.integer(1), default=None, metavar="N",
                        help="run exactly N frames, then exit")
    parser.add_argument("--screenshot", metavar="PNG", help="save the last frame (with --frames)")
    parser.add_argument("--size", default="1280x800", metavar="WxH", help="window size")
    parser.add_argument("--play", action="store_true", help="start running at once")
    parser.add_argument("--max-speed", action="store_true",
                        help="start in 'as fast as possible' mode")
    parser.add_argument("--no-vsync", action="store_true", help="do not wait for the display")
    parser.add_argument("--no-autosave", action="store_true",
                        help="neither autosave nor offer the last autosave back")


def has_display() -> bool:
    if os.environ.get("SDL_VIDEODRIVER", "") == "offscreen":
        return True
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise AlifeError(f"bad window size {text!r}; expected WxH, e.g. 1280x800",
                         where="--size") from None
    if not (200 <= w <= 16384 and 150 <= h <= 16384):
        raise AlifeError(f"window size {w}x{h} out of range; expected 200x150 to 16384x16384",
                         where="--size")
    return w, h


def load_world(path: str | None, overrides: list[str]):
    """The world to open: a scene, a pattern, or (no path) a Life soup on a torus, all through
    the one loader (`alife.scene.open_world`)."""
    from alife.rules.life.macrocell import is_macrocell
    from alife.scene.open import open_world

    if path is None:
        size = DEFAULT_SCENE_SIZE
        return open_world(None, overrides, rule=f"B3/S23:T{size},{size}")
    from pathlib import Path

    from alife.rules.ruletable.hashlife_open import opens_on_hashlife
    from alife.scene.hashlife_patterns import is_pattern_file, source

    # a two-state .mc, or a rule-table pattern too large for the grid, runs on HashLife
    giant = is_pattern_file(path) and opens_on_hashlife(source(path))
    if not giant:
        from alife.scene.hashlife_patterns import forget

        forget()  # the grid route reads the file itself
    if (is_macrocell(path) or giant) and not overrides:
        from alife.app.controller_files import open_file_world

        return open_file_world(Path(path))
    return open_world(path, overrides)


def main(args: argparse.Namespace) -> int:
    if not has_display():
        print("alife view: no display (DISPLAY / WAYLAND_DISPLAY unset); use `alife render` to "
              "write PNG/GIF/MP4 without a window, or set SDL_VIDEODRIVER=offscreen",
              file=sys.stderr)
        return 2
    if args.screenshot and args.frames is None:
        raise AlifeError("--screenshot needs --frames N", where="--screenshot")
    if args.frames is not None and args.frames < 1:
        raise AlifeError(f"--frames must be at least 1, got {args.frames}", where="--frames")
    size = parse_size(args.size)
    world = load_world(args.path, args.set)
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from alife.app.window import App

    offscreen = os.environ.get("SDL_VIDEODRIVER") == "offscreen"
    app = App(world, size=size, vsync=not (args.no_vsync or offscreen),
              autosave_enabled=not args.no_autosave and args.frames is None,
              offer_recovery=not args.no_autosave and args.frames is None)
    app.controller.playing = bool(args.play)
    app.controller.set_fastest(bool(args.max_speed))
    if args.path:
        from alife.app.autosave import add_recent

        add_recent(args.path)
    code = app.run(frames=args.frames, screenshot=args.screenshot)
    from alife.app import compiling

    if compiling.busy():  # quit mid-compile: the app is closed and saved, skip Python's exit
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
