"""Killing a CLI run at a checkpoint write: shared by the kill-and-resume tests.

`kill_when(argv, ready, delay)` starts `python -m alife ARGV` in the repository and kills it
`delay` seconds after `ready(elapsed)` first holds. `kill_at_checkpoint(argv, checkpoint, wait,
delay)` starts `python -m alife ARGV` in the
repository, waits until the checkpoint file exists (`wait="exists"`) or is rewritten
(`wait="new"`), sleeps `delay` seconds and sends SIGKILL.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def mtime(path: Path) -> int:
    """The file's modification time in ns, 0 when it does not exist."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def kill_when(argv: list[str], ready: Callable[[float], bool], delay: float,
              timeout: float = 240.0) -> int:
    """Run `alife ARGV`; once `ready(seconds since the start)` is true, sleep `delay` s and send
    SIGKILL. Its exit status (-9 when the kill landed, 0 when the run finished first); any
    other status fails with the run's stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "alife", *argv], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    while time.monotonic() - started < timeout and proc.poll() is None:
        if ready(time.monotonic() - started):
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.0005)
    code = proc.wait(timeout=120)
    assert code in (0, -signal.SIGKILL), proc.stderr.read()
    return code


def kill_at_checkpoint(argv: list[str], checkpoint: Path, wait: str, delay: float,
                       timeout: float = 240.0) -> int:
    """Run `alife ARGV`, kill -9 it after a checkpoint write; its exit status (-9 when the kill
    landed, 0 when the run finished first). Any other status fails with the run's stderr."""
    before = mtime(checkpoint)

    def written(_: float) -> bool:
        now = mtime(checkpoint)
        return bool((wait == "exists" and now) or (wait == "new" and now and now != before))

    return kill_when(argv, written, delay, timeout)
