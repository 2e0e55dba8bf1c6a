"""Lenia's kernel and growth functions (Chan 2019, "Lenia: Biology of Artificial Life").

The kernel is a stack of concentric rings ("shells") of a smooth bump: with B peak heights
`b[0..B-1]` and a cell at distance `d` (in units of the radius R) from the centre, the ring index is
`i = min(floor(B d), B - 1)` and the kernel value `b[i] * core(B d mod 1)` for `d < 1`, 0 outside.
The core is the exponential bump `exp(4 - 1 / (r (1 - r)))` (Chan's `kn = 1`, peak 1 at r = 1/2)
or the polynomial `(4 r (1 - r))^4` (`kn = 0`). The kernel is normalised to sum 1.

Growth maps the potential `u = K * A` to [-1, 1]: `G(u) = 2 exp(-(u - mu)^2 / (2 sigma^2)) - 1`
(Gaussian), or `2 max(0, 1 - (u - mu)^2 / (9 sigma^2))^4 - 1` (polynomial, Chan's `gn = 0`).

Everything here is traceable in R, mu, sigma and the peaks: the kernel is built on a fixed grid of
torus distances, so R can be a slider without recompiling.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

CORES = ("exponential", "polynomial")
GROWTHS = ("gaussian", "polynomial")


def torus_distance(height: int, width: int) -> np.ndarray:
    """Distance of each cell from cell (0, 0) on an (H, W) torus, in cells. [H, W] float32.

    The kernel built on these distances has its centre at (0, 0), which is what FFT convolution
    wants (no fftshift needed).
    """
    dy = np.minimum(np.arange(height), height - np.arange(height)).astype(np.float64)
    dx = np.minimum(np.arange(width), width - np.arange(width)).astype(np.float64)
    return np.sqrt(dy[:, None] ** 2 + dx[None, :] ** 2).astype(np.float32)


def kernel_core(r: jax.Array, core: str = "exponential") -> jax.Array:
    """The bump on [0, 1]: 0 at both ends, 1 at r = 1/2. Same shape as r."""
    inside = (r > 0.0) & (r < 1.0)
    safe = jnp.where(inside, r, 0.5)
    if core == "exponential":
        value = jnp.exp(4.0 - 1.0 / (safe * (1.0 - safe)))
    elif core == "polynomial":
        value = (4.0 * safe * (1.0 - safe)) ** 4
    else:
        raise ValueError(f"unknown kernel core {core!r}; expected one of {CORES}")
    return jnp.where(inside, value, 0.0)


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
    """rfft2 of the normalised kernel. [H, W // 2 + 1] complex64.

    The kernel is even in both axes on the torus, so its transform is real; keeping the real part
    halves the cost of the product in the convolution.
    """
    k = kernel(distance, radius, peaks, core)
    return jnp.fft.rfft2(k).real


def convolve(cells: jax.Array, k_fft: jax.Array) -> jax.Array:
    """Circular convolution of `cells` [H, W] with a kernel given by its real rfft2. [H, W]."""
    return jnp.fft.irfft2(jnp.fft.rfft2(cells) * k_fft, s=cells.shape)


def growth(u: jax.Array, mu: jax.Array, sigma: jax.Array, kind: str = "gaussian") -> jax.Array:
    """Growth mapping to [-1, 1]: 1 at u = mu, -1 far from it."""
    if kind == "gaussian":
        return 2.0 * jnp.exp(-((u - mu) ** 2) / (2.0 * sigma**2)) - 1.0
    if kind == "polynomial":
        return 2.0 * jnp.maximum(0.0, 1.0 - (u - mu) ** 2 / (9.0 * sigma**2)) ** 4 - 1.0
    raise ValueError(f"unknown growth {kind!r}; expected one of {GROWTHS}")
