"""One loader (`open_world`), one view-settings type, rule-text grammars owned by the families,
and a pattern file read once."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from alife.core.errors import AlifeError
from alife.scene import ViewSettings, load_scene, open_world, world_from_pattern
from alife.scene.world import World

ROOT = Path(__file__).resolve().parents[1]
GLIDER = ROOT / "assets" / "patterns" / "glider.rle"
GUN = ROOT / "scenes" / "life" / "gosper_glider_gun.yaml"
ORBIUM = ROOT / "scenes" / "lenia" / "orbium.yaml"


# ---- one loader ---------------------------------------------------------------------------------
def test_open_world_dispatches_on_what_it_is_given(tmp_path):
    scene = open_world(GUN, ["run.steps=7"])
    direct = load_scene(GUN, ["run.steps=7"])
    assert scene.rule == direct.rule and scene.run == direct.run == {"steps": 7,
                                                                      "steps_per_frame": 1}
    np.testing.assert_array_equal(scene.rule.cells(scene.state), direct.rule.cells(direct.state))
    pattern = open_world(GLIDER, ["view.zoom=5"], rule="B3/S23:T40,30")
    assert pattern.rule.shape == (30, 40) and pattern.view.zoom == 5.0
    soup = open_world(None, [], rule="B36/S23:T64,64")
    assert soup.rule.shape == (64, 64) and int(soup.rule.cells(soup.state).sum()) > 0
    for path, words in ((tmp_path / "state.npz", "holds a state but not its rule"),
                        (tmp_path / "x.txt", "unknown file type")):
        with pytest.raises(AlifeError, match=words):
            open_world(path)
    with pytest.raises(AlifeError, match="a rule goes with a pattern file"):
        open_world(GUN, rule="B3/S23")
    with pytest.raises(AlifeError, match="nothing to open"):
        open_world(None)


def test_a_pattern_file_is_read_once(monkeypatch, tmp_path):
    from alife.core import safeio

    reads: list[str] = []
    real = safeio.read_regular

    def counting(path, *args, **kwargs):
        reads.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(safeio, "read_regular", counting)
    world = open_world(GLIDER)
    assert reads == ["glider.rle"]
    assert int(world.rule.cells(world.state).sum()) == 5  # the glider, placed from that read


def test_the_loader_route_is_shared_by_the_commands_and_the_app():
    """run, render, view and the app's Open call `open_world` (no route of their own)."""
    for module in ("alife/commands/run.py", "alife/commands/render.py",
                   "alife/commands/view.py", "alife/app/controller_files.py"):
        source = (ROOT / module).read_text()
        assert "open_world(" in source, module
        assert "world_from_pattern(" not in source and "load_scene(" not in source, module


# ---- rule-text grammars belong to the families -----------------------------------------------
#: rule texts a file format itself names: MCell files carry Life as a rule-table string, which
#: Golly's MCell reader (and ours, alife/scene/mcell.py) translates to its Life rule; Life 1.05's
#: `#N` line means Conway's rule (alife/scene/lifefile.py)
FORMAT_FACTS = {"mcell.py": {"B3/S23"}, "lifefile.py": {"B3/S23"}}


def test_no_rule_grammar_inside_scene():
    """No module of alife.scene imports a family's rule parser or names one (docstrings may
    mention the families)."""
    import ast

    for path in sorted((ROOT / "alife" / "scene").glob("*.py")):
        tree = ast.parse(path.read_text())
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith("alife.rules")], (path.name, imported)
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not names & {"parse_rule", "rulestring", "codes", "Bounds"}, path.name
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef) and n.body
                and isinstance(n.body[0], ast.Expr)}
        strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                   and isinstance(n.value, str) and id(n) not in docs
                   and n.value not in FORMAT_FACTS.get(path.name, ())]
        assert not [t for t in strings if re.search(r"[Ww]\\d|\[Ww\]|:T|B3/S", t)], path.name


def test_families_read_their_own_rule_text():
    from alife.rules.elementary.rule import ElementaryRule
    from alife.rules.life.rule import LifeRule

    assert LifeRule.config_from_text("W110", 64, 64) is None
    assert LifeRule.config_from_text(None, 32, 64) == {"rule": "B3/S23", "width": 64,
                                                       "height": 32, "topology": "torus"}
    assert LifeRule.config_from_text("B3/S23:P40,30", 64, 64) == {
        "rule": "B3/S23:P40,30", "width": 40, "height": 30}
    assert ElementaryRule.config_from_text("B3/S23", 64, 64) is None
    assert ElementaryRule.config_from_text("W110", 32, 64) == {
        "rule": 110, "width": 64, "history": 32, "kind": "elementary", "k": 2, "r": 1}
    with pytest.raises(AlifeError):
        ElementaryRule.config_from_text("W999", 32, 64)
    world = world_from_pattern(GLIDER, rule="W30")
    assert world.rule.family == "elementary"
    rule = LifeRule("B3/S23", 48, 32, "klein-y")
    assert rule.pattern_rule_text(rule.default_params()) == "B3/S23:K48,32*"


# ---- one view-settings type ----------------------------------------------------------------------
def test_view_settings_resolve_from_the_rule():
    gun, orbium = load_scene(GUN), load_scene(ORBIUM)
    assert isinstance(gun.view, ViewSettings)
    assert (gun.view.look, gun.view.grid_lines, gun.view.zoom) == ("binary", True, 6.0)
    assert (orbium.view.look, orbium.view.colormap, orbium.view.grid_lines) == (
        "colormap", "viridis", False)
    picked = ViewSettings.parse({"channel": 1}, gun.rule)
    assert picked.channel == 1 and picked.grid_lines is False
    assert gun.view.block() == {"zoom": 6, "grid_lines": True}  # what the file said


def test_view_settings_refuse_bad_values():
    from alife.families import create

    rule = create("life", width=8, height=8)
    for block in ({"zoom": math.inf}, {"zoom": 0}, {"look": "sepia"}, {"channel": -1},
                  {"palette": ["red"]}, {"grid_lines": "yes"}, {"zom": 2}):
        with pytest.raises(AlifeError):
            ViewSettings.parse(block, rule)


def test_view_settings_are_a_mapping_of_the_block_and_follow_the_rule():
    """Readers written for the old dict (`view.get`, `{**view}`) keep working; a World given a
    dict parses it; a rule change re-resolves what the block left out."""
    import dataclasses

    import jax

    from alife.families import create

    life = create("life", width=8, height=8)
    key = jax.random.PRNGKey(0)
    world = World(life, life.default_params(), life.init(key, life.default_params()), key,
                  view={"zoom": 3})
    assert world.view.get("zoom") == 3 and world.view.get("colormap", "x") == "x"
    assert {**world.view, "grid_lines": False} == {"zoom": 3, "grid_lines": False}
    changed = dataclasses.replace(world, view={**world.view, "colormap": "magma"})
    assert changed.view.colormap == "magma" and changed.view.zoom == 3.0
    generations = create("life", rule="B2/S/C3", width=8, height=8)
    moved = dataclasses.replace(world, rule=generations)
    assert (world.view.look, moved.view.look) == ("binary", "states")
    with pytest.raises(TypeError):
        World(life, life.default_params(), world.state, key, view=3)


def test_render_reads_the_parsed_settings():
    frames = pytest.importorskip("alife.render.frames")
    world = load_scene(GUN, ["view.colormap=magma"])
    assert frames.view_settings(world) is world.view
    bad = load_scene(GUN, ["view.colormap=nope"])  # any name parses; the renderer knows which
    with pytest.raises(AlifeError, match="unknown colormap 'nope'"):
        frames.view_settings(bad)


def test_view_with_no_path_opens_a_soup_through_the_loader():
    import numpy as np

    from alife.commands.view import DEFAULT_SCENE_SIZE, load_world

    world = load_world(None, [])
    assert world.rule.family == "life" and world.rule.shape == (DEFAULT_SCENE_SIZE,) * 2
    assert world.rule.config()["topology"] == "torus"
    density = np.asarray(world.rule.cells(world.state)).mean()
    assert 0.1 < density < 0.9  # a soup, not an empty grid
