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
import re
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alife.core.config import parse_block, setting, unknown_key
from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write_text, write_error

#: largest sweep file read (a sweep lists configs; a few KB is typical)
MAX_SWEEP_BYTES = 1 << 20
#: most runs (seeds x configs) one sweep may plan
MAX_RUNS = 10_000
#: longest config name (it is a folder name)
MAX_NAME = 64
NAME = re.compile(rf"[A-Za-z0-9_][A-Za-z0-9._-]{{0,{MAX_NAME - 1}}}")
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

    scene: str = setting(path="file", doc="the scene, relative to the sweep file")
    out: str | None = setting(None, path="cwd",
                               doc="the sweep folder (relative to the working directory)")
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


def _read(path: Path) -> Any:
    """The sweep file's YAML value: a regular file of at most MAX_SWEEP_BYTES, UTF-8, with the
    scene loader's limits on nesting and alias expansion; one-line AlifeError otherwise."""
    from alife.core.safeio import read_text
    from alife.scene import safeyaml

    text = read_text(path, MAX_SWEEP_BYTES, "a sweep file (.yaml)")
    try:
        return safeyaml.construct(safeyaml.compose(text))
    except safeyaml.ERRORS as exc:
        problem, line = safeyaml.describe(exc)
        raise AlifeError(f"invalid YAML ({' '.join(problem.split())[:120]}); expected a YAML "
                         "mapping with scene, seeds, configs",
                         where=f"{path}:{line}" if line is not None else str(path)) from None


def check_name(name: Any, where: str) -> str:
    """A config name usable as one folder inside the sweep's `out`: no path separators, no
    `..`, not absolute, at most MAX_NAME characters."""
    if isinstance(name, bool) or not isinstance(name, str | int):
        raise AlifeError(f"got {str(name)[:40]!r}; expected a name (letters, digits, . _ -)",
                         where=where)
    text = str(name)
    if not NAME.fullmatch(text) or text in (".", "..") or text == "summary.csv":
        raise AlifeError(f"got {text[:60]!r}; expected a folder name of letters, digits, "
                         f". _ - (at most {MAX_NAME} characters, no path separators or ..) "
                         "that stays inside the sweep's out folder", where=where)
    return text


def _value(value: Any, where: str) -> str:
    try:
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise AlifeError(f"got {str(value)[:40]!r} ({exc}); expected numbers, strings, lists "
                         "or mappings", where=where) from None


def load_sweep(path: str | Path, max_runs: int | None = None) -> tuple[list[Run], Path, int]:
    """(runs, out folder, workers) of a sweep file; every key, type and name checked, and the
    grid capped at `max_runs` (default MAX_RUNS) before it is built."""
    path = Path(path)
    data = _read(path)
    try:
        spec = parse_block(SweepFile, data, "")
    except AlifeError as exc:
        raise exc.at(str(path)) from None
    scene = Path(spec.scene)
    scene = scene if scene.is_absolute() else path.parent / scene
    if not scene.is_file():
        raise AlifeError(f"scene not found: {scene}; expected a scene file (.yaml)",
                         where=f"{path}: scene")
    configs = spec.configs if spec.configs is not None else [{"name": "default"}]
    if not configs:
        raise AlifeError("got an empty list; expected at least one config",
                         where=f"{path}: configs")
    n_seeds = spec.seeds if isinstance(spec.seeds, int) else len(spec.seeds)
    cap = MAX_RUNS if max_runs is None else max_runs
    if n_seeds * len(configs) > cap:
        raise AlifeError(f"{n_seeds:,} seeds x {len(configs):,} configs = "
                         f"{n_seeds * len(configs):,} runs; expected at most {cap:,}",
                         where=f"{path}: seeds")
    if n_seeds == 0:
        raise AlifeError("no seeds; expected a count >= 1 or a list of seeds",
                         where=f"{path}: seeds")
    seeds = list(range(spec.seeds)) if isinstance(spec.seeds, int) else list(spec.seeds)
    if len(set(seeds)) != len(seeds):
        raise AlifeError("a seed appears twice; expected distinct seeds", where=f"{path}: seeds")
    out = Path(spec.out or Path("runs") / "sweeps" / path.stem)
    if out.exists() and not out.is_dir():
        raise AlifeError("is a file; expected a folder for the sweep's runs",
                         where=f"{path}: out ({out})")
    known = _config_keys()
    runs: list[Run] = []
    names = set()
    for i, cfg in enumerate(configs):
        here = f"{path}: configs.{i}"
        for key in cfg:
            if key not in known:
                raise unknown_key(key, known, f"configs.{i}").at(str(path))
        cfg = dict(cfg)
        name = check_name(cfg.pop("name", f"config{i}"), f"{here}.name")
        if name in names:
            raise AlifeError(f"config name {name!r} appears twice", where=f"{path}: configs")
        names.add(name)
        args = [str(scene)]
        lines = cfg.pop("set", []) or []
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise AlifeError(f"got {str(lines)[:40]!r}; expected a list of key=value lines",
                             where=f"{here}.set")
        for line in lines:
            args += ["--set", line]
        for key, value in cfg.items():
            args += ["--set", f"evolution.{key}={_value(value, f'{here}.{key}')}"]
        runs += [Run(name, s, out / name / f"seed{s}", args) for s in seeds]
    workers = spec.workers or max(1, (os.cpu_count() or 2) // 2)
    return runs, out, workers


def _result(run: Run) -> dict[str, Any] | None:
    path = run.folder / "result.json"
    try:
        return json.loads(path.read_text()) if path.is_file() else None
    except (OSError, ValueError):
        return None  # unreadable or half written by an older version: run it again


def last_line(path: Path, limit: int = 4096) -> str:
    """The last non-empty line of a log file (its end only), or ""."""
    try:
        with path.open("rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - limit))
            lines = f.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    lines = [x.strip() for x in lines if x.strip() and not x.startswith("$ ")]
    return lines[-1][:240] if lines else ""


def failure(run: Run, rc: int) -> str:
    """Why a run's process failed, for the terminal: exit status and its last stderr line."""
    import signal

    if rc < 0:
        try:
            how = f"killed by {signal.Signals(-rc).name}"
        except ValueError:
            how = f"killed by signal {-rc}"
    else:
        how = f"exit {rc}"
    reason = last_line(run.folder / "log.txt")
    return f"{run.config}/seed{run.seed} failed ({how}): {reason or 'no message'} " \
           f"(log {run.folder / 'log.txt'})"


def execute(run: Run) -> dict[str, Any]:
    """Run (or resume, or skip if finished) one run in a subprocess; returns its summary row
    (a failed run's row carries `reason`, its last stderr line)."""
    done = _result(run)
    if done is not None:
        return done
    log_path = run.folder / "log.txt"
    try:
        run.folder.mkdir(parents=True, exist_ok=True)
        resume = (run.folder / "checkpoint.npz").exists()
        t0 = time.monotonic()
        command = run.command(resume)
        with log_path.open("a") as log:
            log.write("$ " + " ".join(command) + "\n")
            log.flush()
            rc = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT)
    except OSError as exc:
        raise write_error(exc, log_path) from None
    row = summarise(run, time.monotonic() - t0, "done" if rc == 0 else f"failed ({rc})")
    if rc == 0:
        try:
            atomic_write_text(run.folder / "result.json", json.dumps(row))
        except OSError as exc:
            raise write_error(exc, run.folder / "result.json") from None
    else:
        row["reason"] = failure(run, rc)
    return row


def summarise(run: Run, seconds: float, status: str) -> dict[str, Any]:
    log = run.folder / "metrics.jsonl"
    try:
        rows = [json.loads(x) for x in log.read_text().splitlines() if x.strip()] \
            if log.exists() else []
    except (OSError, ValueError):
        rows = []
    last = rows[-1] if rows else {}
    return {"config": run.config, "seed": run.seed, "generations": last.get("step", 0),
            "best_ever": last.get("best_ever"), "mean": last.get("mean"),
            "seconds": round(seconds, 2), "status": status}


def run_local(runs: list[Run], workers: int,
              report: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Every run, `workers` at a time, each in its own process; `report(line)` hears each
    failure as it happens. A write failure of the sweep itself stops it (runs not yet started
    are cancelled) and is raised once the running ones end."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(execute, r) for r in runs]
        rows = []
        for future in futures:
            try:
                row = future.result()
            except BaseException:
                for other in futures:
                    other.cancel()
                raise
            if report is not None and "reason" in row:
                report(row["reason"])
            rows.append(row)
        return rows


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
    writer = csv.DictWriter(buf, COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    try:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out / "summary.csv", buf.getvalue())
    except OSError as exc:
        raise write_error(exc, out / "summary.csv") from None
    cells = [COLUMNS] + [[_fmt(r.get(c)) for c in COLUMNS] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True))
                     for row in cells)


def _fmt(v: Any) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)
