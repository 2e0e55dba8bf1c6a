"""Flow Lenia (Plantec et al. 2023): mass conservation, reintegration tracking and the flow
against a tiny NumPy reference, a creature that stays one, two species sharing a world, hostile
scene values, and a scene save/load round trip.

The NumPy reference is written from the paper's definitions, not from our code: every source
cell sends its matter to the square of side 2s at x + clip(dt F, +-(reach - s)), each
destination cell taking the overlap area over (2s)^2, with torus distances taken as the
minimum image (the reference code's `clip(1/2 - |d| + s, 0, min(1, 2s))` per axis); the flow
is Sobel gradients (np.roll) of the affinity and of the total mass, weighed by alpha.
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.errors import AlifeError
from alife.core.rollout import run
from alife.core.rule import ColourKey, GridEditing
from alife.core.types import replace_params
from alife.rules.lenia import FlowLeniaRule, make_rule
from alife.rules.lenia import kernels as lk
from alife.rules.lenia import reintegration as rt
from alife.scene.io import load_scene, save_scene

ROOT = Path(__file__).resolve().parents[1]
TWO = ROOT / "scenes/lenia/flow_two_species.yaml"
ONE = ROOT / "scenes/lenia/flow_one_species.yaml"


# ---- NumPy reference ------------------------------------------------------------------------
def np_reintegrate(cells: np.ndarray, shift: np.ndarray, s: float, reach: float,
                   carried: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Brute force over every (source, destination) pair, float64. cells [C, H, W], shift
    [C, 2, H, W]; carried [S, H, W] is mixed by the weighted average."""
    c, h, w = cells.shape
    limit = max(reach - s, 0.0)
    d = np.clip(shift.astype(np.float64), -limit, limit)
    new = np.zeros((c, h, w))
    mixed = None if carried is None else np.zeros((carried.shape[0], h, w))
    rows, cols = np.arange(h)[:, None], np.arange(w)[None, :]

    def share(e: np.ndarray) -> np.ndarray:
        return np.clip(0.5 - np.abs(e) + s, 0.0, min(1.0, 2 * s))

    for ch in range(c):
        for y in range(h):
            for x in range(w):
                ty, tx = y + d[ch, 0, y, x], x + d[ch, 1, y, x]
                ey = (rows - ty + h / 2) % h - h / 2  # minimum image
                ex = (cols - tx + w / 2) % w - w / 2
                part = cells[ch, y, x] * share(ey) * share(ex) / (4 * s * s)
                new[ch] += part
                if mixed is not None:
                    mixed += part[None] * carried[:, y, x][:, None, None]
    if mixed is not None:
        total = new.sum(axis=0)
        mixed = np.where(total > 0, mixed / np.where(total > 0, total, 1.0), 0.0)
    return new, mixed


def np_sobel(a: np.ndarray) -> np.ndarray:
    """(d/drow, d/dcol) Sobel on the torus, unnormalised; a [H, W] -> [2, H, W]."""
    def at(dy: int, dx: int) -> np.ndarray:
        return np.roll(a, (-dy, -dx), axis=(0, 1))  # at(dy, dx)[y, x] = a[y + dy, x + dx]

    rows = sum(wt * (at(1, dx) - at(-1, dx)) for dx, wt in ((-1, 1), (0, 2), (1, 1)))
    cols = sum(wt * (at(dy, 1) - at(dy, -1)) for dy, wt in ((-1, 1), (0, 2), (1, 1)))
    return np.stack([rows, cols])


def np_flow(rule: FlowLeniaRule, cells: np.ndarray, species: np.ndarray, params) -> np.ndarray:
    """F from the paper's formulas, float64: potentials by direct circular convolution with
    each kernel, per-cell growth numbers from the species mixture, Sobel, alpha."""
    h, w = rule.shape
    kernels = np.asarray(lk.kernel_stack(jnp.asarray(lk.torus_distance(h, w)), params.radius,
                                         params.relative, params.peaks, rule.rings, rule.cores),
                         np.float64)
    mu, sigma, weight = (np.asarray(x, np.float64) for x in (params.mu, params.sigma,
                                                             params.weight))
    if rule.localised:
        total = species.sum(axis=0)
        norm = np.where(total > 0, species / np.where(total > 0, total, 1), 0)
        norm[0] = np.where(total > 0, norm[0], 1.0)
        local_mu = np.einsum("sk,shw->khw", mu, norm)
        local_sigma = np.einsum("sk,shw->khw", sigma, norm)
        local_h = np.einsum("sk,shw->khw", weight, species)
    else:
        local_mu, local_sigma, local_h = (x[0][:, None, None] for x in (mu, sigma, weight))
    affinity = np.zeros(cells.shape)
    for k, (src, tgt) in enumerate(zip(rule.sources, rule.targets, strict=True)):
        u = np.zeros((h, w))
        for dy, dx in zip(*np.nonzero(kernels[k]), strict=True):
            u += kernels[k, dy, dx] * np.roll(cells[src], (dy, dx), axis=(0, 1))
        g = 2 * np.exp(-((u - local_mu[k]) ** 2) / (2 * local_sigma[k] ** 2)) - 1
        affinity[tgt] += local_h[k] * g
    total = cells.sum(axis=0)
    alpha = np.clip((total / float(params.theta)) ** float(params.exponent), 0, 1)
    grad_a = np_sobel(total)
    return np.stack([(1 - alpha) * np_sobel(affinity[c]) - alpha * grad_a
                     for c in range(cells.shape[0])])


def _mass(state) -> float:
    return float(np.asarray(state.cells, np.float64).sum())


# ---- transport against the reference --------------------------------------------------------
@pytest.mark.parametrize(("s", "reach"), [(0.65, 5.0), (0.3, 2.0), (0.9, 1.5)])
def test_reintegration_matches_numpy(s, reach):
    rng = np.random.default_rng(0)
    c, h, w = 2, 9, 11
    cells = rng.uniform(0, 1, (c, h, w)).astype(np.float32)
    shift = rng.normal(0, 2.5, (c, 2, h, w)).astype(np.float32)  # some past the reach limit
    carried = rng.dirichlet([1, 1, 1], (h, w)).transpose(2, 0, 1).astype(np.float32)
    got, mixed = rt.reintegrate(jnp.asarray(cells), jnp.asarray(shift), s, reach,
                                jnp.asarray(carried), "average")
    want, want_mixed = np_reintegrate(cells, shift, s, reach, carried)
    np.testing.assert_allclose(np.asarray(got), want, atol=2e-6)
    np.testing.assert_allclose(np.asarray(mixed), want_mixed, atol=2e-6)
    assert abs(float(np.asarray(got, np.float64).sum()) / cells.sum(dtype=np.float64) - 1) < 1e-6


def test_stochastic_mixing_draws_in_proportion_to_matter():
    """Two sources land wholly on one cell, carrying 3 and 1 units: the cell takes the first
    one's species with probability 3/4, and always exactly one species."""
    h, w = 6, 8
    cells = np.zeros((1, h, w), np.float32)
    shift = np.zeros((1, 2, h, w), np.float32)
    carried = np.zeros((2, h, w), np.float32)
    cells[0, 2, 2], shift[0, 1, 2, 2], carried[0, 2, 2] = 3.0, 1.0, 1.0  # -> (2, 3)
    cells[0, 2, 4], shift[0, 1, 2, 4], carried[1, 2, 4] = 1.0, -1.0, 1.0  # -> (2, 3)

    def one(key):
        return rt.reintegrate(jnp.asarray(cells), jnp.asarray(shift), 0.05, 5.0,
                              jnp.asarray(carried), "stochastic", key)

    new, mixed = jax.jit(jax.vmap(one))(jax.random.split(jax.random.PRNGKey(3), 2000))
    np.testing.assert_allclose(np.asarray(new[:, 0, 2, 3]), 4.0, rtol=1e-6)
    picks = np.asarray(mixed[:, :, 2, 3])
    assert np.all(picks.sum(axis=1) == 1.0) and np.all((picks == 0) | (picks == 1))
    assert abs(picks[:, 0].mean() - 0.75) < 0.04  # 2000 draws: sd 0.01
    assert np.all(np.asarray(mixed)[:, :, 0, 0] == 0)  # no matter arrived: no species


def _small_world(species: int) -> tuple[FlowLeniaRule, object, object]:
    entries = [{"name": "a"}, {"name": "b", "mu": [0.2, 0.3], "sigma": 0.05,
                               "weight": [0.7, 0.4]}][:species]
    rule = make_rule(width=20, height=16, start="random", radius=4.0, channels=2,
                     kernels=[{"mu": 0.15, "sigma": 0.03, "core": "exponential"},
                              {"mu": 0.25, "sigma": 0.06, "peaks": [0.5, 1.0], "source": 0,
                               "target": 1, "relative": 0.8}],
                     flow={"theta": 1.5, "exponent": 2.5, "mix": "average"},
                     species=entries)
    params = rule.default_params()
    return rule, params, rule.init(jax.random.PRNGKey(1), params)


@pytest.mark.parametrize("species", [1, 2])
def test_flow_and_one_step_match_numpy(species):
    rule, params, state = _small_world(species)
    cells, mix = np.asarray(state.cells, np.float64), np.asarray(state.species, np.float64)
    want = np_flow(rule, cells, mix, params)
    got = np.asarray(jax.jit(rule.flow_field)(state, params))
    scale = np.abs(want).max()
    assert scale > 1e-3
    np.testing.assert_allclose(got, want, atol=1e-4 * max(1.0, scale))
    new = jax.jit(rule.step)(jax.random.PRNGKey(1), state, params)
    want_cells, want_mix = np_reintegrate(cells, float(params.dt) * want, 0.65, 5.0,
                                          mix if rule.localised else None)
    np.testing.assert_allclose(np.asarray(new.cells), want_cells, atol=1e-4)
    if rule.localised:
        np.testing.assert_allclose(np.asarray(new.species), want_mix, atol=1e-4)


# ---- whole worlds ---------------------------------------------------------------------------
@pytest.mark.parametrize("scene", [ONE, TWO], ids=["one", "two"])
def test_total_mass_is_conserved_to_float32_rounding(scene):
    """300 steps under one scan: |mass change| / mass below 1e-6 (measured: about 1e-7)."""
    world = load_scene(scene)
    m0 = _mass(world.state)
    final = run(world.rule, world.key, world.state, world.params, 300)
    assert abs(_mass(final) / m0 - 1) < 1e-6
    assert float(jnp.min(final.cells)) >= 0.0


def _spread(cells: np.ndarray) -> float:
    """Root-mean-square distance of the matter from its torus centre of mass, in cells."""
    total = cells.sum(axis=0)
    h, w = total.shape
    out = 0.0
    for axis, n in ((0, h), (1, w)):
        profile = total.sum(axis=1 - axis)
        angle = 2 * np.pi * np.arange(n) / n
        centre = math.atan2((profile * np.sin(angle)).sum(), (profile * np.cos(angle)).sum())
        d = (np.arange(n) - centre * n / (2 * np.pi) + n / 2) % n - n / 2
        out += (profile * d ** 2).sum() / profile.sum()
    return math.sqrt(out)


def test_one_species_creature_stays_a_creature():
    """The one-species scene's creature keeps its matter together over 400 steps: it spreads
    no wider than at the start, and most matter sits within 2R of its centre."""
    world = load_scene(ONE)
    start = np.asarray(world.state.cells, np.float64)
    final, seen = run(world.rule, world.key, world.state, world.params, 400, record_every=100)
    cells = np.asarray(final.cells, np.float64)
    radius = float(world.params.radius)
    assert abs(cells.sum() / start.sum() - 1) < 1e-6
    widths = [_spread(np.asarray(c, np.float64)) for c in seen.cells]
    assert max(widths) < max(_spread(start), radius) * 1.5, widths
    assert _spread(cells) < 2 * radius


def test_two_species_keep_both_parameter_sets():
    """After 300 steps of the two-species scene both species still hold most of their matter,
    each cell's numbers are one species' or the other's (stochastic mixing), and both sets of
    growth numbers are in use."""
    world = load_scene(TWO)
    rule, params = world.rule, world.params
    start = {k: float(v) for k, v in rule.metrics(world.state, params).items()}
    final = run(rule, world.key, world.state, params, 300)
    metrics = {k: float(v) for k, v in rule.metrics(final, params).items()}
    names = [s["name"] for s in rule.species]
    assert len(names) == 2
    for name in names:
        assert metrics[f"mass_{name}"] > 0.5 * start[f"mass_{name}"], (name, metrics)
    mix = np.asarray(final.species)
    held = np.asarray(final.cells).sum(axis=0) > 1e-3
    assert np.all((mix == 0) | (mix == 1)) and np.all(mix.sum(axis=0)[held] == 1)
    mu, _, _ = rule.local_params(final.species, params)
    used = {tuple(np.round(np.asarray(mu)[:, y, x], 6)) for y, x in zip(*np.nonzero(held),
                                                                         strict=True)}
    assert used == {tuple(np.round(np.asarray(params.mu[s]), 6)) for s in range(2)}


def test_params_change_without_recompiling():
    rule, params, state = _small_world(2)
    traces = []

    def step(s, p):
        traces.append(1)
        return rule.step(jax.random.PRNGKey(0), s, p)

    fn = jax.jit(step)
    fn(state, params)
    for name, value in (("theta", 0.7), ("exponent", 3.0), ("spread", 0.4), ("reach", 2.0),
                        ("dt", 0.1), ("radius", 5.0), ("mu", 0.2), ("weight", 0.5)):
        fn(state, replace_params(params, **{name: value}))
    assert len(traces) == 1


def test_capabilities_paint_and_colour_key():
    rule, params, state = _small_world(2)
    assert isinstance(rule, GridEditing) and isinstance(rule, ColourKey)
    mask = jnp.zeros(rule.shape, bool).at[2:4, 2:5].set(True)
    painted = rule.paint(state, params, mask, 0.8)
    assert np.allclose(np.asarray(painted.cells[0])[2:4, 2:5], 0.8)
    assert np.all(np.asarray(painted.species)[:, 2:4, 2:5] == np.array([1, 0])[:, None, None])
    cleared = rule.paint(painted, params, mask, -1.0)
    assert np.all(np.asarray(cleared.cells)[:, 2:4, 2:5] == 0)
    assert np.all(np.asarray(cleared.species)[:, 2:4, 2:5] == 0)
    assert rule.view(state, params).shape == rule.shape + (3,)
    one = make_rule(width=32, height=32, start="random", radius=5.0, flow={"theta": 2.0})
    assert one.look == "colormap" and one.view_scale(one.default_params()) == ("matter A", 0.0,
                                                                                2.0)


# ---- hostile values and files ---------------------------------------------------------------
HOSTILE = [
    ("flow: {theta: .nan}", "flow.theta"),
    ("flow: {theta: -1}", "flow.theta"),
    ("flow: {exponent: 1e9}", "flow.exponent"),
    ("flow: {spread: 2}", "flow.spread"),
    ("flow: {reach: 1000}", "flow.reach"),
    ("flow: {mix: blend}", "flow.mix"),
    ("flow: {thetaa: 1}", "flow.thetaa"),
    ("flow: [1, 2]", "flow"),
    ("flow: {paint_species: 5}", "paint_species"),
    ("flow: {}, species: [{name: a, mu: [0.1, 0.2]}]", "species[0].mu"),
    ("flow: {}, species: [{name: a, sigma: .inf}]", "species[0].sigma"),
    ("flow: {}, species: [{name: a}, {name: a}]", "distinct"),
    ("flow: {}, species: {name: a}", "species"),
    ("species: [{name: a}]", "flow"),
    ("flow: {}, width: 100000, height: 100000", "world has"),
    ("flow: {}, channels: 16, width: 1024, height: 1024", "too large"),
    ("flow: {}, dt: 5", "dt"),
]


@pytest.mark.parametrize(("extra", "needle"), HOSTILE, ids=[h[1] for h in HOSTILE])
def test_hostile_scene_values_are_refused_cleanly(tmp_path, extra, needle):
    scene = tmp_path / "bad.yaml"
    scene.write_text("version: 1\nname: bad\nrule:\n  family: lenia\n  config: {width: 32, "
                     f"height: 32, start: random, radius: 5, {extra}}}\n")
    with pytest.raises(AlifeError) as info:
        load_scene(scene)
    text = str(info.value)
    assert "bad.yaml" in text and needle in text and "\n" not in text.strip(), text


def test_cli_refuses_a_nan_theta_in_one_line(tmp_path):
    scene = tmp_path / "bad.yaml"
    scene.write_text(TWO.read_text())
    proc = subprocess.run([sys.executable, "-m", "alife", "run", str(scene), "--steps", "1",
                           "--set", "rule.config.flow.theta=.nan"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "theta" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_scene_save_and_load_round_trip(tmp_path):
    world = load_scene(TWO)
    state = run(world.rule, world.key, world.state, world.params, 5)
    world = world.with_state(state)
    params = replace_params(world.params, theta=1.7)
    world = dataclasses.replace(world, params=params)
    saved = save_scene(world, tmp_path / "copy.yaml")
    again = load_scene(saved.path)
    assert again.rule == world.rule and type(again.rule) is FlowLeniaRule
    for a, b in zip(jax.tree_util.tree_leaves((world.params, world.state)),
                    jax.tree_util.tree_leaves((again.params, again.state)), strict=True):
        assert np.array_equal(np.asarray(a), np.asarray(b))
    one = run(world.rule, world.key, world.state, world.params, 3)
    two = run(again.rule, again.key, again.state, again.params, 3)
    assert np.array_equal(np.asarray(one.cells), np.asarray(two.cells))
    assert np.array_equal(np.asarray(one.species), np.asarray(two.species))


def test_rescale_and_turn_carry_the_species_with_the_matter():
    """A new R zooms matter and species together; a quarter turn moves both; stochastic
    worlds keep one species a cell."""
    world = load_scene(TWO)
    rule, params, state = world.rule, world.params, world.state
    masses = {k: float(v) for k, v in rule.metrics(state, params).items() if k.startswith("mass")}
    turned = rule.rotated(state, params, 90.0)
    after = {k: float(v) for k, v in rule.metrics(turned, params).items() if k.startswith("mass")}
    for key, value in masses.items():
        assert abs(after[key] / value - 1) < 1e-5, (key, value, after[key])
    # zoomed 1.25x about the centre of mass (here the heavier of the two, opposite, squares)
    grown, new_params = rule.rescaled(state, params, 1.25 * float(params.radius))
    assert float(new_params.radius) == 1.25 * float(params.radius)
    assert _mass(grown) > 1.1 * _mass(state)
    one = load_scene(ONE)
    bigger, _ = one.rule.rescaled(one.state, one.params, 1.25 * float(one.params.radius))
    assert 1.45 < _mass(bigger) / _mass(one.state) < 1.65  # 1.25^2 the matter
    for s in (turned, grown):
        mix = np.asarray(s.species)
        held = np.asarray(s.cells).sum(axis=0) > 1e-3
        assert np.all((mix == 0) | (mix == 1)) and np.all(mix.sum(axis=0)[held] == 1)
        assert np.asarray(s.cells).min() >= 0
