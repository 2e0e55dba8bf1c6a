"""Lenia's names, several kernels and channels, and the creature library.

- Chan's `kn`/`gn` numbers name the functions his executed Python runs (facts transcribed from
  github.com/Chakazul/Lenia, Python/LeniaND.py and LeniaNDKC.py: `kernel_core[kn - 1]`,
  `growth_func[gn - 1]`, tables indexed 0 polynomial `quad4`, 1 exponential `bump4`, 2 step,
  3 staircase; growth 0 polynomial, 1 gaussian `gaus`, 2 step).
- Orbium's default is Chan's JavaScript definition; his animal table's is `O2u`.
- Expanded Lenia: one kernel and one channel is the one-kernel engine bit for bit (CPU); three
  channels and fifteen kernels agree with CAX's Lenia; params change without recompiling; views,
  brushes, rescale and rotate.
- The catalogue: counts, sources, the cell code, a scene per species opening by name; a few
  species live and glide here (`-m slow`: every species, 500 steps each).
"""

from __future__ import annotations

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife.core.errors import AlifeError
from alife.core.rollout import run
from alife.core.types import replace_params
from alife.rules.lenia import ExpandedLeniaRule, LeniaRule, library, make_rule
from alife.rules.lenia import kernels as lk
from alife.rules.lenia.expanded import channel_colours
from alife.scene import catalog, load_scene

SINGLE = [c for c in library.species_codes() if library.species(c).single]
MULTI = [c for c in library.species_codes() if not library.species(c).single]


# ---- names --------------------------------------------------------------------------------------
def test_chan_numbers_name_the_functions_his_code_runs():
    assert lk.CHAN_KN == {1: "polynomial", 2: "exponential", 3: "step", 4: "staircase"}
    assert lk.CHAN_GN == {1: "polynomial", 2: "gaussian", 3: "step"}
    assert lk.JS_CORES["bump4"] == "exponential" and lk.JS_CORES["quad4"] == "polynomial"
    assert lk.JS_GROWTHS["gaus"] == "gaussian" and lk.JS_GROWTHS["quad4"] == "polynomial"
    r = np.array([0.0, 0.1, 0.25, 0.5, 0.8, 0.99])
    inner = r * (1 - r)
    with np.errstate(divide="ignore"):
        expected = {  # LeniaND.py's kernel_core, as he writes it, at these r
            "polynomial": (4 * inner) ** 4,
            "exponential": np.exp(4 - 1 / inner),
            "step": ((r >= 0.25) & (r <= 0.75)).astype(float),
            "staircase": ((r >= 0.25) & (r <= 0.75)) + (r < 0.25) * 0.5,
        }
    for name, want in expected.items():
        got = np.asarray(lk.kernel_core(jnp.asarray(r, jnp.float32), name))
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7, err_msg=name)
    u, m, s = np.array([0.1, 0.15, 0.16, 0.2, 0.3]), 0.15, 0.02
    expected = {  # LeniaND.py's growth_func
        "polynomial": np.maximum(0, 1 - (u - m) ** 2 / (9 * s**2)) ** 4 * 2 - 1,
        "gaussian": np.exp(-((u - m) ** 2) / (2 * s**2)) * 2 - 1,
        "step": (np.abs(u - m) <= s) * 2 - 1,
    }
    for name, want in expected.items():
        got = np.asarray(lk.growth(jnp.asarray(u, jnp.float32), m, s, name))
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=name)


def test_orbium_is_chans_javascript_definition_and_O2u_his_python_one():
    # JavaScript/Lenia-LifeForms.js, O2(a): "R=13;k=bump4;d=gaus(0.15,0.017)*0.1"
    js = LeniaRule(width=64, height=64, start="orbium")
    assert (js.core, js.growth, js.radius, js.dt, js.peaks, js.mu, js.sigma) == (
        "exponential", "gaussian", 13, pytest.approx(0.1), (1.0,), 0.15, 0.017)
    # Python/animals.json, O2u: {"R":13,"T":10,"b":"1","m":0.15,"s":0.015,"kn":1,"gn":1}
    py = make_rule(width=64, height=64, start="O2u")
    assert isinstance(py, LeniaRule)
    assert (py.core, py.growth, py.radius, py.dt, py.peaks, py.mu, py.sigma) == (
        "polynomial", "polynomial", 13, pytest.approx(0.1), (1.0,), 0.15, 0.015)
    # the same cells (Chan's O2u code, 20 x 20)
    np.testing.assert_array_equal(library.species("orbium").cells(),
                                  library.species("O2u").cells())
    # Hydrogeminium: both of Chan's catalogues say polynomial core and growth
    hy = LeniaRule(width=112, height=112, start="hydrogeminium")
    assert (hy.core, hy.growth) == ("polynomial", "polynomial")
    assert hy.peaks == pytest.approx((0.5, 1.0, 2 / 3))
    # a random or blank start keeps Orbium's numbers with the exponential core, Gaussian growth
    noise = LeniaRule(width=32, height=32, start="random")
    assert (noise.core, noise.growth) == ("exponential", "gaussian")


# ---- the cell code and the catalogue ------------------------------------------------------------
def test_cell_code_reads_chans_items_and_round_trips():
    # '.' and 'b' 0, 'o' 255, A..X 1..24, pA.. 25.., counts, '$' rows (a count adds blank rows)
    got = library.decode_cells("2.A$pAyN3B$$o.b2$C!")
    want = np.zeros((6, 5), np.uint8)
    want[0, 2] = 1
    want[1, :5] = [25, 254, 2, 2, 2]
    want[3, 0] = 255
    want[5, 0] = 3
    np.testing.assert_array_equal(got, want)
    assert library.decode_cells("yO!")[0, 0] == library.decode_cells("o!")[0, 0] == 255
    for code in library.species_codes():
        for text in library.species(code).rle:
            grid = library.decode_cells(text)
            np.testing.assert_array_equal(library.decode_cells(library.encode_cells(grid)), grid)
    with pytest.raises(AlifeError):
        library.decode_cells("3Z!")


def test_the_catalogue_holds_chans_species_with_their_sources():
    info = library.catalogue_info()
    assert "github.com/Chakazul/Lenia" in info["repository"] and "Bert Chan" in info["license"]
    assert any("Lenia: Biology of Artificial Life" in c for c in info["citations"])
    assert any("Lenia and Expanded Universe" in c for c in info["citations"])
    assert len(SINGLE) >= 30 and len(MULTI) >= 8
    families = {library.species(c).family for c in SINGLE}
    assert len(families) >= 15, families
    assert {library.species(c).channels for c in MULTI} >= {1, 2, 3}
    codes = library.species_codes()
    assert len(codes) == len({c.lower() for c in codes})  # unique, also on a case-blind disk
    for code in codes:
        sp = library.species(code)
        assert code.replace("-", "").isalnum() and sp.name and sp.source, code
        assert sp.motion in library.MOTIONS
    # facts transcribed from Chan's files, entry by entry
    o2u = library.species("O2u")
    assert (o2u.radius, o2u.dt, o2u.kernels[0].mu, o2u.kernels[0].sigma) == (
        13, pytest.approx(0.1), 0.15, 0.015)
    assert o2u.cells().shape == (1, 20, 20)
    assert int(library.decode_cells(o2u.rle[0]).sum()) == 19600  # sum of his 0..255 values
    fish = library.species("213-fish")  # Python/found/213.json, "Found #81" "fish"
    assert fish.channels == 1 and len(fish.kernels) == 3 and fish.radius == 15
    tri = library.species("233-C53H3V")  # Python/found/233s.json, "C53H3V<XFZ91Q"
    assert tri.channels == 3 and len(tri.kernels) == 15
    assert [(k.source, k.target) for k in tri.kernels][:4] == [(0, 0), (0, 0), (0, 0), (1, 1)]
    with pytest.raises(AlifeError, match="did you mean `O2u`"):
        library.species("O2x")


def test_a_found_creature_saves_into_the_library_format():
    sp = library.species("221-moving")
    entry = library.species_entry("found-1", "a found one", sp.cells(), sp.radius, sp.dt,
                                  sp.growth, list(sp.kernels), motion="glides")
    json.dumps(entry)
    back = library._parse(entry)
    assert back.kernels == sp.kernels and back.channels == 2
    np.testing.assert_array_equal(back.cells(), sp.cells())


def test_every_species_has_a_scene_that_opens_by_name():
    for code in library.species_codes():
        path = catalog.find_scene(f"lenia/{code}")
        assert path == catalog.find_scene(code) or code in ("orbium", "hydrogeminium")
        text = path.read_text(encoding="utf-8")
        assert f"start: {code}" in text, code
    world = load_scene(catalog.find_scene("lenia/233-C53H3V"))
    assert isinstance(world.rule, ExpandedLeniaRule) and world.rule.channels == 3
    assert world.rule.look == "rgb" and world.rule.view(world.state, world.params).shape[-1] == 3
    assert isinstance(load_scene(catalog.find_scene("lenia/O2u")).rule, LeniaRule)


# ---- several kernels and channels ---------------------------------------------------------------
def test_one_kernel_expanded_is_the_one_kernel_engine():
    one = LeniaRule(width=48, height=48, start="O2u")
    kernels = [{"peaks": [1.0], "mu": 0.15, "sigma": 0.015, "core": "polynomial"}]
    many = ExpandedLeniaRule(width=48, height=48, start="blank", kernels=kernels, radius=13,
                             dt=0.1, growth="polynomial")
    pa, pb = one.default_params(), many.default_params()
    start = one.init(jax.random.PRNGKey(0), pa)
    a = np.asarray(run(one, jax.random.PRNGKey(0), start, pa, 30).cells)
    b = np.asarray(run(many, jax.random.PRNGKey(0),
                       many.with_cells(many.blank(pb), start.cells), pb, 30).cells)[0]
    if jax.default_backend() == "cpu":
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_factory_picks_the_rule_and_refuses_mixed_keys():
    assert isinstance(make_rule(width=32, height=32, start="random"), LeniaRule)
    assert isinstance(make_rule(width=96, height=96, start="213-fish"), ExpandedLeniaRule)
    rule = make_rule(width=96, height=96, start="213-fish")
    again = make_rule(**rule.config())
    assert again == rule and type(again) is type(rule)
    with pytest.raises(AlifeError, match="per kernel"):
        make_rule(width=96, height=96, start="213-fish", mu=0.2)
    with pytest.raises(AlifeError, match="source channel 3"):
        make_rule(width=32, height=32, start="random", channels=2,
                  kernels=[{"mu": 0.2, "sigma": 0.02, "source": 3}])
    with pytest.raises(AlifeError, match="unknown Lenia species"):
        make_rule(start="dragon")


def test_expanded_params_change_without_recompiling():
    rule = make_rule(width=64, height=64, start="221-moving", radius=16)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    traces = []

    @jax.jit
    def step(state, params):
        traces.append(1)
        return rule.step(jax.random.PRNGKey(0), state, params)

    base = np.asarray(step(state, params).cells)
    k = len(rule.kernels)
    for name, value in {"mu": np.full(k, 0.2), "sigma": np.full(k, 0.02), "dt": 0.2,
                        "radius": 12.0, "weight": np.linspace(0.2, 1, k),
                        "relative": np.full(k, 0.8)}.items():
        out = np.asarray(step(state, replace_params(params, **{name: value})).cells)
        assert not np.allclose(out, base, atol=1e-5), name
    assert len(traces) == 1


def test_agrees_with_cax_lenia_on_three_channels():
    lenia = pytest.importorskip("cax.cs.lenia")
    from cax.cs.lenia.kernel import get_kernel_fn, polynomial_kernel_core

    rule = make_rule(width=128, height=128, start="233-C53H3V")
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(0), params)
    ks = rule.kernels
    peaks = np.full((len(ks), max(rule.rings)), np.nan, np.float32)  # CAX counts non-NaN rings
    for i, k in enumerate(ks):
        peaks[i, :len(k["peaks"])] = k["peaks"]
    total = np.zeros(rule.channels)
    for k in ks:
        total[k["target"]] += k["weight"]
    # CAX adds h_k G_k; Chan divides by the channel's sum of h: give CAX the divided weights
    weight = np.array([k["weight"] / total[k["target"]] for k in ks], np.float32)

    def polynomial_growth(u, g):
        return 2 * jnp.maximum(0.0, 1 - (u - g.mean) ** 2 / (9 * g.std**2)) ** 4 - 1

    f32 = lambda key: jnp.asarray([k[key] for k in ks], jnp.float32)  # noqa: E731
    rule_params = lenia.LeniaRuleParams(
        channel_source=jnp.array(rule.sources), channel_target=jnp.array(rule.targets),
        weight=jnp.asarray(weight),
        kernel_params=lenia.KernelParams(r=f32("relative"), b=jnp.asarray(peaks)),
        growth_params=lenia.GrowthParams(mean=f32("mu"), std=f32("sigma")))
    system = lenia.Lenia((128, 128), 3, R=rule.radius, T=round(1 / rule.dt), state_scale=1.0,
                         kernel_fn=get_kernel_fn(polynomial_kernel_core),
                         growth_fn=polynomial_growth, rule_params=rule_params)
    theirs = np.moveaxis(np.asarray(system(jnp.moveaxis(state.cells, 0, -1), num_steps=20)),
                         -1, 0)
    ours = np.asarray(run(rule, jax.random.PRNGKey(0), state, params, 20).cells)
    np.testing.assert_allclose(ours, theirs, atol=1e-4)


def test_views_colour_the_channels():
    two = make_rule(width=32, height=32, start="random", channels=2, radius=8,
                    kernels=[{"mu": 0.2, "sigma": 0.03, "source": 0, "target": 1},
                             {"mu": 0.2, "sigma": 0.03, "source": 1, "target": 0}])
    params = two.default_params()
    state = two.init(jax.random.PRNGKey(3), params)
    view = np.asarray(two.view(state, params))
    cells = np.asarray(state.cells)
    np.testing.assert_allclose(view[..., 0], cells[0])
    np.testing.assert_allclose(view[..., 1], cells[1])
    assert not view[..., 2].any()
    colours = channel_colours(4)
    assert colours.shape == (4, 3) and np.allclose(colours.max(axis=1), 1)
    metrics = two.metrics(state, params)
    assert float(metrics["mass"]) == pytest.approx(float(metrics["mass_0"] + metrics["mass_1"]),
                                                   rel=1e-5)


def test_brush_paints_one_channel_and_damage_clears_all():
    rule = make_rule(width=32, height=32, start="blank", channels=3, radius=6, channel=1,
                     kernels=[{"mu": 0.2, "sigma": 0.03, "source": c, "target": c}
                              for c in range(3)])
    params = rule.default_params()
    state = rule.blank(params)
    mask = jnp.zeros((32, 32), bool).at[4:8, 4:8].set(True)
    painted = rule.paint(state, params, mask, jnp.asarray(0.7))
    cells = np.asarray(painted.cells)
    assert np.all(cells[1][4:8, 4:8] == np.float32(0.7)) and cells[0].sum() == cells[2].sum() == 0
    other = rule.paint_channel(painted, mask, jnp.asarray(0.5), jnp.asarray(2))
    assert np.all(np.asarray(other.cells)[2][4:8, 4:8] == 0.5)
    cleared = rule.paint(other, params, mask, jnp.asarray(-1.0))
    assert not np.asarray(cleared.cells).any()
    np.testing.assert_array_equal(np.asarray(rule.cells(other)), cells[1])


# ---- rescale and rotate -------------------------------------------------------------------------
def test_rotate_and_rescale_cells():
    cells = np.random.default_rng(0).uniform(size=(2, 7, 9)).astype(np.float32)
    np.testing.assert_array_equal(library.rotate(cells, 90), np.rot90(cells, 1, axes=(1, 2)))
    np.testing.assert_array_equal(library.rotate(cells, -180), cells[:, ::-1, ::-1])
    np.testing.assert_allclose(library.rotate(cells, 90 + 1e-7), np.rot90(cells, 1, axes=(1, 2)),
                               atol=1e-5)
    turned = library.rotate(cells, 45)
    assert turned.shape == (2, 12, 12) and turned.sum() == pytest.approx(cells.sum(), rel=0.05)
    big = library.rescale(cells, 2.0)
    assert big.shape == (2, 14, 18) and big.sum() == pytest.approx(4 * cells.sum(), rel=0.1)
    world = np.zeros((40, 40), np.float32)
    world[18:22, 18:22] = 1
    zoomed = library.rescale_world(world, 2.0)
    assert zoomed.shape == world.shape
    rows, cols = np.nonzero(zoomed > 0.5)
    assert np.ptp(rows) >= 6 and abs(rows.mean() - 19.5) < 1 and abs(cols.mean() - 19.5) < 1


def test_scene_keys_scale_and_rotate_a_species():
    plain = make_rule(width=96, height=96, start="O2u")
    rule = make_rule(width=96, height=96, start="O2u", scale=1.5, rotate=90)
    assert rule.radius == pytest.approx(19.5) and plain.radius == 13
    a = np.asarray(plain.cells(plain.init(jax.random.PRNGKey(0), plain.default_params())))
    b = np.asarray(rule.cells(rule.init(jax.random.PRNGKey(0), rule.default_params())))
    assert b.sum() == pytest.approx(2.25 * a.sum(), rel=0.1)
    own = library.species("O2u").cells()[0]
    np.testing.assert_array_equal(b, rule.place(np.rot90(library.rescale(own, 1.5))))
    three = make_rule(width=192, height=192, start="233-C53H3V", scale=1.5, rotate=30)
    assert three.radius == pytest.approx(1.5 * library.species("233-C53H3V").radius)
    state = three.init(jax.random.PRNGKey(0), three.default_params())
    assert np.asarray(state.cells).shape == (3, 192, 192)
    # the app's R change: the world zoomed with R, no new rule
    params = plain.default_params()
    state = plain.init(jax.random.PRNGKey(0), params)
    bigger, new = plain.rescaled(state, params, 26.0)
    assert float(new.radius) == 26.0
    assert float(jnp.sum(bigger.cells)) == pytest.approx(4 * float(jnp.sum(state.cells)), rel=0.1)


# ---- the species live ---------------------------------------------------------------------------
def track(code: str, steps: int = 500, every: int = 10) -> tuple[float, float, float, float]:
    """Species `code` in its own scene for `steps` steps: (lowest mass, highest mass) over the
    start's, and its net and path speed over the steps after the first 100, cells per step."""
    world = load_scene(catalog.find_scene(f"lenia/{code}"))
    rule, params = world.rule, world.params
    _, recorded = run(rule, world.key, world.state, params, steps, record_every=every)
    m = jax.jit(jax.vmap(lambda s: rule.metrics(s, params)))(recorded)
    m0 = float(rule.metrics(world.state, params)["mass"])
    mass = np.asarray(m["mass"])
    h, w = rule.shape
    dx = (np.diff(np.asarray(m["centre_x"])) + w / 2) % w - w / 2
    dy = (np.diff(np.asarray(m["centre_y"])) + h / 2) % h - h / 2
    settle = 100 // every
    net = float(np.hypot(dx[settle:].sum(), dy[settle:].sum())) / (steps - 100)
    path = float(np.hypot(dx[settle:], dy[settle:]).sum()) / (steps - 100)
    return float(mass.min()) / m0, float(mass.max()) / m0, net, path


def check_motion(code: str) -> None:
    low, high, net, path = track(code)
    sp = library.species(code)
    assert 0.5 < low and high < 2.0, (code, low, high)
    if sp.motion == "glides":
        assert net > 0.05, (code, net)
    elif sp.motion == "gyrates":
        assert path > 0.05, (code, path)
    elif sp.motion in ("rotates", "stationary"):
        assert net < 0.02, (code, net)


@pytest.mark.parametrize("code", ["O2u", "213-fish"])
def test_a_few_species_live_and_glide(code):
    check_motion(code)


@pytest.mark.slow
@pytest.mark.parametrize("code", library.species_codes())
def test_every_species_lives_and_moves_as_its_name_says(code):
    check_motion(code)
