"""The app opens Golly's packed and JvN patterns through the same readers as `alife run`: a zip
archive (rule and pattern packed together) and a JvN29 pattern, each opened with the app's Open
and stepped with N in the real event loop offscreen, the population equal to bgolly's at that
generation (where bgolly is installed)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pygame
import pytest

from alife.scene.pattern_world import world_from_pattern
from tests.app_driver import frames, key

pytestmark = pytest.mark.gl

PATTERNS = Path("/usr/share/golly/Patterns")
BGOLLY = shutil.which("bgolly")
STEPS = 6
CASES = [  # (pattern, what bgolly reads, bgolly's algorithm)
    ("Other-Rules/factorize-84.zip", "factorize 84.rle", "RuleLoader"),
    ("Self-Rep/JvN/counter-demo.rle", None, "JvN"),
]


def _golly_population(path: Path, generations: int, algorithm: str, tmp_path: Path) -> int:
    args = [BGOLLY, "-a", algorithm, "-m", str(generations)]
    if path.suffix == ".zip":  # bgolly opens no archives: the member and its rule beside it
        with zipfile.ZipFile(path) as handle:
            for name in handle.namelist():
                (tmp_path / Path(name).name).write_bytes(handle.read(name))
        args += ["-s", f"{tmp_path}/"]
        path = tmp_path / CASES[0][1]
    done = subprocess.run(args + [str(path)], capture_output=True, text=True, timeout=120,
                          check=True)
    return int(done.stdout.strip().splitlines()[-1].split(":")[1].replace(",", ""))


@pytest.mark.parametrize("name,member,algorithm", CASES, ids=[c[0] for c in CASES])
def test_the_app_opens_and_steps_golly_packed_and_jvn_patterns(make_app, tmp_path, name,
                                                               member, algorithm):
    path = PATTERNS / name
    if not path.is_file():
        pytest.skip(f"{path} is not installed")
    start = tmp_path / "glider.rle"
    start.write_text("x = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n")
    app = make_app(world_from_pattern(start))
    c = app.controller
    assert c.open(path) is None, c.message  # the app's Open: the same readers as alife run
    frames(app, 2)
    assert c.world.rule.family == "ruletable"
    for _ in range(STEPS):
        key(app, pygame.K_n, frames_after=2)  # one generation a press
    c.sync()
    assert c.generation == STEPS
    population = int(np.count_nonzero(np.asarray(c.rule.cells(c.state))))
    assert population > 0 and app.controller.view_image().size > 0
    if BGOLLY is not None:
        golly_tmp = tmp_path / "golly"
        golly_tmp.mkdir()
        assert population == _golly_population(path, STEPS, algorithm, golly_tmp)


def test_the_library_lists_the_patterns_inside_zip_archives(make_app, tmp_path):
    """A folder's zip archives show one Library entry per pattern inside (title and rule from
    the member's header), opened with the archive's own rule; a refused archive is one
    unreadable entry, not a crash."""
    from alife.app.library import folder_entries, open_path, openable

    rule = ("@RULE Swap2\n@TABLE\nn_states:3\nneighborhood:vonNeumann\nsymmetries:rotate4\n"
            "1,0,0,0,0,2\n2,0,0,0,0,1\n")
    folder = tmp_path / "mine"
    folder.mkdir()
    with zipfile.ZipFile(folder / "pack.zip", "w") as handle:
        handle.writestr("Swap2.rule", rule)
        handle.writestr("a/one.rle", "#N First\nx = 1, y = 1, rule = Swap2\nA!\n")
        handle.writestr("b/two.rle", "#N Second\nx = 2, y = 1, rule = Swap2\n2A!\n")
        handle.writestr("init.lua", "-- not a pattern")
    with zipfile.ZipFile(folder / "bad.zip", "w") as handle:
        handle.writestr("../escape.rle", "x = 1, y = 1\no!\n")
    entries = {e.name: e for e in folder_entries(folder, "folders")}
    assert set(entries) == {"pack.zip/a/one.rle", "pack.zip/b/two.rle", "bad.zip"}
    one = entries["pack.zip/a/one.rle"]
    assert (one.title, one.rule, openable(one)[0]) == ("First", "Swap2", True)
    assert "outside the archive" in entries["bad.zip"].error
    from alife.scene.open import open_world

    app = make_app(open_world(folder / "pack.zip"))  # the bare archive: its first pattern
    assert app.controller.world.rule.name == "Swap2"
    c = app.controller
    assert c.open(open_path(entries["pack.zip/b/two.rle"])) is None, c.message
    frames(app, 2)
    assert c.world.rule.name == "Swap2"
    assert int(np.count_nonzero(np.asarray(c.rule.cells(c.state)))) == 2
