"""Lenia glider search from a random start (issue 19 item 5): per seed, wall and CPU time of
`alife evolve scenes/lenia/search_glider.yaml --seed S` and the independent check of the saved
creature (its library entry run for 1000 steps in plain NumPy: centroid speed > 0.05 cells/step,
mass within 2x of its start; `tests/lenia_glider_reference.py`).

    python benchmarks/lenia_glider_search.py [--seeds 0 1 2] [--out runs/glider_search]
                                             [--nice 5] [--set KEY=VALUE ...]

Seeds run one at a time, each in its own `alife evolve` process (under `nice -n N`); the
found-creatures folder is `OUT/found` (not the user's). Prints one Markdown table row per seed
with the load average (1 minute) before and after, and exits 1 if a seed's creature fails the
check or takes 15 minutes or more.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
SCENE = ROOT / "scenes" / "lenia" / "search_glider.yaml"
LIMIT_S = 15 * 60


def one_seed(seed: int, out: Path, nice: int, overrides: list[str]) -> dict:
    from lenia_glider_reference import check_found

    run = out / f"seed{seed}"
    command = ["nice", "-n", str(nice), sys.executable, "-m", "alife", "evolve", str(SCENE),
               "--seed", str(seed), "--out", str(run), "--quiet", "--found-dir",
               str(out / "found")]
    for item in overrides:
        command += ["--set", item]
    load0 = os.getloadavg()[0]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    row = {"seed": seed, "wall": wall, "cpu": cpu, "load": (load0, os.getloadavg()[0]),
           "rc": done.returncode, "found": None, "check": None}
    if done.returncode != 0:
        row["error"] = (done.stderr or done.stdout).strip()[-300:]
        return row
    scenes = sorted((run / "found").glob("*.yaml"))
    if scenes:
        row["found"] = scenes[0]
        row["check"] = check_found(scenes[0])
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "glider_search")
    parser.add_argument("--nice", type=int, default=5)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    args = parser.parse_args(argv)
    print("| seed | wall s | CPU s | load before / after | creature | speed (cells/step) | "
          "mass band | glides |")
    print("|---|---|---|---|---|---|---|---|")
    ok = True
    for seed in args.seeds:
        r = one_seed(seed, args.out, args.nice, args.overrides)
        check = r["check"] or {}
        name = r["found"].stem if r["found"] else ("error: " + r.get("error", "")
                                                   if r["rc"] else "none")
        good = bool(check.get("glides")) and r["wall"] < LIMIT_S
        ok &= good
        print(f"| {seed} | {r['wall']:.0f} | {r['cpu']:.0f} | {r['load'][0]:.2f} / "
              f"{r['load'][1]:.2f} | {name} | {check.get('speed', float('nan')):.3f} | "
              f"{check.get('band', float('nan')):.2f}x | {'yes' if good else 'NO'} |",
              flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
