"""Flow Lenia (Plantec, Hamon, Etcheverry, Oudeyer, Moulin-Frier, Chan, ALIFE 2023, "Flow-Lenia:
Towards open-ended evolution in cellular automata through mass conservation and parameter
localization", arXiv 2212.07906): Lenia whose matter flows instead of growing.

The family's multi-kernel machinery (`expanded`: C channels, K kernels, Chan's ring kernels by
batched rFFT) gives each kernel's potential U_k = K_k * A_source[k]; the affinity of channel c
is the sum of its kernels' weighted growths (no division by the weights, as the reference code
sums them)

    U_c = sum_{k: target[k] = c} h_k G(U_k; mu_k, sigma_k)

and instead of `A <- A + dt U` the matter moves along F = (1 - alpha) grad U - alpha grad A_sum
by reintegration tracking (`reintegration`), which keeps the total mass.

Parameter localisation: with several `species` (each its own mu, sigma and h for every kernel;
kernel shapes stay global, as in the paper's experiments), the state carries a species mixture
`species` [S, H, W] that moves with the matter and is mixed where matter meets (`mix`:
`stochastic`, the reference code's default, or `average`); each cell's growth uses its own
mixture's numbers (mu and sigma its weighted mean, h its weighted sum, so h is 0 where there is
no matter). With one species the numbers are global, as in the reference's plain `FlowLenia`.

Params (arrays, no recompile): `mu`, `sigma`, `weight` [S, K]; `relative` [K]; `peaks` [K, B];
`dt`, `radius`, `theta` (critical mass), `exponent` (n), `spread` (s), `reach`. Static: the
grid, C, kernels' channels/rings/cores, the growth function, S and the mixing rule.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.rule import Array, ColourKey
from alife.core.types import param, pytree_dataclass
from alife.rules.lenia import capabilities as caps
from alife.rules.lenia import kernels as lk
from alife.rules.lenia import library
from alife.rules.lenia import reintegration as rt
from alife.rules.lenia.expanded import ExpandedLeniaRule, channel_colours
from alife.rules.lenia.rule import NOISE, place_cells, torus_centre

FLOW_KEYS = ("theta", "exponent", "spread", "reach", "mix", "paint_species")
SPECIES_KEYS = ("name", "mu", "sigma", "weight")
MAX_SPECIES = 8
#: most shares one step scatters (channels x FOOT^2 x cells)
MAX_SHARES = 1 << 27
#: kernels of a `random` or `blank` Flow Lenia world given none (one channel)
DEFAULT_KERNELS = (
    {"peaks": [1.0], "mu": 0.15, "sigma": 0.015, "core": "exponential", "relative": 1.0},
)


@pytree_dataclass
class FlowLeniaParams:
    """Per-species growth and weight [S, K], per-kernel radius [K], flow and transport."""

    mu: Array = param(0.0, 0.6, "growth centre of each species' kernels")
    sigma: Array = param(0.001, 0.2, "growth width of each species' kernels")
    weight: Array = param(0.0, 1.0, "weight h of each species' kernels in the affinity")
    relative: Array = param(0.1, 2.0, "radius of each kernel, x R")
    dt: Array = param(0.01, 1.0, "time step: matter moves dt F cells a step")
    radius: Array = param(3.0, 60.0, "kernel radius R, in cells")
    theta: Array = param(0.1, 10.0, "critical mass theta_A: above it matter spreads out")
    exponent: Array = param(0.5, 8.0, "n in alpha = clip((A_sum / theta)^n, 0, 1)")
    spread: Array = param(0.05, 0.95, "half side s of the square a cell's matter lands on")
    reach: Array = param(1.0, 10.0, "matter moves at most reach - s cells a step per axis "
                                    "(reach capped at the grid's smaller side - 3)")
    peaks: Array  # [K, Bmax] ring heights, zero-padded (not a slider)


@pytree_dataclass
class FlowLeniaState:
    """cells: [C, H, W] float32 matter (>= 0, may exceed 1); species: [S, H, W] float32 species
    mixture carried by the matter (all ones and unused with one species); generation: int32."""

    cells: Array
    species: Array
    generation: Array


def species_colours(count: int) -> np.ndarray:
    """[S, 3] RGB of each species in `view`: evenly spaced hues from orange."""
    return np.array([colorsys.hsv_to_rgb((0.08 + i / count) % 1.0, 0.85, 1.0)
                     for i in range(count)], np.float32)


def _number(value: Any, where: str, low: float, high: float, text: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(float(value)) or not low <= float(value) <= high:
        raise AlifeError(f"Flow Lenia {where} {value!r}; expected {text}", where="flow")
    return float(value)


def _flow_block(block: Any, channels: int, species: int) -> dict[str, Any]:
    if block is None or block is True:
        block = {}
    if not isinstance(block, dict):
        raise AlifeError(f"Flow Lenia `flow` is a mapping of {', '.join(FLOW_KEYS)}; got "
                         f"{type(block).__name__}", where="flow")
    unknown = sorted(set(block) - set(FLOW_KEYS))
    if unknown:
        raise AlifeError(f"unknown Flow Lenia key flow.{unknown[0]}; expected some of "
                         f"{', '.join(FLOW_KEYS)}", where="flow")
    out = {
        "theta": _number(block.get("theta", float(channels)), "flow.theta", 1e-3, 1e3,
                         "a critical mass > 0 (at most 1000)"),
        "exponent": _number(block.get("exponent", 2.0), "flow.exponent", 0.5, 16.0,
                            "an exponent n in [0.5, 16]"),
        "spread": _number(block.get("spread", 0.65), "flow.spread", *rt.SPREAD_RANGE,
                          f"a half side s in [{rt.SPREAD_RANGE[0]}, {rt.SPREAD_RANGE[1]}]"),
        "reach": _number(block.get("reach", 5.0), "flow.reach", 1.0, float(rt.MAX_REACH),
                         f"a reach in [1, {rt.MAX_REACH}] cells"),
        "mix": block.get("mix", "stochastic"),
        "paint_species": block.get("paint_species", 0),
    }
    if out["mix"] not in rt.MIXES:
        raise AlifeError(f"Flow Lenia flow.mix {out['mix']!r}; expected one of "
                         f"{list(rt.MIXES)}", where="flow")
    paint = out["paint_species"]
    if isinstance(paint, bool) or not isinstance(paint, int) or not 0 <= paint < species:
        raise AlifeError(f"Flow Lenia flow.paint_species {paint!r}; expected a species index "
                         f"0..{species - 1}", where="flow")
    return out


def _species(entries: Any, kernels: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
    count = len(kernels)
    if entries is None:
        entries = [{"name": "a"}]
    if not isinstance(entries, list | tuple) or not 1 <= len(entries) <= MAX_SPECIES:
        raise AlifeError(f"Flow Lenia species: expected a list of 1..{MAX_SPECIES} mappings",
                         where="species")
    out = []
    for i, entry in enumerate(entries):
        where = f"species[{i}]"
        if not isinstance(entry, dict) or set(entry) - set(SPECIES_KEYS):
            bad = sorted(set(entry) - set(SPECIES_KEYS)) if isinstance(entry, dict) else []
            raise AlifeError(f"{where}: expected a mapping of {', '.join(SPECIES_KEYS)}"
                             + (f"; unknown key {bad[0]!r}" if bad else ""), where="species")
        one = {"name": str(entry.get("name", f"s{i}"))}
        for key, low, high in (("mu", 0.0, 10.0), ("sigma", 1e-4, 10.0), ("weight", 0.0, 100.0)):
            value = entry.get(key, [k[key] for k in kernels])
            values = list(value) if isinstance(value, list | tuple) else [value] * count
            if len(values) != count:
                raise AlifeError(f"{where}.{key}: {len(values)} values; expected one or "
                                 f"{count} (one per kernel)", where="species")
            one[key] = [_number(v, f"{where}.{key}", low, high, f"numbers in [{low:g}, "
                                f"{high:g}]") for v in values]
        out.append(one)
    names = [s["name"] for s in out]
    if len(set(names)) != len(names) or not all(n.isidentifier() for n in names):
        raise AlifeError(f"Flow Lenia species names {names}: expected distinct identifiers",
                         where="species")
    return tuple(out)


class FlowLeniaRule(ExpandedLeniaRule, ColourKey):
    """Flow Lenia on an (H, W) torus; see the module docstring. Config as `ExpandedLeniaRule`
    plus `flow` (theta, exponent, spread, reach, mix, paint_species) and `species`."""

    def __init__(self, width: int = 128, height: int = 128, start: str = "random",
                 kernels: list[dict[str, Any]] | None = None, channels: int | None = None,
                 radius: float | None = None, dt: float | None = None,
                 growth: str | None = None, density: float = 0.5, scale: float = 1.0,
                 rotate: float = 0.0, channel: int = 0, flow: dict[str, Any] | None = None,
                 species: list[dict[str, Any]] | None = None) -> None:
        noise = start in NOISE
        if kernels is None and noise:
            kernels = [dict(k) for k in DEFAULT_KERNELS]
        super().__init__(width=width, height=height, start=start, kernels=kernels,
                         channels=channels, radius=radius,
                         dt=dt if dt is not None or not noise else 0.2,
                         growth=growth if growth is not None or not noise else "gaussian",
                         density=density, scale=scale, rotate=rotate, channel=channel)
        if self.channels_count * rt.FOOT ** 2 * self.width * self.height > MAX_SHARES:
            raise AlifeError(f"a {self.width}x{self.height} Flow Lenia grid of "
                             f"{self.channels_count} channels is too large; expected at most "
                             f"{MAX_SHARES // rt.FOOT ** 2} channel cells", where="width")
        if not 0 < self.dt <= 1.0:
            raise AlifeError(f"Flow Lenia dt {self.dt:g}; expected 0 < dt <= 1", where="dt")
        self.species = _species(species, self.kernels)
        self.localised = len(self.species) > 1
        self.flow = _flow_block(flow, self.channels_count, len(self.species))
        self.mix = self.flow["mix"]
        if not 0.0 <= self.density <= 1.0:
            raise AlifeError(f"Flow Lenia density {self.density:g}; expected 0..1",
                             where="density")

    # ---- config and params ------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        return {**super().config(), "flow": dict(self.flow),
                "species": [dict(s) for s in self.species]}

    def default_params(self) -> FlowLeniaParams:
        base = super().default_params()
        f32 = jnp.float32

        def table(key: str) -> Array:
            return jnp.asarray([s[key] for s in self.species], f32)

        return FlowLeniaParams(mu=table("mu"), sigma=table("sigma"), weight=table("weight"),
                               relative=base.relative, dt=base.dt, radius=base.radius,
                               theta=jnp.asarray(self.flow["theta"], f32),
                               exponent=jnp.asarray(self.flow["exponent"], f32),
                               spread=jnp.asarray(self.flow["spread"], f32),
                               reach=jnp.asarray(self.flow["reach"], f32), peaks=base.peaks)

    @property
    def look(self) -> str:  # type: ignore[override]
        return "colormap" if self.channels_count == 1 and not self.localised else "rgb"

    def view_scale(self, params: FlowLeniaParams) -> tuple[str, float, float] | None:
        if self.look != "colormap":
            return None
        return ("matter A", 0.0, float(params.theta))

    def describe(self) -> str:
        return (f"lenia flow {self.start} {self.channels_count} channels, {len(self.kernels)} "
                f"kernels, {len(self.species)} species R={self.radius:g} "
                f"{self.width}x{self.height}")

    # ---- start ------------------------------------------------------------------------------
    def _species_map(self, cells: Array, which: Array | int = 0) -> Array:
        """One-hot species `which` ([H, W] ints or one int) where there is matter, else 0;
        all ones with one species."""
        count, shape = len(self.species), self.shape
        if not self.localised:
            return jnp.ones((1,) + shape, jnp.float32)
        one_hot = jnp.arange(count)[:, None, None] == jnp.asarray(which)
        return (one_hot & (jnp.sum(cells, axis=0) > 0)[None]).astype(jnp.float32)

    def init(self, key: Array, params: FlowLeniaParams) -> FlowLeniaState:
        """A species start (species 0), `blank`, or `random`: one square of noise per species,
        side half the grid's height (and at most 1/(S+1) of its width), spaced along a row."""
        del params
        c, (h, w), count = self.channels_count, self.shape, len(self.species)
        which = jnp.zeros(self.shape, jnp.int32)
        if self._start_cells is not None:
            cells = jnp.asarray(place_cells(self.shape, self._start_cells))
        elif self.start == "random":
            side = max(1, min(h // 2, w // (count + 1)))
            k1, k2 = jax.random.split(key)
            cells = jnp.zeros((c, h, w), jnp.float32)
            for s in range(count):
                patch = jax.random.uniform(jax.random.fold_in(k1, s), (c, side, side)) * (
                    jax.random.uniform(jax.random.fold_in(k2, s), (c, side, side))
                    < self.density)
                top, left = (h - side) // 2, int((s + 0.5) * w / count) - side // 2
                cells = cells.at[:, top:top + side, left:left + side].set(patch)
                which = which.at[top:top + side, left:left + side].set(s)
        else:
            cells = jnp.zeros((c, h, w), jnp.float32)
        return FlowLeniaState(cells=cells, species=self._species_map(cells, which),
                              generation=jnp.asarray(0, jnp.int32))

    def _reshaped(self, state: FlowLeniaState, change: Any) -> FlowLeniaState:
        """`change` ([N, H, W] -> same shape, about the grid's centre) applied to the matter and
        the species map about the matter's centre of mass on the torus; with stochastic mixing
        the species map is made one-hot again (each cell its strongest species)."""
        cells = np.asarray(state.cells, np.float32)
        h, w = self.shape
        total = cells.sum(axis=0)
        shift = (h // 2 - int(round(caps.torus_centre_np(total.sum(axis=1)))),
                 w // 2 - int(round(caps.torus_centre_np(total.sum(axis=0)))))
        stack = np.concatenate([cells, np.asarray(state.species, np.float32)])
        out = np.roll(change(np.roll(stack, shift, axis=(-2, -1))), (-shift[0], -shift[1]),
                      axis=(-2, -1))
        new_cells, species = np.maximum(out[:self.channels_count], 0.0), out[self.channels_count:]
        if not self.localised:
            species = np.asarray(state.species)
        elif self.mix == "stochastic":
            strongest = np.argmax(species, axis=0)
            held = (species.sum(axis=0) > 0) & (new_cells.sum(axis=0) > 0)
            species = (np.arange(len(self.species))[:, None, None] == strongest) & held
        return FlowLeniaState(cells=jnp.asarray(new_cells, jnp.float32),
                              species=jnp.asarray(species, jnp.float32),
                              generation=state.generation)

    def rescaled(self, state: FlowLeniaState, params: FlowLeniaParams,
                 value: float) -> tuple[FlowLeniaState, FlowLeniaParams]:
        """R set to `value`; matter and species zoomed by new R / old R about the matter's
        centre of mass (`Reshaping`); no recompile."""
        factor = float(value) / float(params.radius)
        return (self._reshaped(state, lambda a: library.rescale_world(a, factor)),
                replace(params, radius=jnp.asarray(value, jnp.float32)))

    def rotated(self, state: FlowLeniaState, params: FlowLeniaParams,
                degrees: float) -> FlowLeniaState:
        """Matter and species turned `degrees` anticlockwise about the matter's centre."""
        del params
        return self._reshaped(state, lambda a: caps.rotate_world(a, degrees))

    def kernel_rows(self, params: FlowLeniaParams) -> list[dict[str, Any]]:
        """`KernelPlots`: each kernel with the first species' growth numbers and weight (the
        Kernel window's mu / sigma sliders set element k of the flattened [S, K] table, which
        is species 0's kernel k)."""
        first = SimpleNamespace(peaks=params.peaks, mu=params.mu[0], sigma=params.sigma[0],
                                relative=params.relative, weight=params.weight[0],
                                radius=params.radius)
        return super().kernel_rows(first)

    # ---- dynamics ---------------------------------------------------------------------------
    def local_params(self, species: Array, params: FlowLeniaParams) -> tuple[Array, Array, Array]:
        """(mu, sigma, h) per kernel at each cell, [K, H, W] (or [K, 1, 1] with one species):
        mu and sigma the species mixture's weighted mean (species 0's where there is none), h
        its weighted sum (0 where there is no matter)."""
        if not self.localised:
            return (params.mu[0][:, None, None], params.sigma[0][:, None, None],
                    params.weight[0][:, None, None])
        total = jnp.sum(species, axis=0)
        empty = total <= 0
        share = jnp.where(empty[None], (jnp.arange(len(self.species)) == 0)[:, None, None],
                          species / jnp.where(empty, 1.0, total)[None])

        def mixed(table: Array, weights: Array) -> Array:
            return sum(table[s][:, None, None] * weights[s][None]
                       for s in range(len(self.species)))

        return (mixed(params.mu, share), mixed(params.sigma, share),
                mixed(params.weight, species))

    def affinity(self, state: FlowLeniaState, params: FlowLeniaParams) -> Array:
        """U_c = sum over kernels k with target c of h_k G(K_k * A_source[k]). [C, H, W]."""
        mu, sigma, h = self.local_params(state.species, params)
        g = lk.growth(self.potentials(state.cells, params), mu, sigma, self.growth) * h
        out = []
        for c in range(self.channels_count):
            ks = [i for i, t in enumerate(self.targets) if t == c]
            out.append(sum(g[i] for i in ks) if ks else jnp.zeros(self.shape, jnp.float32))
        return jnp.stack(out)

    def flow_field(self, state: FlowLeniaState, params: FlowLeniaParams) -> Array:
        """F = (1 - alpha) grad U - alpha grad A_sum. [C, 2, H, W] (row, column)."""
        return rt.flow(self.affinity(state, params), state.cells, params.theta,
                       params.exponent)

    def step(self, key: Array, state: FlowLeniaState, params: FlowLeniaParams) -> FlowLeniaState:
        shift = params.dt * self.flow_field(state, params)
        cells, species = rt.reintegrate(state.cells, shift, params.spread, params.reach,
                                        state.species if self.localised else None, self.mix,
                                        key)
        return FlowLeniaState(cells=cells, species=state.species if species is None else species,
                              generation=state.generation + 1)

    # ---- views, metrics, edits --------------------------------------------------------------
    def view(self, state: FlowLeniaState, params: FlowLeniaParams) -> Array:
        """Matter / theta: one channel through the colour map; several channels as the
        family's channel colours; several species as each species' colour."""
        level = jnp.clip(state.cells / jnp.maximum(params.theta, 1e-6), 0.0, 1.0)
        if self.localised:
            total = jnp.clip(jnp.sum(state.cells, axis=0) / jnp.maximum(params.theta, 1e-6),
                             0.0, 1.0)
            colours = species_colours(len(self.species))
            rgb = sum(state.species[s][..., None] * colours[s]
                      for s in range(len(self.species))) * total[..., None]
        elif self.channels_count == 1:
            return level[0][..., None].astype(jnp.float32)
        else:
            colours = channel_colours(self.channels_count)
            rgb = sum(level[c][..., None] * colours[c] for c in range(self.channels_count))
        return jnp.clip(rgb, 0.0, 1.0).astype(jnp.float32)

    def metrics(self, state: FlowLeniaState, params: FlowLeniaParams) -> dict[str, Array]:
        """generation, mass (all channels), torus-aware centre x/y, `mass_<c>` per channel when
        C > 1 and `mass_<name>` per species when there are several."""
        del params
        total = jnp.sum(state.cells, axis=0)
        h, w = self.shape
        out = {"generation": state.generation, "mass": jnp.sum(total),
               "centre_x": torus_centre(jnp.sum(total, axis=0), w),
               "centre_y": torus_centre(jnp.sum(total, axis=1), h)}
        if self.channels_count > 1:
            for c in range(self.channels_count):
                out[f"mass_{c}"] = jnp.sum(state.cells[c])
        if self.localised:
            for s, entry in enumerate(self.species):
                out[f"mass_{entry['name']}"] = jnp.sum(total * state.species[s])
        return out

    def paint_channel(self, state: FlowLeniaState, mask: Array, value: Array,
                      channel: Array) -> FlowLeniaState:
        """Set channel `channel` under the mask to `value` (matter of species `paint_species`);
        a value < 0 clears every channel and the species there."""
        value = jnp.asarray(value, jnp.float32)
        which = jnp.arange(self.channels_count)[:, None, None] == channel
        level = jnp.clip(value, 0.0, 1.0)
        cells = jnp.where(mask[None] & ((value < 0) | which),
                          jnp.where(value < 0, 0.0, level), state.cells).astype(jnp.float32)
        species = state.species
        if self.localised:
            mine = (jnp.arange(len(self.species)) == self.flow["paint_species"])[:, None, None]
            species = jnp.where(mask[None], jnp.where(value > 0, mine.astype(jnp.float32),
                                                      jnp.where(value < 0, 0.0, species)),
                                species)
        return FlowLeniaState(cells=cells, species=species, generation=state.generation)

    def paint(self, state: FlowLeniaState, params: FlowLeniaParams, mask: Array,
              value: Array) -> FlowLeniaState:
        del params
        return self.paint_channel(state, mask, value, jnp.asarray(self.channel))

    def blank(self, params: FlowLeniaParams) -> FlowLeniaState:
        del params
        cells = jnp.zeros((self.channels_count,) + self.shape, jnp.float32)
        return FlowLeniaState(cells=cells, species=self._species_map(cells),
                              generation=jnp.asarray(0, jnp.int32))

    def with_cells(self, state: FlowLeniaState, cells: Array) -> FlowLeniaState:
        """Matter replaced (one channel [H, W] or all [C, H, W]; negative levels clipped to 0);
        new matter where there was no species takes `paint_species`."""
        cells = jnp.maximum(jnp.asarray(cells, jnp.float32), 0.0)
        if cells.shape == self.shape:
            cells = state.cells.at[self.channel].set(cells)
        elif cells.shape != (self.channels_count,) + self.shape:
            raise AlifeError(f"Flow Lenia cells of shape {cells.shape}; expected {self.shape} "
                             f"or {(self.channels_count,) + self.shape}")
        species = state.species
        if self.localised:
            fresh = self._species_map(cells, self.flow["paint_species"])
            keep = (jnp.sum(species, axis=0) > 0) & (jnp.sum(cells, axis=0) > 0)
            species = jnp.where(keep[None], species, fresh)
        return FlowLeniaState(cells=cells, species=species, generation=state.generation)
