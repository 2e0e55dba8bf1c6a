"""Every pattern of Golly's Loops, WireWorld, Turmites, Self-Rep and Other-Rules folders opens
through alife's pattern route and runs with bgolly's population at every generation.

`tests/test_ruletable_golly.py` (COLLECTION) and `tests/test_ruletable_jvn.py` (JVN_CASES) hold
hand-tuned cases; this file finds every other pattern in those folders, including the members
of Golly's zip archives (`x.zip/member`, bgolly given the member and the archive's rule files),
gzip-compressed patterns (`.rle.gz`, `.mc.gz`) and macrocell files (read into a dense grid).
bgolly runs each with the algorithm Golly would pick: RuleLoader for rule tables, JvN for
JvN29/Nobili32/Hutton32, its default for a Life-like rule. Patterns too large for a fixed grid
(TOO_LARGE) run on the multi-state HashLife universe in `tests/test_ruletable_hashlife.py`;
every other pattern must match here. A few run by default, all under `pytest -m slow`.
"""

from __future__ import annotations

import functools
import os
import shutil
import zipfile
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from bgolly_driver import bgolly_populations
from test_ruletable_golly import COLLECTION, PATTERNS, golly_rules
from test_ruletable_hashlife import GIANT
from test_ruletable_jvn import JVN_CASES

from alife.core.archive import RULE_SUFFIXES, pattern_members
from alife.scene.pattern_world import world_from_pattern

BGOLLY = shutil.which("bgolly")
FOLDERS = ("Loops", "WireWorld", "Turmites", "Self-Rep", "Other-Rules")
#: patterns a fixed grid cannot hold run on the multi-state HashLife universe, against bgolly,
#: in tests/test_ruletable_hashlife.py (GIANT)
TOO_LARGE = set(GIANT)
#: rules that do not run yet, and why
NOT_YET: dict[str, str] = {}
#: run by default (quick); everything else under -m slow
DEFAULT = {"Other-Rules/NoTimeAtAll-demo.zip/NTAA-demo.rle",
           "Self-Rep/Flow6/Flow6.zip/Flow6/Demo/Arm Mechanics.mc",
           "Other-Rules/factorize-84.zip/factorize 84.rle"}
GENERATIONS = 100


def _patterns() -> list[str]:
    """Every pattern in FOLDERS (archive members as `x.zip/member`), relative to PATTERNS,
    except those another test runs."""
    if not PATTERNS.is_dir():
        return []
    covered = {name for name, *_ in COLLECTION} | {f"Self-Rep/JvN/{n}" for n, _ in JVN_CASES}
    covered |= TOO_LARGE
    found = []
    for folder in FOLDERS:
        for path in sorted((PATTERNS / folder).rglob("*")):
            name = path.relative_to(PATTERNS).as_posix()
            if not path.is_file() or name in covered:
                continue
            if path.suffix == ".zip":
                found += [f"{name}/{m}" for m in pattern_members(path)]
            else:
                found.append(name)
    return found


ALL = _patterns()


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ALIFE_RULES", raising=False)


@functools.partial(jax.jit, static_argnames=("rule", "steps"))
def _run(rule, state, params, steps):
    def body(s, _):
        s = rule.step(None, s, params)
        return s, jnp.sum(rule.cells(s) != 0, dtype=jnp.int32)

    return jax.lax.scan(body, state, None, length=steps)


def our_populations(path: Path, generations: int, margin: int, chunk: int = 25) -> list[int]:
    """Populations at generations 0..`generations` through the pattern route; refuses a run
    that could have met the grid's edge (Golly's plane is unbounded)."""
    world = world_from_pattern(path, margin=margin)
    rule, params, state = world.rule, world.params, world.state
    fixed = ":" in str(rule.config().get("rule", ""))  # a bounded grid is the grid itself
    pops = [int(jnp.sum(rule.cells(state) != 0))]
    done = 0
    while done < generations:
        steps = min(chunk, generations - done)
        if not fixed:
            cells = np.asarray(rule.cells(state))
            band = np.ones(cells.shape, bool)
            band[steps + 1:-steps - 1, steps + 1:-steps - 1] = False
            assert not cells[band].any(), f"{path}: generation {done} is near the edge"
        state, more = _run(rule, state, params, steps)
        pops += [int(p) for p in np.asarray(more)]
        done += steps
    return pops


def golly_populations(pattern: Path, generations: int, rule: str | None,
                      rules: Path) -> list[int]:
    """bgolly's populations at generations 0..`generations`, with Golly's algorithm for
    `rule`."""
    if rule in ("JvN29", "Nobili32", "Hutton32"):
        algorithm = ["-a", "JvN"]
    elif rule is not None and "/" in rule:
        algorithm = []  # Life-like: bgolly's default algorithm reads the rule
    else:
        algorithm = ["-a", "RuleLoader", "-s", f"{rules}/"]
    args = [BGOLLY, *algorithm, "-m", str(generations), "-i", "1", str(pattern)]
    return bgolly_populations(args, generations, timeout=600)


def _for_golly(name: str, tmp_path: Path) -> tuple[Path, Path]:
    """(the pattern file bgolly reads, its rules folder): an archive member is written out
    with the archive's rule files beside it (bgolly opens no archives)."""
    if ".zip/" not in name:
        return PATTERNS / name, golly_rules()
    archive, member = name.split(".zip/", 1)
    out = tmp_path / "golly"
    out.mkdir()
    with zipfile.ZipFile(PATTERNS / f"{archive}.zip") as handle:
        for info in handle.infolist():
            base = Path(info.filename).name
            if base.endswith(RULE_SUFFIXES) and not base.startswith("._"):
                (out / base).write_bytes(handle.read(info))
        target = out / Path(member).name
        target.write_bytes(handle.read(member))
    for rule in golly_rules().iterdir():  # the shared colour files and the rest
        if not (out / rule.name).exists() and rule.is_file():
            os.symlink(rule, out / rule.name)
    return target, out


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=() if n in DEFAULT else pytest.mark.slow, id=n) for n in ALL]
    or [pytest.param("", marks=pytest.mark.skip(reason="Golly's Patterns are not installed"))])
def test_every_pattern_runs_as_in_golly(name, tmp_path):
    if BGOLLY is None:
        if os.environ.get("CI"):
            pytest.fail("bgolly (Debian package golly) is missing in CI")
        pytest.skip("bgolly not installed (apt-get install golly)")
    if name in NOT_YET:
        pytest.skip(NOT_YET[name])
    from alife.scene.patterns import read_pattern

    ours_path = PATTERNS / name
    rule = read_pattern(ours_path).rule
    golly_path, rules = _for_golly(name, tmp_path)
    golly = golly_populations(golly_path, GENERATIONS, rule, rules)
    ours = our_populations(ours_path, GENERATIONS, margin=GENERATIONS + 10)
    assert ours == golly


def test_the_collection_lists_every_folder():
    """The enumeration finds patterns in every folder, archive members included."""
    if not PATTERNS.is_dir():
        pytest.skip("Golly's Patterns are not installed")
    assert {n.split("/")[0] for n in ALL} >= {"WireWorld", "Self-Rep", "Other-Rules"}
    assert "Self-Rep/Flow6/Flow6.zip/Flow6/Demo/Arm Mechanics.mc" in ALL
    assert "WireWorld/Langtons-ant.zip/Langtons-ant.mc" in ALL
    assert all((PATTERNS / name).is_file() for name in TOO_LARGE)
