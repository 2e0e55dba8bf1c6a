"""Golly's zip archives, gzip-compressed patterns and macrocell files on the grid route, and the
hostile files they must refuse with one clean line (alife.core.archive, alife.scene.readers,
alife.scene.macrocell_grid).

Truth: RLE text we write ourselves (read back through an archive or gzip it must be the same
Pattern), bgolly's own macrocell writer (`-o x.mc`: the grid our reader makes equals the RLE it
was written from), and the refusals: zip bombs (declared and lying sizes), path traversal,
absolute and encrypted members, too many members, gzip bombs, corrupt data.
"""

from __future__ import annotations

import gzip
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from alife.core import archive
from alife.core.errors import AlifeError
from alife.scene.open import open_world
from alife.scene.patterns import Pattern, read_pattern
from alife.scene.rle import format_rle

BGOLLY = shutil.which("bgolly")
RNG = np.random.default_rng(7)
CELLS = RNG.integers(0, 4, (9, 13)) * (RNG.random((9, 13)) < 0.6)
TWO_STATE_RULE = """@RULE Swap2
@TABLE
n_states:3
neighborhood:vonNeumann
symmetries:rotate4
1,0,0,0,0,2
2,0,0,0,0,1
"""


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ALIFE_RULES", raising=False)


def _rle(cells: np.ndarray = CELLS, rule: str = "WireWorld") -> str:
    return format_rle(Pattern(cells, rule=rule, name="sample"))


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as handle:
        for name, data in members.items():
            handle.writestr(name, data)
    return path


def test_an_archive_opens_its_first_pattern_and_a_named_member(tmp_path):
    other = CELLS[::-1].copy()
    zipped = _zip(tmp_path / "two.zip", {"readme.txt": "hello", "a/first.rle": _rle(),
                                         "b/second.rle": _rle(other), "init.lua": "x = 1"})
    assert archive.pattern_members(zipped) == ["a/first.rle", "b/second.rle"]
    assert read_pattern(zipped).same_cells(Pattern(CELLS))
    assert read_pattern(zipped / "b" / "second.rle").same_cells(Pattern(other))
    with pytest.raises(AlifeError, match="no member 'b/third.rle'.*a/first.rle"):
        read_pattern(zipped / "b" / "third.rle")


def test_a_rule_packed_in_the_archive_is_found_first(tmp_path):
    cells = np.zeros((5, 5), int)
    cells[2, 2] = 1
    zipped = _zip(tmp_path / "swap.zip", {"Swap2.rule": TWO_STATE_RULE,
                                          "swap.rle": _rle(cells, "Swap2")})
    world = open_world(zipped)  # the bare archive opens its pattern with the archive's rule
    assert world.rule.name == "Swap2"
    folder = world.rule.config()["folder"]
    assert folder.endswith("swap.zip")  # the rule is named as inside the archive (rescans it)
    state = world.rule.step(None, world.state, world.params)
    assert int(np.asarray(world.rule.cells(state)).max()) == 2  # 1 -> 2 by the packed rule
    assert not (tmp_path / "Swap2.rule").exists()  # nothing written beside the archive


@pytest.mark.parametrize("suffix", [".rle.gz", ".cells.gz"])
def test_gzip_patterns_read_as_the_plain_file(tmp_path, suffix):
    cells = (CELLS > 0).astype(int) if suffix == ".cells.gz" else CELLS
    plain = tmp_path / f"p{suffix[:-3]}"
    from alife.scene.patterns import write_pattern

    write_pattern(plain, Pattern(cells, rule=None if suffix == ".cells.gz" else "WireWorld"))
    packed = tmp_path / f"p{suffix}"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert read_pattern(packed) == read_pattern(plain)


def test_a_gzip_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_GUNZIP_BYTES", 1 << 20)
    bomb = tmp_path / "bomb.rle.gz"
    bomb.write_bytes(gzip.compress(b"x = 1, y = 1\n" + b"b" * (4 << 20)))
    with pytest.raises(AlifeError, match=r"bomb.rle.gz.*unpacks to more than 1 MiB"):
        read_pattern(bomb)
    broken = tmp_path / "broken.rle.gz"
    broken.write_bytes(gzip.compress(_rle().encode())[:-12])
    with pytest.raises(AlifeError, match="broken.rle.gz.*(truncated|not a readable gzip)"):
        read_pattern(broken)


def test_zip_bombs_and_huge_members_are_refused_before_inflating(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1 << 20)
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 3 << 20)
    huge = _zip(tmp_path / "huge.zip", {"big.rle": b"b" * (2 << 20)})
    with pytest.raises(AlifeError, match=r"huge.zip/big.rle.*unpacks to 2097152 bytes"):
        read_pattern(huge)
    many = _zip(tmp_path / "many.zip", {f"m{i}.rle": b"b" * (900 << 10) for i in range(4)})
    with pytest.raises(AlifeError, match="many.zip.*over 3 MiB"):
        read_pattern(many)


def test_a_member_that_lies_about_its_size_is_corrupt(tmp_path):
    path = _zip(tmp_path / "liar.zip", {"p.rle": _rle() + "#C" + "x" * 5000})
    data = bytearray(path.read_bytes())
    # the declared unpacked size, in the local header (offset 22) and the central directory
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 100)
    struct.pack_into("<I", data, central + 24, 100)
    path.write_bytes(bytes(data))
    with pytest.raises(AlifeError, match="liar.zip/p.rle"):
        read_pattern(path)
    flipped = _zip(tmp_path / "flipped.zip", {"p.rle": _rle()})
    data = bytearray(flipped.read_bytes())
    data[data.find(b"PK\x03\x04") + 40] ^= 0xFF  # inside the compressed data
    flipped.write_bytes(bytes(data))
    with pytest.raises(AlifeError, match="flipped.zip"):
        read_pattern(flipped)


@pytest.mark.parametrize("name", ["../evil.rle", "/etc/evil.rle", "a/../../evil.rule",
                                  "C:/evil.rle"])
def test_members_pointing_outside_the_archive_are_refused(tmp_path, name):
    path = _zip(tmp_path / "trav.zip", {"ok.rle": _rle(), name: _rle()})
    with pytest.raises(AlifeError, match="points outside the archive"):
        read_pattern(path)
    assert not (tmp_path.parent / "evil.rle").exists()


def test_encrypted_members_and_member_floods_are_refused(tmp_path, monkeypatch):
    path = _zip(tmp_path / "locked.zip", {"p.rle": _rle()})
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + offset
        data[at] |= 0x01  # the "encrypted" flag bit
    path.write_bytes(bytes(data))
    with pytest.raises(AlifeError, match="encrypted"):
        read_pattern(path)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 10)
    flood = _zip(tmp_path / "flood.zip", {f"p{i}.rle": _rle() for i in range(11)})
    with pytest.raises(AlifeError, match="11 members; expected at most 10"):
        read_pattern(flood)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(AlifeError, match="not a readable zip archive"):
        read_pattern(junk)


def test_rule_files_are_written_under_their_base_names_only(tmp_path):
    path = _zip(tmp_path / "nested.zip", {"rules/deep/Swap2.rule": TWO_STATE_RULE,
                                          "bad name!.rule": "x", "p.rle": _rle()})
    folder = archive.archive_rules(path)
    assert sorted(p.name for p in folder.iterdir()) == ["Swap2.rule"]
    assert archive.archive_rules(path) == folder  # the same content: the same folder


def test_the_cli_refuses_a_hostile_archive_with_one_line(tmp_path):
    path = _zip(tmp_path / "trav.zip", {"../evil.rle": _rle()})
    done = subprocess.run([sys.executable, "-m", "alife", "run", str(path), "--steps", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "points outside the archive" in lines[0], done.stderr


# ---- macrocell files on the grid ---------------------------------------------------------------
def test_multi_state_macrocell_leaves_and_nodes(tmp_path):
    text = ("[M2] (test)\n#R WireWorld\n#C made by hand\n"
            "1 0 3 1 2\n"  # node 1: a 2x2 leaf: nw 0, ne 3, sw 1, se 2
            "2 0 0 0 1\n"  # node 2: level 2 (4x4) with node 1 in its south-east
            "3 2 0 0 2\n")  # root: 8x8, node 2 in the north-west and the south-east
    path = tmp_path / "hand.mc"
    path.write_text(text)
    pattern = read_pattern(path)
    expect = np.zeros((8, 8), int)
    for top in (0, 4):
        expect[top + 2:top + 4, top + 2:top + 4] = [[0, 3], [1, 2]]
    ys, xs = np.nonzero(expect)
    assert pattern.rule == "WireWorld" and pattern.comments == ["made by hand"]
    np.testing.assert_array_equal(pattern.cells, expect[ys.min():, xs.min():])
    # the root spans x -4..3, y -3..4 (south-east child's corner at (0, 1)); box from (-2, -1)
    assert pattern.position == (-4 + xs.min(), -3 + ys.min())
    gz = tmp_path / "hand.mc.gz"
    gz.write_bytes(gzip.compress(text.encode()))
    assert read_pattern(gz) == pattern


@pytest.mark.parametrize("bad,match", [
    ("[M2]\n1 0 1 2\n", "five whole numbers"),
    ("[M2]\n2 0 0 0 5\n", "node 5 is not defined"),
    ("[M2]\n1 0 0 0 1\n3 1 0 0 0\n", "needs level-2 children"),
    ("[M2]\n1 0 0 0 300\n", "0..255"),
    ("[M2]\n$$**x\n", "only '.', '\\*' and '\\$'"),
    ("M2\n", "starts with a line"),
    ("[M2]\n#R Life\n", "no nodes"),
])
def test_malformed_macrocell_files_name_the_line(tmp_path, bad, match):
    path = tmp_path / "bad.mc"
    path.write_text(bad)
    with pytest.raises(AlifeError, match=match):
        read_pattern(path)


def test_a_macrocell_too_large_for_a_grid_says_its_size(tmp_path):
    # two cells at opposite corners of a 2^21 square: nodes (nw chain, se chain) per level
    text = "[M2]\n1 1 0 0 0\n1 0 0 0 1\n"
    nw, se = 1, 2
    for k in range(2, 21):
        text += f"{k} {nw} 0 0 0\n{k} 0 0 0 {se}\n"
        nw, se = 2 * k - 1, 2 * k
    text += f"21 {nw} 0 0 {se}\n"
    path = tmp_path / "wide.mc"
    path.write_text(text)
    with pytest.raises(AlifeError, match="2097152 x 2097152 cells is too large"):
        read_pattern(path)


@pytest.mark.skipif(BGOLLY is None, reason="bgolly not installed (apt-get install golly)")
def test_our_macrocell_grid_equals_the_rle_bgolly_wrote_it_from(tmp_path):
    rle = tmp_path / "start.rle"
    rle.write_text(_rle())
    out = tmp_path / "start.mc"
    from alife.rules.ruletable.library import golly_folder

    if golly_folder() is None:
        pytest.skip("Golly's Rules folder is not installed")
    subprocess.run([BGOLLY, "-a", "RuleLoader", "-s", f"{golly_folder()}/", "-m", "0", "-o",
                    str(out), str(rle)],
                   capture_output=True, text=True, timeout=60, check=True)
    assert out.read_text().startswith("[M2]")
    ours = read_pattern(out)
    assert ours.rule == "WireWorld" and ours.same_cells(read_pattern(rle))


def test_a_scene_saved_from_an_archived_pattern_loads_again(tmp_path):
    from alife.scene.dump import dump_yaml
    from alife.scene.io import load_scene
    from alife.scene.pattern_world import pattern_tree

    cells = np.zeros((5, 5), int)
    cells[2, 2] = 1
    zipped = _zip(tmp_path / "swap.zip", {"rules/Swap2.rule": TWO_STATE_RULE,
                                          "p/swap.rle": _rle(cells, "Swap2")})
    scene = tmp_path / "saved" / "swap.yaml"
    scene.parent.mkdir()
    scene.write_text(dump_yaml(pattern_tree(zipped / "p" / "swap.rle")))
    world = load_scene(scene)  # the rule is found in the archive, the cells read from it
    assert world.rule.name == "Swap2"
    assert int(np.count_nonzero(np.asarray(world.rule.cells(world.state)))) == 1
