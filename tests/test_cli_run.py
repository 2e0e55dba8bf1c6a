"""`alife run` and `alife list`, through `alife.cli.main` (and once as a real subprocess)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from alife.cli import main
from alife.core.fileio import load_arrays
from alife.scene.patterns import read_pattern

ROOT = Path(__file__).resolve().parents[1]
GLIDER = ROOT / "assets" / "patterns" / "glider.rle"
GUN = ROOT / "scenes" / "life" / "gosper_glider_gun.yaml"


def _torus_life(a: np.ndarray, steps: int) -> np.ndarray:
    for _ in range(steps):
        n = sum(np.roll(np.roll(a, dy, 0), dx, 1)
                for dy in (-1, 0, 1) for dx in (-1, 0, 1)) - a
        a = np.where(a == 1, (n == 2) | (n == 3), n == 3).astype(int)
    return a


def test_run_pattern_with_bounded_rule_writes_rle(tmp_path):
    out = tmp_path / "end.rle"
    assert main(["run", "--rule", "B3/S23:T40,30", "--pattern", str(GLIDER), "--steps", "37",
                 "--out", str(out), "--quiet"]) == 0
    pattern = read_pattern(out)
    assert pattern.rule == "B3/S23:T40,30" and pattern.shape == (30, 40)
    start = np.zeros((30, 40), int)
    start[13:16, 18:21] = read_pattern(GLIDER).cells  # centred, as Golly places it
    assert np.array_equal(pattern.cells, _torus_life(start, 37))


def test_rle_output_reads_back_as_the_same_world(tmp_path):
    first, second = tmp_path / "a.rle", tmp_path / "b.rle"
    assert main(["run", str(GUN), "--steps", "45", "--out", str(first), "-q"]) == 0
    text = first.read_text()
    assert "rule = B3/S23:P128,96" in text  # the scene's plane, as a Golly suffix
    assert main(["run", str(first), "--steps", "0", "--out", str(second), "-q"]) == 0
    assert read_pattern(first).same_cells(read_pattern(second))


def test_metrics_csv_every_k(tmp_path):
    metrics = tmp_path / "m.csv"
    assert main(["run", str(GUN), "--steps", "90", "--metrics", str(metrics), "--every", "30",
                 "-q"]) == 0
    rows = list(csv.DictReader(metrics.open()))
    assert [int(r["generation"]) for r in rows] == [0, 30, 60, 90]
    assert [int(r["population"]) for r in rows] == [36, 41, 46, 51]  # one glider per period


def test_npz_and_png_outputs(tmp_path):
    npz, png = tmp_path / "s.npz", tmp_path / "s.png"
    assert main(["run", str(GUN), "--steps", "5", "--out", str(npz), "-q"]) == 0
    arrays = load_arrays(npz)
    assert int(arrays["generation"]) == 5 and "__key" in arrays
    assert main(["run", str(GUN), "--steps", "0", "--out", str(png), "--zoom", "2", "-q"]) == 0
    pixels = np.asarray(Image.open(png))
    assert pixels.shape == (192, 256, 3)
    # coloured as the app and `alife render` colour the binary look: the gun's 36 cells in the
    # alive colour, everything else dead
    from alife.scene.palettes import ALIVE, DEAD

    cells = pixels[::2, ::2]
    alive = np.all(cells == ALIVE, axis=2)
    assert alive.sum() == 36
    assert np.all(cells[~alive] == DEAD)
    assert np.array_equal(pixels[::2, ::2], pixels[1::2, 1::2])  # zoom 2 repeats each cell


def test_set_seed_and_steps_from_scene(tmp_path, capsys):
    out = tmp_path / "d.npz"
    args = ["run", str(ROOT / "scenes/life/day_and_night.yaml"), "--set",
            "rule.config.width=32", "--set", "rule.config.height=32", "--out", str(out)]
    assert main(args + ["--steps", "2", "--seed", "5"]) == 0
    summary = capsys.readouterr().out
    assert "Day & Night: 2 steps" in summary and "generation 2" in summary
    a = load_arrays(out)["data"]
    assert main(args + ["--steps", "2", "--seed", "6", "-q"]) == 0
    assert not np.array_equal(load_arrays(out)["data"], a)


def test_list_shows_families_and_scenes(capsys):
    assert main(["list"]) == 0
    text = capsys.readouterr().out
    for word in ("life", "elementary", "lenia", "life/gosper_glider_gun", "Gosper glider gun",
                 "elementary/rule30", "lenia/orbium"):
        assert word in text


def test_run_as_a_subprocess(tmp_path):
    out = tmp_path / "g.rle"
    done = subprocess.run([sys.executable, "-m", "alife", "run", str(GLIDER), "--steps", "8",
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Glider: 8 steps" in done.stdout
    cells = read_pattern(out).cells
    assert cells.sum() == 5
