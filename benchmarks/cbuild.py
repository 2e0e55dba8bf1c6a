"""Compile the benchmarks' small C programs once, cached by a hash of source and flags.

`build(source)` returns the path of an executable compiled with `cc -O3 -march=native` (and
`-pthread`), kept under `$XDG_CACHE_HOME/alife/cbench` (default `~/.cache/alife/cbench`), or
None when no C compiler is on PATH (the scripts then say so and skip the C side). `compiler()`
names the compiler and its version for the printed headers.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ["-O3", "-march=native", "-pthread"]


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/alife` (default `~/.cache/alife`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alife"


def compiler() -> str | None:
    """The C compiler's path, or None when there is none."""
    return shutil.which(os.environ.get("CC", "cc"))


def compiler_version() -> str:
    """First line of `cc --version`, or "no C compiler"."""
    cc = compiler()
    if cc is None:
        return "no C compiler"
    out = subprocess.run([cc, "--version"], capture_output=True, text=True, check=False)
    return (out.stdout.splitlines() or [cc])[0]


def build(source: Path) -> Path | None:
    """Executable built from `source`, compiled on first use; None without a compiler.

    A compile error raises `RuntimeError` with the compiler's message.
    """
    cc = compiler()
    if cc is None:
        return None
    text = source.read_bytes()
    tag = hashlib.sha256(text + " ".join([cc, *FLAGS]).encode()).hexdigest()[:16]
    out_dir = cache_dir() / "cbench"
    target = out_dir / f"{source.stem}-{tag}"
    if target.exists():
        return target
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{source.stem}-")
    os.close(fd)
    done = subprocess.run([cc, *FLAGS, "-o", tmp, str(source)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        os.unlink(tmp)
        raise RuntimeError(f"{cc} failed on {source}: {done.stderr.strip()[:2000]}")
    os.chmod(tmp, 0o755)
    os.replace(tmp, target)  # atomic: a concurrent build leaves one whole file
    return target


def run_kv(exe: Path, *args: str | int) -> dict[str, float]:
    """Run `exe args` and parse its single `key=value ...` output line into floats."""
    done = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{exe.name} {' '.join(map(str, args))} failed: "
                           f"{done.stderr.strip()[:500]}")
    line = done.stdout.strip().splitlines()[-1]
    out: dict[str, float] = {}
    for item in line.split():
        key, _, value = item.partition("=")
        try:
            out[key] = float(value)
        except ValueError:
            continue
    return out
