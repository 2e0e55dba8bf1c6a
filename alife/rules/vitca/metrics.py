"""Image quality metrics for denoising: PSNR and SSIM (Wang et al. 2004), written here.

SSIM uses the standard settings: an 11x11 Gaussian window with sigma 1.5, C1 = (0.01 L)^2,
C2 = (0.03 L)^2 with data range L = 1, "valid" filtering (no padding, as in Wang's reference
code), averaged over the map and over channels. Images smaller than the window use the largest
odd window that fits (same sigma), so tiny test grids still get a value.

Shapes: images are `[..., H, W, C]` float in [0, 1]; metrics return one value per image `[...]`.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

Array = jax.Array


def psnr(x: Array, y: Array, data_range: float = 1.0) -> Array:
    """Peak signal-to-noise ratio in dB, per image (MSE floored at 1e-10)."""
    mse = jnp.mean((jnp.asarray(x) - jnp.asarray(y)) ** 2, axis=(-3, -2, -1))
    return 10.0 * jnp.log10(data_range**2 / jnp.maximum(mse, 1e-10))


def gaussian_window(size: int = 11, sigma: float = 1.5) -> np.ndarray:
    """Normalised 1-D Gaussian of `size` taps."""
    r = np.arange(size, dtype=np.float64) - (size - 1) / 2
    g = np.exp(-(r**2) / (2 * sigma**2))
    return (g / g.sum()).astype(np.float32)


def _filter(x: Array, g: Array) -> Array:
    """Separable 'valid' filtering of `[..., H, W, C]` along H then W with taps `g`."""
    n = g.shape[0]
    h, w = x.shape[-3], x.shape[-2]
    rows = sum(g[i] * x[..., i:h - n + 1 + i, :, :] for i in range(n))
    return sum(g[i] * rows[..., :, i:w - n + 1 + i, :] for i in range(n))


def ssim(x: Array, y: Array, data_range: float = 1.0, size: int = 11,
         sigma: float = 1.5) -> Array:
    """Mean structural similarity per image (1 for identical images)."""
    x = jnp.asarray(x, jnp.float32)
    y = jnp.asarray(y, jnp.float32)
    fit = min(size, x.shape[-3], x.shape[-2])
    g = jnp.asarray(gaussian_window(fit - (1 - fit % 2), sigma))
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    mx, my = _filter(x, g), _filter(y, g)
    sxx = _filter(x * x, g) - mx * mx
    syy = _filter(y * y, g) - my * my
    sxy = _filter(x * y, g) - mx * my
    num = (2 * mx * my + c1) * (2 * sxy + c2)
    den = (mx * mx + my * my + c1) * (sxx + syy + c2)
    return jnp.mean(num / den, axis=(-3, -2, -1))
