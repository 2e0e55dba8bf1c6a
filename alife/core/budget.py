"""A resource budget: what a request will need, estimated from its shapes before anything is
allocated, against what this process may really use.

`memory_limit()` is the smallest of the process's address-space limit (`RLIMIT_AS`), its cgroup's
memory limit (v2 `memory.max`, v1 `memory.limit_in_bytes`) and the memory available now
(`MemAvailable` in /proc/meminfo), times `SAFETY` (JAX, Python and the allocator's slack take
the rest). `require(key, need, what)` refuses a request needing more with one `AlifeError` that
names the key, the estimate and the limit, so a typo such as `--starts 100000000` ends in one
line, exit 2, rather than an XLA abort, an allocator traceback or an out-of-memory kill.

The estimates are shape arithmetic, made by the callers (`alife measure`: rules x starts x cells
per recorded step; `alife dataset`: a shard's starts x cells x states; `alife evolve`: one
rollout's shapes x the micro-batch x local devices; `alife.scene.limits`: a world's cells and
state); `require_work` bounds the cell updates a request asks for, and `cpu_devices_ok` the CPU
devices `--host-devices` may split the machine into.
"""

from __future__ import annotations

import math
import os
import resource
from pathlib import Path

from alife.core.errors import AlifeError

#: share of the limit a request may plan to use (the runtime, compiled code and copies need
#: the rest)
SAFETY = 0.5
#: the most a request may ask for when nothing tells us a limit (no /proc, no cgroup)
FALLBACK = 16 << 30
#: a cgroup v2 file's value when the group is unlimited
_UNLIMITED = ("max", "")
_CGROUP_FILES = (Path("/sys/fs/cgroup/memory.max"),
                 Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"))


def size_text(n: float) -> str:
    """Bytes in words: `1.5 GiB`, `12.0 MiB`, `512 bytes`."""
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} bytes"


def _address_space() -> int | None:
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return None
    return int(soft)


def _cgroup() -> int | None:
    for path in _CGROUP_FILES:
        try:
            text = path.read_text().strip()
        except OSError:
            continue
        if text in _UNLIMITED or not text.isdigit():
            continue
        value = int(text)
        if value < 1 << 60:  # v1 says "unlimited" with a huge number
            return value
    return None


def _available() -> int | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def limits() -> dict[str, int]:
    """Each known limit by name: `RLIMIT_AS`, `cgroup`, `MemAvailable` (bytes)."""
    found = {"RLIMIT_AS": _address_space(), "cgroup": _cgroup(), "MemAvailable": _available()}
    return {name: value for name, value in found.items() if value is not None}


def memory_limit() -> tuple[int, str]:
    """(bytes a request may plan to use, which limit set it); see the module docstring."""
    known = limits()
    if not known:
        return int(FALLBACK * SAFETY), "default"
    name = min(known, key=lambda k: known[k])
    budget = known[name]
    if name == "RLIMIT_AS":  # the address space holds the interpreter and JAX's runtime too
        budget = max(budget - (768 << 20), 0)
    return int(budget * SAFETY), name


def require(key: str, need: float, what: str) -> None:
    """Refuse (AlifeError at `key`) when `need` bytes exceed `memory_limit()`."""
    if not math.isfinite(need):
        need = float("inf")
    have, source = memory_limit()
    if need > have:
        shown = "more than 1 EiB" if need >= 1 << 60 else f"about {size_text(need)}"
        raise AlifeError(f"{what} needs {shown}; the limit is {size_text(have)} (half of "
                         f"{source}); expected smaller sizes", where=key)


def cpu_devices_ok(n: int, key: str = "--host-devices", most: int | None = None) -> int:
    """`n` CPU devices checked against a ceiling (8 per core, at least 64, at most 4096): each
    device gets its own runtime threads and buffers, and XLA aborts when too many are asked."""
    ceiling = most if most is not None else min(4096, max(64, 8 * (os.cpu_count() or 1)))
    if not 1 <= n <= ceiling:
        raise AlifeError(f"{n} devices; expected 1..{ceiling} (8 per CPU core, at least 64)",
                         where=key)
    return n


#: cell updates one request may plan (about a day of one CPU core at ~1e9 updates a second)
WORK_LIMIT = 1e14


def require_work(key: str, cell_updates: float, what: str, limit: float = WORK_LIMIT) -> None:
    """Refuse (AlifeError at `key`) a request of more than `limit` cell updates."""
    if not cell_updates <= limit:
        raise AlifeError(f"{what} is about {cell_updates:.2g} cell updates; expected at most "
                         f"{limit:.0g} (about a day of CPU time)", where=key)
