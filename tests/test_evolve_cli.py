"""`alife evolve` end to end: its files, kill -9 + --resume, device counts and two processes.

The runs are tiny (24x24 Life, 40x40 Lenia, a few generations); runs in subprocesses set
`--host-devices N` (XLA_FLAGS before JAX starts) or join a 2-process `jax.distributed` run on
127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from alife.cli import main
from alife.core.fileio import load_arrays
from alife.scene.io import load_scene

ROOT = Path(__file__).resolve().parents[1]
LIFE = {"version": 1, "name": "soup",
        "rule": {"family": "life", "config": {"rule": "B3/S23", "width": 24, "height": 24}},
        "init": {"random": {"density": 0.35}},
        "evolution": {"fitness": "life_longevity", "steps": 40, "record_every": 5,
                      "start": "random", "density": 0.35, "strategy": "ga", "population": 8,
                      "generations": 4, "common_keys": False}}
LENIA = {"version": 1, "name": "mover",
         "rule": {"family": "lenia", "config": {"width": 40, "height": 40, "start": "orbium"}},
         "evolution": {"fitness": "lenia_mover", "steps": 20, "record_every": 5,
                       "strategy": "pgpe", "population": 6, "generations": 3}}


def scene(tmp_path: Path, tree: dict, name: str = "scene.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(tree, sort_keys=False))
    return path


def rows(out: Path) -> list[tuple]:
    lines = (out / "metrics.jsonl").read_text().splitlines()
    return [(r["step"], r["fitness"], r["mean"], r["best_ever"]) for r in map(json.loads, lines)]


def same_weights(a: Path, b: Path) -> None:
    x, y = load_arrays(a / "weights.npz"), load_arrays(b / "weights.npz")
    assert sorted(x) == sorted(y)
    for k in x:
        np.testing.assert_array_equal(x[k], y[k], err_msg=k)


def cli(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "alife", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_evolve_writes_logs_plot_best_scene_and_report(tmp_path):
    path = scene(tmp_path, LENIA)
    out = tmp_path / "out"
    assert main(["evolve", str(path), "--out", str(out), "--quiet", "--generations", "2",
                 "--strategy", "snes"]) == 0
    assert [r[0] for r in rows(out)] == [1, 2]
    csv = (out / "metrics.csv").read_text().splitlines()
    assert csv[0] == "step,fitness,mean,best_ever,evals_per_s" and len(csv) == 3
    assert (out / "fitness.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = (out / "report.html").read_text()
    assert report.count("data:image/png;base64,") == 3 and "SNES" in report
    best = load_scene(out / "best.yaml")
    weights = load_arrays(out / "weights.npz")
    for name in ("mu", "sigma", "dt", "radius"):
        assert float(getattr(best.params, name)) == pytest.approx(float(weights[name]))
    assert best.extra["evolution"]["fitness"] == "lenia_mover"
    assert main(["evolve", str(path), "--out", str(tmp_path / "o2"), "--quiet",
                 "--strategy", "nope"]) == 2


def test_kill_minus_9_then_resume_matches_an_uninterrupted_run(tmp_path):
    tree = {**LIFE, "evolution": {**LIFE["evolution"], "generations": 40}}
    path = scene(tmp_path, tree)
    killed = tmp_path / "killed"
    proc = cli("evolve", str(path), "--out", str(killed), "--quiet", "--checkpoint-every", "0")
    log = killed / "metrics.jsonl"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if log.exists() and len(log.read_text().splitlines()) >= 5:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    assert proc.wait(timeout=60) == -signal.SIGKILL, proc.stderr.read()
    stopped = len(rows(killed))
    assert 5 <= stopped < 40
    assert main(["evolve", str(path), "--out", str(killed), "--quiet", "--resume"]) == 0
    whole = tmp_path / "whole"
    assert main(["evolve", str(path), "--out", str(whole), "--quiet"]) == 0
    assert rows(killed) == rows(whole) and len(rows(whole)) == 40
    same_weights(killed, whole)


def _run_devices(tmp_path: Path, path: Path, devices: int) -> Path:
    out = tmp_path / f"dev{devices}"
    proc = cli("evolve", str(path), "--out", str(out), "--quiet", "--host-devices",
               str(devices))
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return out


def test_three_devices_give_the_single_device_result(tmp_path):
    """Population 6 padded to 6 on 3 devices; Lenia (FFT) and the strategy state replicated."""
    path = scene(tmp_path, {**LENIA, "evolution": {**LENIA["evolution"], "population": 8}})
    one = tmp_path / "one"
    assert main(["evolve", str(path), "--out", str(one), "--quiet"]) == 0
    three = _run_devices(tmp_path, path, 3)  # 8 candidates padded to 9
    assert rows(one) == rows(three)
    same_weights(one, three)


@pytest.mark.slow
@pytest.mark.parametrize("tree", [LENIA, LIFE], ids=["lenia", "life"])
def test_one_two_four_eight_devices_agree(tmp_path, tree):
    path = scene(tmp_path, tree)
    outs = [_run_devices(tmp_path, path, n) for n in (1, 2, 4, 8)]
    for out in outs[1:]:
        assert rows(out) == rows(outs[0])
        same_weights(out, outs[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_two_processes_agree_with_one(tmp_path):
    path = scene(tmp_path, LENIA)
    single = _run_devices(tmp_path, path, 4)
    port = _free_port()
    multi = tmp_path / "multi"
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    procs = [cli("evolve", str(path), "--out", str(multi), "--host-devices", "2",
                 "--coordinator", f"127.0.0.1:{port}", "--num-processes", "2",
                 "--process-id", str(i), env=env) for i in range(2)]
    try:
        said = []
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
            said.append(out)
        assert "on 4 device(s) in 2 process(es)" in said[0] and "evolving" not in said[1]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert rows(multi) == rows(single)
    same_weights(multi, single)


def test_deploy_puts_the_best_genome_into_a_copy_of_another_scene(tmp_path):
    path = scene(tmp_path, LENIA)
    target = scene(tmp_path, {"version": 1, "name": "big dish", "description": "A wider dish.",
                              "rule": {"family": "lenia",
                                       "config": {"width": 48, "height": 32,
                                                  "start": "orbium"}},
                              "run": {"steps": 7}}, "target.yaml")
    out, dest = tmp_path / "out", tmp_path / "deployed" / "winner.yaml"
    dest.parent.mkdir()
    assert main(["evolve", str(path), "--out", str(out), "--quiet", "--generations", "2",
                 "--deploy", str(target), "--deploy-out", str(dest),
                 "--deploy-set", "rule.config.height=36", "--deploy-note", "Hello."]) == 0
    world = load_scene(dest)
    weights = load_arrays(out / "weights.npz")
    for name in ("mu", "sigma", "dt"):  # the genome: the winner's values
        assert float(getattr(world.params, name)) == pytest.approx(float(weights[name]))
    start = load_scene(path)
    assert float(world.params.mu) != float(start.params.mu)  # it did move
    assert world.rule.config()["width"] == 48 and world.rule.config()["height"] == 36
    assert "evolution" not in world.extra and world.run == {"steps": 7}
    assert world.description.startswith("A wider dish. Deployed evolution winner: `alife evolve")
    assert "population 6, 2 generations" in world.description
    assert world.description.endswith("Hello.")
    assert main(["run", str(dest), "--steps", "3", "--quiet"]) == 0
    # the same run, resumed with no generations left, deploys again with the same params
    again = tmp_path / "again.yaml"
    assert main(["evolve", str(path), "--out", str(out), "--quiet", "--generations", "2",
                 "--resume", "--deploy", str(target), "--deploy-out", str(again)]) == 0
    assert float(load_scene(again).params.mu) == float(world.params.mu)
    assert [r[0] for r in rows(out)] == [1, 2]


def test_deploy_into_a_scene_the_genome_does_not_fit_fails_before_running(tmp_path):
    path = scene(tmp_path, LENIA)
    life = scene(tmp_path, {"version": 1, "name": "life",
                            "rule": {"family": "life", "config": {"width": 8, "height": 8}}},
                 "life.yaml")
    out = tmp_path / "out"
    assert main(["evolve", str(path), "--out", str(out), "--quiet", "--deploy", str(life),
                 "--deploy-out", str(tmp_path / "x.yaml")]) == 2
    assert not (out / "metrics.jsonl").exists() and not (tmp_path / "x.yaml").exists()
    assert main(["evolve", str(path), "--out", str(out), "--quiet",
                 "--deploy-out", str(tmp_path / "x.yaml")]) == 2
