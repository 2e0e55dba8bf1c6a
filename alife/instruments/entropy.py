"""Shannon entropy of cell states and of blocks of cells (bits).

- `cell_entropy(x)`: entropy of the distribution of single cell values, in bits per cell
  (1 for fair coin flips, 0 for a uniform diagram).
- `block_entropy(diagram, block)`: entropy of the distribution of all (overlapping) blocks of the
  given shape, e.g. `(1, 4)` for runs of 4 cells in a row or `(2, 2)` for 2x2 space-time blocks,
  divided by the number of cells per block (bits per cell). Blocks do not wrap around edges.
  Below `cell_entropy` when neighbouring cells are correlated (structure), equal for independent
  cells (when the sample is large enough: with N blocks the estimate is at most log2(N)/cells).
"""

from __future__ import annotations

import numpy as np


def _entropy_of_counts(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return max(0.0, float(-(p * np.log2(p)).sum())) if p.size else 0.0


def cell_entropy(cells: np.ndarray) -> float:
    """Shannon entropy (bits) of the values of all cells."""
    _, counts = np.unique(np.asarray(cells).reshape(-1), return_counts=True)
    return _entropy_of_counts(counts)


def block_entropy(diagram: np.ndarray, block: tuple[int, ...] = (2, 2)) -> float:
    """Entropy (bits per cell) of the overlapping blocks of shape `block` in `diagram`."""
    x = np.asarray(diagram)
    if len(block) != x.ndim:
        raise ValueError(f"block {block} must have one size per axis of a {x.ndim}-D diagram")
    if any(b < 1 or b > n for b, n in zip(block, x.shape, strict=True)):
        raise ValueError(f"block {block} does not fit a diagram of shape {x.shape}")
    _, x = np.unique(x.reshape(-1), return_inverse=True)
    x = x.reshape(np.asarray(diagram).shape).astype(np.int64)
    base = int(x.max()) + 1
    windows = np.lib.stride_tricks.sliding_window_view(x, block)
    flat = windows.reshape(windows.shape[:x.ndim] + (-1,)).reshape(-1, int(np.prod(block)))
    if base ** flat.shape[1] < 2**62:  # encode each block as one integer
        codes = flat @ (base ** np.arange(flat.shape[1], dtype=np.int64))
        _, counts = np.unique(codes, return_counts=True)
    else:
        _, counts = np.unique(flat, axis=0, return_counts=True)
    return _entropy_of_counts(counts) / flat.shape[1]
