"""Atomic file writes and pytree <-> `.npz` without pickle.

Every file alife writes goes through `atomic_write` (temp file in the same folder, fsync, rename),
so an interrupted write never leaves a half file. A failed write (disk full, a read-only folder,
a file where a folder is needed) removes its temp file and raises `WriteError`: an AlifeError (one
line naming the path, exit 2 from the CLI) that is also an OSError, so callers that tolerate
failed writes (`except OSError`) still do. The result keeps the usual permissions: a new file
gets `0666 & ~umask` (0644 under umask 022; `mkstemp` alone would leave 0600), a replaced file keeps
its own mode. Pytrees (State, Params, optimiser state) are
stored as flat `.npz` archives keyed by their tree path and read back into a template tree with
`allow_pickle=False`.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import jax
import numpy as np

from alife.core.errors import AlifeError
from alife.core.memory import release_memory
from alife.core.safeio import MAX_NPZ_BYTES, read_npz

_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    """The process's umask (read by setting and restoring it, under a lock)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _final_mode(path: Path) -> int:
    """The mode the written file should have: the replaced file's, else 0666 & ~umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


class WriteError(AlifeError, OSError):
    """A write that failed, as one line naming the path and what was expected."""

    def __init__(self, message: str, where: str | None = None, code: int | None = None,
                 reason: str | None = None) -> None:
        AlifeError.__init__(self, message, where)
        self.errno = code
        self.filename = where
        #: the OS's reason and what was expected (callers that quote `strerror` get both)
        self.strerror = reason or message

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}" if self.where else self.detail


#: what a failed write expected, by errno
_EXPECTED = {errno.ENOSPC: "free space on its disk", errno.EDQUOT: "free space within the quota",
             errno.EFBIG: "a smaller file", errno.EROFS: "a writable file system",
             errno.EACCES: "a folder this user may write", errno.EPERM: "a folder this user may "
             "write", errno.ENOTDIR: "a folder, not a file, on its path",
             errno.EEXIST: "a folder, not a file, on its path",
             errno.EISDIR: "a file name, not a folder"}


def write_error(exc: OSError, path: str | Path) -> WriteError:
    """`exc`, raised while writing `path`, as a one-line WriteError naming `path`."""
    if isinstance(exc, WriteError):
        return exc
    code = exc.errno
    expected = _EXPECTED.get(code or 0, "a writable folder with free space")
    reason = exc.strerror or type(exc).__name__
    return WriteError(f"cannot write it ({reason}); expected {expected}", str(path), code,
                      f"{reason}; expected {expected}")


def make_folder(path: str | Path) -> Path:
    """`path` created as a folder (with its parents); WriteError naming it if that fails."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, path) from None
    return path


def atomic_write(path: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write(f)` on a temp file beside `path`, then rename it over `path`; on any failure
    the temp file is removed and `path` is untouched (an OSError becomes a `WriteError`)."""
    path = Path(path)
    make_folder(path.parent)
    mode = _final_mode(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(exc, path) from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise write_error(exc, path) from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    try:
        if os.path.exists(tmp):
            os.unlink(tmp)
    except OSError:
        pass


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    atomic_write(path, lambda f: f.write(data))


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _key(path: tuple) -> str:
    return "/".join(str(getattr(p, "name", getattr(p, "key", getattr(p, "idx", p)))) for p in path)


def tree_to_arrays(tree: Any) -> dict[str, np.ndarray]:
    """Flatten a pytree of arrays into {"a/b/0": array}."""
    leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
    return {_key(path): np.asarray(leaf) for path, leaf in leaves}


def save_tree(path: str | Path, tree: Any, **extra: np.ndarray) -> None:
    """Write a pytree (plus extra named arrays) to `.npz`, atomically.

    The archive is compressed straight into the temp file (no in-memory copy of it: a large
    state written every few minutes would otherwise leave the heaps fragmented), and the freed
    host copies are handed back to the kernel (`alife.core.memory.release_memory`)."""
    arrays = tree_to_arrays(tree)
    arrays.update({f"__{k}": np.asarray(v) for k, v in extra.items()})
    atomic_write(path, lambda f: np.savez_compressed(f, **arrays))
    arrays.clear()
    release_memory()


def load_arrays(path: str | Path, max_bytes: int = MAX_NPZ_BYTES) -> dict[str, np.ndarray]:
    """All arrays of an `.npz` (no pickle); AlifeError naming the file if unreadable, not a
    regular file, or unpacking to more than `max_bytes` (`alife.core.safeio.read_npz`)."""
    return read_npz(path, max_bytes)


def _names(arrays: dict[str, Any], shown: int = 4) -> str:
    """A few array names and how many there are, for one-line messages."""
    names = sorted(arrays)
    listed = ", ".join(names[:shown]) + (", ..." if len(names) > shown else "")
    return f"{len(names)} arrays ({listed})"


def arrays_to_tree(arrays: dict[str, np.ndarray], template: Any, where: str = "") -> Any:
    """Rebuild a pytree shaped like `template` from flat arrays; checks names, shapes, dtypes."""
    leaves, treedef = jax.tree_util.tree_flatten_with_path(template)
    out = []
    for path, leaf in leaves:
        name = _key(path)
        if name not in arrays:
            raise AlifeError(f"array {name!r} missing; expected the arrays of "
                             f"{_names(tree_to_arrays(template))}", where=where or None)
        value = arrays[name]
        want = np.asarray(leaf)
        if value.shape != want.shape:
            raise AlifeError(f"array {name!r} has shape {value.shape}; expected {want.shape}",
                             where=where or None)
        out.append(jax.numpy.asarray(value.astype(want.dtype, copy=False)))
    return jax.tree_util.tree_unflatten(treedef, [x for x in out])


def load_tree(path: str | Path, template: Any) -> Any:
    """Read a pytree written by `save_tree`, shaped like `template`."""
    return arrays_to_tree(load_arrays(path), template, where=str(path))
