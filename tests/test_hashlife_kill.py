"""`alife run PATTERN --out X.mc` (HashLife) survives kill -9 during its write: `X.mc` is always
either the file that was there before or the complete new one, never a torn mixture.

A 256x256 random soup run for 200 generations gives a macrocell file of ~26 kB. The run is
killed the moment its temp file appears (inside the write: between the temp file's creation and
its rename there is an fsync) and at a random instant; after each kill the output must read back
as the old bytes or the uninterrupted run's bytes. The second test checks the written pattern
against a NumPy Life.
"""

from __future__ import annotations

import random
import signal
from pathlib import Path

import numpy as np
import pytest
from kill_driver import kill_when

from alife.cli import main
from alife.rules.life.macrocell import read_macrocell
from alife.scene.patterns import Pattern, write_pattern

STEPS = 200


def _soup(path: Path) -> None:
    cells = (np.random.default_rng(11).random((256, 256)) < 0.35).astype(np.uint8)
    write_pattern(path, Pattern(cells, rule="B3/S23"))


def _kill(argv: list[str], folder: Path, out_name: str, at: str, delay: float) -> int:
    """Run `alife ARGV`; SIGKILL it `delay` s after its temp file for `out_name` appears
    (`at="write"`) or `delay` s after the start (`at="start"`). Its exit status."""
    if at == "start":
        return kill_when(argv, lambda elapsed: elapsed >= delay, 0.0)
    return kill_when(argv, lambda _: any(folder.glob(f".{out_name}.*.tmp")), delay)


def test_kill_minus_9_during_the_macrocell_write_leaves_old_or_new_file(tmp_path):
    soup = tmp_path / "soup.rle"
    _soup(soup)
    whole = tmp_path / "whole.mc"
    assert main(["run", str(soup), "--steps", str(STEPS), "--out", str(whole), "--quiet"]) == 0
    new = whole.read_bytes()

    out = tmp_path / "out.mc"
    assert main(["run", str(soup), "--steps", "10", "--out", str(out), "--quiet"]) == 0
    old = out.read_bytes()
    assert old != new

    argv = ["run", str(soup), "--steps", str(STEPS), "--out", str(out), "--quiet"]
    rng = random.Random(5)
    landed = 0
    for at, delay in [("write", 0.0), ("start", rng.uniform(0.5, 3.0))]:
        code = _kill(argv, tmp_path, out.name, at, delay)
        landed += code == -signal.SIGKILL
        assert out.read_bytes() in (old, new), f"torn output after a kill at {at} + {delay:.4f} s"
    assert landed >= 1

    universe, _ = read_macrocell(out)  # whichever it is, it is a whole file
    assert universe.population() > 0


def _numpy_life(cells: np.ndarray, steps: int) -> np.ndarray:
    """B3/S23 on a dead plane: `cells` padded by `steps` on every side (light speed 1)."""
    grid = np.pad(cells.astype(np.uint8), steps + 1)
    for _ in range(steps):
        n = sum(np.roll(np.roll(grid, dr, 0), dc, 1)
                for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0))
        grid = ((n == 3) | ((grid == 1) & (n == 2))).astype(np.uint8)
    return grid


@pytest.mark.parametrize("steps", [0, 64])
def test_written_macrocell_holds_the_numpy_reference_pattern(tmp_path, steps):
    """The file the kill test guards holds the right pattern: its cells equal a NumPy Life's
    after the same generations (compared as sets of live cells, up to a shift)."""
    soup = tmp_path / "soup.rle"
    _soup(soup)
    out = tmp_path / "g.mc"
    assert main(["run", str(soup), "--steps", str(steps), "--out", str(out), "--quiet"]) == 0
    universe, _ = read_macrocell(out)
    cells, _, _ = universe.to_array()
    want = _numpy_life((np.random.default_rng(11).random((256, 256)) < 0.35), steps)
    rows, cols = np.nonzero(want)
    want = want[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    np.testing.assert_array_equal(cells, want)
