"""Shaders and the Lenia creatures are package data: found through `importlib.resources`, and
every such file is listed in pyproject's package-data, so a wheel carries them."""

from __future__ import annotations

import fnmatch
import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIRS = ("shaders", "assets/lenia")


def _patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["setuptools"]["package-data"]["alife"]


def test_every_data_file_is_listed_in_package_data():
    patterns = _patterns()
    files = [p.relative_to(ROOT / "alife").as_posix()
             for d in DATA_DIRS for p in (ROOT / "alife" / d).iterdir() if p.is_file()]
    assert len(files) >= 9  # 6 shaders, 3 creatures
    unlisted = [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert not unlisted, unlisted


def test_shaders_and_creatures_are_found_through_importlib_resources():
    from alife.render.shaders import read_sources, shader_dir
    from alife.rules.lenia import CREATURE_DIR, CREATURES, load_creature

    package = resources.files("alife")
    assert str(shader_dir()) == str(package / "shaders")
    for name in ("grid", "agents", "imgui"):
        vertex, fragment, _ = read_sources(name)
        assert "#version 330" in vertex and "main" in fragment
    assert str(CREATURE_DIR) == str(package / "assets" / "lenia")
    for name in CREATURES:
        creature = load_creature(name)
        assert creature["cells"].ndim == 2 and creature["radius"] > 0


def test_loaders_do_not_find_data_beside_the_source_tree():
    """Shaders and creatures are not located through `__file__` (which breaks in a wheel)."""
    for module in ("alife/render/shaders.py", "alife/rules/lenia.py"):
        assert "__file__" not in (ROOT / module).read_text(), module
