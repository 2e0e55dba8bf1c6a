"""Package data: the top-level scenes/, assets/ and shaders/ are the packages alife.scenes,
alife.assets and alife.shaders (pyproject's package-dir), every data file in them is listed in
package-data, the code packages listed are those in the tree, and loaders find data through
`importlib.resources`, never `__file__` or the repository root. The built wheel itself is
checked in tests/test_wheel_install.py."""

from __future__ import annotations

import fnmatch
import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = {"alife.scenes": "scenes", "alife.assets": "assets", "alife.shaders": "shaders"}
#: files in the data folders that are not shipped: the scripts that made them, the README image
NOT_SHIPPED = ("*.py", "readme.png")


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_the_data_folders_are_mapped_into_the_package():
    config = _setuptools()
    assert config["package-dir"] == DATA
    for package, folder in DATA.items():
        assert (ROOT / folder / "__init__.py").is_file()  # an editable install needs one
        assert str(resources.files(package)) == str(ROOT / folder)


def test_every_data_file_is_listed_in_package_data():
    patterns = _setuptools()["package-data"]
    count = 0
    for package, folder in DATA.items():
        for path in sorted((ROOT / folder).rglob("*")):
            name = path.relative_to(ROOT / folder).as_posix()
            if not path.is_file() or "__pycache__" in name or any(
                    fnmatch.fnmatch(path.name, p) for p in NOT_SHIPPED):
                continue
            count += 1
            assert any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(name, p.replace("**/", ""))
                       for p in patterns[package]), f"{folder}/{name} is not in package-data"
    assert count >= 45  # 8 shaders, 3 creatures, 4 patterns, 3 targets, 2 weights, scenes


def test_the_listed_packages_are_the_code_packages_and_the_data_folders():
    listed = set(_setuptools()["packages"])
    code = {p.parent.relative_to(ROOT).as_posix().replace("/", ".")
            for p in (ROOT / "alife").rglob("__init__.py")}
    assert listed == code | set(DATA), (sorted(code - listed), sorted(listed - code - set(DATA)))


def test_shaders_and_creatures_are_found_through_importlib_resources():
    from alife.render.shaders import read_sources, shader_dir
    from alife.rules.lenia import CREATURE_DIR, CREATURES, load_creature

    assert str(shader_dir()) == str(resources.files("alife.shaders"))
    for name in ("grid", "agents", "imgui"):
        vertex, fragment, _ = read_sources(name)
        assert "#version 330" in vertex and "main" in fragment
    assert str(CREATURE_DIR) == str(resources.files("alife.assets") / "lenia")
    for name in CREATURES:
        creature = load_creature(name)
        assert creature["cells"].ndim == 2 and creature["radius"] > 0


def test_nothing_finds_data_beside_the_source_tree():
    """No module locates files through its own `__file__` or the repository root (which break
    in a wheel); another package's `__file__` (pygame's, imgui_bundle's) is fine."""
    for path in sorted((ROOT / "alife").rglob("*.py")):
        text = path.read_text()
        assert "Path(__file__)" not in text and "REPO_ROOT" not in text, path
        assert "os.path.dirname(__file__)" not in text, path
