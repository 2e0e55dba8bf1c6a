"""Running a reference code (Biomaker CA, JaxLife) beside ours from a benchmark script.

The reference codes are not dependencies of alife and none of their code is copied here: a
benchmark script runs them, when a checkout is given, in a child process (their own interpreter,
e.g. a separate virtualenv with their extra packages) and reads one JSON line back. With no
checkout, or when the child fails, the script prints the anchor as a quoted figure and says where
it comes from.

Where the checkout and the interpreter come from: the script's `--reference DIR` and
`--reference-python PY` options, else the environment variables the script names (e.g.
`ALIFE_BIOMAKER_REF`, `ALIFE_JAXLIFE_REF`) and `ALIFE_REF_PYTHON`, else the running interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ANCHORS = "/work/shared/specs/anchors.md"


def reference_python(option: str | None) -> str:
    """The interpreter the reference code runs under."""
    return option or os.environ.get("ALIFE_REF_PYTHON") or sys.executable


def checkout(option: str | None, env: str) -> Path | None:
    """The reference checkout from the option or the environment variable, if it exists."""
    value = option or os.environ.get(env)
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    return path if path.is_dir() else None


def run_child(python: str, script: str, args: list[str], timeout: float) -> tuple[dict | None, str]:
    """Run `python script args` (the script's reference-only mode); (its last JSON line, or None,
    and a short reason or stderr tail when it failed)."""
    try:
        out = subprocess.run([python, script, *args], capture_output=True, text=True,
                             timeout=timeout, cwd=Path(script).parent)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    except OSError as exc:
        return None, str(exc)
    lines = [x for x in out.stdout.splitlines() if x.startswith("{")]
    if out.returncode or not lines:
        tail = (out.stderr or out.stdout).strip().splitlines()[-6:]
        return None, f"exit {out.returncode}: " + " | ".join(tail)
    return json.loads(lines[-1]), ""


def emit(result: dict[str, Any]) -> None:
    """Print the reference-only mode's result as the one JSON line `run_child` reads."""
    print(json.dumps(result), flush=True)
