"""Compiling without freezing the app: the first call of a world's jitted step on a worker thread.

JAX compiles a jitted function on its first call, in the calling thread: for the agents and
Biomaker families that is 10-70 s, and called from the app's main loop it froze the window
("RUNNING gen 0, 0 fps"). A `Warmup` makes that first call (trace, compile and run) on a daemon
thread instead; the jit cache it fills is shared, so later calls from the main loop dispatch at
once. The controller keeps showing the world and the window keeps drawing (and says
"compiling agents step... 12 s") until `done`; then the result is shown like any other chunk.
The worker runs at a lower priority (nice 10 on Linux), so on a busy machine the window's
thread gets the CPU first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

#: how much lower than the app's main thread the compiling thread runs (Linux: per thread)
NICE = 10
#: the worker threads started here that may still be running
_THREADS: list[threading.Thread] = []


def busy() -> bool:
    """Whether a compile is still running on a worker thread. Python's exit must not start
    then: XLA, torn down under a compiling thread, aborts the process (SIGSEGV / SIGABRT), so
    `alife view` leaves with `os._exit` instead (`alife.commands.view`)."""
    _THREADS[:] = [t for t in _THREADS if t.is_alive()]
    return bool(_THREADS)


def _lower_priority() -> None:
    """Let the window's thread go first: on Linux a thread's nice value is its own (XLA's
    compile, the long part, does not hold the GIL, so the main loop keeps its frames)."""
    import os

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
    except (AttributeError, OSError):  # not Linux, or not allowed: nothing to do
        pass


class Warmup:
    """One first call `fn(*args)` running on a worker thread (module docstring)."""

    def __init__(self, label: str, fn: Callable[..., Any], args: tuple) -> None:
        import jax

        self.label = label
        self.started = time.monotonic()
        self.finished: float | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self._done = threading.Event()

        def run() -> None:
            _lower_priority()
            try:
                self.result = jax.block_until_ready(fn(*args))
            except BaseException as exc:  # noqa: BLE001  (reported by the controller)
                self.error = exc
            finally:
                self.finished = time.monotonic()
                self._done.set()

        self._thread = threading.Thread(target=run, daemon=True, name=f"compile {label}")
        self._thread.start()
        _THREADS.append(self._thread)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def ok(self) -> bool:
        """Finished without an error."""
        return self._done.is_set() and self.error is None

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def elapsed(self) -> float:
        end = self.finished if self.finished is not None else time.monotonic()
        return end - self.started

    def text(self) -> str:
        """What the status bar says while it runs: "compiling lenia step... 3 s"."""
        return f"compiling {self.label}... {self.elapsed():.0f} s"
