"""Lenia: a continuous cellular automaton (Bert Chan 2019, "Lenia: Biology of Artificial Life").

Each cell holds a level A in [0, 1]. One step convolves the grid with a ring-shaped kernel K of
radius R (`kernels`), maps the potential U = K * A through the growth function G and adds
it: `A <- clip(A + dt G(U), 0, 1)`. The convolution is an FFT product on the torus (rfft2).

Params (arrays; sliders): mu and sigma of the growth, the time step dt, the radius R, and the ring
heights `peaks` [B]. The kernel is rebuilt inside the step from the traced R (a fixed grid of
torus distances divided by R), so every param - R included - changes without recompiling; only
the number of rings B, the kernel core and the grid size are static. Under `lax.scan` the kernel
depends only on params, so it is computed once per rollout, not once per step.

Starts: a published creature from Chan's catalogue (`assets/lenia/<name>.npz`: Orbium,
Scutium, Hydrogeminium), rescaled when `radius` differs from its own R, placed at the centre;
`random` (a centred square of noise) or `blank`. Topology: torus only (the FFT wraps).
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
from alife.core.fileio import load_arrays
from alife.core.rule import Array, GridEditing, Rule, RuleText
from alife.core.types import param, pytree_dataclass
from alife.rules.lenia import kernels as lk

#: the shipped creatures: package data (assets/, installed as `alife.assets`), found through
#: importlib.resources
CREATURE_DIR = resources.files("alife.assets") / "lenia"
CREATURES = ("orbium", "scutium", "hydrogeminium")
STARTS = CREATURES + ("random", "blank")


@pytree_dataclass
class LeniaParams:
    """Growth, time step and kernel shape; all arrays, so they change without recompiling."""

    mu: Array = param(0.0, 0.6, "growth centre: the potential that grows fastest")
    sigma: Array = param(0.001, 0.15, "growth width")
    dt: Array = param(0.01, 1.0, "time step (1/T)")
    radius: Array = param(3.0, 60.0, "kernel radius R, in cells")
    peaks: Array  # [B] ring heights (not a slider)


@pytree_dataclass
class LeniaState:
    """cells: [H, W] float32 levels in [0, 1]; generation: int32 scalar."""

    cells: Array
    generation: Array


@lru_cache(maxsize=8)
def load_creature(name: str) -> dict[str, Any]:
    """A shipped creature: `cells` [h, w] float32 and its radius, mu, sigma, dt, peaks, name."""
    source = CREATURE_DIR / f"{name}.npz"
    if name not in CREATURES or not source.is_file():
        raise AlifeError(f"unknown Lenia creature {name!r}; expected one of {list(CREATURES)}")
    with resources.as_file(source) as path:  # a real file even when installed zipped
        arrays = load_arrays(path)
    out: dict[str, Any] = {k: arrays[k] for k in ("cells", "peaks")}
    for k in ("radius", "mu", "sigma", "dt"):
        out[k] = float(arrays[k])
    out["name"] = str(arrays["name"])
    return out


class LeniaRule(Rule, GridEditing, RuleText):
    """Single-channel Lenia on an (H, W) torus; see the module docstring."""

    family = "lenia"
    num_states = 0
    look = "colormap"

    def __init__(self, width: int = 128, height: int = 128, radius: float | None = None,
                 peaks: tuple[float, ...] | list[float] | None = None, mu: float | None = None,
                 sigma: float | None = None, dt: float | None = None, start: str = "orbium",
                 core: str = "exponential", growth: str = "gaussian",
                 density: float = 0.5) -> None:
        if start not in STARTS:
            raise AlifeError(f"unknown Lenia start {start!r}; expected one of {list(STARTS)}")
        if core not in lk.CORES:
            raise AlifeError(f"unknown Lenia kernel core {core!r}; expected one of "
                             f"{list(lk.CORES)}")
        if growth not in lk.GROWTHS:
            raise AlifeError(f"unknown Lenia growth {growth!r}; expected one of "
                             f"{list(lk.GROWTHS)}")
        if int(width) < 4 or int(height) < 4:
            raise AlifeError(f"Lenia grid {width}x{height} is too small; expected at least 4x4")
        base = load_creature(start if start in CREATURES else "orbium")
        self.width, self.height = int(width), int(height)
        self.radius = float(radius if radius is not None else base["radius"])
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
        self._distance = lk.torus_distance(self.height, self.width)
        if start in CREATURES:
            h, w = self.creature_cells(start).shape
            if h > self.height or w > self.width:
                raise AlifeError(f"the {start} creature ({w}x{h} cells at R={self.radius:g}) "
                                 f"does not fit a {self.width}x{self.height} grid")

    # ---- config and params ------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "radius": self.radius,
                "peaks": list(self.peaks), "mu": self.mu, "sigma": self.sigma, "dt": self.dt,
                "start": self.start, "core": self.core, "growth": self.growth,
                "density": self.density}

    def default_params(self) -> LeniaParams:
        f32 = jnp.float32
        return LeniaParams(mu=jnp.asarray(self.mu, f32), sigma=jnp.asarray(self.sigma, f32),
                           dt=jnp.asarray(self.dt, f32), radius=jnp.asarray(self.radius, f32),
                           peaks=jnp.asarray(self.peaks, f32))

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    def describe(self) -> str:
        return f"lenia {self.start} R={self.radius:g} {self.width}x{self.height}"

    # ---- start ------------------------------------------------------------------------------
    def creature_cells(self, name: str, radius: float | None = None) -> np.ndarray:
        """A creature's cells scaled from its own R to `radius` (default: this rule's). [h, w]."""
        creature = load_creature(name)
        cells = creature["cells"]
        scale = (radius or self.radius) / creature["radius"]
        if abs(scale - 1.0) > 1e-6:
            h, w = cells.shape
            size = (max(1, round(h * scale)), max(1, round(w * scale)))
            with jax.ensure_compile_time_eval():  # concrete even when `init` is traced
                cells = np.clip(np.asarray(jax.image.resize(cells, size, "linear")), 0.0, 1.0)
        return cells.astype(np.float32)

    def place(self, cells: np.ndarray, y: int | None = None, x: int | None = None) -> np.ndarray:
        """A blank [H, W] grid with `cells` centred at (y, x) (default: the grid centre)."""
        grid = np.zeros(self.shape, np.float32)
        h, w = cells.shape
        if h > self.height or w > self.width:
            raise AlifeError(f"a {w}x{h} creature does not fit a {self.width}x{self.height} grid")
        top = (self.height // 2 if y is None else y) - h // 2
        left = (self.width // 2 if x is None else x) - w // 2
        rows = (np.arange(h) + top) % self.height
        cols = (np.arange(w) + left) % self.width
        grid[np.ix_(rows, cols)] = cells
        return grid

    def init(self, key: Array, params: LeniaParams) -> LeniaState:
        del params
        if self.start in CREATURES:
            cells = jnp.asarray(self.place(self.creature_cells(self.start)))
        elif self.start == "random":
            side_h, side_w = max(1, self.height // 2), max(1, self.width // 2)
            k1, k2 = jax.random.split(key)
            patch = jax.random.uniform(k1, (side_h, side_w)) * (
                jax.random.uniform(k2, (side_h, side_w)) < self.density)
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

        def circular_centre(weights: Array, n: int) -> Array:
            angle = 2.0 * jnp.pi * jnp.arange(n) / n
            c, s = jnp.sum(weights * jnp.cos(angle)), jnp.sum(weights * jnp.sin(angle))
            centre = jnp.arctan2(s, c) * n / (2.0 * jnp.pi)
            return jnp.where(jnp.hypot(c, s) > 0, jnp.mod(centre, n), 0.0)

        g = lk.growth(self.potential(a, params), params.mu, params.sigma, self.growth)
        alive = a > 0
        count = jnp.sum(alive)
        growth_mean = jnp.where(count > 0, jnp.sum(jnp.where(alive, g, 0.0)) /
                                jnp.maximum(count, 1), 0.0)
        return {"generation": state.generation, "mass": mass,
                "centre_x": circular_centre(jnp.sum(a, axis=0), w),
                "centre_y": circular_centre(jnp.sum(a, axis=1), h),
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
