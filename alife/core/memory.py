"""Flat resident memory for long runs: glibc's allocator asked to give freed memory back.

A long headless run (`alife run`, a checkpointing agents world) holds a steady set of live
buffers, yet its RSS grew by itself: compiling leaves hundreds of MB freed but kept inside
malloc's heaps, and every chunk and checkpoint allocates large transient host buffers (XLA's
outputs, `np.asarray` copies of the state, the `.npz` being written). glibc raises its mmap
threshold each time such a buffer is freed (the "dynamic threshold"), so later buffers of that
size are carved out of the heaps instead of being mapped and unmapped, and freed heap pages are
only returned when they sit at a heap's top. The heaps grow with fragmentation while the memory
in use stays flat (measured with `mallinfo2`: in use constant, heaps and RSS rising).

- `tune_allocator()`: once per process, a fixed mmap threshold (`MMAP_THRESHOLD`), so buffers
  of a MiB or more are mapped and unmapped whole, and the threshold stops moving.
- `release_memory(min_interval_s)`: `malloc_trim(0)`, which hands every free page of every heap
  back to the kernel; at most once per `min_interval_s`.

Both are no-ops off glibc (macOS, musl, Windows) and when `MALLOC_MMAP_THRESHOLD_` is set in the
environment (the user's own choice wins). Neither touches what a computation returns.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from typing import Any

#: mallopt's parameter number for the mmap threshold (glibc malloc.h)
M_MMAP_THRESHOLD = -3
#: buffers at least this large are mapped and unmapped whole (no heap fragmentation)
MMAP_THRESHOLD = 1 << 20
#: the headless runner trims at most this often (a trim walks every heap)
TRIM_EVERY_S = 30.0

_libc: dict[str, Any] = {}
_done = {"tuned": False, "trimmed": float("-inf")}


def _glibc() -> Any | None:
    """The process's glibc (with `mallopt` and `malloc_trim`), or None elsewhere."""
    if "lib" not in _libc:
        lib = None
        if sys.platform.startswith("linux"):
            try:
                candidate = ctypes.CDLL(None)
                if all(hasattr(candidate, name) for name in
                       ("gnu_get_libc_version", "mallopt", "malloc_trim")):
                    lib = candidate
                    lib.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
                    lib.mallopt.restype = ctypes.c_int
                    lib.malloc_trim.argtypes = [ctypes.c_size_t]
                    lib.malloc_trim.restype = ctypes.c_int
            except OSError:
                lib = None
        _libc["lib"] = lib
    return _libc["lib"]


def tune_allocator() -> bool:
    """Fix glibc's mmap threshold at `MMAP_THRESHOLD` (once per process); True if it was set
    now or before. Left alone when `MALLOC_MMAP_THRESHOLD_` is in the environment."""
    if _done["tuned"]:
        return True
    libc = _glibc()
    if libc is None or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    _done["tuned"] = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    return _done["tuned"]


def release_memory(min_interval_s: float = 0.0) -> bool:
    """Return the heaps' free pages to the kernel (`malloc_trim(0)`), unless the last release
    was under `min_interval_s` ago; True if a trim ran."""
    libc = _glibc()
    if libc is None:
        return False
    now = time.monotonic()
    if now - _done["trimmed"] < min_interval_s:
        return False
    libc.malloc_trim(0)
    _done["trimmed"] = time.monotonic()
    return True


def resident_mb(pid: int | str = "self") -> float | None:
    """A process's resident set (`VmRSS`) in MB, or None where /proc has no such entry."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None
