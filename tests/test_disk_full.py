"""Disk full on every writing route (issue 15): a small tmpfs is mounted (root on Linux; skipped
with the reason otherwise) and filled, so the route's write fails. Each failure is one line naming
the file, exit 2, no traceback, and leaves nothing that looks valid behind: no new or changed
file under a final name (an earlier checkpoint stays as it was), no temp file. Once the filler is
removed, the rerun (with `--resume` where the route has it) ends identical to an uninterrupted
run on a normal disk.

Routes: `alife run --out/--metrics/--checkpoint`, `render --out` (.png, .gif, .mp4), `evolve
--out`, `train --out`, `dataset --out`, `sweep`.
"""

from __future__ import annotations

import csv
import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml

from alife.cli import main
from alife.core.fileio import load_arrays

ROOT = Path(__file__).resolve().parents[1]
GUN = str(ROOT / "scenes" / "life" / "gosper_glider_gun.yaml")
ROUTES = ROOT / "tests" / "hostile" / "routes"
EVOLVE = str(ROUTES / "evolve_small.yaml")
TRAIN = str(ROUTES / "train_small.yaml")


class Disk:
    """A mounted tmpfs that can be filled to the last byte and freed again."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.filler = root / "filler"

    def fill(self) -> None:
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            for size in (1 << 16, 1 << 12, 1 << 9, 1):
                try:
                    while os.write(fd, b"\0" * size):
                        pass
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
        finally:
            os.close(fd)
        assert os.statvfs(self.root).f_bavail == 0

    def free(self) -> None:
        self.filler.unlink()

    def files(self) -> dict[Path, bytes]:
        """Every file but the filler, with its bytes."""
        return {p: p.read_bytes() for p in sorted(self.root.rglob("*"))
                if p.is_file() and p != self.filler}


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    root = tmp_path / "disk"
    root.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(root)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.strip()}")
    try:
        yield Disk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], capture_output=True)


def _call(argv: list[str]) -> int:
    try:
        return int(main(argv))
    except SystemExit as exc:
        return int(exc.code or 0)


def full(disk: Disk, capsys, argv: list[str]) -> str:
    """Run `argv` on the filled disk: one line, exit 2, nothing new or changed left behind."""
    disk.fill()
    before = disk.files()
    capsys.readouterr()
    status = _call(argv)
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err and len(err) <= 400, err
    assert "No space left on device" in err and str(disk.root) in err, err
    after = disk.files()
    assert not [p for p in after if p.name.endswith(".tmp")], after.keys()
    for path, data in after.items():
        if path in before:
            assert data == before[path], f"{path} changed"
        else:  # only an empty log may appear (a sweep's log.txt, opened before its first line)
            assert path.name == "log.txt" and not data, f"{path} left behind"
    disk.free()
    return err


def ok(argv: list[str]) -> None:
    assert _call(argv) == 0, argv


def same_npz(a: Path, b: Path) -> None:
    x, y = load_arrays(a), load_arrays(b)
    assert sorted(x) == sorted(y)
    for name in x:
        np.testing.assert_array_equal(x[name], y[name], err_msg=f"{a}: {name}")


def table(path: Path, drop: tuple[str, ...] = ()) -> list[dict[str, str]]:
    with path.open() as f:
        return [{k: v for k, v in row.items() if k not in drop} for row in csv.DictReader(f)]


# ---- alife run ---------------------------------------------------------------------------------
RUN = ["run", GUN, "--quiet"]


@pytest.mark.parametrize("flag, name", [("--out", "o.npz"), ("--out", "o.png"),
                                        ("--out", "o.rle"), ("--metrics", "m.csv"),
                                        ("--checkpoint", "c.npz")])
def test_run_each_output(disk, tmp_path, capsys, flag, name):
    every = ["--every", "10"] if flag == "--metrics" else []
    ok([*RUN, "--steps", "20", *every, flag, str(tmp_path / name)])
    full(disk, capsys, [*RUN, "--steps", "20", *every, flag, str(disk.root / name)])
    ok([*RUN, "--steps", "20", *every, flag, str(disk.root / name)])
    if name.endswith(".npz"):
        same_npz(disk.root / name, tmp_path / name)
    else:
        assert (disk.root / name).read_bytes() == (tmp_path / name).read_bytes()


def test_run_resumes_after_the_disk_is_freed(disk, tmp_path, capsys):
    def args(folder: Path, steps: int) -> list[str]:
        return [*RUN, "--steps", str(steps), "--every", "10", "--metrics", str(folder / "m.csv"),
                "--checkpoint", str(folder / "c.npz"), "--checkpoint-every-s", "0",
                "--out", str(folder / "o.npz")]

    ok(args(tmp_path, 40))
    ok(args(disk.root, 20))
    full(disk, capsys, [*args(disk.root, 40), "--resume"])
    ok([*args(disk.root, 40), "--resume"])
    assert (disk.root / "m.csv").read_bytes() == (tmp_path / "m.csv").read_bytes()
    same_npz(disk.root / "o.npz", tmp_path / "o.npz")
    same_npz(disk.root / "c.npz", tmp_path / "c.npz")


# ---- alife render ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["r.png", "r.gif", "r.mp4"])
def test_render(disk, tmp_path, capsys, name):
    if name.endswith(".mp4"):
        pytest.importorskip("imageio_ffmpeg")
    argv = ["render", GUN, "--steps", "2", "--quiet", "--out"]
    ok([*argv, str(tmp_path / name)])
    full(disk, capsys, [*argv, str(disk.root / name)])
    ok([*argv, str(disk.root / name)])
    if not name.endswith(".mp4"):  # mp4 carries encoder metadata; it is checked to exist
        assert (disk.root / name).read_bytes() == (tmp_path / name).read_bytes()
    assert (disk.root / name).stat().st_size > 0


# ---- alife evolve, train -----------------------------------------------------------------------
def test_evolve_resumes_after_the_disk_is_freed(disk, tmp_path, capsys):
    def argv(folder: Path, generations: int) -> list[str]:
        return ["evolve", EVOLVE, "--generations", str(generations), "--quiet",
                "--out", str(folder)]

    ok(argv(tmp_path / "whole", 2))
    full(disk, capsys, argv(disk.root / "fresh", 1))  # the very first write fails
    ok(argv(disk.root / "ev", 1))
    full(disk, capsys, [*argv(disk.root / "ev", 2), "--resume"])
    ok([*argv(disk.root / "ev", 2), "--resume"])
    whole, ev = tmp_path / "whole", disk.root / "ev"
    speed = ("evals_per_s",)
    assert table(ev / "metrics.csv", speed) == table(whole / "metrics.csv", speed)
    same_npz(ev / "weights.npz", whole / "weights.npz")
    same_npz(ev / "checkpoint.npz", whole / "checkpoint.npz")
    assert (ev / "best.yaml").read_text() == (whole / "best.yaml").read_text()


def test_train_resumes_after_the_disk_is_freed(disk, tmp_path, capsys):
    def argv(folder: Path, steps: int) -> list[str]:
        return ["train", TRAIN, "--steps", str(steps), "--quiet", "--out", str(folder)]

    ok(argv(tmp_path / "whole", 4))
    ok(argv(disk.root / "tr", 2))
    full(disk, capsys, [*argv(disk.root / "tr", 4), "--resume"])
    ok([*argv(disk.root / "tr", 4), "--resume"])
    whole, tr = tmp_path / "whole", disk.root / "tr"
    assert table(tr / "metrics.csv") == table(whole / "metrics.csv")
    same_npz(tr / "weights.npz", whole / "weights.npz")
    same_npz(tr / "checkpoint.npz", whole / "checkpoint.npz")


# ---- alife dataset -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [
    ["pairs", "--rule", "B3/S23", "--size", "16", "--count", "8", "--shard-size", "4"],
    ["lifegpt", "--size", "16", "--train", "4", "--val", "2"],
])
def test_dataset(disk, tmp_path, capsys, kind):
    argv = ["dataset", *kind, "--quiet", "--out"]
    ok([*argv, str(tmp_path / "ds")])
    full(disk, capsys, [*argv, str(disk.root / "ds")])
    ok([*argv, str(disk.root / "ds")])
    want = {p.relative_to(tmp_path / "ds"): p.read_bytes()
            for p in (tmp_path / "ds").rglob("*") if p.is_file()}
    got = {p.relative_to(disk.root / "ds"): p.read_bytes()
           for p in (disk.root / "ds").rglob("*") if p.is_file()}
    assert got == want


# ---- alife sweep -------------------------------------------------------------------------------
def test_sweep(disk, tmp_path, capsys):
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump({"scene": EVOLVE, "out": str(disk.root / "sw"), "seeds": [3],
                                    "configs": [{"name": "ga", "population": 6}]}))
    full(disk, capsys, ["sweep", str(path), "--quiet"])
    ok(["sweep", str(path), "--quiet"])
    rows = table(disk.root / "sw" / "summary.csv")
    assert [(r["config"], r["seed"], r["generations"], r["status"]) for r in rows] == \
        [("ga", "3", "1", "done")]
    # the run equals the same `alife evolve` uninterrupted
    whole = tmp_path / "whole"
    ok(["evolve", EVOLVE, "--set", "evolution.population=6", "--seed", "3", "--quiet",
        "--out", str(whole)])
    run = disk.root / "sw" / "ga" / "seed3"
    same_npz(run / "weights.npz", whole / "weights.npz")
    assert float(rows[0]["best_ever"]) == float(table(whole / "metrics.csv")[-1]["best_ever"])


# ---- a read-only disk, a file where a folder is needed ------------------------------------------
def _routes(out: Path) -> list[list[str]]:
    return [["run", GUN, "--steps", "2", "--quiet", "--out", str(out / "o.npz")],
            ["run", GUN, "--steps", "2", "--quiet", "--checkpoint", str(out / "c.npz")],
            ["render", GUN, "--steps", "1", "--quiet", "--out", str(out / "r.png")],
            ["evolve", EVOLVE, "--quiet", "--out", str(out / "ev")],
            ["train", TRAIN, "--steps", "1", "--quiet", "--out", str(out / "tr")],
            ["dataset", "pairs", "--rule", "B3/S23", "--size", "16", "--count", "4", "--quiet",
             "--out", str(out / "ds")]]


def _one_line(capsys, argv: list[str], *words: str) -> None:
    capsys.readouterr()
    status = _call(argv)
    err = capsys.readouterr().err.strip()
    assert status == 2, (argv, err)
    assert len(err.splitlines()) == 1 and "Traceback" not in err and len(err) <= 400, err
    for word in words:
        assert word in err, err


def test_read_only_disk(disk, capsys):
    subprocess.run(["mount", "-o", "remount,ro", str(disk.root)], check=True)
    for argv in _routes(disk.root):
        _one_line(capsys, argv, str(disk.root))
    assert not list(disk.root.iterdir())


def test_a_file_where_a_folder_is_needed(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("kept")
    for argv in _routes(blocker):
        _one_line(capsys, argv, str(blocker))
    for argv in (["evolve", EVOLVE, "--quiet", "--out", str(blocker)],
                 ["train", TRAIN, "--steps", "1", "--quiet", "--out", str(blocker)],
                 ["dataset", "pairs", "--count", "4", "--quiet", "--out", str(blocker)]):
        _one_line(capsys, argv, str(blocker))
    assert blocker.read_text() == "kept"
