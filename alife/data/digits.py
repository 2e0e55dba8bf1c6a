"""scikit-learn's 8x8 handwritten digits (1797 images, 0..16 levels), upscaled to `size` px.

The images ship inside scikit-learn (`sklearn.datasets.load_digits`), so no download is needed.
Upscaling is bicubic (`jax.image.resize`), values clipped to [0, 1]: white digit on black.
The train / held-out split is fixed: a permutation of the 1797 indices with NumPy seed 0; the
first `held_out` (default 297) indices are held out, the other 1500 are for training.

Shapes: images are float32 `[N, size, size, 1]`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

NUM_IMAGES = 1797
HELD_OUT = 297


@lru_cache(maxsize=4)
def digits(size: int = 32) -> np.ndarray:
    """All 1797 digits as float32 `[1797, size, size, 1]` in [0, 1] (read-only array)."""
    import jax
    from sklearn.datasets import load_digits

    raw = load_digits().images.astype(np.float32) / 16.0  # [N, 8, 8]
    if size == 8:
        out = raw
    else:
        with jax.ensure_compile_time_eval():  # concrete even if first called under a trace
            out = np.asarray(jax.image.resize(raw, (raw.shape[0], size, size), method="cubic"))
    out = np.clip(out, 0.0, 1.0)[..., None].astype(np.float32)
    out.setflags(write=False)
    return out


def split_indices(held_out: int = HELD_OUT) -> tuple[np.ndarray, np.ndarray]:
    """`(train_idx, held_out_idx)`: the fixed split (NumPy seed 0 permutation)."""
    perm = np.random.default_rng(0).permutation(NUM_IMAGES)
    return np.sort(perm[held_out:]), np.sort(perm[:held_out])


def digits_split(size: int = 32, held_out: int = HELD_OUT) -> tuple[np.ndarray, np.ndarray]:
    """`(train, test)` images, `[1500, size, size, 1]` and `[297, size, size, 1]` by default."""
    images = digits(size)
    train_idx, test_idx = split_indices(held_out)
    return images[train_idx], images[test_idx]
