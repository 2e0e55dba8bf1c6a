"""An independent check of a found Lenia creature: its library entry (Chan's `species.json`
format) run in plain NumPy, not through the engine or the fitness.

The kernel, growth and step are written out from Chan's definitions (Chan 2019; his `LeniaND.py`
numbers `kn`, `gn`): rings of `b` heights of the core (kn 1: `(4r(1-r))^4`, kn 2:
`exp(4 - 1/(r(1-r)))`), normalised to sum 1; growth gn 1: `2 max(0, 1 - (u-m)^2/(9s^2))^4 - 1`,
gn 2: `2 exp(-(u-m)^2/(2s^2)) - 1`; `A <- clip(A + G(K * A) / T, 0, 1)` on a torus by FFT. Mass
and the circular centroid are measured every step; the displacement is the sum of the
centroid's steps, each wrapped into [-n/2, n/2).

The done-when criterion of issue 19 item 5: over 1000 steps the centroid's speed is over 0.05
cells/step and the mass stays within 2x of the start's (both ways).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np

SPEED, BAND, STEPS = 0.05, 2.0, 1000


def _rle_cells(text: str) -> np.ndarray:
    from alife.rules.lenia.library import decode_cells

    return decode_cells(text).astype(np.float64) / 255.0


def _core(r: np.ndarray, kn: int) -> np.ndarray:
    inside = (r > 0) & (r < 1)
    safe = np.where(inside, r, 0.5)
    if kn == 1:
        value = (4 * safe * (1 - safe)) ** 4
    elif kn == 2:
        value = np.exp(4 - 1 / (safe * (1 - safe)))
    else:
        raise ValueError(f"kn {kn} not in this reference")
    return np.where(inside, value, 0.0)


def _growth(u: np.ndarray, m: float, s: float, gn: int) -> np.ndarray:
    if gn == 1:
        return 2 * np.maximum(0, 1 - (u - m) ** 2 / (9 * s**2)) ** 4 - 1
    if gn == 2:
        return 2 * np.exp(-((u - m) ** 2) / (2 * s**2)) - 1
    raise ValueError(f"gn {gn} not in this reference")


def kernel_fft(entry: dict, height: int, width: int) -> np.ndarray:
    (k,) = entry["kernels"]
    peaks = np.array([float(Fraction(p)) for p in str(k["b"]).split(",")])
    dy = np.minimum(np.arange(height), height - np.arange(height))[:, None]
    dx = np.minimum(np.arange(width), width - np.arange(width))[None, :]
    d = np.sqrt(dy**2 + dx**2) / float(entry["R"])
    x = d * len(peaks)
    ring = np.minimum(np.floor(x).astype(int), len(peaks) - 1)
    kern = np.where(d < 1, peaks[ring] * _core(x - ring, int(k["kn"])), 0.0)
    return np.fft.rfft2(kern / kern.sum())


def centre(weights: np.ndarray, n: int) -> float:
    angle = 2 * np.pi * np.arange(n) / n
    return float(np.arctan2((weights * np.sin(angle)).sum(), (weights * np.cos(angle)).sum())
                 * n / (2 * np.pi))


def run_entry(entry: dict, height: int, width: int, steps: int = STEPS) -> dict:
    """Run a one-kernel entry's cells alone at the centre of an (H, W) torus for `steps` steps:
    {speed, band (worst mass ratio to the start, either way), glides (the criterion)}."""
    (k,) = entry["kernels"]
    cells = _rle_cells(entry["cells"])
    a = np.zeros((height, width))
    h, w = cells.shape
    top, left = height // 2 - h // 2, width // 2 - w // 2
    a[np.arange(top, top + h)[:, None] % height, np.arange(left, left + w)[None, :] % width] = \
        cells
    kf = kernel_fft(entry, height, width)
    m, s, gn, dt = float(k["m"]), float(k["s"]), int(entry["gn"]), 1.0 / float(entry["T"])
    mass0 = a.sum()
    masses = [mass0]
    cx, cy = centre(a.sum(axis=0), width), centre(a.sum(axis=1), height)
    moved = np.zeros(2)
    for _ in range(steps):
        u = np.fft.irfft2(np.fft.rfft2(a) * kf, s=a.shape)
        a = np.clip(a + dt * _growth(u, m, s, gn), 0, 1)
        nx, ny = centre(a.sum(axis=0), width), centre(a.sum(axis=1), height)
        moved += [(nx - cx + width / 2) % width - width / 2,
                  (ny - cy + height / 2) % height - height / 2]
        cx, cy = nx, ny
        masses.append(a.sum())
    masses = np.asarray(masses)
    band = float(max(masses.max() / mass0, mass0 / max(masses.min(), 1e-12)))
    speed = float(np.hypot(*moved) / steps)
    return {"speed": speed, "band": band, "glides": bool(speed > SPEED and band <= BAND)}


def check_found(scene: Path, steps: int = STEPS) -> dict:
    """The criterion for a saved creature: its `<code>.json` entry, run in the saved scene's
    grid size."""
    import yaml

    tree = yaml.safe_load(scene.read_text())
    config = tree["rule"]["config"]
    library = json.loads(scene.with_suffix(".json").read_text())
    (entry,) = library["species"]
    return run_entry(entry, int(config["height"]), int(config["width"]), steps)
