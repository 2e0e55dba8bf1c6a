"""Roofline: for every family, the work a step needs, our rate, this CPU's peak, the fraction.

One line per family (issue 20): the work per cell and step stated from the algorithm (64-bit
word operations for the bit-sliced families, float32 flops for the others, and the bytes a step
must move), our measured rate per CPU-second (the family bench's own setup, `rollout.run`,
median of `--repeats`), the roof this CPU allows (`roofline_probe.py`: the lower of the
compute roof, peak / work, and the memory roof, bandwidth / bytes, the latter only where the
working set is past the 32 MiB L3), the fraction of the roof we reach, and the anchor ratio where
the family's bench has one, measured here in the same run (per CPU-second) or "not run".

Where the algorithm is not hand-countable here (ViTCA, Biomaker, agents, touching loops, rule
tables) the work is XLA's own count of the compiled step (`cost_analysis`), said so.

Usage: python benchmarks/roofline.py [--quick] [--repeats 3] [--no-anchors] [--only life,lenia]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roofline_probe import describe, probe  # noqa: E402
from timing import wall_and_cpu  # noqa: E402

from alife import families  # noqa: E402
from alife.core.rollout import run  # noqa: E402

L3_BYTES = 32 << 20


@dataclass
class Work:
    """Per cell and step: `ops` (64-bit word ops or float32 flops, by `unit`) and `bytes`
    moved to and from memory, how they were obtained, and the working set in bytes."""

    ops: float
    unit: str  # "wordop" or "flop"
    bytes: float
    source: str
    working_set: float


# ---- work per step, stated from the algorithm ---------------------------------------------
# Life-like, bit-packed (alife/rules/life/bitpacked.py), Moore: per 32-cell uint32 word, west
# and east words of each padded row (3 ops each, shared by the rows above and below: ~6 a word),
# horizontal full adders (5) of every row, the W+E half adder (2), two full adders and two half
# adders into four count planes (~14): ~27; then the rule. The many-step path runs the rule it
# was built with folded into the step (B3/S23: (alive | b0) & b1 & ~b2 & ~b3, ~5 ops): ~32
# uint32 ops per 32 cells = 16 64-bit word ops per 64 cells (a 512-bit instruction does 16
# uint32 or 8 uint64 ops: the same bits). Other tables take the traced lookup (9 entries at 2
# ops and a 15-node multiplexer tree, ~42 more). Bytes: each word read once and written once
# per step (rows above and below hit the cache): 8 bytes per 32 cells.
LIFE_WORDOPS_PER_CELL = 32 / 64
# Elementary, k=2 r=1 (alife/rules/elementary/bitpacked.py): per word, left and right
# neighbours (3 ops each) and a 3-level multiplexer tree over the 8 table entries (4 nodes
# with scalar leaves at 2 ops, 3 at 3 ops): ~23 uint32 ops per 32 cells; 8 bytes per 32 cells.
ECA_WORDOPS_PER_CELL = 23 / 64
PACKED_BYTES_PER_CELL = 8 / 32


def life_work(rule) -> Work:
    h, w = rule.shape
    return Work(LIFE_WORDOPS_PER_CELL, "wordop", PACKED_BYTES_PER_CELL, "algorithm",
                2 * h * w / 8)


def eca_work(rule) -> Work:
    return Work(ECA_WORDOPS_PER_CELL, "wordop", PACKED_BYTES_PER_CELL, "algorithm",
                rule.width / 4 + rule.history * rule.width / 8)


def lenia_work(rule) -> Work:
    """Orbium, one kernel by FFT: a real 2-D FFT of the N = H*W cells and its inverse, ~2.5 N
    log2 N flops each (half a complex FFT's 5 N log2 N), the spectrum product (6 flops per
    complex bin, N/2 bins) and growth + update (~15 flops a cell). Bytes: the FFTs pass over
    the complex spectrum (8 bytes a bin) about log2(N)/2 times each way in a cache-blind
    reckoning; counted here as the floor: the state read and written and the spectrum written
    and read, 4 + 4 + 2 * 8 / 2 * 2 = 24 bytes a cell."""
    h, w = rule.shape
    n = h * w
    flops = 5.0 * np.log2(n) + 3.0 + 15.0
    return Work(flops, "flop", 24.0, "algorithm", 4 * n * 4)


def nca_work(rule) -> Work:
    """Growing NCA (Mordvintsev et al. 2020): per cell, identity + Sobel x/y depthwise 3x3 on C
    channels (3 * 9 * C multiply-adds), the stochastic update mask and the alive max-pools
    (~20 C); the network (dense 3C -> hidden, ReLU, dense hidden -> C) only where its output is
    used: the fired cells (fire rate 0.5 on a full canvas; `alife.rules.nca.sparse`). Bytes:
    the C float32 state read and written, and for the fired cells the gathered perception (3C)
    and hidden activations written and read."""
    c = rule.channels
    hidden = rule.hidden
    fire = rule.fire_rate
    flops = 2 * 27 * c + fire * 2 * (3 * c * hidden + hidden * c) + 20 * c
    h, w = rule.shape
    return Work(float(flops), "flop", 4.0 * (2 * c + fire * (2 * 3 * c + 2 * hidden)),
                "algorithm", 4.0 * h * w * (2 * c + fire * (3 * c + hidden)))


def xla_work(rule, params, state) -> Work:
    """XLA's count of one step (its HLO before optimisation: no second compile): flops and
    bytes accessed, per cell. The bytes count every op's operands, cache hits included, so
    they give no memory roof."""
    key = jax.random.PRNGKey(0)
    cost = jax.jit(rule.step).lower(key, state, params).cost_analysis()
    if isinstance(cost, list):  # older jax: one dict per computation
        cost = cost[0] if cost else {}
    h, w = rule.shape
    cells = h * w
    leaves = jax.tree_util.tree_leaves(state)
    size = float(sum(np.asarray(x).nbytes for x in leaves))
    return Work(float(cost.get("flops", 0.0)) / cells, "flop",
                float(cost.get("bytes accessed", 0.0)) / cells, "XLA count", size)


# ---- cases ------------------------------------------------------------------------------
@dataclass
class Case:
    label: str
    family: str
    config: dict
    steps: int
    quick_steps: int
    work: Callable


CASES = [
    Case("Life B3/S23 1024^2", "life", {"rule": "B3/S23", "width": 1024, "height": 1024,
                                       "density": 0.3}, 4000, 800, life_work),
    Case("rule 110, 2^20 cells", "elementary", {"rule": 110, "width": 1 << 20, "history": 64,
                                               "start": "random"}, 20000, 4000, eca_work),
    Case("Lenia Orbium 512^2", "lenia", {"width": 512, "height": 512, "start": "orbium"},
         100, 20, lenia_work),
    Case("Growing NCA 256^2", "nca", {"width": 256, "height": 256}, 40, 8, nca_work),
    Case("ViTCA 64^2", "vitca", {"width": 64, "height": 64}, 20, 4, None),
    Case("Biomaker 72x128", "biomaker", {"preset": "persistence", "width": "landscape",
                                          "height": 72, "net": "extended"}, 40, 8, None),
    Case("Agents, defaults", "agents", {}, 20, 4, None),
    Case("touching loops 128^2", "templates", {"width": 128, "height": 128}, 400, 80, None),
    Case("WireWorld 512^2", "ruletable", {"rule": "WireWorld", "width": 512, "height": 512,
                                          "density": 0.3}, 200, 40, None),
]


def rates(go: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of `go()` after one untimed call."""
    go()
    runs = [wall_and_cpu(go) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def ours(case: Case, steps: int, repeats: int) -> dict:
    rule = families.create(case.family, **case.config)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    if case.family == "nca":  # a full canvas, as bench_nca_inference.py: from the seed nearly
        from bench_nca_inference import start  # every cell is dead and the network skips them

        state = type(state)(start(rule.shape[0]), state.generation)
    key = jax.random.PRNGKey(1)
    wall, cpu = rates(lambda: jax.block_until_ready(run(rule, key, state, params, steps)),
                      repeats)
    h, w = rule.shape
    cells = w if case.family == "elementary" else h * w
    work = case.work(rule) if case.work else xla_work(rule, params, state)
    return {"rule": rule, "state": state, "cells": cells, "work": work,
            "steps_cpu": steps / cpu, "steps_wall": steps / wall}


# ---- anchors, measured here with the family bench's code --------------------------------
def anchor(case: Case, got: dict, repeats: int, quick: bool) -> str:
    """The family bench's anchor ratio (ours / anchor, per CPU-second), or why not."""
    here = got["steps_cpu"]
    if case.family == "life":
        from bench_life_c import measure

        r = measure(1024, 400 if quick else 2000, repeats, check_steps=50)
        if "c_cpu" not in r:
            return "C: no compiler"
        same = "same grid" if r["mismatches"] == 0 else f"{r['mismatches']} cells DIFFER"
        extra = ""
        if not quick:
            extra = "; CAX " + _cax_life(got, here, repeats)
        return f"C ref {r['ours_cpu'] / r['c_cpu']:.2f}x ({same}){extra}"
    if quick:
        return "not run (--quick)"
    if case.family == "elementary":
        return "CAX " + _cax_eca(got, here, repeats)
    if case.family == "lenia":
        from bench_lenia import cax

        go = cax(512, 10, got["state"].cells)
        _, cpu = rates(go, repeats)
        return f"CAX {here / (10 / cpu):.1f}x"
    if case.family == "nca":
        from bench_nca_inference import cax

        go = cax(256, 2)
        _, cpu = rates(go, repeats)
        return f"CAX {here / (2 / cpu):.1f}x"
    return {"biomaker": "not run (bench_biomaker.py --reference DIR)",
            "agents": "not run (bench_agents.py --reference DIR)",
            "ruletable": "not run (bench_ruletable.py: bgolly)",
            "vitca": "none (bench_vitca_inference: own dense-mask baseline)",
            }.get(case.family, "none")


def _cax_life(got: dict, here: float, repeats: int) -> str:
    from bench_life import cax

    start = np.asarray(got["rule"].cells(got["state"]))
    try:
        go = cax("B3/S23", start, 4)
    except ImportError:
        return "not installed"
    _, cpu = rates(go, repeats)
    return f"{here / (4 / cpu):.0f}x"


def _cax_eca(got: dict, here: float, repeats: int) -> str:
    try:
        from cax.cs.elementary import Elementary
        from flax import nnx
    except ImportError:
        return "not installed"
    rule = got["rule"]
    system = Elementary(wolfram_code=Elementary.wolfram_code_from_rule_number(110),
                        rngs=nnx.Rngs(0))
    start = rule.cells(got["state"])[-1].astype(jnp.float32)[:, None]
    _, cpu = rates(lambda: system(start, num_steps=20).block_until_ready(), repeats)
    return f"{here / (20 / cpu):.0f}x"


# ---- the table -----------------------------------------------------------------------------
def roof(work: Work, peak: dict) -> tuple[float, str]:
    """Cell updates per CPU-second this core allows, and what bounds it."""
    compute = (peak["ops_per_cpu_s_core"] if work.unit == "wordop"
               else peak["flops_per_cpu_s_core"]) / max(work.ops, 1e-12)
    if work.source == "algorithm" and work.working_set > L3_BYTES and work.bytes > 0:
        memory = peak["triad_Bps_1"] / work.bytes
        if memory < compute:
            return memory, "memory"
    return compute, "compute" if work.unit == "wordop" else "flops"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps, anchors only for "
                        "Life (about a minute)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-anchors", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated families")
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    known = {c.family for c in CASES}
    if only - known:
        print(f"--only {args.only}: unknown families {sorted(only - known)}; expected some of "
              f"{sorted(known)}", file=sys.stderr)
        sys.exit(2)
    repeats = 1 if args.quick else max(1, args.repeats)
    peak = probe()
    print("\n".join(describe(peak)))
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}; load average "
          f"{os.getloadavg()[0]:.2f}; rates per CPU-second of this process, median of "
          f"{repeats}; roof = one core's peak / work (memory roof where the working set is past "
          "L3)")
    print(f"{'case':<22} {'work per cell-step':>26} {'ours cells/CPU-s':>17} "
          f"{'roof':>9} {'bound':>7} {'of roof':>7}  anchor (ours / theirs per CPU-s)")
    for case in CASES:
        if only and case.family not in only:
            continue
        try:
            got = ours(case, case.quick_steps if args.quick else case.steps, repeats)
        except Exception as exc:  # one broken family must not hide the rest
            print(f"{case.label:<22} failed: {type(exc).__name__}: {str(exc)[:90]}")
            continue
        work: Work = got["work"]
        rate = got["steps_cpu"] * got["cells"]
        top, bound = roof(work, peak)
        unit = "wop" if work.unit == "wordop" else "flop"
        text = f"{work.ops:.3g} {unit}, {work.bytes:.3g} B" + (" (XLA)" if work.source !=
                                                                "algorithm" else "")
        anchor_text = "not run" if args.no_anchors else anchor(case, got, repeats, args.quick)
        print(f"{case.label:<22} {text:>26} {rate:17.3e} {top:9.2e} {bound:>7} "
              f"{rate / top:7.1%}  {anchor_text}", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.2f}. wop = 64-bit word operation; "
          "ops counted from the algorithm unless marked XLA (its cost_analysis of one step)")


if __name__ == "__main__":
    main()
