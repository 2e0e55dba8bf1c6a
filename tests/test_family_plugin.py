"""A family written outside alife works on every route: the Particle Life example plug-in.

`examples/family_plugin` is a separate package (`alife-particle-life`) that adds the family
`particle_life` through the entry-point group `alife.families`; nothing in `alife/` names it.
The module installs it once (`pip install --no-deps --target`, into a temporary folder, so the
shared virtualenv and the other tests never see it), then drives it through `alife` CLI
subprocesses (list, run to .npz and .png, render, evolve, measure) with that folder on
PYTHONPATH, and in this process (with the folder on `sys.path` and the registry refreshed): the
force law against a NumPy reference, conservation, the conformance checks, a scene save/load
round trip, and the app window offscreen (discs, the inspector, place and remove).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife import families
from alife.core.errors import AlifeError
from alife.core.rollout import run
from alife.core.rule import EntityWorld, GridEditing, Inspecting, Placing, Removing

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "family_plugin"
SCENE = EXAMPLE / "scenes" / "particle_life.yaml"


# ---- installing the plug-in ----------------------------------------------------------------
def _pip_install(source: Path, target: Path) -> subprocess.CompletedProcess:
    """`pip install --no-deps --target`: with build isolation first (a setuptools from the
    package index), then without (offline, when the venv's setuptools can build wheels)."""
    base = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
            str(target), str(source)]
    done = None
    for extra in ([], ["--no-build-isolation"]):
        done = subprocess.run(base + extra, capture_output=True, text=True, timeout=240)
        if done.returncode == 0:
            break
    assert done is not None
    return done


@pytest.fixture(scope="module")
def target(tmp_path_factory) -> Path:
    """The folder the plug-in is installed into (a copy of the example, so no build files are
    left in the repository)."""
    work = tmp_path_factory.mktemp("plugin")
    source = work / "src"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", ".ruff_cache", "scenes"))
    folder = work / "site"
    done = _pip_install(source, folder)
    if done.returncode != 0:
        pytest.fail(f"pip could not install the example plug-in:\n{done.stderr[-2000:]}")
    assert (folder / "particle_life" / "__init__.py").is_file()
    assert any(p.name.startswith("alife_particle_life") for p in folder.glob("*.dist-info"))
    return folder


@pytest.fixture(scope="module")
def plugin(target):
    """The installed plug-in, visible in this process through its entry point; the registry
    forgets it afterwards."""
    sys.path.insert(0, str(target))
    families.refresh()
    try:
        yield families.get("particle_life")
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m == "particle_life"
                     or m.startswith("particle_life.")]:
            del sys.modules[name]
        families.refresh()


def _env(target: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(target)] + ([env["PYTHONPATH"]]
                                                         if env.get("PYTHONPATH") else []))
    env.setdefault("JAX_PLATFORMS", "cpu")
    return env


def alife(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`alife ARGS` in a subprocess that sees the installed plug-in."""
    return subprocess.run([sys.executable, "-m", "alife", *args], cwd=cwd, env=_env(target),
                          capture_output=True, text=True, timeout=300)


#: the CLI routes, longest first; two run at a time (each is mostly process start and compile)
COMMANDS = {
    "evolve": ("evolve", str(SCENE), "--out", "ev", "--quiet", "--generations", "2",
               "--population", "4"),
    "render": ("render", str(SCENE), "--steps", "10", "--out", "x.png"),
    "npz": ("run", str(SCENE), "--steps", "20", "--out", "end.npz"),
    "png": ("run", str(SCENE), "--steps", "20", "--out", "end.png"),
    "measure": ("measure", str(SCENE)),
    "list": ("list",),
}
PARALLEL = 2


@pytest.fixture(scope="module")
def cli(target, tmp_path_factory) -> tuple[Path, dict[str, subprocess.CompletedProcess]]:
    """(the folder they ran in, each command's result)."""
    folder = tmp_path_factory.mktemp("cli")
    waiting = list(COMMANDS.items())
    running: dict[str, subprocess.Popen] = {}
    done: dict[str, subprocess.CompletedProcess] = {}
    end = time.monotonic() + 600
    try:
        while waiting or running:
            while waiting and len(running) < PARALLEL:
                name, args = waiting.pop(0)
                running[name] = subprocess.Popen(
                    [sys.executable, "-m", "alife", *args], cwd=folder, env=_env(target),
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            finished = [n for n, p in running.items() if p.poll() is not None]
            for name in finished:
                proc = running.pop(name)
                out, err = proc.communicate()
                done[name] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
            assert time.monotonic() < end, f"CLI runs timed out: {sorted(running)}"
            time.sleep(0.05)
    finally:
        for proc in running.values():
            proc.kill()
            proc.communicate()
    return folder, done


# ---- the CLI routes ------------------------------------------------------------------------
def test_cli_list(cli):
    _, done = cli
    listed = done["list"]
    assert listed.returncode == 0, listed.stderr
    line = next(x for x in listed.stdout.splitlines() if "particle_life" in x)
    assert "Particle Life (Ventrella's Clusters, Mohr)" in line and "alife-particle-life" in line
    assert "not loaded" not in listed.stderr


def test_cli_run_render_measure(cli):
    from PIL import Image

    from alife.core.fileio import load_arrays

    folder, done = cli
    for name in ("npz", "png", "render"):
        assert done[name].returncode == 0, done[name].stderr
    assert "generation 20, population 160" in done["npz"].stdout
    arrays = load_arrays(folder / "end.npz")
    position = next(v for k, v in arrays.items() if k.endswith("position"))
    alive = next(v for k, v in arrays.items() if k.endswith("alive"))
    assert position.shape == (192, 2) and int(alive.sum()) == 160
    assert position.min() >= 0 and position[:, 0].max() < 48 and position[:, 1].max() < 48

    image = np.asarray(Image.open(folder / "end.png"))
    assert image.shape[:2] == (48, 48) and image.max() > 0  # coloured cells on black
    frame = np.asarray(Image.open(folder / "x.png").convert("RGB"))
    assert frame.shape[0] >= 48 and len(np.unique(frame.reshape(-1, 3), axis=0)) > 4

    measured = done["measure"]  # no discrete cell states: a one-line refusal, exit 2
    assert measured.returncode == 2 and "Traceback" not in measured.stderr
    assert len(measured.stderr.strip().splitlines()) == 1 and "continuous" in measured.stderr


def test_cli_evolve(cli, plugin):
    import json

    from alife.scene.io import load_scene

    folder, done = cli
    assert done["evolve"].returncode == 0, done["evolve"].stderr
    out = folder / "ev"
    rows = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [1, 2] and all(np.isfinite(r["fitness"]) for r in rows)
    assert rows[-1]["best_ever"] > 0.5  # clustering ~1 for a uniform gas
    best = load_scene(out / "best.yaml")  # the best genome, deployed into the scene
    assert best.rule.family == "particle_life" and best.params.matrix.shape == (4, 4)
    assert float(np.abs(np.asarray(best.params.matrix)).max()) <= 1.0
    assert not np.array_equal(np.asarray(best.params.matrix),
                              np.asarray(load_scene(SCENE).params.matrix))


def test_evolution_block_checks_the_fitness_settings(plugin):
    """`clustering` declares its own keys (`ClusteringSettings`): a typo or a bad value in the
    scene's evolution block is refused with the nearest key or the choices."""
    import alife.evolve.settings  # noqa: F401  (registers the evolution block with the loader)
    from alife.scene.io import load_scene

    with pytest.raises(AlifeError, match="did you mean `speed_cost`"):
        load_scene(SCENE, ["evolution.speed_cots=0.5"])
    with pytest.raises(AlifeError, match="final, mean"):
        load_scene(SCENE, ["evolution.reduce=max"])
    assert load_scene(SCENE, ["evolution.speed_cost=0.5"]).extra["evolution"]["speed_cost"] == 0.5


# ---- the force law, independently --------------------------------------------------------
def _reference_step(pos, vel, kind, matrix, r, beta, force, half_life, dt, size):
    """One step for a few particles, pair by pair in NumPy (float64), from the formulas."""
    pos, vel = np.asarray(pos, np.float64), np.asarray(vel, np.float64)
    acc = np.zeros_like(pos)
    for i in range(len(pos)):
        for j in range(len(pos)):
            if i == j:
                continue
            delta = pos[j] - pos[i]
            delta = delta - size * np.round(delta / size)  # the nearest image
            d = float(np.hypot(*delta))
            if d < beta * r:
                f = d / (beta * r) - 1.0
            elif d < r:
                f = matrix[kind[i], kind[j]] * (1 - abs(2 * d - r * (1 + beta)) / (r * (1 - beta)))
            else:
                f = 0.0
            acc[i] += r * force * f * delta / d
    vel = vel * 0.5 ** (dt / half_life) + acc * dt
    return np.mod(pos + vel * dt, size), vel


def test_one_step_matches_numpy_reference(plugin):
    rule = plugin.factory(width=20, height=16, particles=4, types=2, start=3)
    params = dataclasses.replace(
        rule.default_params(), matrix=jnp.asarray([[0.7, -0.4], [0.9, -1.0]], jnp.float32),
        r_max=jnp.float32(6.0), beta=jnp.float32(0.3), force=jnp.float32(10.0),
        half_life=jnp.float32(0.04), dt=jnp.float32(0.02))
    # 0-1: 1.2 apart (repulsion); 0-2: 4.1 apart across the column seam (attraction, the
    # nearest image); 1-2: farther than r_max; slot 3 is dead and far away
    pos = np.asarray([[5.0, 0.6], [5.0, 1.8], [6.0, 16.6], [12.0, 9.0]], np.float32)
    vel = np.asarray([[0.5, -0.2], [0.0, 0.3], [-0.4, 0.1], [9.0, 9.0]], np.float32)
    kind = np.asarray([0, 1, 1, 0], np.int32)
    state = rule.init(jax.random.PRNGKey(0), params)
    state = dataclasses.replace(state, position=jnp.asarray(pos), velocity=jnp.asarray(vel),
                                kind=jnp.asarray(kind),
                                alive=jnp.asarray([True, True, True, False]))
    after = jax.jit(rule.step)(jax.random.PRNGKey(1), state, params)
    want_pos, want_vel = _reference_step(pos[:3], vel[:3], kind[:3], np.asarray(params.matrix),
                                         6.0, 0.3, 10.0, 0.04, 0.02, np.asarray([16.0, 20.0]))
    np.testing.assert_allclose(np.asarray(after.velocity[:3]), want_vel, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.asarray(after.position[:3]), want_pos, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(np.asarray(after.position[3]), pos[3])  # dead: untouched
    assert int(after.generation) == 1
    assert np.abs(want_vel - vel[:3]).max() > 0.5  # the forces did act


def test_count_conserved_and_positions_on_the_torus(plugin):
    rule = plugin.factory(width=24, height=18, particles=96, types=5, start=80, matrix_seed=4)
    params = dataclasses.replace(rule.default_params(), force=jnp.float32(30.0),
                                 dt=jnp.float32(0.05))
    state = rule.init(jax.random.PRNGKey(3), params)
    final, recorded = run(rule, jax.random.PRNGKey(0), state, params, 120, record_every=20)
    pos = np.asarray(recorded.position)
    alive = np.asarray(recorded.alive)
    assert np.all(alive.sum(axis=1) == 80) and int(final.generation) == 120
    assert np.all(np.isfinite(pos)) and pos.min() >= 0.0
    assert pos[..., 0].max() < 18.0 and pos[..., 1].max() < 24.0
    np.testing.assert_array_equal(np.asarray(final.kind), np.asarray(state.kind))
    assert float(rule.metrics(final, params)["mean_speed"]) > 0


def test_conformance_and_capabilities(plugin):
    """What tests/test_conformance.py asks of every family, less the cell-grid part: this
    family has no `GridEditing`."""
    rule = families.create("particle_life", **plugin.example)
    assert all(isinstance(rule, c) for c in (EntityWorld, Inspecting, Placing, Removing))
    assert not isinstance(rule, GridEditing)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    traces = []

    def counted(k, s, p):
        traces.append(1)
        return rule.step(k, s, p)

    step = jax.jit(counted)
    s = state
    for i in range(3):
        s = step(jax.random.PRNGKey(i), s, params)
    assert len(traces) == 1
    shapes = [(np.shape(x), np.asarray(x).dtype) for x in jax.tree_util.tree_leaves(s)]
    assert shapes == [(np.shape(x), np.asarray(x).dtype)
                      for x in jax.tree_util.tree_leaves(state)]
    a = run(rule, jax.random.PRNGKey(7), state, params, 3)
    b = run(rule, jax.random.PRNGKey(7), state, params, 3)
    for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
    view = np.asarray(jax.jit(rule.view)(s, params))
    assert view.shape == (32, 32, 3) and view.dtype == np.float32
    assert 0.0 <= view.min() and view.max() <= 1.0
    metrics = rule.metrics(s, params)
    assert {"generation", "population", "mean_speed", "clustering"} <= set(metrics)
    assert all(np.ndim(v) == 0 and np.isfinite(float(v)) for v in metrics.values())
    assert families.create("particle_life", **rule.config()) == rule
    assert [p.name for p in rule.param_specs()] == ["r_max", "beta", "force", "half_life", "dt"]

    # placing: one choice per type, a particle at rest at the cell's centre; full -> AlifeError
    assert rule.place_choices(params) == ("type 0", "type 1", "type 2")
    full = rule.place(s, params, 3, 4, 2)
    slot = int(np.flatnonzero(np.asarray(full.alive) & ~np.asarray(s.alive))[0])
    assert tuple(np.asarray(full.position[slot])) == (3.5, 4.5) and int(full.kind[slot]) == 2
    assert rule.inspect(full, params, 3, 4)["slot"] == slot
    for _ in range(rule.capacity - int(s.alive.sum()) - 1):
        full = rule.place(full, params, 0, 0, 0)
    with pytest.raises(AlifeError, match="slots are full"):
        rule.place(full, params, 1, 1, 0)
    with pytest.raises(AlifeError, match="expected a type"):
        rule.place(s, params, 1, 1, 3)
    # removing: the particles on masked cells, no others
    mask = jnp.zeros(rule.shape, bool).at[:16].set(True)
    left = rule.remove_entities(s, params, mask)
    rows = np.floor(np.asarray(s.position[:, 0])).astype(int)
    np.testing.assert_array_equal(np.asarray(left.alive), np.asarray(s.alive) & (rows >= 16))


# ---- scenes ------------------------------------------------------------------------------
def test_scene_save_load_round_trip(plugin, tmp_path):
    from alife.scene.io import load_scene, save_scene

    world = load_scene(SCENE)
    assert world.rule.family == "particle_life" and "evolution" in world.extra
    params = dataclasses.replace(world.params, matrix=world.params.matrix * 0.5,
                                 r_max=jnp.float32(7.0))
    state = run(world.rule, world.key, world.state, params, 5)
    world = dataclasses.replace(world, state=state, params=params)
    saved = save_scene(world, tmp_path / "saved.yaml")
    back = load_scene(tmp_path / "saved.yaml")
    assert back.rule == world.rule and back.extra == world.extra
    for x, y in zip(jax.tree_util.tree_leaves(back.state), jax.tree_util.tree_leaves(state),
                    strict=True):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
    for x, y in zip(jax.tree_util.tree_leaves(back.params), jax.tree_util.tree_leaves(params),
                    strict=True):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
    # both continue alike
    one = run(back.rule, back.key, back.state, back.params, 3)
    two = run(saved.rule, saved.key, saved.state, saved.params, 3)
    np.testing.assert_array_equal(np.asarray(one.position), np.asarray(two.position))


# ---- the app, offscreen ------------------------------------------------------------------
def _lonely(positions: np.ndarray, alive: np.ndarray, size: tuple[int, int]) -> int:
    """Slot of the live particle farthest from any other (its disc is drawn unoccluded)."""
    slots = np.flatnonzero(alive)
    here = positions[slots]
    delta = here[None] - here[:, None]
    delta -= np.asarray(size) * np.round(delta / np.asarray(size))
    dist = np.hypot(delta[..., 0], delta[..., 1]) + np.eye(len(here)) * 1e9
    return int(slots[np.argmax(dist.min(axis=1))])


@pytest.mark.gl
def test_app_discs_inspector_place_remove(plugin, make_app, tmp_path):
    pytest.importorskip("pygame")
    import app_driver as drive
    from PIL import Image

    from alife.scene.io import load_scene

    app = make_app(load_scene(SCENE), size=(1100, 800))
    c = app.controller
    drive.frames(app, 3)
    # no cell grid: the grid tools are not offered, and the tool falls back to one that is
    rects = app.state.widget_rects
    assert not any(f"tool_{t}" in rects for t in ("draw", "select", "move"))
    assert {"tool_inspect", "tool_place", "tool_remove"} <= set(rects)
    assert app.state.tool in ("inspect", "place", "remove")
    positions, colours = c.entity_discs()
    assert positions.shape == (160, 2)
    ents = jax.device_get(c.rule.entities(c.state, c.params))
    k = _lonely(np.asarray(ents.position), np.asarray(ents.alive), c.shape)
    shot = tmp_path / "shot.png"
    app.frame(screenshot=str(shot))
    image = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    x, y = drive.screen_pos(app, *np.asarray(ents.position[k], float))
    want = np.round(np.asarray(ents.colour[k][:3]) * 255).astype(int)
    assert np.abs(image[y, x] - want).max() <= 3, (image[y, x], want)

    # the inspector names the particle at its cell
    row, col = (int(v) for v in np.floor(np.asarray(ents.position[k])))
    drive.key(app, drive.pygame.K_i)
    assert app.state.tool == "inspect"
    drive.click(app, drive.cell_pos(app, row, col))
    assert app.state.inspected == (row, col)
    answer = c.inspect_cell(row, col)
    assert answer["slot"] == k and answer["type"] == int(ents.kind[k])

    # the remove tool on that cell takes the particle away (one undoable edit)
    before = int(np.asarray(c.state.alive).sum())
    drive.key(app, drive.pygame.K_e)
    assert app.state.tool == "remove"
    drive.click(app, drive.cell_pos(app, row, col))
    assert not bool(c.state.alive[k]) and int(np.asarray(c.state.alive).sum()) < before
    assert c.undo() and bool(c.state.alive[k])

    # the place tool puts a particle of the chosen type at rest on the clicked cell's centre
    assert c.place_choices == ("type 0", "type 1", "type 2", "type 3")
    count = int(np.asarray(c.state.alive).sum())
    drive.key(app, drive.pygame.K_p)
    assert app.state.tool == "place"
    c.place_choice = 1
    drive.click(app, drive.cell_pos(app, 10, 12))
    alive = np.asarray(c.state.alive)
    assert int(alive.sum()) == count + 1
    new = int(np.flatnonzero(alive)[-1])
    assert int(c.state.kind[new]) == 1
    assert tuple(np.asarray(c.state.position[new])) == (10.5, 12.5)
    # ... until every slot is taken: then the tool says why
    for _ in range(c.rule.capacity - count - 1):
        assert c.place_at(20, 20) is None
    assert "all 192 particle slots are full" in c.place_at(21, 21)
    assert int(np.asarray(c.state.alive).sum()) == 192


def test_app_world_panel_rebuild_with_more_slots(plugin):
    """The World panel's Apply (`Controller.rebuild`) with a config that changes the state's
    shapes (more slots) starts the rebuilt world from its own init."""
    from alife.app.controller import Controller
    from alife.scene.io import load_scene

    c = Controller(load_scene(SCENE))
    assert c.rebuild(start=100) is None  # same shapes: the state is kept
    assert c.rebuild(particles=256) is None
    assert c.rule.capacity == 256 and c.state.position.shape == (256, 2)
