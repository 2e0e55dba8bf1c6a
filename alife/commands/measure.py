"""`alife measure`: complexity measures of rules and runs (alife.instruments, docs/instruments.md).

    alife measure --family elementary --all --out eca.csv --plot eca.png
    alife measure --family life --rules B3/S23,B36/S23,B2/S --size 64
    alife measure scenes/elementary/rule110.yaml --steps 256

For each rule: Langton's lambda, LZ76 complexity (phrases and normalised), zlib and lzma
compression ratios, cell and 2x2-block entropy, damage spreading of a one-cell perturbation
(damage, spreading, lyapunov) and an estimated Wolfram class with the reason. Family mode runs
every rule from `--starts` random starts (density 0.5) for `--transient` steps, then measures
`--steps` more; rules of one structure run batched over params (one compile). Any family whose
rules take rule text on a grid of discrete states qualifies (`alife.instruments.catalogue`); 1-D
space-time families get a `--width` row, 2-D ones a `--size` torus. Scene mode measures the
scene's own run from its start. Rule lists are comma separated (semicolons when the rules
contain commas, as Larger than Life rules do).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from alife.commands.argtypes import int_at_least as _int
from alife.commands.argtypes import seed as _seed
from alife.core.errors import AlifeError

SHOWN = ("rule", "class", "lambda", "lz76_norm", "zlib", "entropy", "damage", "lyapunov")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scene", nargs="?", metavar="SCENE", help="measure this scene's run")
    parser.add_argument("--family", metavar="NAME",
                        help="a family with rule text and discrete states (elementary, life)")
    parser.add_argument("--all", action="store_true",
                        help="every rule the family lists (the 256 elementary rules)")
    parser.add_argument("--rules", action="append", default=[], metavar="LIST",
                        help="rules to measure, e.g. 30,110 or B3/S23,B36/S23 (repeatable)")
    parser.add_argument("--width", type=_int(1), metavar="W",
                        help="cells per row (1-D default 224; 2-D default 64)")
    parser.add_argument("--size", type=_int(1), metavar="N", help="2-D rules: an N x N torus")
    parser.add_argument("--boundary", default="periodic", help="1-D rules: the row's boundary")
    parser.add_argument("--steps", type=_int(8), default=128, metavar="T",
                        help="measured steps (default 128)")
    parser.add_argument("--transient", type=_int(0), metavar="N",
                        help="steps run before measuring (default 256; 0 for a scene)")
    parser.add_argument("--starts", type=_int(1), default=4, metavar="S",
                        help="random starts per rule for damage spreading (default 4)")
    parser.add_argument("--seed", type=_seed, default=0, metavar="S")
    parser.add_argument("--out", metavar="FILE.csv", help="write the table as CSV")
    parser.add_argument("--plot", metavar="FILE.png", help="plot LZ76 against lambda as PNG")
    parser.add_argument("--quiet", "-q", action="store_true", help="print no table")


def split_rules(texts: list[str]) -> list[str]:
    """Rule texts from `--rules` values: comma separated, or semicolon separated if any has one."""
    out: list[str] = []
    for text in texts:
        sep = ";" if ";" in text else ","
        out += [t.strip() for t in text.split(sep) if t.strip()]
    return out


def _check_suffix(path: str | None, suffix: str, flag: str) -> None:
    if path is not None and not path.lower().endswith(suffix):
        raise AlifeError(f"{path!r}; expected a {suffix} file", where=flag)


def _family_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    from alife.families import create
    from alife.instruments.catalogue import batch_config, choose, families_where, measurable
    from alife.instruments.table import measure_rules

    example = choose(args.family, measurable)
    side = args.size or args.width or 64
    config = batch_config(example, args.width or 224, side, boundary=args.boundary)
    rules = split_rules(args.rules)
    if args.all:
        listed = _listed(create(args.family, **config))
        if not listed:
            raise AlifeError(f"the {args.family!r} family does not list its rules; --all is for "
                             f"{', '.join(families_where(_listed_example))}", where="--all")
        rules += listed
    if not rules:
        raise AlifeError("no rules given; expected --all or --rules LIST", where="--rules")
    transient = 256 if args.transient is None else args.transient
    _budget(len(rules), args.starts, args.steps, transient, _cells(config))
    return measure_rules(args.family, rules, config, args.steps, transient, args.starts,
                         args.seed)


def _cells(config: dict[str, Any]) -> int:
    """Cells of one world of `config` (a row's width, or height x width)."""
    width = int(config.get("width", 1))
    height = config.get("height")
    return width * (int(height) if isinstance(height, int) else 1)


def _budget(rules: int, starts: int, steps: int, transient: int, cells: int) -> None:
    """Refuse a measurement whose recorded runs (each rule x start, the run and its perturbed
    twin, every measured step) or whose work would not fit (`alife.core.budget`)."""
    from alife.core import budget

    key = "--starts" if starts > 64 else "--steps" if steps > 4096 else "--size/--width"
    budget.require(key, float(rules) * starts * 2 * cells * (steps + 1) * 4,
                   f"measuring {rules} rule(s) x {starts} start(s) x {steps + 1} steps x "
                   f"{cells:,} cells")
    budget.require_work(key if transient <= steps else "--transient",
                        float(rules) * starts * 2 * cells * (steps + transient),
                        f"{rules} rule(s) x {starts} start(s) x {steps + transient} steps x "
                        f"{cells:,} cells")


def _listed(rule: Any) -> list[str]:
    """Every rule text `rule`'s family lists (`RuleTable.all_rule_texts`), else none."""
    from alife.core.rule import RuleTable

    return list(rule.all_rule_texts()) if isinstance(rule, RuleTable) else []


def _listed_example(rule: Any) -> bool:
    from alife.instruments.catalogue import measurable

    return measurable(rule) and bool(_listed(rule))


def _scene_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    from alife.instruments.table import measure_world
    from alife.scene.io import load_scene

    overrides = [f"seed={args.seed}"] if args.seed else []
    world = load_scene(args.scene, overrides)
    h, w = world.rule.shape
    _budget(1, 1, args.steps, args.transient or 0, int(h) * int(w))
    return [measure_world(world, args.steps, args.transient or 0)]


def _print(rows: list[dict[str, Any]]) -> None:
    width = max(len(str(r["rule"])) for r in rows)
    print(f"{'rule':<{width}}  " + "  ".join(f"{c:>9}" for c in SHOWN[1:]))
    for r in rows:
        cells = [f"{r[c]:>9.4g}" if isinstance(r[c], float) else f"{r[c]:>9}" for c in SHOWN[1:]]
        print(f"{str(r['rule']):<{width}}  " + "  ".join(cells))


def main(args: argparse.Namespace) -> int:
    from alife.instruments.table import plot_rows, write_csv

    _check_suffix(args.out, ".csv", "--out")
    _check_suffix(args.plot, ".png", "--plot")
    if args.scene and (args.family or args.rules or args.all):
        raise AlifeError("give a SCENE or --family with rules, not both")
    if args.scene:
        rows = _scene_rows(args)
    elif args.family:
        rows = _family_rows(args)
    else:
        raise AlifeError("nothing to measure; expected a SCENE or --family NAME with rules")
    if not args.quiet:
        _print(rows)
    try:
        if args.out:
            write_csv(args.out, rows)
        if args.plot:
            plot_rows(args.plot, rows)
    except OSError as exc:
        raise AlifeError(f"cannot write ({exc.strerror or exc})",
                         where=args.out if args.out else args.plot) from None
    if not args.quiet and (args.out or args.plot):
        print(f"wrote {', '.join(p for p in (args.out, args.plot) if p)}", file=sys.stdout)
    return 0
