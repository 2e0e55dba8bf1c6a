"""LifeGPT's data: its text format, its train/validation split and its test set.

Berkovich, Buehler et al., "LifeGPT: Topology-agnostic generative pretrained transformer model
for cellular automata" (2024): Conway's Life (B3/S23) on a 32x32 torus; initial states are
Bernoulli(rho) soups, either "broad entropy" (rho ramps from 0 to 1 across the samples) or "high
entropy" (rho = 0.5); 10,000 training and 1,000 validation starts, each giving `successive`
(state, next state) pairs.

The test set is LifeGPT's own file, cell for cell: `LifeGPT/conway_test_states_32by32_20240716_
151502.csv` in github.com/lamm-mit/LifeGPT (commit b037a3779514811a1bcd334192b8a332035c96c3,
Apache-2.0), the file their training script evaluates on. Ten starts in this order: soups with
rho = 0, 0.25, 0.5, 0.75, 1 (their three random draws are copied below, since an unseeded NumPy
draw cannot be repeated), then the glider, cloverleaf, hammerhead, blinkers and r-pentomino as
their `conway_lib/game.py` places them (top-left corner + 5, or at the corner for the blinkers
and r-pentomino). Their file has one row per start with columns `State 1` .. `State 10`, each a
1024-character row-major string; `write_test` writes that file again byte for byte (`test.csv`;
`states=250` gives their `..._20240827_172807.csv`).

A sample is one line of text, tokenised by character; the model never sees the grid size:

    @PredictNextState<0100...(1024 cells, row-major)> [0010...(the next state)]$

Splits are disjoint by construction: training uses sample keys 0..N-1 of `seed`, validation
those of `seed + 1`; the test set is fixed.
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

PREFIX, MIDDLE, SUFFIX = "@PredictNextState<", "> [", "]$"
SIZE = 32
TEST_DENSITIES = (0.0, 0.25, 0.5, 0.75, 1.0)

# LifeGPT's named test patterns at their positions on the 32x32 grid: name: (top, left, rows),
# as `conway_lib/game.py` places them (the glider is the first of its `place_gliders`, the one
# their test file holds)
PATTERNS = {
    "glider": (9, 12, ["OO.",
                       ".OO",
                       "O.."]),
    "cloverleaf": (6, 11, ["..OO...OO..",
                           ".O..O.O..O.",
                           ".O.OO.OO.O.",
                           "OO.......OO",
                           "..O.O.O.O..",
                           "OO.......OO",
                           ".O.OO.OO.O.",
                           ".O..O.O..O.",
                           "..OO...OO.."]),
    "hammerhead": (6, 7, ["OOOOO.............",
                          "O....O.......OO...",
                          "O...........OO.OOO",
                          ".O.........OO.OOOO",
                          "...OO...OO.OO..OO.",
                          ".....O....O..O....",
                          "......O.O.O.O.....",
                          ".......O..........",
                          ".......O..........",
                          "......O.O.O.O.....",
                          ".....O....O..O....",
                          "...OO...OO.OO..OO.",
                          ".O.........OO.OOOO",
                          "O...........OO.OOO",
                          "O....O.......OO...",
                          "OOOOO............."]),
    "blinkers": (0, 0, ["OOO.............",
                        "................",
                        "................",
                        ".......OOO......",
                        "................",
                        "................",
                        "................",
                        ".......OOO......",
                        "...............O",
                        "...............O",
                        "...............O"]),
    "r-pentomino": (0, 0, [".OO",
                           "OO.",
                           ".O."]),
}

# LifeGPT's soups at rho = 0.25, 0.5, 0.75 (their test file's rows 2-4, `State 1`), as
# np.packbits of the row-major cells, in hex; rho = 0 and 1 are the empty and the full grid
SOUPS = {
    0.25: "390433800061b20564100400023c03c11b2440241024119189349810e4a1b490"
          "09dc868a254522111183016830a00180a0e90800185028c4249014000000a818"
          "9080541400285a2c60142ca9928941404c2802381c0885000004280005b2100a"
          "94a04b8004000008c01004424000c9a0080000610400e8450680088016110480",
    0.5: "331c6897fbaf976749a19f29012a504c607acd119cb7e27d2f054a037960d47a"
         "295420a4684444f85f15d202fa4adcec5acab7beba1149c8568a0c482345d7d6"
         "6f39288fa7d09ccde9df827fea4c6ef62e17f92b43f696390c2631e67953c1e5"
         "ab152f0ba4180d1638a1eabcb73e9917e0ad8877a5650b8f5503ef22bdcb348f",
    0.75: "db5fffaf7dffe21eea3fffb7d9f6bf9f4bb55eecffbbfcbffbfc39fceeef9ffe"
          "2fdf3fdff3d771bdfcf75bffffffef7f4f7efbf5d7fff7ddd7dba56effc7fdee"
          "d7bdfee77bff5f4c6fd24ea4db5fc5ff79bbfebe75bb677bc7f7eedf67ae57fe"
          "dbd79e77dfcfdf5fbd7bf4771f5dfad74fbf7d6fedefdefbde5ffd7def7f5a9f",
}
SOURCE = ("github.com/lamm-mit/LifeGPT b037a3779514811a1bcd334192b8a332035c96c3 "
          "LifeGPT/conway_test_states_32by32_20240716_151502.csv")


def pattern(name: str, size: int = SIZE) -> np.ndarray:
    """A named test pattern where LifeGPT's test file has it, on a `size` x `size` grid (uint8)."""
    top, left, rows = PATTERNS[name]
    cells = np.array([[c == "O" for c in row] for row in rows], np.uint8)
    h, w = cells.shape
    if top + h > size or left + w > size:
        raise ValueError(f"{name} needs a grid of at least {max(top + h, left + w)} cells")
    grid = np.zeros((size, size), np.uint8)
    grid[top:top + h, left:left + w] = cells
    return grid


def soup(rho: float) -> np.ndarray:
    """LifeGPT's test soup at density `rho` (one of `TEST_DENSITIES`), 32x32 uint8."""
    if rho in (0.0, 1.0):
        return np.full((SIZE, SIZE), int(rho), np.uint8)
    bits = np.unpackbits(np.frombuffer(bytes.fromhex(SOUPS[rho]), np.uint8))
    return bits.reshape(SIZE, SIZE)


def starts() -> tuple[list[str], np.ndarray]:
    """The test set's names and start grids `[10, 32, 32]`, in LifeGPT's order."""
    names = [f"rho={r}" for r in TEST_DENSITIES] + list(PATTERNS)
    grids = [soup(r) for r in TEST_DENSITIES] + [pattern(n) for n in PATTERNS]
    return names, np.stack(grids)


def to_csv(seq: np.ndarray) -> str:
    """LifeGPT's test-file CSV for runs `seq` `[n, states, H, W]`: columns `State 1`.., one row
    per run, each cell a row-major 0/1 string (pandas' `to_csv(index=False)` layout)."""
    flat = seq.reshape(seq.shape[0], seq.shape[1], -1).astype(np.uint8) + ord("0")
    header = ",".join(f"State {i + 1}" for i in range(seq.shape[1]))
    return header + "\n" + "".join(",".join(s.tobytes().decode() for s in run) + "\n"
                                    for run in flat)


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
    manifests["test"] = write_test(out / "test", successive, text)
    return manifests


def write_test(out: str | Path, successive: int = 1, text: bool = True,
               states: int = 10) -> dict[str, Any]:
    """LifeGPT's test set: its ten starts (`starts()`), `successive` pairs of each in `test.txt`
    and `test.npz`, and `test.csv`, LifeGPT's own file layout with `states` states per start
    (10: byte for byte their `conway_test_states_32by32_20240716_151502.csv`)."""
    rule = LifeRule("B3/S23", SIZE, SIZE, "torus")
    params = rule.default_params()
    names, grids = starts()
    steps = max(successive, states - 1)
    runs = []
    for cells in grids:
        state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), cells)
        _, rec = rollout.run(rule, jax.random.PRNGKey(0), state, params, steps,
                             record_every=1)
        runs.append(np.concatenate([cells[None], np.asarray(jax.vmap(rule.cells)(rec))]))
    seq = np.stack(runs).astype(np.uint8)  # [10, steps + 1, H, W]
    x = seq[:, :successive].reshape(-1, SIZE, SIZE)
    y = seq[:, 1:successive + 1].reshape(-1, SIZE, SIZE)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if text:
        atomic_write_text(out / "test.txt", to_text(x, y))
    atomic_write_text(out / "test.csv", to_csv(seq[:, :states]))
    data = dataset.npz_bytes(dataset.pack({"x": x, "y": y}, True))
    atomic_write_bytes(out / "test.npz", data)
    manifest = {"format": dataset.FORMAT, "version": dataset.VERSION, "kind": "pairs",
                **dataset.rule_info(rule, params), "lifegpt": "test", "names": names,
                "source": SOURCE, "successive": successive, "count": len(grids),
                "states": states, "shapes": {"x": [SIZE, SIZE], "y": [SIZE, SIZE]},
                "packed": True,
                "shards": [{"file": "test.npz", "first": 0, "count": len(grids),
                            "sha256": hashlib.sha256(data).hexdigest()}]}
    atomic_write_text(out / "manifest.json", json.dumps(manifest, indent=1) + "\n")
    return manifest
