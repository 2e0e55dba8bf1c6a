"""Shipped scenes open by name (`alife run orbium`), unknown names say which exist, a file that
exists wins over a name, and `alife new` copies a scene with its files into a folder that loads
on its own from anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from alife.cli import main
from alife.core.errors import AlifeError
from alife.core.packagedata import data_folder
from alife.scene import catalog, open_world

ROOT = Path(__file__).resolve().parents[1]


def test_names_are_paths_under_scenes_and_unique_file_names():
    scenes = catalog.shipped_scenes()
    root = data_folder("scenes")
    assert scenes["lenia/orbium"] == root / "lenia" / "orbium.yaml"
    assert catalog.find_scene("orbium") == catalog.find_scene("lenia/orbium")
    assert catalog.find_scene("lizard") == root / "nca" / "lizard.yaml"
    assert catalog.find_scene("biomaker/persistence").name == "persistence.yaml"
    names = catalog.scene_names()
    assert set(scenes) <= set(names) and "orbium" in names and "persistence" in names


def test_a_file_name_two_scenes_share_is_no_name(monkeypatch, tmp_path):
    fake = {"a/same": tmp_path / "a.yaml", "b/same": tmp_path / "b.yaml",
            "b/other": tmp_path / "c.yaml"}
    monkeypatch.setattr(catalog, "shipped_scenes", lambda: fake)
    assert catalog.scene_names() == ["a/same", "b/other", "b/same", "other"]
    with pytest.raises(AlifeError, match="unknown scene `same`"):
        catalog.find_scene("same")


def test_an_unknown_name_says_the_nearest_and_the_others(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "orbum", "--steps", "0"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "unknown scene `orbum`; did you mean `orbium`?" in err
    assert "bosco" in err and "alife list" in err and len(err) < 300
    assert main(["run", "lenia/orbum", "--steps", "0"]) == 2
    folder = sorted(n for n in catalog.shipped_scenes() if n.count("/") == 1
                    and n.startswith("lenia/"))
    assert {"lenia/hydrogeminium", "lenia/orbium"} <= set(folder)
    assert f"did you mean `lenia/orbium`? (expected one of {', '.join(folder)})" \
        in capsys.readouterr().err


def test_a_file_that_exists_wins_over_a_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "orbium").write_text("not a scene")
    with pytest.raises(AlifeError, match="unknown file type"):
        open_world("orbium")
    (tmp_path / "lenia").mkdir()
    assert open_world("lenia/orbium").name == open_world(ROOT / "scenes/lenia/orbium.yaml").name


def test_run_by_name_from_another_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "orbium", "--steps", "3", "--out", "end.npz", "-q"]) == 0
    assert (tmp_path / "end.npz").is_file()


def test_list_names_the_shipped_scenes(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in ("lenia/orbium", "nca/lizard", "biomaker/persistence", "Gosper glider gun"):
        assert name in out


def test_new_copies_a_scene_with_its_files(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "mine/lizard", "--from", "lizard"]) == 0
    folder = tmp_path / "mine" / "lizard"
    assert sorted(p.name for p in folder.iterdir()) == ["lizard_24.png", "nca_lizard.npz",
                                                        "scene.yaml"]
    text = (folder / "scene.yaml").read_text()
    source = (ROOT / "scenes" / "nca" / "lizard.yaml").read_text()
    assert "../" not in text and "file: nca_lizard.npz" in text and "target: lizard_24.png" in text
    assert text.replace("nca_lizard.npz", "").replace("lizard_24.png", "") == \
        source.replace("../../assets/weights/nca_lizard.npz", "").replace(
            "../../assets/targets/lizard_24.png", "")  # comments and layout kept
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["run", str(folder / "scene.yaml"), "--steps", "1", "-q"]) == 0


@pytest.mark.parametrize("name, files", [
    ("ltl/bosco", ["bosco.rle", "scene.yaml"]),
    ("biomaker/petri_winner", ["petri_winner.params.npz", "scene.yaml"]),
    ("vitca/digits", ["scene.yaml", "vitca_digits.npz"]),
    ("evolve/nca_es", ["lizard_24.png", "scene.yaml"]),
    ("life/day_and_night", ["scene.yaml"]),
])
def test_new_makes_a_self_contained_folder(tmp_path, monkeypatch, name, files):
    from alife.scene.io import load_scene

    monkeypatch.chdir(tmp_path)
    assert main(["new", "copy", "--from", name]) == 0
    folder = tmp_path / "copy"
    assert sorted(p.name for p in folder.iterdir()) == files
    assert "../" not in (folder / "scene.yaml").read_text()
    world = load_scene(folder / "scene.yaml")
    assert world.name == load_scene(catalog.find_scene(name)).name


def test_new_refuses_a_folder_with_files_and_an_unknown_scene(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    assert main(["new", "taken", "--from", "orbium"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "already holds files" in err
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["notes.txt"]
    assert main(["new", "fresh", "--from", "orbim"]) == 2
    assert "did you mean `orbium`?" in capsys.readouterr().err
    assert not (tmp_path / "fresh").exists()
    (tmp_path / "empty").mkdir()
    assert main(["new", "empty", "--from", "orbium"]) == 0
    assert (tmp_path / "empty" / "scene.yaml").is_file()


def test_every_shipped_scene_references_only_shipped_files():
    from alife.commands.new import references
    from alife.scene.schema import read_scene_file

    roots = [data_folder("scenes").resolve(), data_folder("assets").resolve()]
    for name, path in catalog.shipped_scenes().items():
        tree, _ = read_scene_file(path)
        for ref in references(tree, path.parent):
            target = (path.parent / ref).resolve()
            assert any(target.is_relative_to(r) for r in roots), (name, ref)
