"""Rule tables (the "ruletable" family), second half: finding rules by name (beside the
pattern, $ALIFE_RULES, the user folder, the shipped rules, Golly's), the rule object, the
routes (pattern files, the CLI), what ships without Golly, hostile tables and MCell files.
The format and the kernel are in tests/test_ruletable.py; bgolly comparisons in
tests/test_ruletable_golly.py."""

from __future__ import annotations

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from test_ruletable import (  # the same helpers; _own_folders is an autouse fixture
    _own_folders,  # noqa: F401
    _write,
    random_table,
    table_rule,
)

from alife.cli import main
from alife.core.errors import AlifeError
from alife.rules.ruletable import RuleTableRule, library

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "assets" / "rules"


# ---- finding rules ---------------------------------------------------------------------------
def test_search_order_pattern_folder_then_env_then_user_then_shipped(tmp_path, monkeypatch):
    def two_state(name: str, out: int) -> str:
        return table_rule(name, f"n_states:2\nneighborhood:oneDimensional\nsymmetries:none\n"
                                f"000{out}\n")

    here, env, user = tmp_path / "here", tmp_path / "env", tmp_path / "config" / "alife" / "rules"
    for folder, out in ((here, 1), (env, 0), (user, 0)):
        _write(folder, "WireWorld", two_state("WireWorld", out))
    monkeypatch.setenv("ALIFE_RULES", str(env))
    assert library.load_rule("WireWorld", here).path == here / "WireWorld.rule"
    assert library.load_rule("WireWorld").path == env / "WireWorld.rule"
    monkeypatch.delenv("ALIFE_RULES")
    assert library.load_rule("WireWorld").path == user / "WireWorld.rule"
    (user / "WireWorld.rule").unlink()
    assert library.load_rule("WireWorld").path == SHIPPED / "WireWorld.rule"


def test_colour_only_override_and_shared_colours(tmp_path):
    user = tmp_path / "config" / "alife" / "rules"
    _write(user, "WireWorld", "@RULE WireWorld\n@COLORS\n3 1 2 3\n")
    loaded = library.load_rule("WireWorld")
    assert loaded.path == SHIPPED / "WireWorld.rule"  # the transitions from further on
    assert loaded.colours[3] == (1, 2, 3) and loaded.colours[0] == (0, 0, 0)
    _write(tmp_path, "Foo-1", table_rule("Foo-1", "n_states:3\nneighborhood:Moore\n"
                                                  "symmetries:none\n"))
    _write(tmp_path, "Foo-shared", "@RULE Foo-shared\n@COLORS\n2 7 8 9\n")
    assert library.load_rule("Foo-1", tmp_path).colours[2] == (7, 8, 9)


def test_table_and_tree_files_are_found_too(tmp_path):
    (tmp_path / "T1.table").write_text("n_states:2\nneighborhood:oneDimensional\n"
                                       "symmetries:none\n0101\n")
    (tmp_path / "T2.tree").write_text("num_states=2\nnum_neighbors=4\nnum_nodes=9\n1 0 0\n"
                                      "1 1 1\n2 0 0\n2 1 1\n3 2 2\n3 3 3\n4 4 4\n4 5 5\n5 6 7\n")
    assert library.load_rule("T1", tmp_path).compiled.next_state({"W": 1, "E": 0, "C": 0}) == 1
    assert library.load_rule("T2", tmp_path).n_states == 2


@pytest.mark.parametrize("name,words", [
    ("Wireworld", "did you mean `WireWorld`?"),
    ("../etc/passwd", "not a rule name"),
    ("a b:T3", "no rule named 'ab'"),
    ("WireWorld:X3,3", "bad bounded-grid suffix"),
    ("WireWorld:T0,3", "zero"),
    ("WireWorld:K3,3", "exactly one starred"),
])
def test_bad_names_and_suffixes(name, words):
    with pytest.raises(AlifeError) as info:
        RuleTableRule(name, 8, 8)
    assert words in str(info.value)


def test_rule_name_must_match_the_file(tmp_path):
    _write(tmp_path, "Right", "@RULE Wrong\n@TABLE\nn_states:2\nneighborhood:Moore\n"
                              "symmetries:none\n")
    with pytest.raises(AlifeError, match="Right.rule:1.*names 'Wrong'"):
        library.load_rule("Right", tmp_path)


def test_a_changed_file_is_read_again(tmp_path):
    import os
    import time

    path = _write(tmp_path, "Ch", table_rule("Ch", "n_states:2\nneighborhood:oneDimensional\n"
                                                   "symmetries:none\n"))
    assert library.load_rule("Ch", tmp_path).n_states == 2
    path.write_text(table_rule("Ch", "n_states:3\nneighborhood:oneDimensional\n"
                                     "symmetries:none\n"))
    later = time.time_ns() + 10**9
    os.utime(path, ns=(later, later))
    assert library.load_rule("Ch", tmp_path).n_states == 3


# ---- the rule ----------------------------------------------------------------------------------
def test_rule_config_suffix_rule_text_and_colours():
    rule = RuleTableRule("WireWorld:P20,10", 64, 64)
    assert rule.shape == (10, 20) and rule.topology.kind == "plane"
    assert RuleTableRule(**rule.config()) == rule
    params = rule.default_params()
    assert rule.rule_text(params) == "WireWorld:P20,10"
    assert rule.pattern_rule_text(params) == "WireWorld:P20,10"
    assert rule.state_names == ("empty", "electron head", "electron tail", "conductor")
    same, p = rule.apply_rule_text("WireWorld", params)
    assert same is rule and p is params
    other, _ = rule.apply_rule_text("Langtons-Loops", params)
    assert other.num_states == 8 and other.shape == (10, 20)  # the suffix is kept
    torus = RuleTableRule("Langtons-Loops", 30, 20)
    assert torus.pattern_rule_text(torus.default_params()) == "Langtons-Loops:T30,20"
    cells = jnp.asarray(np.arange(4, dtype=np.uint8).reshape(1, 4).repeat(10, 0)[:, :4])
    state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params),
                            jnp.zeros((10, 20), jnp.uint8).at[:, :4].set(cells))
    view = np.asarray(rule.view(state, params))
    assert view.shape == (10, 20, 3) and view.dtype == np.uint8
    assert tuple(view[0, 1]) == rule.loaded.colours[1] == (70, 150, 255)
    assert 0.0 < rule.langton_lambda(params) < 1.0


def test_random_start_uses_every_live_state():
    rule = RuleTableRule("Langtons-Loops", 64, 64, density=0.5)
    cells = np.asarray(rule.cells(rule.init(jax.random.PRNGKey(1), rule.default_params())))
    assert set(np.unique(cells).tolist()) == set(range(8))
    assert 0.4 < np.mean(cells != 0) < 0.6


def test_dense_and_tree_lookups_give_the_same_run():
    pattern = "x = 15, y = 10, rule = Langtons-Loops\n" \
              ".8B$BAG.AD.ADB$B.6B.B$BGB4.BAB$BAB4.BAB$B.B4.BAB$BGB4.BAB$BA6BA5B$B.G\n" \
              "A.GA.G5AB$.13B!\n"
    from alife.scene.rle import parse_rle

    cells = np.zeros((40, 40), np.uint8)
    cells[15:25, 12:27] = parse_rle(pattern).cells
    from alife.core.rollout import run

    runs = []
    for lookup in ("dense", "tree"):
        rule = RuleTableRule("Langtons-Loops", 40, 40, lookup=lookup)
        params = rule.default_params()
        state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), jnp.asarray(cells))
        state = run(rule, jax.random.PRNGKey(0), state, params, 40)
        runs.append(np.asarray(state.cells))
    np.testing.assert_array_equal(*runs)
    assert (runs[0] != 0).sum() == 102  # bgolly, Langtons-Loops:T40,40 at generation 40


# ---- routes ------------------------------------------------------------------------------------
def test_a_pattern_names_its_rule_and_the_rule_file_lies_beside_it(tmp_path, capsys):
    rng = np.random.default_rng(2)
    _write(tmp_path, "Mine", table_rule("Mine", random_table(rng, "vonNeumann", "rotate4", 3)))
    (tmp_path / "p.rle").write_text("x = 3, y = 2, rule = Mine\nABA$.B!\n")
    from alife.scene.pattern_world import world_from_pattern

    world = world_from_pattern(tmp_path / "p.rle")
    assert world.rule.family == "ruletable" and world.rule.num_states == 3
    assert world.rule.loaded.path == tmp_path / "Mine.rule"
    assert main(["run", str(tmp_path / "p.rle"), "--steps", "3", "--quiet"]) == 0


def test_a_bad_rule_file_beside_a_pattern_is_one_line_exit_2(tmp_path, capsys):
    _write(tmp_path, "Broken", "@RULE Broken\n@TABLE\nn_states:2\nneighborhood:Moore\n"
                               "symmetries:rotate4\n0,0,0,0,0,0,0,0,0\n")
    (tmp_path / "p.rle").write_text("x = 1, y = 1, rule = Broken\nA!\n")
    assert main(["run", str(tmp_path / "p.rle"), "--steps", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "Broken.rule:6" in err and "has 9 entries; expected 10" in err


def test_unknown_rule_names_suggest_the_nearest(tmp_path, capsys):
    (tmp_path / "p.rle").write_text("x = 1, y = 1, rule = Langtons-Loop\nA!\n")
    assert main(["run", str(tmp_path / "p.rle"), "--steps", "1"]) == 2
    err = capsys.readouterr().err
    assert "did you mean `Langtons-Loops`?" in err


def test_life_rules_still_belong_to_life():
    from alife.scene.pattern_world import family_config

    assert family_config("B3/S23", 32, 32, "here")[0] == "life"
    assert family_config("W110", 32, 32, "here")[0] == "elementary"
    assert family_config("WireWorld", 32, 32, "here")[0] == "ruletable"
    with pytest.raises(AlifeError, match="B3/S2Q"):
        family_config("B3/S2Q", 32, 32, "here")


# ---- what ships works without Golly -----------------------------------------------------------
def test_shipped_scenes_run_without_golly(monkeypatch):
    """The scenes reference only shipped rules and patterns (Golly may be missing)."""
    from alife.core.rollout import run
    from alife.scene.io import load_scene

    monkeypatch.setenv("GOLLY_RULES", "")
    assert library.golly_folder() is None
    scenes = sorted((ROOT / "scenes" / "ruletable").glob("*.yaml"))
    assert len(scenes) >= 2
    for path in scenes:
        world = load_scene(path)
        assert world.rule.loaded.path.parent == SHIPPED
        state = run(world.rule, world.key, world.state, world.params, 3)
        assert int(state.generation) == 3
    loops = load_scene(ROOT / "scenes" / "ruletable" / "langtons_loops.yaml")
    assert int(np.sum(np.asarray(loops.state.cells) != 0)) == 86


def test_hostile_tables_are_refused_quickly(tmp_path):
    """A permute table with eight different neighbour sets, 256 states: refused, not ground."""
    sets = "\n".join(f"var v{i}={{{','.join(str(s) for s in range(i, 250, 9))}}}"
                     for i in range(8))
    lines = "\n".join(f"{c},v0,v1,v2,v3,v4,v5,v6,v7,{c}" for c in range(12))
    _write(tmp_path, "Huge", table_rule("Huge", "n_states:256\nneighborhood:Moore\n"
                                                "symmetries:permute\n" + sets + "\n" + lines))
    with pytest.raises(AlifeError, match="expands it to over"):
        library.load_rule("Huge", tmp_path)


def test_rule_box_explains_what_it_takes():
    rule = RuleTableRule("WireWorld", 16, 16)
    with pytest.raises(AlifeError, match="Life-like rule string"):
        rule.apply_rule_text("B3/S23", rule.default_params())
    jvn, _ = rule.apply_rule_text("JvN29", rule.default_params())  # Golly's JvN algorithm's
    assert jvn.name == "JvN29" and jvn.num_states == 29 and jvn.shape == (16, 16)


def test_mcell_files_read_as_golly_reads_them():
    from alife.scene.mcell import parse_mcell

    text = ("#MCell 4.00\n#GAME Rules table\n#GOLLY WireWorld\n#RULE 1,0,0,0\n#BOARD 10x8\n"
            "#WRAP 0\n#D A wire\n#D \n#L 2.A3C$.CaB\n#L 2$C\n")
    p = parse_mcell(text, "w.mcl")
    assert p.rule == "WireWorld:P10,8" and p.comments == ["A wire", ""]
    expected = np.zeros((4, 6), np.uint8)
    expected[0, 2:6] = [1, 3, 3, 3]
    expected[1, 1:3] = [3, 26]
    expected[3, 0] = 3
    np.testing.assert_array_equal(p.cells, expected)
    # Golly writes from the board's corner (-5, -4), then moves the pattern by
    # ((10 + 1 - 6) // 2, (8 + 1 - 4) // 2) = (2, 2)
    assert p.position == (-3, -2)
    torus = parse_mcell("#MCell 4.00\n#RULE Life\n#BOARD 4x4\n#WRAP 1\n#L A\n", "t.mcl")
    assert torus.rule == "Life:T4,4"
    with pytest.raises(AlifeError, match="w.mcl:2"):
        parse_mcell("#MCell 4.00\n#L 3Z\n", "w.mcl")
