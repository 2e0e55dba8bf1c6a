"""`alife run --checkpoint --metrics` survives kill -9 at any instant: resumed with `--resume`, the
metrics CSV and the final state equal an uninterrupted run's, byte for byte.

The driver (`alife.jobs.loop.run_job`) writes a run's tables before its state, so a kill between
the two leaves the tables ahead of the checkpoint and the resume drops and recomputes those rows.
The subprocess test kills at several instants (the first checkpoint, right after a checkpoint
write, random moments); the in-process test stops exactly between the tables and the state, with
the lineage table of the agents family as well.
"""

from __future__ import annotations

import random
import signal
from pathlib import Path

import numpy as np
from kill_driver import kill_at_checkpoint

from alife.cli import main
from alife.core.fileio import load_arrays, tree_to_arrays

ROOT = Path(__file__).resolve().parents[1]
GUN = ROOT / "scenes" / "life" / "gosper_glider_gun.yaml"
STEPS, EVERY = 3000, 15

AGENTS = """version: 1
name: tiny agents
seed: 3
rule:
  family: agents
  config: {width: 32, height: 32, agents: 16, start: 8, robots: 4, brain: small, view_agents: 4,
           max_births: 4, robot_substeps: 2, perlin_res: 2, log_size: 256}
run: {steps: 12}
"""


def _args(tmp_path: Path, name: str) -> list[str]:
    return ["run", str(GUN), "--steps", str(STEPS), "--every", str(EVERY), "--quiet",
            "--metrics", str(tmp_path / f"{name}.csv")]


def _same_state(a: Path, b: Path) -> None:
    x, y = load_arrays(a), load_arrays(b)
    assert sorted(x) == sorted(y)
    for name in x:
        np.testing.assert_array_equal(x[name], y[name], err_msg=name)


def test_kill_minus_9_at_any_instant_then_resume_is_the_uninterrupted_run(tmp_path):
    assert main([*_args(tmp_path, "whole"), "--out", str(tmp_path / "whole.npz")]) == 0
    ck = tmp_path / "ck.npz"
    cut = [*_args(tmp_path, "cut"), "--checkpoint", str(ck), "--checkpoint-every-s", "0"]
    rng = random.Random(7)
    instants = [("exists", 0.0), ("new", 0.0), ("new", rng.uniform(0, 0.3)),
                ("new", rng.uniform(0, 0.3))]
    landed = 0
    for n, (wait, delay) in enumerate(instants):
        code = kill_at_checkpoint(cut + (["--resume"] if n else []), ck, wait, delay)
        landed += code == -signal.SIGKILL
        if code == 0:
            break
    assert landed >= 2   # the run was cut at least twice before it could finish
    assert int(load_arrays(ck)["generation"]) < STEPS
    assert main([*cut, "--resume", "--out", str(tmp_path / "cut.npz")]) == 0
    assert (tmp_path / "cut.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    _same_state(tmp_path / "cut.npz", tmp_path / "whole.npz")
    assert (tmp_path / "cut.npz").read_bytes() == (tmp_path / "whole.npz").read_bytes()


def test_a_kill_between_the_tables_and_the_state_loses_nothing(tmp_path):
    """Agents with metrics and lineage: the tables are written for generation 9, the state is
    still the checkpoint of generation 3 (as a kill inside the checkpoint leaves them)."""
    from alife.jobs.loop import run_job
    from alife.jobs.run import RunJob
    from alife.scene.open import open_world

    scene = tmp_path / "tiny.yaml"
    scene.write_text(AGENTS)

    def job(name: str) -> RunJob:
        return RunJob(open_world(str(scene), []), 12, every=3,
                      metrics=tmp_path / f"{name}.csv", lineage=tmp_path / f"{name}-lin.csv")

    whole = job("whole")
    run_job(whole, 12, quiet=True)
    ck = tmp_path / "ck.npz"
    cut = job("cut")
    run_job(cut, 3, checkpoint=ck, quiet=True)
    cut.iterate()
    cut.iterate()
    for table in cut.logs:   # the first half of a checkpoint, then the kill
        table.flush()
    assert int(load_arrays(ck)["generation"]) == 3
    resumed = job("cut")
    run_job(resumed, 12, checkpoint=ck, resume=True, quiet=True)
    for name in ("", "-lin"):
        assert (tmp_path / f"cut{name}.csv").read_bytes() == \
            (tmp_path / f"whole{name}.csv").read_bytes()
    x, y = tree_to_arrays(whole.world.state), tree_to_arrays(resumed.world.state)
    assert sorted(x) == sorted(y)
    for name in x:
        np.testing.assert_array_equal(x[name], y[name], err_msg=name)
