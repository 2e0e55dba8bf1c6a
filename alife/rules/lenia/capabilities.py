"""What the app asks of a Lenia world (capabilities of `alife.core.rule`), as mixins of
`LeniaRule` and `ExpandedLeniaRule`:

- `KernelPlots`: each kernel's radial profile, its 2-D image on the world's cells and the growth
  function, for the current params. Host NumPy only, so the Kernel window follows a slider
  without compiling anything; the formula is the one `kernels` runs (Chan's): with B ring
  heights b and d = r / R < 1, ring i = min(floor(B d), B - 1), value b_i core(B d - i).
- `Reshaping`: R is the length scale (`scale_param = "radius"`); `rescaled` zooms the cells by
  new R / old R and `rotated` turns them (`library.rescale` / `library.rotate`), both about the
  creature's centre of mass on the torus (the circular mean), so a creature that glided away
  from the grid's centre is zoomed or turned where it is, not thrown across the torus.
- `CellChannels` (`ExpandedLeniaRule`): each channel's cells and colour; painting one channel.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import jax.numpy as jnp
import numpy as np

from alife.core.rule import Array, CellChannels, KernelCurves, KernelPlots, Reshaping
from alife.rules.lenia import kernels as lk
from alife.rules.lenia import library

#: samples of the radial profile and of the growth curve
PROFILE_POINTS = 257
GROWTH_POINTS = 401
#: the 2-D image shows at most this many cells a side (the centre of a larger kernel)
MAX_IMAGE = 161


# ---- the formula, on the host ------------------------------------------------------------------
def core_np(r: np.ndarray, core: str) -> np.ndarray:
    """Kernel core on one ring, r in [0, 1) (as `kernels.kernel_core`). float64."""
    r = np.asarray(r, np.float64)
    if core in ("exponential", "polynomial"):
        inside = (r > 0.0) & (r < 1.0)
        safe = np.where(inside, r, 0.5)
        if core == "exponential":
            value = np.exp(4.0 - 1.0 / (safe * (1.0 - safe)))
        else:
            value = (4.0 * safe * (1.0 - safe)) ** 4
        return np.where(inside, value, 0.0)
    if core == "step":
        return np.where((r >= 0.25) & (r <= 0.75), 1.0, 0.0)
    if core == "staircase":
        return np.where((r >= 0.25) & (r <= 0.75), 1.0, np.where(r < 0.25, 0.5, 0.0))
    raise ValueError(f"unknown kernel core {core!r}; expected one of {lk.CORES}")


def shell_np(d: np.ndarray, peaks: np.ndarray, core: str) -> np.ndarray:
    """Un-normalised kernel at distances `d` in units of R (as `kernels.kernel_shell`)."""
    peaks = np.asarray(peaks, np.float64)
    rings = len(peaks)
    x = np.asarray(d, np.float64) * rings
    index = np.minimum(np.floor(x).astype(np.int64), rings - 1).clip(0)
    return np.where(np.asarray(d) < 1.0, peaks[index] * core_np(x - index, core), 0.0)


def growth_np(u: np.ndarray, mu: float, sigma: float, kind: str) -> np.ndarray:
    """Growth G(u) in [-1, 1] (as `kernels.growth`). float64."""
    u = np.asarray(u, np.float64)
    if kind == "gaussian":
        return 2.0 * np.exp(-((u - mu) ** 2) / (2.0 * sigma**2)) - 1.0
    if kind == "polynomial":
        return 2.0 * np.maximum(0.0, 1.0 - (u - mu) ** 2 / (9.0 * sigma**2)) ** 4 - 1.0
    if kind == "step":
        return np.where(np.abs(u - mu) <= sigma, 1.0, -1.0)
    raise ValueError(f"unknown growth {kind!r}; expected one of {lk.GROWTHS}")


def growth_range(mu: float, sigma: float, kind: str) -> tuple[float, float]:
    """The potentials the growth plot spans: from 0 past the growth's bump (3 sigma wide for the
    smooth growths, sigma for the step), at most 1."""
    width = sigma if kind == "step" else 3.0 * sigma
    return 0.0, float(min(1.0, max(mu + 2.5 * width, 1.5 * mu, 0.05)))


def _fraction(x: float) -> str:
    from fractions import Fraction

    f = Fraction(x).limit_denominator(12)
    return str(f) if abs(float(f) - x) < 1e-6 else f"{x:.3g}"


def torus_centre_np(weights: np.ndarray) -> float:
    """Centre of mass on a ring of len(weights) cells (the circular mean); 0 when empty."""
    n = len(weights)
    angle = 2.0 * np.pi * np.arange(n) / n
    c, s = float(np.sum(weights * np.cos(angle))), float(np.sum(weights * np.sin(angle)))
    if math.hypot(c, s) <= 0:
        return 0.0
    return (math.atan2(s, c) * n / (2.0 * math.pi)) % n


def about_centre(cells: np.ndarray, change: Any) -> np.ndarray:
    """`change(cells)` (a same-shape map of [..., H, W] cells about the grid's centre) done
    about the cells' centre of mass instead: rolled there, changed, rolled back."""
    a = np.asarray(cells, np.float32)
    h, w = a.shape[-2:]
    total = a.reshape(-1, h, w).sum(axis=0)
    cy, cx = torus_centre_np(total.sum(axis=1)), torus_centre_np(total.sum(axis=0))
    shift = (h // 2 - int(round(cy)), w // 2 - int(round(cx)))
    out = change(np.roll(a, shift, axis=(-2, -1)))
    return np.roll(out, (-shift[0], -shift[1]), axis=(-2, -1))


def rotate_world(cells: np.ndarray, degrees: float) -> np.ndarray:
    """A world's cells [..., H, W] turned `degrees` anticlockwise about cell (H // 2, W // 2):
    the largest odd square centred there is turned (`library.rotate`; quarter turns exact, as
    an odd square has a centre cell) and what falls outside it is cut; cells outside the square
    stay as they were."""
    a = np.asarray(cells, np.float32)
    h, w = a.shape[-2:]
    n = min(h, w)
    n -= (n + 1) % 2
    top, left = h // 2 - n // 2, w // 2 - n // 2
    turned = library.rotate(a[..., top:top + n, left:left + n], degrees)
    off_y, off_x = (turned.shape[-2] - n) // 2, (turned.shape[-1] - n) // 2
    out = a.copy()
    out[..., top:top + n, left:left + n] = turned[..., off_y:off_y + n, off_x:off_x + n]
    return out


# ---- the mixins ---------------------------------------------------------------------------------
class LeniaKernelPlots(KernelPlots):
    """`KernelPlots` for both Lenia rules (one kernel: params scalars and `peaks` [B]; several:
    per-kernel vectors and `peaks` [K, Bmax])."""

    def kernel_rows(self, params: Any) -> list[dict[str, Any]]:
        """Each kernel's numbers for `params`: peaks, core, mu, sigma, relative, weight,
        source, target (host floats)."""
        me: Any = self
        peaks = np.asarray(params.peaks, np.float64)
        if peaks.ndim == 1:
            return [{"peaks": peaks, "core": me.core, "mu": float(params.mu),
                     "sigma": float(params.sigma), "relative": 1.0, "weight": 1.0,
                     "source": 0, "target": 0}]
        mu, sigma = np.asarray(params.mu, np.float64), np.asarray(params.sigma, np.float64)
        rel, weight = np.asarray(params.relative, np.float64), np.asarray(params.weight,
                                                                          np.float64)
        return [{"peaks": peaks[k, :me.rings[k]], "core": me.cores[k], "mu": float(mu[k]),
                 "sigma": float(sigma[k]), "relative": float(rel[k]), "weight": float(weight[k]),
                 "source": me.sources[k], "target": me.targets[k]}
                for k in range(len(me.rings))]

    def kernel_count(self) -> int:
        me: Any = self
        return len(getattr(me, "rings", (1,)))

    def kernel_curves(self, params: Any, index: int) -> KernelCurves:
        me: Any = self
        rows = self.kernel_rows(params)
        row = rows[min(max(int(index), 0), len(rows) - 1)]
        radius = max(float(params.radius) * row["relative"], 1.0)  # as the step clamps it
        distance = np.linspace(0.0, radius, PROFILE_POINTS)
        profile = shell_np(distance / radius, row["peaks"], row["core"])
        # the normalised kernel on the world's torus, centred, cut to the kernel's disc; when
        # the disc fits the grid, only the disc's square is evaluated (it holds every cell the
        # kernel touches, so it normalises the same)
        h, w = me.shape
        reach = int(math.ceil(radius))
        if 2 * reach + 1 <= min(h, w):
            off = np.arange(-reach, reach + 1, dtype=np.float64)
            k = shell_np(np.hypot(off[:, None], off[None, :]) / radius, row["peaks"], row["core"])
            centre = reach
        else:
            dist = lk.torus_distance(h, w).astype(np.float64)
            k = np.fft.fftshift(shell_np(dist / radius, row["peaks"], row["core"]))
            centre = None
        total = k.sum()
        k = k / total if total > 0 else k
        half = min(reach, (MAX_IMAGE - 1) // 2, (k.shape[0] - 1) // 2, (k.shape[1] - 1) // 2)
        cy, cx = (centre, centre) if centre is not None else (h // 2, w // 2)
        image = k[cy - half:cy + half + 1, cx - half:cx + half + 1]
        lo, hi = growth_range(row["mu"], row["sigma"], me.growth)
        u = np.linspace(lo, hi, GROWTH_POINTS)
        g = growth_np(u, row["mu"], row["sigma"], me.growth)
        b = ",".join(_fraction(float(x)) for x in row["peaks"])
        if np.ndim(params.peaks) == 1:
            label = f"R={radius:g}, b={b}, {row['core']}"
        else:
            label = (f"k{index}: channel {row['source']} -> {row['target']}, "
                     f"{row['relative']:.3g} R, b={b}, h={row['weight']:.3g}")
        return KernelCurves(label=label, radius=radius, distance=distance, profile=profile,
                            image=image, u=u, growth=g, mu=row["mu"], sigma=row["sigma"])


class LeniaReshaping(Reshaping):
    """`Reshaping` for both Lenia rules: R with the cells zoomed, and turning the cells."""

    scale_param = "radius"

    def rescaled(self, state: Any, params: Any, value: float) -> tuple[Any, Any]:
        """The world with R set to `value` and its cells zoomed by new R / old R about the
        creature's centre of mass (`library.rescale_world`), so a creature keeps its shape;
        no recompile."""
        factor = float(value) / float(params.radius)
        cells = about_centre(np.asarray(state.cells),
                             lambda a: library.rescale_world(a, factor))
        return (replace(state, cells=jnp.asarray(cells)),
                replace(params, radius=jnp.asarray(value, jnp.float32)))

    def rotated(self, state: Any, params: Any, degrees: float) -> Any:
        """The cells turned `degrees` anticlockwise about the creature's centre of mass
        (quarter turns exact, other angles bilinear: `library.rotate`)."""
        del params
        cells = about_centre(np.asarray(state.cells), lambda a: rotate_world(a, degrees))
        return replace(state, cells=jnp.asarray(cells))


class LeniaChannels(CellChannels):
    """`CellChannels` for `ExpandedLeniaRule` (its `channels`, `paint_channel` and the
    colours its `view` uses)."""

    def channel_colours(self) -> np.ndarray:
        from alife.rules.lenia.expanded import channel_colours

        me: Any = self
        return channel_colours(me.channels)

    def channel_levels(self, state: Any) -> Array:
        return state.cells

    def with_channel(self, state: Any, channel: int, cells: Array) -> Any:
        level = jnp.clip(jnp.asarray(cells, jnp.float32), 0.0, 1.0)
        return replace(state, cells=state.cells.at[int(channel)].set(level))
