"""The family registry: built-in descriptors, plug-ins through the `alife.families` entry-point
group (good, broken, clashing), and code-registered families."""

from __future__ import annotations

import sys
import types
from importlib import metadata

import pytest

from alife import families
from alife.core.errors import AlifeError
from alife.core.family import Family
from alife.rules.life import LifeRule


@pytest.fixture
def plugins(monkeypatch):
    """Install fake entry points (module `fake_plugins` holds their targets)."""
    module = types.ModuleType("fake_plugins")
    module.GOOD = Family("fake_good", LifeRule, "a fake family", {"rule": "B3/S23"})
    module.make_good = lambda: Family("fake_made", LifeRule, "made by a function")
    module.CLASH = Family("life", LifeRule, "takes a built-in name")
    module.NOT_A_FAMILY = 42
    monkeypatch.setitem(sys.modules, "fake_plugins", module)
    entries = [metadata.EntryPoint(name, f"fake_plugins:{target}", families.ENTRY_POINT_GROUP)
               for name, target in [("good", "GOOD"), ("made", "make_good"), ("clash", "CLASH"),
                                    ("wrong", "NOT_A_FAMILY"), ("gone", "MISSING")]]
    real = metadata.entry_points

    def fake(**kw):
        return entries if kw.get("group") == families.ENTRY_POINT_GROUP else real(**kw)

    monkeypatch.setattr(families.metadata, "entry_points", fake)
    families.refresh()
    yield
    monkeypatch.undo()
    families.refresh()


def test_built_ins_are_packages_with_one_descriptor():
    known = families.families()
    assert set(families.BUILT_IN) <= set(known)
    for name in families.BUILT_IN:
        family = known[name]
        assert family.name == name and family.origin == "built-in"
        assert family.factory(**family.example).family == name


def test_plugins_load_and_broken_ones_are_reported_not_fatal(plugins, capsys):
    known = families.families()
    assert known["fake_good"].summary == "a fake family"
    assert known["fake_good"].origin == "fake_plugins:GOOD"  # no distribution: the target
    assert known["fake_made"].summary == "made by a function"
    assert known["life"].origin == "built-in"  # a plug-in cannot take a built-in's name
    err = capsys.readouterr().err
    assert "'clash'" not in err and "name is taken by the built-in" in err
    assert "plug-in family 'wrong'" in err and "not a Family" in err
    assert "plug-in family 'gone'" in err
    assert all(len(line) < 300 for line in err.splitlines())
    rule = families.create("fake_good", rule="B36/S23", width=16, height=16)
    assert rule.config()["rule"] == "B36/S23"


def test_unknown_family_names_the_nearest():
    with pytest.raises(AlifeError, match=r"unknown rule family `lenai`; did you mean `lenia`"):
        families.get("lenai")


def test_register_and_unregister_from_code():
    families.register(Family("from_code", LifeRule, "registered in code"))
    try:
        assert "from_code" in families.families()
        with pytest.raises(AlifeError, match="taken"):
            families.register(Family("lenia", LifeRule, "no"))
    finally:
        families.unregister("from_code")
    assert "from_code" not in families.families()


def test_descriptor_declares_trainers_and_fitness():
    assert families.trainer_families() == ["nca", "vitca"]
    assert "lenia_mover" in families.get("lenia").fitness
    assert set(families.fitness_entries(families.create("life", rule="B3/S23", width=8,
                                                        height=8))) == {"life_longevity",
                                                                        "life_complexity"}
    with pytest.raises(ValueError):
        Family("bad name!", LifeRule, "x")


def test_scene_blocks_follow_the_descriptor(tmp_path):
    from alife.scene.io import load_scene

    scene = tmp_path / "lenia.yaml"
    scene.write_text("version: 1\nname: t\nrule: {family: lenia, config: {width: 32, height: 32}}"
                     "\ntraining: {iterations: 3}\n")
    with pytest.raises(AlifeError, match=r"lenia.yaml:4: training: the 'lenia' family takes no "
                                         r"training block; families that do: nca, vitca"):
        load_scene(scene)
