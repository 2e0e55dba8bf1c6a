"""Scene validation: every error names the file, the key (and line) and what was expected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alife.core.errors import AlifeError
from alife.scene import load_scene

ROOT = Path(__file__).resolve().parents[1]
GLIDER = (ROOT / "assets" / "patterns" / "glider.rle").as_posix()

GOOD = f"""version: 1
name: test
seed: 0
rule:
  family: life
  config:
    rule: B3/S23
    width: 32
    height: 32
init:
  pattern:
    file: {GLIDER}
    at: [4, 4]
view:
  zoom: 4
run:
  steps: 10
"""


def _error(tmp_path, text: str, overrides=()) -> str:
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(AlifeError) as info:
        load_scene(path, list(overrides))
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    return message


def test_the_good_scene_loads(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(GOOD)
    assert load_scene(path).rule.shape == (32, 32)


def test_unknown_key_with_suggestion(tmp_path):
    msg = _error(tmp_path, GOOD.replace("  zoom: 4", "  zom: 4"))
    assert ":15: view.zom" in msg and "did you mean `zoom`" in msg
    msg = _error(tmp_path, GOOD.replace("    at: [4, 4]", "    center: true"))
    assert "init.pattern.center" in msg and "`centre`" in msg


def test_wrong_type(tmp_path):
    msg = _error(tmp_path, GOOD.replace("width: 32", "width: wide"))
    assert "rule.config.width" in msg and "expected an integer" in msg
    msg = _error(tmp_path, GOOD.replace("steps: 10", "steps: ten"))
    assert ":17: run.steps" in msg and "expected an integer >= 1" in msg


def test_zero_and_negative_steps(tmp_path):
    for bad in ("0", "-5"):
        assert "run.steps" in _error(tmp_path, GOOD.replace("steps: 10", f"steps: {bad}"))


def test_missing_required_key(tmp_path):
    msg = _error(tmp_path, GOOD.replace("  family: life\n", ""))
    assert "rule" in msg and "missing required key 'family'" in msg


def test_unknown_family(tmp_path):
    msg = _error(tmp_path, GOOD.replace("family: life", "family: lief"))
    assert "rule.family" in msg and "did you mean 'life'" in msg


def test_bad_rule_string(tmp_path):
    msg = _error(tmp_path, GOOD.replace("B3/S23", "B9/S23"))
    assert "rule.config" in msg


def test_missing_file(tmp_path):
    msg = _error(tmp_path, GOOD.replace(GLIDER, "nowhere.rle"))
    assert "init.pattern.file" in msg and "file not found" in msg


def test_pattern_that_does_not_fit(tmp_path):
    msg = _error(tmp_path, GOOD.replace("at: [4, 4]", "at: [30, 4]"))
    assert "init.pattern.at" in msg and "x <= 29" in msg


def test_too_large_world(tmp_path):
    msg = _error(tmp_path, GOOD.replace("width: 32", "width: 100000").replace(
        "height: 32", "height: 100000"))
    assert "2^28" in msg and "rule.config" in msg


def test_invalid_yaml_names_the_line(tmp_path):
    msg = _error(tmp_path, GOOD.replace("  zoom: 4", "  zoom: [4"))
    assert re.search(r"x\.yaml:1[56]: invalid YAML", msg)


def test_newer_version(tmp_path):
    msg = _error(tmp_path, GOOD.replace("version: 1", "version: 9"))
    assert "version" in msg and "newer" in msg


def test_two_init_kinds_and_unknown_param(tmp_path):
    msg = _error(tmp_path, GOOD.replace("init:\n", "init:\n  empty: {}\n"))
    assert "exactly one init kind" in msg
    msg = _error(tmp_path, GOOD, overrides=["rule.params.mu=0.1"])
    assert "--set rule.params.mu" in msg and "unknown param" in msg


def test_bad_override_syntax(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(GOOD)
    with pytest.raises(AlifeError, match="expected key=value"):
        load_scene(path, ["width"])


def test_world_over_available_memory(tmp_path, monkeypatch):
    import alife.scene.limits as limits

    monkeypatch.setattr(limits, "_available_bytes", lambda: 64)
    msg = _error(tmp_path, GOOD)
    assert "rule.config" in msg and "available" in msg and "smaller world" in msg
