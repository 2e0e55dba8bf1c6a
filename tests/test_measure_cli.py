"""`alife measure`: the table for a list of rules (CSV + PNG), a scene's run, and bad input as one
line with exit status 2."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PIL import Image

from alife.cli import main
from alife.commands.measure import split_rules

ROOT = Path(__file__).resolve().parents[1]


def test_elementary_table(tmp_path, capsys):
    out, plot = tmp_path / "eca.csv", tmp_path / "eca.png"
    argv = ["measure", "--family", "elementary", "--rules", "0,30", "--rules", "110,204",
            "--steps", "64", "--transient", "64", "--starts", "2", "--out", str(out),
            "--plot", str(plot)]
    assert main(argv) == 0
    rows = {r["rule"]: r for r in csv.DictReader(out.open())}
    assert list(rows) == ["0", "30", "110", "204"]
    assert float(rows["30"]["lambda"]) == 0.5 and rows["0"]["class"] == "1"
    assert float(rows["30"]["lz76_norm"]) > 0.9 > 0.1 > float(rows["204"]["lz76_norm"])
    assert Image.open(plot).size == (720, 480)
    assert "rule" in capsys.readouterr().out


def test_life_rules_and_scene(tmp_path, capsys):
    out = tmp_path / "life.csv"
    assert main(["measure", "--family", "life", "--rules", "B3/S23,B2/S", "--size", "32",
                 "--steps", "32", "--transient", "16", "--starts", "1", "-q",
                 "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert [r["rule"] for r in rows] == ["B3/S23", "B2/S"]
    assert float(rows[0]["lambda"]) == pytest.approx(0.273, abs=1e-3)  # Langton's value
    assert main(["measure", str(ROOT / "scenes/elementary/rule30.yaml"), "--steps", "32"]) == 0
    assert "W30" in capsys.readouterr().out
    # a 256 x 256 scene: frames larger than the LZ76 budget are cropped, keeping time depth
    assert main(["measure", str(ROOT / "scenes/life/day_and_night.yaml"), "--steps", "16"]) == 0
    assert "B3678/S34678" in capsys.readouterr().out


def test_rule_texts_parse_in_the_family_context(tmp_path):
    out = tmp_path / "mixed.csv"
    assert main(["measure", "--family", "elementary", "--rules", "code 777 k=3 r=1,30,W110",
                 "--width", "64", "--steps", "16", "--transient", "8", "--starts", "1", "-q",
                 "--out", str(out)]) == 0
    rows = {r["rule"]: r for r in csv.DictReader(out.open())}
    assert float(rows["30"]["lambda"]) == 0.5  # elementary rule 30, not totalistic code 30
    assert float(rows["W110"]["lambda"]) == 0.625
    assert rows["code 777 k=3 r=1"]["lyapunov_bool"] == "nan"  # Bagnoli: 2-state only


def test_split_rules():
    assert split_rules(["30,110", " 54 "]) == ["30", "110", "54"]
    assert split_rules(["R2,C0,M1,S2..3,B3..3,NM;B3/S23"]) == ["R2,C0,M1,S2..3,B3..3,NM",
                                                               "B3/S23"]


@pytest.mark.parametrize("argv, words", [
    (["--family", "lenia", "--all"], ["--family", "'lenia'", "elementary, life"]),
    (["--family", "life", "--all"], ["--all", "elementary"]),
    (["--family", "elementary", "--rules", "300"], ["300", "0..255"]),
    (["--family", "elementary"], ["--rules", "expected"]),
    (["--family", "elementary", "--all", "--out", "x.txt"], ["--out", ".csv"]),
    ([], ["nothing to measure"]),
    (["--family", "elementary", "--steps", "2"], ["--steps", ">= 8"]),
    (["--family", "elementary", "--rules", "foo"], ["'foo'", "expected"]),
])
def test_bad_input(capsys, argv, words):
    with pytest.raises(SystemExit) as exc:  # argparse type errors exit through SystemExit
        code = main(["measure", *argv])
        raise SystemExit(code)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    for word in words:
        assert word in err, err
