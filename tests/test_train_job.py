"""TrainingJob: background training with pause/resume/stop, live history, weight swaps."""

from __future__ import annotations

import time

import jax
import numpy as np

from alife.core.fileio import load_tree
from alife.jobs.job import TrainingJob
from alife.rules.nca import NCARule
from alife.rules.nca.training import NCATrainer, training_settings


def tiny_trainer() -> NCATrainer:
    rule = NCARule(width=10, height=10, channels=8, hidden=16)
    target = np.zeros((4, 4, 4), np.float32)
    target[1:3, 1:3] = [0.1, 0.6, 0.2, 1.0]
    settings = training_settings({"experiment": "persistent", "target_size": 4, "padding": 3,
                                  "batch": 2, "pool_size": 4, "steps": [3, 5],
                                  "iterations": 1000, "lr": 1e-2})
    return NCATrainer(rule, settings, target)


def wait_for(cond, timeout=60.0):
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_job_runs_pauses_resumes_stops_and_swaps_weights(tmp_path):
    trainer = tiny_trainer()
    rule = NCARule(width=16, height=16, channels=8, hidden=16)  # a bigger world, same weights
    world_params = rule.default_params()
    traces = []

    def counted(k, s, p):
        traces.append(1)
        return rule.step(k, s, p)

    step = jax.jit(counted)
    state = step(jax.random.PRNGKey(0), rule.init(jax.random.PRNGKey(0), world_params),
                 world_params)

    job = TrainingJob(trainer)
    assert job.state == "idle"
    job.start()
    wait_for(lambda: job.step >= 3)
    job.pause()
    wait_for(lambda: not job.busy)  # the iteration in flight finishes
    paused_at = job.step
    time.sleep(0.3)
    assert job.state == "paused" and job.step == paused_at
    job.resume()
    wait_for(lambda: job.step >= paused_at + 2)
    job.stop()
    assert job.state == "stopped" and job.error is None
    steps, losses = job.losses()
    assert steps == list(range(1, len(steps) + 1)) and all(np.isfinite(losses))

    latest = job.latest_params()
    np.testing.assert_array_equal(np.asarray(latest.w2), np.asarray(trainer.weights.w2))
    assert np.any(np.asarray(latest.w2) != 0)  # trained: the zero-initialised layer moved
    state = step(jax.random.PRNGKey(1), state, latest)  # swap in: no recompile
    assert len(traces) == 1

    job.save(tmp_path / "w.npz")
    back = load_tree(tmp_path / "w.npz", world_params)
    np.testing.assert_array_equal(np.asarray(back.w1), np.asarray(latest.w1))


def test_job_finishes_at_total():
    job = TrainingJob(tiny_trainer(), total=3)
    job.start()
    job.join(60)
    assert job.state == "done" and job.step == 3 and len(job.history()) == 3
