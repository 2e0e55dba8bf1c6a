"""`alife render`: a glider scene drawn offscreen to PNG / GIF / MP4, checked cell by cell
against the glider's known motion (it moves one cell down-right every 4 generations)."""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from alife.cli import main
from alife.scene import palettes

ZOOM = 10
GLIDER = [(0, 1), (1, 2), (2, 0), (2, 1), (2, 2)]   # (row, col): the south-east glider


@pytest.fixture
def scene(tmp_path: Path) -> Path:
    (tmp_path / "glider.rle").write_text("#N Glider\nx = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n")
    path = tmp_path / "glider.yaml"
    path.write_text(f"""version: 1
name: glider
seed: 0
rule:
  family: life
  config: {{rule: B3/S23, width: 16, height: 12, topology: plane}}
init:
  pattern: {{file: glider.rle, at: [2, 3]}}
view: {{zoom: {ZOOM}, grid_lines: false}}
""")
    return path


def expected_cells(generations: int) -> np.ndarray:
    cells = np.zeros((12, 16), bool)
    shift = generations // 4
    for r, c in GLIDER:
        cells[3 + r + shift, 2 + c + shift] = True
    return cells


def check_frame(image: np.ndarray, generations: int) -> None:
    """Every cell's centre pixel is ALIVE or DEAD exactly as the glider says."""
    assert image.shape == (12 * ZOOM, 16 * ZOOM, 3)
    centres = image[ZOOM // 2::ZOOM, ZOOM // 2::ZOOM]
    alive = expected_cells(generations)
    assert np.all(centres[alive] == palettes.ALIVE)
    assert np.all(centres[~alive] == palettes.DEAD)


def test_png_is_the_final_frame(scene, tmp_path, gl_ctx):
    out = tmp_path / "out" / "glider.png"
    assert main([
        "render", str(scene), "--steps", "8", "--out", str(out), "--quiet"]) == 0
    check_frame(np.asarray(Image.open(out).convert("RGB")), 8)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "temp file left"


def test_gif_holds_a_frame_every_k_steps(scene, tmp_path, gl_ctx):
    out = tmp_path / "glider.gif"
    assert main(["render", str(scene), "--steps", "8", "--every", "4", "--out", str(out),
                 "--fps", "5", "--quiet"]) == 0
    gif = Image.open(out)
    assert gif.n_frames == 3
    for i in range(3):
        gif.seek(i)
        check_frame(np.asarray(gif.convert("RGB")), 4 * i)
    assert gif.info["duration"] == 200 and gif.info.get("loop") == 0


def test_mp4_and_view_overrides(scene, tmp_path, gl_ctx):
    import imageio_ffmpeg

    out = tmp_path / "glider.mp4"
    assert main(["render", str(scene), "--steps", "4", "--every", "2", "--out", str(out),
                 "--set", "view.zoom=5", "--quiet"]) == 0
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="os.fork", category=RuntimeWarning)
        reader = imageio_ffmpeg.read_frames(str(out))
        meta = next(reader)
        frames = [np.frombuffer(f, np.uint8).reshape(60, 80, 3) for f in reader]
    assert meta["size"] == (80, 60) and len(frames) == 3
    # H.264 is lossy: the glider's live cells are still clearly the brightest blocks
    last = frames[-1].astype(int).sum(axis=2)[2::5, 2::5]
    assert np.array_equal(last > last.mean() * 3, expected_cells(4))


def test_size_letterboxes_the_grid(scene, tmp_path, gl_ctx):
    out = tmp_path / "wide.png"
    assert main(["render", str(scene), "--steps", "0", "--size", "200x100", "--out", str(out),
                 "--quiet"]) == 0
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape == (100, 200, 3)
    # fit: zoom 8 (100 // 12), so the 128x96 grid sits centred with OUTSIDE around it
    assert tuple(image[50, 10]) == palettes.OUTSIDE and tuple(image[50, 190]) == palettes.OUTSIDE
    assert tuple(image[50, 100]) == palettes.DEAD


def test_bad_output_format_is_one_line(scene, tmp_path, capsys):
    assert main(["render", str(scene), "--steps", "1", "--out", str(tmp_path / "x.bmp")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "expected one of" in err[0]


def test_no_egl_fails_with_one_line(scene, tmp_path):
    env = dict(os.environ, __EGL_VENDOR_LIBRARY_FILENAMES=str(tmp_path / "no-vendor.json"),
               __EGL_VENDOR_LIBRARY_DIRS=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "alife", "render", str(scene), "--steps", "1",
                           "--out", str(tmp_path / "x.png")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("alife render: error: no OpenGL"), proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "x.png").exists()


def test_bad_view_settings_are_one_line(scene, tmp_path, capsys, gl_ctx):
    for setting, word in [("view.colormap=jet", "colormap"), ("view.channel=2", "channel")]:
        out = tmp_path / "x.png"
        assert main(["render", str(scene), "--steps", "1", "--out", str(out),
                     "--set", setting]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"view.{word}" in err[0] and not out.exists()
