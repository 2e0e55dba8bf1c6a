"""`alife view` quit while the step is still compiling on its worker thread exits cleanly.

Python's interpreter exit tore XLA down under the compiling thread and the process died with
SIGSEGV or SIGABRT (exit status 139 / 134) after the app had closed; `alife view` now leaves with
`os._exit` when a compile is in flight (`alife.app.compiling.busy`). Each run quits after two
frames with Play pressed, so the Lenia step's first compile is still running (before the
fix, 3 of 4 such runs died).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.gl
def test_quitting_mid_compile_exits_with_status_0(tmp_path):
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    shot = tmp_path / "last.png"
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "alife", "view", "scenes/lenia/orbium.yaml",
                               "--frames", "2", "--play", "--screenshot", str(shot)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        assert shot.stat().st_size > 0  # the app ran and closed before the exit
        shot.unlink()


def test_busy_follows_the_worker_thread():
    import threading

    from alife.app import compiling

    release = threading.Event()
    warmup = compiling.Warmup("test", lambda: release.wait(30) and 0, ())
    assert compiling.busy()
    release.set()
    warmup._thread.join(30)
    assert not compiling.busy()
