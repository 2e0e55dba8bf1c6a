"""`alife sweep`: configs x seeds in worker processes, own folders, resumable, one summary; the
same sweep on a local Ray (skipped when ray is not installed)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from alife.cli import main
from alife.core.errors import AlifeError
from alife.evolve.sweep import load_sweep

LIFE = {"version": 1, "name": "soup",
        "rule": {"family": "life", "config": {"rule": "B3/S23", "width": 24, "height": 24}},
        "init": {"random": {"density": 0.35}},
        "evolution": {"fitness": "life_longevity", "steps": 30, "record_every": 6,
                      "start": "random", "density": 0.35, "strategy": "ga", "population": 4,
                      "generations": 2}}


def write_sweep(tmp_path: Path, **extra) -> Path:
    (tmp_path / "scene.yaml").write_text(yaml.safe_dump(LIFE, sort_keys=False))
    sweep = {"scene": "scene.yaml", "out": str(tmp_path / "out"), "seeds": 2, "workers": 2,
             "configs": [{"name": "ga"}, {"name": "ga6", "population": 6,
                                          "set": ["rule.config.width=32"]}], **extra}
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(sweep))
    return path


def summary(tmp_path: Path) -> list[dict]:
    with (tmp_path / "out" / "summary.csv").open() as f:
        return list(csv.DictReader(f))


def test_sweep_plans_configs_times_seeds(tmp_path):
    runs, out, workers = load_sweep(write_sweep(tmp_path))
    assert [(r.config, r.seed) for r in runs] == [("ga", 0), ("ga", 1), ("ga6", 0), ("ga6", 1)]
    assert workers == 2 and out == tmp_path / "out"
    assert runs[3].folder == out / "ga6" / "seed1"
    cmd = runs[3].command(resume=True)
    assert cmd[-1] == "--resume" and "evolution.population=6" in cmd
    assert "rule.config.width=32" in cmd and cmd[cmd.index("--seed") + 1] == "1"
    with pytest.raises(AlifeError, match="twice"):
        load_sweep(write_sweep(tmp_path, configs=[{"name": "a"}, {"name": "a"}]))


@pytest.mark.slow  # CI time: the default suite keeps test_disk_full's sweep resume (~16 s)
def test_sweep_runs_in_parallel_folders_and_resumes(tmp_path, capsys):
    path = write_sweep(tmp_path, seeds=[1])
    assert main(["sweep", str(path)]) == 0
    rows = summary(tmp_path)
    assert [(r["config"], r["seed"], r["generations"], r["status"]) for r in rows] == \
        [("ga", "1", "2", "done"), ("ga6", "1", "2", "done")]
    assert "best_ever" in capsys.readouterr().out
    # the seed and the config reach the run
    folder = tmp_path / "out" / "ga6" / "seed1"
    assert "width: 32" in (folder / "best.yaml").read_text()
    assert "&quot;seed&quot;: 1" in (folder / "report.html").read_text()
    # finished runs are skipped; a run without result.json is resumed from its checkpoint
    (tmp_path / "out" / "ga" / "seed1" / "result.json").unlink()
    before = (folder / "metrics.jsonl").stat().st_mtime_ns
    assert main(["sweep", str(path), "--quiet", "--workers", "1"]) == 0
    assert (folder / "metrics.jsonl").stat().st_mtime_ns == before
    log = (tmp_path / "out" / "ga" / "seed1" / "log.txt").read_text().splitlines()
    assert [line.endswith("--resume") for line in log if line.startswith("$ ")] == [False, True]
    assert summary(tmp_path)[0]["status"] == "done"


@pytest.mark.slow
def test_sweep_on_a_local_ray(tmp_path):
    ray = pytest.importorskip("ray")
    path = write_sweep(tmp_path, seeds=1, configs=[{"name": "ga"}])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        assert main(["sweep", str(path), "--ray", "auto", "--quiet"]) == 0
    finally:
        ray.shutdown()
    assert [r["status"] for r in summary(tmp_path)] == ["done"]
