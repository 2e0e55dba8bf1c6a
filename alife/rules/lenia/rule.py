"""Lenia: a continuous cellular automaton (Bert Chan 2019, "Lenia: Biology of Artificial Life").

Each cell holds a level A in [0, 1]. One step convolves the grid with a ring-shaped kernel K of
radius R (`kernels`), maps the potential U = K * A through the growth function G and adds
it: `A <- clip(A + dt G(U), 0, 1)`. The convolution is an FFT product on the torus (rfft2).

Params (arrays; sliders): mu and sigma of the growth, the time step dt, the radius R, and the ring
heights `peaks` [B]. The kernel is rebuilt inside the step from the traced R (a fixed grid of
torus distances divided by R), so every param - R included - changes without recompiling; only
the number of rings B, the kernel core and the growth function and the grid size are static.
Under `lax.scan` the kernel depends only on params, so it is computed once per rollout, not once
per step. Several kernels and channels: `expanded.ExpandedLeniaRule` (the family's factory picks).

Starts: a species from the creature library (`library`: `start: O2u`, or one of the named
creatures `orbium`, `scutium`, `hydrogeminium`), rescaled when `radius` (or `scale`, which sets
R to scale x the species' own) differs from its own R, turned by `rotate` degrees, placed at the
centre; its numbers - R, T, b, m, s and Chan's kernel core and growth function - are the
defaults of the rule's. `random` (a centred square of noise: `patch` cells a side, default half
the grid; `density` of its samples non-zero; one sample every `grain` cells, linearly
interpolated, default 1: per-cell noise) or `blank` start from Orbium's numbers with the
exponential core and Gaussian growth. Topology: torus only (the FFT wraps).

The named creatures follow Chan's JavaScript catalogue (`Lenia-LifeForms.js`): Orbium is his
`O2(a)`, `R=13;k=bump4;d=gaus(0.15,0.017)*0.1` (exponential core, Gaussian growth, mu 0.15,
sigma 0.017, T 10, b 1); his Python animal table's Orbium (`O2u`: polynomial core and growth,
sigma 0.015) is `start: O2u`. See docs/lenia.md for the table of his `kn`/`gn` numbers.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.rule import Array, GridEditing, Rule, RuleText
from alife.core.types import param, pytree_dataclass
from alife.rules.lenia import kernels as lk
from alife.rules.lenia import library
from alife.rules.lenia.capabilities import LeniaKernelPlots, LeniaReshaping

#: the creature library's folder: package data (assets/, installed as `alife.assets`), found
#: through importlib.resources
CREATURE_DIR = resources.files("alife.assets") / "lenia"
#: the named creatures (Chan's JavaScript definitions); any library code is a start too
CREATURES = ("orbium", "scutium", "hydrogeminium")
STARTS = CREATURES + ("random", "blank")
NOISE = ("random", "blank")
#: the core and growth of a `random` or `blank` start when none is given
DEFAULT_CORE, DEFAULT_GROWTH = "exponential", "gaussian"


@pytree_dataclass
class LeniaParams:
    """Growth, time step and kernel shape; all arrays, so they change without recompiling."""

    mu: Array = param(0.0, 0.7, "growth centre: the potential that grows fastest")
    sigma: Array = param(0.001, 0.25, "growth width")
    dt: Array = param(0.01, 1.0, "time step (1/T)")
    radius: Array = param(3.0, 60.0, "kernel radius R, in cells")
    peaks: Array  # [B] ring heights (not a slider)


@pytree_dataclass
class LeniaState:
    """cells: [H, W] float32 levels in [0, 1]; generation: int32 scalar."""

    cells: Array
    generation: Array


@lru_cache(maxsize=64)
def load_creature(name: str) -> dict[str, Any]:
    """A one-channel, one-kernel species of the library: `cells` [h, w] float32, `peaks` [B]
    float32, its radius, mu, sigma, dt, core, growth, name and code."""
    sp = library.species(name)
    if not sp.single:
        raise AlifeError(f"the Lenia species {name!r} has {sp.channels} channels and "
                         f"{len(sp.kernels)} kernels; a one-kernel rule cannot run it")
    k = sp.kernels[0]
    return {"cells": sp.cells()[0], "peaks": np.asarray(k.peaks, np.float32),
            "radius": sp.radius, "mu": k.mu, "sigma": k.sigma, "dt": sp.dt, "core": k.core,
            "growth": sp.growth, "name": sp.name, "code": sp.code}


def is_single_start(start: str) -> bool:
    """Whether `start` names a one-kernel species (or random/blank)."""
    if start in NOISE:
        return True
    try:
        return library.species(start).single
    except AlifeError:
        return False


def place_cells(shape: tuple[int, int], cells: np.ndarray, y: int | None = None,
                x: int | None = None) -> np.ndarray:
    """A blank grid [..., H, W] with `cells` [..., h, w] centred at (y, x) (default: the grid
    centre), wrapping round the torus."""
    height, width = shape
    h, w = cells.shape[-2:]
    if h > height or w > width:
        raise AlifeError(f"a {w}x{h} creature does not fit a {width}x{height} grid")
    grid = np.zeros(cells.shape[:-2] + (height, width), np.float32)
    top = (height // 2 if y is None else y) - h // 2
    left = (width // 2 if x is None else x) - w // 2
    rows = (np.arange(h) + top) % height
    cols = (np.arange(w) + left) % width
    grid[..., rows[:, None], cols[None, :]] = cells
    return grid


def torus_centre(weights: Array, n: int) -> Array:
    """Centre of mass on a ring of n cells (the circular mean), in cells; 0 when empty."""
    angle = 2.0 * jnp.pi * jnp.arange(n) / n
    c, s = jnp.sum(weights * jnp.cos(angle)), jnp.sum(weights * jnp.sin(angle))
    centre = jnp.arctan2(s, c) * n / (2.0 * jnp.pi)
    return jnp.where(jnp.hypot(c, s) > 0, jnp.mod(centre, n), 0.0)


class LeniaRule(Rule, GridEditing, RuleText, LeniaKernelPlots, LeniaReshaping):
    """Single-channel, one-kernel Lenia on an (H, W) torus; see the module docstring."""

    family = "lenia"
    num_states = 0
    look = "colormap"

    def __init__(self, width: int = 128, height: int = 128, radius: float | None = None,
                 peaks: tuple[float, ...] | list[float] | None = None, mu: float | None = None,
                 sigma: float | None = None, dt: float | None = None, start: str = "orbium",
                 core: str | None = None, growth: str | None = None, density: float = 0.5,
                 scale: float = 1.0, rotate: float = 0.0, patch: int | None = None,
                 grain: int = 1) -> None:
        if start not in NOISE:
            try:
                base = load_creature(start)
            except AlifeError as exc:
                raise AlifeError(f"Lenia start: {exc}; or random, blank", where="start") from None
        else:
            base = {**load_creature("orbium"), "core": DEFAULT_CORE, "growth": DEFAULT_GROWTH}
        core = base["core"] if core is None else core
        growth = base["growth"] if growth is None else growth
        if core not in lk.CORES:
            raise AlifeError(f"unknown Lenia kernel core {core!r}; expected one of "
                             f"{list(lk.CORES)}")
        if growth not in lk.GROWTHS:
            raise AlifeError(f"unknown Lenia growth {growth!r}; expected one of "
                             f"{list(lk.GROWTHS)}")
        if int(width) < 4 or int(height) < 4:
            raise AlifeError(f"Lenia grid {width}x{height} is too small; expected at least 4x4")
        if not (float(scale) > 0 and np.isfinite(float(rotate))):
            raise AlifeError(f"Lenia scale {scale} and rotate {rotate}: expected a scale > 0 "
                             "and a finite angle in degrees")
        self.width, self.height = int(width), int(height)
        self.scale, self.rotate = float(scale), float(rotate)
        self.radius = float(radius if radius is not None else base["radius"] * self.scale)
        self.peaks = tuple(float(b) for b in (peaks if peaks is not None else base["peaks"]))
        if not self.peaks:
            raise AlifeError("Lenia needs at least one ring height in peaks")
        self.mu = float(mu if mu is not None else base["mu"])
        self.sigma = float(sigma if sigma is not None else base["sigma"])
        self.dt = float(dt if dt is not None else base["dt"])
        if self.radius <= 0 or self.sigma <= 0 or self.dt <= 0:
            raise AlifeError("Lenia radius, sigma and dt must be positive")
        if self.radius > max(self.width, self.height):
            raise AlifeError(f"Lenia radius {self.radius:g} is wider than the {self.width}x"
                             f"{self.height} grid; expected at most {max(self.width, self.height)}",
                             where="radius")
        self.start = start
        self.core = core
        self.growth = growth
        self.density = float(density)
        if patch is not None and not 1 <= int(patch) <= min(self.width, self.height):
            raise AlifeError(f"Lenia patch {patch}; expected a side of 1 to "
                             f"{min(self.width, self.height)} cells", where="patch")
        if not 1 <= int(grain) <= 64:
            raise AlifeError(f"Lenia grain {grain}; expected 1 to 64 cells", where="grain")
        self.patch = None if patch is None else int(patch)
        self.grain = int(grain)
        self._distance = lk.torus_distance(self.height, self.width)
        self._start_cells: np.ndarray | None = None
        if start not in NOISE:
            self._start_cells = library.rotate(self.creature_cells(start), self.rotate)
            h, w = self._start_cells.shape
            if h > self.height or w > self.width:
                raise AlifeError(f"the {start} creature ({w}x{h} cells at R={self.radius:g}) "
                                 f"does not fit a {self.width}x{self.height} grid")

    # ---- config and params ------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "radius": self.radius,
                "peaks": list(self.peaks), "mu": self.mu, "sigma": self.sigma, "dt": self.dt,
                "start": self.start, "core": self.core, "growth": self.growth,
                "density": self.density, "scale": self.scale, "rotate": self.rotate,
                **({"patch": self.patch} if self.patch is not None else {}),
                **({"grain": self.grain} if self.grain != 1 else {})}

    def default_params(self) -> LeniaParams:
        f32 = jnp.float32
        return LeniaParams(mu=jnp.asarray(self.mu, f32), sigma=jnp.asarray(self.sigma, f32),
                           dt=jnp.asarray(self.dt, f32), radius=jnp.asarray(self.radius, f32),
                           peaks=jnp.asarray(self.peaks, f32))

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def channels(self) -> int:
        """Number of cell channels (1 here; `ExpandedLeniaRule` may have more)."""
        return 1

    def describe(self) -> str:
        return f"lenia {self.start} R={self.radius:g} {self.width}x{self.height}"

    # ---- start ------------------------------------------------------------------------------
    def creature_cells(self, name: str, radius: float | None = None) -> np.ndarray:
        """A creature's cells scaled from its own R to `radius` (default: this rule's). [h, w]."""
        creature = load_creature(name)
        return library.rescale(creature["cells"], (radius or self.radius) / creature["radius"])

    def place(self, cells: np.ndarray, y: int | None = None, x: int | None = None) -> np.ndarray:
        """A blank [H, W] grid with `cells` centred at (y, x) (default: the grid centre)."""
        return place_cells(self.shape, cells, y, x)

    def init(self, key: Array, params: LeniaParams) -> LeniaState:
        del params
        if self._start_cells is not None:
            cells = jnp.asarray(self.place(self._start_cells))
        elif self.start == "random":
            side_h, side_w = ((max(1, self.height // 2), max(1, self.width // 2))
                              if self.patch is None else (self.patch, self.patch))
            k1, k2 = jax.random.split(key)
            coarse = (-(-side_h // self.grain), -(-side_w // self.grain))
            patch = jax.random.uniform(k1, coarse) * (
                jax.random.uniform(k2, coarse) < self.density)
            if self.grain > 1:  # noise at the grain's scale, linearly interpolated
                patch = jax.image.resize(patch, (side_h, side_w), "linear")
            top, left = (self.height - side_h) // 2, (self.width - side_w) // 2
            cells = jnp.zeros(self.shape, jnp.float32).at[top : top + side_h,
                                                          left : left + side_w].set(patch)
        else:
            cells = jnp.zeros(self.shape, jnp.float32)
        return LeniaState(cells=cells.astype(jnp.float32), generation=jnp.asarray(0, jnp.int32))

    # ---- dynamics ---------------------------------------------------------------------------
    def kernel_fft(self, params: LeniaParams) -> Array:
        """The real rfft2 of the normalised kernel for these params. [H, W // 2 + 1]."""
        return lk.kernel_fft(jnp.asarray(self._distance), params.radius, params.peaks, self.core)

    def potential(self, cells: Array, params: LeniaParams) -> Array:
        """U = K * A on the torus. [H, W] float32."""
        return lk.convolve(cells, self.kernel_fft(params))

    def step(self, key: Array, state: LeniaState, params: LeniaParams) -> LeniaState:
        del key
        u = self.potential(state.cells, params)
        g = lk.growth(u, params.mu, params.sigma, self.growth)
        cells = jnp.clip(state.cells + params.dt * g, 0.0, 1.0)
        return LeniaState(cells=cells.astype(jnp.float32), generation=state.generation + 1)

    # ---- Chan's parameter string -------------------------------------------------------------
    def rule_text(self, params: LeniaParams) -> str:
        """Params as Chan writes them: `R=13,T=10,b=1,m=0.15,s=0.015` (T = 1/dt)."""
        return format_rule_text(params)

    def apply_rule_text(self, text: str, params: LeniaParams) -> tuple[Rule, LeniaParams]:
        """Parse `R=..,T=..,b=..,m=..,s=..` (any subset; `mu`, `sigma`, `dt` also accepted).

        Same number of rings: this rule with new params (no recompile); otherwise a new rule.
        """
        values = parse_rule_text(text)
        peaks = values.pop("peaks", None)
        new = {k: jnp.asarray(v, jnp.float32) for k, v in values.items()}
        if peaks is not None and len(peaks) != len(self.peaks):
            current = {k: float(getattr(params, k)) for k in ("radius", "mu", "sigma", "dt")}
            rule = LeniaRule(**(self.config() | current | values | {"peaks": peaks}))
            return rule, rule.default_params()
        if peaks is not None:
            new["peaks"] = jnp.asarray(peaks, jnp.float32)
        return self, replace(params, **new)

    # ---- views, metrics, edits --------------------------------------------------------------
    def view(self, state: LeniaState, params: LeniaParams) -> Array:
        del params
        return jnp.clip(state.cells, 0.0, 1.0)[..., None].astype(jnp.float32)

    def metrics(self, state: LeniaState, params: LeniaParams) -> dict[str, Array]:
        """generation, mass (sum of levels), torus-aware centre of mass x/y (cells), and
        growth_mean: the mean of G(U) over the cells where A > 0 (0 on an empty grid)."""
        a = state.cells
        mass = jnp.sum(a)
        h, w = self.shape

        g = lk.growth(self.potential(a, params), params.mu, params.sigma, self.growth)
        alive = a > 0
        count = jnp.sum(alive)
        growth_mean = jnp.where(count > 0, jnp.sum(jnp.where(alive, g, 0.0)) /
                                jnp.maximum(count, 1), 0.0)
        return {"generation": state.generation, "mass": mass,
                "centre_x": torus_centre(jnp.sum(a, axis=0), w),
                "centre_y": torus_centre(jnp.sum(a, axis=1), h),
                "growth_mean": growth_mean}

    def paint(self, state: LeniaState, params: LeniaParams, mask: Array,
              value: Array) -> LeniaState:
        del params
        value = jnp.asarray(value, jnp.float32)
        level = jnp.where(value < 0, 0.0, jnp.clip(value, 0.0, 1.0))
        cells = jnp.where(mask, level, state.cells).astype(jnp.float32)
        return LeniaState(cells=cells, generation=state.generation)

    def cells(self, state: LeniaState) -> Array:
        return state.cells

    def with_cells(self, state: LeniaState, cells: Array) -> LeniaState:
        cells = jnp.clip(jnp.asarray(cells, jnp.float32), 0.0, 1.0)
        if cells.shape != self.shape:
            raise AlifeError(f"Lenia cells of shape {cells.shape}; expected {self.shape}")
        return LeniaState(cells=cells, generation=state.generation)


_KEYS = {"r": "radius", "t": "T", "b": "peaks", "m": "mu", "s": "sigma", "mu": "mu",
         "sigma": "sigma", "dt": "dt"}


def parse_rule_text(text: str) -> dict[str, Any]:
    """`R=13,T=10,b=1/2,1,2/3,m=0.26,s=0.036` -> {radius, dt, peaks, mu, sigma} (those given)."""
    out: dict[str, Any] = {}
    key = None
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if "=" in part:
            name, _, value = part.partition("=")
            key = _KEYS.get(name.strip().lower())
            if key is None:
                raise AlifeError(f"unknown Lenia parameter {name.strip()!r} in {text!r}; "
                                 "expected R, T, b, m, s (or mu, sigma, dt)")
            if key in out and key != "peaks":
                raise AlifeError(f"Lenia parameter {name.strip()!r} given twice in {text!r}")
            if key == "peaks":
                out["peaks"] = []
        elif key == "peaks":
            value = part
        else:
            raise AlifeError(f"unexpected {part!r} in {text!r}; expected key=value pairs")
        try:
            number = float(Fraction(value.strip().strip("[]")))
        except (ValueError, ZeroDivisionError):
            raise AlifeError(f"bad number {value.strip()!r} for {key} in {text!r}") from None
        if key == "peaks":
            out["peaks"].append(number)
        else:
            out[key] = number
    if not out:
        raise AlifeError(f"empty Lenia parameters {text!r}; expected e.g. "
                         "'R=13,T=10,b=1,m=0.15,s=0.015'")
    if "T" in out:
        t = out.pop("T")
        if t <= 0:
            raise AlifeError(f"T must be positive in {text!r}")
        out["dt"] = 1.0 / t
    for k in ("radius", "sigma", "dt"):
        if k in out and out[k] <= 0:
            raise AlifeError(f"{k} must be positive in {text!r}")
    return out


def _fraction(x: float) -> str:
    f = Fraction(x).limit_denominator(12)
    return str(f) if abs(float(f) - x) < 1e-6 else f"{x:g}"


def format_rule_text(params: LeniaParams) -> str:
    """Chan's parameter string for these params."""
    t = 1.0 / float(params.dt)
    peaks = ",".join(_fraction(float(b)) for b in np.asarray(params.peaks))
    return (f"R={float(params.radius):g},T={round(t, 4):g},b={peaks},"
            f"m={float(params.mu):.6g},s={float(params.sigma):.6g}")
