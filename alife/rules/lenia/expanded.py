"""Multi-kernel, multi-channel Lenia (Chan 2020, "Lenia and Expanded Universe").

C channels A_0..A_{C-1}, each a level in [0, 1], and K kernels. Kernel k reads channel
`source[k]`, has its own rings (`peaks[k]`), core, radius `R * relative[k]`, growth centre
`mu[k]` and width `sigma[k]`, and adds to channel `target[k]` with weight `weight[k]` (Chan's
`c = [source, target]`, `b`, `kn`, `r`, `m`, `s`, `h`). One step, as Chan's `LeniaNDKC.py` runs
it:

    U_k = K_k * A_source[k]            (FFT on the torus, all K kernels in one batch)
    D_c = sum_{k: target[k]=c} h_k G(U_k; mu_k, sigma_k) / sum_{k: target[k]=c} h_k
    A_c <- clip(A_c + dt D_c, 0, 1)

(a channel no kernel targets keeps its levels). The growth function is one for the whole world
(Chan's `gn`, read from the first kernel), the core one per kernel (`kn`).

Params (arrays, so every value changes without recompiling, R included): `mu`, `sigma`, `weight`,
`relative` [K], `peaks` [K, Bmax] (zero-padded), `dt`, `radius`. Static: the grid, C, each
kernel's channels, ring count and core, and the growth function.

`view`: one channel as levels (colour-mapped); 2 or 3 channels as red, green(, blue); more as
evenly spaced hues added up. The cell grid the brush and patterns edit (`cells`) is channel
`channel` (config, default 0); `paint_channel` paints any channel with the channel traced.
"""

from __future__ import annotations

import colorsys
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.rule import Array, GridEditing, Rule
from alife.core.types import param, pytree_dataclass
from alife.rules.lenia import kernels as lk
from alife.rules.lenia import library
from alife.rules.lenia.capabilities import LeniaChannels, LeniaKernelPlots, LeniaReshaping
from alife.rules.lenia.rule import NOISE, load_creature, place_cells, torus_centre

KERNEL_KEYS = ("peaks", "mu", "sigma", "core", "weight", "relative", "source", "target")
#: the most kernel cells (kernels x grid cells) a world may hold: the step keeps every kernel's
#: spectrum and potential (2^27 float32 cells: 512 MiB each)
MAX_KERNEL_CELLS = 1 << 27


@pytree_dataclass
class ExpandedLeniaParams:
    """Per-kernel growth, weight, relative radius and rings; dt and R. All arrays."""

    mu: Array = param(0.0, 0.7, "growth centre of each kernel")
    sigma: Array = param(0.001, 0.25, "growth width of each kernel")
    weight: Array = param(0.0, 1.0, "weight h of each kernel in its target channel's growth")
    relative: Array = param(0.1, 2.0, "radius of each kernel, x R")
    dt: Array = param(0.01, 1.0, "time step (1/T)")
    radius: Array = param(3.0, 60.0, "kernel radius R, in cells")
    peaks: Array  # [K, Bmax] ring heights, zero-padded (not a slider)


@pytree_dataclass
class ExpandedLeniaState:
    """cells: [C, H, W] float32 levels in [0, 1]; generation: int32 scalar."""

    cells: Array
    generation: Array


def channel_colours(channels: int) -> np.ndarray:
    """[C, 3] RGB of each channel in `view`: red, green, blue for up to three, else C hues."""
    if channels <= 3:
        return np.eye(3, dtype=np.float32)[:channels]
    return np.array([colorsys.hsv_to_rgb(i / channels, 1.0, 1.0) for i in range(channels)],
                    np.float32)


def _kernel(entry: Any, channels: int, index: int) -> dict[str, Any]:
    where = f"kernels[{index}]"
    if isinstance(entry, library.Kernel):
        entry = entry.config()
    if not isinstance(entry, dict):
        raise AlifeError(f"a Lenia kernel is a mapping of {', '.join(KERNEL_KEYS)}; got "
                         f"{type(entry).__name__}", where=where)
    unknown = sorted(set(entry) - set(KERNEL_KEYS))
    if unknown:
        raise AlifeError(f"unknown Lenia kernel key {unknown[0]!r}; expected some of "
                         f"{', '.join(KERNEL_KEYS)}", where=where)
    try:
        peaks = entry.get("peaks", [1.0])
        peaks = [float(b) for b in (peaks if isinstance(peaks, (list, tuple)) else [peaks])]
        out = {"peaks": peaks, "mu": float(entry["mu"]), "sigma": float(entry["sigma"]),
               "core": str(entry.get("core", "polynomial")),
               "weight": float(entry.get("weight", 1.0)),
               "relative": float(entry.get("relative", 1.0)),
               "source": int(entry.get("source", 0)), "target": int(entry.get("target", 0))}
    except KeyError as exc:
        raise AlifeError(f"a Lenia kernel needs {exc.args[0]}", where=where) from None
    except (TypeError, ValueError) as exc:
        raise AlifeError(f"bad Lenia kernel value ({exc})", where=where) from None
    if not peaks or not all(np.isfinite(peaks)):
        raise AlifeError("a Lenia kernel needs at least one finite ring height", where=where)
    if out["core"] not in lk.CORES:
        raise AlifeError(f"unknown Lenia kernel core {out['core']!r}; expected one of "
                         f"{list(lk.CORES)}", where=where)
    if not (out["sigma"] > 0 and out["relative"] > 0 and out["weight"] >= 0):
        raise AlifeError("a Lenia kernel needs sigma > 0, relative > 0 and weight >= 0",
                         where=where)
    for key in ("source", "target"):
        if not 0 <= out[key] < channels:
            raise AlifeError(f"kernel {key} channel {out[key]}; expected 0..{channels - 1}",
                             where=where)
    return out


class ExpandedLeniaRule(Rule, GridEditing, LeniaKernelPlots, LeniaReshaping, LeniaChannels):
    """Lenia with C channels and K kernels on an (H, W) torus; see the module docstring."""

    family = "lenia"
    num_states = 0

    def __init__(self, width: int = 128, height: int = 128, start: str = "random",
                 kernels: list[dict[str, Any]] | None = None, channels: int | None = None,
                 radius: float | None = None, dt: float | None = None,
                 growth: str | None = None, density: float = 0.5, scale: float = 1.0,
                 rotate: float = 0.0, channel: int = 0) -> None:
        sp = None
        if start not in NOISE:
            try:
                sp = library.species(start)
            except AlifeError as exc:
                raise AlifeError(f"Lenia start: {exc}; or random, blank", where="start") from None
        if kernels is None and sp is None:
            raise AlifeError("expanded Lenia needs `kernels` (or a species as its start)",
                             where="kernels")
        self.channels_count = int(channels if channels is not None else
                                  (sp.channels if sp is not None and kernels is None else 1))
        if not 1 <= self.channels_count <= 16:
            raise AlifeError(f"Lenia channels {self.channels_count}; expected 1..16",
                             where="channels")
        source = kernels if kernels is not None else list(sp.kernels)  # type: ignore[union-attr]
        if not isinstance(source, (list, tuple)) or not 1 <= len(source) <= 256:
            raise AlifeError("Lenia kernels: expected a list of 1..256 kernels", where="kernels")
        self.kernels = tuple(_kernel(k, self.channels_count, i) for i, k in enumerate(source))
        self.growth = str(growth if growth is not None else
                          (sp.growth if sp is not None else "polynomial"))
        if self.growth not in lk.GROWTHS:
            raise AlifeError(f"unknown Lenia growth {self.growth!r}; expected one of "
                             f"{list(lk.GROWTHS)}", where="growth")
        if int(width) < 4 or int(height) < 4:
            raise AlifeError(f"Lenia grid {width}x{height} is too small; expected at least 4x4")
        if not (float(scale) > 0 and np.isfinite(float(rotate))):
            raise AlifeError(f"Lenia scale {scale} and rotate {rotate}: expected a scale > 0 "
                             "and a finite angle in degrees")
        self.width, self.height = int(width), int(height)
        if len(self.kernels) * self.width * self.height > MAX_KERNEL_CELLS:
            raise AlifeError(f"{len(self.kernels)} kernels on a {self.width}x{self.height} grid "
                             f"is more than {MAX_KERNEL_CELLS} kernel cells; expected fewer "
                             "kernels or a smaller grid", where="kernels")
        self.scale, self.rotate = float(scale), float(rotate)
        native_r = sp.radius if sp is not None else load_creature("orbium")["radius"]
        self.radius = float(radius if radius is not None else native_r * self.scale)
        self.dt = float(dt if dt is not None else (sp.dt if sp is not None else 0.1))
        if not (self.radius > 0 and self.dt > 0):
            raise AlifeError("Lenia radius and dt must be positive")
        if self.radius > max(self.width, self.height):
            raise AlifeError(f"Lenia radius {self.radius:g} is wider than the {self.width}x"
                             f"{self.height} grid", where="radius")
        self.start = start
        self.density = float(density)
        self.channel = int(channel)
        if not 0 <= self.channel < self.channels_count:
            raise AlifeError(f"Lenia edit channel {self.channel}; expected 0.."
                             f"{self.channels_count - 1}", where="channel")
        self.rings = tuple(len(k["peaks"]) for k in self.kernels)
        self.cores = tuple(k["core"] for k in self.kernels)
        self.sources = tuple(k["source"] for k in self.kernels)
        self.targets = tuple(k["target"] for k in self.kernels)
        self._distance = lk.torus_distance(self.height, self.width)
        self._start_cells: np.ndarray | None = None
        if sp is not None:
            cells = sp.cells()
            if cells.shape[0] != self.channels_count:
                raise AlifeError(f"the {start} species has {cells.shape[0]} channels; this "
                                 f"world has {self.channels_count}", where="channels")
            cells = library.transform(cells, self.radius / sp.radius, self.rotate)
            h, w = cells.shape[-2:]
            if h > self.height or w > self.width:
                raise AlifeError(f"the {start} creature ({w}x{h} cells at R={self.radius:g}) "
                                 f"does not fit a {self.width}x{self.height} grid")
            self._start_cells = cells

    # ---- config and params ------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "start": self.start,
                "kernels": [dict(k) for k in self.kernels], "channels": self.channels_count,
                "radius": self.radius, "dt": self.dt, "growth": self.growth,
                "density": self.density, "scale": self.scale, "rotate": self.rotate,
                "channel": self.channel}

    def default_params(self) -> ExpandedLeniaParams:
        f32 = jnp.float32
        bmax = max(self.rings)
        peaks = np.zeros((len(self.kernels), bmax), np.float32)
        for i, k in enumerate(self.kernels):
            peaks[i, :len(k["peaks"])] = k["peaks"]

        def column(key: str) -> Array:
            return jnp.asarray([k[key] for k in self.kernels], f32)

        return ExpandedLeniaParams(mu=column("mu"), sigma=column("sigma"),
                                   weight=column("weight"), relative=column("relative"),
                                   dt=jnp.asarray(self.dt, f32),
                                   radius=jnp.asarray(self.radius, f32),
                                   peaks=jnp.asarray(peaks))

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def channels(self) -> int:
        """Number of cell channels C."""
        return self.channels_count

    @property
    def look(self) -> str:  # type: ignore[override]
        return "colormap" if self.channels_count == 1 else "rgb"

    def describe(self) -> str:
        return (f"lenia {self.start} {self.channels_count} channels, {len(self.kernels)} kernels "
                f"R={self.radius:g} {self.width}x{self.height}")

    # ---- start ------------------------------------------------------------------------------
    def init(self, key: Array, params: ExpandedLeniaParams) -> ExpandedLeniaState:
        del params
        c, (h, w) = self.channels_count, self.shape
        if self._start_cells is not None:
            cells = jnp.asarray(place_cells(self.shape, self._start_cells))
        elif self.start == "random":
            side_h, side_w = max(1, h // 2), max(1, w // 2)
            k1, k2 = jax.random.split(key)
            patch = jax.random.uniform(k1, (c, side_h, side_w)) * (
                jax.random.uniform(k2, (c, side_h, side_w)) < self.density)
            top, left = (h - side_h) // 2, (w - side_w) // 2
            cells = jnp.zeros((c, h, w), jnp.float32).at[:, top:top + side_h,
                                                         left:left + side_w].set(patch)
        else:
            cells = jnp.zeros((c, h, w), jnp.float32)
        return ExpandedLeniaState(cells=cells.astype(jnp.float32),
                                  generation=jnp.asarray(0, jnp.int32))

    # ---- dynamics ---------------------------------------------------------------------------
    def kernels_fft(self, params: ExpandedLeniaParams) -> Array:
        """Real rfft2 of every normalised kernel. [K, H, W // 2 + 1] float32."""
        k = lk.kernel_stack(jnp.asarray(self._distance), params.radius, params.relative,
                            params.peaks, self.rings, self.cores)
        return jnp.fft.rfft2(k).real

    def potentials(self, cells: Array, params: ExpandedLeniaParams) -> Array:
        """U_k = K_k * A_source[k], all kernels in one batched FFT. [K, H, W] float32."""
        spectra = jnp.fft.rfft2(cells)
        return jnp.fft.irfft2(spectra[np.asarray(self.sources)] * self.kernels_fft(params),
                              s=self.shape)

    def growths(self, u: Array, params: ExpandedLeniaParams) -> Array:
        """G_k(U_k) for every kernel. [K, H, W]."""
        return lk.growth(u, params.mu[:, None, None], params.sigma[:, None, None], self.growth)

    def channel_growth(self, g: Array, params: ExpandedLeniaParams) -> Array:
        """Weighted mean growth of each channel over the kernels that target it. [C, H, W].

        Sums kernel by kernel (no matrix product, so no reduced-precision matmul on a GPU)."""
        out = []
        for c in range(self.channels_count):
            ks = [i for i, t in enumerate(self.targets) if t == c]
            if not ks:
                out.append(jnp.zeros(self.shape, jnp.float32))
                continue
            total = sum(params.weight[i] for i in ks)
            acc = sum(params.weight[i] * g[i] for i in ks)
            out.append(jnp.where(total > 0, acc / jnp.where(total > 0, total, 1.0), 0.0))
        return jnp.stack(out)

    def step(self, key: Array, state: ExpandedLeniaState,
             params: ExpandedLeniaParams) -> ExpandedLeniaState:
        del key
        g = self.growths(self.potentials(state.cells, params), params)
        cells = jnp.clip(state.cells + params.dt * self.channel_growth(g, params), 0.0, 1.0)
        return ExpandedLeniaState(cells=cells.astype(jnp.float32),
                                  generation=state.generation + 1)

    # ---- views, metrics, edits --------------------------------------------------------------
    def view(self, state: ExpandedLeniaState, params: ExpandedLeniaParams) -> Array:
        del params
        a = jnp.clip(state.cells, 0.0, 1.0)
        if self.channels_count == 1:
            return a[0][..., None].astype(jnp.float32)
        colours = channel_colours(self.channels_count)
        rgb = sum(a[c][..., None] * colours[c] for c in range(self.channels_count))
        return jnp.clip(rgb, 0.0, 1.0).astype(jnp.float32)

    def metrics(self, state: ExpandedLeniaState, params: ExpandedLeniaParams) -> dict[str, Array]:
        """generation, mass (all channels), torus-aware centre of mass x/y (cells), growth_mean
        (mean channel growth where any channel > 0), and `mass_<c>` per channel when C > 1."""
        a = state.cells
        total = jnp.sum(a, axis=0)
        h, w = self.shape
        d = self.channel_growth(self.growths(self.potentials(a, params), params), params)
        alive = a > 0
        count = jnp.sum(alive)
        growth_mean = jnp.where(count > 0, jnp.sum(jnp.where(alive, d, 0.0)) /
                                jnp.maximum(count, 1), 0.0)
        out = {"generation": state.generation, "mass": jnp.sum(total),
               "centre_x": torus_centre(jnp.sum(total, axis=0), w),
               "centre_y": torus_centre(jnp.sum(total, axis=1), h),
               "growth_mean": growth_mean}
        if self.channels_count > 1:
            for c in range(self.channels_count):
                out[f"mass_{c}"] = jnp.sum(a[c])
        return out

    def paint_channel(self, state: ExpandedLeniaState, mask: Array, value: Array,
                      channel: Array) -> ExpandedLeniaState:
        """Set channel `channel` (may be traced) under the [H, W] mask to `value`; a value < 0
        clears every channel there."""
        value = jnp.asarray(value, jnp.float32)
        which = jnp.arange(self.channels_count)[:, None, None] == channel
        level = jnp.clip(value, 0.0, 1.0)
        cells = jnp.where(mask[None] & ((value < 0) | which),
                          jnp.where(value < 0, 0.0, level), state.cells)
        return ExpandedLeniaState(cells=cells.astype(jnp.float32), generation=state.generation)

    def paint(self, state: ExpandedLeniaState, params: ExpandedLeniaParams, mask: Array,
              value: Array) -> ExpandedLeniaState:
        del params
        return self.paint_channel(state, mask, value, jnp.asarray(self.channel))

    def cells(self, state: ExpandedLeniaState) -> Array:
        return state.cells[self.channel]

    def blank(self, params: ExpandedLeniaParams) -> ExpandedLeniaState:
        del params
        return ExpandedLeniaState(cells=jnp.zeros((self.channels_count,) + self.shape,
                                                  jnp.float32),
                                  generation=jnp.asarray(0, jnp.int32))

    def population(self, state: ExpandedLeniaState) -> Array:
        return jnp.sum(state.cells)

    def with_cells(self, state: ExpandedLeniaState, cells: Array) -> ExpandedLeniaState:
        cells = jnp.clip(jnp.asarray(cells, jnp.float32), 0.0, 1.0)
        if cells.shape == (self.channels_count,) + self.shape:
            return ExpandedLeniaState(cells=cells, generation=state.generation)
        if cells.shape != self.shape:
            raise AlifeError(f"Lenia cells of shape {cells.shape}; expected {self.shape} or "
                             f"{(self.channels_count,) + self.shape}")
        return ExpandedLeniaState(cells=state.cells.at[self.channel].set(cells),
                                  generation=state.generation)
