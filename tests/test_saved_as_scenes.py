"""A saved-as copy of every shipped scene, written into another folder, is the same world as the
original in every route (issue 16, defect 2 and its Done-when).

For each scene under scenes/ (`alife.scene.catalog`): load it, Save As into a folder elsewhere
(tmp, at another depth), load the copy. The copy must be the same world bit for bit (rule,
params, state, PRNG key, view, run), every path it holds (`alife.scene.paths`: params and init
files, `training.target` / `weights`, `evolution.target`, ...) must name the same file as the
original's, and working-folder paths (`out`) must be unchanged. Then both run a few steps and
render (the app's GridRenderer, offscreen) to identical bytes; the scenes with a `training:`
block train an iteration and those with an `evolution:` block evolve a tiny generation, each to
the same loss / fitness and weights as the original. The default suite checks the world and its
paths for every scene, runs and renders every scene but the slow-to-compile families and the
library folders (one scene of each), and trains and evolves the neural-CA scenes (the ones
whose blocks name files); `-m slow` does every scene in every route.
"""

from __future__ import annotations

import os
from pathlib import Path

import jax
import numpy as np
import pytest

import alife.evolve.settings  # noqa: F401  (declares the evolution: block's checks and paths)
from alife.core import rollout
from alife.scene.catalog import shipped_scenes
from alife.scene.io import load_scene, save_scene
from alife.scene.paths import resolved, scene_paths

SCENES = shipped_scenes()
TRAINS = sorted(n for n, p in SCENES.items() if "\ntraining:" in p.read_text())
EVOLVES = sorted(n for n, p in SCENES.items() if "\nevolution:" in p.read_text())
#: trained / evolved in the default suite (their blocks name files); the others under -m slow
FAST_TRAIN = {"nca/lizard"}
FAST_EVOLVE = {"evolve/nca_es"}
STEPS = 3
#: families whose step compiles for 10 s or more on a small CPU: one scene each in the default
#: suite's run-and-render check (every scene under -m slow), as for a library folder's scenes
#: (scenes/lenia/species/: the same family at other settings)
HEAVY = {"agents": "agents/default", "biomaker": "biomaker/rain"}


def _family(name: str) -> str:
    import yaml

    return str(yaml.safe_load(SCENES[name].read_text())["rule"]["family"])


def _runs_by_default(name: str) -> bool:
    family = _family(name)
    if family in HEAVY:
        return name == HEAVY[family]
    if name.count("/") > 1:  # a library folder: its first scene
        library = name.rpartition("/")[0]
        return name == min(n for n in SCENES if n.startswith(library + "/"))
    return True


def _leaves(tree) -> list[np.ndarray]:
    return [np.asarray(x) for x in jax.tree_util.tree_leaves(tree)]


def _same(a, b) -> bool:
    la, lb = _leaves(a), _leaves(b)
    return len(la) == len(lb) and all(x.dtype == y.dtype and x.shape == y.shape
                                      and np.array_equal(x, y, equal_nan=True)
                                      for x, y in zip(la, lb, strict=True))


def _key_data(key) -> np.ndarray:
    if jax.numpy.issubdtype(key.dtype, jax.dtypes.prng_key):
        key = jax.random.key_data(key)
    return np.asarray(key)


_PAIRS: dict[str, tuple] = {}


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """(original, copy) of a shipped scene by name, the copy saved as in another folder (each
    scene loaded and saved once per module)."""
    root = tmp_path_factory.mktemp("saved_as")

    def pair(name: str):
        if name not in _PAIRS:
            original = load_scene(SCENES[name])
            target = root / "elsewhere" / name.replace("/", "_") / f"{Path(name).name}.yaml"
            saved = save_scene(original, target)
            _PAIRS[name] = (original, load_scene(target), saved)
        return _PAIRS[name]

    yield pair
    _PAIRS.clear()


@pytest.mark.parametrize("name", sorted(SCENES))
def test_saved_as_copy_is_the_same_world_and_names_the_same_files(name, copies):
    original, copy, saved = copies(name)
    assert copy.path.parent != original.path.parent
    assert copy.rule == original.rule
    assert _same(copy.params, original.params) and _same(copy.state, original.state)
    assert np.array_equal(_key_data(copy.key), _key_data(original.key))
    assert copy.view == original.view and copy.run == original.run
    assert copy.seed == original.seed and copy.name == original.name

    # every path names the same file (working-folder ones unchanged), found from the schema
    here = resolved(original.source, original.rule, original.path.parent)
    there = resolved(copy.source, copy.rule, copy.path.parent)
    assert there == here
    for item in scene_paths(original.source, original.rule):
        if item.base == "file" and isinstance(item.value, str):
            assert os.path.exists(here[item.key]), (item.key, here[item.key])
    # the world save_scene hands back (what the app keeps working with) reads them the same
    assert saved.extra == copy.extra and saved.init == copy.init


@pytest.mark.gl
@pytest.mark.parametrize("name", [pytest.param(n, marks=() if _runs_by_default(n)
                                               else pytest.mark.slow) for n in sorted(SCENES)])
def test_saved_as_copy_runs_and_renders_as_the_original(name, copies, gl_ctx):
    from alife.render.frames import render_frames

    original, copy, _ = copies(name)
    a = rollout.run(original.rule, original.key, original.state, original.params, STEPS)
    b = rollout.run(copy.rule, copy.key, copy.state, copy.params, STEPS)
    assert _same(a, b) and int(b.generation) == int(original.state.generation) + STEPS
    frame_a = render_frames(original.with_state(a), 0, ctx=gl_ctx)[-1]
    frame_b = render_frames(copy.with_state(b), 0, ctx=gl_ctx)[-1]
    assert frame_a.shape == frame_b.shape and np.array_equal(frame_a, frame_b)


def _small_training(world) -> dict:
    """The scene's training block (its file paths as written), shrunk to a quick iteration."""
    block = dict(world.extra["training"])
    if world.rule.family == "nca":
        block.update(target_size=6, padding=3, batch=2, pool_size=4, steps=[3, 5])
    else:
        block.update(size=8, steps=2, batch=2, pool=2, fresh=1, eval_every=0)
    return block


@pytest.mark.parametrize("name", [pytest.param(n, marks=() if n in FAST_TRAIN
                                               else pytest.mark.slow) for n in TRAINS])
def test_saved_as_copy_trains_as_the_original(name, copies):
    from alife.families import build_trainer

    original, copy, _ = copies(name)
    a = build_trainer(original, settings=_small_training(original))
    b = build_trainer(copy, settings=_small_training(copy))
    assert Path(b.settings["weights"]).resolve() == Path(a.settings["weights"]).resolve()
    row_a, row_b = a.iterate(), b.iterate()
    assert row_a["loss"] == row_b["loss"] and np.isfinite(row_a["loss"])
    assert _same(a.params(), b.params())


def _small_evolution(world) -> dict:
    block = dict(world.extra["evolution"])
    record = int(block.get("record_every", 10))
    block.update(population=4, micro_batch=2, generations=1, steps=2 * record)
    return block


@pytest.mark.parametrize("name", [pytest.param(n, marks=() if n in FAST_EVOLVE
                                               else pytest.mark.slow) for n in EVOLVES])
def test_saved_as_copy_evolves_as_the_original(name, copies):
    from alife.evolve.runner import EvolutionRunner

    original, copy, _ = copies(name)
    a = EvolutionRunner(original, settings=_small_evolution(original))
    b = EvolutionRunner(copy, settings=_small_evolution(copy))
    row_a, row_b = a.iterate(), b.iterate()
    assert row_a["fitness"] == row_b["fitness"] and row_a["mean"] == row_b["mean"]
    assert np.array_equal(a.best_vector, b.best_vector)
    assert _same(a.params(), b.params())


def test_every_path_setting_is_declared_and_rebased(tmp_path):
    """The path keys come from the schema: the blocks' settings declared with `path=`."""
    from alife.core.config import path_keys
    from alife.rules.nca.training_block import NCATraining
    from alife.rules.vitca.training_block import ViTCATraining
    from alife.scene.paths import rebase_tree

    assert path_keys(NCATraining) == {("target",): "file", ("weights",): "file",
                                      ("out",): "cwd"}
    assert path_keys(ViTCATraining) == {("weights",): "file", ("out",): "cwd"}
    lizard = load_scene(SCENES["nca/lizard"])
    keys = {item.key for item in scene_paths(lizard.source, lizard.rule)}
    assert keys == {("rule", "params", "file"), ("training", "target"),
                    ("training", "weights"), ("training", "out")}
    moved = rebase_tree(lizard.source, lizard.rule, lizard.path.parent, tmp_path / "a" / "b")
    assert moved["training"]["out"] == "runs/nca_lizard"  # the working folder's, as written
    assert moved["training"]["target"] != lizard.source["training"]["target"]
    absolute = {**lizard.source, "training": {**lizard.source["training"],
                                              "target": "/data/t.png"}}
    assert rebase_tree(absolute, lizard.rule, lizard.path.parent,
                       tmp_path)["training"]["target"] == "/data/t.png"  # absolute: as it is


def test_save_as_into_a_new_folder_beside_the_original_names_the_same_params_file(tmp_path):
    """A relative path from a folder that does not exist yet (`../../src/...` walks through it)
    still finds the params file when Save As checks them, so no copy of the weights is written
    (the shipped-scene test hits this only where the checkout and the temp folder share a
    parent: the CI clone in /tmp did)."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    src = tmp_path / "src"
    for part in ("scenes/nca/lizard.yaml", "assets/weights/nca_lizard.npz",
                 "assets/targets/lizard_24.png"):
        (src / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / part, src / part)
    world = load_scene(src / "scenes/nca/lizard.yaml")
    target = tmp_path / "dst" / "deep" / "lizard.yaml"
    save_scene(world, target)
    import yaml

    saved = yaml.safe_load(target.read_text())
    assert saved["rule"]["params"] == {"file": "../../src/assets/weights/nca_lizard.npz"}
    assert not (target.parent / "lizard.params.npz").exists()
    copy = load_scene(target)
    assert all(np.array_equal(np.asarray(a), np.asarray(b)) for a, b in
               zip(jax.tree_util.tree_leaves(copy.params),
                   jax.tree_util.tree_leaves(world.params), strict=True))
