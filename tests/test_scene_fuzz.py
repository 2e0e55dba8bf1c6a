"""Property tests for scenes: random YAML trees, random text, and mutations of the shipped scenes
loaded through `open_world` give either a valid World or an AlifeError (one line), never another
exception.

A valid World is checked for what the rest of alife relies on: its state has the rule's shapes,
its view settings are resolved, and saving then reloading it gives the same config.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import jax
import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alife.core.errors import AlifeError
from alife.scene import open_world, save_scene
from alife.scene.schema import parse_value
from alife.scene.world import World

ROOT = Path(__file__).resolve().parents[1]
#: small shipped scenes (loading them is quick); their file paths are made absolute
SHIPPED = ["life/gosper_glider_gun.yaml", "life/highlife_replicator.yaml",
           "elementary/rule110.yaml", "generations/brians_brain.yaml", "lenia/orbium.yaml"]
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

KEYS = ["version", "name", "description", "seed", "rule", "family", "config", "params", "init",
        "view", "run", "pattern", "random", "image", "npz", "default", "empty", "file", "at",
        "centre", "transform", "rotate", "flip_x", "flip_y", "density", "width", "height",
        "rule", "radius", "mu", "sigma", "dt", "zoom", "look", "colormap", "channel", "palette",
        "grid_lines", "steps", "steps_per_frame", "fps", "topology", "history", "k", "r",
        "start", "peaks", "training", "x"]
FAMILIES = ["life", "elementary", "lenia", "nca", "vitca", "nope", ""]
scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(-3, 300),
    st.sampled_from([0, 1, 2**31, 2**63, -(2**63), 10**30, 110, 30, 255, 256]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["B3/S23", "W110", "B3/S23:T16,16", "R5,C0,M1,S34..58,B34..45,NM",
                     "torus", "plane", "viridis", "binary", "#ff8800", "orbium", "random", ""]),
    st.text(max_size=12),
)
trees = st.recursive(scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.sampled_from(KEYS), kids, max_size=5)), max_leaves=25)


def _shipped(name: str) -> dict[str, Any]:
    path = ROOT / "scenes" / name
    tree = yaml.safe_load(path.read_text())
    init = tree.get("init") or {}
    for block in init.values():
        if isinstance(block, dict) and isinstance(block.get("file"), str):
            block["file"] = str((path.parent / block["file"]).resolve())
    return tree


def _load(tmp_path: Path, text: str) -> World | None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        world = open_world(path)
    except AlifeError as exc:
        assert str(exc) and len(str(exc).splitlines()) == 1, str(exc)
        return None
    _check_world(world, tmp_path)
    return world


def _check_world(world: World, tmp_path: Path) -> None:
    shapes = jax.eval_shape(world.rule.init, jax.random.PRNGKey(0), world.params)
    for want, got in zip(jax.tree_util.tree_leaves(shapes),
                         jax.tree_util.tree_leaves(world.state), strict=True):
        assert tuple(want.shape) == tuple(np.shape(got))
    assert world.view.look and world.view.colormap
    saved = save_scene(world, tmp_path / "saved.yaml")
    again = open_world(saved.path)
    assert again.rule.config() == world.rule.config()


def _small(tree: Any) -> bool:
    """Keep worlds the fuzzer builds small (big ones are valid, just slow to allocate)."""
    config = tree.get("rule", {}).get("config") if isinstance(tree.get("rule"), dict) else None
    if not isinstance(config, dict):
        return True
    sizes = [v for k, v in config.items() if k in ("width", "height", "history")]
    return all(not isinstance(v, int) or v <= 512 for v in sizes)


@FUZZ
@given(tree=trees)
def test_random_yaml_trees(tmp_path, tree):
    _load(tmp_path, yaml.safe_dump(tree, allow_unicode=True))


@FUZZ
@given(text=st.text(max_size=200))
def test_random_text(tmp_path, text):
    _load(tmp_path, text)


_yaml_tokens = st.sampled_from(["&a ", "&b ", "*a", "*b", "[", "]", "{", "}", ", ", ": ", "- ",
                                 "\n", "  ", "rule", "family: life", "config", "x", "1", "<<: ",
                                 "!!str ", "!!python/object ", "? ", "|\n", "'", '"', "#"])


@FUZZ
@given(tokens=st.lists(_yaml_tokens, max_size=60))
def test_yaml_made_of_anchors_aliases_and_brackets(tmp_path, tokens):
    """Text built from YAML's structural tokens (anchors, aliases, merges, tags, nesting) gives a
    World or a one-line AlifeError: never a RecursionError, a hang or a constructed object."""
    _load(tmp_path, "".join(tokens))


@FUZZ
@given(family=st.sampled_from(FAMILIES),
       config=st.dictionaries(st.sampled_from(KEYS), scalars, max_size=4),
       params=st.dictionaries(st.sampled_from(KEYS), scalars, max_size=2),
       view=st.dictionaries(st.sampled_from(KEYS), scalars, max_size=3))
def test_random_rule_blocks(tmp_path, family, config, params, view):
    config = {"width": 32, "height": 32, **config}
    if family in ("life", "lenia", "elementary", "nca", "vitca") and not _small(
            {"rule": {"config": config}}):
        return
    tree = {"version": 1, "rule": {"family": family, "config": config, "params": params},
            "view": view}
    _load(tmp_path, yaml.safe_dump(tree))


def _paths(tree: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            out += _paths(value, prefix + (i,))
    return out


@FUZZ
@given(name=st.sampled_from(SHIPPED), data=st.data())
def test_mutated_shipped_scenes(tmp_path, name, data):
    tree = _shipped(name)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(tree) if p]
        path = data.draw(st.sampled_from(paths))
        parent = tree
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(KEYS))] = data.draw(trees)
        else:
            parent[path[-1]] = data.draw(trees)
    if not _small(tree):
        return
    _load(tmp_path, yaml.safe_dump(tree, allow_unicode=True))


@FUZZ
@given(name=st.sampled_from(SHIPPED),
       key=st.lists(st.sampled_from(KEYS), min_size=1, max_size=4),
       value=st.one_of(scalars.map(lambda v: yaml.safe_dump(v).strip().removesuffix("..."))
                       .map(lambda s: s.strip()), st.text(max_size=30)))
def test_random_set_overrides(tmp_path, name, key, value):
    scene = tmp_path / "base.yaml"
    scene.write_text(yaml.safe_dump(_shipped(name)))
    item = ".".join(key) + "=" + value
    try:
        parsed = parse_value(value)
    except AlifeError:
        return
    if isinstance(parsed, int) and not isinstance(parsed, bool) and parsed > 512 \
            and key[-1] in ("width", "height", "history"):
        return
    try:
        world = open_world(scene, [item])
    except AlifeError as exc:
        assert len(str(exc).splitlines()) == 1
        return
    _check_world(world, tmp_path)


def test_shipped_scenes_survive_the_checks(tmp_path):
    """The unmutated scenes load and pass `_check_world` (so the fuzz tests can fail)."""
    for name in SHIPPED:
        tree = copy.deepcopy(_shipped(name))
        assert _load(tmp_path, yaml.safe_dump(tree)) is not None, name
    assert math.isfinite(1.0)
