"""The Library's model: every scene and pattern the app can open without typing a path, searched
and filtered, with thumbnails made in the background. No GL, no ImGui, no JAX at import time (the
panel is `alife.app.panels.library`).

Sources (`SOURCES`):

- "shipped": the shipped scenes, whatever `alife.scene.catalog.shipped_scenes()` offers, by name
  (`lenia/orbium`), each with its family, title and description read from the file (not built);
- "folders": folders the user added (remembered in `<config_dir>/library.json`, see
  `alife.app.autosave.config_dir`): their scenes (`.yaml`) and pattern files (`.rle`, `.cells`,
  `.mc`, `.lif`, also gzipped) at any depth (hidden folders skipped, at most MAX_FILES each);
  The found-creatures folder (`alife.evolve.found.found_dir`: where `alife evolve` saves the
  creatures a search found) is listed there too when it exists, as `found_root` (its entries
  in `by_folder[found_root]` and `entries["found"]`, not among the folders the user added);
- "golly": Golly's pattern collection when Golly is installed (Debian's `golly` package puts it
  in `/usr/share/golly/Patterns`; every `$XDG_DATA_DIRS/golly/Patterns` is looked at, and
  `$ALIFE_GOLLY_PATTERNS` first). Patterns show their rule and `#N`/`#C` text from the file's
  header; the folders are kept as a tree.

Reading the folders happens on a thread (`Library.refresh`), so opening the Library never waits;
thumbnails are made in the background by worker processes (`python -m alife.app.library
--worker`), so neither JAX's compiles nor its Python work ever stall the UI.

This module is the entry point: `Library`, and every name of the model re-exported from where it
lives, by purpose:

- `alife.app.library_entries`: where things are, the entries, their search and folder tree,
  opening them;
- `alife.app.library_thumbnails`: the thumbnail cache and the threads feeding the workers;
- `alife.app.library_worker`: the worker process that draws a thumbnail.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

from alife.app.library_entries import (
    GOLLY_ENV,
    HEADER_BYTES,
    MAX_DEPTH,
    MAX_FILES,
    MAX_GZ_BYTES,
    PATTERN_KIND,
    PATTERN_SUFFIXES,
    SCENE_SUFFIXES,
    SOURCES,
    Entry,
    Tree,
    build_tree,
    cache_root,
    config_path,
    folder_entries,
    golly_patterns,
    is_listed,
    load_folders,
    open_path,
    openable,
    pattern_entry,
    read_header,
    save_folders,
    scene_entry,
    search_words,
    shipped_entries,
    thumbnails_dir,
)
from alife.app.library_thumbnails import (
    IDLE_S,
    JOB_TIMEOUT_S,
    THUMB_BUDGET_S,
    THUMB_SIZE,
    THUMB_STEPS,
    Thumbnails,
    can_preview,
    thumbnail_meta,
)
from alife.app.library_worker import (
    THUMB_CHUNK,
    pattern_image,
    pattern_thumbnail,
    scene_thumbnail,
    worker_main,
)

__all__ = [
    "GOLLY_ENV", "HEADER_BYTES", "IDLE_S", "JOB_TIMEOUT_S", "MAX_DEPTH", "MAX_FILES",
    "MAX_GZ_BYTES", "PATTERN_KIND", "PATTERN_SUFFIXES", "SCENE_SUFFIXES", "SOURCES",
    "THUMB_BUDGET_S", "THUMB_CHUNK", "THUMB_SIZE", "THUMB_STEPS", "Entry", "Library", "Thumbnails",
    "Tree", "build_tree", "cache_root", "can_preview", "config_path", "folder_entries",
    "golly_patterns", "is_listed", "load_folders", "open_path", "openable", "pattern_entry",
    "pattern_image", "pattern_thumbnail", "read_header", "save_folders", "scene_entry",
    "scene_thumbnail", "search_words", "shipped_entries", "thumbnail_meta", "thumbnails_dir",
    "worker_main",
]


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
        from alife.evolve.found import found_dir

        self.found_root: Path = found_dir()
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
        found = folder_entries(self.found_root, "folders") \
            if self.found_root.is_dir() and self.found_root not in by_folder else []
        with self._lock:
            self.entries = {"shipped": shipped,
                            "folders": [e for es in by_folder.values() for e in es],
                            "golly": golly, "found": found}
            if found:
                by_folder[self.found_root] = found
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


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        sys.exit(worker_main())
    print("usage: python -m alife.app.library --worker  (the app starts it)", file=sys.stderr)
    sys.exit(2)
