"""LifeGPT's data: its text format, its train/validation split and its named test patterns.

Berkovich, Buehler et al., "LifeGPT: Topology-agnostic generative pretrained transformer model
for cellular automata" (2024): Conway's Life (B3/S23) on a 32x32 torus; initial states are
Bernoulli(rho) soups, either "broad entropy" (rho ramps from 0 to 1 across the samples) or "high
entropy" (rho = 0.5); 10,000 training and 1,000 validation starts, each giving `successive`
(state, next state) pairs. The test set: soups with rho in {0, 0.25, 0.5, 0.75, 1} and the named
patterns glider, cloverleaf (LifeWiki's "cloverleaf interchange", a 56-cell still life; which
cloverleaf the paper drew is not verified here), hammerhead (a c/2 spaceship), blinkers (four)
and the r-pentomino, each centred on the grid.

A sample is one line of text, tokenised by character; the model never sees the grid size:

    @PredictNextState<0100...(1024 cells, row-major)> [0010...(the next state)]$

Splits are disjoint by construction: training uses sample keys 0..N-1 of `seed`, validation
those of `seed + 1`, test soups those of `seed + 2`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jax
import numpy as np

from alife.core import rollout
from alife.core.fileio import atomic_write_bytes, atomic_write_text
from alife.instruments import dataset
from alife.rules.life import LifeRule
from alife.scene.rle import parse_rle

PREFIX, MIDDLE, SUFFIX = "@PredictNextState<", "> [", "]$"
SIZE = 32
TEST_DENSITIES = (0.0, 0.25, 0.5, 0.75, 1.0)

# LifeWiki's patterns, as RLE bodies (B3/S23)
PATTERNS = {  # name: (width, height, RLE body)
    "glider": (3, 3, "bob$2bo$3o!"),
    "cloverleaf": (13, 13, "4bo3bo$3bobobobo$3bobobobo$b2o2bobo2b2o$o4bobo4bo$b4o3b4o2$b4o3b4o$"
                           "o4bobo4bo$b2o2bobo2b2o$3bobobobo$3bobobobo$4bo3bo!"),
    "hammerhead": (18, 16, "5o13b$o4bo7b2o3b$o11b2ob3o$bo9b2ob4o$3b2o3b2ob2o2b2ob$5bo4bo2bo4b$"
                           "6bobobobo5b$7bo10b$7bo10b$6bobobobo5b$5bo4bo2bo4b$3b2o3b2ob2o2b2ob$"
                           "bo9b2ob4o$o11b2ob3o$o4bo7b2o3b$5o!"),
    "blinkers": (9, 6, "3o3b3o5$3o3b3o!"),
    "r-pentomino": (3, 3, "b2o$2o$bo!"),
}


def pattern(name: str, size: int = SIZE) -> np.ndarray:
    """A named test pattern centred on a `size` x `size` grid (uint8)."""
    w, h, body = PATTERNS[name]
    cells = parse_rle(f"x = {w}, y = {h}\n{body}", where=name).cells
    grid = np.zeros((size, size), np.uint8)
    h, w = cells.shape
    top, left = (size - h) // 2, (size - w) // 2
    grid[top:top + h, left:left + w] = cells
    return grid


def to_text(x: np.ndarray, y: np.ndarray) -> str:
    """LifeGPT lines for pairs `x`, `y` `[n, H, W]` of 0/1 cells (one line per pair)."""
    flat_x = x.reshape(len(x), -1).astype(np.uint8) + ord("0")
    flat_y = y.reshape(len(y), -1).astype(np.uint8) + ord("0")
    return "".join(f"{PREFIX}{a.tobytes().decode()}{MIDDLE}{b.tobytes().decode()}{SUFFIX}\n"
                   for a, b in zip(flat_x, flat_y, strict=True))


def from_text(text: str, shape: tuple[int, int] = (SIZE, SIZE)) -> tuple[np.ndarray, np.ndarray]:
    """Parse LifeGPT lines back into `(x, y)` uint8 `[n, H, W]`."""
    xs, ys = [], []
    for line in text.splitlines():
        if not line:
            continue
        body = line[len(PREFIX):-len(SUFFIX)]
        a, b = body.split(MIDDLE)
        xs.append(np.frombuffer(a.encode(), np.uint8) - ord("0"))
        ys.append(np.frombuffer(b.encode(), np.uint8) - ord("0"))
    return (np.stack(xs).reshape((-1,) + shape), np.stack(ys).reshape((-1,) + shape))


def _text_writer(name: str):
    def write(j: int, arrays: dict[str, np.ndarray]) -> tuple[str, bytes]:
        return f"{name}-{j:05d}.txt", to_text(arrays["x"], arrays["y"]).encode()

    return write


def write_split(out: str | Path, train: int = 10_000, val: int = 1_000, successive: int = 1,
                entropy: str = "broad", seed: int = 0, shard_size: int = 10_000,
                text: bool = True) -> dict[str, Any]:
    """Write `train/`, `val/` and `test/` folders (each with its manifest) under `out`."""
    out = Path(out)
    rule = LifeRule("B3/S23", SIZE, SIZE, "torus")
    params = rule.default_params()
    density = "ramp" if entropy == "broad" else 0.5
    manifests = {}
    for split, count, s in (("train", train, seed), ("val", val, seed + 1)):
        spec = dataset.Spec(count=count, seed=s, successive=successive, density=density,
                            shard_size=shard_size, extra={"lifegpt": split, "entropy": entropy})
        writer = _text_writer(split) if text else None
        manifests[split] = dataset.write(out / split, rule, params, spec, writer)
    manifests["test"] = write_test(out / "test", seed + 2, successive, text)
    return manifests


def write_test(out: str | Path, seed: int = 2, successive: int = 1,
               text: bool = True) -> dict[str, Any]:
    """The test set: one soup per test density, then the named patterns, in that order."""
    rule = LifeRule("B3/S23", SIZE, SIZE, "torus")
    params = rule.default_params()
    names = [f"rho={r}" for r in TEST_DENSITIES] + list(PATTERNS)
    starts = []
    for i, rho in enumerate(TEST_DENSITIES):
        spec = dataset.Spec(count=1, seed=seed, successive=1, density=rho)
        starts.append(dataset.generate(rule, params, spec, i, 1)["x"][0])
    starts += [pattern(name) for name in PATTERNS]
    xs, ys = [], []
    for cells in starts:
        state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), cells)
        _, rec = rollout.run(rule, jax.random.PRNGKey(0), state, params, successive,
                             record_every=1)
        seq = np.concatenate([cells[None], np.asarray(jax.vmap(rule.cells)(rec))]).astype(np.uint8)
        xs.append(seq[:-1])
        ys.append(seq[1:])
    x, y = np.concatenate(xs), np.concatenate(ys)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if text:
        atomic_write_text(out / "test.txt", to_text(x, y))
    data = dataset.npz_bytes(dataset.pack({"x": x, "y": y}, True))
    atomic_write_bytes(out / "test.npz", data)
    manifest = {"format": dataset.FORMAT, "version": dataset.VERSION, "kind": "pairs",
                **dataset.rule_info(rule, params), "lifegpt": "test", "names": names,
                "successive": successive, "count": len(starts), "seed": seed,
                "shapes": {"x": [SIZE, SIZE], "y": [SIZE, SIZE]}, "packed": True,
                "shards": [{"file": "test.npz", "first": 0, "count": len(starts),
                            "sha256": hashlib.sha256(data).hexdigest()}]}
    atomic_write_text(out / "manifest.json", json.dumps(manifest, indent=1) + "\n")
    return manifest
