"""Roofline probe: this CPU's peak 64-bit bitwise operation rate and memory bandwidth.

Measured once and cached (JSON under `$XDG_CACHE_HOME/alife/roofline.json`, keyed by the CPU
model, core count and how it was measured); `--refresh` measures again. With a C compiler the
kernels are `roofline_kernels.c` built with `-O3 -march=native` (see its header for what is
counted); without one a NumPy fallback measures the same quantities, slower and said so.

- ops: 64-bit word operations (and/or/xor; a vector instruction over 8 words counts 8, a
  ternary-logic instruction that fuses two counts 2) per CPU-second on one core, and per wall
  second with a thread on each core;
- flops: float32 multiply-adds (2 flops each; C only) per CPU-second on one core;
- memory: copy and triad bytes per second (STREAM counting) on arrays far past the caches,
  one thread and one thread per core.

Each figure is the median of 5 runs; the machine is shared, so the per-CPU-second rate is the
steady one and the load average at measurement is stored with the result.

Usage: python benchmarks/roofline_probe.py [--refresh] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

import numpy as np
from cbuild import build, cache_dir, compiler_version, run_kv

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "roofline_kernels.c"
REPEATS = 5
OPS_ITERS = 400_000  # C: 400k passes x 512 words x 32 ops = 6.6e9 word ops (~60 ms a core)
FLOPS_ITERS = 400_000  # 400k passes x 512 x 8 elements x 4 flops = 6.6e9 flops
MEM_MIB = 128  # per array; 3 arrays a thread, ~4x the 32 MiB L3


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (else `platform.processor()`)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> float:
    """The 1-minute load average (0.0 where the OS has none)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def _median_of(fn, key: str) -> float:
    return statistics.median(fn()[key] for _ in range(REPEATS))


def _measure_c(exe: Path, cores: int) -> dict[str, float]:
    def ops(threads: int) -> dict[str, float]:
        r = run_kv(exe, "ops", OPS_ITERS, threads)
        return {"cpu": r["word_ops"] / r["cpu_s"], "wall": r["word_ops"] / r["wall_s"]}

    def flops() -> dict[str, float]:
        r = run_kv(exe, "flops", FLOPS_ITERS, 1)
        return {"cpu": r["flops"] / r["cpu_s"]}

    def mem(threads: int) -> dict[str, float]:
        r = run_kv(exe, "mem", MEM_MIB, threads)
        return {"copy": r["copy_Bps"], "triad": r["triad_Bps"]}

    return {
        "ops_per_cpu_s_core": _median_of(lambda: ops(1), "cpu"),
        "ops_per_wall_s_all": _median_of(lambda: ops(cores), "wall"),
        "flops_per_cpu_s_core": _median_of(flops, "cpu"),
        "copy_Bps_1": _median_of(lambda: mem(1), "copy"),
        "triad_Bps_1": _median_of(lambda: mem(1), "triad"),
        "copy_Bps_all": _median_of(lambda: mem(cores), "copy"),
        "triad_Bps_all": _median_of(lambda: mem(cores), "triad"),
    }


def _np_ops(_: int = 0) -> tuple[float, float, float]:
    """NumPy: (word ops, wall s, CPU s) of in-place xor/and/or passes over 64 Ki words."""
    rng = np.random.default_rng(1)
    x, y, z = (rng.integers(0, 2**63, 1 << 16, dtype=np.uint64) for _ in range(3))
    passes = 600
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(passes):
        np.bitwise_xor(x, y, out=x)
        np.bitwise_and(y, z, out=y)
        np.bitwise_or(z, x, out=z)
    return 3.0 * passes * x.size, time.perf_counter() - w0, time.process_time() - c0


def _np_mem(_: int = 0) -> tuple[float, float]:
    """NumPy: (copy, triad) bytes per second, best of 3, on arrays of MEM_MIB MiB."""
    n = MEM_MIB * 1024 * 1024 // 8
    a, b, c = np.ones(n), np.full(n, 2.0), np.full(n, 0.5)
    copy = triad = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        np.copyto(b, a)
        t1 = time.perf_counter()
        np.multiply(c, 3.0, out=a)
        np.add(a, b, out=a)  # two passes: counted as the 24 bytes STREAM's triad moves
        t2 = time.perf_counter()
        copy, triad = max(copy, 16.0 * n / (t1 - t0)), max(triad, 24.0 * n / (t2 - t1))
    return copy, triad


def _measure_numpy(cores: int) -> dict[str, float]:
    def ops_cpu() -> dict[str, float]:
        n, _, cpu = _np_ops()
        return {"cpu": n / cpu}

    def ops_all() -> dict[str, float]:
        with get_context("spawn").Pool(cores) as pool:  # each worker times itself
            runs = pool.map(_np_ops, range(cores))
        return {"wall": sum(r[0] / r[1] for r in runs)}

    def mem_all() -> dict[str, float]:
        with get_context("spawn").Pool(cores) as pool:
            runs = pool.map(_np_mem, range(cores))
        return {"copy": sum(r[0] for r in runs), "triad": sum(r[1] for r in runs)}

    def flops_cpu() -> dict[str, float]:
        x = np.ones(1 << 16, np.float32)
        c0 = time.process_time()
        for _ in range(300):
            np.multiply(x, np.float32(0.999), out=x)
            np.add(x, np.float32(1e-4), out=x)
        return {"cpu": 2.0 * 300 * x.size / (time.process_time() - c0)}

    one = [_np_mem() for _ in range(REPEATS)]
    return {
        "flops_per_cpu_s_core": _median_of(flops_cpu, "cpu"),
        "ops_per_cpu_s_core": _median_of(ops_cpu, "cpu"),
        "ops_per_wall_s_all": _median_of(ops_all, "wall"),
        "copy_Bps_1": statistics.median(r[0] for r in one),
        "triad_Bps_1": statistics.median(r[1] for r in one),
        "copy_Bps_all": _median_of(mem_all, "copy"),
        "triad_Bps_all": _median_of(mem_all, "triad"),
    }


def probe(refresh: bool = False) -> dict:
    """The machine's peaks (cached; measured when missing, stale or `refresh`)."""
    cores = os.cpu_count() or 1
    exe = build(SOURCE)
    method = f"C ({compiler_version()}, -O3 -march=native)" if exe else "NumPy (no C compiler)"
    key = {"cpu": cpu_model(), "cores": cores, "method": method,
           "source": SOURCE.read_text() if exe else "numpy"}
    path = cache_dir() / "roofline.json"
    if not refresh and path.exists():
        try:
            cached = json.loads(path.read_text())
            if cached.get("key") == key:
                return cached
        except (OSError, ValueError):
            pass
    load = load_average()
    figures = _measure_c(exe, cores) if exe else _measure_numpy(cores)
    result = {"key": key, "cpu": key["cpu"], "cores": cores, "method": method,
              "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "load_average": round(load, 2), **figures}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".roofline-")
    with os.fdopen(fd, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(tmp, path)
    return result


def describe(p: dict) -> list[str]:
    """Human-readable lines for a probe result."""
    return [
        f"CPU {p['cpu']}, {p['cores']} cores; measured {p['measured']} at load "
        f"{p['load_average']:.2f} by {p['method']}",
        f"  bitwise 64-bit word ops: {p['ops_per_cpu_s_core']:.3g} per CPU-second on one core "
        f"(x{p['cores']} = {p['cores'] * p['ops_per_cpu_s_core']:.3g}); "
        f"{p['ops_per_wall_s_all']:.3g} per wall second, {p['cores']} threads",
        f"  float32 flops (multiply-add): {p['flops_per_cpu_s_core']:.3g} per CPU-second on one "
        "core",
        f"  memory, one thread: copy {p['copy_Bps_1'] / 1e9:.1f} GB/s, triad "
        f"{p['triad_Bps_1'] / 1e9:.1f} GB/s; {p['cores']} threads: copy "
        f"{p['copy_Bps_all'] / 1e9:.1f} GB/s, triad {p['triad_Bps_all'] / 1e9:.1f} GB/s",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", action="store_true", help="measure again, ignore the cache")
    parser.add_argument("--json", action="store_true", help="print the JSON record")
    args = parser.parse_args()
    result = probe(args.refresh)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "key"}, indent=1))
    else:
        print("\n".join(describe(result)))
        print(f"  (cached in {cache_dir() / 'roofline.json'}; --refresh to measure again)")


if __name__ == "__main__":
    main()
