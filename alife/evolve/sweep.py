"""Sweeps: many independent evolution runs (configs x seeds), each `alife evolve` in its own
process and folder, run by a local pool of workers or on a Ray cluster; one summary table.

```yaml
scene: ../scenes/evolve/lenia_mover.yaml   # relative to the sweep file
out: runs/sweeps/lenia                     # relative to the working directory
seeds: [0, 1, 2]                           # or a count: 3 -> 0, 1, 2
workers: 2                                 # parallel processes (local)
configs:                                   # each: a name, evolution keys, optional --set lines
  - {name: pgpe, strategy: pgpe}
  - {name: cma, strategy: cma_es, population: 16, set: ["rule.config.width=48"]}
```

Every key is checked (`SweepFile`, `alife.core.config`); a typo, in the file or in a config's
evolution keys, is refused with the nearest valid key. Run `r` writes `out/<config>/seed<k>/`
(the files of `alife.evolve.loop`, plus `log.txt`), and `result.json` when it finishes.
Running the sweep again skips finished runs and resumes the others from their checkpoints, so
a killed sweep continues where it was. The summary
(`out/summary.csv`, printed) has one row per run: config, seed, generations, best_ever, the last
generation's mean, seconds, status.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from alife.core.config import parse_block, setting, unknown_key
from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write_text

COLUMNS = ["config", "seed", "generations", "best_ever", "mean", "seconds", "status"]


@dataclass
class Run:
    """One run of a sweep: the `alife evolve` arguments and its folder."""

    config: str
    seed: int
    folder: Path
    args: list[str] = field(default_factory=list)

    def command(self, resume: bool) -> list[str]:
        return [sys.executable, "-m", "alife", "evolve", *self.args, "--out", str(self.folder),
                "--seed", str(self.seed), "--quiet", *(["--resume"] if resume else [])]


@dataclass(frozen=True)
class SweepFile:
    """A sweep file's keys (module docstring), declared with `alife.core.config`."""

    scene: str = setting(doc="the scene, relative to the sweep file")
    out: str | None = setting(None, doc="the sweep folder (relative to the working directory)")
    seeds: int | list[int] = setting([0], low=0, high=2**32 - 1,
                                     doc="seeds, or a count n for 0 .. n - 1")
    workers: int | None = setting(None, low=1, high=4096, doc="parallel processes (local)")
    configs: list[dict[str, Any]] | None = setting(
        None, doc="each: a name, evolution keys, optional `set:` lines")


#: keys of a config entry beyond the evolution block's
CONFIG_KEYS = ("name", "set")


def _config_keys() -> list[str]:
    """Keys a config entry may hold: its own, every part's of the evolution block, and those of
    every fitness (the run checks them for its own fitness when it loads the scene)."""
    from alife import families
    from alife.core.config import block_keys
    from alife.evolve import fitness
    from alife.evolve.settings import PARTS

    keys = set(CONFIG_KEYS) | {"genome"} | {k for cls in PARTS for k in block_keys(cls)}
    for entry in [*fitness.GENERIC.values(), *families.fitness_entries().values()]:
        if entry.settings is not None:
            keys.update(block_keys(entry.settings))
    return sorted(keys)


def load_sweep(path: str | Path) -> tuple[list[Run], Path, int]:
    """(runs, out folder, workers) of a sweep file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise AlifeError(f"cannot read the sweep ({exc})", where=str(path)) from None
    try:
        spec = parse_block(SweepFile, data, "")
    except AlifeError as exc:
        raise exc.at(str(path)) from None
    scene = Path(spec.scene)
    scene = scene if scene.is_absolute() else path.parent / scene
    if not scene.is_file():
        raise AlifeError(f"scene not found: {scene}", where=f"{path}: scene")
    seeds = list(range(spec.seeds)) if isinstance(spec.seeds, int) else list(spec.seeds)
    configs = spec.configs or [{"name": "default"}]
    out = Path(spec.out or Path("runs") / "sweeps" / path.stem)
    known = _config_keys()
    runs: list[Run] = []
    names = set()
    for i, cfg in enumerate(configs):
        for key in cfg:
            if key not in known:
                raise unknown_key(key, known, f"configs.{i}").at(str(path))
        cfg = dict(cfg)
        name = str(cfg.pop("name", f"config{i}"))
        if name in names:
            raise AlifeError(f"config name {name!r} appears twice", where=f"{path}: configs")
        names.add(name)
        args = [str(scene)]
        lines = cfg.pop("set", []) or []
        if not isinstance(lines, list):
            raise AlifeError(f"got {lines!r}; expected a list of key=value lines",
                             where=f"{path}: configs.{i}.set")
        for line in lines:
            args += ["--set", str(line)]
        for key, value in cfg.items():
            args += ["--set", f"evolution.{key}={json.dumps(value)}"]
        runs += [Run(name, s, out / name / f"seed{s}", args) for s in seeds]
    workers = spec.workers or max(1, (os.cpu_count() or 2) // 2)
    return runs, out, workers


def _result(run: Run) -> dict[str, Any] | None:
    path = run.folder / "result.json"
    return json.loads(path.read_text()) if path.exists() else None


def execute(run: Run) -> dict[str, Any]:
    """Run (or resume, or skip if finished) one run in a subprocess; returns its summary row."""
    done = _result(run)
    if done is not None:
        return done
    run.folder.mkdir(parents=True, exist_ok=True)
    resume = (run.folder / "checkpoint.npz").exists()
    t0 = time.monotonic()
    command = run.command(resume)
    with (run.folder / "log.txt").open("a") as log:
        log.write("$ " + " ".join(command) + "\n")
        log.flush()
        rc = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT)
    row = summarise(run, time.monotonic() - t0, "done" if rc == 0 else f"failed ({rc})")
    if rc == 0:
        atomic_write_text(run.folder / "result.json", json.dumps(row))
    return row


def summarise(run: Run, seconds: float, status: str) -> dict[str, Any]:
    log = run.folder / "metrics.jsonl"
    rows = [json.loads(x) for x in log.read_text().splitlines() if x.strip()] \
        if log.exists() else []
    last = rows[-1] if rows else {}
    return {"config": run.config, "seed": run.seed, "generations": last.get("step", 0),
            "best_ever": last.get("best_ever"), "mean": last.get("mean"),
            "seconds": round(seconds, 2), "status": status}


def run_local(runs: list[Run], workers: int) -> list[dict[str, Any]]:
    """Every run, `workers` at a time, each in its own process."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(execute, runs))


def run_ray(runs: list[Run], address: str) -> list[dict[str, Any]]:
    """Every run as a Ray task on the cluster at `address` (the folders must be on a file
    system the workers share; each worker needs alife installed)."""
    try:
        import ray
    except ImportError:
        raise AlifeError("--ray needs the ray package: pip install 'alife[ray]'") from None
    ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    remote = ray.remote(num_cpus=1)(execute)
    return ray.get([remote.remote(r) for r in runs])


def write_summary(out: Path, rows: list[dict[str, Any]]) -> str:
    """`out/summary.csv`; returns the table as aligned text."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "summary.csv", buf.getvalue())
    cells = [COLUMNS] + [[_fmt(r.get(c)) for c in COLUMNS] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True))
                     for row in cells)


def _fmt(v: Any) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)
