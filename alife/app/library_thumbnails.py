"""The Library's thumbnail cache and the threads that feed its worker processes.

Thumbnails (`Thumbnails`): a PNG per entry in `$XDG_CACHE_HOME/alife/thumbnails` (default
`~/.cache/alife/thumbnails`), named by a hash of the file's resolved path, its mtime and size,
the alife version and the thumbnail size, written atomically (temp file, rename), so a changed
file or a new alife gets a new one and two apps never see half a PNG. They are made by worker
processes (`python -m alife.app.library --worker`, niced, JAX on the CPU; the worker itself is
`alife.app.library_worker`), one for scenes and one for patterns (so browsing patterns never
waits behind a scene's compile), each fed one job at a time by a thread, so neither JAX's
compiles nor its Python work ever stall the UI; a worker exits when idle for IDLE_S seconds and
is started again when needed. What the panel shows comes first (`lookup(..., urgent=True)`), the
rest of the shipped scenes are made ahead (`prefetch`).

Part of the Library's model, whose entry point is `alife.app.library`. No GL, no ImGui, no JAX
at import time.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alife.app.library_entries import Entry, _key, thumbnails_dir

THUMB_SIZE = 128
THUMB_STEPS = 100
THUMB_BUDGET_S = 12.0
IDLE_S = 20.0
JOB_TIMEOUT_S = 240.0
#: Life 1.05 / 1.06 suffixes (`alife.scene.lifefile`), previewed like the pattern formats
LIFE_FORMATS = (".lif", ".life")


def can_preview(entry: Entry) -> bool:
    """Scenes always; patterns whose format the pattern reader knows (Life 1.05/1.06 files
    too: small dense patterns read as an RLE is)."""
    if entry.kind == "scene":
        return True
    from alife.scene.patterns import FORMATS

    return entry.format in FORMATS + LIFE_FORMATS


def thumbnail_meta(path: Path) -> dict[str, Any]:
    """What the worker wrote in a thumbnail's `alife` text chunk ({} if none)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return json.loads(image.text.get("alife", "{}"))
    except (OSError, ValueError, AttributeError):
        return {}


class Thumbnails:
    """Thumbnails on disk, made by worker processes on request (see the module docstring).

    `lookup(entry)` -> ("ready", png path) | ("pending", None) | ("failed", why) | ("none", why)

    Two lanes, each one thread feeding one worker process: scenes (JAX compiles, seconds each)
    and patterns (a file read, milliseconds), so browsing patterns never waits behind a scene.
    """

    def __init__(self, folder: Path | None = None, size: int = THUMB_SIZE,
                 steps: int = THUMB_STEPS, budget_s: float = THUMB_BUDGET_S,
                 idle_s: float = IDLE_S, job_timeout_s: float = JOB_TIMEOUT_S) -> None:
        self.folder = Path(folder) if folder is not None else thumbnails_dir()
        self.size, self.steps, self.budget_s = int(size), int(steps), float(budget_s)
        self.idle_s, self.job_timeout_s = float(idle_s), float(job_timeout_s)
        self._cond = threading.Condition()
        self._files: dict[Path, Path] = {}      # entry path -> its thumbnail file (key memo)
        self._ready: set[Path] = set()          # thumbnail files known to exist
        self._failed: dict[Path, str] = {}
        self._lanes = {kind: _Lane(self, kind) for kind in ("scene", "pattern")}
        self._closed = False
        self._order = 0
        self._epoch = 0
        self.made = 0       # thumbnails made by workers this session

    @property
    def starts(self) -> int:
        """Worker processes started this session (all lanes)."""
        return sum(lane.starts for lane in self._lanes.values())

    # ---- what the panel asks ----------------------------------------------------------------
    def file_for(self, entry: Entry) -> Path:
        out = self._files.get(entry.path)
        if out is None:
            out = self.folder / f"{_key(entry.path, self.size, entry.kind)}.png"
            self._files[entry.path] = out
        return out

    def lookup(self, entry: Entry, want: bool = True,
               urgent: bool = True) -> tuple[str, Path | str | None]:
        if not can_preview(entry):
            return "none", f"no preview for {entry.format} files"
        out = self.file_for(entry)
        lane = self._lanes[entry.kind]
        with self._cond:
            if out in self._ready:
                return "ready", out
            if out in self._failed:
                return "failed", self._failed[out]
            queued = out in lane.queue or out == lane.busy
        if not queued:
            if out.is_file():
                with self._cond:
                    self._ready.add(out)
                return "ready", out
            if not want:
                return "pending", None
        if want:
            self._enqueue(entry, out, urgent)
        return "pending", None

    def prefetch(self, entries: Iterable[Entry]) -> int:
        """Queue thumbnails for `entries` behind anything asked for urgently; how many queued."""
        n = 0
        for e in entries:
            if self.lookup(e, want=True, urgent=False)[0] == "pending":
                n += 1
        return n

    def new_frame(self) -> None:
        """Requests after this one come before those made earlier (the panel calls it once a
        frame, so what is on screen now is made first, top row first)."""
        with self._cond:
            self._epoch += 1

    def pending(self) -> int:
        with self._cond:
            return sum(len(lane.queue) + (lane.busy is not None)
                       for lane in self._lanes.values())

    def forget(self) -> None:
        """Forget what is known (after the cache folder was emptied, say)."""
        with self._cond:
            self._ready.clear()
            self._failed.clear()
            self._files.clear()

    def _enqueue(self, entry: Entry, out: Path, urgent: bool) -> None:
        with self._cond:
            lane = self._lanes[entry.kind]
            if self._closed or out == lane.busy:
                return
            self._order += 1
            # urgent first: the latest frame's requests first, in the order asked (top row
            # first); then prefetches in the order asked
            prio = (0, -self._epoch, self._order) if urgent else (1, 0, self._order)
            old = lane.queue.get(out)
            if old is not None and old[0] <= prio:
                return
            job = {"kind": entry.kind, "path": str(entry.path), "out": str(out),
                   "size": self.size, "steps": self.steps, "budget": self.budget_s}
            lane.queue[out] = (prio, job)
            lane.start_thread()
            self._cond.notify_all()

    def _done(self, out: Path, reply: dict[str, Any]) -> None:
        with self._cond:
            if reply.get("ok") and out.is_file():
                self._ready.add(out)
                self.made += 1
            else:
                self._failed[out] = str(reply.get("error") or "no thumbnail was written")
            self._cond.notify_all()

    def wait(self, timeout: float = 600.0) -> bool:
        """Block until nothing is queued or being made (tests); False on timeout."""
        end = time.monotonic() + timeout
        with self._cond:
            while any(lane.queue or lane.busy is not None for lane in self._lanes.values()):
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(timeout=min(left, 0.5))
        return True

    def close(self) -> None:
        with self._cond:
            self._closed = True
            for lane in self._lanes.values():
                lane.queue.clear()
            self._cond.notify_all()
        for lane in self._lanes.values():
            lane.close()


class _Lane:
    """One queue of thumbnail jobs, its thread and its worker process (`Thumbnails`' lock)."""

    def __init__(self, owner: Thumbnails, kind: str) -> None:
        self.owner, self.kind = owner, kind
        self.queue: dict[Path, tuple[tuple, dict[str, Any]]] = {}
        self.busy: Path | None = None
        self.proc: subprocess.Popen | None = None
        self.thread: threading.Thread | None = None
        self.buffer = b""
        self.starts = 0

    def start_thread(self) -> None:
        """(Under the owner's lock.) Make sure a thread serves this lane."""
        if self.thread is None or not self.thread.is_alive():
            self.thread = threading.Thread(target=self._loop, daemon=True,
                                           name=f"alife-thumbnails-{self.kind}")
            self.thread.start()

    def _take(self) -> dict[str, Any] | None | str:
        cond = self.owner._cond
        with cond:
            while True:
                if self.owner._closed:
                    return None
                if self.queue:
                    out = min(self.queue, key=lambda k: self.queue[k][0])
                    _, job = self.queue.pop(out)
                    self.busy = out
                    return job
                if self.proc is None:
                    cond.wait(timeout=1.0)
                elif not cond.wait(timeout=self.owner.idle_s) and not self.queue:
                    return "idle"

    def _loop(self) -> None:
        try:
            while True:
                job = self._take()
                if job is None:
                    break
                if job == "idle":
                    self.stop()
                    continue
                if Path(job["out"]).is_file():  # made meanwhile (by another app, say)
                    reply = {"ok": True}
                else:
                    reply = self._run(job)
                with self.owner._cond:
                    self.busy = None
                self.owner._done(Path(job["out"]), reply)
        finally:
            self.stop()

    def _start_worker(self) -> subprocess.Popen:
        folder = self.owner.folder
        folder.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.setdefault("JAX_PLATFORMS", "cpu")  # the app keeps the accelerator to itself
        env["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        log = open(folder / f"worker-{self.kind}.log", "wb")  # noqa: SIM115  (the child's)
        try:
            proc = subprocess.Popen([sys.executable, "-m", "alife.app.library", "--worker"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                    env=env, bufsize=0, close_fds=True)
        finally:
            log.close()
        self.buffer = b""
        self.starts += 1
        return proc

    def stop(self, kill: bool = False) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            if kill:
                proc.kill()
            else:
                proc.stdin.close()  # the worker ends at end of input
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        finally:
            for pipe in (proc.stdout, proc.stdin):
                try:
                    pipe.close()
                except OSError:
                    pass

    def _run(self, job: dict[str, Any]) -> dict[str, Any]:
        for attempt in range(2):  # a worker that died between jobs is started again once
            if self.proc is None or self.proc.poll() is not None:
                self.stop(kill=True)
                try:
                    self.proc = self._start_worker()
                except OSError as exc:
                    return {"ok": False, "error": f"cannot start the thumbnail maker ({exc})"}
            try:
                self.proc.stdin.write((json.dumps(job) + "\n").encode())
                self.proc.stdin.flush()
            except OSError:
                self.stop(kill=True)
                if attempt == 0:
                    continue
            else:
                return self._reply()
        return {"ok": False, "error": "the thumbnail maker stopped"}

    def _reply(self) -> dict[str, Any]:
        """The worker's one-line JSON answer; its end, a timeout or closing end the wait."""
        proc = self.proc
        assert proc is not None and proc.stdout is not None
        deadline = time.monotonic() + self.owner.job_timeout_s
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while b"\n" not in self.buffer:
                if self.owner._closed:
                    self.stop(kill=True)
                    return {"ok": False, "error": "closed"}
                if time.monotonic() > deadline:
                    self.stop(kill=True)
                    return {"ok": False,
                            "error": f"took over {self.owner.job_timeout_s:.0f} s"}
                if not sel.select(timeout=0.25):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    code = proc.wait()
                    self.stop(kill=True)
                    return {"ok": False, "error": f"the thumbnail maker stopped (exit {code})"}
                self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        try:
            reply = json.loads(line)
        except ValueError:
            return {"ok": False, "error": "the thumbnail maker answered garbage"}
        return reply if isinstance(reply, dict) else {"ok": False, "error": "bad answer"}

    def close(self) -> None:
        thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self.stop(kill=True)
