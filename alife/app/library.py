"""The Library's model: every scene and pattern the app can open without typing a path, searched
and filtered, with thumbnails made in the background. No GL, no ImGui, no JAX at import time (the
panel is `alife.app.panels.library`).

Sources (`SOURCES`):

- "shipped": the shipped scenes, whatever `alife.scene.catalog.shipped_scenes()` offers, by name
  (`lenia/orbium`), each with its family, title and description read from the file (not built);
- "folders": folders the user added (remembered in `<config_dir>/library.json`, see
  `alife.app.autosave.config_dir`): their scenes (`.yaml`) and pattern files (`.rle`, `.cells`,
  `.mc`, `.lif`, also gzipped) at any depth (hidden folders skipped, at most MAX_FILES each);
- "golly": Golly's pattern collection when Golly is installed (Debian's `golly` package puts it
  in `/usr/share/golly/Patterns`; every `$XDG_DATA_DIRS/golly/Patterns` is looked at, and
  `$ALIFE_GOLLY_PATTERNS` first). Patterns show their rule and `#N`/`#C` text from the file's
  header; the folders are kept as a tree.

Reading the folders happens on a thread (`Library.refresh`), so opening the Library never waits.

Thumbnails (`Thumbnails`): a PNG per entry in `$XDG_CACHE_HOME/alife/thumbnails` (default
`~/.cache/alife/thumbnails`), named by a hash of the file's resolved path, its mtime and size,
the alife version and the thumbnail size, written atomically (temp file, rename), so a changed
file or a new alife gets a new one and two apps never see half a PNG. They are made by worker
processes (`python -m alife.app.library --worker`, niced, JAX on the CPU), one for scenes and one
for patterns (so browsing patterns never waits behind a scene's compile), each fed one job at a
time by a thread, so neither JAX's compiles nor its Python work ever stall the UI; a worker exits
when idle for IDLE_S seconds and is started again when needed. What the panel shows comes first
(`lookup(..., urgent=True)`), the rest of the shipped scenes are made ahead (`prefetch`).

- A scene's thumbnail is the scene opened as `alife render` opens it, run for at most
  THUMB_STEPS generations (fewer when its `run.steps` says so, or when stepping a slow family
  takes over THUMB_BUDGET_S seconds), then drawn by the app's own renderers
  (`alife.render.frames`: grid, entities, message lines) into a THUMB_SIZE square. The PNG's
  `alife` text chunk records the generation drawn.
- A pattern's thumbnail is cheap: its cells read from the file and coloured as the app colours
  cell states (`alife.scene.palettes.colorize`; a rule table's own colours are not looked up),
  reduced over blocks when the pattern is larger than the thumbnail (a block shows its corner's
  state where that is alive, else its largest, so a lone live cell still shows); no JAX
  compile, no GL. Formats the pattern reader does not know get no thumbnail (the panel says so).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SOURCES = ("shipped", "folders", "golly")
SCENE_SUFFIXES = (".yaml", ".yml")
#: pattern files listed (a `.gz` of each too); which of them open is `alife.scene.open`'s say
PATTERN_SUFFIXES = (".rle", ".cells", ".mc", ".lif", ".life", ".mcl")
PATTERN_KIND = "pattern"  # the "family" shown for a pattern file

THUMB_SIZE = 128
THUMB_STEPS = 100
THUMB_BUDGET_S = 12.0
THUMB_CHUNK = 10
IDLE_S = 20.0
JOB_TIMEOUT_S = 240.0
MAX_FILES = 5000  # files looked at per added folder (a home folder added by mistake stays quick)
MAX_DEPTH = 8
HEADER_BYTES = 8192
MAX_GZ_BYTES = 32 << 20
GOLLY_ENV = "ALIFE_GOLLY_PATTERNS"


# ---- where things are ---------------------------------------------------------------------------
def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alife"


def thumbnails_dir() -> Path:
    return cache_root() / "thumbnails"


def config_path() -> Path:
    from alife.app.autosave import config_dir

    return config_dir() / "library.json"


def golly_patterns() -> Path | None:
    """Golly's Patterns folder, if Golly is installed (or `$ALIFE_GOLLY_PATTERNS` names one)."""
    candidates = []
    if os.environ.get(GOLLY_ENV):
        candidates.append(Path(os.environ[GOLLY_ENV]).expanduser())
    data_dirs = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    candidates += [Path(d) / "golly" / "Patterns" for d in data_dirs.split(":") if d]
    candidates += [Path("/usr/share/golly/Patterns"), Path("/usr/local/share/golly/Patterns"),
                   Path("/opt/golly/Patterns"), Path.home() / "golly" / "Patterns"]
    for folder in candidates:
        if folder.is_dir():
            return folder
    return None


def load_folders() -> list[Path]:
    """The folders the user added, in the order added (missing ones kept: a drive comes back)."""
    try:
        data = json.loads(config_path().read_text())
    except (OSError, ValueError):
        return []
    items = data.get("folders", []) if isinstance(data, dict) else []
    return [Path(p) for p in items if isinstance(p, str) and p]


def save_folders(folders: Iterable[Path]) -> None:
    from alife.app.autosave import config_dir

    path = config_path()
    config_dir().mkdir(parents=True, exist_ok=True)
    _atomic_write(path, json.dumps({"folders": [str(p) for p in folders]}, indent=1).encode())


def _atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `path`, then rename it over `path` (no JAX import)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---- entries ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One scene or pattern file of the Library."""

    path: Path
    name: str          # the scene name (`lenia/orbium`) or the path under its root folder
    source: str        # one of SOURCES
    kind: str          # "scene" or "pattern"
    family: str = ""   # a scene's rule family; PATTERN_KIND for a pattern file
    title: str = ""    # a scene's `name:`, a pattern's `#N` / `!Name:`
    description: str = ""
    rule: str = ""     # a pattern's rule text from its header
    root: Path | None = None  # the folder it was found under (added folder, Golly's Patterns)
    error: str = ""    # why its file could not be read
    text: str = field(default="", repr=False, compare=False)  # what search looks in

    @property
    def folder(self) -> str:
        """Its folder under the root ("" at the top), `/`-separated."""
        return self.name.rpartition("/")[0]

    @property
    def label(self) -> str:
        """The name shown first: the title if any, else the file's name."""
        return self.title or self.name.rpartition("/")[2]

    @property
    def format(self) -> str:
        """The file's format suffix without a trailing `.gz` (`.rle` for `x.rle.gz`)."""
        return _base_suffix(self.path)

    def matches(self, words: list[str], family: str = "") -> bool:
        if family and self.family != family:
            return False
        hay = self.text or _haystack(self)
        return all(w in hay for w in words)


def _base_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _haystack(e: Entry) -> str:
    return " ".join((e.name, e.title, e.family, e.description, e.rule, e.source)).lower()


def _with_text(e: Entry) -> Entry:
    object.__setattr__(e, "text", _haystack(e))
    return e


def search_words(text: str) -> list[str]:
    return [w for w in text.lower().split() if w]


def scene_entry(path: Path, name: str, source: str, root: Path | None = None) -> Entry:
    """An entry for a scene file, its family, title and description read (never built)."""
    from alife.core.errors import AlifeError
    from alife.scene.schema import read_scene_file

    try:
        tree, _ = read_scene_file(path)
        rule = tree.get("rule")
        family = str(rule.get("family", "")) if isinstance(rule, dict) else ""
        title = tree.get("name")
        description = tree.get("description")
        return _with_text(Entry(path, name, source, "scene", family or "(unknown)",
                                str(title) if title else "",
                                " ".join(str(description).split()) if description else "",
                                root=root))
    except (AlifeError, OSError, AttributeError, TypeError) as exc:
        return _with_text(Entry(path, name, source, "scene", "(unreadable)",
                                root=root, error=str(exc)))


def read_header(path: Path, limit: int = HEADER_BYTES) -> dict[str, str]:
    """A pattern file's title, comments and rule from its first `limit` bytes (gzip too):
    RLE `#N`/`#C`/`#O` and `x = .., rule = ..`, plaintext `!Name:`/`!`, macrocell `#R`, Life
    1.05 `#D`/`#N`/`#R`, MCell `#RULE`/`#D`."""
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as f:
                head = f.read(limit)
        else:
            with open(path, "rb") as f:
                head = f.read(limit)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return {"error": f"cannot read it ({exc})"}
    text = head.decode("utf-8", "replace")
    title, rule, notes = "", "", []
    lines = text.splitlines()
    if len(head) >= limit and lines:
        lines = lines[:-1]  # maybe cut short
    suffix = _base_suffix(path)
    for line in lines[:200]:
        s = line.strip()
        if suffix == ".cells":
            if not s.startswith("!"):
                break
            body = s[1:].strip()
            if body.lower().startswith("name:"):
                title = body[5:].strip()
            elif body:
                notes.append(body)
            continue
        low = s.lower()
        if s.startswith("#N") and suffix != ".lif" and not title:
            title = s[2:].strip()
        elif s.upper().startswith("#CXRLE"):
            continue  # position and generation, not a comment
        elif s.startswith(("#C", "#c", "#D")):
            if s[2:].strip():
                notes.append(s[2:].strip())
        elif low.startswith("#rule"):
            rule = s[5:].strip()
        elif s.startswith(("#R", "#r")) and not low.startswith("#rule"):
            rule = s[2:].strip()
        elif s.startswith("#N") and suffix == ".lif":
            rule = rule or "B3/S23"
        elif low.startswith("x") and "=" in s and "rule" in low:
            rule = s[low.index("rule"):].partition("=")[2].strip()
            break
        elif low.startswith("x") and "=" in s:
            break
    return {"title": title, "rule": rule, "description": " ".join(notes)[:600]}


def pattern_entry(path: Path, name: str, source: str, root: Path | None = None) -> Entry:
    head = read_header(path)
    return _with_text(Entry(path, name, source, "pattern", PATTERN_KIND,
                            head.get("title", ""), head.get("description", ""),
                            head.get("rule", ""), root=root, error=head.get("error", "")))


def is_listed(path: Path) -> str | None:
    """"scene", "pattern" or None: whether a file belongs in the Library, and as what."""
    name = path.name.lower()
    if name.startswith("."):
        return None
    if path.suffix.lower() in SCENE_SUFFIXES:
        return "scene"
    if _base_suffix(path) in PATTERN_SUFFIXES:
        return "pattern"
    return None


def shipped_entries() -> list[Entry]:
    """Every shipped scene, by name, in the catalogue's order."""
    from alife.scene import catalog

    out = []
    for name, path in catalog.shipped_scenes().items():
        path = Path(path)
        out.append(scene_entry(path, name, "shipped"))
    return out


def folder_entries(root: Path, source: str, max_files: int = MAX_FILES) -> list[Entry]:
    """Scenes and patterns under `root` (sorted by path; hidden folders and links to folders
    skipped, at most `max_files` files looked at, MAX_DEPTH folders deep)."""
    found: list[tuple[str, Path, str]] = []
    seen = 0
    root = Path(root)
    for here, dirs, files in os.walk(root, followlinks=False):
        rel = Path(here).relative_to(root)
        depth = len(rel.parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if depth < MAX_DEPTH else []
        for f in sorted(files):
            seen += 1
            if seen > max_files:
                break
            path = Path(here) / f
            kind = is_listed(path)
            if kind is None or not path.is_file():
                continue
            found.append(((rel / f).as_posix(), path, kind))
        if seen > max_files:
            break
    found.sort(key=lambda t: t[0].lower())
    return [scene_entry(p, n, source, root) if k == "scene" else pattern_entry(p, n, source, root)
            for n, p, k in found]


@dataclass
class Tree:
    """Entries grouped by folder: `folders` (name -> Tree, sorted) and the entries here."""

    name: str = ""
    path: str = ""
    folders: dict[str, Tree] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)

    def count(self) -> int:
        return len(self.entries) + sum(t.count() for t in self.folders.values())


def build_tree(entries: Iterable[Entry]) -> Tree:
    top = Tree()
    for e in entries:
        node = top
        if e.folder:
            for part in e.folder.split("/"):
                if part not in node.folders:
                    path = f"{node.path}/{part}" if node.path else part
                    node.folders[part] = Tree(part, path)
                node = node.folders[part]
        node.entries.append(e)
    _sort(top)
    return top


def _sort(node: Tree) -> None:
    node.folders = dict(sorted(node.folders.items(), key=lambda kv: kv[0].lower()))
    for child in node.folders.values():
        _sort(child)


# ---- opening ----------------------------------------------------------------------------------
def openable(entry: Entry) -> tuple[bool, str]:
    """Whether alife's loader reads this file's format, and a reason when not (it may still
    refuse a rule it cannot run: that message comes when it is opened)."""
    from alife.scene import open as opener

    known = set(getattr(opener, "SCENE_SUFFIXES", SCENE_SUFFIXES))
    known |= set(getattr(opener, "PATTERN_SUFFIXES", ()))
    if entry.format in known:
        return True, ""
    shown = ", ".join(sorted(s for s in known if s not in SCENE_SUFFIXES))
    return False, f"alife cannot read {entry.format} files yet (it reads {shown})"


def open_path(entry: Entry) -> Path:
    """The file to hand to the app's Open: the entry's own, or for a gzipped pattern that the
    loader does not read as it is, a copy unpacked once into the cache (at most MAX_GZ_BYTES)."""
    path = entry.path
    if path.suffix.lower() != ".gz" or _reads_gzip(path):
        return path
    from alife.core.errors import AlifeError

    out = cache_root() / "unpacked" / _key(path, "gz") / path.with_suffix("").name
    if out.is_file():
        return out
    try:
        with gzip.open(path, "rb") as f:
            data = f.read(MAX_GZ_BYTES + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise AlifeError(f"cannot unpack it ({exc})", where=str(path)) from None
    if len(data) > MAX_GZ_BYTES:
        raise AlifeError(f"unpacks to over {MAX_GZ_BYTES >> 20} MiB; expected a smaller "
                         "pattern", where=str(path))
    _atomic_write(out, data)
    return out


def _reads_gzip(path: Path) -> bool:
    """Whether `alife.scene.open` opens this gzipped file as it is (a `.mc.gz`, say)."""
    from alife.scene import open as opener

    double = "".join(s.lower() for s in path.suffixes[-2:])
    names = set(getattr(opener, "PATTERN_SUFFIXES", ())) | set(
        getattr(opener, "COMPRESSED_SUFFIXES", ()))
    return double in names


# ---- thumbnails -------------------------------------------------------------------------------
def _key(path: Path, *extra: Any) -> str:
    try:
        st = path.stat()
        stamp = f"{st.st_mtime_ns}:{st.st_size}"
    except OSError:
        stamp = "missing"
    try:
        real = str(path.resolve())
    except OSError:
        real = str(path)
    from alife import __version__

    text = "\0".join([real, stamp, __version__, *map(str, extra)])
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()


def can_preview(entry: Entry) -> bool:
    """Scenes always; patterns whose format the pattern reader knows."""
    if entry.kind == "scene":
        return True
    from alife.scene.patterns import FORMATS

    return entry.format in FORMATS


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


# ---- the Library --------------------------------------------------------------------------------
class Library:
    """The entries of every source, read on a thread, with thumbnails (see the module
    docstring). The panel reads `entries`, `tree(...)`, `search(...)`; everything else it asks
    for goes through the methods here."""

    def __init__(self, thumbnails: Thumbnails | None = None,
                 golly: Path | None | str = "find") -> None:
        self.thumbnails = thumbnails if thumbnails is not None else Thumbnails()
        self.folders: list[Path] = load_folders()
        self.golly_root: Path | None = golly_patterns() if golly == "find" else (
            Path(golly) if golly else None)
        self.entries: dict[str, list[Entry]] = {s: [] for s in SOURCES}
        self.by_folder: dict[Path, list[Entry]] = {}
        self._trees: dict[Any, Tree] = {}
        self._lock = threading.Lock()
        self._scan_thread: threading.Thread | None = None
        self.scans = 0          # scans finished
        self.error = ""         # the last problem with a folder (shown by the panel)
        self.listed: list[str] = []  # the names the panel listed last frame (tests read it)

    # ---- reading the sources ------------------------------------------------------------------
    @property
    def scanning(self) -> bool:
        return self._scan_thread is not None and self._scan_thread.is_alive()

    def refresh(self, wait: bool = False) -> None:
        """Read every source again, on a thread (`wait`: here and now)."""
        if self.scanning:
            if wait:
                self._scan_thread.join()
            return
        if wait:
            self._scan()
            return
        self._scan_thread = threading.Thread(target=self._scan, name="alife-library-scan",
                                             daemon=True)
        self._scan_thread.start()

    def _scan(self) -> None:
        try:
            shipped = shipped_entries()
        except Exception as exc:  # noqa: BLE001  (a broken install must not take the app down)
            shipped, self.error = [], f"cannot list the shipped scenes: {exc}"
        by_folder = {}
        for folder in list(self.folders):
            by_folder[folder] = folder_entries(folder, "folders") if folder.is_dir() else []
        golly = folder_entries(self.golly_root, "golly") if self.golly_root else []
        with self._lock:
            self.entries = {"shipped": shipped,
                            "folders": [e for es in by_folder.values() for e in es],
                            "golly": golly}
            self.by_folder = by_folder
            self._trees = {}
            self.scans += 1

    def tree(self, source: str, folder: Path | None = None) -> Tree:
        """The entries of `source` (of one added folder) as a folder tree (cached per scan)."""
        key = (source, folder)
        with self._lock:
            if key not in self._trees:
                items = self.by_folder.get(folder, []) if folder is not None else \
                    self.entries[source]
                self._trees[key] = build_tree(items)
            return self._trees[key]

    def search(self, source: str, text: str = "", family: str = "",
               folder: Path | None = None) -> list[Entry]:
        """The entries of `source` whose name, title, family, description or rule hold every
        word of `text` (any case), of `family` when given."""
        words = search_words(text)
        items = self.by_folder.get(folder, []) if folder is not None else self.entries[source]
        return [e for e in items if e.matches(words, family)]

    def families(self, source: str) -> list[str]:
        return sorted({e.family for e in self.entries[source] if e.family})

    def count(self, source: str) -> int:
        return len(self.entries[source])

    # ---- the user's folders -------------------------------------------------------------------
    def add_folder(self, path: str | Path) -> str | None:
        """Remember a folder and read it; an error message, or None."""
        text = str(path).strip()
        if not text:
            return "type the path of a folder"
        folder = Path(text).expanduser()
        try:
            folder = folder.resolve()
        except OSError:
            pass
        if not folder.is_dir():
            return f"{text}: not a folder"
        if folder in self.folders:
            return f"{folder} is already in the Library"
        self.folders.append(folder)
        try:
            save_folders(self.folders)
        except OSError as exc:
            self.error = f"could not remember the folder ({exc})"
        self.refresh()
        return None

    def remove_folder(self, folder: Path) -> None:
        self.folders = [f for f in self.folders if f != folder]
        try:
            save_folders(self.folders)
        except OSError as exc:
            self.error = f"could not forget the folder ({exc})"
        self.refresh()

    # ---- thumbnails ---------------------------------------------------------------------------
    def thumbnail(self, entry: Entry, urgent: bool = True) -> tuple[str, Path | str | None]:
        return self.thumbnails.lookup(entry, want=True, urgent=urgent)

    def prefetch(self, source: str = "shipped") -> int:
        return self.thumbnails.prefetch(self.entries[source])

    def close(self) -> None:
        self.thumbnails.close()


# ---- the worker process -------------------------------------------------------------------------
def scene_thumbnail(path: Path, out: Path, size: int, steps: int, budget_s: float,
                    ctx: Any) -> dict[str, Any]:
    """Render a scene's thumbnail (see the module docstring) and write it to `out`."""
    from alife.render.frames import render_frames
    from alife.scene.open import open_world
    from alife.scene.runner import advance

    world = open_world(path)
    run_steps = (world.run or {}).get("steps", steps)
    total = max(0, min(int(steps), int(run_steps) if isinstance(run_steps, int) else steps))
    done = [0, world.state]
    start = time.monotonic()
    stepping: list[float] = []  # when the first chunk (the compile) was done

    class _Enough(Exception):
        pass

    def chunk(state: Any, n: int) -> None:
        done[0], done[1] = n, state
        now = time.monotonic()
        if not stepping:
            stepping.append(now)
        elif now - stepping[0] > budget_s:
            raise _Enough

    try:
        advance(world, total, every=THUMB_CHUNK, on_chunk=chunk)
    except _Enough:
        pass
    shown = world.with_state(done[1])
    frame = render_frames(shown, 0, size=(size, size), ctx=ctx)[-1]
    meta = {"generation": int(world.generation) + done[0], "steps": done[0],
            "seconds": round(time.monotonic() - start, 2)}
    _write_png(out, frame, meta)
    return meta


def pattern_image(cells: Any, size: int) -> Any:
    """[size, size, 3] uint8: pattern cells coloured as the app colours states, reduced over
    blocks when larger than `size` (see the module docstring), enlarged by a whole factor (at
    most 16) when smaller, centred on the colour outside the grid."""
    import numpy as np

    from alife.scene import palettes

    cells = np.asarray(cells, np.uint8)
    h, w = cells.shape if cells.size else (1, 1)
    if not cells.size:
        cells = np.zeros((1, 1), np.uint8)
    k = max(1, -(-max(h, w) // size))
    if k > 1:
        ph, pw = -(-h // k) * k, -(-w // k) * k
        padded = np.zeros((ph, pw), np.uint8)
        padded[:h, :w] = cells
        blocks = padded.reshape(ph // k, k, pw // k, k)
        sample = blocks[:, 0, :, 0]  # a block's own colour where its corner is alive, so
        cells = np.where(sample > 0, sample, blocks.max(axis=(1, 3)))  # states keep theirs
    states = int(cells.max()) + 1
    look = "binary" if states <= 2 else "states"
    rgb = palettes.colorize(cells, look, max(states, 2))
    zoom = max(1, min(16, size // max(rgb.shape[0], rgb.shape[1])))
    rgb = np.repeat(np.repeat(rgb, zoom, axis=0), zoom, axis=1)[:size, :size]
    image = np.empty((size, size, 3), np.uint8)
    image[:] = palettes.OUTSIDE
    top, left = (size - rgb.shape[0]) // 2, (size - rgb.shape[1]) // 2
    image[top:top + rgb.shape[0], left:left + rgb.shape[1]] = rgb
    return image


def pattern_thumbnail(path: Path, out: Path, size: int) -> dict[str, Any]:
    """A pattern file's cells as a thumbnail (no JAX, no GL), written to `out`."""
    from alife.scene.patterns import read_pattern

    if path.suffix.lower() == ".gz":
        import tempfile

        with gzip.open(path, "rb") as f:
            data = f.read(MAX_GZ_BYTES + 1)
        if len(data) > MAX_GZ_BYTES:
            raise ValueError(f"unpacks to over {MAX_GZ_BYTES >> 20} MiB")
        with tempfile.TemporaryDirectory() as tmp:
            plain = Path(tmp) / path.with_suffix("").name
            plain.write_bytes(data)
            pattern = read_pattern(plain)
    else:
        pattern = read_pattern(path)
    meta = {"rule": pattern.rule or "", "width": int(pattern.shape[1]),
            "height": int(pattern.shape[0])}
    _write_png(out, pattern_image(pattern.cells, size), meta)
    return meta


def _write_png(out: Path, frame: Any, meta: dict[str, Any]) -> None:
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("alife", json.dumps(meta))
    buffer = io.BytesIO()
    Image.fromarray(frame, "RGB").save(buffer, format="PNG", pnginfo=info)
    _atomic_write(out, buffer.getvalue())


def worker_main(stdin: Any = None, stdout: Any = None) -> int:
    """Read one JSON job a line, make its thumbnail, answer one JSON line; end at end of input."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    try:
        os.nice(5)  # the app's own frames come first
    except (AttributeError, OSError):
        pass
    ctx = None
    for line in stdin:
        if not line.strip():
            continue
        reply: dict[str, Any]
        try:
            job = json.loads(line)
            out, path = Path(job["out"]), Path(job["path"])
            if job["kind"] == "scene":
                if ctx is None:
                    from alife.render.context import headless_context

                    ctx = headless_context()
                meta = scene_thumbnail(path, out, int(job["size"]), int(job["steps"]),
                                       float(job["budget"]), ctx)
            else:
                meta = pattern_thumbnail(path, out, int(job["size"]))
            reply = {"ok": True, **meta}
        except Exception as exc:  # noqa: BLE001  (one bad file never ends the worker)
            text = str(exc).strip().splitlines()
            reply = {"ok": False, "error": (text[0] if text else type(exc).__name__)[:300]}
        stdout.write((json.dumps(reply) + "\n").encode())
        stdout.flush()
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        sys.exit(worker_main())
    print("usage: python -m alife.app.library --worker  (the app starts it)", file=sys.stderr)
    sys.exit(2)
