"""GPU suite: every family's step and the main benchmarks on whatever JAX backend is present.

One script, one table: backend, device, then for each case the world size, steps timed, steps/s
and cell updates/s (compile time is reported separately). It runs on CPU too (with `--quick`, the
sizes shrink), so it is tried here before it is sent to a GPU machine. Each case is bounded by
`--budget` seconds of timed work; a case that fails prints its error in the table and the suite
goes on.

Cases: every registered family at its bench config (`BENCH`: Life 4096^2 bit-packed and Life-like
Generations, rule 110 on 2^22 cells, Lenia Orbium 512^2 and 1024^2, Growing NCA 256^2, ViTCA 128^2,
and Biomaker / agent worlds when those families are registered), otherwise its registry example.

Usage: python benchmarks/gpu_suite.py [--quick] [--budget 20] [--only life,lenia]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import jax

from alife.core import registry, rollout

#: (label, family, config) run by the suite; families not listed run their registry example
BENCH: list[tuple[str, str, dict[str, Any]]] = [
    ("Life B3/S23 packed", "life", {"rule": "B3/S23", "width": 4096, "height": 4096}),
    ("Life B36/S23 packed", "life", {"rule": "B36/S23", "width": 4096, "height": 4096}),
    ("Brian's Brain", "life", {"rule": "/2/3", "width": 2048, "height": 2048}),
    ("LtL Bosco R5", "life", {"rule": "R5,C0,M1,S34..58,B34..45,NM", "width": 1024,
                              "height": 1024}),
    ("rule 110", "elementary", {"rule": 110, "width": 1 << 22, "history": 256}),
    ("Lenia Orbium 512", "lenia", {"width": 512, "height": 512}),
    ("Lenia Orbium 1024", "lenia", {"width": 1024, "height": 1024}),
    ("Growing NCA 256", "nca", {"width": 256, "height": 256}),
    ("ViTCA 128", "vitca", {"width": 128, "height": 128}),
    ("Biomaker 72x128", "biomaker", {"preset": "persistence", "width": "landscape",
                                     "height": 72, "net": "extended"}),
    ("Agents 128 slots", "agents", {}),
]
QUICK_SHRINK = 8  # --quick divides every side by this (at least 32 cells)


def _shrunk(config: dict[str, Any]) -> dict[str, Any]:
    small = dict(config)
    for key in ("width", "height"):
        if isinstance(small.get(key), int):
            small[key] = max(32, small[key] // QUICK_SHRINK)
    return small


def _cases(only: set[str] | None, quick: bool) -> list[tuple[str, str, dict[str, Any]]]:
    families = registry.families()
    cases = [c for c in BENCH if c[1] in families]
    listed = {c[1] for c in BENCH}
    cases += [(f"{name} (example)", name, dict(f.example)) for name, f in sorted(families.items())
              if name not in listed]
    if only:
        cases = [c for c in cases if c[1] in only]
    return [(label, fam, _shrunk(cfg) if quick else cfg) for label, fam, cfg in cases]


def measure(family: str, config: dict[str, Any], budget: float) -> dict[str, Any]:
    """Compile seconds, steps timed and steps/s of one family config."""
    rule = registry.create(family, **config)
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    state = rule.init(key, params)
    t0 = time.perf_counter()
    state = jax.block_until_ready(rollout.run(rule, key, state, params, 1))
    compile_s = time.perf_counter() - t0
    steps, elapsed = 1, 0.0
    while elapsed < budget / 4 and steps < 1 << 20:  # grow the run until it is long enough
        steps *= 4
        t0 = time.perf_counter()
        state = jax.block_until_ready(rollout.run(rule, key, state, params, steps))
        elapsed = time.perf_counter() - t0
    h, w = rule.shape
    cells = w if family == "elementary" else h * w  # a 1-D rule updates one row per step
    return {"shape": f"{w}x{h}", "compile_s": compile_s, "steps": steps,
            "steps_per_s": steps / elapsed, "cells_per_s": steps * cells / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small worlds (a CPU smoke run)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="about this many seconds of timed work per case")
    parser.add_argument("--only", default="", help="comma-separated families")
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()} or None
    device = jax.devices()[0]
    print(f"backend {jax.default_backend()}; device {device.device_kind} ({device.platform}); "
          f"{jax.device_count()} device(s); jax {jax.__version__}")
    print(f"{'case':<26} {'world':>12} {'compile s':>10} {'steps':>8} {'steps/s':>11} "
          f"{'cell updates/s':>15}")
    for label, family, config in _cases(only, args.quick):
        try:
            r = measure(family, config, args.budget)
        except Exception as exc:  # report and go on: one broken case must not hide the rest
            print(f"{label:<26} failed: {type(exc).__name__}: {str(exc)[:80]}")
            continue
        print(f"{label:<26} {r['shape']:>12} {r['compile_s']:>10.2f} {r['steps']:>8} "
              f"{r['steps_per_s']:>11.1f} {r['cells_per_s']:>15.3e}", flush=True)


if __name__ == "__main__":
    main()
