"""`alife dataset`: reproducible, sharded training sets of CA transitions (docs/instruments.md).

    alife dataset pairs --family life --rule B3/S23 --size 32 --count 10000 --out life32
    alife dataset pairs --family life --rule 'B36/S23:K64*,48' --k 4 --successive 3 --out hl
    alife dataset pairs --scene scenes/life/day_and_night.yaml --density ramp --out dn
    alife dataset windows --rule 110 --width 64 --rows 16 --count 2000 --out r110
    alife dataset lifegpt --out lifegpt --entropy broad      # LifeGPT's split and text format

Every folder gets `manifest.json` (rule, topology, shapes, seed, counts, each shard's SHA-256).
`--format npz` (default) writes bit-packed `.npz` shards; `--format text` writes LifeGPT-style
lines for 2-state pairs (the default for `lifegpt`, whose test set also gets an `.npz`, and a
`test.csv` in LifeGPT's own layout).
The same arguments give the same bytes. `--family` takes any family whose rules take rule text
on a grid of discrete states (`alife.instruments.catalogue`; windows need a 1-D space-time one);
without `--rule`, the family's example rule is used.
"""

from __future__ import annotations

import argparse
import sys
import time

from alife.commands.argtypes import int_at_least as _int
from alife.commands.argtypes import seed as _seed
from alife.core.errors import AlifeError

KINDS = ("pairs", "windows", "lifegpt")
DEFAULT_FAMILY = "life"  # pairs without --family (windows: the first 1-D space-time family)
FORMATS = ("npz", "text")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", metavar="KIND", help="pairs, windows or lifegpt")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--family", metavar="NAME",
                        help="life (default for pairs), elementary (default for windows), ...")
    parser.add_argument("--rule", metavar="RULE",
                        help="rule text, e.g. B3/S23 or 110 (default: the family's example)")
    parser.add_argument("--scene", metavar="SCENE", help="take rule, config and params from here")
    parser.add_argument("--size", type=_int(1), metavar="N", help="2-D rules: an N x N grid (32)")
    parser.add_argument("--width", type=_int(1), metavar="W", help="1-D rules: cells per row (64)")
    parser.add_argument("--topology", default="torus", help="2-D topology (torus, plane, ...)")
    parser.add_argument("--boundary", default="periodic", help="1-D rules: the row's boundary")
    parser.add_argument("--count", type=_int(1), default=1024, metavar="N",
                        help="random starts (default 1024)")
    parser.add_argument("--k", type=_int(1), default=1, help="steps between paired states")
    parser.add_argument("--successive", type=_int(1), default=1, metavar="M",
                        help="pairs per start (s_0,s_k), (s_k,s_2k), ... (default 1)")
    parser.add_argument("--burn-in", type=_int(0), default=0, metavar="T",
                        help="steps before the first state")
    parser.add_argument("--rows", type=_int(2), default=16, help="window height (windows)")
    parser.add_argument("--density", default="0.5",
                        help="start density: a number 0..1, ramp or uniform (default 0.5)")
    parser.add_argument("--seed", type=_seed, default=0)
    parser.add_argument("--shard-size", type=_int(1), default=4096, metavar="N")
    parser.add_argument("--format", help="npz (default) or text (default for lifegpt)")
    parser.add_argument("--train", type=_int(1), default=10_000, help="lifegpt: training starts")
    parser.add_argument("--val", type=_int(1), default=1_000, help="lifegpt: validation starts")
    parser.add_argument("--entropy", default="broad", help="lifegpt: broad or high")
    parser.add_argument("--quiet", "-q", action="store_true")


def _choice(value: str, options: tuple[str, ...], flag: str) -> str:
    if value not in options:
        raise AlifeError(f"{value!r}; expected one of {', '.join(options)}", where=flag)
    return value


def _density(text: str) -> str | float:
    if text in ("ramp", "uniform"):
        return text
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise AlifeError(f"{text!r}; expected a number 0..1, ramp or uniform", where="--density")
    return value


def _rule(args: argparse.Namespace):
    from alife.families import create
    from alife.instruments.catalogue import (
        batch_config,
        choose,
        families_where,
        measurable,
        windowed,
    )

    if args.scene:
        from alife.scene.io import load_scene

        world = load_scene(args.scene)
        return world.rule, world.params
    test = windowed if args.kind == "windows" else measurable
    name = args.family or (DEFAULT_FAMILY if args.kind == "pairs" else
                           (families_where(windowed) or [DEFAULT_FAMILY])[0])
    example = choose(name, test)
    config = batch_config(example, args.width or 64, args.size or 32, boundary=args.boundary,
                          topology=args.topology)
    base = create(name, **config)
    text = args.rule or example.rule_text(example.default_params()) or ""
    return base.apply_rule_text(text, base.default_params())  # codes, suffixes, ...


def _budget(kind: str, cells: int, args: argparse.Namespace, count: int) -> None:
    """Refuse a set whose shard (starts x cells x states held) would not fit in memory, or whose
    stepping (starts x steps x cells) would not end (`alife.core.budget`)."""
    from alife.core import budget

    held = args.rows if kind == "windows" else args.successive + 1
    per_shard = min(args.shard_size, count)
    key = "--shard-size" if args.shard_size <= count else "--count"
    budget.require(key if cells <= 1 << 16 else "--size/--width",
                   float(per_shard) * cells * (held + 1) * 4 * 2,
                   f"a shard of {per_shard:,} samples x {cells:,} cells x {held} states")
    steps = args.burn_in + args.k * max(args.successive, args.rows if kind == "windows" else 1)
    budget.require_work("--count", float(count) * cells * steps,
                        f"{count:,} starts x {steps:,} steps x {cells:,} cells")


def main(args: argparse.Namespace) -> int:
    from alife.instruments import dataset, dataset_lifegpt
    from alife.instruments.catalogue import families_where, windowed

    kind = _choice(args.kind, KINDS, "KIND")
    fmt = _choice(args.format or ("text" if kind == "lifegpt" else "npz"), FORMATS, "--format")
    _choice(args.entropy, ("broad", "high"), "--entropy")
    started = time.perf_counter()
    if kind == "lifegpt":
        _budget(kind, dataset_lifegpt.SIZE ** 2, args, args.train + args.val)
        manifests = dataset_lifegpt.write_split(args.out, args.train, args.val, args.successive,
                                                args.entropy, args.seed, args.shard_size,
                                                text=fmt == "text")
        count = sum(m["count"] * m.get("successive", 1) for m in manifests.values())
    else:
        rule, params = _rule(args)
        if kind == "windows" and not windowed(rule):
            raise AlifeError(f"windows are for 1-D space-time families "
                             f"({', '.join(families_where(windowed))}); got {rule.family!r}",
                             where="KIND")
        if fmt == "text" and (kind != "pairs" or int(rule.num_states) != 2):
            raise AlifeError("text is for 2-state pairs; use npz", where="--format")
        height, width = (int(n) for n in rule.shape)
        _budget(kind, width * args.rows if kind == "windows" else height * width, args,
                args.count)
        spec = dataset.Spec(kind=kind, count=args.count, seed=args.seed, k=args.k,
                            successive=args.successive, burn_in=args.burn_in,
                            density=_density(args.density), rows=args.rows,
                            shard_size=args.shard_size)
        writer = dataset_lifegpt._text_writer("pairs") if fmt == "text" else None
        manifest = dataset.write(args.out, rule, params, spec, writer)
        count = manifest["count"] * (manifest["successive"] if kind == "pairs" else 1)
    seconds = time.perf_counter() - started
    if not args.quiet:
        print(f"wrote {count} samples to {args.out} in {seconds:.2f} s "
              f"({count / max(seconds, 1e-9):.3g} samples/s, compile included)", file=sys.stdout)
    return 0
