"""Lenia in the app, through the real event loop (SDL offscreen, real GL): the Kernel window
(J), rescale on R change, rotate, and the channels of a multi-channel species.

- The Kernel window's radial profile is Chan's kernel written out in NumPy for the current
  params (`chan_kernel` of tests/test_lenia_capabilities.py); clicking its mu slider moves the
  growth curve's mu at once (no new compile) and Ctrl+Z puts it back.
- Typing R = 26 into the window (rescale on) zooms Orbium (R 13) by 2: after 200 steps it is
  still a glider (mass and spread 4x those of Orbium at R 13 after 200 steps, and it moved);
  Ctrl+Z goes back to the run's start, then to R 13 and the cells as they were. The R slider
  and an R typed in the rule text (`R=20,...`) rescale too.
- View > Kernel opens the window; "Turn left 90" swaps the creature's axes in place and keeps
  its mass; a typed 45 degrees keeps the mass within 2 %; each is undone by Ctrl+Z.
- 221-corona (two channels): picking channel 1 in the Channels panel shows its levels alone,
  a brush stroke changes channel 1 only, and select all + cut takes channel 1 alone; the
  legend names both channels.
- Species open by name (`lenia/<code>`, as `alife view` takes them) and the Kernel window shows
  every kernel of a many-kernel one.

Screenshots go to test-artifacts/ (lenia_kernel.png, lenia_channels.png).
"""

from __future__ import annotations

from pathlib import Path

import jax
import numpy as np
import pytest

from alife.app.panels import kernel as kernel_panel
from alife.commands.view import load_world
from alife.rules.lenia import library

pygame = pytest.importorskip("pygame")

import app_driver as drive  # noqa: E402  (it imports pygame, skipped above if absent)
from test_lenia_capabilities import chan_kernel  # noqa: E402

pytestmark = pytest.mark.gl

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CTRL = pygame.KMOD_LCTRL


def _moments(a: np.ndarray) -> tuple[float, float, float, float]:
    """Centre (y, x) and spread (variance along y + along x) of a creature on a torus, taken
    after rolling its circular centre of mass to the grid's centre; and its mass."""
    from alife.rules.lenia.capabilities import torus_centre_np

    h, w = a.shape
    cy, cx = torus_centre_np(a.sum(axis=1)), torus_centre_np(a.sum(axis=0))
    b = np.roll(a, (h // 2 - int(round(cy)), w // 2 - int(round(cx))), axis=(0, 1))
    ys, xs = np.mgrid[0:h, 0:w]
    m = b.sum()
    my, mx = (b * ys).sum() / m, (b * xs).sum() / m
    spread = float((b * ((ys - my) ** 2 + (xs - mx) ** 2)).sum() / m)
    return cy, cx, spread, float(m)


def _slider_at(app, name: str, fraction: float) -> None:
    x0, y0, x1, y1 = app.state.widget_rects[name]
    drive.click(app, (int(x0 + fraction * (x1 - x0)), int((y0 + y1) / 2)))
    drive.frames(app, 2)


def _open_kernel(app) -> None:
    drive.frames(app, 2)
    drive.key(app, pygame.K_j, frames_after=4)
    assert app.state.shown.get("Kernel")
    assert kernel_panel.LAST_DRAWN.get("params") is app.controller.params


def test_kernel_window_plots_rescale_and_undo(make_app):
    world = load_world("lenia/O2u", ["rule.config.width=128", "rule.config.height=128"])
    app = make_app(world, size=(1600, 1000))
    c = app.controller
    _open_kernel(app)
    curves = kernel_panel.LAST_DRAWN["curves"]
    np.testing.assert_allclose(curves.profile, chan_kernel(curves.distance, 13.0, [1.0], 1),
                               atol=1e-9)
    for name in ("kernel_profile", "kernel_image", "kernel_growth"):
        x0, y0, x1, y1 = app.state.widget_rects[name]
        assert y1 - y0 >= 80 and x1 - x0 >= 80, name
    # a slider move redraws the growth curve with the new mu, no new compile
    traces = c.compiled().traces
    _slider_at(app, "kernel_mu", 0.4)
    mu = float(c.params.mu)
    assert abs(mu - 0.15) > 1e-3
    moved = kernel_panel.LAST_DRAWN["curves"]
    assert moved.mu == pytest.approx(mu)
    want = 2 * np.maximum(0, 1 - (moved.u - mu) ** 2 / (9 * 0.015**2)) ** 4 - 1
    np.testing.assert_allclose(moved.growth, want, atol=1e-5)
    assert c.compiled().traces == traces
    drive.key(app, pygame.K_z, CTRL)
    assert float(c.params.mu) == pytest.approx(0.15)

    # typed R = 26, rescale on: the creature doubles in size
    start = np.asarray(c.cells())
    _, _, spread13, mass13 = _moments(start)
    drive.type_into(app, "kernel_radius_typed", "26")
    assert float(c.params.radius) == 26.0
    _, _, spread, mass = _moments(np.asarray(c.cells()))
    assert mass == pytest.approx(4 * mass13, rel=0.05)
    assert spread == pytest.approx(4 * spread13, rel=0.1)
    curves = kernel_panel.LAST_DRAWN["curves"]
    assert curves.radius == 26.0
    np.testing.assert_allclose(curves.profile, chan_kernel(curves.distance, 26.0, [1.0], 1),
                               atol=1e-9)
    drive.frames(app, 2)
    ARTIFACTS.mkdir(exist_ok=True)
    app.frame(screenshot=str(ARTIFACTS / "lenia_kernel.png"))

    # 200 steps: still Orbium, twice the size, and it moved
    rescaled = np.asarray(c.cells())
    y0, x0, _, _ = _moments(rescaled)
    c.advance(200)
    y1, x1, spread_run, mass_run = _moments(np.asarray(c.cells()))
    # Orbium at R 13 for as long, by the same compiled step (no second compile)
    ref, _, _ = c.compiled().frame(world.key, world.state, world.params, np.int32(200))
    _, _, spread_ref, mass_ref = _moments(np.asarray(ref.cells))
    assert mass_run == pytest.approx(4 * mass_ref, rel=0.1)
    assert spread_run == pytest.approx(4 * spread_ref, rel=0.15)
    dist = np.hypot((y1 - y0 + 64) % 128 - 64, (x1 - x0 + 64) % 128 - 64)
    assert dist > 5.0
    drive.key(app, pygame.K_z, CTRL)  # the run
    np.testing.assert_array_equal(np.asarray(c.cells()), rescaled)
    drive.key(app, pygame.K_z, CTRL)  # the rescale
    assert float(c.params.radius) == 13.0
    np.testing.assert_array_equal(np.asarray(c.cells()), start)

    # the R slider rescales too (one undo entry)
    _slider_at(app, "kernel_radius", 0.5)
    r = float(c.params.radius)
    assert abs(r - 13.0) > 1
    curves = kernel_panel.LAST_DRAWN["curves"]  # the profile followed the slider
    assert curves.radius == pytest.approx(r)
    np.testing.assert_allclose(curves.profile, chan_kernel(curves.distance, r, [1.0], 1),
                               atol=1e-6)
    assert _moments(np.asarray(c.cells()))[3] == pytest.approx(mass13 * (r / 13) ** 2, rel=0.1)
    drive.key(app, pygame.K_z, CTRL)
    assert float(c.params.radius) == 13.0
    # and so does R typed in the rule text
    drive.type_into(app, "rule_text", "R=20,T=10,b=1,m=0.15,s=0.015")
    assert float(c.params.radius) == 20.0
    assert _moments(np.asarray(c.cells()))[3] == pytest.approx(mass13 * (20 / 13) ** 2, rel=0.1)
    drive.key(app, pygame.K_z, CTRL)
    np.testing.assert_array_equal(np.asarray(c.cells()), start)


def test_rotate_in_the_kernel_window(make_app):
    app = make_app(load_world("lenia/O2u", []))
    c = app.controller
    drive.frames(app, 2)
    drive.click_widget(app, "menu_View")  # View > Kernel opens it too
    drive.click_widget(app, "menu_Kernel")
    drive.frames(app, 3)
    assert app.state.shown.get("Kernel")
    assert kernel_panel.LAST_DRAWN.get("params") is c.params
    before = np.asarray(c.cells())
    cy, cx, _, mass = _moments(before)
    ys, xs = np.mgrid[0:64, 0:64]
    vy = (before * (ys - cy) ** 2).sum() / mass
    vx = (before * (xs - cx) ** 2).sum() / mass
    drive.click_widget(app, "kernel_rot_left")
    drive.frames(app, 2)
    after = np.asarray(c.cells())
    ty, tx, _, turned_mass = _moments(after)
    assert turned_mass == pytest.approx(mass, rel=1e-5)
    assert abs(ty - cy) < 1 and abs(tx - cx) < 1
    wy = (after * (ys - ty) ** 2).sum() / mass
    wx = (after * (xs - tx) ** 2).sum() / mass
    assert (wy, wx) == pytest.approx((vx, vy), rel=0.02) and abs(vx - vy) > 0.05 * vx
    drive.type_into(app, "kernel_angle", "45")
    drive.click_widget(app, "kernel_rotate")
    drive.frames(app, 2)
    assert _moments(np.asarray(c.cells()))[3] == pytest.approx(mass, rel=0.02)
    assert c.history.labels()[0][-2:] == ["rotate 90 degrees", "rotate 45 degrees"]
    drive.key(app, pygame.K_z, CTRL)
    drive.key(app, pygame.K_z, CTRL)
    np.testing.assert_array_equal(np.asarray(c.cells()), before)


def test_channel_selector_and_brush(make_app):
    app = make_app(load_world("lenia/221-corona", []), size=(1600, 1000))
    c = app.controller
    drive.frames(app, 3)
    assert c.cell_channels == 2 and "channel_1" in app.state.widget_rects
    legend = app.state.__dict__["legend_shown"]
    assert {"channel 0", "channel 1"} <= set(legend.names())
    before = np.asarray(c.rule.channel_levels(c.state))
    drive.click_widget(app, "channel_1")
    drive.frames(app, 2)
    assert c.cell_channel == 1
    view = c.display_image()
    assert view.shape[2] == 1
    np.testing.assert_array_equal(view[..., 0], before[1])
    h, w = c.shape
    drive.drag(app, (4, 4), (4, w // 3))
    after = np.asarray(c.rule.channel_levels(c.state))
    np.testing.assert_array_equal(after[0], before[0])  # channel 0 untouched
    assert (after[1] != before[1]).sum() >= 10 and after[1][4, 4:w // 3].min() > 0.9
    drive.frames(app, 2)
    ARTIFACTS.mkdir(exist_ok=True)
    app.frame(screenshot=str(ARTIFACTS / "lenia_channels.png"))
    drive.key(app, pygame.K_z, CTRL)
    np.testing.assert_array_equal(np.asarray(c.rule.channel_levels(c.state)), before)
    # select all and cut: channel 1 goes to the clipboard and is cleared, channel 0 stays
    drive.key(app, pygame.K_a, CTRL)
    drive.key(app, pygame.K_x, CTRL)
    cut = np.asarray(c.rule.channel_levels(c.state))
    np.testing.assert_array_equal(c.clipboard, before[1])
    assert not cut[1].any()
    np.testing.assert_array_equal(cut[0], before[0])
    drive.key(app, pygame.K_z, CTRL)
    np.testing.assert_array_equal(np.asarray(c.rule.channel_levels(c.state)), before)
    drive.click_widget(app, "channel_all")
    drive.frames(app, 2)
    assert c.display_image().shape[2] == 3
    c.set_channel_colour(0, (0.0, 0.0, 1.0))  # channel 0 in blue
    np.testing.assert_allclose(c.display_image()[..., 2], np.clip(before[0], 0, 1), atol=1e-6)


@pytest.mark.parametrize("code", ["S2p", "213-fish", "241-FR0VYM"])
def test_species_open_by_name_with_their_kernels(make_app, code):
    app = make_app(load_world(f"lenia/{code}", []))
    c = app.controller
    sp = library.species(code)
    assert c.kernel_count() == len(sp.kernels)
    _open_kernel(app)
    last = len(sp.kernels) - 1
    app.state.kernel_ui.index = last
    drive.frames(app, 2)
    curves = kernel_panel.LAST_DRAWN["curves"]
    k = sp.kernels[last]
    assert kernel_panel.LAST_DRAWN["index"] == last
    assert (curves.mu, curves.sigma) == pytest.approx((k.mu, k.sigma), rel=1e-6)
    assert curves.radius == pytest.approx(max(sp.radius * k.relative, 1.0), rel=1e-6)
    assert float(jax.numpy.max(c.params.sigma)) <= 0.25
