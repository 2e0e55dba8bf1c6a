"""Datasets: transitions checked against independent NumPy references (Life on a torus and a
plane, elementary rules), reproducibility by seed and shard size, the manifest and its hashes,
LifeGPT's text format, split and named test patterns, and the CLI's errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from alife.cli import main
from alife.instruments import dataset, dataset_lifegpt
from alife.rules.elementary import ElementaryRule
from alife.rules.life import LifeRule


def life_step(grid: np.ndarray, torus: bool = True) -> np.ndarray:
    """Conway's Life, one step, in plain NumPy (torus: wrap; else dead cells outside)."""
    g = np.pad(grid, 1, mode="wrap" if torus else "constant").astype(int)
    h, w = grid.shape
    n = sum(g[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1)
            if dy or dx)
    return ((n == 3) | ((grid == 1) & (n == 2))).astype(np.uint8)


def eca_step(row: np.ndarray, number: int) -> np.ndarray:
    index = 4 * np.roll(row, 1) + 2 * row + np.roll(row, -1)
    return ((number >> index) & 1).astype(np.uint8)


@pytest.mark.parametrize("topology", ["torus", "plane"])
def test_life_pairs_match_reference(topology):
    rule = LifeRule("B3/S23", 32, 24, topology)
    spec = dataset.Spec(count=6, seed=3, k=2, successive=3, density="uniform", batch=4)
    out = dataset.generate(rule, rule.default_params(), spec, 0, 6)
    x, y = out["x"], out["y"]
    assert x.shape == y.shape == (18, 24, 32) and x.dtype == np.uint8
    for i in range(18):
        np.testing.assert_array_equal(y[i], life_step(life_step(x[i], topology == "torus"),
                                                      topology == "torus"))
    np.testing.assert_array_equal(x[1], y[0])  # successive pairs chain


def test_elementary_pairs_and_windows():
    rule = ElementaryRule(30, width=64, history=1, start="random")
    pairs = dataset.generate(rule, rule.default_params(), dataset.Spec(count=5, k=1), 0, 5)
    assert pairs["x"].shape == (5, 64)
    for a, b in zip(pairs["x"], pairs["y"], strict=True):
        np.testing.assert_array_equal(b, eca_step(a, 30))
    rule = ElementaryRule(110, width=40, history=1, start="random", fast=False)
    spec = dataset.Spec(kind="windows", count=3, rows=8, burn_in=5)
    windows = dataset.generate(rule, rule.default_params(), spec, 0, 3)["x"]
    assert windows.shape == (3, 8, 40)
    for w in windows:
        for t in range(7):
            np.testing.assert_array_equal(w[t + 1], eca_step(w[t], 110))


def test_reproducible_sharded_and_hashed(tmp_path):
    rule = LifeRule("B36/S23", 16, 16)
    params = rule.default_params()

    def spec(count: int, shard_size: int, seed: int) -> dataset.Spec:
        return dataset.Spec(count=count, shard_size=shard_size, seed=seed, batch=2)

    a = dataset.write(tmp_path / "a", rule, params, spec(10, 4, 1))
    b = dataset.write(tmp_path / "b", rule, params, spec(10, 4, 1))
    dataset.write(tmp_path / "c", rule, params, spec(10, 10, 1))
    assert [s["sha256"] for s in a["shards"]] == [s["sha256"] for s in b["shards"]]
    assert [s["count"] for s in a["shards"]] == [4, 4, 2]
    whole = np.concatenate([s["x"] for s in dataset.iterate(tmp_path / "a")])
    np.testing.assert_array_equal(whole, next(dataset.iterate(tmp_path / "c"))["x"])
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["rule"] == "B36/S23" and manifest["topology"] == "torus"
    assert manifest["shapes"] == {"x": [16, 16], "y": [16, 16]} and manifest["count"] == 10
    other = dataset.write(tmp_path / "d", rule, params, spec(4, 4, 2))
    assert other["shards"][0]["sha256"] != a["shards"][0]["sha256"]
    (tmp_path / "a" / "shard-00001.npz").write_bytes(b"tampered")
    with pytest.raises(Exception, match="SHA-256"):
        list(dataset.iterate(tmp_path / "a"))


def test_density_ramp():
    rule = LifeRule("B3/S23", 16, 16)
    x = dataset.generate(rule, rule.default_params(), dataset.Spec(count=9, density="ramp"),
                         0, 9)["x"]
    fill = x.reshape(9, -1).mean(axis=1)
    assert fill[0] == 0.0 and fill[-1] == 1.0 and np.all(np.diff(fill) > 0)


def test_lifegpt_text_round_trip():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, (3, 32, 32), dtype=np.uint8)
    y = np.stack([life_step(g) for g in x])
    text = dataset_lifegpt.to_text(x, y)
    line = text.splitlines()[0]
    assert line.startswith("@PredictNextState<") and line.endswith("]$")
    assert line[18:18 + 1024] == "".join(map(str, x[0].reshape(-1)))
    assert line[18 + 1024:18 + 1024 + 3] == "> [" and len(line) == 18 + 1024 + 3 + 1024 + 2
    back_x, back_y = dataset_lifegpt.from_text(text)
    np.testing.assert_array_equal(back_x, x)
    np.testing.assert_array_equal(back_y, y)


def _moves(grid: np.ndarray, steps: int) -> tuple[int, int] | None:
    """The translation after `steps` Life steps on a torus, if the pattern only moved."""
    later = grid
    for _ in range(steps):
        later = life_step(later)
    for dy in range(-3, 4):
        for dx in range(-3, 4):
            if np.array_equal(np.roll(grid, (dy, dx), axis=(0, 1)), later):
                return dy, dx
    return None


def test_lifegpt_named_patterns():
    """What each of LifeGPT's patterns does (their cells: tests/test_dataset_lifegpt.py)."""
    glider = dataset_lifegpt.pattern("glider")
    assert glider.sum() == 5 and _moves(glider, 4) == (-1, 1)  # c/4 diagonal, up and right
    hammer = dataset_lifegpt.pattern("hammerhead")
    assert _moves(hammer, 4) == (0, -2)  # c/2 orthogonal, to the left
    blinkers = dataset_lifegpt.pattern("blinkers")
    assert _moves(blinkers, 2) == (0, 0) and _moves(blinkers, 1) is None  # period 2
    clover = dataset_lifegpt.pattern("cloverleaf")
    assert clover.sum() == 40 and _moves(clover, 4) == (0, 0)  # a period-4 oscillator
    assert all(_moves(clover, t) is None for t in (1, 2, 3))
    assert dataset_lifegpt.pattern("r-pentomino").sum() == 5


def test_lifegpt_split(tmp_path):
    m = dataset_lifegpt.write_split(tmp_path, train=32, val=16, successive=2, shard_size=16)
    train = (tmp_path / "train" / "train-00000.txt").read_text().splitlines()
    assert len(train) == 16 * 2 and m["train"]["count"] == 32 and m["val"]["count"] == 16
    x, y = dataset_lifegpt.from_text("\n".join(train))
    for a, b in zip(x, y, strict=True):
        np.testing.assert_array_equal(b, life_step(a))
    assert x[0].sum() == 0  # the broad-entropy ramp starts empty
    test = m["test"]
    assert test["names"][:5] == ["rho=0.0", "rho=0.25", "rho=0.5", "rho=0.75", "rho=1.0"]
    assert test["names"][5:] == ["glider", "cloverleaf", "hammerhead", "blinkers", "r-pentomino"]
    tx, _ = dataset_lifegpt.from_text((tmp_path / "test" / "test.txt").read_text())
    assert len(tx) == 10 * 2 and tx[8].sum() == 1024  # rho = 1 is all alive


def test_cli(tmp_path, capsys):
    assert main(["dataset", "pairs", "--rule", "B3/S23", "--size", "16", "--count", "8",
                 "--out", str(tmp_path / "p"), "--format", "text"]) == 0
    lines = (tmp_path / "p" / "pairs-00000.txt").read_text().splitlines()
    assert len(lines) == 8 and "samples/s" in capsys.readouterr().out
    assert main(["dataset", "windows", "--rule", "30", "--width", "32", "--rows", "4",
                 "--count", "4", "--out", str(tmp_path / "w"), "-q"]) == 0
    x = next(dataset.iterate(tmp_path / "w"))["x"]
    assert x.shape == (4, 4, 32)


def test_cli_rule_texts(tmp_path):
    """Rule texts go through the family's parser: a k=3 totalistic code, a bounded-grid suffix."""
    assert main(["dataset", "pairs", "--family", "elementary", "--rule", "code 777 k=3 r=1",
                 "--width", "16", "--count", "3", "--out", str(tmp_path / "t"), "-q"]) == 0
    arrays = next(dataset.iterate(tmp_path / "t"))
    digits = [(777 // 3**i) % 3 for i in range(7)]  # digit s: the next colour for sum s
    for a, b in zip(arrays["x"], arrays["y"], strict=True):
        total = np.roll(a, 1).astype(int) + a + np.roll(a, -1)
        np.testing.assert_array_equal(b, np.take(digits, total))
    assert main(["dataset", "pairs", "--rule", "B3/S23:P20,12", "--count", "2",
                 "--out", str(tmp_path / "p"), "-q"]) == 0
    manifest = dataset.read_manifest(tmp_path / "p")
    assert manifest["topology"] == "plane" and manifest["shapes"]["x"] == [12, 20]


@pytest.mark.parametrize("argv, words", [
    (["pairz"], ["KIND", "'pairz'", "pairs, windows, lifegpt"]),
    (["pairs", "--density", "2"], ["--density", "0..1"]),
    (["pairs", "--format", "csv"], ["--format", "npz, text"]),
    (["windows", "--scene", "scenes/life/day_and_night.yaml"], ["windows", "elementary"]),
    (["pairs", "--rule", "B3/S2x"], ["B3/S2x"]),
])
def test_cli_errors(tmp_path, capsys, argv, words):
    assert main(["dataset", *argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    for word in words:
        assert word in err, err
