"""`alife evolve` and `alife train` survive kill -9 at any instant (issue 15): resumed with
`--resume`, the metrics table, the weights and the checkpoint equal an uninterrupted run's.

Like `tests/test_run_kill.py` for `alife run`: a subprocess checkpointing at every chance is
killed right after its first checkpoint, right after later checkpoint writes and at random moments
after them, each time resumed; the last resume runs to the end in-process and is compared.
"""

from __future__ import annotations

import csv
import random
import signal
from pathlib import Path

import numpy as np
import pytest
import yaml
from kill_driver import kill_at_checkpoint

from alife.cli import main
from alife.core.fileio import load_arrays

ROOT = Path(__file__).resolve().parents[1]
ROUTES = ROOT / "tests" / "hostile" / "routes"


def _cut(argv: list[str], ck: Path) -> int:
    """Kill `argv` at several instants, resuming each time; how many kills landed."""
    rng = random.Random(11)
    instants = [("exists", 0.0), ("new", 0.0), ("new", rng.uniform(0, 0.2))]
    landed = 0
    for n, (wait, delay) in enumerate(instants):
        code = kill_at_checkpoint(argv + (["--resume"] if n else []), ck, wait, delay)
        landed += code == -signal.SIGKILL
        if code == 0:
            break
    return landed


def _table(path: Path, drop: tuple[str, ...] = ()) -> list[dict[str, str]]:
    with path.open() as f:
        return [{k: v for k, v in row.items() if k not in drop} for row in csv.DictReader(f)]


def _same_npz(a: Path, b: Path) -> None:
    x, y = load_arrays(a), load_arrays(b)
    assert sorted(x) == sorted(y)
    for name in x:
        np.testing.assert_array_equal(x[name], y[name], err_msg=f"{a}: {name}")


@pytest.mark.slow  # 20 s; evolve's kill -9 resume is also in test_evolve_cli's default suite
def test_evolve_killed_at_any_instant_resumes_to_the_uninterrupted_run(tmp_path):
    def argv(out: Path) -> list[str]:
        return ["evolve", str(ROUTES / "evolve_small.yaml"), "--generations", "40",
                "--checkpoint-every", "0", "--quiet", "--out", str(out)]

    assert main(argv(tmp_path / "whole")) == 0
    cut = tmp_path / "cut"
    landed = _cut(argv(cut), cut / "checkpoint.npz")
    assert landed >= 2, landed
    assert main([*argv(cut), "--resume"]) == 0
    speed = ("evals_per_s",)
    assert _table(cut / "metrics.csv", speed) == _table(tmp_path / "whole" / "metrics.csv", speed)
    for name in ("weights.npz", "checkpoint.npz"):
        _same_npz(cut / name, tmp_path / "whole" / name)
    assert (cut / "best.yaml").read_text() == (tmp_path / "whole" / "best.yaml").read_text()


@pytest.mark.slow  # CI time: the default suite keeps test_evolve_cli's kill -9 resume (~25 s)
def test_train_killed_at_any_instant_resumes_to_the_uninterrupted_run(tmp_path):
    scene = yaml.safe_load((ROUTES / "train_small.yaml").read_text())
    target = (ROUTES / scene["training"]["target"]).resolve()
    scene["training"].update(target=str(target), checkpoint_every_s=0)
    path = tmp_path / "train.yaml"
    path.write_text(yaml.safe_dump(scene))

    def argv(out: Path) -> list[str]:
        return ["train", str(path), "--steps", "60", "--quiet", "--out", str(out)]

    assert main(argv(tmp_path / "whole")) == 0
    cut = tmp_path / "cut"
    landed = _cut(argv(cut), cut / "checkpoint.npz")
    assert landed >= 2, landed
    assert main([*argv(cut), "--resume"]) == 0
    assert _table(cut / "metrics.csv") == _table(tmp_path / "whole" / "metrics.csv")
    for name in ("weights.npz", "checkpoint.npz"):
        _same_npz(cut / name, tmp_path / "whole" / name)
