"""Compression complexity: how far zlib (DEFLATE) and lzma shrink a space-time diagram.

Used as a complexity proxy by Zhang et al. 2024 ("Intelligence at the Edge of Chaos"). Binary
diagrams are bit-packed first (8 cells per byte) so that the ratio of a random diagram is about 1;
diagrams with more states keep one byte per cell. The ratio is compressed bytes / input bytes:
near 0 for uniform or periodic diagrams, near (or just above, from headers) 1 for random ones.
"""

from __future__ import annotations

import lzma
import zlib

import numpy as np


def as_bytes(diagram: np.ndarray) -> bytes:
    """Cells as bytes: bit-packed when every value is 0 or 1, else one byte per cell."""
    arr = np.asarray(diagram).reshape(-1)
    if arr.size and arr.min() >= 0 and arr.max() <= 1:
        return np.packbits(arr.astype(np.uint8)).tobytes()
    return arr.astype(np.uint8).tobytes()


def zlib_ratio(diagram: np.ndarray) -> float:
    """zlib level-9 compressed size / packed size."""
    data = as_bytes(diagram)
    return len(zlib.compress(data, 9)) / max(len(data), 1)


def lzma_ratio(diagram: np.ndarray) -> float:
    """lzma (xz preset 6, raw LZMA2 stream, no container header) compressed size / packed size."""
    data = as_bytes(diagram)
    filters = [{"id": lzma.FILTER_LZMA2, "preset": 6}]
    out = lzma.compress(data, format=lzma.FORMAT_RAW, filters=filters)
    return len(out) / max(len(data), 1)
