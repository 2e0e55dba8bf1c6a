"""Hostile sweep files (issue 15): read as a regular file under a size cap, types checked, config
names kept inside `out`, the grid capped before it is built, every config checked before any run
is launched, and a failed child's reason printed. Each refusal is one line, exit 2, no
traceback, and nothing is launched (no `out` folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from alife.cli import main

ROUTES = Path(__file__).resolve().parent / "hostile" / "routes"


def sweep_file(tmp_path: Path, text: str | None = None, **keys) -> Path:
    path = tmp_path / "sweep.yaml"
    if text is None:
        spec = {"scene": str(ROUTES / "evolve_small.yaml"), "out": str(tmp_path / "out"),
                "seeds": 1, "workers": 1, **keys}
        text = yaml.safe_dump(spec)
    path.write_text(text)
    return path


def refused(capsys, argv: list[str], *words: str) -> str:
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse
        status = exc.code
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err and len(err) <= 400, err
    for word in words:
        assert word in err, err
    return err


def test_device_and_oversized_files_are_refused_at_once(tmp_path, capsys):
    refused(capsys, ["sweep", "/dev/zero"], "/dev/zero", "not a regular file")
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * (2 << 20))
    refused(capsys, ["sweep", str(big)], "big.yaml", "at most 1.0 MiB")
    refused(capsys, ["sweep", str(tmp_path)], "folder")


@pytest.mark.parametrize("keys, words", [
    ({"seeds": "012"}, ("seeds", "expected an integer or a list")),
    ({"seeds": ["0", 1]}, ("seeds", "an integer each")),
    ({"seeds": -3}, ("seeds",)),
    ({"seeds": [1, 1]}, ("twice",)),
    ({"seeds": 0}, ("no seeds",)),
    ({"seeds": 100_000, "configs": [{"name": "a"}]}, ("100,000 runs", "at most 10,000")),
    ({"seeds": 2**31, "configs": [{"name": "a"}]}, ("runs", "at most 10,000")),
    ({"configs": "abc"}, ("configs",)),
    ({"configs": ["abc"]}, ("configs.0", "mapping")),
    ({"configs": []}, ("at least one config",)),
    ({"configs": [{"name": "../../x"}]}, ("configs.0.name", "inside")),
    ({"configs": [{"name": "/tmp/x"}]}, ("configs.0.name",)),
    ({"configs": [{"name": "a/b"}]}, ("configs.0.name",)),
    ({"configs": [{"name": ".."}]}, ("configs.0.name",)),
    ({"configs": [{"name": ""}]}, ("configs.0.name",)),
    ({"configs": [{"name": "x" * 100}]}, ("configs.0.name",)),
    ({"configs": [{"name": ["a"]}]}, ("configs.0.name",)),
    ({"configs": [{"name": "a", "set": "rule.config.width=8"}]}, ("configs.0.set",)),
    ({"configs": [{"name": "a", "populaton": 4}]}, ("populaton", "population")),
    ({"workers": 0}, ("workers",)),
    ({"scene": "missing.yaml"}, ("scene not found",)),
])
def test_bad_sweep_files_are_one_line(tmp_path, capsys, keys, words):
    refused(capsys, ["sweep", str(sweep_file(tmp_path, **keys))], "sweep.yaml", *words)
    assert not (tmp_path / "out").exists()


def test_yaml_errors_and_bombs_are_one_line(tmp_path, capsys):
    refused(capsys, ["sweep", str(sweep_file(tmp_path, "scene: [a\nseeds: {\n  - x: :\n"))],
            "sweep.yaml", "invalid YAML")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    refused(capsys, ["sweep", str(sweep_file(tmp_path, bomb))], "sweep.yaml")


@pytest.mark.parametrize("config, words", [
    ({"name": "zero", "population": 0}, ("'zero'", "population")),
    ({"name": "nan", "lr": float("nan")}, ("'nan'", "lr")),
    ({"name": "huge", "steps": 10**12}, ("'huge'", "steps")),
    ({"name": "width", "set": ["rule.config.width=-4"]}, ("'width'", "width")),
    ({"name": "strat", "strategy": "nope"}, ("'strat'", "nope")),
    ({"name": "when", "population": "2024-01-01"}, ("'when'", "population")),
])
def test_a_bad_config_is_refused_before_any_run(tmp_path, capsys, config, words):
    configs = [{"name": "good"}, config]
    refused(capsys, ["sweep", str(sweep_file(tmp_path, configs=configs))], "sweep.yaml", *words)
    assert not (tmp_path / "out").exists()  # the good config was not launched either


def test_out_pointing_at_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    refused(capsys, ["sweep", str(sweep_file(tmp_path))], "out", "is a file")
    refused(capsys, ["sweep", str(sweep_file(tmp_path)), "--workers", "0"], "--workers")


def test_a_failed_childs_reason_reaches_the_terminal(tmp_path, capsys):
    path = sweep_file(tmp_path, configs=[{"name": "ga"}])
    folder = tmp_path / "out" / "ga" / "seed0"
    folder.mkdir(parents=True)
    (folder / "checkpoint.npz").write_bytes(b"not a zip")  # the child resumes from it and fails
    assert main(["sweep", str(path), "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "ga/seed0 failed (exit 2)" in err[0] and "checkpoint.npz" in err[0], err
    assert "log.txt" in err[0] and "Traceback" not in err[0]
