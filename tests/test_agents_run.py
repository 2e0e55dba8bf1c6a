"""`alife run` on an agents scene: checkpoint + resume give the uninterrupted result (state,
metrics CSV and lineage table), and the lineage table is consistent."""

from __future__ import annotations

import csv

import numpy as np

from alife.cli import main
from alife.core.fileio import load_arrays

SCENE = """version: 1
name: tiny agents
seed: 3
rule:
  family: agents
  config: {width: 32, height: 32, agents: 16, start: 8, robots: 4, brain: small, view_agents: 4,
           max_births: 4, robot_substeps: 2, perlin_res: 2, log_size: 256}
run: {steps: 12}
"""


def _run(tmp_path, name: str, *extra: str) -> None:
    args = ["run", str(tmp_path / "tiny.yaml"), "--quiet", "--every", "3",
            "--metrics", str(tmp_path / f"{name}.csv"), "--lineage",
            str(tmp_path / f"{name}-lineage.csv"), *extra]
    assert main(args) == 0


def test_checkpoint_and_resume_give_the_uninterrupted_run(tmp_path):
    (tmp_path / "tiny.yaml").write_text(SCENE)
    _run(tmp_path, "whole", "--steps", "12", "--out", str(tmp_path / "whole.npz"))
    ck = str(tmp_path / "ck.npz")
    _run(tmp_path, "cut", "--steps", "6", "--checkpoint", ck)
    assert int(load_arrays(ck)["generation"]) == 6
    _run(tmp_path, "cut", "--steps", "12", "--checkpoint", ck, "--resume",
         "--out", str(tmp_path / "cut.npz"))
    whole, cut = load_arrays(tmp_path / "whole.npz"), load_arrays(tmp_path / "cut.npz")
    assert sorted(whole) == sorted(cut) and int(cut["generation"]) == 12
    for name in whole:
        np.testing.assert_array_equal(whole[name], cut[name], err_msg=name)
    assert (tmp_path / "whole.csv").read_text() == (tmp_path / "cut.csv").read_text()
    lineage = (tmp_path / "whole-lineage.csv").read_text()
    assert lineage == (tmp_path / "cut-lineage.csv").read_text()
    rows = list(csv.DictReader(lineage.splitlines()))
    assert rows[0].keys() >= {"id", "slot", "parent", "birth", "death"}
    assert len({r["id"] for r in rows}) == len(rows)
    alive_at_end = int(np.sum(whole["agents/alive"]))
    assert sum(1 for r in rows if r["death"] == "") == alive_at_end
    for r in rows:   # every death comes after its birth, children after their parents
        if r["death"] and r["birth"]:
            assert int(r["death"]) >= int(r["birth"])
