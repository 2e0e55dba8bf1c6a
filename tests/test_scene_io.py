"""Scene files: every shipped scene loads, runs, and round-trips through save/load byte for byte;
overrides, params, init kinds and pattern worlds build what they say."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jax
import numpy as np
import pytest
import yaml

from alife.scene import load_scene, reset_state, save_scene, scene_text, world_from_pattern
from alife.scene.runner import advance

ROOT = Path(__file__).resolve().parents[1]
PATTERNS = ROOT / "assets" / "patterns"
OURS = ("life", "generations", "ltl", "elementary", "lenia")
SCENES = sorted(p for d in OURS for p in (ROOT / "scenes" / d).glob("*.yaml"))


def _cells(world) -> np.ndarray:
    return np.asarray(world.rule.cells(world.state))


def _same_tree(a, b) -> bool:
    la, lb = jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)
    return len(la) == len(lb) and all(np.array_equal(np.asarray(x), np.asarray(y))
                                      for x, y in zip(la, lb, strict=True))


def test_the_shipped_scenes_are_there():
    names = {p.relative_to(ROOT / "scenes").as_posix() for p in SCENES}
    assert {"life/gosper_glider_gun.yaml", "life/highlife_replicator.yaml",
            "life/day_and_night.yaml", "generations/brians_brain.yaml", "ltl/bosco.yaml",
            "elementary/rule30.yaml", "elementary/rule110.yaml", "lenia/orbium.yaml"} <= names


@pytest.mark.parametrize("path", SCENES, ids=lambda p: p.stem)
def test_shipped_scene_loads_runs_and_round_trips(path, tmp_path):
    world = load_scene(path)
    # loading then saving an unchanged scene gives the same bytes
    assert scene_text(world, path) == path.read_text(encoding="utf-8")
    ran = advance(world, 3)
    assert ran.generation == 3
    # the current (advanced) world goes to a state sidecar and comes back exactly
    out = tmp_path / "saved.yaml"
    save_scene(ran, out)
    assert (tmp_path / "saved.npz").is_file()
    back = load_scene(out)
    assert _same_tree(back.state, ran.state)
    assert _same_tree(back.params, ran.params)
    assert back.rule.config() == ran.rule.config()
    assert np.array_equal(np.asarray(back.key), np.asarray(ran.key))
    assert back.view == ran.view and back.run == ran.run and back.name == ran.name
    # ...and saving the reloaded world again writes the same YAML
    assert scene_text(back, out) == out.read_text(encoding="utf-8")


OTHERS = sorted(p for p in (ROOT / "scenes").rglob("*.yaml") if p not in SCENES)


@pytest.mark.slow
@pytest.mark.parametrize("path", OTHERS, ids=lambda p: p.stem)
def test_other_shipped_scenes_load_and_run(path):
    """Scenes shipped by other parts (neural families) load and step with this loader too."""
    world = load_scene(path)
    assert advance(world, 2).generation == world.generation + 2


def test_saving_an_unchanged_world_elsewhere_rebases_paths(tmp_path):
    world = load_scene(ROOT / "scenes/life/gosper_glider_gun.yaml")
    out = tmp_path / "deep" / "gun.yaml"
    saved = save_scene(world, out)
    assert not (tmp_path / "deep" / "gun.npz").exists()  # unchanged: the pattern init is kept
    back = load_scene(out)
    assert back.init["pattern"]["file"] != world.init["pattern"]["file"]
    assert np.array_equal(_cells(back), _cells(world))
    # the returned world points at the new file: saving it once more elsewhere still works
    assert saved.path == out and saved.init == back.init
    again = save_scene(saved, tmp_path / "other" / "gun.yaml")
    assert np.array_equal(_cells(load_scene(again.path)), _cells(world))


def test_overrides_reach_config_params_init_and_seed():
    world = load_scene(ROOT / "scenes/life/day_and_night.yaml",
                       ["rule.config.width=64", "rule.config.height=32", "seed=3",
                        "init.random.density=0.25"])
    assert world.rule.shape == (32, 64) and world.seed == 3
    density = _cells(world).mean()
    assert 0.18 < density < 0.32
    other = load_scene(ROOT / "scenes/life/day_and_night.yaml",
                       ["rule.config.width=64", "rule.config.height=32", "seed=4",
                        "init.random.density=0.25"])
    assert not np.array_equal(_cells(other), _cells(world))  # the seed matters
    lenia = load_scene(ROOT / "scenes/lenia/orbium.yaml", ["rule.params.mu=0.14"])
    assert float(lenia.params.mu) == pytest.approx(0.14)
    text = scene_text(lenia, ROOT / "scenes/lenia/orbium.yaml")
    assert "params: {mu: 0.14}\n" in text  # a changed param is written inline, shortest form


def test_set_switches_init_kind():
    world = load_scene(ROOT / "scenes/life/gosper_glider_gun.yaml", ["init.empty={}"])
    assert world.init == {"empty": {}} and _cells(world).sum() == 0


def test_pattern_placement_and_transform(tmp_path):
    glider = np.array([[0, 1, 0], [0, 0, 1], [1, 1, 1]])
    scene = tmp_path / "g.yaml"
    scene.write_text(
        "version: 1\nname: g\nrule:\n  family: life\n  config: {rule: B3/S23, width: 32, "
        "height: 16}\ninit:\n  pattern:\n    file: " + str(PATTERNS / "glider.rle") +
        "\n    at: [5, 2]\n    transform: {rotate: 90, flip_x: true}\n")
    cells = _cells(load_scene(scene))
    expected = np.zeros((16, 32), int)
    expected[2:5, 5:8] = np.rot90(glider, -1)[:, ::-1]
    assert np.array_equal(cells, expected)


def test_reset_state_rebuilds_the_start():
    world = load_scene(ROOT / "scenes/life/day_and_night.yaml", ["rule.config.width=64",
                                                                 "rule.config.height=64"])
    ran = advance(world, 5)
    assert not np.array_equal(_cells(ran), _cells(world))
    assert _same_tree(reset_state(ran), world.state)


def test_large_params_go_to_a_sidecar(tmp_path):
    world = load_scene(ROOT / "scenes/lenia/orbium.yaml")
    peaks = np.linspace(0.1, 1.0, 20).astype(np.float32)
    rule_config = {**world.rule.config(), "peaks": list(map(float, peaks))}
    from alife.families import create

    rule = create("lenia", **rule_config)
    params = rule.default_params()
    from dataclasses import replace

    params = replace(params, peaks=params.peaks * 0.5)
    changed = replace(world, rule=rule, params=params, state=rule.init(world.key, params))
    out = tmp_path / "many.yaml"
    save_scene(changed, out, include_state=False)
    assert (tmp_path / "many.params.npz").is_file()
    back = load_scene(out)
    assert np.allclose(np.asarray(back.params.peaks), peaks * 0.5)


def test_world_from_pattern_follows_golly():
    glider = PATTERNS / "glider.rle"
    world = world_from_pattern(glider)  # no suffix: a window onto the unbounded plane
    h, w = world.rule.shape
    assert w % 32 == 0 and h % 32 == 0 and min(h, w) >= 3 + 2 * 32
    assert world.rule.config()["topology"] == "plane" and world.origin is not None
    bounded = world_from_pattern(glider, rule="B3/S23:P40,30")
    assert bounded.rule.shape == (30, 40) and bounded.rule.config()["topology"] == "plane"
    cells = _cells(bounded)
    ys, xs = np.nonzero(cells)
    assert (ys.min(), xs.min()) == ((30 - 3) // 2, (40 - 3) // 2)  # centred, as Golly does
    assert world_from_pattern(PATTERNS / "bosco.rle").rule.num_states == 2


def test_image_init_threshold_levels_and_npz_cells(tmp_path):
    from PIL import Image

    grey = np.zeros((4, 6), np.uint8)
    grey[1, 2], grey[2, 3], grey[3, 5] = 255, 100, 200
    Image.fromarray(grey, "L").save(tmp_path / "pic.png")
    base = ("version: 1\nname: i\nrule:\n  family: life\n  config: {rule: B3/S23, width: 32, "
            "height: 32}\ninit:\n  image: {file: pic.png, at: [1, 2]")
    scene = tmp_path / "s.yaml"
    scene.write_text(base + ", threshold: 0.5}\n")
    cells = _cells(load_scene(scene))
    expected = np.zeros((32, 32), int)
    expected[2:6, 1:7] = grey >= 128
    assert np.array_equal(cells, expected)
    scene.write_text(base + ", levels: true}\n")
    gen = load_scene(scene, ["rule.config.rule=B2/S/C3"])  # 3 states: levels 0, 1, 2
    expected[2:6, 1:7] = np.rint(grey / 255 * 2)
    assert np.array_equal(_cells(gen), expected)
    np.savez(tmp_path / "c.npz", cells=np.eye(3, dtype=np.int32))
    scene.write_text(base.split("  image")[0] + "  npz: {file: c.npz, centre: true}\n")
    cells = _cells(load_scene(scene))
    assert cells.sum() == 3 and cells[15, 15] == cells[16, 16] == cells[14, 14] == 1


def test_a_typed_rule_is_saved_in_the_config(tmp_path):
    """After the rule text changes only the params, the saved file names the new rule."""
    cases = (("scenes/life/day_and_night.yaml", "B36/S23", "rule", "B36/S23"),
             ("scenes/elementary/rule30.yaml", "W90", "rule", 90))
    for scene, text, key, want in cases:
        world = load_scene(scene)
        rule, params = world.rule.apply_rule_text(text, world.params)
        assert rule is world.rule
        world = dataclasses.replace(world, params=params)
        out = tmp_path / Path(scene).name
        save_scene(world, out)
        tree = yaml.safe_load(out.read_text())
        assert tree["rule"]["config"][key] == want
        assert "params" not in tree["rule"]
        again = load_scene(out)
        assert again.rule.rule_text(again.params) == world.rule.rule_text(params)
