"""Lenia's kernel and growth functions (Chan 2019, "Lenia: Biology of Artificial Life"; Chan 2020,
"Lenia and Expanded Universe").

The kernel is a stack of concentric rings ("shells") of one core function: with B peak heights
`b[0..B-1]` and a cell at distance `d` (in units of the radius R) from the centre, the ring index is
`i = min(floor(B d), B - 1)` and the kernel value `b[i] * core(B d - i)` for `d < 1`, 0 outside.
The kernel is normalised to sum 1. Growth maps the potential `u = K * A` to [-1, 1].

Names follow what Chan's executed code runs. His Python (`LeniaND.py`, and `LeniaNDKC.py` for
several kernels and channels) picks the kernel core by `kn` and the growth by `gn`, 1-based
(`kernel_core[kn - 1]`, `growth_func[gn - 1]`); his JavaScript (`Lenia.html`) names them:

| Chan's `kn` | JavaScript | function his code runs, on r in [0, 1)         | ours          |
|-------------|------------|------------------------------------------------|---------------|
| 1           | `quad4`    | `(4 r (1 - r))^4`                              | `polynomial`  |
| 2           | `bump4`    | `exp(4 - 1 / (r (1 - r)))`                     | `exponential` |
| 3           | `stpz1/4`  | `1 if 1/4 <= r <= 3/4 else 0`                  | `step`        |
| 4           | `life`     | step, plus 1/2 for r < 1/4                     | `staircase`   |

| Chan's `gn` | JavaScript | function his code runs                          | ours         |
|-------------|------------|-------------------------------------------------|--------------|
| 1           | `quad4`    | `2 max(0, 1 - (u - m)^2 / (9 s^2))^4 - 1`       | `polynomial` |
| 2           | `gaus`     | `2 exp(-(u - m)^2 / (2 s^2)) - 1`               | `gaussian`   |
| 3           | `stpz`     | `1 if abs(u - m) <= s else -1`                  | `step`       |

(`CHAN_KN`, `CHAN_GN` below.) Everything here is traceable in R, mu, sigma and the peaks: the
kernel is built on a fixed grid of torus distances, so R can be a slider without recompiling.
"""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np

CORES = ("polynomial", "exponential", "step", "staircase")
GROWTHS = ("polynomial", "gaussian", "step")
#: Chan's `kn` and `gn` numbers (as `LeniaND.py` and `LeniaNDKC.py` index their function
#: tables, `kn - 1` and `gn - 1`) -> our names
CHAN_KN = {1: "polynomial", 2: "exponential", 3: "step", 4: "staircase"}
CHAN_GN = {1: "polynomial", 2: "gaussian", 3: "step"}
#: the names in Chan's JavaScript catalogue (`k=bump4`, `d=gaus(m,s)`) -> ours
JS_CORES = {"quad4": "polynomial", "bump4": "exponential", "stpz1/4": "step", "life": "staircase"}
JS_GROWTHS = {"quad4": "polynomial", "gaus": "gaussian", "stpz": "step"}


def torus_distance(height: int, width: int) -> np.ndarray:
    """Distance of each cell from cell (0, 0) on an (H, W) torus, in cells. [H, W] float32.

    The kernel built on these distances has its centre at (0, 0), which is what FFT convolution
    wants (no fftshift needed).
    """
    dy = np.minimum(np.arange(height), height - np.arange(height)).astype(np.float64)
    dx = np.minimum(np.arange(width), width - np.arange(width)).astype(np.float64)
    return np.sqrt(dy[:, None] ** 2 + dx[None, :] ** 2).astype(np.float32)


def kernel_core(r: jax.Array, core: str = "exponential") -> jax.Array:
    """The core on one ring, r in [0, 1) (0 at the ends for the smooth cores, which peak at 1 at
    r = 1/2). Same shape as r."""
    if core in ("exponential", "polynomial"):
        inside = (r > 0.0) & (r < 1.0)
        safe = jnp.where(inside, r, 0.5)
        if core == "exponential":
            value = jnp.exp(4.0 - 1.0 / (safe * (1.0 - safe)))
        else:
            value = (4.0 * safe * (1.0 - safe)) ** 4
        return jnp.where(inside, value, 0.0)
    if core == "step":
        return jnp.where((r >= 0.25) & (r <= 0.75), 1.0, 0.0)
    if core == "staircase":
        return jnp.where((r >= 0.25) & (r <= 0.75), 1.0, jnp.where(r < 0.25, 0.5, 0.0))
    raise ValueError(f"unknown kernel core {core!r}; expected one of {CORES}")


def kernel_shell(d: jax.Array, peaks: jax.Array, core: str = "exponential") -> jax.Array:
    """Un-normalised kernel at distances `d` (in units of R): rings of heights `peaks` [B]."""
    rings = peaks.shape[0]
    x = d * rings
    index = jnp.minimum(jnp.floor(x).astype(jnp.int32), rings - 1)
    value = peaks[index] * kernel_core(x - index, core)
    return jnp.where(d < 1.0, value, 0.0)


def kernel(distance: jax.Array, radius: jax.Array, peaks: jax.Array,
           core: str = "exponential") -> jax.Array:
    """The normalised kernel (sums to 1) on a grid of cell distances. [H, W] float32.

    `radius` may be traced; it is clamped to >= 1 cell. An all-zero kernel (nothing inside the
    radius) stays all zero instead of dividing by zero.
    """
    r = jnp.maximum(jnp.asarray(radius, jnp.float32), 1.0)
    k = kernel_shell(distance / r, jnp.asarray(peaks, jnp.float32), core)
    total = jnp.sum(k)
    return jnp.where(total > 0, k / jnp.where(total > 0, total, 1.0), 0.0)


def kernel_fft(distance: jax.Array, radius: jax.Array, peaks: jax.Array,
               core: str = "exponential") -> jax.Array:
    """rfft2 of the normalised kernel. [H, W // 2 + 1] float32.

    The kernel is even in both axes on the torus, so its transform is real; keeping the real part
    halves the cost of the product in the convolution.
    """
    k = kernel(distance, radius, peaks, core)
    return jnp.fft.rfft2(k).real


def kernel_stack(distance: jax.Array, radius: jax.Array, relative: jax.Array, peaks: jax.Array,
                 rings: Sequence[int], cores: Sequence[str]) -> jax.Array:
    """K normalised kernels at once (Chan's "Expanded Universe"). [K, H, W] float32.

    Kernel k has radius `radius * relative[k]` (clamped to >= 1 cell), `rings[k]` rings whose
    heights are `peaks[k, :rings[k]]` (`peaks` [K, Bmax], padded) and the core `cores[k]`.
    `rings` and `cores` are static; every array may be traced.
    """
    count = len(rings)
    r = jnp.maximum(jnp.asarray(radius, jnp.float32) * jnp.asarray(relative, jnp.float32), 1.0)
    d = distance[None] / r[:, None, None]
    b = jnp.asarray(rings, jnp.int32)[:, None, None]
    x = d * b.astype(jnp.float32)
    index = jnp.minimum(jnp.floor(x).astype(jnp.int32), b - 1)
    height = jnp.take_along_axis(jnp.asarray(peaks, jnp.float32),
                                 index.reshape(count, -1), axis=1).reshape(index.shape)
    local = x - index
    value = jnp.zeros_like(local)
    for name in dict.fromkeys(cores):
        chosen = np.array([c == name for c in cores])[:, None, None]
        value = jnp.where(chosen, kernel_core(local, name), value)
    k = jnp.where(d < 1.0, height * value, 0.0)
    total = jnp.sum(k, axis=(1, 2), keepdims=True)
    return jnp.where(total > 0, k / jnp.where(total > 0, total, 1.0), 0.0)


def convolve(cells: jax.Array, k_fft: jax.Array) -> jax.Array:
    """Circular convolution of `cells` [H, W] with a kernel given by its real rfft2. [H, W]."""
    return jnp.fft.irfft2(jnp.fft.rfft2(cells) * k_fft, s=cells.shape)


def growth(u: jax.Array, mu: jax.Array, sigma: jax.Array, kind: str = "gaussian") -> jax.Array:
    """Growth mapping to [-1, 1]: 1 at u = mu, -1 far from it."""
    if kind == "gaussian":
        return 2.0 * jnp.exp(-((u - mu) ** 2) / (2.0 * sigma**2)) - 1.0
    if kind == "polynomial":
        return 2.0 * jnp.maximum(0.0, 1.0 - (u - mu) ** 2 / (9.0 * sigma**2)) ** 4 - 1.0
    if kind == "step":
        return jnp.where(jnp.abs(u - mu) <= sigma, 1.0, -1.0)
    raise ValueError(f"unknown growth {kind!r}; expected one of {GROWTHS}")
