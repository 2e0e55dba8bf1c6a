"""`alife run` donates the world state to each chunk (issue 20: one copy of a large State, not
two): the results are bit-identical to the plain rollout, nothing still reads a donated state
(metrics, checkpoints, resume, the final write, the lineage diff), and jax's notes about
donation never reach the user.

Truth: `rollout.run` without donation from the same scene (the engine's tested path), and
NumPy copies taken before a call; `Array.is_deleted()` shows that donation really happened.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import slow_marked

from alife.cli import main
from alife.core import rollout
from alife.core.fileio import load_arrays, tree_to_arrays
from alife.jobs.run import RunJob
from alife.scene.io import load_scene

ROOT = Path(__file__).resolve().parents[1]
SMALL_AGENTS = ["rule.config.width=32", "rule.config.height=32", "rule.config.agents=8",
                "rule.config.start=4", "rule.config.robots=2", "rule.config.brain=small"]
CASES = {
    "life": ("scenes/life/highlife_replicator.yaml", 17, []),
    "lenia": ("scenes/lenia/orbium.yaml", 6, []),
    "biomaker": ("scenes/biomaker/petri.yaml", 7, []),
    "agents": ("scenes/agents/default.yaml", 6, SMALL_AGENTS),
}


def _assert_saved(path: Path, truth, what: str) -> None:
    saved = load_arrays(path)
    for key, leaf in tree_to_arrays(truth).items():
        assert key in saved, (what, key, sorted(saved))
        np.testing.assert_array_equal(saved[key], leaf, err_msg=f"{what}: {key}")


def _sets(overrides: list[str]) -> list[str]:
    return [arg for o in overrides for arg in ("--set", o)]


#: CI time: their compiles (donated and not) take most of a minute at load; `-m slow` runs them
SLOW_CASES = ("agents", "biomaker")


@pytest.mark.parametrize("name", slow_marked(CASES, SLOW_CASES))
def test_alife_run_donating_matches_the_plain_rollout(name, tmp_path):
    scene, steps, overrides = CASES[name]
    world = load_scene(ROOT / scene, overrides)
    plain = rollout.run(world.rule, world.key, world.state, world.params, steps)
    # whole run (about 50 donated chunks of one step here), with a metrics table
    out, metrics = tmp_path / "end.npz", tmp_path / "m.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a donation note would fail the run
        assert main(["run", str(ROOT / scene), *_sets(overrides), "--steps", str(steps),
                     "--out", str(out), "--metrics", str(metrics), "--every", "2",
                     "--quiet"]) == 0
    _assert_saved(out, plain, f"{name}: alife run")
    rows = metrics.read_text().splitlines()
    assert rows[-1].split(",")[0] == str(int(plain.generation))
    # checkpoint part way, then resume from it: the resumed state is donated too
    ck = tmp_path / "ck.npz"
    assert main(["run", str(ROOT / scene), *_sets(overrides), "--steps", "3",
                 "--checkpoint", str(ck), "--quiet"]) == 0
    out2 = tmp_path / "resumed.npz"
    assert main(["run", str(ROOT / scene), *_sets(overrides), "--steps", str(steps),
                 "--checkpoint", str(ck), "--resume", "--out", str(out2), "--quiet"]) == 0
    _assert_saved(out2, plain, f"{name}: checkpoint + resume")
    _assert_saved(ck, plain, f"{name}: last checkpoint")


def test_run_job_donates_each_chunk(tmp_path):
    scene, _, overrides = CASES["lenia"]
    world = load_scene(ROOT / scene, overrides)
    truth = tree_to_arrays(rollout.run(world.rule, world.key, world.state, world.params, 4))
    first = jax.tree_util.tree_leaves(world.state)[0]
    job = RunJob(world, 4, every=2, metrics=tmp_path / "m.csv")
    job.iterate()
    assert first.is_deleted(), "the chunk did not donate the state"
    job.iterate()
    job.save_checkpoint(tmp_path / "ck.npz")  # reads the live state only
    for k, leaf in tree_to_arrays(job.world.state).items():
        np.testing.assert_array_equal(leaf, truth[k], err_msg=k)


@pytest.mark.slow
def test_run_job_with_lineage_keeps_the_state_before_a_chunk(tmp_path):
    # the lineage diff reads the state before a chunk after it: no donation
    scene, _, overrides = CASES["agents"]
    world = load_scene(ROOT / scene, overrides)
    first = jax.tree_util.tree_leaves(world.state)[0]
    job = RunJob(world, 4, every=2, lineage=tmp_path / "lineage.csv")
    job.iterate()
    job.iterate()
    assert not first.is_deleted()
    job.save_checkpoint(tmp_path / "ck2.npz")
    births = [r for r in (tmp_path / "lineage.csv").read_text().splitlines()[1:] if r]
    assert len(births) >= 4  # the founders at least


def test_donation_copies_shared_buffers_and_is_silent():
    from alife import families as registry

    rule = registry.create("life", rule="B3/S23", width=16, height=16)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(3), params)
    key = jax.random.PRNGKey(4)
    truth = tree_to_arrays(rollout.run(rule, key, state, params, 9))
    # a leaf that is also a params leaf must survive the donation (copied first)
    leaves, tree = jax.tree_util.tree_flatten(state)
    shared, alone = jnp.arange(5.0), jnp.ones(3)
    # the same buffer twice and a "params" leaf: both copied; a leaf of its own is kept
    out = rollout._unshared([shared, shared, alone], (key, {"w": shared}))
    assert out[0] is not shared and out[1] is not shared and out[0] is not out[1]
    assert out[2] is alone
    np.testing.assert_array_equal(np.asarray(out[1]), np.asarray(shared))
    own = jax.tree_util.tree_unflatten(tree, [jnp.array(x, copy=True) for x in leaves])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = rollout.run(rule, key, own, params, 9, donate=True)
    assert all(x.is_deleted() for x in jax.tree_util.tree_leaves(own)
               if isinstance(x, jax.Array))
    for k, leaf in tree_to_arrays(got).items():
        np.testing.assert_array_equal(leaf, truth[k], err_msg=k)
    # params still usable after a donated call
    rollout.run(rule, key, got, params, 1, donate=True)

