"""Command line: `alife view | run | render | train | evolve | sweep | list | new | info | ...`.

Each subcommand lives in `alife/commands/<name>.py` with `add_arguments(parser)` and
`main(args) -> int`, imported only when used (so `alife run` never loads pygame or moderngl).
Bad input raises AlifeError, printed here as one line (at most ~300 characters; longer text goes
to a log file the line names, `alife.core.errlog`), exit status 2, never a traceback; running
out of memory (MemoryError, XLA's RESOURCE_EXHAUSTED) and numbers past what a jitted argument
holds (OverflowError) and file errors no route wrapped (OSError: disk full, read-only) are
reported the same way, as a last line of defence behind the checks.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from alife.core.errlog import one_line, out_of_memory
from alife.core.errors import AlifeError

COMMANDS = {
    "view": "open a scene or pattern in the desktop app",
    "run": "run a scene or pattern headless and write the final state",
    "render": "render a run to PNG, GIF or MP4 offscreen (no window)",
    "train": "train a neural CA scene headless, with checkpoints",
    "evolve": "evolve a scene's params or weights headless (evosax strategies)",
    "sweep": "run many evolution runs (seeds x configs) in parallel or on Ray",
    "list": "list rule families and shipped scenes",
    "new": "copy a shipped scene and the files it uses into a folder of yours, ready to edit",
    "info": "print the JAX backend and devices",
    "measure": "complexity measures of rules and runs (LZ76, entropy, lambda, class)",
    "dataset": "write sharded training sets of CA transitions (pairs, windows, LifeGPT)",
}
#: top-level modules of the `app` extra (pygame, moderngl, imgui-bundle)
APP_MODULES = ("pygame", "moderngl", "imgui_bundle")
#: commands that load scene files, so every block of a scene is checked
SCENE_COMMANDS = ("dataset", "evolve", "info", "measure", "new", "render", "run", "sweep", "train",
                  "view")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit with status 2 and one line, like our other errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, one_line(f"{self.prog}: error: {message}") + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="alife", description="Cellular automata and artificial life sandbox.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        module = _command_module(name)
        if module is not None:
            module.add_arguments(p)
    return parser


def _command_module(name: str):
    try:
        return importlib.import_module(f"alife.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"alife.commands.{name}":
            return None
        raise


def _os_error(exc: OSError) -> str:
    """An OSError as `path: what failed; what was expected` (the path if it has one)."""
    import errno

    reason = exc.strerror or " ".join(str(exc).split())[:160] or type(exc).__name__
    where = f"{exc.filename}: " if exc.filename else ""
    expected = {errno.ENOSPC: "free space on its disk", errno.EROFS: "a writable file system",
                errno.EACCES: "a path this user may use", errno.ENOTDIR: "a folder, not a file",
                errno.EEXIST: "a folder, not a file", errno.EISDIR: "a file, not a folder",
                errno.EDQUOT: "free space within the quota"}.get(exc.errno or 0,
                                                                  "a usable path")
    return f"{where}cannot access it ({reason}); expected {expected}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    module = _command_module(args.command)
    if module is None:
        print(f"alife {args.command}: not available in this build", file=sys.stderr)
        return 2
    try:
        if args.command in SCENE_COMMANDS:
            # registers the evolution: block's check with the scene loader (alife.scene.blocks)
            importlib.import_module("alife.evolve.settings")
        return int(module.main(args) or 0)
    except AlifeError as exc:
        print(one_line(f"alife {args.command}: error: {exc}"), file=sys.stderr)
        return 2
    except OSError as exc:  # a write (or read) no route wrapped: disk full, read-only, ENOTDIR
        print(one_line(f"alife {args.command}: error: {_os_error(exc)}"), file=sys.stderr)
        return 2
    except OverflowError as exc:  # a number past what a jitted argument or a C long holds
        reason = " ".join(str(exc).split())[:160]
        print(one_line(f"alife {args.command}: error: a number is too large ({reason}); expected "
                       f"integers below 2^31 for steps, counts and sizes"), file=sys.stderr)
        return 2
    except (MemoryError, RuntimeError) as exc:
        if not out_of_memory(exc):
            raise
        from alife.core.budget import memory_limit, size_text

        have, source = memory_limit()
        reason = " ".join(str(exc).split())
        reason = reason if len(reason) <= 120 else "..." + reason[-117:]  # the end says how much
        print(one_line(f"alife {args.command}: error: out of memory ({type(exc).__name__}: "
                       f"{reason}); expected smaller sizes (this process may plan "
                       f"{size_text(have)}, half of {source})"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"alife {args.command}: interrupted", file=sys.stderr)
        return 130
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in APP_MODULES:
            raise
        print(f"alife {args.command}: error: needs the app extra ({exc.name} is not installed); "
              f"expected `pip install 'alife[app]'` (./dev run installs it)", file=sys.stderr)
        return 2
