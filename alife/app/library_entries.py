"""The Library's entries: where its files are (cache, config, Golly's Patterns, the user's
folders), one `Entry` per scene or pattern file with what search looks in, the folder `Tree`, and
what to hand to the app's Open (`openable`, `open_path`). No GL, no ImGui, no JAX at import time.

Part of the Library's model, whose entry point (and overview) is `alife.app.library`:

- a scene's family, title and description are read from the file (not built);
- a pattern shows its rule and `#N`/`#C` text from the file's header (`read_header`);
- folders the user added are remembered in `<config_dir>/library.json` (see
  `alife.app.autosave.config_dir`) and read at any depth (hidden folders skipped, at most
  MAX_FILES files each, MAX_DEPTH deep);
- Golly's collection is found in `$ALIFE_GOLLY_PATTERNS`, then every
  `$XDG_DATA_DIRS/golly/Patterns` (Debian's `golly` package: `/usr/share/golly/Patterns`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SOURCES = ("shipped", "folders", "golly")
SCENE_SUFFIXES = (".yaml", ".yml")
#: pattern files listed (a `.gz` of each too); which of them open is `alife.scene.open`'s say
PATTERN_SUFFIXES = (".rle", ".cells", ".mc", ".lif", ".life", ".mcl")
#: formats the app's Open reads beyond `alife.scene.open`: two-state macrocell files run on
#: HashLife (`alife.app.controller_hashlife`)
APP_SUFFIXES = (".mc",)
PATTERN_KIND = "pattern"  # the "family" shown for a pattern file

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
    from alife.core.archive import split_member
    from alife.core.errors import AlifeError

    try:
        if split_member(path) is not None:  # a pattern inside a zip archive
            from alife.scene.readers import packed_bytes

            head = packed_bytes(path)[0]
            if path.suffix.lower() == ".gz":
                head = gzip.decompress(head)
            head = head[:limit]
        elif path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as f:
                head = f.read(limit)
        else:
            with open(path, "rb") as f:
                head = f.read(limit)
    except (OSError, EOFError, gzip.BadGzipFile, AlifeError) as exc:
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
    """"scene", "pattern", "archive" (a zip of patterns) or None: whether a file belongs in the
    Library, and as what."""
    name = path.name.lower()
    if name.startswith("."):
        return None
    if path.suffix.lower() in SCENE_SUFFIXES:
        return "scene"
    if _base_suffix(path) in PATTERN_SUFFIXES:
        return "pattern"
    if name.endswith(".zip"):
        return "archive"
    return None


def archive_entries(path: Path, name: str, source: str, root: Path | None = None
                    ) -> list[Entry]:
    """An entry per pattern inside Golly's zip archive `path` (`x.zip/member`, which the app's
    Open reads with the archive's own rules); one unreadable entry if the archive is refused."""
    from alife.core.archive import pattern_members
    from alife.core.errors import AlifeError

    try:
        members = pattern_members(path)
    except AlifeError as exc:
        return [_with_text(Entry(path, name, source, PATTERN_KIND, "(unreadable)", root=root,
                                 error=str(exc)))]
    return [pattern_entry(path / member, f"{name}/{member}", source, root)
            for member in members]


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
    out: list[Entry] = []
    for n, p, k in found:
        if k == "archive":
            out += archive_entries(p, n, source, root)
        else:
            out.append(scene_entry(p, n, source, root) if k == "scene"
                       else pattern_entry(p, n, source, root))
    return out


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
    known |= set(APP_SUFFIXES)
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


# ---- cache keys -------------------------------------------------------------------------------
def _key(path: Path, *extra: Any) -> str:
    from alife.core.archive import split_member

    inside = split_member(path)  # a member changes with its archive
    try:
        st = (inside[0] if inside is not None else path).stat()
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
