"""The Lenia glider search (issue 19 item 5): the `lenia_glider` fitness, the shared viability
rules (`alife.core.viability`), the early stop (`rollout.record_while`) and the found creature
`alife evolve` saves.

Independent truths: Chan's creatures from the library (Orbium glides; Circium lithos apertus,
Circium ventilans and Tetralapillium lithos are stationary, as their catalogue entries say),
masses computed in NumPy from the recorded cells, and a NumPy Lenia written out from Chan's
definitions (`tests/lenia_glider_reference.py`) that runs a saved library entry.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import yaml

from alife.cli import main
from alife.core import rollout, viability
from alife.evolve.task import Task
from alife.scene.io import load_scene

ROOT = Path(__file__).resolve().parents[1]
SEARCH = ROOT / "scenes" / "lenia" / "search_glider.yaml"
SETTINGS = {"fitness": "lenia_glider", "steps": 400, "record_every": 10}


def lenia_world(tmp_path: Path, start: str, params: dict | None = None, size: int = 48,
                **config) -> object:
    tree = {"version": 1, "name": start, "rule": {"family": "lenia", "config": {
        "width": size, "height": size, "start": start, **config}, "params": params or {}}}
    path = tmp_path / f"{start}.yaml"
    path.write_text(yaml.safe_dump(tree))
    return load_scene(path)


class Evaluator:
    """One task on one world, jitted once: the fitness and records of any params of it."""

    def __init__(self, world, settings=SETTINGS) -> None:
        self.world, self.task = world, Task(world, dict(settings))
        self.roll = jax.jit(self.task.rollout)

    def __call__(self, change: dict | None = None) -> tuple[float, dict, object]:
        params = dataclasses.replace(self.world.params, **{
            k: jnp.float32(v) for k, v in (change or {}).items()})
        traj, final, params = self.roll(self.task.genome.encode(params), jax.random.PRNGKey(0),
                                        params, self.world.state)
        return float(self.task.fitness.score(traj, final, params)), jax.device_get(traj), params


DEAD, BOOM = {"mu": 0.35}, {"mu": 0.08, "sigma": 0.04}


def test_fitness_ranks_orbium_above_static_dead_and_exploding(tmp_path):
    run = Evaluator(lenia_world(tmp_path, "orbium", radius=10.0))
    orbium, _, _ = run()
    dead, dead_traj, _ = run(DEAD)
    boom, boom_traj, _ = run(BOOM)
    static, _, _ = Evaluator(lenia_world(tmp_path, "C0la"))()  # Circium lithos apertus
    assert dead < 1 and boom < 1  # stopped early: the fraction of records they passed
    assert dead_traj["alive"].sum() < 5 and boom_traj["alive"].sum() < 5
    assert dead_traj["mass"][-1] <= 0.02 * dead_traj["mass"][0]
    assert boom_traj["mass"][-1] > 4 * boom_traj["mass"][0]
    assert 1 < static < 3.5  # alive, compact, not moving
    assert orbium > 6 and orbium > static + 2, (orbium, static)


def _cells(state):
    return state.cells


def _masses(world, params, steps: int, every: int) -> np.ndarray:
    """Masses of the run, the start first, summed in NumPy from the recorded cells."""
    _, cells = rollout.run(world.rule, world.key, world.state, params, steps,
                           record_every=every, observe=_cells)
    cells = np.concatenate([np.asarray(world.state.cells)[None], np.asarray(cells)])
    return cells.astype(np.float64).sum(axis=(1, 2))


def test_viability_verdicts_and_the_early_stop_agree_with_numpy_masses(tmp_path):
    world = lenia_world(tmp_path, "orbium", radius=10.0)
    run = Evaluator(world, {**SETTINGS, "saturated": 0.9, "extent": 10.0})  # mass rules only
    cases = {"glides": {}, "dies": DEAD, "explodes": BOOM, "slow death": {"mu": 0.2,
                                                                         "sigma": 0.03}}
    sizes, expected = [], []
    capacity = 48 * 48
    for label, change in cases.items():
        _, traj, params = run(change)
        mass = _masses(world, params, 400, 10)
        died = mass.min() <= 0.02 * mass[0]
        exploded = mass.max() > 4.0 * mass[0]
        expected.append("died" if died else "exploded" if exploded else "")
        sizes.append(mass)
        # the task's early stop fails the first record NumPy fails, and not before
        bad = (mass <= 0.02 * mass[0]) | (mass > 4.0 * mass[0]) | (mass >= 0.9 * capacity)
        first = int(np.argmax(bad)) if bad.any() else len(mass)
        assert traj["alive"].tolist() == [1.0] * first + [0.0] * (len(mass) - first), label
        np.testing.assert_allclose(traj["mass"][:first + 1], mass[:first + 1], rtol=1e-4)
        np.testing.assert_array_equal(traj["mass"][first:], traj["mass"][min(first, 40)])
    assert expected == ["", "died", "exploded", "died"]
    sizes = np.stack(sizes)
    assert viability.verdicts(sizes, float(sizes[0, 0]), capacity) == expected
    # a world "filled": saturated only when nothing else failed first
    full = np.array([[100.0, 200.0, 0.95 * capacity / 4]])
    assert viability.verdicts(full, 1000.0, capacity / 4) == ["saturated"]
    # record by record fails the same runs as the whole series (random series, each against
    # its own start); an empty start is judged at the end only
    rng = np.random.default_rng(0)
    series = np.abs(rng.normal(100, 120, (400, 12)))
    series[::7, 0] = 0.0
    per_record = np.array([[viability.record_code(v, row[0], row[0], 3000.0) for v in row]
                           for row in series])
    whole = np.array([viability.series_codes(row[None], float(row[0]), 3000.0)[0]
                      for row in series])
    started = series[:, 0] > 0
    assert 0 < (whole[started] != 0).sum() < started.sum()
    assert ((per_record != 0).any(axis=1) == (whole != 0))[started].all()
    assert (per_record[~started] == 0).all() and \
        ((whole[~started] == 1) == (series[~started, -1] <= 0)).all()


def test_app_evolve_panel_filters_with_the_shared_rules():
    from alife.app import evolve_rounds

    assert (evolve_rounds.LOW, evolve_rounds.HIGH, evolve_rounds.SATURATED) == \
        (viability.LOW, viability.HIGH, viability.SATURATED)

    class Rounds(evolve_rounds.RoundsMixin):
        low, high = 0.1, 3.0

        class rule:  # noqa: N801  (a stand-in with no grid: capacity 0)
            shape = (4, 4)

    sizes = np.array([[10.0, 5.0, 0.5], [10.0, 20.0, 31.0], [10, 12, 11], [0.0, 0.0, 0.0]])
    assert Rounds()._verdicts(sizes, 10.0) == ["died", "exploded", "", "died"]


def test_alife_evolve_saves_a_found_creature_that_opens(tmp_path, monkeypatch):
    from alife.app.library import Library, open_path, openable
    from alife.rules.lenia import library

    tree = yaml.safe_load(SEARCH.read_text())
    tree["rule"]["config"].update(width=32, height=32, patch=12, grain=3)
    tree["rule"]["params"]["radius"] = 6.0
    tree["evolution"].update(steps=60, population=6, generations=2,
                             genome={"genes": {"mu": [0.1, 0.3], "sigma": [0.01, 0.04],
                                               "radius": [5.0, 7.0]}})
    scene = tmp_path / "tiny.yaml"
    scene.write_text(yaml.safe_dump(tree))
    monkeypatch.setenv("ALIFE_FOUND_DIR", str(tmp_path / "found"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    out = tmp_path / "out"
    assert main(["evolve", str(scene), "--out", str(out), "--quiet"]) == 0
    (path,) = sorted((out / "found").glob("*.yaml"))
    world = load_scene(path)  # what `alife view` opens
    cells = np.load(path.with_suffix(".npz"))["cells"]
    h, w = cells.shape
    top, left = (32 - h) // 2, (32 - w) // 2
    np.testing.assert_array_equal(np.asarray(world.state.cells)[top:top + h, left:left + w],
                                  cells)
    assert float(np.asarray(world.state.cells).sum()) == pytest.approx(float(cells.sum()))
    (entry,) = json.loads(path.with_suffix(".json").read_text())["species"]
    species = library._parse(entry)  # the library format, read back
    np.testing.assert_allclose(species.cells()[0], cells, atol=0.5 / 255)
    assert species.radius == pytest.approx(float(world.params.radius))
    assert species.kernels[0].mu == pytest.approx(float(world.params.mu))
    assert (tmp_path / "found" / path.name).read_text() == path.read_text()
    lib = Library(golly=None)  # the app's Library lists the found-creatures folder
    lib.refresh(wait=True)
    (listed,) = lib.entries["found"]
    assert listed.path == tmp_path / "found" / path.name and lib.folders == []
    assert listed.family == "lenia" and lib.search("folders", "found", folder=lib.found_root)
    assert openable(listed) == (True, "")
    opened = load_scene(open_path(listed))  # what the Library hands to the app's Open
    np.testing.assert_array_equal(np.asarray(opened.state.cells), np.asarray(world.state.cells))
    lib.close()


@pytest.mark.slow
def test_search_finds_a_glider_from_a_random_start(tmp_path):
    """The real search, seed 0, under the 15 minute bound; the saved creature checked by the
    NumPy reference over 1000 steps (speed > 0.05 cells/step, mass within 2x)."""
    from lenia_glider_reference import check_found

    out = tmp_path / "out"
    t0 = time.perf_counter()
    assert main(["evolve", str(SEARCH), "--out", str(out), "--quiet",
                 "--found-dir", str(tmp_path / "found")]) == 0
    assert time.perf_counter() - t0 < 15 * 60
    (path,) = sorted((out / "found").glob("*.yaml"))
    result = check_found(path)
    assert result["glides"], result


@pytest.mark.gl
def test_found_creature_opens_from_the_library_window(make_app, tmp_path, monkeypatch):
    """The Library window lists the found-creatures folder under "My folders" and a click
    opens the creature (cut out of an Orbium world by the fitness's hook and saved as
    `alife evolve` saves it)."""
    import app_driver as drive
    from test_app_library import _click_tab, _open_library

    from alife.evolve.found import save_creature
    from alife.rules.lenia.glider import _creature

    monkeypatch.setenv("ALIFE_FOUND_DIR", str(tmp_path / "found"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    world = lenia_world(tmp_path, "orbium", radius=10.0)
    creature = _creature(world, world.params, world.state)
    assert creature is not None and creature.passes  # Orbium glides alone
    path = save_creature(creature, tmp_path / "found", "lenia", "an Orbium, cut out")
    app = make_app(SEARCH, size=(1600, 1000))
    drive.frames(app, 3)
    ui = _open_library(app)
    _click_tab(app, "folders")
    assert "library_found" in app.state.widget_rects
    drive.frames_until(app, lambda: path.name in ui.listed, timeout=60)
    drive.click_widget(app, f"library_row_{path.name}")
    drive.frames(app, 3)
    c = app.controller
    assert c.world.path == path
    np.testing.assert_allclose(float(np.asarray(c.cells()).sum()), float(creature.cells.sum()),
                               rtol=1e-5)
