"""One config mechanism (`alife.core.config`) for every block: declared fields are checked
(unknown keys with a suggestion, types, ranges, choices, nested blocks), and every shipped scene's
blocks refuse a typo'd key with one line naming it and the key it meant."""

from __future__ import annotations

import difflib
import math
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import alife.evolve.settings  # noqa: F401  (registers the evolution: block with the loader)
from alife.core.config import (
    block_keys,
    describe_block,
    parse_block,
    setting,
    to_plain,
)
from alife.core.errors import AlifeError
from alife.scene.checks import Where
from alife.scene.io import load_scene, scene_text, world_from_tree
from alife.scene.schema import parse_scene_text, validate_tree

ROOT = Path(__file__).resolve().parents[1]
SCENES = sorted((ROOT / "scenes").rglob("*.yaml"))
ALIFE = [sys.executable, "-m", "alife"]


# ---- the mechanism -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Sigma:
    sigma: float = setting(0.1, above=0, doc="search width")
    name: str = setting("pgpe", choices=("pgpe", "ga"), doc="strategy")


@dataclass(frozen=True)
class Block:
    population: int = setting(16, low=2, high=1024, doc="candidates")
    steps: list[int] = setting([64, 96], low=1)
    strategy: Sigma = setting(Sigma())
    out: str | None = setting(None)
    quiet: bool = setting(False)


def _fails(data, match: str, where: str | None = None) -> AlifeError:
    with pytest.raises(AlifeError, match=match) as info:
        parse_block(Block, data, "evolution")
    assert "\n" not in str(info.value)
    if where is not None:
        assert info.value.where == where
    return info.value


def test_defaults_fill_what_the_block_leaves_out():
    block = parse_block(Block, {"population": 8}, "evolution")
    assert block == Block(population=8)
    assert block.steps == [64, 96] and block.strategy == Sigma() and block.out is None
    assert parse_block(Block, None, "evolution") == Block()


def test_unknown_key_names_it_and_the_nearest_valid_one():
    err = _fails({"popultion": 64}, "unknown key `popultion` in evolution; did you mean "
                                    "`population`?", "evolution.popultion")
    assert "expected one of out, population" in str(err)
    _fails({"strategy": {"sigmaa": 1}}, "did you mean `sigma`", "evolution.strategy.sigmaa")


def test_non_mapping_is_refused():
    _fails([1, 2], "expected a mapping", "evolution")
    _fails({"strategy": "pgpe"}, "expected a mapping", "evolution.strategy")


def test_bool_is_not_an_int_and_ints_are_integral():
    _fails({"population": True}, "expected an integer", "evolution.population")
    _fails({"population": 2.5}, "expected an integer")
    _fails({"population": 2**70}, "expected an integer")
    assert parse_block(Block, {"population": 32.0}, "e").population == 32
    _fails({"quiet": 1}, "true or false", "evolution.quiet")
    _fails({"out": 3}, "expected a string", "evolution.out")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_floats_are_finite(bad):
    _fails({"strategy": {"sigma": bad}}, "expected a finite number", "evolution.strategy.sigma")


def test_ranges_and_choices():
    _fails({"population": 1}, "in \\[2, 1024\\]", "evolution.population")
    _fails({"population": 2000}, "in \\[2, 1024\\]")
    _fails({"strategy": {"sigma": 0}}, "> 0", "evolution.strategy.sigma")
    _fails({"steps": [64, 0]}, ">= 1", "evolution.steps.1")
    _fails({"steps": [64, "x"]}, "an integer", "evolution.steps.1")
    _fails({"strategy": {"name": "gaa"}}, "unknown value `gaa`; did you mean `ga`",
           "evolution.strategy.name")


def test_required_keys_and_validate_hook():
    @dataclass(frozen=True)
    class Needs:
        scene: str = setting(doc="required")
        lo: int = setting(0)
        hi: int = setting(1)

        def validate(self, where: str) -> None:
            if self.lo >= self.hi:
                raise AlifeError("need lo < hi", where=where)

    with pytest.raises(AlifeError, match="missing required key `scene`"):
        parse_block(Needs, {}, "x")
    with pytest.raises(AlifeError, match="lo < hi"):
        parse_block(Needs, {"scene": "a", "lo": 3}, "x")


def test_round_trip_keeps_what_the_source_gave():
    data = {"population": 16, "strategy": {"sigma": 0.5}, "steps": [1, 2]}
    block = parse_block(Block, data, "evolution")
    assert to_plain(block) == data  # population equals its default but was given
    assert parse_block(Block, to_plain(block), "evolution") == block
    assert to_plain(Block(population=4)) == {"population": 4}
    assert to_plain(parse_block(Block, {}, "e")) == {}
    assert block_keys(Block) == ("population", "steps", "strategy", "out", "quiet")
    rows = {r[0]: r for r in describe_block(Block)}
    assert rows["population"][2] == 16 and "[2, 1024]" in rows["population"][3]


# ---- the blocks that use it --------------------------------------------------------------------
def test_evolution_block_splits_into_parts():
    from alife.evolve.settings import parse_evolution
    from alife.scene.io import load_scene

    world = load_scene(ROOT / "scenes/evolve/lenia_mover.yaml")
    evo = parse_evolution(world.extra["evolution"], world.rule)
    assert evo.task.fitness == "lenia_mover" and evo.task.steps == 200
    assert evo.run.population == 16 and evo.strategy.lr == 0.05
    assert evo.genome.genes == {"mu": [0.05, 0.35], "sigma": [0.005, 0.06], "dt": [0.05, 0.3]}
    assert evo.fitness.mass_low == 0.5
    flat = evo.flat()
    assert flat["mass_high"] == 2.0 and flat["micro_batch"] is None
    for block, match in [({**world.extra["evolution"], "mass_lw": 0.4}, "did you mean `mass_low`"),
                         ({**world.extra["evolution"], "genome": {"knd": "sliders"}},
                          "did you mean `kind`"),
                         ({**world.extra["evolution"], "start": "randm"}, "did you mean `random`"),
                         ({**world.extra["evolution"], "strategy": "pgep"}, "did you mean `pgpe`"),
                         ({**world.extra["evolution"], "steps": True}, "expected an integer")]:
        with pytest.raises(AlifeError, match=match):
            parse_evolution(block, world.rule)


def test_a_fitness_key_of_another_fitness_is_refused():
    from alife.evolve.settings import parse_evolution

    world = load_scene(ROOT / "scenes/evolve/lenia_mover.yaml")
    block = {**world.extra["evolution"], "density_low": 0.1}  # life_longevity's, not lenia's
    with pytest.raises(AlifeError, match="unknown key `density_low` in evolution"):
        parse_evolution(block, world.rule)


# ---- every shipped scene: a typo in any block is refused ---------------------------------------
def _blocks(tree: dict) -> list[tuple[str, ...]]:
    paths = [(name,) for name in ("evolution", "training", "view", "run")]
    paths += [("evolution", "genome"), ("rule", "config")]
    init = tree.get("init") or {}
    paths += [("init", kind) for kind in init]
    found = []
    for path in paths:
        node = tree
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and node:
            found.append(path)
    return found


def _typo(key: str, keys: list[str]) -> str | None:
    """`key` with one letter dropped, when that is no valid key and `key` is its nearest."""
    for i in range(len(key) - 2, 0, -1):
        typo = key[:i] + key[i + 1:]
        near = difflib.get_close_matches(typo, keys, n=1, cutoff=0.6)
        if typo not in keys and near == [key]:
            return typo
    return None


def _load_tree(tree: dict, path: Path) -> None:
    where = Where(str(path), {})
    validate_tree(tree, where)
    world_from_tree(tree, where, path.parent, path)


def _typo_cases() -> list[tuple[Path, tuple[str, ...], str, str]]:
    cases = []
    for scene in SCENES:
        tree = yaml.safe_load(scene.read_text())
        for block in _blocks(tree):
            node = tree
            for part in block:
                node = node[part]
            keys = [k for k in node if isinstance(k, str)]
            for key in keys:
                typo = _typo(key, keys)
                if typo is not None:
                    cases.append((scene, block, key, typo))
                    break
    return cases


CASES = _typo_cases()


def test_every_shipped_block_kind_is_covered():
    kinds = {b[0] for _, b, _, _ in CASES}
    assert {"evolution", "training", "view", "run", "rule", "init"} <= kinds
    assert any(b == ("evolution", "genome") for _, b, _, _ in CASES)


@pytest.mark.parametrize("scene, block, key, typo", CASES,
                         ids=[f"{c[0].parent.name}/{c[0].stem}:{'.'.join(c[1])}" for c in CASES])
def test_a_typo_in_a_shipped_scene_block_is_refused(scene, block, key, typo):
    tree = yaml.safe_load(scene.read_text())
    node = tree
    for part in block:
        node = node[part]
    node[typo] = node.pop(key)
    with pytest.raises(AlifeError) as info:
        _load_tree(tree, scene)
    message = str(info.value)
    assert "\n" not in message
    assert f"`{typo}`" in message and f"did you mean `{key}`" in message, message
    assert ".".join(block + (typo,)) in message


def _rebased(scene: Path, tmp_path: Path, edit) -> Path:
    """A copy of a shipped scene in tmp_path (relative files made absolute), edited."""
    tree = yaml.safe_load(scene.read_text())
    edit(tree)
    text = yaml.safe_dump(tree, sort_keys=False).replace("../../", f"{ROOT.as_posix()}/")
    out = tmp_path / scene.name
    out.write_text(text)
    return out


def _cli_fails(args: list[str], *needles: str) -> None:
    done = subprocess.run(ALIFE + args, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    for needle in needles:
        assert needle in done.stderr, done.stderr


def test_cli_refuses_typos_in_one_line(tmp_path):
    def evolution(tree):
        tree["evolution"]["popultion"] = tree["evolution"].pop("population")

    def training(tree):
        tree["training"]["iteratons"] = tree["training"].pop("iterations")

    lenia = _rebased(ROOT / "scenes/evolve/lenia_mover.yaml", tmp_path, evolution)
    _cli_fails(["run", str(lenia), "--steps", "1"], "evolution.popultion",
               "did you mean `population`")
    nca = _rebased(ROOT / "scenes/nca/lizard.yaml", tmp_path, training)
    _cli_fails(["run", str(nca), "--steps", "1"], "training.iteratons",
               "did you mean `iterations`")
    gun = str(ROOT / "scenes/life/gosper_glider_gun.yaml")
    _cli_fails(["run", gun, "--steps", "1", "--set", "view.zooom=3"], "--set view.zooom",
               "did you mean `zoom`")
    _cli_fails(["run", str(ROOT / "scenes/evolve/lenia_mover.yaml"), "--steps", "1", "--set",
                "evolution.mass_hgh=3"], "--set evolution.mass_hgh", "did you mean `mass_high`")


@pytest.mark.parametrize("override, meant", [
    ("evolution.generatons=3", "generations"), ("evolution.genome.alow_b0=true", "allow_b0"),
    ("run.stesp=3", "steps"), ("rule.config.widht=40", "width"), ("naem=x", "name")])
def test_set_typos_are_refused(override, meant):
    with pytest.raises(AlifeError, match=f"did you mean `{meant}`") as info:
        load_scene(ROOT / "scenes/evolve/life_soups.yaml", [override])
    assert "--set" in str(info.value) and "\n" not in str(info.value)


def test_training_set_typo_is_refused():
    with pytest.raises(AlifeError, match="did you mean `batch`"):
        load_scene(ROOT / "scenes/vitca/digits.yaml", ["training.bacth=4"])


def test_sweep_typos_are_refused(tmp_path):
    from alife.evolve.sweep import load_sweep

    (tmp_path / "s.yaml").write_text((ROOT / "scenes/evolve/life_soups.yaml").read_text())
    sweep = tmp_path / "sweep.yaml"
    for spec, needle in [({"scene": "s.yaml", "seed": 2}, "did you mean `seeds`"),
                         ({"scene": "s.yaml", "configs": [{"name": "a", "popuation": 4}]},
                          "configs.0.popuation"),
                         ({"scene": "s.yaml", "workers": 0}, "sweep.yaml: workers")]:
        sweep.write_text(yaml.safe_dump(spec))
        with pytest.raises(AlifeError, match=needle.replace(".", "\\.")) as info:
            load_sweep(sweep)
        assert "\n" not in str(info.value)
    sweep.write_text(yaml.safe_dump({"scene": "s.yaml", "configs": [{"lr": 0.1, "mass_low": 1}]}))
    runs, _, _ = load_sweep(sweep)  # every part's and every fitness's keys are accepted
    assert len(runs) == 1


# ---- shipped scenes with checked blocks still load and round-trip ---------------------------
BLOCKED = [p for p in SCENES if any(k in yaml.safe_load(p.read_text())
                                    for k in ("evolution", "training"))]


@pytest.mark.parametrize("path", BLOCKED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_scenes_with_blocks_load_and_round_trip_byte_for_byte(path):
    """The checked blocks stay verbatim in World.extra; saved, loaded and saved again, the text
    is the same bytes (hand-written files are first put in canonical form)."""
    world = load_scene(path)
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    for name in ("evolution", "training"):
        if name in tree:
            assert world.extra[name] == tree[name]
    saved = scene_text(world, path)
    again, where = parse_scene_text(saved, str(path))
    validate_tree(again, where)
    assert scene_text(world_from_tree(again, where, path.parent, path), path) == saved
