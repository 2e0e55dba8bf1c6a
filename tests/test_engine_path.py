"""One engine path: the Python API, `alife run` and the app's stepping agree, family by family.

For a shipped scene of each family (stochastic NCA and ViTCA included), `rollout.run` from the
Python API, `alife run --out end.npz` (chunked, with and without a metrics interval) and the app
controller's `advance` (a traced step count, several chunks) must reach the same State after N
steps: every step's key is `fold_in(world.key, generation)` however the run is cut.
"""

from __future__ import annotations

from pathlib import Path

import jax
import numpy as np
import pytest
from cases import slow_marked

from alife.cli import main
from alife.core import rollout
from alife.core.fileio import load_arrays, tree_to_arrays
from alife.scene.io import load_scene

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "life": ("scenes/life/highlife_replicator.yaml", 23, []),
    "ltl": ("scenes/ltl/bosco.yaml", 9, []),
    "elementary": ("scenes/elementary/rule30.yaml", 31, []),
    "lenia": ("scenes/lenia/orbium.yaml", 7, []),
    "nca": ("scenes/nca/lizard.yaml", 11, []),
    "vitca": ("scenes/vitca/digits.yaml", 5, []),
    "biomaker": ("scenes/biomaker/petri.yaml", 9, []),
    "agents": ("scenes/agents/default.yaml", 5,
               ["rule.config.width=48", "rule.config.height=48", "rule.config.agents=16",
                "rule.config.start=8", "rule.config.robots=4", "rule.config.brain=small"]),
    "templates": ("scenes/templates/touching_loops.yaml", 13, []),
}


def _leaves(state) -> list[np.ndarray]:
    return [np.asarray(x) for x in jax.tree_util.tree_leaves(state)]


def _assert_same(a, b, what: str) -> None:
    la, lb = _leaves(a), _leaves(b)
    assert len(la) == len(lb), what
    for x, y in zip(la, lb, strict=True):
        np.testing.assert_array_equal(x, y, err_msg=what)


#: CI time: agents' three routes compile for ~20 s; `-m slow` runs it
SLOW_CASES = ("agents",)


@pytest.mark.parametrize("name", slow_marked(CASES, SLOW_CASES))
def test_api_cli_and_app_reach_the_same_state(name, tmp_path):
    from alife.app.controller import Controller

    scene, steps, overrides = CASES[name]
    world = load_scene(ROOT / scene, overrides)
    api = rollout.run(world.rule, world.key, world.state, world.params, steps)
    assert int(api.generation) == int(world.state.generation) + steps

    # the same run cut differently: 3 steps, then the rest
    part = rollout.run(world.rule, world.key, world.state, world.params, 3)
    _assert_same(api, rollout.run(world.rule, world.key, part, world.params, steps - 3),
                 f"{name}: chunked rollout")

    # alife run, with a metrics interval that cuts the run into chunks of 4
    out = tmp_path / "end.npz"
    sets = [arg for o in overrides for arg in ("--set", o)]
    assert main(["run", str(ROOT / scene), *sets, "--steps", str(steps), "--out", str(out),
                 "--metrics", str(tmp_path / "m.csv"), "--every", "4", "--quiet"]) == 0
    saved = load_arrays(out)
    for key, leaf in tree_to_arrays(api).items():  # the names `--out` gives the leaves
        assert key in saved, (key, sorted(saved))
        np.testing.assert_array_equal(saved[key], leaf, err_msg=f"{name}: alife run")

    # the app: frames of 2 generations, then the rest in one frame
    c = Controller(load_scene(ROOT / scene, overrides))
    c.advance(2)
    c.advance(steps - 2)
    _assert_same(api, c.state, f"{name}: app stepping")


def test_rules_compare_by_config_and_compile_once():
    from alife import families as registry

    a = registry.create("life", rule="B3/S23", width=32, height=32)
    b = registry.create("life", rule="B3/S23", width=32, height=32)
    c = registry.create("life", rule="B3/S23", width=64, height=32)
    assert a == b and hash(a) == hash(b) and a is not b
    assert a != c and len({a, b, c}) == 2

    traces = []

    class Counting(type(a)):  # same step, counted when traced
        def step(self, key, state, params):
            traces.append(1)
            return super().step(key, state, params)

        def fast_advance(self, key, state, params, steps):  # the packed path's many steps
            traces.append(1)
            return super().fast_advance(key, state, params, steps)

    x, y = Counting(**a.config()), Counting(**a.config())
    params = x.default_params()
    state = x.init(jax.random.PRNGKey(0), params)
    rollout.run(x, jax.random.PRNGKey(1), state, params, 5)
    rollout.run(y, jax.random.PRNGKey(1), state, params, 9)  # another instance, other length
    assert len(traces) == 1, "a second instance of the same config recompiled"
