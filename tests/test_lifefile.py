"""Life 1.05 / 1.06 files (`alife.scene.lifefile`): hand-made files with known cells, positions
and rules; Golly's four `.lif` patterns read cell for cell as bgolly reads them and run to
bgolly's populations; malformed files refused with one line naming the file and line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from alife.core.errors import AlifeError
from alife.scene.lifefile import parse_life
from alife.scene.patterns import read_pattern
from alife.scene.rle import read_rle

GOLLY = Path("/usr/share/golly/Patterns")
LIF_FILES = ("Life/Breeders/breeder.lif", "Life/Methuselahs/rabbits.lif",
             "Life/Methuselahs/acorn.lif", "Life-Like/persian-rugs.lif")


def test_life_105_blocks_positions_and_rule():
    text = ("#Life 1.05\n#D two blocks\n#R 23/36\n#P -2 -1\n.*\n**\n#P 3 4\n*.*\n")
    pattern = parse_life(text)
    assert pattern.rule == "23/36"
    assert pattern.comments == ["two blocks"]
    assert pattern.position == (-2, -1)
    live = {(int(x) - 2, int(y) - 1) for y, x in zip(*np.nonzero(pattern.cells), strict=True)}
    assert live == {(-1, -1), (-2, 0), (-1, 0), (3, 4), (5, 4)}


def test_life_105_bare_p_and_normal_rule():
    pattern = parse_life("#Life 1.05\n#N\n#P\n.*.\n..*\n***\n")
    assert pattern.rule == "B3/S23"
    assert pattern.position == (0, 0)
    assert pattern.cells.tolist() == [[0, 1, 0], [0, 0, 1], [1, 1, 1]]


def test_life_106_coordinates():
    pattern = parse_life("#Life 1.06\n0 -1\n1 0\n-1 1\n0 1\n1 1\n")
    assert pattern.position == (-1, -1)
    assert pattern.cells.tolist() == [[0, 1, 0], [0, 0, 1], [1, 1, 1]]


@pytest.mark.parametrize("text, line, words", [
    ("#Life 2.0\n*\n", 1, "expected '#Life 1.05' or '#Life 1.06'"),
    ("#Life 1.05\n#P 0 0\n*x*\n", 3, "column 2"),
    ("#Life 1.05\n#P zero 0\n*\n", 2, "2 whole numbers"),
    ("#Life 1.06\n1 2 3\n", 2, "2 whole numbers"),
    ("#Life 1.06\n1 nan\n", 2, "2 whole numbers"),
    ("#Life 1.06\n0 0\n99999999999 0\n", None, "too large"),
])
def test_malformed_files_name_the_line(text, line, words):
    with pytest.raises(AlifeError) as caught:
        parse_life(text, "x.lif")
    message = str(caught.value)
    assert words in message
    if line is not None:
        assert f"x.lif:{line}" in message


def test_cli_refuses_a_bad_file_with_status_2(tmp_path, capsys):
    from alife.cli import main

    bad = tmp_path / "bad.lif"
    bad.write_text("#Life 1.05\n#P 0 0\n*?\n")
    assert main(["run", str(bad), "--steps", "1"]) == 2
    err = capsys.readouterr().err
    assert "bad.lif:3" in err and "Traceback" not in err


def _golly(name: str) -> Path:
    path = GOLLY / name
    if not path.is_file():
        pytest.skip("Golly's Patterns are not installed (apt install golly)")
    if shutil.which("bgolly") is None:
        pytest.skip("bgolly not installed (apt install golly)")
    return path


@pytest.mark.parametrize("name", LIF_FILES)
def test_golly_lif_reads_as_bgolly_reads_it(name, tmp_path):
    path = _golly(name)
    out = tmp_path / "gen0.rle"
    subprocess.run(["bgolly", "-m", "0", "-o", str(out), str(path)], check=True,
                   capture_output=True, timeout=60)
    theirs = read_rle(out)
    ours = read_pattern(path)
    assert ours.cells.shape == theirs.cells.shape
    assert np.array_equal(ours.cells, theirs.cells)


@pytest.mark.parametrize("name", ["Life/Breeders/breeder.lif", "Life-Like/persian-rugs.lif"])
def test_golly_lif_runs_to_bgollys_population(name, tmp_path, capsys):
    path = _golly(name)
    done = subprocess.run(["bgolly", "-m", "200", "-i", "200", str(path)], capture_output=True,
                          text=True, timeout=120, check=True)
    theirs = int(done.stdout.strip().splitlines()[-1].split(": ")[1].replace(",", ""))
    from alife.cli import main

    assert main(["run", str(path), "--steps", "200", "--out", str(tmp_path / "end.rle")]) == 0
    assert f"population {theirs}," in capsys.readouterr().out
