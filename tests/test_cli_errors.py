"""Bad input to `alife run`: one line naming the file/key/value and what was expected, exit
status 2, never a traceback (in-process through `alife.cli.main`, and as real subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from alife.cli import main

ROOT = Path(__file__).resolve().parents[1]
GUN = ROOT / "scenes" / "life" / "gosper_glider_gun.yaml"
GLIDER = ROOT / "assets" / "patterns" / "glider.rle"


def _scene(tmp_path, text: str) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return str(path)


def _fails(capsys, argv: list[str], *words: str) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    for word in words:
        assert word in err, err
    return err


BASE = "version: 1\nrule:\n  family: life\n  config: {rule: B3/S23, width: 32, height: 32}\n"


def test_malformed_rle(tmp_path, capsys):
    bad = tmp_path / "bad.rle"
    bad.write_text("x = 3, y = 3, rule = B3/S23\nbo$2bo$3q!\n")
    _fails(capsys, ["run", str(bad), "--steps", "1"], "bad.rle")


def test_unknown_rule_string(capsys):
    _fails(capsys, ["run", "--rule", "B3/S2Q", "--pattern", str(GLIDER)], "B3/S2Q")


def test_invalid_yaml(tmp_path, capsys):
    _fails(capsys, ["run", _scene(tmp_path, BASE + "view: {zoom: [4}\n")], "s.yaml:5",
           "invalid YAML")


def test_unknown_key(tmp_path, capsys):
    _fails(capsys, ["run", _scene(tmp_path, BASE + "rnu: {steps: 3}\n")], "s.yaml:5: rnu",
           "unknown key")


def test_wrong_type(tmp_path, capsys):
    _fails(capsys, ["run", _scene(tmp_path, BASE + "seed: soon\n")], "s.yaml:5: seed",
           "expected an integer")


def test_missing_file(tmp_path, capsys):
    _fails(capsys, ["run", str(tmp_path / "none.yaml")], "none.yaml", "not found")
    _fails(capsys, ["run", _scene(tmp_path, BASE + "init: {npz: {file: gone.npz}}\n")],
           "init.npz.file", "gone.npz")


def test_too_large_world(capsys):
    _fails(capsys, ["run", str(GUN), "--set", "rule.config.width=65536", "--set",
                    "rule.config.height=65536"], "gosper_glider_gun.yaml", "rule.config", "2^28")


def test_negative_steps(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", str(GUN), "--steps", "-3"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "--steps" in err and "expected an integer >= 0" in err and len(err.splitlines()) == 1


def test_read_only_folder(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user that can write anywhere (root)")
        _fails(capsys, ["run", str(GUN), "--steps", "1", "--out", str(locked / "x.rle")],
               "locked", "not writable")
    finally:
        locked.chmod(0o700)


def test_unwritable_output(tmp_path, capsys):
    _fails(capsys, ["run", str(GUN), "--steps", "1", "--out", str(tmp_path / "x.gif")],
           "x.gif", "expected one of")
    blocker = tmp_path / "file"
    blocker.write_text("")
    _fails(capsys, ["run", str(GUN), "--steps", "1", "--out", str(blocker / "x.rle")],
           "not writable")


def test_continuous_rule_to_rle(tmp_path, capsys):
    _fails(capsys, ["run", str(ROOT / "scenes/lenia/orbium.yaml"), "--steps", "1", "--out",
                    str(tmp_path / "o.rle")], "continuous", "expected .npz or .png")


@pytest.mark.parametrize("case", ["yaml", "rle", "out"])
def test_errors_as_subprocess(tmp_path, case):
    if case == "yaml":
        argv = ["run", _scene(tmp_path, BASE + "run: {steps: -1}\n")]
        words = ["s.yaml:5: run.steps", "expected an integer >= 1"]
    elif case == "rle":
        bad = tmp_path / "bad.rle"
        bad.write_text("x = 2, y = 1, rule = B3/S23\n5o!\n")
        argv, words = ["run", str(bad)], ["bad.rle"]
    else:
        argv = ["run", str(GUN), "--out", str(tmp_path / "missing" / "deep" / "x.bmp")]
        words = ["x.bmp", "unknown output format"]
    done = subprocess.run([sys.executable, "-m", "alife"] + argv, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2
    err = done.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1
    for word in words:
        assert word in err, err
