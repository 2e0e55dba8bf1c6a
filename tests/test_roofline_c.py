"""The roofline benchmarks' C programs: the bit-sliced Life reference against NumPy and our
engine cell for cell, and the probe's kernels run and report positive rates. Skipped without
a C compiler (the benchmarks then skip their C side too)."""

from __future__ import annotations

import sys
from pathlib import Path

import jax
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import cbuild  # noqa: E402

from alife.core.rollout import run  # noqa: E402
from alife.rules.life import LifeRule  # noqa: E402

pytestmark = pytest.mark.skipif(cbuild.compiler() is None, reason="no C compiler")
BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def numpy_life(grid: np.ndarray, steps: int) -> np.ndarray:
    g = grid.astype(np.int64)
    for _ in range(steps):
        n = sum(np.roll(np.roll(g, dy, 0), dx, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1)) - g
        g = ((n == 3) | ((g == 1) & (n == 2))).astype(np.int64)
    return g.astype(np.uint8)


def test_c_life_matches_numpy_and_the_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    exe = cbuild.build(BENCH / "life_bitsliced.c")
    rule = LifeRule("B3/S23", width=128, height=37, topology="torus", density=0.35)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(4), params)
    start = np.asarray(rule.cells(state)).astype(np.uint8)
    src, dst = tmp_path / "a.bin", tmp_path / "b.bin"
    start.tofile(src)
    out = cbuild.run_kv(exe, src, dst, 37, 128, 50)
    assert out["steps"] == 50 and out["cells"] == 37 * 128
    c_grid = np.fromfile(dst, np.uint8).reshape(37, 128)
    np.testing.assert_array_equal(c_grid, numpy_life(start, 50))
    ours = np.asarray(rule.cells(run(rule, jax.random.PRNGKey(1), state, params, 50)))
    np.testing.assert_array_equal(ours, c_grid)


def test_c_life_refuses_a_bad_width(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    exe = cbuild.build(BENCH / "life_bitsliced.c")
    (tmp_path / "a.bin").write_bytes(bytes(10 * 96))
    with pytest.raises(RuntimeError, match="multiple of 64"):
        cbuild.run_kv(exe, tmp_path / "a.bin", tmp_path / "b.bin", 10, 96, 1)


def test_probe_kernels_report_rates(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    exe = cbuild.build(BENCH / "roofline_kernels.c")
    ops = cbuild.run_kv(exe, "ops", 200, 1)
    assert ops["word_ops"] == 200 * 512 * 32 and ops["wall_s"] > 0
    flops = cbuild.run_kv(exe, "flops", 200, 2)
    assert flops["flops"] == 200 * 512 * 8 * 4 * 2
    mem = cbuild.run_kv(exe, "mem", 4, 1)
    assert mem["copy_Bps"] > 0 and mem["triad_Bps"] > 0
    with pytest.raises(RuntimeError, match="unknown mode"):
        cbuild.run_kv(exe, "nope", 1, 1)
