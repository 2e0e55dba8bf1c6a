"""`alife run` on Golly's unbounded plane with HashLife (alife.rules.life.hashlife).

    alife run gosper_glider_gun.rle --steps 1000000000 --out gun.mc
    alife run /usr/share/golly/Patterns/HashLife/metapixel-galaxy.mc.gz --steps 4096

Rule-table patterns too wide for the grid (or with `--engine hashlife`) run on the multi-state
universe (`alife.commands.run_table_hashlife`).

A pattern file (`.rle`, `.cells`, `.mc`, `.mc.gz`) whose rule is a two-state Life-like rule on
the Moore neighbourhood without a bounded-grid suffix lives on the unbounded plane, as in Golly:
`--engine auto` (the default) runs it with HashLife, so any number of generations costs time
in the number of distinct blocks, not cells. `--engine grid` runs it on the grid engine instead,
in a window that follows the pattern over the same plane (alife.core.plane); scenes always run
on their grid.

Output by extension: `.mc` / `.mc.gz` (any size), `.rle` / `.cells` (the bounding box, with
`#CXRLE Pos` and `Gen` so Golly places it where it was), `.png` (the bounding box, if small
enough). `--metrics` writes generation, population and the bounding box every `--every` steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from alife.core.errors import AlifeError

PATTERN_SUFFIXES = (".rle", ".cells", ".lif", ".life")
OUT_SUFFIXES = (".mc", ".mc.gz", ".rle", ".cells", ".png")
#: the arguments that only a grid run has
GRID_ONLY = (("checkpoint", "--checkpoint"), ("resume", "--resume"), ("lineage", "--lineage"),
             ("overrides", "--set"), ("seed", "--seed"))


def _source(args: argparse.Namespace) -> Path | None:
    text = args.pattern or args.scene
    if text is None:
        return None
    path = Path(text)
    from alife.core.archive import split_member

    packed = path.name.lower().endswith(tuple(s + ".gz" for s in PATTERN_SUFFIXES))
    known = path.suffix.lower() in PATTERN_SUFFIXES or packed or split_member(path) is not None
    return path if known or _is_mc(path) else None


def _is_mc(path: Path) -> bool:
    from alife.rules.life.macrocell import is_macrocell

    return is_macrocell(path)


def wants_hashlife(args: argparse.Namespace) -> bool:
    """Whether this `alife run` goes to HashLife (see the module docstring)."""
    engine = getattr(args, "engine", "auto")
    path = _source(args)
    if engine == "grid" or path is None:
        if engine == "hashlife":
            raise AlifeError("--engine hashlife runs a pattern file (.rle, .cells, .mc)")
        return False
    from alife.commands import run_table_hashlife as table
    from alife.rules.life.hashlife import supports
    from alife.rules.life.rulestring import parse_rule

    if _is_mc(path):  # a multi-state macrocell (WireWorld, JvN) runs on the grid
        from alife.scene.macrocell_grid import header_rule

        text = header_rule(path) or "B3/S23"
    else:
        text = args.rule or table.pattern(path).rule or "B3/S23"
    try:
        spec = parse_rule(text)
    except AlifeError:
        spec = None
    if spec is not None and supports(spec):
        return True
    if table.wants_table(args, path, text):  # a rule table: the multi-state universe
        args.table_hashlife = True
        return True
    if engine == "hashlife":
        raise AlifeError(f"HashLife runs two-state Life-like rules on the Moore neighbourhood "
                         f"and rule tables, without a bounded-grid suffix; got {text!r}",
                         where="--engine")
    return False


def _load(args: argparse.Namespace):
    from alife.commands import run_table_hashlife
    from alife.rules.life.hashlife import Universe

    path = _source(args)
    assert path is not None
    if getattr(args, "table_hashlife", False):
        from alife.commands import run_table_hashlife

        return run_table_hashlife.load(args, path)
    if _is_mc(path):
        from alife.rules.life.macrocell import read_macrocell

        universe, _ = read_macrocell(path)
        if args.rule:
            raise AlifeError("a macrocell file carries its rule (#R); drop --rule",
                             where=str(path))
        return universe, path.name.split(".")[0]
    pattern = run_table_hashlife.pattern(path)
    universe = Universe.for_rule(args.rule or pattern.rule or "B3/S23")
    ys, xs = (pattern.cells != 0).nonzero()
    h, w = pattern.cells.shape
    # Golly puts a pattern with no #CXRLE position centred on the origin
    x0, y0 = pattern.position if pattern.position is not None else (-(w // 2), -(h // 2))
    universe.set_cells(xs + x0, ys + y0)
    universe.generation = pattern.generation or 0
    return universe, pattern.name or path.stem


def _check_out(path: str) -> None:
    from alife.scene import export

    name = path.lower()
    if not name.endswith(OUT_SUFFIXES):
        raise AlifeError(f"with HashLife the output is one of {', '.join(OUT_SUFFIXES)}",
                         where=path)
    if name.endswith((".rle", ".cells", ".png")):
        export.check_writable(path)
    else:
        export.check_writable(Path(path).with_suffix(".rle"))  # the same folder checks


def _write(universe, path: str, zoom: int) -> None:
    """`--out` of a two-state or multi-state universe: .mc / .mc.gz (the whole quadtree),
    .rle / .cells (the bounding box), .png (black on white, or the rule's colours)."""
    from alife.commands import run_table_hashlife
    from alife.scene.patterns import Pattern, write_pattern

    name = path.lower()
    if name.endswith((".mc", ".mc.gz")):
        from alife.app.universe_file import write_universe

        write_universe(path, universe, [])
        return
    cells, x0, y0 = universe.to_array()
    if name.endswith(".png"):
        from PIL import Image

        from alife.core.fileio import atomic_write

        if cells.size == 0:
            raise AlifeError("the pattern died out: nothing to draw", where=path)
        colours = np.zeros((256, 3), np.uint8)
        if run_table_hashlife.is_table_universe(universe):
            colours[:len(universe.colours)] = universe.colours
        else:
            colours[0] = 255  # dead white, alive black
        picture = Image.fromarray(colours[cells]).resize(
            (cells.shape[1] * zoom, cells.shape[0] * zoom), Image.NEAREST)
        atomic_write(path, lambda f: picture.save(f, format="PNG"))
        return
    write_pattern(path, Pattern(cells, rule=universe.rule_text, position=(x0, y0),
                                generation=universe.generation))


def _metrics_row(universe) -> str:
    box = universe.bounding_box()
    x0, y0, x1, y1 = box if box is not None else (0, 0, -1, -1)
    return (f"{universe.generation},{universe.population()},{x1 - x0 + 1},{y1 - y0 + 1},"
            f"{x0},{y0}")


def run(args: argparse.Namespace, steps_default: int) -> int:
    """The HashLife route of `alife run`; exit status."""
    for name, flag in GRID_ONLY:
        if getattr(args, name, None):
            raise AlifeError(f"{flag} belongs to grid runs; add --engine grid to use it "
                             f"(HashLife runs a pattern on the unbounded plane)")
    if args.out:
        _check_out(args.out)
    universe, name = _load(args)
    steps = args.steps if args.steps is not None else steps_default
    started = time.perf_counter()
    if args.metrics:
        from alife.core.fileio import atomic_write_text

        every = args.every or max(1, steps // 100)
        rows = ["generation,population,width,height,x,y", _metrics_row(universe)]
        done = 0
        while done < steps:
            chunk = min(every, steps - done)
            universe.advance(chunk)
            done += chunk
            rows.append(_metrics_row(universe))
        atomic_write_text(args.metrics, "\n".join(rows) + "\n")
    else:
        universe.advance(steps)
    seconds = time.perf_counter() - started
    if args.out:
        _write(universe, args.out, args.zoom)
    if not args.quiet:
        box = universe.bounding_box()
        shape = (f"bounding box {box[2] - box[0] + 1} x {box[3] - box[1] + 1} at "
                 f"({box[0]}, {box[1]})" if box else "empty")
        wrote = [p for p in (args.out, args.metrics) if p]
        print(f"{name}: {steps} steps in {seconds:.2f} s (HashLife, unbounded plane); "
              f"generation {universe.generation}, population {universe.population()}, {shape}"
              + (f"; wrote {', '.join(wrote)}" if wrote else ""), file=sys.stdout)
    return 0
