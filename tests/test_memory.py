"""alife.core.memory: the allocator hooks are safe no-ops where unsupported, rate-limited, and
leave results alone (a run trimmed after every chunk equals one never trimmed)."""

from __future__ import annotations

import sys
import time

import jax
import numpy as np
import pytest

from alife.core import memory


def test_resident_mb_reads_this_process() -> None:
    mb = memory.resident_mb()
    if not sys.platform.startswith("linux"):
        assert mb is None
        return
    assert mb is not None and mb > 1.0
    assert memory.resident_mb(2 ** 30) is None   # no such process


@pytest.mark.serial  # timed: run alone
def test_release_memory_is_rate_limited_and_quick() -> None:
    if memory._glibc() is None:
        assert memory.release_memory() is False
        pytest.skip("not glibc")
    blocks = [np.ones(1 << 16, np.uint8) for _ in range(2000)]   # ~130 MB of heap, then free
    del blocks
    started = time.perf_counter()
    assert memory.release_memory() is True
    assert time.perf_counter() - started < 2.0
    assert memory.release_memory(3600.0) is False   # the one just now is recent


def test_tune_allocator_is_idempotent() -> None:
    first = memory.tune_allocator()
    assert isinstance(first, bool)
    assert memory.tune_allocator() is first
    if memory._glibc() is None:
        assert first is False


def test_chunks_with_releases_match_one_run() -> None:
    from alife.core import rollout
    from alife.rules.life import LifeRule
    from alife.scene.runner import advance
    from alife.scene.world import World

    rule = LifeRule(width=32, height=32)
    params = rule.default_params()
    key = jax.random.PRNGKey(3)
    world = World(rule=rule, params=params, state=rule.init(key, params), key=key)
    memory._done["trimmed"] = float("-inf")
    cut = advance(world, 40, every=7)
    whole = rollout.run(rule, key, world.state, params, 40)
    assert np.array_equal(np.asarray(rule.cells(cut.state)), np.asarray(rule.cells(whole)))
