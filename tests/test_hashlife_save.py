"""Save As of a HashLife world writes Golly's macrocell format (`FilesMixin._save_universe`):
before, the app wrote a scene YAML with an empty start (the universe was lost) and said it had
saved the .mc path it was given. Truth: a glider's known displacement (one cell diagonally every
4 generations), the cells the universe was built from, and the file on disk.
"""

from __future__ import annotations

import numpy as np

from alife.app.controller import Controller
from alife.app.controller_hashlife import HashLifeRun, hashlife_world
from alife.rules.life.hashlife import Universe
from alife.rules.ruletable.hashlife import Universe as TableUniverse
from alife.rules.ruletable.hashlife_open import read_universe
from alife.rules.ruletable.hashlife_view import StateQuadtreeView
from alife.rules.ruletable.rule import RuleTableRule
from alife.scene.hashlife_patterns import PatternSource

GLIDER_X, GLIDER_Y = np.array([1, 2, 0, 1, 2]), np.array([0, 1, 2, 2, 2])


def _glider_world() -> Controller:
    u = Universe.for_rule("B3/S23")
    u.set_cells(GLIDER_X - 50, GLIDER_Y + 20)
    u.advance(36)  # nine periods: the glider moved (+9, +9)
    return Controller(hashlife_world(HashLifeRun(u, lambda: u), "glider", "a glider\nline 2"))


def test_save_as_mc_writes_the_universe_and_reopens_at_its_generation(tmp_path):
    c = _glider_world()
    target = tmp_path / "glider.mc"
    assert c.save(target) is None, c.message
    assert target.is_file() and not (tmp_path / "glider.yaml").exists()
    assert c.message == f"saved {target}" and c.own_file == target and not c.dirty
    assert "#C a glider" in target.read_text()
    assert c.open(target) is None, c.message
    run = c.world.universe
    assert run is not None and run.generation == 36
    xs, ys = run.universe.cells()
    got = sorted(zip(xs.tolist(), ys.tolist(), strict=True))
    assert got == sorted(zip((GLIDER_X - 41).tolist(), (GLIDER_Y + 29).tolist(), strict=True))


def test_save_as_without_suffix_adds_mc_and_scene_names_are_refused(tmp_path):
    c = _glider_world()
    assert c.save(tmp_path / "plain") is None, c.message
    assert (tmp_path / "plain.mc").is_file()
    error = c.save(tmp_path / "world.yaml")
    assert error is not None and "world.yaml" in error and ".mc" in error
    assert not (tmp_path / "world.yaml").exists()


def test_save_as_mc_gz_of_a_multi_state_universe(tmp_path):
    t = TableUniverse.for_rule("WireWorld")
    xs, ys, states = np.array([3, 4, 5, 9]), np.array([-2, -2, -2, 40]), np.array([1, 2, 3, 3])
    t.set_cells(xs, ys, states)
    rule = RuleTableRule("WireWorld", 16, 16, "plane")
    run = HashLifeRun(t, lambda: t, make_view=StateQuadtreeView)
    c = Controller(hashlife_world(run, "wire", rule=rule))
    target = tmp_path / "wire.mc.gz"
    assert c.save(target) is None, c.message
    assert target.read_bytes()[:2] == b"\x1f\x8b"  # gzip
    back, _, _ = read_universe(PatternSource(target))
    bx, by, bs = back.cells()
    assert sorted(zip(bx.tolist(), by.tolist(), bs.tolist(), strict=True)) == \
        sorted(zip(xs.tolist(), ys.tolist(), states.tolist(), strict=True))


def test_the_unsaved_question_offers_a_macrocell_name_for_a_hashlife_world(tmp_path):
    """Seen by hand: quitting a HashLife world offered the last Save As path, a scene name
    (`.yaml`) that the save then refuses; it now offers the same name as `.mc`."""
    from alife.app.unsaved import suggest_save_path

    assert suggest_save_path("/tmp/b0.yaml", "galaxy", True) == "/tmp/b0.mc"
    assert suggest_save_path(" /tmp/g.mc.gz ", "galaxy", True) == "/tmp/g.mc.gz"
    assert suggest_save_path("", "metapixel galaxy", True).endswith("metapixel_galaxy.mc")
    assert suggest_save_path("/tmp/b0.yaml", "b0", False) == "/tmp/b0.yaml"
    assert suggest_save_path("", "Gosper gun", False).endswith("Gosper_gun.yaml")
    c = _glider_world()  # and the offered name saves
    offered = suggest_save_path(str(tmp_path / "world.yaml"), c.world.name, True)
    assert c.save(offered) is None, c.message
    assert (tmp_path / "world.mc").is_file()
