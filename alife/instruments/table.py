"""All measures for many rules at once: CSV rows and a Langton-style plot.

`measure_rules(family, rules, ...)` builds one rule instance, turns every rule text into params of
that instance (`apply_rule_text`: same structure, same compile) and runs all of them batched over
params and random starts (`spacetime.batch_runs`). Rules whose structure differs (e.g. `B3/S23`
next to a Generations rule) form their own batch. `measure_world(world, ...)` does the same for
one scene's world from its own state. Each row holds:

rule, class, lambda, lz76 (phrases), lz76_norm, zlib, lzma, entropy (bits/cell), block_entropy
(2x2 space-time blocks, bits/cell), damage, spreading, lyapunov, lyapunov_bool (Bagnoli's
exponent, elementary rules on a periodic row only), steps, cells, class_reason.

LZ76 and the compression ratios are taken over at most `MAX_SYMBOLS` cells of the diagram: its
last frames (at least 16 when there are that many), of a centred window of each frame when the
frames are larger.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jax
import numpy as np

from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write, atomic_write_text
from alife.core.rule import BooleanTable, GridEditing, RuleText
from alife.families import create
from alife.instruments.compression import lzma_ratio, zlib_ratio
from alife.instruments.damage import boolean_lyapunov, damage_summary
from alife.instruments.entropy import block_entropy, cell_entropy
from alife.instruments.lambda_ import rule_lambda
from alife.instruments.lz76 import lz76, lz76_normalised
from alife.instruments.spacetime import batch_runs
from alife.instruments.wolfram_class import estimate_class

MAX_SYMBOLS = 1 << 14
COLUMNS = ("rule", "class", "lambda", "lz76", "lz76_norm", "zlib", "lzma", "entropy",
           "block_entropy", "damage", "spreading", "lyapunov", "lyapunov_bool", "steps", "cells",
           "class_reason")


def crop(diagram: np.ndarray, limit: int = MAX_SYMBOLS) -> np.ndarray:
    """The last frames of `diagram` (and a centred window of each) with at most `limit` cells."""
    d = np.asarray(diagram)
    per_frame = int(np.prod(d.shape[1:]))
    frames = min(d.shape[0], 16)  # keep some time depth
    if per_frame * frames > limit:
        side = max(1, int((limit // frames) ** (1.0 / (d.ndim - 1))))
        window = tuple(slice(max(0, (n - side) // 2), max(0, (n - side) // 2) + side)
                       for n in d.shape[1:])
        d = d[(slice(None),) + window]
        per_frame = int(np.prod(d.shape[1:]))
    return d[-max(1, limit // per_frame):]


def measure_diagram(diagram: np.ndarray) -> dict[str, Any]:
    """The diagram-only measures of a `[T, ...]` space-time diagram."""
    d = np.asarray(diagram)
    part = crop(d)
    k = max(2, int(d.max()) + 1)
    block = tuple(min(2, n) for n in part.shape)
    cls, reason = estimate_class(d)
    return {"class": cls, "lz76": lz76(part), "lz76_norm": lz76_normalised(part, alphabet=k),
            "zlib": zlib_ratio(part), "lzma": lzma_ratio(part), "entropy": cell_entropy(d),
            "block_entropy": block_entropy(part, block), "class_reason": reason,
            "steps": d.shape[0], "cells": int(np.prod(d.shape[1:]))}


def _stack(trees: Sequence[Any]) -> Any:
    return jax.tree_util.tree_map(lambda *xs: np.stack([np.asarray(x) for x in xs]), *trees)


def _rows(rule: Any, texts: list[str], params: list[Any], starts: Any, key: jax.Array,
          steps: int, transient: int) -> list[dict[str, Any]]:
    runs = batch_runs(rule, key, starts, _stack(params), steps, transient)
    rows = []
    for i, text in enumerate(texts):
        row = {"rule": text, "lambda": rule_lambda(rule, params[i])}
        row.update(measure_diagram(runs.diagrams[i]))
        row.update(damage_summary(runs.damage[i], runs.cells))
        row["lyapunov_bool"] = _bagnoli(rule, params[i], runs.diagrams[i])
        rows.append(row)
    return rows


def _bagnoli(rule: Any, params: Any, diagram: np.ndarray) -> float:
    """Bagnoli's exponent for 2-state 1-D lookup-table rules on a periodic row (the
    `BooleanTable` capability), else NaN."""
    found = rule.boolean_table(params) if isinstance(rule, BooleanTable) else None
    if found is None:
        return float("nan")
    table, r = found
    return boolean_lyapunov(diagram, np.asarray(table), r)


def measure_rules(family: str, rules: Sequence[str], config: dict[str, Any] | None = None,
                  steps: int = 128, transient: int = 256, starts: int = 4,
                  seed: int = 0) -> list[dict[str, Any]]:
    """Measure every rule text of a family from `starts` random starts (rows in input order)."""
    if not rules:
        raise AlifeError("no rules to measure; expected at least one")
    template = create(family, **dict(config or {}))
    if not isinstance(template, RuleText) or not isinstance(template, GridEditing):
        raise AlifeError(f"family {family!r} takes no rule text", where="--family")
    groups: list[tuple[Any, list[int], list[Any]]] = []
    for i, text in enumerate(rules):
        # parse in the family's default context (a bare "30" is elementary rule 30 even after a
        # totalistic code), then group by the canonical text, which reads the same anywhere
        parsed, p = template.apply_rule_text(text, template.default_params())
        canonical = parsed.rule_text(p) or text
        for base, members, plist in groups:
            rule, q = base.apply_rule_text(canonical, base.default_params())
            if rule is base:
                members.append(i)
                plist.append(q)
                break
        else:
            groups.append((parsed, [i], [p]))
    key = jax.random.PRNGKey(seed)
    out: list[dict[str, Any] | None] = [None] * len(rules)
    for base, members, plist in groups:
        keys = jax.random.split(jax.random.fold_in(key, 1), starts)
        first = base.default_params()
        state = _stack([base.with_cells(base.init(k, first), base.random_cells(k, 0.5))
                        for k in keys])
        rows = _rows(base, [str(rules[i]) for i in members], plist, state, key, steps,
                     transient)
        for i, row in zip(members, rows, strict=True):
            out[i] = row
    return [r for r in out if r is not None]


def measure_world(world: Any, steps: int = 128, transient: int = 0) -> dict[str, Any]:
    """Measures of one world's run from its current state (a scene as loaded)."""
    rule = world.rule
    if not isinstance(rule, GridEditing) or int(rule.num_states) < 2:
        raise AlifeError(f"family {rule.family!r} is continuous; measures need discrete states",
                         where="rule")
    text = rule.rule_text(world.params) if isinstance(rule, RuleText) else rule.family
    starts = _stack([world.state])
    return _rows(rule, [text or rule.family], [world.params], starts, world.key, steps,
                 transient)[0]


def write_csv(path: str | Path, rows: list[dict[str, Any]]) -> None:
    """Rows as CSV (the COLUMNS order), written atomically."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in row.items()})
    atomic_write_text(path, buffer.getvalue())


CLASS_COLOURS = {1: (90, 90, 90), 2: (40, 110, 220), 3: (220, 50, 40), 4: (30, 160, 60)}


def plot_rows(path: str | Path, rows: list[dict[str, Any]], x: str = "lambda",
              y: str = "lz76_norm", size: tuple[int, int] = (720, 480)) -> None:
    """A PNG scatter of `y` against `x`, one dot per rule coloured by its class (Langton 1990)."""
    from PIL import Image, ImageDraw

    w, h = size
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    left, right, top, bottom = 60, w - 110, 30, h - 45
    draw.rectangle([left, top, right, bottom], outline="black")
    draw.text((left, 8), f"{y} against {x} ({len(rows)} rules)", fill="black")
    pts = [(float(r[x]), float(r[y]), int(r["class"])) for r in rows
           if math.isfinite(float(r[x])) and math.isfinite(float(r[y]))]
    if pts:
        x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
        y0, y1 = min(0.0, min(p[1] for p in pts)), max(p[1] for p in pts)
        x1, y1 = (x1 if x1 > x0 else x0 + 1), (y1 if y1 > y0 else y0 + 1)
        rng = np.random.default_rng(0)  # a little jitter: many rules share a lambda
        for px, py, c in pts:
            u = left + (px - x0) / (x1 - x0) * (right - left) + rng.uniform(-3, 3)
            v = bottom - (py - y0) / (y1 - y0) * (bottom - top)
            draw.ellipse([u - 3, v - 3, u + 3, v + 3], fill=CLASS_COLOURS.get(c, (0, 0, 0)))
        for frac in (0.0, 0.5, 1.0):
            draw.text((left + frac * (right - left) - 10, bottom + 6),
                      f"{x0 + frac * (x1 - x0):.2f}", fill="black")
            draw.text((8, bottom - frac * (bottom - top) - 6), f"{y0 + frac * (y1 - y0):.2f}",
                      fill="black")
    draw.text(((left + right) // 2 - 20, h - 20), x, fill="black")
    for i, (c, colour) in enumerate(sorted(CLASS_COLOURS.items())):
        draw.ellipse([right + 15, top + 20 * i + 4, right + 23, top + 20 * i + 12], fill=colour)
        draw.text((right + 30, top + 20 * i), f"class {c}", fill="black")
    atomic_write(path, lambda f: img.save(f, format="PNG"))
