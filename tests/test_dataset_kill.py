"""`alife dataset` killed (SIGKILL) at any instant leaves nothing that looks complete, and a rerun
writes exactly the files of an uninterrupted run.

Shards are written atomically and `manifest.json` (what readers open first) last, so a killed
run leaves no manifest; the set is reproducible from its seed, so running the same command again
finishes it byte for byte.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ARGS = ["dataset", "pairs", "--count", "4096", "--shard-size", "256", "--size", "32", "-q"]


def _alife(out: Path) -> list[str]:
    return [sys.executable, "-m", "alife", *ARGS, "--out", str(out)]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _kill_when(out: Path, shards: int, rng: random.Random) -> bool:
    """Start a run, SIGKILL it once `shards` shards exist (plus a random few ms); True if it
    was still running when killed."""
    proc = subprocess.Popen(_alife(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(out.glob("shard-*.npz"))) >= shards:
            time.sleep(rng.uniform(0.0, 0.05))
            break
        time.sleep(0.005)
    running = proc.poll() is None
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return running


@pytest.mark.slow  # CI time: the default suite keeps the run and evolve kill -9 tests (~15 s)
def test_killed_dataset_reruns_to_the_same_files(tmp_path):
    clean = tmp_path / "clean"
    subprocess.run(_alife(clean), check=True, timeout=300)
    expected = _files(clean)
    assert "manifest.json" in expected and len(expected) == 17

    out = tmp_path / "killed"
    rng = random.Random(7)
    landed = 0
    for shards in (1, 5, rng.randint(2, 14)):
        if _kill_when(out, shards, rng):
            landed += 1
            names = {p.name for p in out.iterdir()}
            if "manifest.json" not in names:  # an incomplete set has no manifest
                assert len([n for n in names if n.startswith("shard-")]) < 16
        for path in out.glob("shard-*.npz"):  # every shard under its final name is whole
            assert path.read_bytes() == expected[path.name]
    assert landed >= 2, "the runs finished before they could be killed"
    subprocess.run(_alife(out), check=True, timeout=300)
    finished = {k: v for k, v in _files(out).items() if not k.startswith(".")}
    assert finished == expected
