"""Error lines users read: one line of at most `MAX_LINE` characters; the rest goes to a log.

`one_line(text)` folds a message onto one line (newlines, tabs and control bytes become spaces,
runs of spaces one). A message still longer than `MAX_LINE` (a library's error quoting raw file
bytes, a list of every array of a checkpoint) first has its long paths shortened to their last
two parts (`.../folder/file.yaml`), so the key and the value after them stay on the line; if it
is still too long it is cut, its full text written to a log file under the user's cache
(`$XDG_CACHE_HOME/alife/errors`, else `~/.cache/alife/errors`, else the temp folder), and the line
ends with that file's path so nothing is lost.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

#: the longest message printed, path of the log included
MAX_LINE = 300
_SPACES = re.compile(r"[\s\x00-\x1f\x7f]+")
_PATH = re.compile(r"(?:/[^/\s:'\"`,;()]+){3,}")
#: paths longer than this are shortened when a line is too long
LONG_PATH = 40


def log_folder() -> Path:
    """Where full error texts go (created on first use)."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "alife" / "errors"


def _write_log(text: str) -> Path | None:
    name = f"error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    for folder in (log_folder(), Path(tempfile.gettempdir()) / "alife-errors"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text + "\n", encoding="utf-8", errors="replace")
            return path
        except OSError:
            continue
    return None


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """`text` on one line of at most about `limit` characters (module docstring)."""
    line = _SPACES.sub(" ", str(text)).strip()
    if len(line) <= limit:
        return line
    path = _write_log(str(text))
    line = _PATH.sub(_short_path, line)
    whole = f" (full message in {path})" if path else ""
    if len(line) + len(whole) <= limit:
        return line + whole
    tail = f" ... (full message in {path})" if path else " ..."
    keep = max(limit - len(tail), 80)
    return line[:keep].rstrip() + tail


def _short_path(match: re.Match[str]) -> str:
    path = match.group(0)
    if len(path) <= LONG_PATH:
        return path
    return ".../" + "/".join(path.rsplit("/", 2)[-2:])


def out_of_memory(exc: BaseException) -> bool:
    """Whether `exc` says memory ran out (MemoryError, or XLA's RESOURCE_EXHAUSTED)."""
    if isinstance(exc, MemoryError):
        return True
    text = str(exc)
    return type(exc).__name__ in ("JaxRuntimeError", "XlaRuntimeError") and \
        ("RESOURCE_EXHAUSTED" in text or "Out of memory" in text)
